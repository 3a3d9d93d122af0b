// AccessControl: the bearer token a server may require on its state-changing calls.
//
// Without a token (the default) every call is allowed. With one, a state-changing
// call must carry the metadata "authorization: Bearer <token>"; a call without it is
// UNAUTHENTICATED, a call with another token PERMISSION_DENIED, both with a message
// naming the call and how to send a token. Read-only calls, health checking and
// reflection never ask: each service decides which of its calls change state and
// asks AccessControl only for those (docs/api.md lists them).
//
// Usage:
//   absl::StatusOr<AccessControl> access = AccessControl::WithToken(token);
//   ...
//   if (absl::Status allowed = access.AuthorizeChange(*context, "SetStreamConfig");
//       !allowed.ok()) return FinishUnary(context, allowed);
//
// Thread-safety: immutable after construction; AuthorizeChange is safe from any
// thread. The token is compared in constant time and never appears in a message.
#ifndef DATA_FACTORY_SERVICES_COMMON_ACCESS_CONTROL_H_
#define DATA_FACTORY_SERVICES_COMMON_ACCESS_CONTROL_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/grpc_status.h"

namespace df::server {

class AccessControl {
 public:
  // Every call allowed.
  AccessControl() = default;
  // State-changing calls need `token`: 16..4096 printable ASCII characters without
  // spaces (INVALID_ARGUMENT otherwise, naming the rule, never the token).
  [[nodiscard]] static absl::StatusOr<AccessControl> WithToken(std::string token);

  bool requires_token() const { return !token_.empty(); }

  // OK when no token is required or the call's metadata carries it; `call` names
  // the call in the refusal ("SetStreamConfig").
  [[nodiscard]] absl::Status AuthorizeChange(const grpc::ServerContextBase& context,
                                             absl::string_view call) const;
  // The same on the metadata alone (pure; what the tests drive).
  [[nodiscard]] absl::Status AuthorizeChange(
      const std::multimap<grpc::string_ref, grpc::string_ref>& client_metadata,
      absl::string_view call) const;

 private:
  explicit AccessControl(std::string token) : token_(std::move(token)) {}
  std::string token_;  // empty: no token required
};

// A streaming call refused before it starts: finished at once with `status`.
template <class Request, class Response>
class RefusedBidiCall final : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit RefusedBidiCall(const absl::Status& status) { this->Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};
template <class Response>
class RefusedWriteCall final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWriteCall(const absl::Status& status) { this->Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_ACCESS_CONTROL_H_
