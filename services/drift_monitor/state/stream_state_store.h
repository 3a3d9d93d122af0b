// StreamStateStore: where drift-monitor keeps each stream's durable state
// (core/stream_snapshot.h) across restarts, one record (core/stream_state_record.h)
// per stream. Two implementations: a directory of files (file_stream_state_store.h,
// --state_dir) and a Redis server shared by replicas (redis_stream_state_store.h,
// --state_redis).
//
// Usage:
//   absl::StatusOr<std::unique_ptr<StreamStateStore>> store = OpenStreamStateStore(spec);
//   absl::StatusOr<LoadedStreamStates> loaded = (*store)->LoadAll();   // at start
//   for (const DamagedStreamState& d : loaded->damaged) log(d.where, d.reason);
//   (*store)->Save(snapshot);  (*store)->Remove("door-7");             // later
//
// Thread-safety: an implementation may be called from one thread at a time (the
// StreamStateWriter's). Failure: I/O errors are absl::Status naming the store and
// the path or key; a damaged record is never an error of LoadAll: it is reported in
// `damaged`, moved aside (never deleted) and left out, so that stream starts fresh.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_STREAM_STATE_STORE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_STREAM_STATE_STORE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/stream_snapshot.h"

namespace df::drift {

struct DamagedStreamState {
  std::string where;     // the file's path or the Redis key, as it was found
  std::string moved_to;  // where it was set aside ("" if it could not be moved)
  std::string reason;    // what is wrong with it
};

struct LoadedStreamStates {
  std::vector<StreamSnapshot> streams;  // sorted by stream id
  std::vector<DamagedStreamState> damaged;
};

class StreamStateStore {
 public:
  virtual ~StreamStateStore() = default;
  // "state dir /var/lib/drift", "state store redis://10.0.0.5:6379": for messages.
  virtual const std::string& location() const = 0;
  // Replaces the stream's record (atomically: a reader sees the old or the new one).
  [[nodiscard]] virtual absl::Status Save(const StreamSnapshot& snapshot) = 0;
  // Removes the stream's record, if any (a shared store: only one this process
  // saved and nobody replaced since).
  [[nodiscard]] virtual absl::Status Remove(const std::string& stream_id) = 0;
  [[nodiscard]] virtual absl::StatusOr<LoadedStreamStates> LoadAll() = 0;
};

// The stream a stored record holds, checked as a restart would use it: parsed
// (checksum, format, ranges), stored under its own id (`stored_as`) and restorable
// into a detector. DATA_LOSS or INVALID_ARGUMENT saying what is wrong.
[[nodiscard]] absl::StatusOr<StreamSnapshot> ReadStreamStateRecord(std::string_view record,
                                                                   std::string_view stored_as);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_STREAM_STATE_STORE_H_
