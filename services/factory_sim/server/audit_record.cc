#include "services/factory_sim/server/audit_record.h"

#include <cstdint>
#include <utility>

namespace df::factory {

ParsedAuditRecords ParseAuditRecords(absl::string_view bytes) {
  ParsedAuditRecords parsed;
  size_t offset = 0;
  while (bytes.size() - offset >= 4) {
    uint32_t size = 0;
    for (size_t i = 0; i < 4; ++i) {
      size |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
    }
    if (size > kMaxAuditRecordBytes || size > bytes.size() - offset - 4) break;
    ::datafactory::factory::v1::AuditEntry entry;
    if (!entry.ParseFromArray(bytes.data() + offset + 4, static_cast<int>(size))) break;
    parsed.entries.push_back(std::move(entry));
    offset += 4 + size;
  }
  parsed.intact_bytes = offset;
  return parsed;
}

std::string FrameAuditRecord(absl::string_view payload) {
  std::string out;
  out.reserve(4 + payload.size());
  const auto size = static_cast<uint32_t>(payload.size());
  for (size_t i = 0; i < 4; ++i) out.push_back(static_cast<char>((size >> (8 * i)) & 0xff));
  out.append(payload.data(), payload.size());
  return out;
}

}  // namespace df::factory
