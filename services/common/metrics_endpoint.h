// MetricsEndpoint: the Prometheus /metrics HTTP endpoint of a service.
//
// Owns a prometheus::Registry and the prometheus-cpp exposer serving it. Binding
// happens in Start(), so a taken port is a clear error before the service does any
// work; port 0 picks a free port, which port() reports. Optionally behind HTTP
// basic authentication (a scrape without the right user and password gets 401).
// There is no HTTPS: Debian 12's civetweb 1.15 crashes its worker thread on the first
// TLS connection (a null function call with OpenSSL 3), so a scrape that must be
// encrypted goes through a TLS-terminating proxy or stays on a private network.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<MetricsEndpoint>> metrics =
//       MetricsEndpoint::Start("127.0.0.1:0");
//   if (!metrics.ok()) return ...;
//   DriftMetrics drift_metrics((*metrics)->registry());
//   int port = (*metrics)->port();
//
// Thread-safety: the registry is thread-safe (prometheus-cpp); the rest is
// immutable after Start(). Failure: Start() returns UNAVAILABLE naming the address
// when it cannot be bound (prometheus-cpp reports that by exception; none escapes).
#ifndef DATA_FACTORY_SERVICES_COMMON_METRICS_ENDPOINT_H_
#define DATA_FACTORY_SERVICES_COMMON_METRICS_ENDPOINT_H_

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace df::server {

struct MetricsSecurity {
  // Both set: /metrics asks for HTTP basic authentication with these.
  std::string basic_auth_user;
  std::string basic_auth_password;
};

class MetricsEndpoint {
 public:
  // Serves /metrics on `address` ("host:port").
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& address, const MetricsSecurity& security = {});

  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  prometheus::Registry& registry() { return *registry_; }
  // The port actually bound (the one picked when the address asked for port 0).
  int port() const { return port_; }

 private:
  MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer,
                  std::shared_ptr<prometheus::Registry> registry, int port);

  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;  // declared last: stops serving first
  int port_;
};

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_METRICS_ENDPOINT_H_
