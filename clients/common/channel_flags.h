// The transport-security flags every gRPC client shares, and the channel they make.
//
// Flags (listed by each client's --help through the folder "clients/common/"):
//   --tls_ca=ca.pem            verify the server over TLS against this CA bundle
//   --tls_cert=c.pem --tls_key=c.key   present a client certificate (mutual TLS)
//   --token_file=token         send "authorization: Bearer <token>" (TLS only)
//   --tls_server_name=name     the name the server's certificate must carry, when
//                              it is not the target's host
// None given: a plaintext channel, as before. The token is read from a file so it
// never shows in a process list.
//
// Usage:
//   absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = df::client::ChannelFromFlags(target);
//   if (!channel.ok()) return UsageError(channel.status().message());
//
// Thread-safety: reads the flags; call after parsing the command line. Failure: a
// flag combination that cannot work (a token without TLS, a certificate without its
// key) or a file that cannot be read: INVALID_ARGUMENT / NOT_FOUND naming the flag
// (services/common/transport_security.h).
#ifndef DATA_FACTORY_CLIENTS_COMMON_CHANNEL_FLAGS_H_
#define DATA_FACTORY_CLIENTS_COMMON_CHANNEL_FLAGS_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/transport_security.h"

namespace df::client {

// The files the flags name.
df::server::ClientSecurityFiles SecurityFilesFromFlags();

// A channel to `target` with the flags' credentials.
[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags(
    const std::string& target, const grpc::ChannelArguments& arguments = {});

}  // namespace df::client

#endif  // DATA_FACTORY_CLIENTS_COMMON_CHANNEL_FLAGS_H_
