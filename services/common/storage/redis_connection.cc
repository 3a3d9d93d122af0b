#include "services/common/storage/redis_connection.h"

#include <sys/time.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace df::storage {

absl::string_view ReplyText(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_STRING && reply.type != REDIS_REPLY_STATUS &&
      reply.type != REDIS_REPLY_ERROR) {
    return {};
  }
  return {reply.str, reply.len};
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Connect(const std::string& host,
                                                                          int port,
                                                                          std::string location,
                                                                          absl::Duration timeout) {
  const timeval tv = absl::ToTimeval(timeout);
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, tv);
  if (context == nullptr) {
    return absl::UnavailableError(absl::StrCat(location, ": cannot connect"));
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context, std::move(location)));
  if (context->err != 0) return connection->Broken("cannot connect");
  if (redisSetTimeout(context, tv) != REDIS_OK) return connection->Broken("cannot set a timeout");
  return connection;
}

absl::Status RedisConnection::Broken(absl::string_view what) const {
  return absl::UnavailableError(absl::StrCat(location_, ": ", what, ": ", context_->errstr));
}

absl::Status RedisConnection::ReplyError(absl::string_view what, const redisReply& reply) const {
  return absl::InternalError(absl::StrCat(location_, ": ", what, ": ", ReplyText(reply)));
}

absl::StatusOr<RedisReply> RedisConnection::Command(const std::vector<std::string>& args) {
  absl::StatusOr<std::vector<RedisReply>> replies = Pipeline({args});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<RedisReply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (broken()) return Broken("connection lost");
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::vector<std::string>& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      return Broken("sending a command");
    }
  }
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    if (redisGetReply(context_, &reply) != REDIS_OK || reply == nullptr) {
      return Broken("reading a reply");
    }
    replies.emplace_back(static_cast<redisReply*>(reply));
  }
  return replies;
}

absl::StatusOr<std::vector<std::string>> CheckRedisDurability(RedisConnection& redis) {
  absl::StatusOr<std::vector<RedisReply>> config =
      redis.Pipeline({{"PING"}, {"CONFIG", "GET", "appendonly"}, {"CONFIG", "GET", "appendfsync"}});
  if (!config.ok()) return config.status();
  if ((*config)[0]->type == REDIS_REPLY_ERROR) return redis.ReplyError("PING", *(*config)[0]);
  std::string settings[2];
  for (int i = 0; i < 2; ++i) {
    const redisReply& reply = *(*config)[static_cast<size_t>(i) + 1];
    if (reply.type == REDIS_REPLY_ARRAY && reply.elements == 2) {
      settings[i] = std::string(ReplyText(*reply.element[1]));
    }
  }
  std::vector<std::string> notes;
  if (settings[0].empty() || settings[1].empty()) {
    notes.push_back(absl::StrCat(redis.location(),
                                 ": durability settings could not be read (CONFIG GET refused); "
                                 "writes are durable only if the server runs with appendonly yes "
                                 "and appendfsync always"));
  } else if (settings[0] != "yes" || settings[1] != "always") {
    return absl::FailedPreconditionError(absl::StrCat(
        redis.location(), " runs with appendonly ", settings[0], " and appendfsync ", settings[1],
        ": an acknowledged write could be lost in a crash; start redis-server with "
        "--appendonly yes --appendfsync always"));
  }
  return notes;
}

}  // namespace df::storage
