// Every lever moves the numbers it should, in the direction it should, from every act's
// levers (alpha and firmware severity included): a lever that does nothing is a bug in the
// lesson.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

Report Eval(const Levers& levers) {
  absl::StatusOr<Report> r = Evaluate(levers);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Report{};
}

Levers With(const char* scenario, const std::function<void(Levers&)>& change) {
  Levers levers = *ScenarioLevers(scenario);
  change(levers);
  return levers;
}

int Drifting(const Report& r) {
  int n = 0;
  for (const CityDrift& c : r.drift.cities) n += c.detected ? 1 : 0;
  return n;
}

TEST(LeverEffectsTest, DatasetSizeScalesTransferTimeCostAndTheEpoch) {
  for (const char* act : {"act1", "act2", "act3"}) {
    const Report small = Eval(With(act, [](Levers& l) { l.dataset_bytes /= 2; }));
    const Report big = Eval(*ScenarioLevers(act));
    EXPECT_LT(small.waterfall.epoch_overlapped_seconds, big.waterfall.epoch_overlapped_seconds)
        << act;
    EXPECT_LT(small.dedup.stored_bytes, big.dedup.stored_bytes) << act;
    EXPECT_LE(small.storage_dollars_per_month, big.storage_dollars_per_month) << act;
  }
  const Report half = Eval(With("act1", [](Levers& l) { l.dataset_bytes /= 2; }));
  const Report full = Eval(*ScenarioLevers("act1"));
  EXPECT_LT(half.chosen_plan.seconds, full.chosen_plan.seconds);
  EXPECT_LT(half.chosen_plan.cost_dollars, full.chosen_plan.cost_dollars);
}

TEST(LeverEffectsTest, StorageTierSetsSupplyIdleAndMonthlyPrice) {
  const Report disk = Eval(*ScenarioLevers("act2"));
  const Report nvme = Eval(*ScenarioLevers("act2_nvme"));
  const Report s3 =
      Eval(With("act2", [](Levers& l) { l.storage_tier = StorageTier::kObjectStore; }));
  EXPECT_GT(nvme.feeding_tax.supply_bytes_per_s, disk.feeding_tax.supply_bytes_per_s);
  EXPECT_LT(nvme.feeding_tax.gpu_idle_fraction, disk.feeding_tax.gpu_idle_fraction);
  EXPECT_LT(nvme.gpu_money.idle_dollars_per_epoch, disk.gpu_money.idle_dollars_per_epoch);
  EXPECT_LT(s3.storage_dollars_per_month, disk.storage_dollars_per_month);
  const Report glacier =
      Eval(With("act2", [](Levers& l) { l.storage_tier = StorageTier::kGlacierFlexible; }));
  EXPECT_GT(glacier.chosen_plan.seconds, disk.chosen_plan.seconds);  // restore first
}

TEST(LeverEffectsTest, TransferMethodChoosesThePlanTheBadgesJudge) {
  const Report fiber = Eval(*ScenarioLevers("act1"));
  const Report ship = Eval(*ScenarioLevers("act1_snowball"));
  const Report move =
      Eval(With("act1", [](Levers& l) { l.transfer_method = TransferMethod::kMoveCompute; }));
  EXPECT_FALSE(fiber.chosen_plan.meets_deadline);
  EXPECT_TRUE(ship.chosen_plan.meets_deadline);
  EXPECT_TRUE(move.chosen_plan.meets_deadline);
  EXPECT_NE(fiber.badges[0].value, ship.badges[0].value);
  EXPECT_NE(ship.badges[0].value, move.badges[0].value);
  EXPECT_GT(move.chosen_plan.gpu_rental_dollars, 0);
  // Only fiber streams the remote data over the link every epoch.
  EXPECT_GT(fiber.waterfall.network_seconds, 0);
  EXPECT_EQ(ship.waterfall.network_seconds, 0);
}

TEST(LeverEffectsTest, LinkRateAndEfficiencyShortenTheFiber) {
  const Report base = Eval(*ScenarioLevers("act1"));
  const Report fast = Eval(With("act1", [](Levers& l) { l.link_rate_bits_per_s *= 10; }));
  const Report clean = Eval(With("act1", [](Levers& l) { l.link_efficiency = 1.0; }));
  EXPECT_LT(fast.chosen_plan.seconds, base.chosen_plan.seconds);
  EXPECT_LT(clean.chosen_plan.seconds, base.chosen_plan.seconds);
  EXPECT_GT(fast.feeding_tax.supply_bytes_per_s, base.feeding_tax.supply_bytes_per_s);
}

TEST(LeverEffectsTest, DistanceMakesDataRemoteAndShippingLonger) {
  const Report near = Eval(With("act1", [](Levers& l) { l.distance_miles = 0; }));
  const Report far = Eval(*ScenarioLevers("act1"));
  const Report farther = Eval(With("act1", [](Levers& l) { l.distance_miles = 9'000; }));
  EXPECT_EQ(near.chosen_plan.bytes_moved, 0);  // nothing to move
  EXPECT_GT(far.chosen_plan.bytes_moved, 0);
  EXPECT_LT(far.transfer_plans[1].seconds, farther.transfer_plans[1].seconds);
}

TEST(LeverEffectsTest, DeadlineDecidesWhetherThePlanMakesIt) {
  EXPECT_FALSE(Eval(*ScenarioLevers("act1")).chosen_plan.meets_deadline);
  EXPECT_TRUE(
      Eval(With("act1", [](Levers& l) { l.deadline_days = 200; })).chosen_plan.meets_deadline);
}

TEST(LeverEffectsTest, DedupShrinksTheBytesAndPastTheRedundantShareDeletesSignal) {
  const Report none = Eval(*ScenarioLevers("act1"));
  const Report some = Eval(With("act1", [](Levers& l) { l.dedup_fraction = 0.3; }));
  EXPECT_LT(some.chosen_plan.cost_dollars, none.chosen_plan.cost_dollars);
  EXPECT_LT(some.waterfall.epoch_overlapped_seconds, none.waterfall.epoch_overlapped_seconds);
  EXPECT_GT(some.dedup.unique_share, none.dedup.unique_share);
  EXPECT_EQ(some.dedup.signal_deleted_bytes, 0);  // r = 0.4 for raw drive video
  const Report too_much = Eval(With("act2", [](Levers& l) { l.dedup_fraction = 0.3; }));
  EXPECT_GT(too_much.dedup.signal_deleted_bytes, 0);  // r = 0.02 for ImageNet
}

TEST(LeverEffectsTest, PricingModelChangesTheEgressBill) {
  const Report flat = Eval(*ScenarioLevers("act1"));
  const Report tiered =
      Eval(With("act1", [](Levers& l) { l.pricing_model = PricingModel::kTiered; }));
  EXPECT_DOUBLE_EQ(flat.chosen_plan.cost_dollars, 90'000);
  EXPECT_NEAR(tiered.chosen_plan.cost_dollars, 53'791, 1e-6);
}

TEST(LeverEffectsTest, GpuTypeAndCountMoveTheDemandAndTheMoney) {
  const Report a100 = Eval(*ScenarioLevers("act2"));
  const Report h100 = Eval(With("act2", [](Levers& l) { l.gpu_type = GpuType::kH100; }));
  const Report v100 = Eval(With("act2", [](Levers& l) { l.gpu_type = GpuType::kV100; }));
  const Report two = Eval(With("act2", [](Levers& l) { l.gpu_count = 2; }));
  EXPECT_GT(h100.feeding_tax.demand_bytes_per_s, a100.feeding_tax.demand_bytes_per_s);
  EXPECT_LT(v100.feeding_tax.demand_bytes_per_s, a100.feeding_tax.demand_bytes_per_s);
  EXPECT_LT(two.feeding_tax.demand_bytes_per_s, a100.feeding_tax.demand_bytes_per_s);
  EXPECT_GT(h100.gpu_money.dollars_per_gpu_hour, a100.gpu_money.dollars_per_gpu_hour);
  EXPECT_LT(two.gpu_money.dollars_per_hour, a100.gpu_money.dollars_per_hour);
  EXPECT_GT(h100.energy.gpu_board_watts, a100.energy.gpu_board_watts);
}

TEST(LeverEffectsTest, PersonaFixesTheWorkload) {
  const Report titan = Eval(*ScenarioLevers("act2"));
  const Report pioneer = Eval(With("act2", [](Levers& l) { l.persona = Persona::kTinyPioneer; }));
  EXPECT_NE(titan.workload.mean_sample_bytes, pioneer.workload.mean_sample_bytes);
  EXPECT_NE(titan.feeding_tax.demand_bytes_per_s, pioneer.feeding_tax.demand_bytes_per_s);
  EXPECT_FALSE(titan.drift.evaluated);
  EXPECT_TRUE(pioneer.drift.evaluated);
}

// The lever this lesson was rebuilt for.
TEST(LeverEffectsTest, DriftAlphaMovesTheThresholdAndTheVerdict) {
  const Report strict = Eval(With("act3", [](Levers& l) { l.drift_alpha = 1e-4; }));
  const Report base = Eval(*ScenarioLevers("act3"));
  const Report loose = Eval(With("act3", [](Levers& l) { l.drift_alpha = 0.5; }));
  EXPECT_LT(strict.badges[2].threshold, base.badges[2].threshold);
  EXPECT_LT(base.badges[2].threshold, loose.badges[2].threshold);
  EXPECT_EQ(Drifting(strict), 0);
  EXPECT_EQ(Drifting(base), 1);
  EXPECT_TRUE(strict.badges[2].ok);
  EXPECT_FALSE(base.badges[2].ok);
  // Same p-values either way: alpha judges the evidence, it does not change it.
  EXPECT_EQ(strict.drift.p_value, base.drift.p_value);
}

TEST(LeverEffectsTest, FirmwareSeverityMovesTheEvidence) {
  const Report none = Eval(With("act3", [](Levers& l) { l.firmware_severity = 0; }));
  const Report base = Eval(*ScenarioLevers("act3"));
  const Report strong = Eval(With("act3", [](Levers& l) { l.firmware_severity = 0.05; }));
  EXPECT_EQ(Drifting(none), 0);
  EXPECT_EQ(Drifting(base), 1);
  EXPECT_LT(strong.drift.p_value, base.drift.p_value);
  EXPECT_GT(strong.drift.ks_statistic, base.drift.ks_statistic);
}

}  // namespace
}  // namespace df::factory
