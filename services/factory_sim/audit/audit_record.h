// The stored form of one audit entry, shared by every AuditStore, and the pure
// functions that write and read it (no I/O: a fuzz target can call them).
//
// A record is one byte of format version (1), a CRC-32 (zlib polynomial, 4 bytes
// little-endian) of the payload, then the payload: the serialized AuditEntry with
// its time but without its sequence number, which the store keeps as the row's key
// (the SQLite column, the Redis stream id), so a store can assign it atomically.
// The checksum is what turns a stray write or a bad sector inside a record into a
// reported DATA_LOSS instead of a silently wrong entry: SQLite's own integrity
// check looks at the structure of its pages, not at the bytes of a blob.
//
// Usage:
//   std::string record = EncodeAuditRecord(entry);      // entry.sequence() is ignored
//   absl::StatusOr<AuditEntry> back = ParseAuditRecord(record, /*sequence=*/7);
//   std::optional<Levers> levers = LeversOf(*back);
//
// Thread-safety: pure functions. Failure: ParseAuditRecord returns DATA_LOSS saying
// what is wrong (too short, unknown version, checksum mismatch, not an AuditEntry);
// it never aborts, whatever the bytes.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_RECORD_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

using AuditEntry = ::datafactory::factory::v1::AuditEntry;
using AuditLevers = ::datafactory::factory::v1::Levers;

// The record of `entry` (its sequence is not stored; see above).
[[nodiscard]] std::string EncodeAuditRecord(const AuditEntry& entry);

// The entry a record holds, with `sequence` set; DATA_LOSS when the bytes are damaged.
[[nodiscard]] absl::StatusOr<AuditEntry> ParseAuditRecord(absl::string_view record,
                                                          int64_t sequence);

// The levers an entry records (lever entries and rationales), if any.
[[nodiscard]] std::optional<AuditLevers> LeversOf(const AuditEntry& entry);

// What an entry counts against the byte caps: its serialized size without the
// sequence and time the store stamps on it, bytes.
[[nodiscard]] size_t AuditContentBytes(const AuditEntry& entry);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_RECORD_H_
