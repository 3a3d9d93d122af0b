// Imports the per-session files of earlier factory-sim versions
// (<dir>/<session_id>.audit, legacy_audit_log.h) into an AuditStore at start, so
// an upgrade loses nothing that was acknowledged.
//
// Each file is read, its intact entries imported with their sequences and times
// (AuditStore::Import, atomic), and the file renamed <session_id>.audit.migrated —
// kept, damaged or not, never deleted. Damaged ranges are reported (file, byte
// offset, length) and the entries after them imported. A file whose session the
// store already holds with the same sequences was imported before a crash
// interrupted the rename: it is only renamed. A file that cannot be read, or whose
// session the store holds with other entries, is an error naming the file.
//
// Usage:
//   absl::StatusOr<LegacyMigrationReport> report = MigrateLegacyAuditFiles(dir, store);
//   for (const std::string& line : report->damage) LOG... ;
//
// Thread-safety: call before the store serves (it writes through Import).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_MIGRATION_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_MIGRATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/audit/audit_store.h"

namespace df::factory {

inline constexpr char kLegacyAuditSuffix[] = ".audit";
inline constexpr char kMigratedAuditSuffix[] = ".audit.migrated";

struct LegacyMigrationReport {
  size_t files = 0;    // files imported (or found already imported)
  size_t entries = 0;  // entries imported
  // One line per damaged range or torn tail: "<path>: <n> damaged bytes at offset <o> ...".
  std::vector<std::string> damage;
  std::vector<std::string> torn_tails;  // unfinished last records, never acknowledged
};

// `dir` missing: nothing to do. Sessions whose name is not a valid session id are
// left alone (the old writer never made them).
[[nodiscard]] absl::StatusOr<LegacyMigrationReport> MigrateLegacyAuditFiles(const std::string& dir,
                                                                            AuditStore& store);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_MIGRATION_H_
