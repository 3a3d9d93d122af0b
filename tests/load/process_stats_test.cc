#include "tests/load/process_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <vector>

namespace df::load {
namespace {

TEST(ProcessStatsTest, CpuTicksAreUtimePlusStimeAfterTheCommandName) {
  // A command name with spaces and a ')' must not shift the fields.
  const char* stat =
      "4242 (drift monitor) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 9 0";
  absl::StatusOr<int64_t> ticks = ParseCpuTicks(stat);
  ASSERT_TRUE(ticks.ok()) << ticks.status();
  EXPECT_EQ(*ticks, 1750);
  EXPECT_FALSE(ParseCpuTicks("4242 (short) S 1 2").ok());
  EXPECT_FALSE(ParseCpuTicks("no parenthesis").ok());
}

TEST(ProcessStatsTest, MemoryFromStatusInBytes) {
  absl::StatusOr<ProcessStats> m = ParseMemory(
      "Name:\tdrift-monitor\nVmPeak:\t  900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->rss_bytes, 102400LL * 1024);
  EXPECT_EQ(m->peak_rss_bytes, 204800LL * 1024);
  EXPECT_FALSE(ParseMemory("Name:\tx\nVmHWM:\t 1 kB\n").ok());  // no VmRSS
}

TEST(ProcessStatsTest, ReadsThisProcess) {
  std::vector<char> touched(32 << 20, 1);  // 32 MiB resident
  absl::StatusOr<ProcessStats> self = ReadProcessStats(::getpid());
  ASSERT_TRUE(self.ok()) << self.status();
  EXPECT_GE(self->rss_bytes, 32 << 20);
  EXPECT_GE(self->peak_rss_bytes, self->rss_bytes);
  EXPECT_GE(self->cpu_seconds, 0);
  EXPECT_EQ(touched[touched.size() - 1], 1);
  EXPECT_EQ(ReadProcessStats(-1).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace df::load
