// The gateway's gRPC side: one channel per backend (factory-sim, drift-monitor),
// unary calls by method path with raw message bytes, and the credentials seam.
//
// Usage:
//   Backends backends({{"factory-sim", "127.0.0.1:50051"}, {"drift-monitor", ...}});
//   absl::StatusOr<std::string> reply = backends.CallUnary(
//       "factory-sim", "/datafactory.factory.v1.FactorySim/Evaluate", request_bytes,
//       absl::Seconds(10));
//   grpc::GenericStub* stub = backends.Stub("drift-monitor");  // for streams
//
// Credentials: BackendCredentials() is the one place that decides how the gateway
// connects to the services. Both services serve plaintext gRPC today; when the
// services gain TLS and token settings, the shared channel-credentials helper of
// services/common is called there (and its flags read in main.cc), nothing else.
//
// Thread-safety: every method may be called from any thread; channels are shared.
// Failure: an unknown backend name is NOT_FOUND; a call's error is the backend's
// status, code and message unchanged (a backend that is down: UNAVAILABLE).
#ifndef DATA_FACTORY_SERVICES_GATEWAY_BACKEND_CHANNELS_H_
#define DATA_FACTORY_SERVICES_GATEWAY_BACKEND_CHANNELS_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace df::gateway {

// How the gateway authenticates to the backends (see the header comment).
std::shared_ptr<grpc::ChannelCredentials> BackendCredentials();

absl::Status FromGrpcStatus(const grpc::Status& status);
grpc::ByteBuffer ToByteBuffer(absl::string_view bytes);
std::string FromByteBuffer(const grpc::ByteBuffer& buffer);

class Backends {
 public:
  // backend name -> gRPC target ("host:port").
  explicit Backends(const std::map<std::string, std::string>& targets);

  // Null for an unknown backend.
  grpc::GenericStub* Stub(absl::string_view backend);

  [[nodiscard]] absl::StatusOr<std::string> CallUnary(absl::string_view backend,
                                                      const std::string& grpc_path,
                                                      absl::string_view request_bytes,
                                                      absl::Duration timeout);

 private:
  struct Backend {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  std::map<std::string, Backend, std::less<>> backends_;
};

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_BACKEND_CHANNELS_H_
