#include "services/common/storage/redis_url.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace df::storage {

std::string RedisUrl::ToString() const { return absl::StrCat("redis://", host, ":", port); }

absl::StatusOr<RedisUrl> ParseRedisUrl(absl::string_view url) {
  if (!absl::ConsumePrefix(&url, "redis://")) {
    return absl::InvalidArgumentError("is not of the form redis://HOST[:PORT]");
  }
  absl::ConsumeSuffix(&url, "/");
  RedisUrl parsed;
  const size_t colon = url.rfind(':');
  parsed.host = std::string(url.substr(0, colon));
  if (colon != absl::string_view::npos && (!absl::SimpleAtoi(url.substr(colon + 1), &parsed.port) ||
                                           parsed.port < 1 || parsed.port > 65535)) {
    return absl::InvalidArgumentError("has a port outside 1..65535");
  }
  if (parsed.host.empty() || absl::StrContains(parsed.host, '/')) {
    return absl::InvalidArgumentError("names no host");
  }
  return parsed;
}

}  // namespace df::storage
