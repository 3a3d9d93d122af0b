// The audit trail keeps every acknowledged entry across a restart, in order, and
// survives a torn write at the end of a file.
#include "services/factory_sim/server/audit_trail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("audit_trail_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static absl::StatusOr<AuditEntry> AppendAndWait(AuditTrail& trail, const std::string& session,
                                                  AuditEntry entry) {
    std::promise<absl::StatusOr<AuditEntry>> stored;
    trail.Append(session, std::move(entry),
                 [&](absl::StatusOr<AuditEntry> result) { stored.set_value(std::move(result)); });
    return stored.get_future().get();
  }

  static AuditEntry Rationale(const std::string& text, double dedup) {
    AuditEntry entry;
    entry.mutable_rationale()->set_text(text);
    entry.mutable_rationale()->mutable_levers()->set_dedup_fraction(dedup);
    return entry;
  }

  std::filesystem::path dir_;
};

TEST_F(AuditTrailTest, RestartLosesNothingAcknowledged) {
  {
    auto trail = AuditTrail::Open(dir_.string());
    ASSERT_TRUE(trail.ok()) << trail.status();
    for (int i = 0; i < 5; ++i) {
      auto stored = AppendAndWait(**trail, "alice", Rationale("nvme " + std::to_string(i), 0.1));
      ASSERT_TRUE(stored.ok()) << stored.status();
      EXPECT_EQ(stored->sequence(), i + 1);
    }
    ASSERT_TRUE(AppendAndWait(**trail, "bob", Rationale("fiber", 0.2)).ok());
  }
  auto reopened = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->session_count(), 2u);
  const std::vector<AuditEntry> alice = (*reopened)->Entries("alice");
  ASSERT_EQ(alice.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(alice[i].sequence(), i + 1);
    EXPECT_EQ(alice[i].rationale().text(), "nvme " + std::to_string(i));
    EXPECT_GT(alice[i].unix_micros(), 0);
  }
  // Sequences continue after the restart.
  auto next = AppendAndWait(**reopened, "alice", Rationale("after restart", 0.3));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sequence(), 6);
  ASSERT_TRUE((*reopened)->LatestLevers("alice").has_value());
  EXPECT_DOUBLE_EQ((*reopened)->LatestLevers("alice")->dedup_fraction(), 0.3);
}

TEST_F(AuditTrailTest, EntriesQueuedBeforeShutdownAreWritten) {
  {
    auto trail = AuditTrail::Open(dir_.string());
    ASSERT_TRUE(trail.ok());
    for (int i = 0; i < 20; ++i) (*trail)->Append("carol", Rationale("r", 0.0), nullptr);
  }
  auto reopened = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Entries("carol").size(), 20u);
}

TEST_F(AuditTrailTest, TornTailIsCutAndAppendsStayReadable) {
  {
    auto trail = AuditTrail::Open(dir_.string());
    ASSERT_TRUE(trail.ok());
    ASSERT_TRUE(AppendAndWait(**trail, "dave", Rationale("kept", 0.0)).ok());
  }
  {
    std::ofstream torn(dir_ / "dave.audit", std::ios::binary | std::ios::app);
    torn.write("\x40\x00\x00\x00partial", 11);  // claims 64 bytes, has 7
  }
  auto reopened = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ASSERT_EQ((*reopened)->Entries("dave").size(), 1u);
  ASSERT_TRUE(AppendAndWait(**reopened, "dave", Rationale("later", 0.0)).ok());
  reopened->reset();
  auto again = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(again.ok());
  const auto entries = (*again)->Entries("dave");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].rationale().text(), "later");
}

TEST_F(AuditTrailTest, RejectsSessionIdsThatCouldEscapeTheDirectory) {
  auto trail = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(trail.ok());
  for (const std::string& bad :
       std::vector<std::string>{"", "../etc", "a/b", std::string(65, 'x')}) {
    auto stored = AppendAndWait(**trail, bad, Rationale("x", 0.0));
    EXPECT_EQ(stored.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(stored.status().message().find("session_id"), std::string::npos);
  }
  EXPECT_TRUE((*trail)->Entries("../etc").empty());
}

}  // namespace
}  // namespace df::factory
