// Transport security: gRPC credentials built from PEM files, for the services and
// for every client, so both ends read certificates, keys and tokens the same way.
//
// A server with a certificate and key serves TLS only (a plaintext client is
// refused during the handshake); with a client CA as well it requires and verifies
// a client certificate signed by that CA (mutual TLS). A client with a CA file
// verifies the server against it; with a certificate and key it presents them; with
// a token file it sends "authorization: Bearer <token>" on every call, which gRPC
// only does over TLS (so a token without a CA file is refused here, never sent in
// plain text). No files at all: plaintext, as before.
//
// Usage:
//   ServerTlsFiles tls{.cert = "server.pem", .key = "server.key"};
//   absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
//       ServerCredentialsFromFiles(tls);
//   ClientSecurityFiles client{.ca = "ca.pem", .token = "token"};
//   auto channel = OpenChannel("drift.example:50061", client);
//
// Thread-safety: plain functions; the credentials they return are gRPC's
// (thread-safe). Failure: INVALID_ARGUMENT naming the flag for a missing half of a
// pair (a certificate without its key) or a token without TLS; NOT_FOUND /
// FAILED_PRECONDITION naming the file when it cannot be read, is empty or too big.
// A file that is not valid PEM is reported by gRPC when the first call is made.
#ifndef DATA_FACTORY_SERVICES_COMMON_TRANSPORT_SECURITY_H_
#define DATA_FACTORY_SERVICES_COMMON_TRANSPORT_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::server {

// The whole content of a small secret file (a PEM file, a token, a password),
// trailing whitespace removed; `flag` names it in errors ("--tls_key"). At most
// 1 MiB; an empty file is an error.
[[nodiscard]] absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                                         absl::string_view flag);

// Equal contents, compared in a time that depends on the lengths only (tokens,
// passwords).
bool SecretsEqual(absl::string_view a, absl::string_view b);

struct ServerTlsFiles {
  std::string cert;       // --tls_cert: PEM certificate chain; empty: plaintext
  std::string key;        // --tls_key: PEM private key of the certificate
  std::string client_ca;  // --tls_client_ca: PEM CA bundle; set: mutual TLS required
};

// Plaintext credentials when every file is empty, else TLS as described above.
[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const ServerTlsFiles& files);

struct ClientSecurityFiles {
  std::string ca;           // --tls_ca: PEM CA bundle to verify the server; empty: plaintext
  std::string cert;         // --tls_cert: PEM client certificate (mutual TLS)
  std::string key;          // --tls_key: its PEM private key
  std::string token;        // --token_file: file holding the bearer token
  std::string server_name;  // --tls_server_name: name to verify instead of the target's host
};

// True when any file is named (the channel is then TLS).
bool UsesTls(const ClientSecurityFiles& files);

// A channel to `target` ("host:port") with the credentials the files describe.
// Channel creation is lazy: connection errors surface on the first call.
[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(
    const std::string& target, const ClientSecurityFiles& files,
    grpc::ChannelArguments arguments = {});

}  // namespace df::server

#endif  // DATA_FACTORY_SERVICES_COMMON_TRANSPORT_SECURITY_H_
