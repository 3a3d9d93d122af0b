// The audit trail's record format: length-prefixed serialized AuditEntry messages
// (a 4-byte little-endian length, then that many bytes), and its parser.
//
// ParseAuditRecords reads records from the start of a session file's bytes and
// stops at the first one that cannot be read whole (a torn tail after a crash, a
// length past kMaxAuditRecordBytes or the end, bytes that are not an AuditEntry);
// `intact_bytes` says where that is. It is pure, so the parser is fuzzed on its own
// (tests/fuzz/audit_record_fuzzer.cc).
//
// Usage:
//   std::string file = FrameAuditRecord(entry.SerializeAsString());
//   ParsedAuditRecords parsed = ParseAuditRecords(file);  // 1 entry, all bytes intact
//
// Thread-safety: pure functions. Failure: never throws; what cannot be parsed is
// left out of `entries` and past `intact_bytes`.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_RECORD_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_RECORD_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

// Far above any real entry; a larger length is damage, not a record.
inline constexpr size_t kMaxAuditRecordBytes = 16 << 20;

struct ParsedAuditRecords {
  std::vector<::datafactory::factory::v1::AuditEntry> entries;
  size_t intact_bytes = 0;  // the records in `entries` end here
};

[[nodiscard]] ParsedAuditRecords ParseAuditRecords(absl::string_view bytes);

// One record: the payload's length (4 bytes, little-endian), then the payload.
[[nodiscard]] std::string FrameAuditRecord(absl::string_view payload);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_RECORD_H_
