#include "tests/load/load_targets.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace df::load {
namespace {

std::string ErrorsText(const CallOutcomes& outcomes) {
  if (outcomes.error_count() == 0) return "none";
  return absl::StrCat(absl::StrJoin(outcomes.errors(), ", ", absl::PairFormatter(" x ")),
                      " (first: \"", outcomes.first_error_message(), "\")");
}

}  // namespace

std::vector<Verdict> CameraIntegrity(const CameraLoadResult& r) {
  return {
      {"frames sent on admitted calls = frames answered", r.frames_sent == r.frames_answered,
       absl::StrCat(r.frames_sent, " sent, ", r.frames_answered, " answered")},
      {"no call ended with an error (refusals apart)", r.outcomes.error_count() == 0,
       ErrorsText(r.outcomes)},
  };
}

std::vector<Verdict> TelemetryIntegrity(const TelemetryLoadResult& r) {
  return {{"no telemetry run ended with an error (refusals apart)", r.outcomes.error_count() == 0,
           ErrorsText(r.outcomes)}};
}

std::vector<Verdict> CameraTargets(const CameraLoadOptions& o, const CameraLoadResult& r,
                                   ServerFlags flags) {
  const double p99 = Percentile(r.latency_ms, 0.99);
  const bool answered_all = r.frames_planned == r.frames_sent &&
                            r.frames_sent == r.frames_answered && r.frame_errors.empty();
  std::string answered_detail = absl::StrCat(
      r.frames_planned, " planned, ", r.frames_sent, " sent, ", r.frames_answered, " answered, ",
      r.frames_on_refused_calls + r.frames_not_sent, " lost to refused or ended calls");
  for (const auto& [reason, n] : r.frame_errors) {
    absl::StrAppend(&answered_detail, ", ", n, " rejected (", reason, ")");
  }
  return {
      {absl::StrFormat("%d cameras x %g fps", kTargetCameras, kTargetFramesPerSecond),
       o.cameras >= kTargetCameras && o.frames_per_second >= kTargetFramesPerSecond,
       absl::StrFormat("this run: %d x %g", o.cameras, o.frames_per_second)},
      {"server at its default flags", flags == ServerFlags::kDefault,
       flags == ServerFlags::kDefault   ? "started with no flags of its own"
       : flags == ServerFlags::kChanged ? "started with flags of its own"
                                        : "a server this program did not start: flags unknown"},
      {"no refusals", r.outcomes.refused() == 0,
       r.outcomes.refused() == 0
           ? absl::StrCat("0 of ", r.calls_planned, " calls refused")
           : absl::StrCat(r.outcomes.refused(), " of ", r.calls_planned, " calls refused: \"",
                          r.outcomes.first_refusal_message(), "\"")},
      {"every planned frame sent and answered", answered_all, answered_detail},
      {absl::StrFormat("reply p99 < %g ms", kTargetP99Ms),
       !r.latency_ms.empty() && p99 < kTargetP99Ms,
       absl::StrFormat("p99 %.1f ms over %d frames", p99, r.latency_ms.size())},
  };
}

bool AllPass(const std::vector<Verdict>& verdicts) {
  for (const Verdict& v : verdicts) {
    if (!v.pass) return false;
  }
  return true;
}

}  // namespace df::load
