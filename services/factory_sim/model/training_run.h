// A simulated training run: the telemetry behind the live dashboard.
//
// Purpose: THE run of the model. Given levers (or their evaluated report), Advance(dt) moves the
// run forward by dt seconds of simulated time and returns one tick: GPU utilisation, IO and network
// throughput (bytes/s), cumulative bytes moved and dollars spent, epochs done and progress in the
// current epoch, and at each epoch end the waterfall. The first tick carries the report's whole
// consequence log (the standing state: gpu_starved, deadline_missed, ...), so that a later
// "<code>_cleared" always clears something the client was told. SetLevers() takes effect on the
// next Advance; that tick carries the consequences of the change (DiffConsequences).
//
// Model (steady state of a prefetching pipeline, report.h / physics.h):
//   images/s = min(demand images/s, supply bytes/s / mean_sample_bytes), with the workload the
//   report was evaluated on; gpu_utilization = eta; io throughput = images/s * mean_sample_bytes;
//   network throughput = the same when the data is remote and read over fiber, else 0;
//   bytes_moved += bytes read per tick; dollars_spent grows by the egress of this tick's
//   network bytes (marginal price at the cumulative volume, one monthly cycle, the pricing in
//   force), retrieval fees per byte read from S3-IA / Glacier Instant, and an archive tier's
//   restore fee once (at the start, or when the run switches to an archive tier). One-off
//   transfer plan costs (devices, export fees) are in the report, not in the run. Rates are
//   averages over the tick; gpu_utilization = eta * busy share of the tick.
//   An epoch is images_per_epoch = dataset_bytes * (1 - dedup) / mean_sample_bytes; a lever
//   change keeps the epoch's fractional progress. A tick that crosses an epoch end reports
//   epoch_end with the waterfall of the levers in force (several ends in one tick: the last).
//   epoch_progress is 1 once the run is complete.
//   After `epochs` epochs the run is complete: the tick that finishes it has run_complete, and
//   later ticks are idle (zero rates) and also run_complete.
//
// Usage:
//   absl::StatusOr<TrainingRun> run = TrainingRun::Create(levers, /*epochs=*/3);
//   while (!run->complete()) Publish(run->Advance(/*dt_seconds=*/60));
//
// Thread-safety: not thread-safe; one owner (e.g. one stream's reactor) drives it.
// Failure: Create / SetLevers return InvalidArgument for levers out of range (the run keeps
// its previous levers) or epochs outside 1..1000; the Report overloads take levers Evaluate
// already validated and check nothing else about them. Advance with dt <= 0 returns a tick
// that only repeats the state.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_TRAINING_RUN_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_TRAINING_RUN_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/report.h"

namespace df::factory {

struct TelemetrySample {
  int64_t tick = 0;  // 0, 1, 2, ... one per Advance
  double simulated_seconds = 0.0;
  double gpu_utilization = 0.0;  // 0..1
  double io_throughput_bytes_per_s = 0.0;
  double network_throughput_bytes_per_s = 0.0;
  double bytes_moved = 0.0;     // cumulative
  double dollars_spent = 0.0;   // cumulative
  int epoch = 0;                // epochs completed
  double epoch_progress = 0.0;  // 0..1 within the current epoch
  bool epoch_end = false;
  std::optional<Waterfall> waterfall;     // set on epoch ends
  std::vector<Consequence> consequences;  // tick 0: the whole log; then new since the last
  Levers levers;                          // in force for this tick
  bool run_complete = false;
};

class TrainingRun {
 public:
  static constexpr int kMaxEpochs = 1000;

  [[nodiscard]] static absl::StatusOr<TrainingRun> Create(const Levers& levers, int epochs);
  // From levers already evaluated (`report` = Evaluate(levers)); fails only for `epochs`.
  [[nodiscard]] static absl::StatusOr<TrainingRun> Create(Report report, int epochs);

  // Takes effect on the next Advance, whose tick carries the consequences of the change.
  [[nodiscard]] absl::Status SetLevers(const Levers& levers);
  // The same for levers already evaluated (`next` = Evaluate(levers)); returns the
  // consequences of the change, which the next tick carries as well.
  std::vector<Consequence> SetReport(Report next);

  TelemetrySample Advance(double dt_seconds);

  bool complete() const { return epochs_done_ >= epochs_; }
  const Levers& levers() const { return report_.levers; }
  const Report& report() const { return report_; }  // of the levers in force
  int epochs() const { return epochs_; }

 private:
  TrainingRun(Report report, int epochs);

  Report report_;
  std::vector<Consequence> pending_;  // from SetLevers, published on the next tick
  int epochs_ = 0;
  int epochs_done_ = 0;
  double epoch_fraction_ = 0.0;  // progress in the current epoch, 0..1
  int64_t next_tick_ = 0;
  double simulated_seconds_ = 0.0;
  double bytes_read_ = 0.0;     // cumulative bytes fed to the GPUs
  double network_bytes_ = 0.0;  // cumulative bytes that crossed the fiber link
  double dollars_ = 0.0;
  double one_off_dollars_ = 0.0;  // archive restore fee, charged on the next tick
};

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_TRAINING_RUN_H_
