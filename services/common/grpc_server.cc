#include "services/common/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <csignal>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace df::server {

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const std::string& address, const std::vector<grpc::Service*>& services,
    const GrpcServerOptions& options) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("grpc address '", address, "' is not of the form host:port"));
  }
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
  for (const std::string& name : options.health_service_names) {
    server->GetHealthCheckService()->SetServingStatus(name, true);
  }
  server->GetHealthCheckService()->SetServingStatus(true);  // "" and every name above
  return std::unique_ptr<GrpcServer>(new GrpcServer(std::move(server), address.substr(0, colon),
                                                    bound_port, options.not_serving_grace));
}

GrpcServer::GrpcServer(std::unique_ptr<grpc::Server> server, std::string host, int port,
                       absl::Duration not_serving_grace)
    : server_(std::move(server)),
      not_serving_grace_(not_serving_grace),
      host_(std::move(host)),
      port_(port) {}

GrpcServer::~GrpcServer() { Shutdown(absl::ZeroDuration()); }

std::string GrpcServer::target() const { return absl::StrCat(host_, ":", port_); }

void GrpcServer::Shutdown(absl::Duration drain) {
  std::call_once(shutdown_once_, [&] {
    server_->GetHealthCheckService()->SetServingStatus(false);
    absl::SleepFor(not_serving_grace_);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + drain));
    server_->Wait();
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
