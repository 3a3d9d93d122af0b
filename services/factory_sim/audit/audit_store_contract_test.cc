// The AuditStore contract (audit_store.h), checked the same way against both
// stores: SQLite in a temporary file, Redis in a real redis-server started here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "services/common/storage/redis_test_server.h"
#include "services/factory_sim/audit/audit_store.h"
#include "services/factory_sim/audit/redis_audit_store.h"
#include "services/factory_sim/audit/sqlite_audit_store.h"
#include "services/factory_sim/audit/sqlite_connection.h"

namespace df::factory {
namespace {

using df::storage::RedisConnection;
using df::storage::RedisTestServer;
using df::storage::ReplyText;

AuditEntry Rationale(const std::string& text, double dedup = 0.1) {
  AuditEntry entry;
  entry.mutable_rationale()->set_text(text);
  entry.mutable_rationale()->mutable_levers()->set_dedup_fraction(dedup);
  return entry;
}

AuditEntry LeverEntry(const std::string& origin) {
  AuditEntry entry;
  entry.mutable_levers()->set_origin(origin);
  entry.mutable_levers()->mutable_levers()->set_gpu_count(8);
  return entry;
}

absl::StatusOr<AuditEntry> AppendOne(AuditStore& store, const std::string& session,
                                     AuditEntry entry) {
  std::vector<AuditAppend> batch;
  batch.push_back({session, std::move(entry)});
  return std::move(store.Append(std::move(batch)).front());
}

std::vector<AuditEntry> AllEntries(const AuditStore& store, const std::string& session) {
  std::vector<AuditEntry> all;
  int64_t after = 0;
  while (true) {
    absl::StatusOr<AuditPage> page = store.Page(session, after, 7, 1 << 20);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return all;
    for (AuditEntry& e : page->entries) all.push_back(std::move(e));
    if (!page->next_after_sequence) return all;
    after = *page->next_after_sequence;
  }
}

class AuditStoreContractTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "redis") {
      auto redis = RedisTestServer::Start();
      ASSERT_TRUE(redis.ok()) << redis.status();
      redis_ = *std::move(redis);
    } else {
      dir_ = std::filesystem::temp_directory_path() /
             absl::StrCat("audit_store_test_", ::getpid(), "_",
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
    }
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // A store over the same trail each time: reopening is a restart.
  std::unique_ptr<AuditStore> Open(AuditLimits limits = {}) {
    absl::StatusOr<std::unique_ptr<AuditStore>> store;
    if (redis_) {
      store = RedisAuditStore::Open("127.0.0.1", redis_->port(), limits);
    } else {
      store = SqliteAuditStore::Open((dir_ / "audit.db").string(), limits);
    }
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  // Overwrites one byte inside the stored record of `sequence`, as a stray write would.
  void DamageRecord(const std::string& session, int64_t sequence) {
    if (redis_) {
      auto redis = RedisConnection::Connect("127.0.0.1", redis_->port(), "test", absl::Seconds(2));
      ASSERT_TRUE(redis.ok());
      const std::string key = "datafactory:audit:entries:" + session;
      auto items = (*redis)->Command({"XRANGE", key, "-", "+"});
      ASSERT_TRUE(items.ok());
      std::vector<std::pair<std::string, std::string>> kept;
      for (size_t i = 0; i < (*items)->elements; ++i) {
        const redisReply& item = *(*items)->element[i];
        kept.emplace_back(std::string(ReplyText(*item.element[0])),
                          std::string(ReplyText(*item.element[1]->element[1])));
      }
      ASSERT_TRUE((*redis)->Command({"DEL", key}).ok());
      for (auto& [id, record] : kept) {
        if (id == absl::StrCat(sequence, "-0")) record[record.size() / 2] ^= 0x20;
        ASSERT_TRUE((*redis)->Command({"XADD", key, id, "r", record}).ok());
      }
      return;
    }
    auto db = SqliteConnection::Open((dir_ / "audit.db").string(), SQLITE_OPEN_READWRITE, "test");
    ASSERT_TRUE(db.ok());
    auto select =
        (*db)->Prepare("SELECT record FROM entries WHERE session_id = ?1 AND sequence = ?2");
    ASSERT_TRUE(select.ok());
    select->BindText(1, session);
    select->BindInt64(2, sequence);
    ASSERT_TRUE(*select->Step());
    std::string record(select->Bytes(0));
    record[record.size() / 2] ^= 0x20;
    select->Reset();
    auto update =
        (*db)->Prepare("UPDATE entries SET record = ?3 WHERE session_id = ?1 AND sequence = ?2");
    ASSERT_TRUE(update.ok());
    update->BindText(1, session);
    update->BindInt64(2, sequence);
    update->BindBlob(3, record);
    ASSERT_TRUE(update->Run().ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<RedisTestServer> redis_;
};

TEST_P(AuditStoreContractTest, SequencesAreAssignedInOrderAndSurviveReopening) {
  {
    std::unique_ptr<AuditStore> store = Open();
    ASSERT_NE(store, nullptr);
    std::vector<AuditAppend> batch;
    batch.reserve(6);
    for (int i = 0; i < 5; ++i) batch.push_back({"alice", Rationale(absl::StrCat("nvme ", i))});
    batch.push_back({"bob", LeverEntry("evaluate")});
    std::vector<absl::StatusOr<AuditEntry>> stored = store->Append(std::move(batch));
    ASSERT_EQ(stored.size(), 6u);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(stored[i].ok()) << stored[i].status();
      EXPECT_EQ(stored[i]->sequence(), i + 1);
      EXPECT_GT(stored[i]->unix_micros(), 0);
    }
    EXPECT_EQ(stored[5]->sequence(), 1);
  }
  std::unique_ptr<AuditStore> reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(*reopened->SessionCount(), 2u);
  const std::vector<AuditEntry> alice = AllEntries(*reopened, "alice");
  ASSERT_EQ(alice.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(alice[i].sequence(), i + 1);
    EXPECT_EQ(alice[i].rationale().text(), absl::StrCat("nvme ", i));
  }
  auto next = AppendOne(*reopened, "alice", Rationale("after restart"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->sequence(), 6);
  EXPECT_TRUE(AllEntries(*reopened, "nobody").empty());
}

TEST_P(AuditStoreContractTest, PagesStopAtTheCountAndTheByteBudget) {
  std::unique_ptr<AuditStore> store = Open();
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(AppendOne(*store, "hal", Rationale("r")).ok());
  absl::StatusOr<AuditPage> first = store->Page("hal", 0, 10, 1 << 20);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->entries.size(), 10u);
  EXPECT_EQ(first->next_after_sequence, 10);
  absl::StatusOr<AuditPage> last = store->Page("hal", 20, 10, 1 << 20);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->entries.size(), 5u);
  EXPECT_FALSE(last->next_after_sequence.has_value());
  // A byte budget smaller than one entry still makes progress, one entry a page.
  absl::StatusOr<AuditPage> tiny = store->Page("hal", 0, 10, 1);
  ASSERT_TRUE(tiny.ok());
  ASSERT_EQ(tiny->entries.size(), 1u);
  EXPECT_EQ(tiny->next_after_sequence, 1);
}

TEST_P(AuditStoreContractTest, LatestLeversFollowTheNewestLeverEntry) {
  std::unique_ptr<AuditStore> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->LatestLevers("ivy")->has_value());
  ASSERT_TRUE(AppendOne(*store, "ivy", Rationale("first", 0.2)).ok());
  ASSERT_TRUE(AppendOne(*store, "ivy", Rationale("second", 0.3)).ok());
  absl::StatusOr<std::optional<AuditLevers>> levers = store->LatestLevers("ivy");
  ASSERT_TRUE(levers.ok() && levers->has_value()) << levers.status();
  EXPECT_DOUBLE_EQ((*levers)->dedup_fraction(), 0.3);
  ASSERT_TRUE(AppendOne(*store, "ivy", LeverEntry("telemetry")).ok());
  EXPECT_EQ((*Open()->LatestLevers("ivy"))->gpu_count(), 8);  // also after a restart
}

TEST_P(AuditStoreContractTest, EachCapIsRefusedNamingItAndTheRestOfTheBatchGoesOn) {
  AuditLimits limits;
  limits.max_sessions = 2;
  limits.max_entries_per_session = 3;
  limits.max_entry_bytes = 2000;
  limits.max_session_bytes = 5000;
  std::unique_ptr<AuditStore> store = Open(limits);
  ASSERT_NE(store, nullptr);
  std::vector<AuditAppend> batch;
  batch.reserve(9);
  for (int i = 0; i < 4; ++i) batch.push_back({"erin", Rationale("r")});
  batch.push_back({"frank", Rationale(std::string(2500, 'x'))});  // over the entry cap
  batch.push_back({"frank", Rationale(std::string(1900, 'y'))});
  batch.push_back({"frank", Rationale(std::string(1900, 'y'))});
  batch.push_back({"frank", Rationale(std::string(1900, 'y'))});  // past the session bytes
  batch.push_back({"gina", Rationale("third session")});
  std::vector<absl::StatusOr<AuditEntry>> stored = store->Append(std::move(batch));
  auto refused = [&](size_t i, const std::string& cap) {
    EXPECT_EQ(stored[i].status().code(), absl::StatusCode::kResourceExhausted) << i;
    EXPECT_NE(stored[i].status().message().find(cap), std::string::npos) << stored[i].status();
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(stored[i].ok()) << stored[i].status();
  refused(3, "max_entries_per_session (3");
  refused(4, "max_audit_entry_bytes (2000");
  EXPECT_TRUE(stored[5].ok());
  EXPECT_TRUE(stored[6].ok());
  refused(7, "max_audit_session_bytes (5000");
  refused(8, "max_sessions");
  EXPECT_EQ(stored[6]->sequence(), 2);  // refusals take no sequence
  EXPECT_EQ(AllEntries(*store, "erin").size(), 3u);
  EXPECT_EQ(*store->SessionCount(), 2u);
  // Caps hold across a restart: they are counted in the store.
  EXPECT_EQ(AppendOne(*Open(limits), "erin", Rationale("x")).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_P(AuditStoreContractTest, StoresSharingOneTrailNeverShareASequence) {
  std::unique_ptr<AuditStore> a = Open();
  std::unique_ptr<AuditStore> b = Open();  // a second replica (or process) on the same trail
  ASSERT_TRUE(a && b);
  constexpr int kEach = 40;
  auto write = [](AuditStore* store, const std::string& tag) {
    for (int i = 0; i < kEach; ++i) {
      auto stored = AppendOne(*store, "shared", Rationale(absl::StrCat(tag, i)));
      ASSERT_TRUE(stored.ok()) << stored.status();
    }
  };
  std::thread first(write, a.get(), "a");
  std::thread second(write, b.get(), "b");
  first.join();
  second.join();
  const std::vector<AuditEntry> all = AllEntries(*a, "shared");
  ASSERT_EQ(all.size(), 2u * kEach);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].sequence(), static_cast<int64_t>(i + 1));
}

TEST_P(AuditStoreContractTest, ImportKeepsSequencesAndRefusesAnExistingSession) {
  std::unique_ptr<AuditStore> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<AuditEntry> old;
  for (int64_t sequence : {1, 2, 5}) {
    AuditEntry e = Rationale(absl::StrCat("old ", sequence));
    e.set_sequence(sequence);
    e.set_unix_micros(1700000000000000 + sequence);
    old.push_back(e);
  }
  ASSERT_TRUE(store->Import("jan", old, 9).ok());
  const std::vector<AuditEntry> back = AllEntries(*store, "jan");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[2].sequence(), 5);
  EXPECT_EQ(back[2].unix_micros(), 1700000000000005);
  EXPECT_EQ(AppendOne(*store, "jan", Rationale("new"))->sequence(), 9);
  EXPECT_TRUE(absl::IsAlreadyExists(store->Import("jan", old, 9)));
}

TEST_P(AuditStoreContractTest, ADamagedRecordIsDataLossAndTheEntriesAfterItStayReadable) {
  {
    std::unique_ptr<AuditStore> store = Open();
    ASSERT_NE(store, nullptr);
    for (int i = 1; i <= 6; ++i) ASSERT_TRUE(AppendOne(*store, "kim", Rationale("r")).ok());
  }
  DamageRecord("kim", 4);
  std::unique_ptr<AuditStore> store = Open();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<AuditPage> before = store->Page("kim", 0, 100, 1 << 20);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->entries.size(), 3u);  // the page ends before the damage
  EXPECT_EQ(before->next_after_sequence, 3);
  absl::StatusOr<AuditPage> damaged = store->Page("kim", 3, 100, 1 << 20);
  EXPECT_EQ(damaged.status().code(), absl::StatusCode::kDataLoss);
  for (const std::string& named : {store->location(), std::string("session 'kim' entry 4"),
                                   std::string("checksum"), std::string("page_token \"4\"")}) {
    EXPECT_NE(damaged.status().message().find(named), std::string::npos) << damaged.status();
  }
  absl::StatusOr<AuditPage> after = store->Page("kim", 4, 100, 1 << 20);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->entries.size(), 2u);
  EXPECT_EQ(after->entries[0].sequence(), 5);
  // The number of the damaged entry is not given again.
  EXPECT_EQ(AppendOne(*store, "kim", Rationale("next"))->sequence(), 7);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditStoreContractTest, ::testing::Values("sqlite", "redis"),
                         [](const auto& test) { return test.param; });

}  // namespace
}  // namespace df::factory
