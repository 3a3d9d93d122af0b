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

TEST_F(AuditTrailTest, EntriesPerSessionAreCappedAcrossARestart) {
  AuditTrailLimits limits;
  limits.max_entries_per_session = 3;
  {
    auto trail = AuditTrail::Open(dir_.string(), limits);
    ASSERT_TRUE(trail.ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(AppendAndWait(**trail, "erin", Rationale("r", 0)).ok());
    auto refused = AppendAndWait(**trail, "erin", Rationale("one too many", 0));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_NE(refused.status().message().find("max_entries_per_session (3"), std::string::npos)
        << refused.status();
    EXPECT_TRUE(AppendAndWait(**trail, "frank", Rationale("other session", 0)).ok());
    EXPECT_EQ((*trail)->Entries("erin").size(), 3u);
  }
  auto reopened = AuditTrail::Open(dir_.string(), limits);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Entries("erin").size(), 3u);  // reloaded in full
  EXPECT_EQ(AppendAndWait(**reopened, "erin", Rationale("x", 0)).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(AuditTrailTest, SessionCountIsCapped) {
  AuditTrailLimits limits;
  limits.max_sessions = 2;
  auto trail = AuditTrail::Open(dir_.string(), limits);
  ASSERT_TRUE(trail.ok());
  ASSERT_TRUE(AppendAndWait(**trail, "s1", Rationale("r", 0)).ok());
  ASSERT_TRUE(AppendAndWait(**trail, "s2", Rationale("r", 0)).ok());
  auto refused = AppendAndWait(**trail, "s3", Rationale("r", 0));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("max_sessions"), std::string::npos);
  EXPECT_TRUE(AppendAndWait(**trail, "s1", Rationale("existing session", 0)).ok());
  EXPECT_EQ((*trail)->session_count(), 2u);
}

TEST_F(AuditTrailTest, WriteQueueDepthIsCapped) {
  AuditTrailLimits limits;
  limits.max_queued_writes = 2;
  auto trail = AuditTrail::Open(dir_.string(), limits);
  ASSERT_TRUE(trail.ok());
  // Hold the writer thread inside the first append's callback, so nothing drains.
  std::promise<void> writer_held, release;
  std::shared_future<void> released = release.get_future().share();
  (*trail)->Append("gina", Rationale("first", 0), [&](const absl::StatusOr<AuditEntry>&) {
    writer_held.set_value();
    released.wait();
  });
  writer_held.get_future().wait();
  (*trail)->Append("gina", Rationale("queued 1", 0), nullptr);
  (*trail)->Append("gina", Rationale("queued 2", 0), nullptr);
  absl::Status refused;
  (*trail)->Append("gina", Rationale("queue full", 0),
                   [&](const absl::StatusOr<AuditEntry>& r) { refused = r.status(); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);  // answered at once
  EXPECT_NE(refused.message().find("max_queued_writes 2"), std::string::npos) << refused;
  release.set_value();
  trail->reset();  // drains the queue
  auto reopened = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->Entries("gina").size(), 3u);
}

TEST_F(AuditTrailTest, PagesWalkTheWholeSessionInOrder) {
  auto trail = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(trail.ok());
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(AppendAndWait(**trail, "hal", Rationale("r", 0)).ok());
  int64_t after = 0;
  std::vector<int64_t> seen;
  int pages = 0;
  while (true) {
    AuditPage page = (*trail)->EntriesPage("hal", after, 10, 1 << 20);
    ++pages;
    for (const AuditEntry& e : page.entries) seen.push_back(e.sequence());
    if (!page.next_after_sequence) break;
    after = *page.next_after_sequence;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(seen[i], i + 1);
  // A byte budget smaller than one entry still makes progress, one entry a page.
  AuditPage tiny = (*trail)->EntriesPage("hal", 0, 10, 1);
  ASSERT_EQ(tiny.entries.size(), 1u);
  EXPECT_EQ(tiny.next_after_sequence, 1);
  EXPECT_TRUE((*trail)->EntriesPage("nobody", 0, 10, 1 << 20).entries.empty());
}

}  // namespace
}  // namespace df::factory
