#include "services/factory_sim/audit/legacy_audit_log.h"

#include <optional>
#include <utility>

namespace df::factory {
namespace {

constexpr size_t kLengthBytes = 4;
constexpr size_t kMaxRecordBytes = 16 << 20;  // what the old writer allowed
// The smallest record the old writer could produce: length, sequence, time and an
// empty kind, each a tag and at least one byte. Bounds the entries a damaged tail
// could have held.
constexpr size_t kMinRecordBytes = kLengthBytes + 2 + 2 + 2;

uint32_t LengthAt(absl::string_view bytes, size_t offset) {
  uint32_t length = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) {
    length |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i])) << (8 * i);
  }
  return length;
}

// The intact record at `offset` (with its size on disk), or nullopt.
std::optional<std::pair<AuditEntry, size_t>> RecordAt(absl::string_view bytes, size_t offset,
                                                      int64_t previous_sequence) {
  if (bytes.size() - offset < kLengthBytes) return std::nullopt;
  const size_t length = LengthAt(bytes, offset);
  if (length == 0 || length > kMaxRecordBytes || length > bytes.size() - offset - kLengthBytes) {
    return std::nullopt;
  }
  AuditEntry entry;
  if (!entry.ParseFromArray(bytes.data() + offset + kLengthBytes, static_cast<int>(length)) ||
      entry.sequence() <= previous_sequence || entry.unix_micros() <= 0 ||
      entry.kind_case() == AuditEntry::KIND_NOT_SET) {
    return std::nullopt;
  }
  return std::make_pair(std::move(entry), kLengthBytes + length);
}

// An unfinished last record: fewer bytes than a length, or a sane length that
// runs past the end of the file.
bool IsTornTail(absl::string_view bytes, size_t offset) {
  const size_t remaining = bytes.size() - offset;
  if (remaining < kLengthBytes) return true;
  const size_t length = LengthAt(bytes, offset);
  return length > 0 && length <= kMaxRecordBytes && length > remaining - kLengthBytes;
}

}  // namespace

LegacyAuditLog ParseLegacyAuditLog(absl::string_view bytes) {
  LegacyAuditLog log;
  int64_t last_sequence = 0;
  size_t offset = 0;
  while (offset < bytes.size()) {
    if (auto record = RecordAt(bytes, offset, last_sequence)) {
      last_sequence = record->first.sequence();
      offset += record->second;
      log.entries.push_back(std::move(record->first));
      continue;
    }
    // Not an intact record: resume at the first record that is intact and followed
    // by another intact record or the end of the file (random bytes rarely pass
    // both), so a damaged length cannot pass for the end of the log.
    size_t resume = offset + 1;
    for (; resume < bytes.size(); ++resume) {
      auto candidate = RecordAt(bytes, resume, last_sequence);
      if (!candidate) continue;
      const size_t after = resume + candidate->second;
      if (after == bytes.size() ||
          RecordAt(bytes, after, candidate->first.sequence()).has_value()) {
        break;
      }
    }
    if (resume == bytes.size() && IsTornTail(bytes, offset)) {
      log.torn_tail_bytes = bytes.size() - offset;
      break;
    }
    log.damage.push_back({offset, resume - offset});
    offset = resume;
  }
  log.next_sequence = last_sequence + 1;
  if (!log.damage.empty() && log.damage.back().offset + log.damage.back().bytes == bytes.size()) {
    // A damaged tail may have held acknowledged entries above the last intact one.
    const size_t could_hold = (log.damage.back().bytes + kMinRecordBytes - 1) / kMinRecordBytes;
    log.next_sequence += static_cast<int64_t>(could_hold);
  }
  return log;
}

}  // namespace df::factory
