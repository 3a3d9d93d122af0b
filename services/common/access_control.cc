#include "services/common/access_control.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/transport_security.h"

namespace df::server {
namespace {

constexpr size_t kMinTokenChars = 16;
constexpr size_t kMaxTokenChars = 4096;
constexpr absl::string_view kBearer = "Bearer ";

}  // namespace

absl::StatusOr<AccessControl> AccessControl::WithToken(std::string token) {
  if (token.size() < kMinTokenChars || token.size() > kMaxTokenChars) {
    return absl::InvalidArgumentError(absl::StrCat("the bearer token must be ", kMinTokenChars,
                                                   "..", kMaxTokenChars, " characters, got ",
                                                   token.size()));
  }
  for (const char c : token) {
    if (c <= ' ' || c > '~') {
      return absl::InvalidArgumentError(
          "the bearer token must be printable ASCII without spaces (it travels in a header)");
    }
  }
  return AccessControl(std::move(token));
}

absl::Status AccessControl::AuthorizeChange(const grpc::ServerContextBase& context,
                                            absl::string_view call) const {
  if (token_.empty()) return absl::OkStatus();
  return AuthorizeChange(context.client_metadata(), call);
}

absl::Status AccessControl::AuthorizeChange(
    const std::multimap<grpc::string_ref, grpc::string_ref>& client_metadata,
    absl::string_view call) const {
  if (token_.empty()) return absl::OkStatus();
  const auto found = client_metadata.find("authorization");
  if (found == client_metadata.end()) {
    return absl::UnauthenticatedError(
        absl::StrCat(call,
                     " changes state and needs a bearer token: send the metadata "
                     "'authorization: Bearer <token>' (the clients' --token_file)"));
  }
  const absl::string_view value(found->second.data(), found->second.size());
  if (!absl::StartsWith(value, kBearer)) {
    return absl::UnauthenticatedError(
        absl::StrCat(call, ": the authorization metadata must be 'Bearer <token>'"));
  }
  if (!SecretsEqual(value.substr(kBearer.size()), token_)) {
    return absl::PermissionDeniedError(
        absl::StrCat(call, ": the bearer token is not the one this server accepts"));
  }
  return absl::OkStatus();
}

}  // namespace df::server
