// The gateway's gRPC side: one channel per backend (factory-sim, drift-monitor),
// unary calls by method path with raw message bytes, and the credentials seam.
//
// Usage:
//   Backends backends({{"factory-sim", channel}, {"drift-monitor", other_channel}});
//   absl::StatusOr<std::string> reply = backends.CallUnary(
//       "factory-sim", "/datafactory.factory.v1.FactorySim/Evaluate", request_bytes,
//       absl::Seconds(10));
//   grpc::GenericStub* stub = backends.Stub("drift-monitor");  // for streams
//
// Credentials: the channels come made (main.cc makes them with the clients' shared
// --tls_ca/--tls_cert/--tls_key/--token_file flags, clients/common/channel_flags.h),
// so the gateway honours the services' TLS and token settings like any client.
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

absl::Status FromGrpcStatus(const grpc::Status& status);
grpc::ByteBuffer ToByteBuffer(absl::string_view bytes);
std::string FromByteBuffer(const grpc::ByteBuffer& buffer);

class Backends {
 public:
  // backend name -> its channel.
  explicit Backends(const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels);

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
