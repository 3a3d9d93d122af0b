#include "services/factory_sim/server/paced_run.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/factory_sim/model/report.h"

namespace df::factory {
namespace {

// INVALID_ARGUMENT when `pace.epochs` epochs of `epoch_seconds` at a fixed step would take
// more than kMaxExpectedTicks ticks (the run's own step never does).
absl::Status CheckExpectedTicks(const Pace& pace, double epoch_seconds) {
  if (pace.simulated_seconds_per_tick <= 0) return absl::OkStatus();
  const double ticks = pace.epochs * epoch_seconds / pace.simulated_seconds_per_tick;
  if (ticks <= kMaxExpectedTicks) return absl::OkStatus();  // false for NaN too
  return absl::InvalidArgumentError(absl::StrCat(
      "pace.epochs (", pace.epochs, ") x epoch seconds (", epoch_seconds,
      ") / pace.simulated_seconds_per_tick (", pace.simulated_seconds_per_tick, ") = ", ticks,
      " ticks; a run may last at most ", kMaxExpectedTicks,
      " ticks: raise pace.simulated_seconds_per_tick, lower pace.epochs, or use 0 (auto)"));
}

}  // namespace

absl::StatusOr<PacedRun> PacedRun::Start(const LeverSelection& selection, const Pace& pace) {
  absl::StatusOr<Report> report = Evaluate(selection);
  if (!report.ok()) return report.status();
  absl::StatusOr<TrainingRun> run = TrainingRun::Create(*std::move(report), pace.epochs);
  if (!run.ok()) return run.status();
  if (absl::Status s = CheckExpectedTicks(pace, run->report().waterfall.epoch_overlapped_seconds);
      !s.ok()) {
    return s;
  }
  return PacedRun(*std::move(run), pace);
}

absl::StatusOr<std::vector<Consequence>> PacedRun::ChangeLevers(const LeverSelection& change) {
  absl::StatusOr<Report> after = Evaluate(change);
  if (!after.ok()) return after.status();
  if (absl::Status s = CheckExpectedTicks(pace_, after->waterfall.epoch_overlapped_seconds);
      !s.ok()) {
    return s;
  }
  return run_.SetReport(*std::move(after));
}

TelemetrySample PacedRun::Advance() {
  double dt = pace_.simulated_seconds_per_tick;
  if (dt <= 0) dt = run_.report().waterfall.epoch_overlapped_seconds / kDefaultTicksPerEpoch;
  if (!(dt > 0)) dt = 1.0;
  return run_.Advance(dt);
}

}  // namespace df::factory
