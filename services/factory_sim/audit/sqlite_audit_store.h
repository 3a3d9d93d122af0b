// SqliteAuditStore: the audit trail in one SQLite database file (the default
// store, --audit_store=sqlite:PATH). One row per entry in `entries` (session,
// sequence, content bytes, whether it records levers, the checked record of
// audit_record.h); `sessions` caches each session's next sequence, entry count,
// bytes and latest-levers sequence, and is rebuilt from `entries` at every open,
// so it can never hand out a sequence that is in the table.
//
// Durability: WAL journal, synchronous=FULL (every commit fsyncs the WAL), the
// directory fsync'd when the file is created. A batch of appends is one
// transaction. Reads use their own connections and never wait for a write.
//
// Damage: Open runs PRAGMA integrity_check. If it finds damage, the store opens
// read-only: damage() lists the findings, reads serve what is readable, appends are
// FAILED_PRECONDITION naming the file and how to salvage it; nothing is written to
// the damaged file. A record whose checksum fails is DATA_LOSS when read (the
// entries around it stay readable). A path that is a directory, cannot be read or
// is not a SQLite database is an error naming it (SQLite never writes to it).
//
// Usage:
//   auto store = SqliteAuditStore::Open("/var/lib/factory-sim/audit/audit.db", limits);
//   if (!store.ok()) ... (*store)->damage() ...
//
// Thread-safety and errors: as AuditStore (audit_store.h).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_AUDIT_STORE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_AUDIT_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/common/storage/connection_pool.h"
#include "services/factory_sim/audit/audit_store.h"
#include "services/factory_sim/audit/sqlite_connection.h"

namespace df::factory {

class SqliteAuditStore final : public AuditStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteAuditStore>> Open(
      const std::string& path, AuditLimits limits);
  ~SqliteAuditStore() override;

  // What PRAGMA integrity_check reported at open (empty: the file is sound).
  const std::vector<std::string>& damage() const { return damage_; }

  const std::string& location() const override { return location_; }
  std::vector<absl::StatusOr<AuditEntry>> Append(std::vector<AuditAppend> appends) override;
  absl::StatusOr<AuditPage> Page(absl::string_view session_id, int64_t after_sequence,
                                 size_t max_entries, size_t max_bytes) const override;
  absl::StatusOr<std::optional<AuditLevers>> LatestLevers(
      absl::string_view session_id) const override;
  absl::StatusOr<size_t> SessionCount() const override;
  absl::Status Import(absl::string_view session_id, const std::vector<AuditEntry>& entries,
                      int64_t next_sequence) override;

 private:
  SqliteAuditStore(std::string path, AuditLimits limits, std::unique_ptr<SqliteConnection> writer,
                   std::vector<std::string> damage);

  absl::StatusOr<std::unique_ptr<SqliteConnection>> OpenReader() const;
  // Refusal of writes once damage is known; records newly found damage.
  absl::Status WritableOrWhyNot() const;
  void NoteIfDamaged(const absl::Status& status) const;
  absl::Status AppendInTransaction(std::vector<AuditAppend>& appends,
                                   std::vector<absl::StatusOr<AuditEntry>>& results);

  const std::string path_;
  const std::string location_;
  const AuditLimits limits_;
  const std::vector<std::string> damage_;
  absl::Mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_ ABSL_GUARDED_BY(writer_mu_);
  mutable absl::Mutex mu_;
  mutable std::string damaged_at_run_time_ ABSL_GUARDED_BY(mu_);
  df::storage::ConnectionPool<SqliteConnection> readers_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_AUDIT_STORE_H_
