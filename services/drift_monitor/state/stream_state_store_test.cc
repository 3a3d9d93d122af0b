// Both StreamStateStores against the same contract, on real files in a temporary
// directory and on a real redis-server; then what only the file store does.
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/common/storage/redis_connection.h"
#include "services/common/storage/redis_test_server.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_state_record.h"
#include "services/drift_monitor/core/synthetic_camera.h"
#include "services/drift_monitor/server/stream_state_writer.h"
#include "services/drift_monitor/state/file_stream_state_store.h"
#include "services/drift_monitor/state/redis_stream_state_store.h"

namespace df::drift {
namespace {

namespace fs = std::filesystem;

std::string TempDir() {
  std::string dir = absl::StrCat(fs::temp_directory_path().string(), "/df-state-test-", ::getpid(),
                                 "-", absl::ToUnixNanos(absl::Now()));
  fs::create_directories(dir);
  return dir;
}

// A stream that learnt its reference (20 frames) from a synthetic camera.
StreamSnapshot LearntStream(const std::string& id, uint32_t seed) {
  SyntheticCamera camera(seed);
  DetectorConfig config;
  config.reference_size = 20;
  config.min_effect = 0.03;
  StreamDetector detector(config);
  for (int i = 0; i < 25; ++i) detector.Update(camera.Frame());
  return {id, detector.Snapshot()};
}

class StreamStateStoreContractTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "file") {
      dir_ = TempDir();
      auto store = FileStreamStateStore::Open(dir_);
      ASSERT_TRUE(store.ok()) << store.status();
      store_ = *std::move(store);
      return;
    }
    auto redis = df::storage::RedisTestServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto store = RedisStreamStateStore::Open({"127.0.0.1", redis_->port()});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // Replaces the stored bytes of `id` with `bytes`, as a bad sector would.
  void Damage(const std::string& id, const std::string& bytes) {
    if (GetParam() == "file") {
      std::ofstream(absl::StrCat(dir_, "/", id, ".state"), std::ios::binary | std::ios::trunc)
          << bytes;
      return;
    }
    auto redis = df::storage::RedisConnection::Connect("127.0.0.1", redis_->port(), "test",
                                                       absl::Seconds(2));
    ASSERT_TRUE(redis.ok()) << redis.status();
    ASSERT_TRUE((*redis)->Command({"SET", absl::StrCat("df:drift:state:", id), bytes}).ok());
  }
  std::string Stored(const std::string& id) {
    if (GetParam() == "file") {
      std::ifstream in(absl::StrCat(dir_, "/", id, ".state"), std::ios::binary);
      return {std::istreambuf_iterator<char>(in), {}};
    }
    auto redis = df::storage::RedisConnection::Connect("127.0.0.1", redis_->port(), "test",
                                                       absl::Seconds(2));
    auto reply = (*redis)->Command({"GET", absl::StrCat("df:drift:state:", id)});
    return std::string(df::storage::ReplyText(**reply));
  }

  std::string dir_;
  std::unique_ptr<df::storage::RedisTestServer> redis_;
  std::unique_ptr<StreamStateStore> store_;
};

TEST_P(StreamStateStoreContractTest, SavedStreamsComeBackAndRemovedOnesDoNot) {
  ASSERT_TRUE(store_->Save(LearntStream("door-1", 1)).ok());
  ASSERT_TRUE(store_->Save(LearntStream("door-2", 2)).ok());
  ASSERT_TRUE(store_->Save(LearntStream("door-3", 3)).ok());
  StreamSnapshot replaced = LearntStream("door-2", 2);
  replaced.detector.pinned = true;
  ASSERT_TRUE(store_->Save(replaced).ok());
  ASSERT_TRUE(store_->Remove("door-3").ok());
  ASSERT_TRUE(store_->Remove("never-saved").ok());
  absl::StatusOr<LoadedStreamStates> loaded = store_->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->damaged.empty());
  ASSERT_EQ(loaded->streams.size(), 2u);
  EXPECT_EQ(loaded->streams[0].stream_id, "door-1");
  EXPECT_EQ(loaded->streams[1].stream_id, "door-2");
  EXPECT_TRUE(loaded->streams[1].detector.pinned);
  EXPECT_EQ(SerializeStreamStateRecord(loaded->streams[0]),
            SerializeStreamStateRecord(LearntStream("door-1", 1)));
}

TEST_P(StreamStateStoreContractTest, ADamagedRecordIsReportedKeptAsideAndTheOthersRestore) {
  ASSERT_TRUE(store_->Save(LearntStream("door-1", 1)).ok());
  ASSERT_TRUE(store_->Save(LearntStream("door-2", 2)).ok());
  std::string bytes = Stored("door-2");
  ASSERT_GT(bytes.size(), 100u);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
  Damage("door-2", bytes);
  Damage("door-9", SerializeStreamStateRecord(LearntStream("door-1", 1)));  // another's record

  absl::StatusOr<LoadedStreamStates> loaded = store_->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->streams.size(), 1u);
  EXPECT_EQ(loaded->streams[0].stream_id, "door-1");
  ASSERT_EQ(loaded->damaged.size(), 2u);
  EXPECT_NE(loaded->damaged[0].where.find("door-2"), std::string::npos);
  EXPECT_EQ(loaded->damaged[0].reason,
            "stream state record: checksum mismatch (the stored bytes were damaged)");
  EXPECT_EQ(loaded->damaged[1].reason, "the record holds stream 'door-1', not 'door-9'");
  EXPECT_FALSE(loaded->damaged[0].moved_to.empty());
  if (GetParam() == "file") {
    // Preserved byte for byte beside the others, out of the way of the next load.
    std::ifstream aside(absl::StrCat(dir_, "/door-2.state.damaged"), std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(aside), {}), bytes);
    EXPECT_FALSE(fs::exists(absl::StrCat(dir_, "/door-2.state")));
  }
  // The damaged streams start fresh: a second load finds only the sound one.
  loaded = store_->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->streams.size(), 1u);
  EXPECT_TRUE(loaded->damaged.empty());
}

TEST(RedisStreamStateStoreTest, AReplicaRemovesOnlyTheRecordsItSavedLast) {
  auto redis = df::storage::RedisTestServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  auto a = RedisStreamStateStore::Open({"127.0.0.1", (*redis)->port()});
  auto b = RedisStreamStateStore::Open({"127.0.0.1", (*redis)->port()});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Save(LearntStream("door-1", 1)).ok());
  ASSERT_TRUE((*a)->Save(LearntStream("door-2", 2)).ok());
  ASSERT_TRUE((*b)->LoadAll().ok());
  ASSERT_TRUE((*b)->Remove("door-1").ok());  // loaded, never saved by b: kept
  StreamSnapshot moved = LearntStream("door-2", 2);
  moved.detector.pinned = true;
  ASSERT_TRUE((*b)->Save(moved).ok());       // door-2 moved to b, which pinned it
  ASSERT_TRUE((*a)->Remove("door-2").ok());  // expired at a: b's record is kept
  absl::StatusOr<LoadedStreamStates> loaded = (*b)->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->streams.size(), 2u);
  EXPECT_TRUE(loaded->streams[1].detector.pinned);
  ASSERT_TRUE((*a)->Remove("door-1").ok());  // a saved it last: removed
  loaded = (*b)->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->streams.size(), 1u);
  EXPECT_EQ(loaded->streams[0].stream_id, "door-2");
}

INSTANTIATE_TEST_SUITE_P(Stores, StreamStateStoreContractTest, testing::Values("file", "redis"),
                         [](const auto& param_info) { return param_info.param; });

TEST(FileStreamStateStoreTest, AReplaceLeavesTheOldOrTheNewRecordNeverAPartialOne) {
  const std::string dir = TempDir();
  auto store = FileStreamStateStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  const StreamSnapshot a = LearntStream("door-1", 1);
  StreamSnapshot b = LearntStream("door-1", 2);
  b.detector.pinned = true;
  const std::string record_a = SerializeStreamStateRecord(a);
  const std::string record_b = SerializeStreamStateRecord(b);
  ASSERT_TRUE((*store)->Save(a).ok());
  std::atomic<bool> done{false};
  std::atomic<int> failed_saves{0};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      if (!(*store)->Save(i % 2 == 0 ? b : a).ok()) ++failed_saves;
    }
    done = true;  // also after a failed save, so the reader below always ends
  });
  int reads = 0;
  std::vector<size_t> partial_sizes;
  do {  // at least one read, however fast the writer is
    std::ifstream in(absl::StrCat(dir, "/door-1.state"), std::ios::binary);
    const std::string seen{std::istreambuf_iterator<char>(in), {}};
    if (seen != record_a && seen != record_b) partial_sizes.push_back(seen.size());
    ++reads;
  } while (!done);
  writer.join();
  EXPECT_EQ(failed_saves.load(), 0);
  EXPECT_TRUE(partial_sizes.empty())
      << "partial files of sizes " << absl::StrJoin(partial_sizes, ", ");
  EXPECT_GT(reads, 0);
  // Only the stream's file is left: every temporary file was renamed over it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(FileStreamStateStoreTest, AnUnusableDirectoryIsAnErrorNamingIt) {
  const std::string dir = TempDir();
  const std::string file = dir + "/a-file";
  std::ofstream(file) << "x";
  auto store = FileStreamStateStore::Open(file);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(file), std::string::npos) << store.status();
  if (::geteuid() != 0) {  // root writes anywhere
    const std::string read_only = dir + "/read-only";
    fs::create_directories(read_only);
    ::chmod(read_only.c_str(), 0555);
    store = FileStreamStateStore::Open(read_only);
    EXPECT_FALSE(store.ok());
    EXPECT_NE(store.status().message().find("is not writable"), std::string::npos)
        << store.status();
  }
  fs::remove_all(dir);
}

TEST(FileStreamStateStoreTest, ALeftoverTemporaryFileIsNotState) {
  const std::string dir = TempDir();
  std::ofstream(dir + "/.door-1.state.tmp") << "half a record";
  auto store = FileStreamStateStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<LoadedStreamStates> loaded = (*store)->LoadAll();
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->streams.empty());
  EXPECT_TRUE(loaded->damaged.empty());
  EXPECT_FALSE(fs::exists(dir + "/.door-1.state.tmp"));
  fs::remove_all(dir);
}

// The writer between the registry and a store: changes saved off the caller's
// thread, expiry removing them, a restart restoring them.
TEST(StreamStateWriterTest, SavesRemovesAndRestoresThroughTheRegistry) {
  const std::string dir = TempDir();
  prometheus::Registry metrics;
  SyntheticCamera camera(5);
  DetectorConfig config;
  config.reference_size = 20;
  absl::Time now = absl::FromUnixSeconds(1'000'000);
  {
    auto store = FileStreamStateStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    StreamStateWriter writer(*std::move(store), metrics, {});
    RegistryOptions options;
    options.default_config = config;
    options.state_listener = &writer;
    options.idle_timeout = absl::Minutes(1);
    StreamRegistry registry(options);
    absl::StatusOr<StreamId> one = StreamId::Parse("door-1");
    absl::StatusOr<StreamId> two = StreamId::Parse("door-2");
    // Frames from two threads, as workers apply them.
    auto feed = [&](const StreamId& id, int frames) {
      auto stream = registry.GetOrCreate(id, now);
      ASSERT_TRUE(stream.ok());
      SyntheticCamera own(id.value() == "door-1" ? 5 : 6);
      for (int i = 0; i < frames; ++i) {
        absl::MutexLock lock(&(*stream)->mu);
        (*stream)->detector->Update(own.Frame());
        registry.NoteDurableChange(*stream);
      }
    };
    std::thread a(feed, *one, 40), b(feed, *two, 10);  // door-2 is still learning
    a.join();
    b.join();
    writer.WaitUntilIdle();
    EXPECT_TRUE(fs::exists(dir + "/door-1.state"));
    EXPECT_FALSE(fs::exists(dir + "/door-2.state"));  // nothing durable yet
    ASSERT_TRUE(registry.Configure(*two, config, now).ok());
    writer.WaitUntilIdle();
    EXPECT_TRUE(fs::exists(dir + "/door-2.state"));
    // door-2 expires (door-1 is seen again): its state goes.
    ASSERT_TRUE(registry.GetOrCreate(*one, now + absl::Minutes(2)).ok());
    EXPECT_EQ(registry.ExpireIdle(now + absl::Minutes(2)).size(), 1u);
    writer.WaitUntilIdle();
    EXPECT_FALSE(fs::exists(dir + "/door-2.state"));
  }
  auto store = FileStreamStateStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  prometheus::Registry restarted_metrics;
  StreamStateWriter writer(*std::move(store), restarted_metrics, {});
  RegistryOptions options;
  options.state_listener = &writer;
  StreamRegistry registry(options);
  absl::StatusOr<size_t> restored = writer.RestoreInto(registry, now);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(*restored, 1u);
  EXPECT_EQ(registry.ListIds(), std::vector<std::string>{"door-1"});
  auto stream = registry.Find(*StreamId::Parse("door-1"));
  ASSERT_TRUE(stream.ok());
  absl::MutexLock lock(&(*stream)->mu);
  EXPECT_EQ((*stream)->detector->last().reference_count, 20u);
  EXPECT_EQ((*stream)->detector->config().reference_size, 20u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace df::drift
