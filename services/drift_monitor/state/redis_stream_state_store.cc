#include "services/drift_monitor/state/redis_stream_state_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/drift_monitor/core/stream_state_record.h"

namespace df::drift {
namespace {

using df::storage::RedisConnection;
using df::storage::RedisReply;
using df::storage::ReplyText;

constexpr absl::Duration kTimeout = absl::Seconds(5);
// DEL the key only if its value still has the fingerprint ARGV[1] (Lua strings
// count from 1, both ends included).
const std::string& DeleteIfUnchangedScript() {
  static const std::string* script = new std::string(
      absl::StrCat("local v = redis.call('GET', KEYS[1]) if v and string.sub(v, ",
                   kStreamStateFingerprintOffset + 1, ", ",
                   kStreamStateFingerprintOffset + kStreamStateFingerprintBytes,
                   ") == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"));
  return *script;
}

std::string KeyOf(std::string_view stream_id) {
  return absl::StrCat(std::string(kStateKeyPrefix), std::string(stream_id));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisStreamStateStore>> RedisStreamStateStore::Open(
    const df::storage::RedisUrl& url) {
  std::unique_ptr<RedisStreamStateStore> store(new RedisStreamStateStore(url));
  auto redis = store->pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<std::vector<std::string>> notes = df::storage::CheckRedisDurability(*redis);
  if (!notes.ok()) return notes.status();
  store->notes_ = *std::move(notes);
  return store;
}

RedisStreamStateStore::RedisStreamStateStore(df::storage::RedisUrl url)
    : url_(std::move(url)),
      location_(absl::StrCat("state store ", url_.ToString())),
      pool_(
          1, [this] { return RedisConnection::Connect(url_.host, url_.port, location_, kTimeout); },
          [](const RedisConnection& connection) { return !connection.broken(); }) {}

absl::Status RedisStreamStateStore::Save(const StreamSnapshot& snapshot) {
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  std::string record = SerializeStreamStateRecord(snapshot);
  std::string fingerprint =
      record.substr(kStreamStateFingerprintOffset, kStreamStateFingerprintBytes);
  absl::StatusOr<RedisReply> reply =
      redis->Command({"SET", KeyOf(snapshot.stream_id), std::move(record)});
  if (!reply.ok()) return reply.status();
  if ((*reply)->type == REDIS_REPLY_ERROR) return redis->ReplyError("SET", **reply);
  saved_[snapshot.stream_id] = std::move(fingerprint);
  return absl::OkStatus();
}

absl::Status RedisStreamStateStore::Remove(const std::string& stream_id) {
  auto saved = saved_.find(stream_id);
  if (saved == saved_.end()) return absl::OkStatus();  // not ours to remove
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<RedisReply> reply =
      redis->Command({"EVAL", DeleteIfUnchangedScript(), "1", KeyOf(stream_id), saved->second});
  if (!reply.ok()) return reply.status();
  if ((*reply)->type == REDIS_REPLY_ERROR) return redis->ReplyError("EVAL (delete)", **reply);
  saved_.erase(saved);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> RedisStreamStateStore::Keys(RedisConnection& redis) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    absl::StatusOr<RedisReply> reply = redis.Command(
        {"SCAN", cursor, "MATCH", absl::StrCat(std::string(kStateKeyPrefix), "*"), "COUNT", "500"});
    if (!reply.ok()) return reply.status();
    const redisReply& r = **reply;
    if (r.type == REDIS_REPLY_ERROR) return redis.ReplyError("SCAN", r);
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 2 || r.element[1]->type != REDIS_REPLY_ARRAY) {
      return absl::InternalError(absl::StrCat(location_, ": SCAN: unexpected reply"));
    }
    cursor = std::string(ReplyText(*r.element[0]));
    for (size_t i = 0; i < r.element[1]->elements; ++i) {
      keys.emplace_back(ReplyText(*r.element[1]->element[i]));
    }
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());  // SCAN may repeat one
  return keys;
}

absl::StatusOr<LoadedStreamStates> RedisStreamStateStore::LoadAll() {
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<std::vector<std::string>> keys = Keys(*redis);
  if (!keys.ok()) return keys.status();
  LoadedStreamStates loaded;
  for (const std::string& key : *keys) {
    absl::StatusOr<RedisReply> value = redis->Command({"GET", key});
    if (!value.ok()) return value.status();
    if ((*value)->type == REDIS_REPLY_NIL) continue;  // removed meanwhile (another replica)
    const std::string_view stored_as = std::string_view(key).substr(kStateKeyPrefix.size());
    absl::StatusOr<StreamSnapshot> snapshot =
        (*value)->type == REDIS_REPLY_STRING
            ? ReadStreamStateRecord({(*value)->str, (*value)->len}, stored_as)
            : absl::DataLossError("the key does not hold a string");
    if (snapshot.ok()) {
      loaded.streams.push_back(*std::move(snapshot));
      continue;
    }
    DamagedStreamState& damaged = loaded.damaged.emplace_back();
    damaged.where = absl::StrCat(url_.ToString(), " key ", key);
    damaged.reason = std::string(snapshot.status().message());
    const std::string aside =
        absl::StrCat(std::string(kDamagedStateKeyPrefix), std::string(stored_as), ":",
                     absl::ToUnixNanos(absl::Now()));
    absl::StatusOr<RedisReply> renamed = redis->Command({"RENAMENX", key, aside});
    if (renamed.ok() && (*renamed)->type == REDIS_REPLY_INTEGER && (*renamed)->integer == 1) {
      damaged.moved_to = absl::StrCat(url_.ToString(), " key ", aside);
    }
  }
  return loaded;
}

}  // namespace df::drift
