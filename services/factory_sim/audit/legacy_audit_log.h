// The per-session files of factory-sim before the SQLite store, read so that
// their entries can be imported (legacy_migration.h). A file,
// <dir>/<session_id>.audit, holds records of a 4-byte little-endian length and a
// serialized AuditEntry (sequence and time included), with no checksum.
//
// The reader recovers as a log with damaged records should: an intact record is
// one that parses, has a sequence above the previous one, a time and a kind.
// Bytes that are not an intact record are a damaged range; reading resumes at the
// next offset where an intact record starts that is followed by another intact
// record (or by the end of the file), so the entries after the damage are kept.
// An unfinished last record (its length runs past the end: a crash mid-append,
// never acknowledged) is a torn tail, not damage. next_sequence lies above every
// sequence the file could have held, damaged tail included, so no number that may
// have been acknowledged is given out again.
//
// Usage:
//   LegacyAuditLog log = ParseLegacyAuditLog(file_bytes);
//   for (const LegacyDamage& d : log.damage) ... d.offset, d.bytes ...
//
// Thread-safety: a pure function of its bytes; it never aborts, whatever they are.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_AUDIT_LOG_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_AUDIT_LOG_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/factory_sim/audit/audit_record.h"

namespace df::factory {

struct LegacyDamage {
  size_t offset = 0;  // bytes from the start of the file
  size_t bytes = 0;
};

struct LegacyAuditLog {
  std::vector<AuditEntry> entries;   // the intact records, in file order
  std::vector<LegacyDamage> damage;  // what is not an intact record, in file order
  size_t torn_tail_bytes = 0;
  int64_t next_sequence = 1;
};

[[nodiscard]] LegacyAuditLog ParseLegacyAuditLog(absl::string_view bytes);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_LEGACY_AUDIT_LOG_H_
