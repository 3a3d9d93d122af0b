// libFuzzer target: the audit trail's record parser (audit_record.h), as factory-sim
// runs it over every session file at start — damaged, torn or hostile bytes.
// Checks: no crash, no read past the input (ASan); the intact prefix is within the
// input; the parsed entries, framed again, parse back to the same entries.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"
#include "services/factory_sim/server/audit_record.h"

// protobuf logs every string field with invalid UTF-8 it meets; the fuzzer meets many.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  const df::factory::ParsedAuditRecords parsed = df::factory::ParseAuditRecords(bytes);
  if (parsed.intact_bytes > size) std::abort();
  if (parsed.entries.empty() != (parsed.intact_bytes == 0)) std::abort();

  std::string reframed;
  for (const auto& entry : parsed.entries) {
    reframed += df::factory::FrameAuditRecord(entry.SerializeAsString());
  }
  const df::factory::ParsedAuditRecords again = df::factory::ParseAuditRecords(reframed);
  if (again.intact_bytes != reframed.size()) std::abort();
  if (again.entries.size() != parsed.entries.size()) std::abort();
  for (size_t i = 0; i < again.entries.size(); ++i) {
    if (again.entries[i].SerializeAsString() != parsed.entries[i].SerializeAsString()) {
      std::abort();
    }
  }
  return 0;
}
