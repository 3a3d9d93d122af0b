#include "clients/common/channel_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, tls_ca, "",
          "PEM CA bundle: connect over TLS and verify the server against it (empty: plaintext)");
ABSL_FLAG(std::string, tls_cert, "", "PEM client certificate for mutual TLS (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, token_file, "",
          "File holding the bearer token sent on every call (needs --tls_ca)");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name the server's certificate must carry, when not the target's host");

namespace df::client {

df::server::ClientSecurityFiles SecurityFilesFromFlags() {
  df::server::ClientSecurityFiles files;
  files.ca = absl::GetFlag(FLAGS_tls_ca);
  files.cert = absl::GetFlag(FLAGS_tls_cert);
  files.key = absl::GetFlag(FLAGS_tls_key);
  files.token = absl::GetFlag(FLAGS_token_file);
  files.server_name = absl::GetFlag(FLAGS_tls_server_name);
  return files;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags(
    const std::string& target, const grpc::ChannelArguments& arguments) {
  return df::server::OpenChannel(target, SecurityFilesFromFlags(), arguments);
}

}  // namespace df::client
