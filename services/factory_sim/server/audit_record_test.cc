// The audit trail's record format: framing and the parser's stop at damage.
#include "services/factory_sim/server/audit_record.h"

#include <gtest/gtest.h>

#include <string>

namespace df::factory {
namespace {

std::string Record(int64_t sequence, const std::string& text) {
  ::datafactory::factory::v1::AuditEntry entry;
  entry.set_sequence(sequence);
  entry.mutable_rationale()->set_text(text);
  return FrameAuditRecord(entry.SerializeAsString());
}

TEST(AuditRecordTest, FramedRecordsParseBackInOrder) {
  const std::string bytes = Record(1, "first") + Record(2, "second");
  const ParsedAuditRecords parsed = ParseAuditRecords(bytes);
  ASSERT_EQ(parsed.entries.size(), 2u);
  EXPECT_EQ(parsed.entries[1].rationale().text(), "second");
  EXPECT_EQ(parsed.intact_bytes, bytes.size());
}

TEST(AuditRecordTest, ATornTailStopsTheParseAfterTheIntactRecords) {
  const std::string first = Record(1, "first");
  const std::string second = Record(2, "second");
  for (size_t cut = 0; cut < second.size(); ++cut) {
    const ParsedAuditRecords parsed = ParseAuditRecords(first + second.substr(0, cut));
    ASSERT_EQ(parsed.entries.size(), 1u) << cut;
    EXPECT_EQ(parsed.intact_bytes, first.size()) << cut;
  }
}

TEST(AuditRecordTest, AnImpossibleLengthIsDamageNotARecord) {
  std::string bytes = Record(1, "first");
  bytes += std::string("\xff\xff\xff\xff", 4) + "rest";
  const ParsedAuditRecords parsed = ParseAuditRecords(bytes);
  EXPECT_EQ(parsed.entries.size(), 1u);
  EXPECT_EQ(parsed.intact_bytes, bytes.size() - 8);
  EXPECT_EQ(ParseAuditRecords("").intact_bytes, 0u);
  EXPECT_EQ(ParseAuditRecords("abc").intact_bytes, 0u);
}

}  // namespace
}  // namespace df::factory
