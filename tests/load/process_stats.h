// ProcessStats: a process's CPU time and resident memory, read from Linux's
// /proc/<pid>/stat and /proc/<pid>/status, for the load program's table (the
// server's CPU per frame and RSS, and the load program's own CPU beside it).
//
// Usage:
//   absl::StatusOr<ProcessStats> before = ReadProcessStats(pid);
//   ... load ...
//   absl::StatusOr<ProcessStats> after = ReadProcessStats(pid);
//   double cpu_s = after->cpu_seconds - before->cpu_seconds;
//
// The parsers are pure (tested on fixed text); ReadProcessStats does the I/O.
// Thread-safety: free functions, no shared state.
// Failure: NOT_FOUND when the process is gone, INVALID_ARGUMENT naming the file
// and field when the text does not parse.
#ifndef DATA_FACTORY_TESTS_LOAD_PROCESS_STATS_H_
#define DATA_FACTORY_TESTS_LOAD_PROCESS_STATS_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::load {

struct ProcessStats {
  double cpu_seconds = 0;      // user + system time since the process started
  int64_t rss_bytes = 0;       // VmRSS: resident now
  int64_t peak_rss_bytes = 0;  // VmHWM: the largest resident size since it started
};

// User + system CPU time from the text of /proc/<pid>/stat, in clock ticks (fields
// 14 and 15, counted after the command name, which may hold spaces and parentheses).
[[nodiscard]] absl::StatusOr<int64_t> ParseCpuTicks(absl::string_view stat_text);

// VmRSS and VmHWM from the text of /proc/<pid>/status, in bytes (the file says kB).
// cpu_seconds is left 0.
[[nodiscard]] absl::StatusOr<ProcessStats> ParseMemory(absl::string_view status_text);

// Both, for a live process.
[[nodiscard]] absl::StatusOr<ProcessStats> ReadProcessStats(pid_t pid);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_PROCESS_STATS_H_
