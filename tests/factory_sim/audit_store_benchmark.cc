// Append latency and throughput of the audit trail's stores, through the same
// AuditTrail front (queue, writer thread, batches), each append durable before it
// is acknowledged:
//   file    the previous trail's write path, the baseline: one file per session,
//           open + append + fsync + close per entry, one entry at a time
//   sqlite  SqliteAuditStore (WAL, synchronous=FULL, a batch per transaction)
//   redis   RedisAuditStore on a real redis-server started here (appendonly yes,
//           appendfsync always, a batch per pipeline)
// Rounds interleave the stores (file, sqlite, redis, file, ...) so that load on a
// shared machine hits all alike; each round's throughput is divided by the file
// baseline's of the same round, and the table shows the median ratio and its
// spread over the rounds.
//
// Run: audit_store_benchmark [--appends=400] [--writers=1,16] [--rounds=5]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/common/storage/redis_test_server.h"
#include "services/factory_sim/audit/redis_audit_store.h"
#include "services/factory_sim/audit/sqlite_audit_store.h"
#include "services/factory_sim/server/audit_trail.h"

namespace df::factory {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The previous trail's write path (reads are not benchmarked).
class FileAppendStore final : public AuditStore {
 public:
  explicit FileAppendStore(std::string dir) : dir_(std::move(dir)), location_("file:" + dir_) {}
  const std::string& location() const override { return location_; }
  std::vector<absl::StatusOr<AuditEntry>> Append(std::vector<AuditAppend> appends) override {
    std::vector<absl::StatusOr<AuditEntry>> results;
    for (AuditAppend& append : appends) {
      AuditEntry& entry = append.entry;
      entry.set_sequence(++next_[append.session_id]);
      entry.set_unix_micros(1);
      const std::string payload = entry.SerializeAsString();
      std::string record(4, '\0');
      for (int i = 0; i < 4; ++i) record[i] = static_cast<char>(payload.size() >> (8 * i));
      record += payload;
      const std::string path = absl::StrCat(dir_, "/", append.session_id, ".audit");
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      const bool ok =
          fd >= 0 &&
          ::write(fd, record.data(), record.size()) == static_cast<ssize_t>(record.size()) &&
          ::fsync(fd) == 0;
      if (fd >= 0) ::close(fd);
      results.push_back(ok ? absl::StatusOr<AuditEntry>(entry) : absl::InternalError(path));
    }
    return results;
  }
  absl::StatusOr<AuditPage> Page(absl::string_view, int64_t, size_t, size_t) const override {
    return absl::UnimplementedError("not benchmarked");
  }
  absl::StatusOr<std::optional<AuditLevers>> LatestLevers(absl::string_view) const override {
    return absl::UnimplementedError("not benchmarked");
  }
  absl::StatusOr<size_t> SessionCount() const override { return next_.size(); }
  absl::Status Import(absl::string_view, const std::vector<AuditEntry>&, int64_t) override {
    return absl::UnimplementedError("not benchmarked");
  }

 private:
  const std::string dir_;
  const std::string location_;
  std::map<std::string, int64_t> next_;
};

// A rationale entry of the size the service records (~400 bytes).
AuditEntry TypicalEntry() {
  AuditEntry entry;
  auto* rationale = entry.mutable_rationale();
  rationale->set_text(std::string(200, 'r'));
  rationale->mutable_levers()->set_dedup_fraction(0.3);
  rationale->mutable_levers()->set_gpu_count(8);
  rationale->mutable_feeding_tax()->set_gpu_idle_fraction(0.86);
  return entry;
}

struct Result {
  double appends_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
};

// `writers` threads, each appending and waiting for the acknowledgement in turn,
// `appends` in all, over 8 sessions.
Result Measure(AuditTrail& trail, int writers, int appends) {
  std::vector<std::vector<double>> latencies(static_cast<size_t>(writers));
  const AuditEntry entry = TypicalEntry();
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(writers));
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (int i = w; i < appends; i += writers) {
        std::promise<bool> stored;
        const auto sent = Clock::now();
        trail.Append(absl::StrCat("bench-", i % 8), entry,
                     [&stored](const absl::StatusOr<AuditEntry>& r) { stored.set_value(r.ok()); });
        if (!stored.get_future().get()) std::fprintf(stderr, "append failed\n");
        latencies[static_cast<size_t>(w)].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto at = [&all](double q) {
    return all[static_cast<size_t>(q * static_cast<double>(all.size() - 1))];
  };
  return {static_cast<double>(all.size()) / seconds, at(0.5), at(0.99)};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run(int argc, char** argv) {
  int appends = 400, rounds = 5;
  std::vector<int> writer_counts = {1, 16};
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    std::pair<std::string, std::string> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
    bool ok = true;
    if (kv.first == "--appends") {
      ok = absl::SimpleAtoi(kv.second, &appends);
    } else if (kv.first == "--rounds") {
      ok = absl::SimpleAtoi(kv.second, &rounds);
    } else if (kv.first == "--writers") {
      writer_counts.clear();
      for (absl::string_view w : absl::StrSplit(kv.second, ',')) {
        int n = 0;
        ok = ok && absl::SimpleAtoi(w, &n) && n > 0;
        writer_counts.push_back(n);
      }
    } else {
      ok = false;
    }
    if (!ok || appends < 1 || rounds < 1) {
      std::fprintf(stderr, "usage: %s [--appends=N] [--writers=1,16] [--rounds=R]\n", argv[0]);
      return 2;
    }
  }
  auto redis = df::storage::RedisTestServer::Start();
  if (!redis.ok()) {
    std::fprintf(stderr, "%s\n", std::string(redis.status().message()).c_str());
    return 1;
  }
  const fs::path root = fs::temp_directory_path() / absl::StrCat("audit_bench_", ::getpid());
  const std::vector<std::string> stores = {"file", "sqlite", "redis"};
  // results[writers][store] = one Result per round
  std::map<int, std::map<std::string, std::vector<Result>>> results;
  for (int round = 0; round < rounds; ++round) {
    for (int writers : writer_counts) {
      for (const std::string& kind : stores) {
        const fs::path dir = root / absl::StrCat(kind, round, "_", writers);
        fs::create_directories(dir);
        std::unique_ptr<AuditStore> store;
        if (kind == "file") store = std::make_unique<FileAppendStore>(dir.string());
        if (kind == "sqlite") store = *SqliteAuditStore::Open((dir / "audit.db").string(), {});
        if (kind == "redis") store = *RedisAuditStore::Open("127.0.0.1", (*redis)->port(), {});
        AuditTrail trail(std::move(store), {});
        results[writers][kind].push_back(Measure(trail, writers, appends));
      }
    }
  }
  fs::remove_all(root);
  std::printf(
      "audit append, %d appends of %zu bytes per run, %d rounds (medians; ratio = "
      "appends/s over the file baseline of the same round, median [min..max])\n",
      appends, TypicalEntry().ByteSizeLong(), rounds);
  std::printf("%-7s %7s %12s %10s %10s %26s\n", "store", "writers", "appends/s", "p50 us", "p99 us",
              "throughput vs file");
  for (int writers : writer_counts) {
    for (const std::string& kind : stores) {
      std::vector<double> rate, p50, p99, ratio;
      for (int r = 0; r < rounds; ++r) {
        const Result& mine = results[writers][kind][static_cast<size_t>(r)];
        rate.push_back(mine.appends_per_s);
        p50.push_back(mine.p50_us);
        p99.push_back(mine.p99_us);
        ratio.push_back(mine.appends_per_s /
                        results[writers]["file"][static_cast<size_t>(r)].appends_per_s);
      }
      std::printf("%-7s %7d %12.0f %10.0f %10.0f %12.2f [%.2f..%.2f]\n", kind.c_str(), writers,
                  Median(rate), Median(p50), Median(p99), Median(ratio),
                  *std::min_element(ratio.begin(), ratio.end()),
                  *std::max_element(ratio.begin(), ratio.end()));
    }
  }
  return 0;
}

}  // namespace
}  // namespace df::factory

int main(int argc, char** argv) { return df::factory::Run(argc, argv); }
