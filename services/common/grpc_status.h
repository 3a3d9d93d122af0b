// ToGrpcStatus: the one absl::Status -> grpc::Status mapping both services use.
//
// The canonical absl::StatusCode values are the gRPC status codes (0..16), so the
// code is carried over unchanged and the message is copied verbatim; an OK status
// becomes grpc::Status::OK (with no message).
//
// Usage:
//   reactor->Finish(df::server::ToGrpcStatus(status));
//   return df::server::FinishUnary(context, status);  // in a callback unary method
//
// Thread-safety: a pure function. Failure behaviour: a code outside 0..16 (which
// absl never produces for the canonical constructors) maps to UNKNOWN.
#ifndef DATA_FACTORY_SERVICES_COMMON_GRPC_STATUS_H_
#define DATA_FACTORY_SERVICES_COMMON_GRPC_STATUS_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace df::server {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a callback unary call at once with `status` and returns its reactor.
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status);

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_GRPC_STATUS_H_
