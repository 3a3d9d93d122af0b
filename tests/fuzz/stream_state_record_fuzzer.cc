// libFuzzer target: a stream's saved state as drift-monitor reads it back at start
// (ParseStreamStateRecord), from a file or a Redis value anyone may have damaged.
//
// Input: byte 0 chooses the mode. Odd: the rest is a whole record as stored. Even:
// the rest is a record's payload, given a valid header and checksum here, so the
// fuzzer reaches the field checks behind the CRC (which it could not forge).
// Checks: the parser never crashes, leaks or aborts (ASan, UBSan), whatever the
// bytes; a record it accepts is written back by SerializeStreamStateRecord into a
// record it accepts again, to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "services/common/storage/checksum.h"
#include "services/drift_monitor/core/stream_state_record.h"

namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string record;
  if ((data[0] & 1) != 0) {
    record.assign(rest);
  } else {
    record = "DFSS";
    record.push_back(static_cast<char>(df::drift::kStreamStateRecordVersion));
    PutU32(record, static_cast<uint32_t>(rest.size()));
    PutU32(record, df::storage::Crc32(rest));
    record.append(rest);
  }
  const auto parsed = df::drift::ParseStreamStateRecord(record);
  if (!parsed.ok()) return 0;
  const std::string again = df::drift::SerializeStreamStateRecord(*parsed);
  const auto reparsed = df::drift::ParseStreamStateRecord(again);
  if (!reparsed.ok() || df::drift::SerializeStreamStateRecord(*reparsed) != again) std::abort();
  return 0;
}
