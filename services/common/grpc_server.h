// GrpcServer: the server plumbing both services share.
//
// Starts a gRPC server on one address with the standard health-checking service
// and server reflection switched on (so grpcurl and Kubernetes gRPC probes work;
// neither asks for a bearer token), plaintext or TLS as the options' credentials say,
// and shuts it down gracefully: health goes NOT_SERVING first and stays so for
// `not_serving_grace` while new calls are still accepted (so probes and load
// balancers can see it and stop sending), then in-flight calls get a drain
// deadline, then whatever remains is cancelled.
//
// Usage:
//   df::server::BlockShutdownSignals();  // first thing in main(), before threads
//   auto server = df::server::GrpcServer::Start("127.0.0.1:0", {&service});
//   if (!server.ok()) { ... }
//   int sig = df::server::WaitForShutdownSignal();
//   (*server)->Shutdown(absl::Seconds(5));
//
// Thread-safety: Shutdown() may be called from any thread, once or more (later
// calls are no-ops). Start() fails with a clear status when the address cannot
// be bound; it never aborts.
#ifndef DATA_FACTORY_SERVICES_COMMON_GRPC_SERVER_H_
#define DATA_FACTORY_SERVICES_COMMON_GRPC_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace df::server {

struct GrpcServerOptions {
  // Largest request message accepted, in bytes (gRPC's own default is 4 MiB). A
  // larger message fails its whole call with RESOURCE_EXHAUSTED before any service
  // code sees it, so services that take big payloads (raw camera frames) raise it.
  int max_receive_message_bytes = 4 * 1024 * 1024;
  // Time between health turning NOT_SERVING and the server refusing new calls.
  // Zero (the default) refuses at once; behind a Kubernetes readiness probe, set
  // it to about one probe period.
  absl::Duration not_serving_grace = absl::ZeroDuration();
  // Full names of the services (e.g. "datafactory.drift.v1.DriftMonitor") that the
  // health service reports besides the whole server's "": a probe may ask for either.
  std::vector<std::string> health_service_names;
  // How the port is served: null is plaintext; TLS from ServerCredentialsFromFiles
  // (transport_security.h).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Also serve the health service alone, in plaintext, on this "host:port" (for
  // probes that cannot speak TLS, such as the kubelet's gRPC probes); it reports the
  // same status as the main port. Empty: no such port.
  std::string health_address;
};

class GrpcServer {
 public:
  // Binds `address` ("host:port"; port 0 picks a free one) and starts serving
  // `services` (not owned; they must outlive the server).
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const std::string& address, const std::vector<grpc::Service*>& services,
      const GrpcServerOptions& options = {});

  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;
  ~GrpcServer();

  // The port actually bound (useful when the address asked for port 0).
  int port() const { return port_; }
  // "host:port" with the bound port, ready for a client channel.
  std::string target() const;
  // The health-only port's "host:port" (empty without options.health_address).
  std::string health_target() const;
  grpc::Server* raw() { return server_.get(); }

  // Health NOT_SERVING, waits the options' not_serving_grace, then waits up to
  // `drain` for in-flight calls before cancelling the rest. Idempotent.
  void Shutdown(absl::Duration drain);

 private:
  GrpcServer(std::unique_ptr<grpc::Server> server, std::string host, int port,
             absl::Duration not_serving_grace);

  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;  // null without options.health_address
  std::string health_target_;
  absl::Duration not_serving_grace_;
  std::string host_;
  int port_;
  std::once_flag shutdown_once_;
};

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
// later, so that WaitForShutdownSignal() can receive them synchronously.
void BlockShutdownSignals();

// Waits for SIGINT or SIGTERM (after BlockShutdownSignals) and returns it.
int WaitForShutdownSignal();

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_GRPC_SERVER_H_
