// The per-session files of earlier versions: intact files read whole, a torn tail
// left out, damage skipped with the intact entries after it kept, sequences above
// anything a damaged tail could have held.
#include "services/factory_sim/audit/legacy_audit_log.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "absl/strings/str_cat.h"

namespace df::factory {
namespace {

std::string Frame(const AuditEntry& entry) {
  const std::string payload = entry.SerializeAsString();
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xff));
  return out + payload;
}

// A file as the old writer made it: entries 1..n, and where each record starts.
std::string OldFile(int n, std::vector<size_t>* offsets = nullptr) {
  std::string file;
  for (int i = 1; i <= n; ++i) {
    AuditEntry entry;
    entry.set_sequence(i);
    entry.set_unix_micros(1700000000000000 + i);
    entry.mutable_rationale()->set_text(absl::StrCat("rationale number ", i, " about NVMe"));
    if (offsets != nullptr) offsets->push_back(file.size());
    file += Frame(entry);
  }
  return file;
}

std::vector<int64_t> Sequences(const LegacyAuditLog& log) {
  std::vector<int64_t> out;
  for (const AuditEntry& e : log.entries) out.push_back(e.sequence());
  return out;
}

TEST(LegacyAuditLogTest, AnIntactFileIsReadWhole) {
  const LegacyAuditLog log = ParseLegacyAuditLog(OldFile(50));
  EXPECT_EQ(log.entries.size(), 50u);
  EXPECT_TRUE(log.damage.empty());
  EXPECT_EQ(log.torn_tail_bytes, 0u);
  EXPECT_EQ(log.next_sequence, 51);
}

TEST(LegacyAuditLogTest, ATornTailIsLeftOutAndIsNotDamage) {
  std::string file = OldFile(5);
  file += std::string("\x40\x00\x00\x00partial", 11);  // claims 64 bytes, has 7
  const LegacyAuditLog log = ParseLegacyAuditLog(file);
  EXPECT_EQ(log.entries.size(), 5u);
  EXPECT_TRUE(log.damage.empty());
  EXPECT_EQ(log.torn_tail_bytes, 11u);
  EXPECT_EQ(log.next_sequence, 6);
}

// Bytes damaged in the middle of a 50-entry file: the loader of earlier versions cut
// the file there and lost the 40 entries after them; this reader keeps them.
TEST(LegacyAuditLogTest, DamageInTheMiddleKeepsEveryIntactEntryAfterIt) {
  std::vector<size_t> offsets;
  const std::string intact = OldFile(50, &offsets);
  std::mt19937 random(11);
  for (int trial = 0; trial < 20; ++trial) {
    std::string file = intact;
    const size_t start = offsets[10] + 2;  // inside record 11
    for (size_t i = start; i < start + 16; ++i) file[i] = static_cast<char>(random());
    const LegacyAuditLog log = ParseLegacyAuditLog(file);
    ASSERT_EQ(log.damage.size(), 1u) << trial;
    EXPECT_EQ(log.damage[0].offset, offsets[10]);
    EXPECT_EQ(log.damage[0].bytes, offsets[11] - offsets[10]);
    EXPECT_EQ(log.entries.size(), 49u);
    EXPECT_EQ(log.entries[10].sequence(), 12);
    EXPECT_EQ(log.next_sequence, 51);
  }
}

TEST(LegacyAuditLogTest, ZeroBytesOverARecordAreDamageNotEmptyEntries) {
  std::vector<size_t> offsets;
  std::string file = OldFile(20, &offsets);
  for (size_t i = offsets[5]; i < offsets[5] + 64; ++i) file[i] = '\0';
  const LegacyAuditLog log = ParseLegacyAuditLog(file);
  ASSERT_EQ(log.damage.size(), 1u);
  EXPECT_EQ(log.damage[0].offset, offsets[5]);
  for (const AuditEntry& e : log.entries) EXPECT_GT(e.sequence(), 0);
  const std::vector<int64_t> sequences = Sequences(log);
  EXPECT_EQ(sequences.front(), 1);
  EXPECT_EQ(sequences.back(), 20);
  EXPECT_EQ(log.next_sequence, 21);  // never 1 again
}

TEST(LegacyAuditLogTest, ADamagedLengthThatRunsPastTheEndDoesNotHideLaterEntries) {
  std::vector<size_t> offsets;
  std::string file = OldFile(10, &offsets);
  file[offsets[3] + 2] = '\x01';  // record 4 now claims ~64 KiB: more than the file holds
  const LegacyAuditLog log = ParseLegacyAuditLog(file);
  EXPECT_EQ(log.torn_tail_bytes, 0u);
  ASSERT_EQ(log.damage.size(), 1u);
  EXPECT_EQ(log.entries.size(), 9u);
  EXPECT_EQ(log.entries.back().sequence(), 10);
}

TEST(LegacyAuditLogTest, ADamagedTailMovesTheNextSequenceAboveWhatItCouldHold) {
  std::vector<size_t> offsets;
  std::string file = OldFile(10, &offsets);
  for (size_t i = offsets[8]; i < file.size(); ++i) file[i] = '\x7f';  // records 9 and 10
  const LegacyAuditLog log = ParseLegacyAuditLog(file);
  EXPECT_EQ(log.entries.size(), 8u);
  ASSERT_EQ(log.damage.size(), 1u);
  EXPECT_GE(log.next_sequence, 11);  // 9 and 10 were acknowledged: never reused
}

TEST(LegacyAuditLogTest, ArbitraryBytesNeverAbort) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 200; ++trial) {
    std::string bytes(random() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    const LegacyAuditLog log = ParseLegacyAuditLog(bytes);
    size_t covered = log.torn_tail_bytes;
    for (const LegacyDamage& d : log.damage) covered += d.bytes;
    EXPECT_LE(covered, bytes.size());
  }
}

}  // namespace
}  // namespace df::factory
