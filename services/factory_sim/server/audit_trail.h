// AuditTrail: the durable record of what a student did in a session — lever
// changes, their consequences, and the rationale typed in defence of a choice.
//
// Storage: one append-only file per session, `<dir>/<session_id>.audit`, holding
// length-prefixed serialized AuditEntry records (4-byte little-endian length, then
// the bytes). Every append is written and fsync'd before it is acknowledged, and
// Open() reloads all sessions, so a restart loses nothing that was acknowledged.
// A torn record at the end of a file (a crash mid-write) is cut off at load.
//
// Bounds (AuditTrailLimits): at most max_sessions sessions, max_entries_per_session
// entries in one session and max_queued_writes appends waiting for the disk.
// Past any of them Append() reports RESOURCE_EXHAUSTED naming the limit. Sessions
// already on disk are always reloaded in full; the limits only refuse new appends.
// Reads are paged (EntriesPage) so no caller has to copy a whole long session.
//
// Usage:
//   auto trail = AuditTrail::Open("/var/lib/factory-sim/audit");
//   (*trail)->Append("alice", entry, [](absl::StatusOr<AuditEntry> stored) { ... });
//   std::vector<AuditEntry> entries = (*trail)->Entries("alice");
//   AuditPage page = (*trail)->EntriesPage("alice", /*after_sequence=*/0, 100, 1 << 20);
//
// Thread-safety: all methods may be called from any thread. Writes happen on one
// background thread, in the order Append() was called, so a caller on a gRPC
// reaction never blocks on the disk; `done` runs on that thread.
//
// Failure: Open() fails if the directory cannot be created or a file cannot be
// read; Append() reports INVALID_ARGUMENT for a bad session id, RESOURCE_EXHAUSTED
// past a limit and INTERNAL for a failed write (the entry is then not in the trail).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

using AuditEntry = ::datafactory::factory::v1::AuditEntry;

// Session ids name files: 1..64 characters of [A-Za-z0-9_-].
[[nodiscard]] absl::Status ValidateSessionId(absl::string_view session_id);

struct AuditTrailLimits {
  size_t max_sessions = 10000;
  size_t max_entries_per_session = 10000;
  size_t max_queued_writes = 1024;
};

// One page of a session's trail, oldest first.
struct AuditPage {
  std::vector<AuditEntry> entries;
  // The sequence of the last entry returned when more follow, else nullopt.
  std::optional<int64_t> next_after_sequence;
};

class AuditTrail {
 public:
  using Done = std::function<void(absl::StatusOr<AuditEntry>)>;

  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      std::string dir, AuditTrailLimits limits = {});

  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;
  // Writes everything queued, then stops the writer thread.
  ~AuditTrail();

  // Stamps `entry` with the session's next sequence number and the time, stores it
  // durably and then calls `done` with the stored entry (or the error).
  void Append(std::string session_id, AuditEntry entry, Done done);

  // The acknowledged entries of a session, oldest first (empty if none).
  std::vector<AuditEntry> Entries(absl::string_view session_id) const;

  // Up to `max_entries` acknowledged entries with sequence > `after_sequence`,
  // oldest first, stopping early once they total `max_bytes` serialized (a page
  // always holds at least one entry when any remain).
  AuditPage EntriesPage(absl::string_view session_id, int64_t after_sequence, size_t max_entries,
                        size_t max_bytes) const;

  // The levers most recently recorded in a session (lever entries or rationales).
  std::optional<::datafactory::factory::v1::Levers> LatestLevers(
      absl::string_view session_id) const;

  size_t session_count() const;

 private:
  struct Pending {
    std::string session_id;
    AuditEntry entry;
    Done done;
  };

  AuditTrail(std::string dir, AuditTrailLimits limits);
  absl::Status AdmitLocked(const std::string& session_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status LoadAll();
  absl::Status LoadFile(const std::string& path, const std::string& session_id);
  void WriterLoop();
  absl::StatusOr<AuditEntry> Store(const std::string& session_id, AuditEntry entry);

  const std::string dir_;
  const AuditTrailLimits limits_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::vector<AuditEntry>> sessions_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, int64_t> next_sequence_ ABSL_GUARDED_BY(mu_);
  // Entries per session counting those still queued: what the limits are checked on.
  absl::flat_hash_map<std::string, size_t> admitted_ ABSL_GUARDED_BY(mu_);
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_
