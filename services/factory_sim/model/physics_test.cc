// Golden numbers of the lab (docs/model.md), through the formulas and through Evaluate.
#include "services/factory_sim/model/physics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

constexpr double kPetabyte = 1e15;
constexpr double kDay = 86'400.0;

Levers Act(const char* name) {
  absl::StatusOr<Levers> levers = ScenarioLevers(name);
  EXPECT_TRUE(levers.ok()) << levers.status();
  return levers.ok() ? *levers : Levers{};
}

const Workload& WorkloadOf(const Levers& levers) { return PersonaProfile(levers.persona).workload; }
const Workload& ActWorkload(const char* act) { return WorkloadOf(Act(act)); }

TEST(LinkTransferTest, OnePetabyteAtOneGbpsTakes92Point6Days) {
  const double seconds = LinkTransferSeconds(kPetabyte, 1e9, 1.0);
  EXPECT_DOUBLE_EQ(seconds, 8e6);
  EXPECT_NEAR(seconds / kDay, 92.6, 0.05);
}

TEST(LinkTransferTest, OnePetabyteAtTenGbpsTakes9Point26Days) {
  EXPECT_NEAR(LinkTransferSeconds(kPetabyte, 10e9, 1.0) / kDay, 9.26, 0.005);
  // Over the 10-day deadline once the efficiency drops below 0.926.
  EXPECT_LT(LinkTransferSeconds(kPetabyte, 10e9, 0.93) / kDay, 10.0);
  EXPECT_GT(LinkTransferSeconds(kPetabyte, 10e9, 0.92) / kDay, 10.0);
}

TEST(LinkTransferTest, FiberPlanMatchesFormulaPlusPropagation) {
  Levers levers = Act("act1");
  levers.link_efficiency = 1.0;
  const TransferPlan plan = PlanTransfer(levers, WorkloadOf(levers), TransferMethod::kFiber);
  // 3,000 miles of fibre add 24 ms; the object store does not cap a bulk copy.
  EXPECT_NEAR(plan.seconds, 8e6 + 3000 * 1609.344 / 2e8, 1e-6);
  EXPECT_NEAR(plan.seconds / kDay, 92.6, 0.05);
  EXPECT_FALSE(plan.meets_deadline);
}

TEST(EgressTest, FlatOnePetabyteIs90000Dollars) {
  EXPECT_DOUBLE_EQ(EgressCostDollars(kPetabyte, PricingModel::kFlat), 90'000.0);
}

TEST(EgressTest, TieredOnePetabyteIs53791DollarsWithTheFree100Gb) {
  // 9,900 GB x 0.09 + 40,000 x 0.085 + 100,000 x 0.07 + 850,000 x 0.05
  const double expected = 9'900 * 0.09 + 40'000 * 0.085 + 100'000 * 0.07 + 850'000 * 0.05;
  EXPECT_DOUBLE_EQ(expected, 53'791.0);
  EXPECT_NEAR(EgressCostDollars(kPetabyte, PricingModel::kTiered), 53'791.0, 1e-6);
  // The lab's "~$53,800" is the same sum without the free 100 GB (+ 100 x $0.09).
  EXPECT_NEAR(EgressCostDollars(kPetabyte, PricingModel::kTiered) + 100 * 0.09, 53'800.0, 1e-6);
}

TEST(EgressTest, TierBoundaries) {
  EXPECT_DOUBLE_EQ(EgressCostDollars(100e9, PricingModel::kTiered), 0.0);
  EXPECT_NEAR(EgressCostDollars(10e12, PricingModel::kTiered), 9'900 * 0.09, 1e-9);
  EXPECT_NEAR(EgressCostDollars(50e12, PricingModel::kTiered), 891 + 3'400, 1e-9);
  EXPECT_NEAR(EgressCostDollars(150e12, PricingModel::kTiered), 891 + 3'400 + 7'000, 1e-9);
  EXPECT_DOUBLE_EQ(EgressCostDollars(0, PricingModel::kFlat), 0.0);
}

TEST(FeedingTaxTest, ActTwoCloudDiskLeavesGpusBetween80And90PercentIdle) {
  const FeedingTax tax = FeedingTaxFor(Act("act2"), ActWorkload("act2"));
  const double bytes_per_image = 147.9e9 / 1'281'167;                  // 115,441 B
  EXPECT_DOUBLE_EQ(tax.demand_bytes_per_s, 16'621 * bytes_per_image);  // ~1.92 GB/s
  EXPECT_DOUBLE_EQ(tax.supply_bytes_per_s, 250e6);
  EXPECT_NEAR(tax.efficiency, 250e6 / (16'621 * bytes_per_image), 1e-12);  // ~13.0 %
  EXPECT_GT(tax.gpu_idle_fraction, 0.80);
  EXPECT_LT(tax.gpu_idle_fraction, 0.90);
}

TEST(FeedingTaxTest, ActTwoOnNvmeHasNoFeedingTax) {
  const FeedingTax tax = FeedingTaxFor(Act("act2_nvme"), ActWorkload("act2_nvme"));
  EXPECT_GE(tax.supply_bytes_per_s, figures::kNvmeDriveBytesPerS);
  EXPECT_DOUBLE_EQ(tax.efficiency, 1.0);
  EXPECT_DOUBLE_EQ(tax.gpu_idle_fraction, 0.0);
}

TEST(FeedingTaxTest, EightA100sTrainAtTheMeasuredRate) {
  EXPECT_DOUBLE_EQ(TrainingImagesPerS(GpuType::kA100, 8), 16'621);
  EXPECT_DOUBLE_EQ(TrainingImagesPerS(GpuType::kV100, 8), 8'322);
  EXPECT_DOUBLE_EQ(TrainingImagesPerS(GpuType::kA100, 1), 2'470);
  EXPECT_DOUBLE_EQ(TrainingImagesPerS(GpuType::kH100, 1), 7'000);
}

TEST(WaterfallTest, ActTwoEpochIsDiskBound) {
  const Waterfall w = EpochWaterfall(Act("act2"), ActWorkload("act2"));
  EXPECT_DOUBLE_EQ(w.disk_io_seconds, 147.9e9 / 250e6);  // 591.6 s
  EXPECT_DOUBLE_EQ(w.network_seconds, 0.0);
  EXPECT_NEAR(w.gpu_math_seconds, 1'281'167.0 / 16'621, 1e-9);  // 77.1 s
  EXPECT_DOUBLE_EQ(w.epoch_overlapped_seconds, w.disk_io_seconds);
  EXPECT_DOUBLE_EQ(w.stall_seconds, w.disk_io_seconds - w.gpu_math_seconds);
  EXPECT_DOUBLE_EQ(w.epoch_serial_seconds, w.disk_io_seconds + w.gpu_math_seconds);
  // The stalled share of the epoch is the GPU idle fraction.
  EXPECT_NEAR(w.stall_seconds / w.epoch_overlapped_seconds,
              FeedingTaxFor(Act("act2"), ActWorkload("act2")).gpu_idle_fraction, 1e-12);
}

TEST(WaterfallTest, ActOneStreamsEveryEpochOverTheLink) {
  const Waterfall w = EpochWaterfall(Act("act1"), ActWorkload("act1"));
  EXPECT_DOUBLE_EQ(w.network_seconds, 1e15 / (1e9 * 0.8 / 8));
  EXPECT_DOUBLE_EQ(w.epoch_overlapped_seconds, w.network_seconds);
}

TEST(ShippedTest, DataInS3IsAnExportJobWithItsFeeAndItsTimeline) {
  const TransferPlan plan =
      PlanTransfer(Act("act1"), ActWorkload("act1"), TransferMethod::kShippedDevice);
  EXPECT_EQ(plan.devices, 5);  // ceil(1 PB / 210 TB)
  // AWS loads 2e14 B per device at 1.5 GB/s, ships 2 days, the cluster unloads the same.
  const double device = 2e14 / 1.5e9;  // 133,333 s = 1.54 days
  EXPECT_NEAR(plan.seconds, device + 2 * kDay + device, 1e-6);
  EXPECT_NEAR(plan.seconds / kDay, 5.086, 0.001);
  // The devices go back afterwards: the job closes after the lab's 7.09 days.
  EXPECT_NEAR(plan.job_seconds, plan.seconds + 2 * kDay, 1e-6);
  EXPECT_NEAR(plan.job_seconds / kDay, 7.086, 0.001);
  EXPECT_TRUE(plan.meets_deadline);
  EXPECT_NEAR(plan.cost_dollars, 1e6 * 0.03, 1e-6);  // the S3 export fee only
  ASSERT_EQ(plan.unpriced.size(), 1u);               // the devices' job fees
  EXPECT_NE(plan.unpriced[0].find("5 Snowball Edge 210 TB job fee"), std::string::npos);
  EXPECT_NE(plan.label.find("export"), std::string::npos);
}

TEST(ShippedTest, DataOnASitesDisksIsAnImportJobCappedByTheSource) {
  Levers levers = Act("act1");
  levers.storage_tier = StorageTier::kCloudDisk;  // 250 MB/s shared by 5 devices
  const TransferPlan plan =
      PlanTransfer(levers, WorkloadOf(levers), TransferMethod::kShippedDevice);
  const double copy = 2e14 / (250e6 / 5);  // 46.3 days on site
  EXPECT_NEAR(plan.seconds, 2 * kDay + copy + 2 * kDay + 2e14 / 1.5e9, 1e-6);
  EXPECT_DOUBLE_EQ(plan.job_seconds, plan.seconds);
  EXPECT_DOUBLE_EQ(plan.cost_dollars, 0.0);  // data into AWS is free; no export fee
  ASSERT_EQ(plan.unpriced.size(), 2u);       // job fees, and days beyond the 15 included
  EXPECT_NE(plan.unpriced[1].find("32 day(s) on site beyond the 15"), std::string::npos)
      << plan.unpriced[1];
  EXPECT_NE(plan.label.find("import"), std::string::npos);
}

TEST(MoveComputeTest, TheWeightsMoveAndTheGpusAreRentedWhereTheDataSits) {
  const TransferPlan plan =
      PlanTransfer(Act("act1"), ActWorkload("act1"), TransferMethod::kMoveCompute);
  EXPECT_DOUBLE_EQ(plan.bytes_moved, 25.6e6 * 4);
  // One epoch read from S3 there: 1e15 B at min(8 x 100 MB/s, 5,500 x 250 KB) = 800 MB/s.
  const double epoch_there = 1e15 / 800e6;                       // 1.25e6 s, 14.5 days
  const double rental = 8 * (32.7726 / 8) * epoch_there / 3600;  // $11,379
  EXPECT_NEAR(plan.gpu_rental_dollars, rental, 1e-6);
  EXPECT_NEAR(plan.cost_dollars, 0.1024 * 0.09 + rental, 1e-6);
  EXPECT_TRUE(plan.meets_deadline);
  EXPECT_LT(plan.seconds, 2.0);  // the weights cross in about a second
}

TEST(ArchiveTest, DeepArchiveAddsRestoreTimeAndFee) {
  Levers levers = Act("act1");
  levers.storage_tier = StorageTier::kGlacierDeepArchive;
  const TransferPlan fiber = PlanTransfer(levers, WorkloadOf(levers), TransferMethod::kFiber);
  const TransferPlan base = PlanTransfer(Act("act1"), ActWorkload("act1"), TransferMethod::kFiber);
  EXPECT_DOUBLE_EQ(fiber.seconds - base.seconds, 12 * 3600.0);
  EXPECT_NEAR(fiber.cost_dollars - base.cost_dollars, 1e6 * 0.02, 1e-6);
}

TEST(DedupTest, EntropyAndDeletedSignal) {
  Levers levers = Act("act3");  // Tiny Pioneer, r = 0.7 > 0.5: dedup only removes redundancy
  levers.dedup_fraction = 0.5;
  DedupEffect effect = DedupEffectOf(levers, WorkloadOf(levers));
  EXPECT_DOUBLE_EQ(effect.stored_bytes, 5e12);
  EXPECT_DOUBLE_EQ(effect.unique_bytes, 10e12 * 0.3);
  EXPECT_DOUBLE_EQ(effect.unique_share, 0.6);
  EXPECT_DOUBLE_EQ(effect.signal_deleted_bytes, 0.0);
  levers = Act("act2");  // ImageNet, r = 0.02
  levers.dedup_fraction = 0.3;
  effect = DedupEffectOf(levers, WorkloadOf(levers));
  EXPECT_DOUBLE_EQ(effect.unique_share, 1.0);
  EXPECT_NEAR(effect.signal_deleted_bytes, 147.9e9 * 0.28, 1e-3);
}

TEST(EnergyTest, MovingOnePetabyteOverTheInternetDwarfsTheDramReads) {
  const Energy energy = EnergyOf(Act("act1"), ActWorkload("act1"));
  const double internet = 1e6 * 0.003 * 3.6e6;  // GB x kWh/GB x J/kWh
  const double dram = 1e15 * 160e-12;
  EXPECT_NEAR(energy.move_joules, internet + dram, 1e-3 * (internet + dram));
  // 3 x 4.1 G multiply-adds an image, each an FP32 multiply (3.7 pJ) and add (0.9 pJ).
  const double images = 1e15 / 250e3;
  EXPECT_NEAR(energy.compute_joules, images * 3 * 4.1e9 * 4.6e-12, 1e-6 * energy.compute_joules);
  EXPECT_GT(energy.move_to_compute_ratio, 1.0);
}

TEST(EnergyTest, TheInvariantIsPerOperandAndAnEpochDrawsAQuarterMegajoule) {
  const Energy energy = EnergyOf(Act("act2"), ActWorkload("act2"));
  EXPECT_DOUBLE_EQ(energy.joules_per_operand_moved, 640e-12);
  EXPECT_NEAR(energy.joules_per_operation, 4.6e-12, 1e-18);
  EXPECT_NEAR(energy.operand_to_operation_ratio, 640.0 / 4.6, 1e-9);  // 139x: over 100
  EXPECT_GT(energy.operand_to_operation_ratio, 100);
  // 8 x 400 W x 77.1 s of GPU math = 0.247 MJ.
  EXPECT_NEAR(energy.gpu_board_joules, 8 * 400 * (1'281'167.0 / 16'621), 1e-6);
  EXPECT_NEAR(energy.gpu_board_joules, 0.25e6, 0.01e6);
  // Moving ImageNet once from DRAM (147.9 GB x 160 pJ = 23.7 J) is dwarfed by the epoch's
  // arithmetic: the dataset-level ratio is not the invariant; the per-operand one is.
  EXPECT_NEAR(energy.move_joules, 147.9e9 * 160e-12, 1e-9);
  EXPECT_LT(energy.move_to_compute_ratio, 1.0);
}

TEST(MoneyTest, IdleGpusBurnDollarsInProportionToTheStall) {
  const Levers act2 = Act("act2");
  const Waterfall w = EpochWaterfall(act2, ActWorkload("act2"));
  const GpuMoney money = GpuMoneyOf(act2, w);
  EXPECT_NEAR(money.dollars_per_gpu_hour, 32.7726 / 8, 1e-12);
  EXPECT_NEAR(money.idle_dollars_per_epoch, 32.7726 * w.stall_seconds / 3600, 1e-9);  // $4.68
  EXPECT_NEAR(money.idle_dollars_per_training_run, 90 * money.idle_dollars_per_epoch, 1e-9);
  const Levers nvme = Act("act2_nvme");
  EXPECT_DOUBLE_EQ(
      GpuMoneyOf(nvme, EpochWaterfall(nvme, ActWorkload("act2_nvme"))).idle_dollars_per_epoch, 0.0);
}

TEST(MoneyTest, TierOptionsPriceEveryTierAndOnlyNvmeFeedsActTwo) {
  const std::vector<TierOption> tiers = TierOptions(Act("act2"), ActWorkload("act2"));
  ASSERT_EQ(tiers.size(), 7u);
  for (const TierOption& t : tiers) {
    EXPECT_NEAR(t.storage_dollars_per_month, StorageDollarsPerMonth(t.tier, 147.9e9), 1e-9);
    EXPECT_EQ(t.meets_gpu_hunger_target, t.tier == StorageTier::kLocalNvme)
        << StorageTierName(t.tier);
  }
  EXPECT_NEAR(tiers[1].storage_dollars_per_month, 147.9 * 0.08, 1e-9);  // EBS gp3: $11.83
}

TEST(FeedingTest, BlockDeviceTiersReadAtTheSameRateForTrainingAndForACopy) {
  for (StorageTier tier : {StorageTier::kLocalNvme, StorageTier::kCloudDisk}) {
    Levers levers;
    levers.storage_tier = tier;
    EXPECT_DOUBLE_EQ(TierReadBytesPerS(levers, WorkloadOf(levers)), TransferSourceBytesPerS(tier));
  }
  EXPECT_DOUBLE_EQ(TransferSourceBytesPerS(StorageTier::kLocalNvme),
                   figures::kNvmeP4dRaid0BytesPerS);
  EXPECT_DOUBLE_EQ(TransferSourceBytesPerS(StorageTier::kCloudDisk), figures::kCloudDiskBytesPerS);
  // An object store is no bottleneck for a bulk copy, but is for training reads.
  EXPECT_TRUE(std::isinf(TransferSourceBytesPerS(StorageTier::kObjectStore)));
  Levers s3;
  s3.storage_tier = StorageTier::kObjectStore;
  EXPECT_TRUE(std::isfinite(TierReadBytesPerS(s3, WorkloadOf(s3))));
}

}  // namespace
}  // namespace df::factory
