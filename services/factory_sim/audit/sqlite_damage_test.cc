// What the SQLite store does with paths it cannot use and with a damaged file:
// errors naming the path (never an abort, never a write to someone else's file),
// a damaged database opened read-only with the integrity check's findings, and a
// salvage that keeps every row outside the damaged page.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/factory_sim/audit/sqlite_audit_store.h"
#include "services/factory_sim/audit/sqlite_salvage.h"

namespace df::factory {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string Marker(int i) { return absl::StrCat("<entry ", i, " marker>"); }

AuditEntry MarkedEntry(int i) {
  AuditEntry entry;
  entry.mutable_rationale()->set_text(Marker(i) + std::string(900, 'n'));
  return entry;
}

class SqliteDamageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           absl::StrCat("sqlite_damage_test_", ::getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(SqliteDamageTest, PathsThatCannotHoldTheTrailAreErrorsNamingThem) {
  fs::create_directories(dir_ / "a-directory");
  WriteFile(dir_ / "plain-file", "not a directory");
  const std::string text = "someone's notes, not a database\n";
  WriteFile(dir_ / "notes.txt", text);
  struct Case {
    fs::path path;
    std::string says;
  };
  for (const Case& c : {Case{dir_ / "a-directory", "is a directory"},
                        Case{dir_ / "plain-file" / "audit.db", "cannot"},
                        Case{dir_ / "notes.txt", "not a database"}}) {
    auto store = SqliteAuditStore::Open(c.path.string(), {});
    ASSERT_FALSE(store.ok()) << c.path;
    EXPECT_NE(store.status().message().find(c.path.string()), std::string::npos) << store.status();
    EXPECT_NE(store.status().message().find(c.says), std::string::npos) << store.status();
  }
  EXPECT_EQ(ReadFile(dir_ / "notes.txt"), text);  // never written to
}

TEST_F(SqliteDamageTest, ADatabaseOfAnotherProgramIsRefused) {
  const fs::path other = dir_ / "other.db";
  {
    auto db =
        SqliteConnection::Open(other.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "test");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE photos(id INTEGER)").ok());
  }
  auto store = SqliteAuditStore::Open(other.string(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("another program"), std::string::npos) << store.status();
}

TEST_F(SqliteDamageTest, ADamagedPageMakesTheStoreReadOnlyAndSalvageKeepsTheRest) {
  const fs::path path = dir_ / "audit.db";
  constexpr int kEntries = 300;
  {
    auto store = SqliteAuditStore::Open(path.string(), {});
    ASSERT_TRUE(store.ok()) << store.status();
    std::vector<AuditAppend> batch;
    for (int i = 1; i <= kEntries; ++i) batch.push_back({"lee", MarkedEntry(i)});
    for (const auto& stored : (*store)->Append(std::move(batch))) ASSERT_TRUE(stored.ok());
  }
  // Zero the page that holds entry 150, as a bad sector would.
  std::string bytes = ReadFile(path);
  const size_t at = bytes.find(Marker(150));
  ASSERT_NE(at, std::string::npos);
  constexpr size_t kPage = 4096;
  const size_t page_start = at / kPage * kPage;
  std::set<int> on_damaged_page;
  for (int i = 1; i <= kEntries; ++i) {
    const size_t where = bytes.find(Marker(i));
    if (where >= page_start && where < page_start + kPage) on_damaged_page.insert(i);
  }
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(page_start),
            bytes.begin() + static_cast<std::ptrdiff_t>(page_start + kPage), '\0');
  WriteFile(path, bytes);

  auto damaged = SqliteAuditStore::Open(path.string(), {});
  ASSERT_TRUE(damaged.ok()) << damaged.status();
  ASSERT_FALSE((*damaged)->damage().empty());
  std::vector<AuditAppend> one;
  one.push_back({"lee", MarkedEntry(0)});
  absl::StatusOr<AuditEntry> refused = std::move((*damaged)->Append(std::move(one)).front());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  for (const std::string& named :
       {path.string(), std::string("read-only"), std::string("--audit_salvage_from")}) {
    EXPECT_NE(refused.status().message().find(named), std::string::npos) << refused.status();
  }
  damaged->reset();
  EXPECT_EQ(ReadFile(path), bytes);  // the damaged file is left as it was

  const fs::path salvaged = dir_ / "salvaged.db";
  absl::StatusOr<SalvageReport> report = SalvageSqliteAudit(path.string(), salvaged.string());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->unreadable.empty()) << Describe(*report);
  EXPECT_EQ(report->entries_copied, kEntries - on_damaged_page.size()) << Describe(*report);
  auto store = SqliteAuditStore::Open(salvaged.string(), {});
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)->damage().empty());
  std::set<int> kept;
  int64_t after = 0;
  while (true) {
    absl::StatusOr<AuditPage> page = (*store)->Page("lee", after, 1000, 64 << 20);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const AuditEntry& e : page->entries) kept.insert(static_cast<int>(e.sequence()));
    if (!page->next_after_sequence) break;
    after = *page->next_after_sequence;
  }
  for (int i = 1; i <= kEntries; ++i) {
    EXPECT_EQ(kept.contains(i), !on_damaged_page.contains(i)) << "entry " << i;
  }
  // Sequences go on above every entry the session ever had.
  one.clear();
  one.push_back({"lee", MarkedEntry(0)});
  EXPECT_EQ((*store)->Append(std::move(one)).front()->sequence(), kEntries + 1);
  EXPECT_FALSE(SalvageSqliteAudit(path.string(), salvaged.string()).ok());  // no overwrite
}

}  // namespace
}  // namespace df::factory
