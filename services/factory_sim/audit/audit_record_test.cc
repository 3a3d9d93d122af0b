// The record format: a round trip keeps the entry, any damaged byte is DATA_LOSS.
#include "services/factory_sim/audit/audit_record.h"

#include <gtest/gtest.h>

#include <string>

namespace df::factory {
namespace {

AuditEntry SampleEntry() {
  AuditEntry entry;
  entry.set_sequence(42);
  entry.set_unix_micros(1700000000123456);
  entry.mutable_rationale()->set_text("NVMe: supply 16 GB/s >= demand 1.8 GB/s");
  entry.mutable_rationale()->mutable_levers()->set_dedup_fraction(0.3);
  return entry;
}

TEST(AuditRecordTest, RoundTripKeepsTheEntryWithTheSequenceGivenOnRead) {
  const std::string record = EncodeAuditRecord(SampleEntry());
  absl::StatusOr<AuditEntry> back = ParseAuditRecord(record, 7);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->sequence(), 7);  // the store's key, not the bytes, holds the sequence
  EXPECT_EQ(back->unix_micros(), 1700000000123456);
  EXPECT_EQ(back->rationale().text(), SampleEntry().rationale().text());
  EXPECT_EQ(LeversOf(*back)->dedup_fraction(), 0.3);
}

TEST(AuditRecordTest, EveryDamagedByteIsReportedAsDataLoss) {
  const std::string record = EncodeAuditRecord(SampleEntry());
  for (size_t i = 0; i < record.size(); ++i) {
    for (const char flip : {'\x01', '\x80', '\xff'}) {
      std::string damaged = record;
      damaged[i] = static_cast<char>(damaged[i] ^ flip);
      absl::StatusOr<AuditEntry> parsed = ParseAuditRecord(damaged, 1);
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << "byte " << i;
    }
  }
  EXPECT_NE(ParseAuditRecord(record.substr(0, 3), 1).status().message().find("shorter"),
            std::string::npos);
  EXPECT_EQ(ParseAuditRecord(record.substr(0, record.size() - 1), 1).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ParseAuditRecord(std::string(64, '\0'), 1).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(AuditRecordTest, ContentBytesLeaveOutTheStampsAndLeversOfOtherKindsAreNone) {
  AuditEntry entry = SampleEntry();
  const size_t content = AuditContentBytes(entry);
  entry.clear_sequence();
  entry.clear_unix_micros();
  EXPECT_EQ(content, entry.ByteSizeLong());
  EXPECT_FALSE(LeversOf(AuditEntry()).has_value());
}

}  // namespace
}  // namespace df::factory
