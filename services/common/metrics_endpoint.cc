#include "services/common/metrics_endpoint.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/transport_security.h"

namespace df::server {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address, const MetricsSecurity& security) {
  if (security.basic_auth_user.empty() != security.basic_auth_password.empty()) {
    return absl::InvalidArgumentError("metrics basic authentication needs a user and a password");
  }
  std::unique_ptr<prometheus::Exposer> exposer;
  try {  // prometheus-cpp (civetweb) reports a failed bind by throwing
    exposer = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  const std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address));
  }
  auto registry = std::make_shared<prometheus::Registry>();
  exposer->RegisterCollectable(registry);
  if (!security.basic_auth_user.empty()) {
    exposer->RegisterAuth(
        [user = security.basic_auth_user, password = security.basic_auth_password](
            const std::string& given_user, const std::string& given_password) {
          // Both compared, whatever the first gives, so timing tells nothing.
          const bool user_ok = SecretsEqual(given_user, user);
          const bool password_ok = SecretsEqual(given_password, password);
          return user_ok && password_ok;
        },
        "metrics");
  }
  return std::unique_ptr<MetricsEndpoint>(
      new MetricsEndpoint(std::move(exposer), std::move(registry), ports.front()));
}

MetricsEndpoint::MetricsEndpoint(std::unique_ptr<prometheus::Exposer> exposer,
                                 std::shared_ptr<prometheus::Registry> registry, int port)
    : registry_(std::move(registry)), exposer_(std::move(exposer)), port_(port) {}

}  // namespace df::server
