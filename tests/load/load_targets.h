// The load program's verdicts, from a phase's result (pure, tested without servers):
//  - integrity, which the program always enforces (exit status 1): every frame
//    written on an admitted call was answered, and no call ended with an error other
//    than a refusal (refusals are counted apart: they are the server's call limit);
//  - issue 11's targets for the cameras, printed PASS/FAIL and enforced only with
//    --enforce: 1,000 cameras x 0.5 fps at the server's default flags, no refusals,
//    every planned frame sent and answered, reply p99 < 100 ms.
//
// Usage:
//   std::vector<Verdict> v = CameraTargets(options, result, ServerFlags::kDefault);
//   bool met = AllPass(v);
//
// Thread-safety: pure functions. Failure: none.
#ifndef DATA_FACTORY_TESTS_LOAD_LOAD_TARGETS_H_
#define DATA_FACTORY_TESTS_LOAD_LOAD_TARGETS_H_

#include <string>
#include <vector>

#include "tests/load/camera_load.h"
#include "tests/load/telemetry_load.h"

namespace df::load {

struct Verdict {
  std::string what;  // "no refusals"
  bool pass = false;
  std::string detail;  // this run's figure, e.g. "936 of 1000 calls refused"
};

// What the load program knows of the server's flags.
enum class ServerFlags { kDefault, kChanged, kUnknown /* a server it did not start */ };

inline constexpr int kTargetCameras = 1000;
inline constexpr double kTargetFramesPerSecond = 0.5;
inline constexpr double kTargetP99Ms = 100;

[[nodiscard]] std::vector<Verdict> CameraIntegrity(const CameraLoadResult& result);
[[nodiscard]] std::vector<Verdict> TelemetryIntegrity(const TelemetryLoadResult& result);
[[nodiscard]] std::vector<Verdict> CameraTargets(const CameraLoadOptions& options,
                                                 const CameraLoadResult& result, ServerFlags flags);
[[nodiscard]] bool AllPass(const std::vector<Verdict>& verdicts);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_LOAD_TARGETS_H_
