#include "services/common/service_main.h"

#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/command_line.h"
#include "services/common/grpc_server.h"
#include "services/common/transport_security.h"

ABSL_FLAG(std::string, grpc_address, "",
          "gRPC listen address host:port; port 0 picks a free port (empty: the service's "
          "default, see the usage line)");
ABSL_FLAG(std::string, metrics_address, "",
          "Prometheus /metrics listen address host:port; port 0 picks a free port; 'none' "
          "serves no metrics (empty: the service's default, see the usage line)");
ABSL_FLAG(absl::Duration, drain, absl::Seconds(5),
          "On shutdown, how long in-flight calls may take before they are cancelled");
ABSL_FLAG(std::string, health_address, "",
          "Also serve only the gRPC health service, in plaintext, on host:port (for probes "
          "that cannot speak TLS, e.g. the kubelet's); empty: none");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain: serve gRPC over TLS only (with --tls_key); empty: plaintext");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle: require a client certificate signed by it (mutual TLS)");
ABSL_FLAG(std::string, token_file, "",
          "File holding a bearer token (16..4096 printable characters) that every "
          "state-changing call must send as 'authorization: Bearer <token>'; needs TLS");
ABSL_FLAG(std::string, metrics_basic_auth_file, "",
          "File holding 'user:password': /metrics asks for HTTP basic authentication");
ABSL_FLAG(absl::Duration, not_serving_grace, absl::ZeroDuration(),
          "On shutdown, how long health reports NOT_SERVING while new calls are still "
          "accepted, before the drain (behind a readiness probe: about one probe period)");

namespace df::server {

void InitService(int argc, char** argv, const ServiceInfo& info) {
  BlockShutdownSignals();
  const std::string usage =
      absl::StrCat(info.summary, "\n\nDefault addresses: gRPC ", info.default_grpc_address,
                   ", metrics ", info.default_metrics_address, ".\nOnce serving it prints '",
                   info.name, " listening grpc=HOST:PORT metrics_port=PORT ...' on stdout.");
  df::cli::CommandLineSpec spec;
  spec.program = info.name;
  spec.usage = usage;
  spec.help_folders = {info.flags_folder, "services/common/"};
  spec.usage_exit_code = 1;  // as every start-up error of a service
  const std::vector<std::string> positional =
      df::cli::ParseCommandLineOrExit({argv, argv + argc}, spec);
  if (!positional.empty()) {
    std::exit(df::cli::UsageError(absl::StrCat("unexpected argument '", positional[0], "'")));
  }
}

int ExitWithError(const ServiceInfo& info, absl::string_view message) {
  std::fprintf(stderr, "%s: %.*s\n", info.name.c_str(), static_cast<int>(message.size()),
               message.data());
  return 1;
}

std::string StartLine(absl::string_view name, absl::string_view grpc_target, int metrics_port,
                      const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line =
      absl::StrCat(name, " listening grpc=", grpc_target, " metrics_port=", metrics_port);
  for (const auto& [key, value] : fields) {
    // A value with a space or a quote is quoted, C-escaped, so the line splits on spaces.
    const bool quote = value.empty() || value.find_first_of(" \t\n\"\\") != std::string::npos;
    absl::StrAppend(&line, " ", key, "=",
                    quote ? absl::StrCat("\"", absl::CEscape(value), "\"") : value);
  }
  return line;
}

bool IsLoopbackAddress(absl::string_view address) {
  const size_t colon = address.rfind(':');
  const absl::string_view host = address.substr(0, colon == absl::string_view::npos ? 0 : colon);
  return absl::StartsWith(host, "127.") || host == "localhost" || host == "[::1]";
}

absl::StatusOr<MetricsSecurity> MetricsSecurityFromFlags() {
  MetricsSecurity security;
  const std::string auth_file = absl::GetFlag(FLAGS_metrics_basic_auth_file);
  if (auth_file.empty()) return security;
  absl::StatusOr<std::string> auth = ReadSecretFile(auth_file, "--metrics_basic_auth_file");
  if (!auth.ok()) return auth.status();
  const size_t colon = auth->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == auth->size()) {
    return absl::InvalidArgumentError(absl::StrCat("--metrics_basic_auth_file: '", auth_file,
                                                   "' must hold one line 'user:password'"));
  }
  security.basic_auth_user = auth->substr(0, colon);
  security.basic_auth_password = auth->substr(colon + 1);
  return security;
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Open(const ServiceInfo& info) {
  Settings settings;
  settings.grpc_address = absl::GetFlag(FLAGS_grpc_address);
  if (settings.grpc_address.empty()) settings.grpc_address = info.default_grpc_address;
  settings.metrics_address = absl::GetFlag(FLAGS_metrics_address);
  if (settings.metrics_address.empty()) settings.metrics_address = info.default_metrics_address;
  settings.health_address = absl::GetFlag(FLAGS_health_address);
  settings.drain = absl::GetFlag(FLAGS_drain);
  settings.not_serving_grace = absl::GetFlag(FLAGS_not_serving_grace);
  if (settings.drain < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--drain must not be negative");
  }
  if (settings.not_serving_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--not_serving_grace must not be negative");
  }
  ServerTlsFiles tls;
  tls.cert = absl::GetFlag(FLAGS_tls_cert);
  tls.key = absl::GetFlag(FLAGS_tls_key);
  tls.client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentialsFromFiles(tls);
  if (!credentials.ok()) return credentials.status();
  settings.credentials = *std::move(credentials);
  settings.tls = tls.cert.empty() ? "" : tls.client_ca.empty() ? "on" : "mutual";
  if (const std::string token_file = absl::GetFlag(FLAGS_token_file); !token_file.empty()) {
    if (tls.cert.empty()) {
      return absl::InvalidArgumentError(
          "--token_file needs --tls_cert and --tls_key: a bearer token must not cross the "
          "network in plain text");
    }
    absl::StatusOr<std::string> token = ReadSecretFile(token_file, "--token_file");
    if (!token.ok()) return token.status();
    absl::StatusOr<AccessControl> access = AccessControl::WithToken(*std::move(token));
    if (!access.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file '", token_file, "': ", access.status().message()));
    }
    settings.access = *std::move(access);
  }
  absl::StatusOr<MetricsSecurity> metrics_security = MetricsSecurityFromFlags();
  if (!metrics_security.ok()) return metrics_security.status();

  std::unique_ptr<MetricsEndpoint> endpoint;
  if (settings.metrics_address != "none") {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> started =
        MetricsEndpoint::Start(settings.metrics_address, *metrics_security);
    if (!started.ok()) return started.status();
    endpoint = *std::move(started);
  }
  return std::unique_ptr<ServiceProcess>(
      new ServiceProcess(info, std::move(settings), std::move(endpoint)));
}

ServiceProcess::ServiceProcess(ServiceInfo info, Settings settings,
                               std::unique_ptr<MetricsEndpoint> endpoint)
    : info_(std::move(info)), settings_(std::move(settings)), endpoint_(std::move(endpoint)) {
  if (endpoint_ != nullptr) {
    registry_ = &endpoint_->registry();
  } else {
    unserved_registry_ = std::make_shared<prometheus::Registry>();
    registry_ = unserved_registry_.get();
  }
}

int ServiceProcess::ServeUntilSignal(const std::vector<grpc::Service*>& services,
                                     const ServeOptions& options) {
  GrpcServerOptions server_options;
  server_options.max_receive_message_bytes = options.max_receive_message_bytes;
  server_options.not_serving_grace = settings_.not_serving_grace;
  server_options.health_service_names = options.health_service_names;
  server_options.credentials = settings_.credentials;
  server_options.health_address = settings_.health_address;
  if (settings_.tls.empty() && !IsLoopbackAddress(settings_.grpc_address)) {
    std::fprintf(stderr,
                 "%s: warning: plaintext gRPC on %s: anyone who reaches it can call it "
                 "(--tls_cert, --tls_key, --token_file)\n",
                 info_.name.c_str(), settings_.grpc_address.c_str());
  }
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(settings_.grpc_address, services, server_options);
  if (!server.ok()) return ExitWithError(info_, server.status().message());

  const int metrics_port = endpoint_ != nullptr ? endpoint_->port() : 0;
  std::vector<std::pair<std::string, std::string>> fields = options.start_fields;
  if (!settings_.tls.empty()) fields.emplace_back("tls", settings_.tls);
  if (!settings_.health_address.empty()) fields.emplace_back("health", (*server)->health_target());
  if (settings_.access.requires_token()) fields.emplace_back("token", "required");
  std::printf("%s\n", StartLine(info_.name, (*server)->target(), metrics_port, fields).c_str());
  std::fflush(stdout);

  const int signal = WaitForShutdownSignal();
  std::printf("%s: signal %d, draining (up to %s)\n", info_.name.c_str(), signal,
              absl::FormatDuration(settings_.drain).c_str());
  std::fflush(stdout);
  (*server)->Shutdown(settings_.drain);  // every call has finished after this
  server->reset();
  std::printf("%s: stopped\n", info_.name.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace df::server
