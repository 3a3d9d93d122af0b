// The simulated training run: ticks follow the report's physics; lever changes land on the
// next tick with their consequences.
#include "services/factory_sim/model/training_run.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

constexpr double kImageBytes = 147.9e9 / 1'281'167;  // the ImageNet archive's mean, 115 KB
constexpr double kDiskEpoch = 147.9e9 / 250e6;       // 591.6 s

TrainingRun Start(const std::string& scenario, int epochs) {
  absl::StatusOr<TrainingRun> run = TrainingRun::Create(*ScenarioLevers(scenario), epochs);
  EXPECT_TRUE(run.ok()) << run.status();
  return *std::move(run);
}

TEST(TrainingRunTest, ActTwoTicksRunAtTheDiskRate) {
  TrainingRun run = Start("act2", 1);
  const TelemetrySample t0 = run.Advance(100);
  EXPECT_EQ(t0.tick, 0);
  EXPECT_NEAR(t0.gpu_utilization, 250e6 / (16'621 * kImageBytes), 1e-9);
  EXPECT_NEAR(t0.io_throughput_bytes_per_s, 250e6, 1e-3);
  EXPECT_DOUBLE_EQ(t0.network_throughput_bytes_per_s, 0.0);
  EXPECT_NEAR(t0.bytes_moved, 250e6 * 100, 1.0);
  EXPECT_NEAR(t0.epoch_progress, 100.0 / kDiskEpoch, 1e-9);
  EXPECT_FALSE(t0.epoch_end);
  EXPECT_DOUBLE_EQ(t0.dollars_spent, 0.0);  // same-site cloud disk: no egress, no fees
  EXPECT_EQ(t0.levers, run.levers());
}

// A client that starts watching must learn the standing state, so that a later
// "gpu_starved_cleared" clears something it was told about.
TEST(TrainingRunTest, TheFirstTickCarriesTheStandingConsequences) {
  TrainingRun run = Start("act2", 1);
  const TelemetrySample t0 = run.Advance(10);
  ASSERT_EQ(t0.consequences.size(), run.report().consequences.size());
  bool starved = false;
  for (const Consequence& c : t0.consequences) starved = starved || c.code == "gpu_starved";
  EXPECT_TRUE(starved);
  EXPECT_TRUE(run.Advance(10).consequences.empty());  // told once
  ASSERT_TRUE(run.SetLevers(*ScenarioLevers("act2_nvme")).ok());
  bool cleared = false;
  for (const Consequence& c : run.Advance(10).consequences) {
    cleared = cleared || c.code == "gpu_starved_cleared";
  }
  EXPECT_TRUE(cleared);
}

TEST(TrainingRunTest, EpochEndCarriesTheWaterfallAndTheRunCompletes) {
  TrainingRun run = Start("act2", 2);
  int ends = 0;
  TelemetrySample last;
  for (int i = 0; i < 12; ++i) {  // 12 x 100 s > 2 epochs of 591.6 s
    last = run.Advance(100);
    if (last.epoch_end) {
      ++ends;
      ASSERT_TRUE(last.waterfall.has_value());
      EXPECT_DOUBLE_EQ(last.waterfall->epoch_overlapped_seconds, kDiskEpoch);
    } else {
      EXPECT_FALSE(last.waterfall.has_value());
    }
    if (i == 5) {
      EXPECT_EQ(last.epoch, 1);  // 600 s
    }
  }
  EXPECT_EQ(ends, 2);
  EXPECT_TRUE(run.complete());
  EXPECT_TRUE(last.run_complete);
  EXPECT_EQ(last.epoch, 2);
  EXPECT_NEAR(last.bytes_moved, 2 * 147.9e9, 1e3);
  const TelemetrySample idle = run.Advance(100);
  EXPECT_TRUE(idle.run_complete);
  EXPECT_DOUBLE_EQ(idle.io_throughput_bytes_per_s, 0.0);
  EXPECT_DOUBLE_EQ(idle.gpu_utilization, 0.0);
  EXPECT_DOUBLE_EQ(idle.bytes_moved, last.bytes_moved);
}

TEST(TrainingRunTest, OneHugeTickStopsAtTheLastEpoch) {
  TrainingRun run = Start("act2", 3);
  const TelemetrySample t = run.Advance(1e6);
  EXPECT_EQ(t.epoch, 3);
  EXPECT_TRUE(t.epoch_end);
  EXPECT_TRUE(t.run_complete);
  EXPECT_NEAR(t.bytes_moved, 3 * 147.9e9, 1e3);
  EXPECT_NEAR(t.gpu_utilization, 250e6 / (16'621 * kImageBytes) * (3 * kDiskEpoch) / 1e6, 1e-9);
}

TEST(TrainingRunTest, LeverChangeTakesEffectOnTheNextTickWithItsConsequences) {
  TrainingRun run = Start("act2", 3);
  const TelemetrySample before = run.Advance(50);
  ASSERT_TRUE(run.SetLevers(*ScenarioLevers("act2_nvme")).ok());
  const TelemetrySample after = run.Advance(10);
  EXPECT_LT(before.gpu_utilization, 0.2);
  EXPECT_DOUBLE_EQ(after.gpu_utilization, 1.0);
  EXPECT_NEAR(after.io_throughput_bytes_per_s, 16'621 * kImageBytes, 1e-3);
  EXPECT_EQ(after.levers.storage_tier, StorageTier::kLocalNvme);
  ASSERT_FALSE(after.consequences.empty());
  EXPECT_EQ(after.consequences[0].code, "lever_changed");
  EXPECT_TRUE(absl::StrContains(after.consequences[0].message, "local_nvme"));
  // Progress carried over: 50 s of the disk epoch, then 10 s at the GPU rate.
  const double disk_share = 50.0 / kDiskEpoch;
  const double nvme_share = 10.0 * 16'621 / 1'281'167;
  EXPECT_NEAR(after.epoch_progress, disk_share + nvme_share, 1e-9);
  // Consequences are published once.
  EXPECT_TRUE(run.Advance(10).consequences.empty());
}

TEST(TrainingRunTest, InvalidLeversAreRefusedAndTheRunKeepsItsLevers) {
  TrainingRun run = Start("act2", 1);
  Levers bad = run.levers();
  bad.dedup_fraction = 0.9;
  const absl::Status status = run.SetLevers(bad);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "dedup_fraction"));
  EXPECT_EQ(run.levers(), *ScenarioLevers("act2"));
  EXPECT_FALSE(TrainingRun::Create(*ScenarioLevers("act2"), 0).ok());
  EXPECT_FALSE(TrainingRun::Create(*ScenarioLevers("act2"), 1001).ok());
}

TEST(TrainingRunTest, RemoteFiberRunPaysEgressPerByteAndNeverRefunds) {
  TrainingRun run = Start("act1", 1);
  const TelemetrySample t = run.Advance(1000);
  const double link = 1e9 * 0.8 / 8;
  EXPECT_NEAR(t.network_throughput_bytes_per_s, link, 1e-3);
  EXPECT_NEAR(t.dollars_spent, link * 1000 / 1e9 * 0.09, 1e-9);
  // Switching to tiered pricing mid-run only changes the price of later bytes.
  Levers tiered = run.levers();
  tiered.pricing_model = PricingModel::kTiered;
  ASSERT_TRUE(run.SetLevers(tiered).ok());
  double dollars = t.dollars_spent;
  for (int i = 0; i < 50; ++i) {
    const TelemetrySample next = run.Advance(10'000);
    EXPECT_GE(next.dollars_spent, dollars);
    dollars = next.dollars_spent;
  }
}

TEST(TrainingRunTest, ArchiveRestoreFeeIsChargedOnce) {
  absl::StatusOr<Levers> levers =
      ApplyLeverSetting(*ScenarioLevers("act2"), "storage_tier=deep_archive");
  ASSERT_TRUE(levers.ok());
  absl::StatusOr<TrainingRun> run = TrainingRun::Create(*levers, 2);
  ASSERT_TRUE(run.ok());
  const TelemetrySample t0 = run->Advance(10);
  EXPECT_NEAR(t0.dollars_spent, 147.9 * 0.02, 1e-9);
  EXPECT_DOUBLE_EQ(run->Advance(10).dollars_spent, t0.dollars_spent);
}

TEST(TrainingRunTest, NonPositiveDtRepeatsTheState) {
  TrainingRun run = Start("act2", 1);
  const TelemetrySample a = run.Advance(100);
  const TelemetrySample b = run.Advance(0);
  EXPECT_EQ(b.tick, a.tick + 1);
  EXPECT_DOUBLE_EQ(b.bytes_moved, a.bytes_moved);
  EXPECT_DOUBLE_EQ(b.simulated_seconds, a.simulated_seconds);
  EXPECT_DOUBLE_EQ(b.epoch_progress, a.epoch_progress);
}

}  // namespace
}  // namespace df::factory
