// The three acts through Evaluate: badges, cards, plans and the consequence log; lever diffs.
#include "services/factory_sim/model/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "services/factory_sim/model/feeding_tax_math.h"
#include "services/factory_sim/model/lever_diff.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

Report EvaluateScenario(const std::string& name) {
  absl::StatusOr<Levers> levers = ScenarioLevers(name);
  EXPECT_TRUE(levers.ok()) << levers.status();
  absl::StatusOr<Report> report = Evaluate(levers.ok() ? *levers : Levers{});
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : Report{};
}

const Consequence* Find(const Report& r, const std::string& code) {
  auto it = std::find_if(r.consequences.begin(), r.consequences.end(),
                         [&](const Consequence& c) { return c.code == code; });
  return it == r.consequences.end() ? nullptr : &*it;
}

double Number(const Consequence& c, const std::string& name) {
  for (const Quantity& q : c.numbers) {
    if (q.name == name) {
      return q.value;
    }
  }
  ADD_FAILURE() << c.code << " has no number " << name;
  return -1;
}

TEST(ReportTest, ActOneFiberMissesTheDeadlineAndCosts90000InEgress) {
  const Report r = EvaluateScenario("act1");
  EXPECT_EQ(r.persona_label, "Edge Guardian");
  ASSERT_EQ(r.transfer_plans.size(), 3u);
  EXPECT_FALSE(r.chosen_plan.meets_deadline);
  EXPECT_NEAR(r.chosen_plan.seconds / 86'400, 92.6 / 0.8, 0.1);  // 80 % efficiency
  EXPECT_DOUBLE_EQ(r.chosen_plan.cost_dollars, 90'000);
  const Consequence* egress = Find(r, "egress_fees");
  ASSERT_NE(egress, nullptr);
  EXPECT_TRUE(absl::StrContains(egress->message, "$90,000")) << egress->message;
  EXPECT_TRUE(absl::StrContains(egress->message, "Move compute to data?"));
  EXPECT_DOUBLE_EQ(Number(*egress, "egress_cost"), 90'000);
  EXPECT_DOUBLE_EQ(Number(*egress, "bytes_moved"), 1e15);
  const Consequence* late = Find(r, "deadline_missed");
  ASSERT_NE(late, nullptr);
  EXPECT_DOUBLE_EQ(Number(*late, "deadline_seconds"), 10 * 86'400);
  EXPECT_TRUE(absl::StrContains(late->message, "Snowball")) << late->message;
  EXPECT_NE(Find(r, "shipping_beats_fiber"), nullptr);
  EXPECT_TRUE(r.badges[0].ok);  // $90,000 < $100k
}

TEST(ReportTest, ActOneAtTenGbpsMakesTheDeadlineOnlyAboveEfficiency0Point926) {
  absl::StatusOr<Levers> fast = ApplyLeverSettings(
      *ScenarioLevers("act1"), std::vector<std::string>{"link_rate=10Gbps", "efficiency=1"});
  ASSERT_TRUE(fast.ok());
  absl::StatusOr<Report> r = Evaluate(*fast);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->chosen_plan.seconds / 86'400, 9.26, 0.005);
  EXPECT_TRUE(r->chosen_plan.meets_deadline);
  EXPECT_EQ(Find(*r, "deadline_missed"), nullptr);
  absl::StatusOr<Levers> lossy = ApplyLeverSetting(*fast, "efficiency=0.92");
  ASSERT_TRUE(lossy.ok());
  r = Evaluate(*lossy);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->chosen_plan.meets_deadline);
  EXPECT_NE(Find(*r, "deadline_missed"), nullptr);
}

TEST(ReportTest, ActOneSnowballMeetsTheDeadline) {
  const Report r = EvaluateScenario("act1_snowball");
  EXPECT_EQ(r.chosen_plan.method, TransferMethod::kShippedDevice);
  EXPECT_TRUE(r.chosen_plan.meets_deadline);
  EXPECT_LT(r.chosen_plan.seconds / 86'400, 10);
  EXPECT_EQ(Find(r, "deadline_missed"), nullptr);
  EXPECT_EQ(Find(r, "egress_fees"), nullptr);
}

TEST(ReportTest, TieredPricingTurnsActOneEgressInto53791) {
  absl::StatusOr<Levers> levers = ApplyLeverSetting(*ScenarioLevers("act1"), "pricing=tiered");
  ASSERT_TRUE(levers.ok());
  absl::StatusOr<Report> r = Evaluate(*levers);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->chosen_plan.cost_dollars, 53'791, 1e-6);
}

TEST(ReportTest, ActTwoStarvesTheGpusAndNvmeFixesIt) {
  const Report disk = EvaluateScenario("act2");
  EXPECT_FALSE(disk.badges[1].ok);
  EXPECT_GT(disk.badges[1].value, 0.8);
  EXPECT_LT(disk.badges[1].value, 0.9);
  const Consequence* starved = Find(disk, "gpu_starved");
  ASSERT_NE(starved, nullptr);
  EXPECT_DOUBLE_EQ(Number(*starved, "supply"), 250e6);
  EXPECT_NEAR(Number(*starved, "demand"), 16'621 * 147.9e9 / 1'281'167, 1.0);  // 1.92 GB/s
  EXPECT_NEAR(Number(*starved, "idle_dollars_per_epoch"), disk.gpu_money.idle_dollars_per_epoch,
              1e-9);
  EXPECT_TRUE(absl::StrContains(starved->message, "cloud_disk")) << starved->message;

  const Report nvme = EvaluateScenario("act2_nvme");
  EXPECT_TRUE(nvme.badges[1].ok);
  EXPECT_DOUBLE_EQ(nvme.badges[1].value, 0.0);
  EXPECT_NE(Find(nvme, "feeding_tax_zero"), nullptr);
  EXPECT_LT(nvme.waterfall.epoch_overlapped_seconds, disk.waterfall.epoch_overlapped_seconds);
  EXPECT_DOUBLE_EQ(nvme.waterfall.stall_seconds, 0.0);
}

TEST(ReportTest, ActThreeRaisesTheDriftBadge) {
  const Report r = EvaluateScenario("act3");
  EXPECT_TRUE(r.drift.evaluated);
  EXPECT_TRUE(r.drift.detected);
  EXPECT_FALSE(r.badges[2].ok);
  const Consequence* drift = Find(r, "drift_detected");
  ASSERT_NE(drift, nullptr);
  EXPECT_LE(Number(*drift, "p_value"), Number(*drift, "per_test_alpha"));
  EXPECT_TRUE(absl::StrContains(drift->message, "Lakewood")) << drift->message;
}

TEST(ReportTest, OtherPersonasHaveNoDriftFeedAndTheBadgeSaysSo) {
  for (const char* scenario : {"act1", "act2"}) {
    const Report r = EvaluateScenario(scenario);
    EXPECT_FALSE(r.drift.evaluated);
    EXPECT_FALSE(r.badges[2].evaluated) << scenario;  // not a green "No Drift"
    EXPECT_EQ(Find(r, "drift_detected"), nullptr);
    EXPECT_EQ(Find(r, "no_drift"), nullptr);
    EXPECT_TRUE(absl::StrContains(r.drift.detail, "not evaluated"));
  }
  EXPECT_TRUE(EvaluateScenario("act3").badges[2].evaluated);
  EXPECT_TRUE(EvaluateScenario("act2").badges[1].evaluated);
}

TEST(ReportTest, AnUnpricedPlanSaysSoInTheLog) {
  const Report r = EvaluateScenario("act1_snowball");
  const Consequence* unpriced = Find(r, "unpriced_costs");
  ASSERT_NE(unpriced, nullptr);
  EXPECT_TRUE(absl::StrContains(unpriced->message, "job fee")) << unpriced->message;
  EXPECT_EQ(Find(EvaluateScenario("act1"), "unpriced_costs"), nullptr);  // fiber: all priced
}

TEST(ReportTest, DedupBeyondTheRedundantShareDeletesSignal) {
  absl::StatusOr<Levers> levers = ApplyLeverSetting(*ScenarioLevers("act2"), "dedup=0.3");
  ASSERT_TRUE(levers.ok());
  absl::StatusOr<Report> r = Evaluate(*levers);
  ASSERT_TRUE(r.ok());
  const Consequence* deleted = Find(*r, "signal_deleted");
  ASSERT_NE(deleted, nullptr);
  EXPECT_NEAR(Number(*deleted, "signal_deleted"), 147.9e9 * 0.28, 1e3);
  EXPECT_FALSE(r->ledger[2].ok);
}

TEST(ReportTest, OutOfRangeLeversAreRejected) {
  Levers levers;
  levers.gpu_count = 0;
  absl::StatusOr<Report> r = Evaluate(levers);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(), "gpu_count"));
}

TEST(DiffConsequencesTest, StorageTierChangeExplainsTheEffect) {
  absl::StatusOr<std::vector<Consequence>> diff =
      DiffConsequences(*ScenarioLevers("act2"), *ScenarioLevers("act2_nvme"));
  ASSERT_TRUE(diff.ok());
  ASSERT_FALSE(diff->empty());
  const Consequence& change = diff->front();
  EXPECT_EQ(change.code, "lever_changed");
  EXPECT_TRUE(absl::StrContains(change.message, "storage_tier: cloud_disk -> local_nvme"))
      << change.message;
  EXPECT_TRUE(absl::StrContains(change.message, "GPU idle 87 % -> 0 %")) << change.message;
  bool cleared = false, zero = false;
  for (const Consequence& c : *diff) {
    cleared = cleared || c.code == "gpu_starved_cleared";
    zero = zero || c.code == "feeding_tax_zero";
  }
  EXPECT_TRUE(cleared);
  EXPECT_TRUE(zero);
}

TEST(DiffConsequencesTest, NoChangeNoMessages) {
  absl::StatusOr<std::vector<Consequence>> diff =
      DiffConsequences(*ScenarioLevers("act1"), *ScenarioLevers("act1"));
  ASSERT_TRUE(diff.ok());
  EXPECT_TRUE(diff->empty());
}

TEST(DiffConsequencesTest, SeveralLeversGetOneLineEachAndACombinedEffect) {
  absl::StatusOr<Levers> after = ApplyLeverSettings(
      *ScenarioLevers("act1"), std::vector<std::string>{"method=snowball", "pricing=tiered"});
  ASSERT_TRUE(after.ok());
  absl::StatusOr<std::vector<Consequence>> diff = DiffConsequences(*ScenarioLevers("act1"), *after);
  ASSERT_TRUE(diff.ok());
  ASSERT_GE(diff->size(), 3u);
  EXPECT_EQ((*diff)[0].code, "lever_changed");
  EXPECT_EQ((*diff)[1].code, "lever_changed");
  EXPECT_EQ((*diff)[2].code, "lever_effects");
  EXPECT_FALSE((*diff)[2].numbers.empty());
}

TEST(ScenariosTest, NamesAndPersonas) {
  EXPECT_NE(FindScenario("act1"), nullptr);
  EXPECT_NE(FindScenario("act2"), nullptr);
  EXPECT_NE(FindScenario("act3"), nullptr);
  EXPECT_EQ(ScenarioLevers("act9").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(ScenarioLevers("act9").status().message(), "act1"));
  ASSERT_EQ(Personas().size(), 4u);
  for (const PersonaInfo& p : Personas()) {
    EXPECT_EQ(p.default_levers.persona, p.persona) << p.name;
    EXPECT_TRUE(ValidateLevers(p.default_levers).ok()) << p.name;
    EXPECT_GT(p.workload.mean_sample_bytes, 0) << p.name;
  }
  for (const Scenario& s : Scenarios()) {
    EXPECT_TRUE(ValidateLevers(s.levers).ok()) << s.name;
  }
}

TEST(FeedingTaxMathTest, ActTwoSpellsOutTheArithmetic) {
  const std::string math = FeedingTaxMath(EvaluateScenario("act2"));
  EXPECT_EQ(math,
            "demand 16,621 img/s x 115 KB = 1.92 GB/s; supply 250 MB/s (cloud_disk); "
            "efficiency = min(1, 250 MB/s / 1.92 GB/s) = 13.0 %; GPU idle 87.0 %; "
            "epoch = max(IO 9.86 min, network 0 s, GPU 77.1 s) = 9.86 min")
      << math;
  EXPECT_TRUE(absl::StrContains(FeedingTaxMath(EvaluateScenario("act1")), "over fiber"));
}

}  // namespace
}  // namespace df::factory
