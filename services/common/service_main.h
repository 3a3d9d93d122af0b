// The serving skeleton both services' main() share: the common flags, the
// Prometheus endpoint, the gRPC server (health checking and reflection on), a
// machine-readable start line, and SIGINT/SIGTERM -> health NOT_SERVING -> grace ->
// drain -> exit.
//
// Shared flags (services/common/service_main.cc): --grpc_address and
// --metrics_address (empty: the service's default, e.g. 127.0.0.1:50061; port 0
// picks a free port; --metrics_address=none serves no metrics), --drain and
// --not_serving_grace; transport security: --tls_cert/--tls_key (gRPC over TLS
// only), --tls_client_ca (mutual TLS), --token_file (bearer token required on the
// service's state-changing calls; needs TLS), --metrics_basic_auth_file (HTTP basic
// authentication on /metrics), --health_address (a plaintext port serving only the
// health service, for probes that cannot speak TLS). Without them: plaintext, no
// token, as before. A service's own flags live beside its main.cc; --help lists both.
//
// The start line, on stdout once both ports are bound, is how tests and scripts
// learn the ports when they pass port 0:
//   drift-monitor listening grpc=127.0.0.1:41033 metrics_port=39415 workers=2
// (with " tls=on" or " tls=mutual", " health=HOST:PORT" and " token=required", when
// so configured).
//
// Usage:
//   int main(int argc, char** argv) {
//     const df::server::ServiceInfo info = {...};
//     df::server::InitService(argc, argv, info);  // first: flags, signals
//     ... read and validate the service's own flags (ExitWithError on a bad one) ...
//     auto process = df::server::ServiceProcess::Open(info);
//     if (!process.ok()) return df::server::ExitWithError(info, process.status().message());
//     MyMetrics metrics((*process)->metrics());
//     MyService service(..., metrics);
//     return (*process)->ServeUntilSignal({&service}, {});
//   }
//
// Failure: a bad shared flag, a taken or malformed address: ExitWithError's message
// on stderr and exit status 1, never an abort. Thread-safety: InitService runs
// before any thread starts; the rest runs on the main thread.
#ifndef DATA_FACTORY_SERVICES_COMMON_SERVICE_MAIN_H_
#define DATA_FACTORY_SERVICES_COMMON_SERVICE_MAIN_H_

#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/access_control.h"
#include "services/common/metrics_endpoint.h"

namespace df::server {

struct ServiceInfo {
  std::string name;                     // "drift-monitor": messages and the start line
  std::string summary;                  // one line for --help
  std::string default_grpc_address;     // "127.0.0.1:50061"
  std::string default_metrics_address;  // "127.0.0.1:9461"
  std::string flags_folder;             // "services/drift_monitor/": its flags in --help
};

// Blocks SIGINT and SIGTERM in this and every later thread (ServeUntilSignal
// receives them) and parses the command line. Call first in main().
void InitService(int argc, char** argv, const ServiceInfo& info);

// True for a "host:port" whose host is 127.x.y.z, localhost or [::1]. Pure.
bool IsLoopbackAddress(absl::string_view address);

// Prints "<name>: <message>" on stderr and returns the exit status 1.
int ExitWithError(const ServiceInfo& info, absl::string_view message);

// "<name> listening grpc=<target> metrics_port=<port>[ key=value...]"; a value that
// is empty or holds a space, tab, newline, quote or backslash is written "C-escaped"
// in double quotes, so the line splits on spaces. Pure.
std::string StartLine(absl::string_view name, absl::string_view grpc_target, int metrics_port,
                      const std::vector<std::pair<std::string, std::string>>& fields);

struct ServeOptions {
  // Largest request message accepted, bytes (gRPC's default: 4 MiB).
  int max_receive_message_bytes = 4 * 1024 * 1024;
  // Full names of the services the health service reports besides "" (e.g.
  // pb::DriftMonitor::service_full_name()).
  std::vector<std::string> health_service_names;
  // Extra key=value pairs for the start line (a value with spaces is quoted).
  std::vector<std::pair<std::string, std::string>> start_fields;
};

class ServiceProcess {
 public:
  // Reads the shared flags and binds the metrics endpoint.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<ServiceProcess>> Open(
      const ServiceInfo& info);

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  // Where the service registers its metric families.
  prometheus::Registry& metrics() { return *registry_; }
  // Which state-changing calls the service lets through (--token_file).
  const AccessControl& access() const { return settings_.access; }

  // Serves `services` (not owned) until SIGINT or SIGTERM, then shuts down
  // gracefully and returns the exit status: 0, or 1 when the gRPC address cannot
  // be bound.
  int ServeUntilSignal(const std::vector<grpc::Service*>& services, const ServeOptions& options);

 private:
  struct Settings {
    std::string grpc_address;
    std::string metrics_address;  // "none": no endpoint
    std::string health_address;   // empty: no plaintext health-only port
    absl::Duration drain;
    absl::Duration not_serving_grace;
    std::shared_ptr<grpc::ServerCredentials> credentials;  // plaintext or TLS
    std::string tls;                                       // "", "on" or "mutual"
    AccessControl access;
  };
  ServiceProcess(ServiceInfo info, Settings settings, std::unique_ptr<MetricsEndpoint> endpoint);

  const ServiceInfo info_;
  const Settings settings_;
  std::unique_ptr<MetricsEndpoint> endpoint_;                // null when metrics are off
  std::shared_ptr<prometheus::Registry> unserved_registry_;  // metrics off: still recorded
  prometheus::Registry* registry_;
};

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_SERVICE_MAIN_H_
