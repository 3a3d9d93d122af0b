// RedisStreamStateStore: each stream's state as one value of a Redis server
// (drift-monitor --state_redis=redis://HOST:PORT), shared by the replicas that use
// the same server: key `df:drift:state:<stream id>`, value the record of
// core/stream_state_record.h. A SET replaces a value atomically. A damaged value
// is renamed to `df:drift:state-damaged:<stream id>:<unix nanoseconds>` (never
// deleted) and reported. Like the audit store, the server must fsync every write
// (appendonly yes, appendfsync always); Open checks it.
//
// Replicas share the keys: Remove (a stream expired here) deletes a record only
// while it is still the one this process last saved for the stream (compared by
// the record's length and checksum, atomically in a Lua script), so a replica never
// removes what another has saved since; records it only loaded are never removed.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<RedisStreamStateStore>> store =
//       RedisStreamStateStore::Open({"10.0.0.5", 6379});
//
// Thread-safety: one thread at a time. Failure: Open fails naming the server when it
// cannot be reached or does not fsync its writes; Save, Remove and LoadAll return
// UNAVAILABLE (connection) or INTERNAL (an error reply) naming it. A broken
// connection is made again on the next call.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_REDIS_STREAM_STATE_STORE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_REDIS_STREAM_STATE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "services/common/storage/connection_pool.h"
#include "services/common/storage/redis_connection.h"
#include "services/common/storage/redis_url.h"
#include "services/drift_monitor/state/stream_state_store.h"

namespace df::drift {

inline constexpr absl::string_view kStateKeyPrefix = "df:drift:state:";
inline constexpr absl::string_view kDamagedStateKeyPrefix = "df:drift:state-damaged:";

class RedisStreamStateStore final : public StreamStateStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RedisStreamStateStore>> Open(
      const df::storage::RedisUrl& url);

  const std::string& location() const override { return location_; }
  [[nodiscard]] absl::Status Save(const StreamSnapshot& snapshot) override;
  [[nodiscard]] absl::Status Remove(const std::string& stream_id) override;
  [[nodiscard]] absl::StatusOr<LoadedStreamStates> LoadAll() override;
  // Lines worth logging from Open (durability settings that could not be read).
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  explicit RedisStreamStateStore(df::storage::RedisUrl url);
  // The keys of every stored stream, by SCAN.
  absl::StatusOr<std::vector<std::string>> Keys(df::storage::RedisConnection& redis);

  // Per stream id, the length and checksum bytes of the record this process last
  // saved (what Remove may delete).
  absl::flat_hash_map<std::string, std::string> saved_;
  const df::storage::RedisUrl url_;
  const std::string location_;
  df::storage::ConnectionPool<df::storage::RedisConnection> pool_;
  std::vector<std::string> notes_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_REDIS_STREAM_STATE_STORE_H_
