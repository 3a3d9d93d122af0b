// PacedRun: the model's TrainingRun as a telemetry stream runs it — at a pace.
//
// Purpose: what the server adds to a training run. The pace fixes the simulated seconds per
// tick (or lets the run choose: one epoch in about kDefaultTicksPerEpoch ticks) and the number
// of epochs, and bounds how long a run may stream: a run expected to last more than
// kMaxExpectedTicks ticks is refused at the start, and so is a lever change that would push it
// there. The wall-clock interval between ticks is the reactor's business (tick_interval_ms).
//
// Usage:
//   absl::StatusOr<PacedRun> run = PacedRun::Start(selection, Pace{});
//   while (!run->complete()) Send(run->Advance());
//   absl::StatusOr<std::vector<Consequence>> why = run->ChangeLevers(change);
//
// Thread-safety: not thread-safe; its owner (one stream's reactor) serialises calls.
// Failure: Start and ChangeLevers return the model's error (INVALID_ARGUMENT naming the lever
// and its range, NOT_FOUND for an unknown scenario) or INVALID_ARGUMENT naming pace.epochs and
// pace.simulated_seconds_per_tick for a run past kMaxExpectedTicks; a refused change leaves
// the run as it was.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PACED_RUN_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PACED_RUN_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/lever_selection.h"
#include "services/factory_sim/model/training_run.h"

namespace df::factory {

// A run may be expected to last at most this many ticks: epochs x the epoch's simulated
// seconds / simulated_seconds_per_tick. With the run's own step (0) it is about
// kDefaultTicksPerEpoch ticks an epoch, always within the cap.
inline constexpr double kMaxExpectedTicks = 1e6;
inline constexpr double kDefaultTicksPerEpoch = 50;

struct Pace {
  int tick_interval_ms = 200;             // wall clock between ticks; 0: unpaced
  double simulated_seconds_per_tick = 0;  // 0: one epoch in ~kDefaultTicksPerEpoch ticks
  int epochs = 3;                         // 1 .. TrainingRun::kMaxEpochs
};

class PacedRun {
 public:
  [[nodiscard]] static absl::StatusOr<PacedRun> Start(const LeverSelection& selection,
                                                      const Pace& pace);

  // Applies a lever change from the next tick on; returns the consequences that explain it
  // (the next tick carries them as well).
  [[nodiscard]] absl::StatusOr<std::vector<Consequence>> ChangeLevers(const LeverSelection& change);

  // One tick of simulated time.
  TelemetrySample Advance();

  bool complete() const { return run_.complete(); }
  const Levers& levers() const { return run_.levers(); }
  const Pace& pace() const { return pace_; }

 private:
  PacedRun(TrainingRun run, const Pace& pace) : run_(std::move(run)), pace_(pace) {}

  TrainingRun run_;
  Pace pace_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PACED_RUN_H_
