#include "services/factory_sim/model/training_run.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/factory_sim/model/lever_diff.h"
#include "services/factory_sim/model/physics.h"

namespace df::factory {
namespace {

bool ReadsOverFiber(const Levers& levers) {
  return DataIsRemote(levers) && levers.transfer_method == TransferMethod::kFiber;
}

// Per-read fees (S3-IA, Glacier Instant); archive restores are one-off (see SetLevers).
double PerReadDollars(StorageTier tier, double bytes) {
  if (RestoreSeconds(tier) > 0) {
    return 0.0;
  }
  return RetrievalCostDollars(tier, bytes);
}

}  // namespace

TrainingRun::TrainingRun(Report report, int epochs) : report_(std::move(report)), epochs_(epochs) {
  pending_ = report_.consequences;  // the standing state, on the first tick
  one_off_dollars_ =
      RestoreSeconds(report_.levers.storage_tier) > 0
          ? RetrievalCostDollars(report_.levers.storage_tier, report_.dedup.stored_bytes)
          : 0.0;
}

absl::StatusOr<TrainingRun> TrainingRun::Create(const Levers& levers, int epochs) {
  absl::StatusOr<Report> report = Evaluate(levers);
  if (!report.ok()) {
    return report.status();
  }
  return Create(*std::move(report), epochs);
}

absl::StatusOr<TrainingRun> TrainingRun::Create(Report report, int epochs) {
  if (epochs < 1 || epochs > kMaxEpochs) {
    return absl::InvalidArgumentError(
        absl::StrCat("epochs = ", epochs, " is out of range; allowed: 1 .. ", kMaxEpochs));
  }
  return TrainingRun(std::move(report), epochs);
}

absl::Status TrainingRun::SetLevers(const Levers& levers) {
  absl::StatusOr<Report> next = Evaluate(levers);
  if (!next.ok()) {
    return next.status();
  }
  SetReport(*std::move(next));
  return absl::OkStatus();
}

std::vector<Consequence> TrainingRun::SetReport(Report next) {
  std::vector<Consequence> diff = DiffConsequences(report_, next);
  pending_.insert(pending_.end(), diff.begin(), diff.end());
  if (next.levers.storage_tier != report_.levers.storage_tier &&
      RestoreSeconds(next.levers.storage_tier) > 0) {
    one_off_dollars_ += RetrievalCostDollars(next.levers.storage_tier, next.dedup.stored_bytes);
  }
  report_ = std::move(next);
  return diff;
}

TelemetrySample TrainingRun::Advance(double dt_seconds) {
  TelemetrySample sample;
  sample.tick = next_tick_++;
  sample.levers = report_.levers;
  sample.consequences = std::move(pending_);
  pending_.clear();

  const Levers& levers = report_.levers;
  const double sample_bytes = report_.workload.mean_sample_bytes;
  const double images_per_epoch =
      levers.dataset_bytes * (1.0 - levers.dedup_fraction) / sample_bytes;
  const double images_per_s = std::min(TrainingImagesPerS(levers.gpu_type, levers.gpu_count),
                                       report_.feeding_tax.supply_bytes_per_s / sample_bytes);

  double busy_seconds = 0.0;
  if (dt_seconds > 0 && !complete()) {
    double remaining = dt_seconds;
    while (remaining > 0 && !complete()) {
      const double seconds_to_epoch_end = (1.0 - epoch_fraction_) * images_per_epoch / images_per_s;
      if (seconds_to_epoch_end <= remaining) {
        remaining -= seconds_to_epoch_end;
        busy_seconds += seconds_to_epoch_end;
        epoch_fraction_ = 0.0;
        ++epochs_done_;
        sample.epoch_end = true;
        sample.waterfall = report_.waterfall;
      } else {
        epoch_fraction_ += remaining * images_per_s / images_per_epoch;
        busy_seconds += remaining;
        remaining = 0.0;
      }
    }
    simulated_seconds_ += dt_seconds;
  }

  const double bytes = busy_seconds * images_per_s * sample_bytes;
  const double egress_before = EgressCostDollars(network_bytes_, levers.pricing_model);
  bytes_read_ += bytes;
  if (ReadsOverFiber(levers)) {
    network_bytes_ += bytes;
  }
  dollars_ += EgressCostDollars(network_bytes_, levers.pricing_model) - egress_before +
              PerReadDollars(levers.storage_tier, bytes) + one_off_dollars_;
  one_off_dollars_ = 0.0;

  if (dt_seconds > 0) {
    sample.io_throughput_bytes_per_s = bytes / dt_seconds;
    sample.network_throughput_bytes_per_s = ReadsOverFiber(levers) ? bytes / dt_seconds : 0.0;
    sample.gpu_utilization = report_.feeding_tax.efficiency * busy_seconds / dt_seconds;
  }
  sample.simulated_seconds = simulated_seconds_;
  sample.bytes_moved = bytes_read_;
  sample.dollars_spent = dollars_;
  sample.epoch = epochs_done_;
  sample.run_complete = complete();
  sample.epoch_progress = sample.run_complete ? 1.0 : epoch_fraction_;
  return sample;
}

}  // namespace df::factory
