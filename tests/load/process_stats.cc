#include "tests/load/process_stats.h"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace df::load {
namespace {

absl::StatusOr<std::string> ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The value of "Key:   123 kB" in /proc/<pid>/status, in bytes.
absl::StatusOr<int64_t> StatusKilobytes(absl::string_view text, absl::string_view key) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::ConsumePrefix(&line, key) || !absl::ConsumePrefix(&line, ":")) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    int64_t kib = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) break;
    return kib * 1024;
  }
  return absl::InvalidArgumentError(absl::StrCat("/proc status: no ", key, " in kB"));
}

}  // namespace

absl::StatusOr<int64_t> ParseCpuTicks(absl::string_view stat_text) {
  // "pid (comm) state ppid ..."; the fields after the last ')' start at field 3.
  const size_t close = stat_text.rfind(')');
  if (close == absl::string_view::npos) {
    return absl::InvalidArgumentError("/proc stat: no ')' after the command name");
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(stat_text.substr(close + 1), ' ', absl::SkipEmpty());
  constexpr size_t kUtime = 14 - 3;  // field 14 (utime), 15 (stime), counted from 1
  int64_t utime = 0;
  int64_t stime = 0;
  if (fields.size() <= kUtime + 1 || !absl::SimpleAtoi(fields[kUtime], &utime) ||
      !absl::SimpleAtoi(fields[kUtime + 1], &stime)) {
    return absl::InvalidArgumentError("/proc stat: fields 14 (utime) and 15 (stime) unreadable");
  }
  return utime + stime;
}

absl::StatusOr<ProcessStats> ParseMemory(absl::string_view status_text) {
  ProcessStats stats;
  absl::StatusOr<int64_t> rss = StatusKilobytes(status_text, "VmRSS");
  if (!rss.ok()) return rss.status();
  absl::StatusOr<int64_t> peak = StatusKilobytes(status_text, "VmHWM");
  if (!peak.ok()) return peak.status();
  stats.rss_bytes = *rss;
  stats.peak_rss_bytes = *peak;
  return stats;
}

absl::StatusOr<ProcessStats> ReadProcessStats(pid_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid, "/");
  absl::StatusOr<std::string> stat = ReadText(dir + "stat");
  if (!stat.ok()) return stat.status();
  absl::StatusOr<std::string> status = ReadText(dir + "status");
  if (!status.ok()) return status.status();
  absl::StatusOr<int64_t> ticks = ParseCpuTicks(*stat);
  if (!ticks.ok()) return ticks.status();
  absl::StatusOr<ProcessStats> stats = ParseMemory(*status);
  if (!stats.ok()) return stats.status();
  stats->cpu_seconds = static_cast<double>(*ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  return stats;
}

}  // namespace df::load
