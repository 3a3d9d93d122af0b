#include "services/common/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <csignal>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace df::server {

namespace {

absl::Status CheckHostPort(const std::string& address, absl::string_view what) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " '", address, "' is not of the form host:port"));
  }
  return absl::OkStatus();
}

// A plaintext server with the default health service only (no service registered).
absl::StatusOr<std::unique_ptr<grpc::Server>> StartHealthServer(const std::string& address,
                                                                int* bound_port) {
  if (absl::Status valid = CheckHostPort(address, "health address"); !valid.ok()) return valid;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), bound_port);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *bound_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, " for health checks (address in use?)"));
  }
  return server;
}

}  // namespace

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const std::string& address, const std::vector<grpc::Service*>& services,
    const GrpcServerOptions& options) {
  if (absl::Status valid = CheckHostPort(address, "grpc address"); !valid.ok()) return valid;
  const auto colon = address.rfind(':');
  if (options.not_serving_grace < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("not_serving_grace must not be negative");
  }
  if (options.max_receive_message_bytes <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("max_receive_message_bytes must be > 0, got ",
                                                   options.max_receive_message_bytes));
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(
      address,
      options.credentials != nullptr ? options.credentials : grpc::InsecureServerCredentials(),
      &bound_port);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  // gRPC turns SO_REUSEPORT on by default: a second server on a taken port would
  // silently share it and steal half the connections. One port, one server.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address, " (address in use or not local?)"));
  }
  std::unique_ptr<grpc::Server> health_server;
  int health_port = 0;
  if (!options.health_address.empty()) {
    absl::StatusOr<std::unique_ptr<grpc::Server>> started =
        StartHealthServer(options.health_address, &health_port);
    if (!started.ok()) return started.status();
    health_server = *std::move(started);
  }
  auto grpc_server = std::unique_ptr<GrpcServer>(new GrpcServer(
      std::move(server), address.substr(0, colon), bound_port, options.not_serving_grace));
  for (grpc::Server* s : {grpc_server->server_.get(), health_server.get()}) {
    if (s == nullptr) continue;
    for (const std::string& name : options.health_service_names) {
      s->GetHealthCheckService()->SetServingStatus(name, true);
    }
    s->GetHealthCheckService()->SetServingStatus(true);  // "" and every name above
  }
  if (health_server != nullptr) {
    grpc_server->health_target_ = absl::StrCat(
        options.health_address.substr(0, options.health_address.rfind(':')), ":", health_port);
    grpc_server->health_server_ = std::move(health_server);
  }
  return grpc_server;
}

GrpcServer::GrpcServer(std::unique_ptr<grpc::Server> server, std::string host, int port,
                       absl::Duration not_serving_grace)
    : server_(std::move(server)),
      not_serving_grace_(not_serving_grace),
      host_(std::move(host)),
      port_(port) {}

GrpcServer::~GrpcServer() { Shutdown(absl::ZeroDuration()); }

std::string GrpcServer::target() const { return absl::StrCat(host_, ":", port_); }

std::string GrpcServer::health_target() const { return health_target_; }

void GrpcServer::Shutdown(absl::Duration drain) {
  std::call_once(shutdown_once_, [&] {
    server_->GetHealthCheckService()->SetServingStatus(false);
    if (health_server_ != nullptr) health_server_->GetHealthCheckService()->SetServingStatus(false);
    absl::SleepFor(not_serving_grace_);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
    server_->Wait();
    if (health_server_ != nullptr) {
      health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
      health_server_->Wait();
    }
  });
}

namespace {
sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

void BlockShutdownSignals() {
  const sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  const sigset_t set = ShutdownSignals();
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

}  // namespace df::server
