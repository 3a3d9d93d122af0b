// AuditTrail: the durable record of what a student did in a session — lever
// changes, their consequences, and the rationale typed in defence of a choice —
// in front of an AuditStore (services/factory_sim/audit/audit_store.h: SQLite by
// default, Redis for replicas).
//
// Appends are queued and written by one background thread, a batch of queued
// appends per store write (one SQLite transaction, one Redis round trip), so a
// caller on a gRPC reaction never blocks on the disk; `done` runs on that thread
// once the entry is durable (or refused). Reads (pages, latest levers) go to the
// store on the calling thread: an index lookup in SQLite's page cache, or one
// Redis round trip with a 2 s timeout. Nothing is kept in memory per entry.
//
// Bounds (AuditTrailLimits): the store's caps (sessions, entries and bytes per
// session, bytes per entry; checked atomically in the store) and
// max_queued_writes appends waiting for the store. An entry over max_entry_bytes
// or a full queue is refused at once, before it takes memory in the queue. Every
// refusal is RESOURCE_EXHAUSTED naming the cap.
//
// Usage:
//   auto trail = AuditTrail::Open("/var/lib/factory-sim/audit");   // SQLite in that directory
//   (*trail)->Append("alice", entry, [](absl::StatusOr<AuditEntry> stored) { ... });
//   absl::StatusOr<AuditPage> page = (*trail)->EntriesPage("alice", 0, 100, 1 << 20);
//
// Thread-safety: all methods may be called from any thread. Failure: Append
// reports INVALID_ARGUMENT for a bad session id, RESOURCE_EXHAUSTED past a cap,
// and the store's error otherwise (the entry is then not in the trail); reads
// return the store's errors (DATA_LOSS for damaged entries). Store failures are
// also given to the StoreErrorListener (a metric).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/factory_sim/audit/audit_store.h"

namespace df::factory {

struct AuditTrailLimits : AuditLimits {
  size_t max_queued_writes = 1024;
};

class AuditTrail {
 public:
  using Done = std::function<void(absl::StatusOr<AuditEntry>)>;
  // Told of every failed store operation (damage, I/O, unreachable), not of refusals.
  using StoreErrorListener = std::function<void(const absl::Status&)>;

  // The SQLite store `<dir>/audit.db`, after importing the per-session files of
  // earlier versions found in `dir`.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(
      const std::string& dir, AuditTrailLimits limits = {});

  AuditTrail(std::unique_ptr<AuditStore> store, AuditTrailLimits limits,
             StoreErrorListener on_store_error = nullptr);
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;
  // Writes everything queued, then stops the writer thread.
  ~AuditTrail();

  // Stamps `entry` with the session's next sequence number and the time, stores it
  // durably and then calls `done` with the stored entry (or the error).
  void Append(std::string session_id, AuditEntry entry, Done done);

  // AuditStore::Page: entries with sequence > `after_sequence`, oldest first.
  [[nodiscard]] absl::StatusOr<AuditPage> EntriesPage(absl::string_view session_id,
                                                      int64_t after_sequence, size_t max_entries,
                                                      size_t max_bytes) const;

  // The levers most recently recorded in a session (lever entries or rationales).
  [[nodiscard]] absl::StatusOr<std::optional<AuditLevers>> LatestLevers(
      absl::string_view session_id) const;

  [[nodiscard]] absl::StatusOr<size_t> SessionCount() const;
  const std::string& location() const { return store_->location(); }

 private:
  void WriterLoop();
  void Report(const absl::Status& status) const;

  const std::unique_ptr<AuditStore> store_;
  const AuditTrailLimits limits_;
  const StoreErrorListener on_store_error_;
  absl::Mutex mu_;
  std::deque<std::pair<AuditAppend, Done>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_TRAIL_H_
