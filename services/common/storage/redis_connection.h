// RedisConnection: one hiredis connection with timeouts, commands as argument
// vectors (binary-safe), pipelines sent in one round trip, and failures as
// absl::Status naming the server as the caller describes it (`location`, e.g.
// "audit store redis://10.0.0.5:6379": "audit store redis://10.0.0.5:6379: cannot connect: ...").
//
// Usage:
//   auto redis = RedisConnection::Connect("127.0.0.1", 6379, "audit store redis://127.0.0.1:6379",
//                                         timeout);
//   absl::StatusOr<RedisReply> pong = (*redis)->Command({"PING"});
//   absl::StatusOr<std::vector<RedisReply>> replies = (*redis)->Pipeline({{"GET", "a"}, ...});
//
// Thread-safety: one thread at a time. Failure: a connection or I/O error is
// UNAVAILABLE and leaves the connection broken() (reconnect by making a new one);
// an error reply from the server is a reply (REDIS_REPLY_ERROR), for the caller
// to interpret (ReplyError turns one into INTERNAL).
#ifndef DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_CONNECTION_H_
#define DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_CONNECTION_H_

#include <hiredis/hiredis.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace df::storage {

struct RedisReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

// The bytes of a string, status or error reply ("" for other types).
absl::string_view ReplyText(const redisReply& reply);

class RedisConnection {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RedisConnection>> Connect(
      const std::string& host, int port, std::string location, absl::Duration timeout);
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;
  ~RedisConnection() { redisFree(context_); }

  [[nodiscard]] absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);
  [[nodiscard]] absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // INTERNAL naming what was done and the server's error text.
  [[nodiscard]] absl::Status ReplyError(absl::string_view what, const redisReply& reply) const;
  bool broken() const { return context_->err != 0; }
  const std::string& location() const { return location_; }

 private:
  RedisConnection(redisContext* context, std::string location)
      : context_(context), location_(std::move(location)) {}
  absl::Status Broken(absl::string_view what) const;

  redisContext* context_;
  const std::string location_;
};

// Checks that the server fsyncs every write before it answers (appendonly yes,
// appendfsync always), as a store that acknowledges durable writes needs. OK with
// notes worth a log line when the settings cannot be read (CONFIG refused);
// FAILED_PRECONDITION naming the settings when they are weaker; UNAVAILABLE or
// INTERNAL when the server cannot be asked.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> CheckRedisDurability(RedisConnection& redis);

}  // namespace df::storage

#endif  // DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_CONNECTION_H_
