#include "services/factory_sim/audit/audit_record.h"

#include <google/protobuf/io/coded_stream.h>

#include "absl/strings/str_cat.h"
#include "services/common/storage/checksum.h"

namespace df::factory {
namespace {

constexpr char kFormatVersion = 1;
constexpr size_t kHeaderBytes = 5;  // version + CRC-32

}  // namespace

std::string EncodeAuditRecord(const AuditEntry& entry) {
  AuditEntry unsequenced = entry;
  unsequenced.clear_sequence();
  const std::string payload = unsequenced.SerializeAsString();
  const uint32_t crc = df::storage::Crc32({payload.data(), payload.size()});
  std::string record;
  record.reserve(kHeaderBytes + payload.size());
  record.push_back(kFormatVersion);
  for (int i = 0; i < 4; ++i) record.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  record += payload;
  return record;
}

absl::StatusOr<AuditEntry> ParseAuditRecord(absl::string_view record, int64_t sequence) {
  if (record.size() < kHeaderBytes) {
    return absl::DataLossError(
        absl::StrCat("record is ", record.size(), " bytes, shorter than its header"));
  }
  if (record[0] != kFormatVersion) {
    return absl::DataLossError(absl::StrCat("record format version ",
                                            static_cast<int>(static_cast<uint8_t>(record[0])),
                                            " is unknown (expected 1)"));
  }
  uint32_t stored_crc = 0;
  for (int i = 0; i < 4; ++i) {
    stored_crc |= static_cast<uint32_t>(static_cast<uint8_t>(record[1 + i])) << (8 * i);
  }
  const absl::string_view payload = record.substr(kHeaderBytes);
  if (df::storage::Crc32({payload.data(), payload.size()}) != stored_crc) {
    return absl::DataLossError("record checksum mismatch (the stored bytes were damaged)");
  }
  AuditEntry entry;
  if (!entry.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return absl::DataLossError("record payload is not an AuditEntry");
  }
  entry.set_sequence(sequence);
  return entry;
}

std::optional<AuditLevers> LeversOf(const AuditEntry& entry) {
  if (entry.has_levers()) return entry.levers().levers();
  if (entry.has_rationale()) return entry.rationale().levers();
  return std::nullopt;
}

size_t AuditContentBytes(const AuditEntry& entry) {
  using google::protobuf::io::CodedOutputStream;
  size_t bytes = entry.ByteSizeLong();
  // Each stamp is a one-byte tag and a varint, present only when not zero.
  for (const int64_t stamp : {entry.sequence(), entry.unix_micros()}) {
    if (stamp != 0) bytes -= 1 + CodedOutputStream::VarintSize64(static_cast<uint64_t>(stamp));
  }
  return bytes;
}

}  // namespace df::factory
