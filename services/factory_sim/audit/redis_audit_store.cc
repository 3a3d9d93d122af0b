#include "services/factory_sim/audit/redis_audit_store.h"

#include <limits>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace df::factory {
namespace {

using df::storage::CheckRedisDurability;
using df::storage::RedisConnection;
using df::storage::RedisReply;
using df::storage::ReplyText;

constexpr absl::Duration kTimeout = absl::Seconds(2);
constexpr size_t kMaxIdleConnections = 8;
constexpr char kSessionsKey[] = "datafactory:audit:sessions";

std::string SessionKey(absl::string_view session_id) {
  return absl::StrCat("datafactory:audit:session:", session_id);
}
std::string EntriesKey(absl::string_view session_id) {
  return absl::StrCat("datafactory:audit:entries:", session_id);
}
std::string StreamId(int64_t sequence) { return absl::StrCat(sequence, "-0"); }

// KEYS: sessions, session hash, entries stream. ARGV: session id, record, content
// bytes, has levers (0/1), max sessions, max entries, max session bytes.
// Returns the sequence stored, or {cap, current value} when a cap refuses it.
constexpr char kAppendScript[] = R"lua(
local s = redis.call('HMGET', KEYS[2], 'next', 'count', 'bytes')
local next, count, bytes = tonumber(s[1]), tonumber(s[2]), tonumber(s[3])
if not next then
  if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 and
     redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[5]) then
    return {'sessions', 0}
  end
  next, count, bytes = 1, 0, 0
end
local top = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #top > 0 then
  local last = tonumber(string.match(top[1][1], '^(%d+)'))
  if last >= next then next = last + 1 end
end
if count >= tonumber(ARGV[6]) then return {'entries', count} end
local size = tonumber(ARGV[3])
if bytes + size > tonumber(ARGV[7]) then return {'bytes', bytes} end
redis.call('XADD', KEYS[3], next .. '-0', 'r', ARGV[2])
redis.call('HSET', KEYS[2], 'next', next + 1, 'count', count + 1, 'bytes', bytes + size)
if ARGV[4] == '1' then redis.call('HSET', KEYS[2], 'levers', next) end
redis.call('SADD', KEYS[1], ARGV[1])
return next
)lua";

// KEYS as above. ARGV: session id, next sequence, then per entry: sequence,
// record, content bytes, has levers.
constexpr char kImportScript[] = R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then
  return 'exists'
end
local count, bytes, levers = 0, 0, 0
for i = 3, #ARGV, 4 do
  redis.call('XADD', KEYS[3], ARGV[i] .. '-0', 'r', ARGV[i + 1])
  count = count + 1
  bytes = bytes + tonumber(ARGV[i + 2])
  if ARGV[i + 3] == '1' then levers = tonumber(ARGV[i]) end
end
redis.call('HSET', KEYS[2], 'next', ARGV[2], 'count', count, 'bytes', bytes, 'levers', levers)
redis.call('SADD', KEYS[1], ARGV[1])
return 'ok'
)lua";

// The sequence of a stream id "<sequence>-0".
std::optional<int64_t> SequenceOf(absl::string_view id) {
  int64_t sequence = 0;
  const size_t dash = id.find('-');
  if (dash == absl::string_view::npos || !absl::SimpleAtoi(id.substr(0, dash), &sequence)) {
    return std::nullopt;
  }
  return sequence;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisAuditStore>> RedisAuditStore::Open(std::string host, int port,
                                                                       AuditLimits limits) {
  std::unique_ptr<RedisAuditStore> store(new RedisAuditStore(std::move(host), port, limits));
  auto redis = store->pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<std::vector<std::string>> notes = CheckRedisDurability(*redis);
  if (!notes.ok()) return notes.status();
  store->notes_ = *std::move(notes);
  return store;
}

RedisAuditStore::RedisAuditStore(std::string host, int port, AuditLimits limits)
    : host_(std::move(host)),
      port_(port),
      location_(absl::StrCat("redis://", host_, ":", port_)),
      limits_(limits),
      pool_(
          kMaxIdleConnections,
          [this] {
            return RedisConnection::Connect(host_, port_, absl::StrCat("audit store ", location_),
                                            kTimeout);
          },
          [](const RedisConnection& connection) { return !connection.broken(); }) {}

absl::Status RedisAuditStore::Damaged(absl::string_view session_id, int64_t sequence,
                                      const absl::Status& why) const {
  return absl::DataLossError(absl::StrCat("audit store ", location_, ": session '", session_id,
                                          "' entry ", sequence, " is damaged: ", why.message(),
                                          "; the entries after it are still readable (read on "
                                          "after sequence ",
                                          sequence, ", GetAuditTrail page_token \"", sequence,
                                          "\")"));
}

std::vector<absl::StatusOr<AuditEntry>> RedisAuditStore::Append(std::vector<AuditAppend> appends) {
  std::vector<absl::StatusOr<AuditEntry>> results(appends.size(), absl::UnknownError(""));
  std::vector<std::vector<std::string>> commands;
  std::vector<size_t> sent;  // index in `appends` of each command
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  for (size_t i = 0; i < appends.size(); ++i) {
    AuditAppend& append = appends[i];
    const size_t bytes = AuditContentBytes(append.entry);
    if (absl::Status s = CheckEntryBytes(limits_, bytes); !s.ok()) {
      results[i] = s;
      continue;
    }
    append.entry.set_unix_micros(now_micros);
    commands.push_back({"EVAL", kAppendScript, "3", kSessionsKey, SessionKey(append.session_id),
                        EntriesKey(append.session_id), append.session_id,
                        EncodeAuditRecord(append.entry), absl::StrCat(bytes),
                        LeversOf(append.entry) ? "1" : "0", absl::StrCat(limits_.max_sessions),
                        absl::StrCat(limits_.max_entries_per_session),
                        absl::StrCat(limits_.max_session_bytes)});
    sent.push_back(i);
  }
  if (commands.empty()) return results;
  auto redis = pool_.Acquire();
  absl::StatusOr<std::vector<RedisReply>> replies =
      redis.status().ok() ? redis->Pipeline(commands) : redis.status();
  for (size_t k = 0; k < sent.size(); ++k) {
    const size_t i = sent[k];
    if (!replies.ok()) {
      results[i] = replies.status();
      continue;
    }
    const redisReply& reply = *(*replies)[k];
    AuditAppend& append = appends[i];
    if (reply.type == REDIS_REPLY_INTEGER) {
      append.entry.set_sequence(reply.integer);
      results[i] = std::move(append.entry);
    } else if (reply.type == REDIS_REPLY_ARRAY && reply.elements == 2) {
      const absl::string_view cap = ReplyText(*reply.element[0]);
      const auto current = static_cast<size_t>(reply.element[1]->integer);
      const size_t bytes = AuditContentBytes(append.entry);
      results[i] = cap == "sessions" ? SessionsFull(limits_, append.session_id)
                   : cap == "entries"
                       ? CheckSessionRoom(limits_, append.session_id, current, 0, 0)
                       : CheckSessionRoom(limits_, append.session_id, 0, current, bytes);
    } else {
      results[i] = redis->ReplyError("appending an entry", reply);
    }
  }
  return results;
}

absl::StatusOr<AuditPage> RedisAuditStore::Page(absl::string_view session_id,
                                                int64_t after_sequence, size_t max_entries,
                                                size_t max_bytes) const {
  max_entries = std::max<size_t>(max_entries, 1);
  if (after_sequence == std::numeric_limits<int64_t>::max()) return AuditPage{};
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<RedisReply> reply =
      redis->Command({"XRANGE", EntriesKey(session_id), StreamId(after_sequence + 1), "+", "COUNT",
                      absl::StrCat(max_entries + 1)});
  if (!reply.ok()) return reply.status();
  if ((*reply)->type != REDIS_REPLY_ARRAY) return redis->ReplyError("reading a page", **reply);
  AuditPage page;
  size_t bytes = 0;
  for (size_t i = 0; i < (*reply)->elements; ++i) {
    if (page.entries.size() == max_entries) break;
    const redisReply& item = *(*reply)->element[i];
    std::optional<int64_t> sequence;
    absl::StatusOr<AuditEntry> entry = absl::DataLossError("stream entry is not [id, [r, record]]");
    if (item.type == REDIS_REPLY_ARRAY && item.elements == 2) {
      sequence = SequenceOf(ReplyText(*item.element[0]));
      const redisReply& fields = *item.element[1];
      if (sequence && fields.type == REDIS_REPLY_ARRAY && fields.elements == 2 &&
          ReplyText(*fields.element[0]) == "r") {
        entry = ParseAuditRecord(ReplyText(*fields.element[1]), *sequence);
      }
    }
    if (!entry.ok()) {
      if (page.entries.empty())
        return Damaged(session_id, sequence.value_or(after_sequence + 1), entry.status());
      break;  // the damaged entry is reported by the next page
    }
    const size_t size = entry->ByteSizeLong();
    if (!page.entries.empty() && bytes + size > max_bytes) break;
    bytes += size;
    page.entries.push_back(*std::move(entry));
  }
  if (page.entries.size() < (*reply)->elements && !page.entries.empty()) {
    page.next_after_sequence = page.entries.back().sequence();
  }
  return page;
}

absl::StatusOr<std::optional<AuditLevers>> RedisAuditStore::LatestLevers(
    absl::string_view session_id) const {
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<RedisReply> levers = redis->Command({"HGET", SessionKey(session_id), "levers"});
  if (!levers.ok()) return levers.status();
  int64_t sequence = 0;
  if ((*levers)->type == REDIS_REPLY_NIL || !absl::SimpleAtoi(ReplyText(**levers), &sequence) ||
      sequence <= 0) {
    return std::nullopt;
  }
  absl::StatusOr<RedisReply> item =
      redis->Command({"XRANGE", EntriesKey(session_id), StreamId(sequence), StreamId(sequence)});
  if (!item.ok()) return item.status();
  const redisReply& r = **item;
  absl::StatusOr<AuditEntry> entry = absl::DataLossError("the entry is missing");
  if (r.type == REDIS_REPLY_ARRAY && r.elements == 1 && r.element[0]->elements == 2 &&
      r.element[0]->element[1]->elements == 2) {
    entry = ParseAuditRecord(ReplyText(*r.element[0]->element[1]->element[1]), sequence);
  }
  if (!entry.ok()) return Damaged(session_id, sequence, entry.status());
  return LeversOf(*entry);
}

absl::StatusOr<size_t> RedisAuditStore::SessionCount() const {
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<RedisReply> count = redis->Command({"SCARD", kSessionsKey});
  if (!count.ok()) return count.status();
  if ((*count)->type != REDIS_REPLY_INTEGER) return redis->ReplyError("counting sessions", **count);
  return static_cast<size_t>((*count)->integer);
}

absl::Status RedisAuditStore::Import(absl::string_view session_id,
                                     const std::vector<AuditEntry>& entries,
                                     int64_t next_sequence) {
  std::vector<std::string> command = {"EVAL",
                                      kImportScript,
                                      "3",
                                      kSessionsKey,
                                      SessionKey(session_id),
                                      EntriesKey(session_id),
                                      std::string(session_id),
                                      absl::StrCat(next_sequence)};
  for (const AuditEntry& entry : entries) {
    command.push_back(absl::StrCat(entry.sequence()));
    command.push_back(EncodeAuditRecord(entry));
    command.push_back(absl::StrCat(AuditContentBytes(entry)));
    command.push_back(LeversOf(entry) ? "1" : "0");
  }
  auto redis = pool_.Acquire();
  if (!redis.status().ok()) return redis.status();
  absl::StatusOr<RedisReply> reply = redis->Command(command);
  if (!reply.ok()) return reply.status();
  if (ReplyText(**reply) == "exists") {
    return absl::AlreadyExistsError(
        absl::StrCat("audit store ", location_, " already holds session '", session_id, "'"));
  }
  if ((*reply)->type == REDIS_REPLY_ERROR) return redis->ReplyError("importing a session", **reply);
  return absl::OkStatus();
}

}  // namespace df::factory
