// The audit trail in front of its store: every acknowledged entry kept across a
// restart, in order; refusals at once for oversized entries and a full queue; the
// per-session files of earlier versions imported; memory that does not grow with
// the number of entries.
#include "services/factory_sim/server/audit_trail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/common/sanitizer_heap.h"

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

  // Every entry of a session, read page by page as GetAuditTrail does.
  static std::vector<AuditEntry> Entries(const AuditTrail& trail, const std::string& session) {
    std::vector<AuditEntry> all;
    int64_t after = 0;
    while (true) {
      absl::StatusOr<AuditPage> page = trail.EntriesPage(session, after, 100, 1 << 20);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) return all;
      for (AuditEntry& e : page->entries) all.push_back(std::move(e));
      if (!page->next_after_sequence) return all;
      after = *page->next_after_sequence;
    }
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
  EXPECT_EQ(*(*reopened)->SessionCount(), 2u);
  const std::vector<AuditEntry> alice = Entries(**reopened, "alice");
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
  ASSERT_TRUE((*reopened)->LatestLevers("alice")->has_value());
  EXPECT_DOUBLE_EQ((*reopened)->LatestLevers("alice")->value().dedup_fraction(), 0.3);
}

TEST_F(AuditTrailTest, EntriesQueuedBeforeShutdownAreWritten) {
  {
    auto trail = AuditTrail::Open(dir_.string());
    ASSERT_TRUE(trail.ok());
    for (int i = 0; i < 20; ++i) (*trail)->Append("carol", Rationale("r", 0.0), nullptr);
  }
  auto reopened = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Entries(**reopened, "carol").size(), 20u);
}

// Files of the per-session format earlier versions wrote, one damaged in the
// middle and one with a torn tail: imported at open, nothing intact lost, the files
// kept under a new name, and a second open imports nothing twice.
TEST_F(AuditTrailTest, PerSessionFilesOfEarlierVersionsAreImported) {
  std::filesystem::create_directories(dir_);
  auto old_file = [&](int entries) {
    std::string bytes;
    std::vector<size_t> offsets;
    for (int i = 1; i <= entries; ++i) {
      AuditEntry entry = Rationale(absl::StrCat("old ", i), 0.1);
      entry.set_sequence(i);
      entry.set_unix_micros(1700000000000000 + i);
      const std::string payload = entry.SerializeAsString();
      offsets.push_back(bytes.size());
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<char>(payload.size() >> (8 * b)));
      bytes += payload;
    }
    return std::make_pair(bytes, offsets);
  };
  auto [damaged, offsets] = old_file(50);
  for (size_t i = offsets[10]; i < offsets[11]; ++i) damaged[i] = '\0';  // record 11
  std::ofstream(dir_ / "mia.audit", std::ios::binary) << damaged;
  std::string torn = old_file(3).first + std::string("\x40\x00\x00\x00part", 8);
  std::ofstream(dir_ / "ned.audit", std::ios::binary) << torn;

  for (int open = 0; open < 2; ++open) {
    auto trail = AuditTrail::Open(dir_.string());
    ASSERT_TRUE(trail.ok()) << trail.status();
    const std::vector<AuditEntry> mia = Entries(**trail, "mia");
    ASSERT_EQ(mia.size(), 49u + open);  // all but the zeroed record, then the new one
    EXPECT_EQ(mia[10].sequence(), 12);
    EXPECT_EQ(mia[48].rationale().text(), "old 50");
    EXPECT_EQ(Entries(**trail, "ned").size(), 3u);
    EXPECT_EQ(*(*trail)->SessionCount(), 2u);
    if (open == 0) {
      auto next = AppendAndWait(**trail, "mia", Rationale("new", 0.2));
      ASSERT_TRUE(next.ok()) << next.status();
      EXPECT_EQ(next->sequence(), 51);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "mia.audit"));
  std::ifstream kept(dir_ / "mia.audit.migrated", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), damaged);
}

TEST_F(AuditTrailTest, AnOversizedEntryIsRefusedAtOnceNamingTheCap) {
  AuditTrailLimits limits;
  limits.max_entry_bytes = 1000;
  auto trail = AuditTrail::Open(dir_.string(), limits);
  ASSERT_TRUE(trail.ok());
  absl::Status refused;
  (*trail)->Append("olga", Rationale(std::string(2000, 'x'), 0),
                   [&](const absl::StatusOr<AuditEntry>& r) { refused = r.status(); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);  // answered before queueing
  EXPECT_NE(refused.message().find("max_audit_entry_bytes (1000"), std::string::npos) << refused;
}

// Resident memory after many appends: pages come from the store, so it must not
// grow with the entries (the old trail kept every entry in memory).
// Under ASan or TSan the resident set is the sanitizer's allocator's (freed blocks wait
// in a quarantine of up to 256 MiB, shadow memory grows with use), not the trail's.
using df::test_support::kSanitizerOwnsTheHeap;

TEST_F(AuditTrailTest, MemoryDoesNotGrowWithTheNumberOfEntries) {
  if (kSanitizerOwnsTheHeap) {
    GTEST_SKIP() << "resident memory under a sanitizer measures its allocator; the bound is "
                    "checked in builds without one (release, debug)";
  }
  auto resident_bytes = [] {
    std::ifstream statm("/proc/self/statm");
    size_t pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  };
  auto trail = AuditTrail::Open(dir_.string());
  ASSERT_TRUE(trail.ok());
  const std::string text(2000, 'r');
  auto append_wave = [&](int count) {
    std::vector<std::future<absl::StatusOr<AuditEntry>>> stored;
    for (int i = 0; i < count; ++i) {
      auto promise = std::make_shared<std::promise<absl::StatusOr<AuditEntry>>>();
      stored.push_back(promise->get_future());
      (*trail)->Append(absl::StrCat("s", i % 50), Rationale(text, 0),
                       [promise](const absl::StatusOr<AuditEntry>& r) { promise->set_value(r); });
    }
    for (auto& f : stored) ASSERT_TRUE(f.get().ok());
  };
  for (int wave = 0; wave < 2; ++wave) append_wave(1000);  // warm up caches and pools
  const size_t before = resident_bytes();
  constexpr int kMore = 20000;  // ~40 MB of entries
  for (int wave = 0; wave < kMore / 1000; ++wave) append_wave(1000);
  const size_t growth = resident_bytes() > before ? resident_bytes() - before : 0;
  std::cout << "resident memory grew " << growth / 1024 << " KiB over " << kMore << " entries of "
            << text.size() << " bytes\n";
  EXPECT_LT(growth, 8u << 20) << "resident memory grows with the entries";
  EXPECT_EQ((*trail)->EntriesPage("s7", 0, 1000, 64 << 20)->entries.size(), 440u);
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
  EXPECT_TRUE(Entries(**trail, "../etc").empty());
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
    EXPECT_EQ(Entries(**trail, "erin").size(), 3u);
  }
  auto reopened = AuditTrail::Open(dir_.string(), limits);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(Entries(**reopened, "erin").size(), 3u);
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
  EXPECT_EQ(*(*trail)->SessionCount(), 2u);
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
  EXPECT_EQ(Entries(**reopened, "gina").size(), 3u);
}

}  // namespace
}  // namespace df::factory
