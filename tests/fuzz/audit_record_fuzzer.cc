// libFuzzer target: the audit trail's stored bytes as factory-sim reads them — one
// checksummed record of the SQLite and Redis stores (audit_record.h) and a whole
// per-session file of earlier versions, imported at start (legacy_audit_log.h) —
// damaged, torn or hostile.
// Checks: no crash, no read past the input (ASan); a record that parses encodes
// back to a record that parses to the same entry; the file reader's damaged ranges
// and torn tail lie inside the input, in order, and its entries' sequences rise
// below next_sequence.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"
#include "services/factory_sim/audit/audit_record.h"
#include "services/factory_sim/audit/legacy_audit_log.h"

namespace {

void CheckRecord(absl::string_view bytes) {
  constexpr int64_t kSequence = 7;
  const absl::StatusOr<df::factory::AuditEntry> entry =
      df::factory::ParseAuditRecord(bytes, kSequence);
  if (!entry.ok()) return;
  if (entry->sequence() != kSequence) std::abort();
  const std::string again = df::factory::EncodeAuditRecord(*entry);
  const absl::StatusOr<df::factory::AuditEntry> back =
      df::factory::ParseAuditRecord(again, kSequence);
  if (!back.ok() || back->SerializeAsString() != entry->SerializeAsString()) std::abort();
}

void CheckLegacyFile(absl::string_view bytes) {
  const df::factory::LegacyAuditLog log = df::factory::ParseLegacyAuditLog(bytes);
  size_t end_of_previous = 0;
  for (const df::factory::LegacyDamage& d : log.damage) {
    if (d.bytes == 0 || d.offset < end_of_previous || d.offset + d.bytes > bytes.size()) {
      std::abort();
    }
    end_of_previous = d.offset + d.bytes;
  }
  if (log.torn_tail_bytes > bytes.size()) std::abort();
  int64_t previous = 0;
  for (const df::factory::AuditEntry& e : log.entries) {
    if (e.sequence() <= previous) std::abort();
    previous = e.sequence();
  }
  if (log.next_sequence <= previous) std::abort();
}

}  // namespace

// protobuf logs every string field with invalid UTF-8 it meets; the fuzzer meets many.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  CheckRecord(bytes);
  CheckLegacyFile(bytes);
  return 0;
}
