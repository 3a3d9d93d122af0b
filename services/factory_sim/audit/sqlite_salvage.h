// SalvageSqliteAudit: copies what is still readable of a damaged SQLite audit
// database into a new one (factory-sim --audit_salvage_from=DAMAGED
// --audit_store=sqlite:NEW). Debian's sqlite3 shell has no `.recover`, so this
// walks the entries table in rowid order through SQL: a damaged page ends a scan,
// and the scan resumes at the first rowid past the damage that can be read
// again (probing forward, then narrowing down), so the intact rows after the
// damage are kept. Each record's checksum is verified; a damaged record is left
// out and counted. The sessions table is copied as far as it reads, so that a
// session whose newest entries were lost keeps its next sequence; the new store
// then rebuilds the rest from the entries (sqlite_audit_store.h).
//
// What cannot come back: rows on a damaged table page (or below a damaged interior
// page that no other path reaches), and the whole database when its first page
// (the schema) is destroyed. The damaged file is only read, never changed.
//
// Usage:
//   absl::StatusOr<SalvageReport> report = SalvageSqliteAudit("/x/audit.db", "/x/new.db");
//   std::cout << Describe(*report);
//
// Failure: `into` existing already, or `from` unreadable as a database, is an
// error naming the path. Thread-safety: a standalone operation; nothing else may
// use `into` meanwhile.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_SALVAGE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_SALVAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace df::factory {

struct SalvageReport {
  std::string from;
  std::string into;
  size_t entries_copied = 0;
  size_t sessions = 0;         // sessions in the new database
  size_t damaged_records = 0;  // rows read whose record checksum failed (left out)
  // Row ranges that could not be read: "rowids 120..183: <SQLite's error>".
  std::vector<std::string> unreadable;
  bool sessions_table_complete = true;
};

[[nodiscard]] absl::StatusOr<SalvageReport> SalvageSqliteAudit(const std::string& from,
                                                               const std::string& into);

// Lines for a person: what was copied, what was lost, where.
std::string Describe(const SalvageReport& report);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_SALVAGE_H_
