// RedisUrl: where a Redis server is, from the redis://HOST[:PORT] form the services'
// flags take (--audit_store, --state_redis). The port defaults to 6379; a trailing
// slash is allowed.
//
// Usage:
//   absl::StatusOr<RedisUrl> url = ParseRedisUrl("redis://10.0.0.5:6380");
//   RedisConnection::Connect(url->host, url->port, "state store " + url->ToString(), timeout);
//
// Thread-safety: pure. Failure: INVALID_ARGUMENT saying what is wrong ("is not
// redis://...", "names no host", "has a port outside 1..65535"); the caller adds
// the flag's name and value.
#ifndef DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_URL_H_
#define DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::storage {

inline constexpr int kDefaultRedisPort = 6379;

struct RedisUrl {
  std::string host;
  int port = kDefaultRedisPort;
  // redis://HOST:PORT
  [[nodiscard]] std::string ToString() const;
};

[[nodiscard]] absl::StatusOr<RedisUrl> ParseRedisUrl(absl::string_view url);

}  // namespace df::storage

#endif  // DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_URL_H_
