// AuditStore: where the audit trail's entries live — one interface, two
// implementations: SQLite (sqlite_audit_store.h, embedded, the default) and Redis
// (redis_audit_store.h, shared by replicas). audit_store_spec.h opens either from
// the --audit_store flag.
//
// The contract every store keeps:
// - Append stores each entry durably before it returns (SQLite: a WAL commit with
//   synchronous=FULL; Redis: a server running appendonly with appendfsync always),
//   stamping the session's next sequence number (1, 2, ... per session, assigned
//   atomically, never reused, also across restarts and replicas) and the time.
// - Entries are read a page at a time from the store, so memory does not grow with
//   the number of entries; each record is checked (audit_record.h) and a damaged one
//   is DATA_LOSS naming the store, the session and the sequence, never a silently
//   wrong or missing entry.
// - The caps of AuditLimits are checked inside the store, atomically with the write,
//   so replicas sharing a store share its caps: past one, that append is
//   RESOURCE_EXHAUSTED naming the cap, and the others of the batch go on.
//
// Usage:
//   std::unique_ptr<AuditStore> store = ...;   // OpenAuditStore(spec, limits)
//   std::vector<AuditAppend> batch;
//   batch.push_back({"alice", entry});
//   std::vector<absl::StatusOr<AuditEntry>> stored = store->Append(std::move(batch));
//   absl::StatusOr<AuditPage> page = store->Page("alice", /*after_sequence=*/0, 100, 1 << 20);
//
// Thread-safety: Append and Import are called from one thread at a time (the
// trail's writer); Page, LatestLevers and SessionCount from any thread, also while
// an append runs. Failure: every error message starts with the store's location
// ("audit store sqlite:/var/lib/x/audit.db: ..."); DATA_LOSS for damaged data,
// FAILED_PRECONDITION when the store refuses writes because damage was found,
// UNAVAILABLE when it cannot be reached or is busy, INTERNAL for other I/O errors.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/factory_sim/audit/audit_record.h"

namespace df::factory {

// Session ids are keys and file names: 1..64 characters of [A-Za-z0-9_-].
[[nodiscard]] absl::Status ValidateSessionId(absl::string_view session_id);

// Caps on what clients can make the trail hold; the flags of the same names
// (--max_audit_sessions, ...) set them.
struct AuditLimits {
  size_t max_sessions = 10000;
  size_t max_entries_per_session = 10000;
  size_t max_entry_bytes = size_t{64} * 1024;           // AuditContentBytes of one entry
  size_t max_session_bytes = size_t{16} * 1024 * 1024;  // the sum over a session's entries
};

// Refusals naming the cap (RESOURCE_EXHAUSTED); shared by the stores and the trail.
[[nodiscard]] absl::Status CheckEntryBytes(const AuditLimits& limits, size_t entry_bytes);
[[nodiscard]] absl::Status CheckSessionRoom(const AuditLimits& limits, absl::string_view session_id,
                                            size_t entries, size_t bytes, size_t entry_bytes);
[[nodiscard]] absl::Status SessionsFull(const AuditLimits& limits, absl::string_view session_id);

// One page of a session's trail, oldest first.
struct AuditPage {
  std::vector<AuditEntry> entries;
  // The sequence of the last entry returned when more follow, else nullopt.
  std::optional<int64_t> next_after_sequence;
};

// An entry to record: as the caller made it (sequence and time are stamped).
struct AuditAppend {
  std::string session_id;
  AuditEntry entry;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // "sqlite:/var/lib/factory-sim/audit/audit.db" or "redis://10.0.0.5:6379".
  virtual const std::string& location() const = 0;

  // Stores `appends` in order, each durably; one result per append (the stored
  // entry or why not). A failed write fails the whole batch: nothing of it is kept.
  virtual std::vector<absl::StatusOr<AuditEntry>> Append(std::vector<AuditAppend> appends) = 0;

  // Up to `max_entries` entries with sequence > `after_sequence`, oldest first,
  // stopping once they total `max_bytes` serialized (a page holds at least one
  // entry when any remain). A damaged entry ends the page before it; when it is the
  // first, the page is DATA_LOSS naming its sequence (a reader may go on after it).
  [[nodiscard]] virtual absl::StatusOr<AuditPage> Page(absl::string_view session_id,
                                                       int64_t after_sequence, size_t max_entries,
                                                       size_t max_bytes) const = 0;

  // The levers most recently recorded in a session (nullopt: none recorded).
  [[nodiscard]] virtual absl::StatusOr<std::optional<AuditLevers>> LatestLevers(
      absl::string_view session_id) const = 0;

  [[nodiscard]] virtual absl::StatusOr<size_t> SessionCount() const = 0;

  // Adds a session that was acknowledged elsewhere (the per-session files of
  // earlier versions): `entries` keep their sequences and times, and the session's
  // next sequence becomes `next_sequence` (above every one of them). Atomic; no
  // caps apply. ALREADY_EXISTS when the store has the session.
  [[nodiscard]] virtual absl::Status Import(absl::string_view session_id,
                                            const std::vector<AuditEntry>& entries,
                                            int64_t next_sequence) = 0;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_H_
