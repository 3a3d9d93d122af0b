// The load program's table: one block per phase (what was run, what came back, the
// server's and the load program's own resources) and the verdicts. Formatting only.
//
// Usage:
//   std::printf("%s", CameraTable(options, result, usage).c_str());
//
// Thread-safety: pure functions. Failure: none.
#ifndef DATA_FACTORY_TESTS_LOAD_LOAD_TABLE_H_
#define DATA_FACTORY_TESTS_LOAD_LOAD_TABLE_H_

#include <string>
#include <vector>

#include "tests/load/camera_load.h"
#include "tests/load/load_targets.h"
#include "tests/load/telemetry_load.h"

namespace df::load {

// CPU and memory of the server and of the load program over one phase.
struct PhaseUsage {
  std::string server;            // "drift-monitor 127.0.0.1:41033 (pid 1234, default flags)"
  bool server_measured = false;  // false: no pid to read /proc from
  double server_cpu_seconds = 0;
  int64_t server_peak_rss_bytes = 0;  // VmHWM: the peak since the server started
  int64_t server_end_rss_bytes = 0;
  double own_cpu_seconds = 0;
};

[[nodiscard]] std::string CameraTable(const CameraLoadOptions& options,
                                      const CameraLoadResult& result, const PhaseUsage& usage);
[[nodiscard]] std::string TelemetryTable(const TelemetryLoadOptions& options,
                                         const TelemetryLoadResult& result,
                                         const PhaseUsage& usage);
// "  PASS  what   detail" lines under a heading.
[[nodiscard]] std::string VerdictLines(const std::string& heading,
                                       const std::vector<Verdict>& verdicts);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_LOAD_TABLE_H_
