// Properties over sweeps of many lever combinations: a faster tier never lengthens an epoch,
// more dedup never moves more bytes, costs are never negative, the badges and cards agree with
// the numbers they judge.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/physics.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

constexpr Persona kPersonas[] = {Persona::kCloudTitan, Persona::kEdgeGuardian,
                                 Persona::kMobileNomad, Persona::kTinyPioneer};
constexpr StorageTier kTiers[] = {
    StorageTier::kLocalNvme,         StorageTier::kCloudDisk,
    StorageTier::kObjectStore,       StorageTier::kObjectStoreInfrequent,
    StorageTier::kGlacierInstant,    StorageTier::kGlacierFlexible,
    StorageTier::kGlacierDeepArchive};
constexpr TransferMethod kMethods[] = {TransferMethod::kFiber, TransferMethod::kShippedDevice,
                                       TransferMethod::kMoveCompute};
constexpr double kDedups[] = {0.0, 0.1, 0.25, 0.4, 0.5};

const Workload& WorkloadOf(const Levers& levers) { return PersonaProfile(levers.persona).workload; }

// Calls `visit` for every combination of a grid over the levers (tier and dedup excluded when
// the property itself varies them). `dense` adds more dataset sizes, links and GPUs.
void ForEachLevers(bool dense, const std::function<void(const Levers&)>& visit) {
  const std::vector<double> datasets =
      dense ? std::vector<double>{1e6, 3e9, 140e9, 211e12, 1e15, 7e16}
            : std::vector<double>{140e9, 1e15};
  const std::vector<double> links =
      dense ? std::vector<double>{1e6, 1e9, 1e10, 4e11} : std::vector<double>{1e9};
  const std::vector<double> distances = {0, 3000};
  const std::vector<std::pair<GpuType, int>> gpus =
      dense ? std::vector<std::pair<GpuType, int>>{{GpuType::kV100, 1},
                                                   {GpuType::kA100, 8},
                                                   {GpuType::kH100, 64}}
            : std::vector<std::pair<GpuType, int>>{{GpuType::kA100, 8}, {GpuType::kV100, 2}};
  for (Persona persona : kPersonas) {
    for (TransferMethod method : kMethods) {
      for (double bytes : datasets) {
        for (double link : links) {
          for (double distance : distances) {
            for (const auto& [gpu, count] : gpus) {
              for (PricingModel pricing : {PricingModel::kFlat, PricingModel::kTiered}) {
                Levers levers;
                levers.persona = persona;
                levers.transfer_method = method;
                levers.dataset_bytes = bytes;
                levers.link_rate_bits_per_s = link;
                levers.link_efficiency = 0.8;
                levers.distance_miles = distance;
                levers.gpu_type = gpu;
                levers.gpu_count = count;
                levers.pricing_model = pricing;
                visit(levers);
              }
            }
          }
        }
      }
    }
  }
}

TEST(PropertiesTest, AFasterTierNeverLengthensAnEpoch) {
  int comparisons = 0;
  ForEachLevers(/*dense=*/true, [&](Levers levers) {
    for (double dedup : kDedups) {
      levers.dedup_fraction = dedup;
      for (StorageTier slow : kTiers) {
        for (StorageTier fast : kTiers) {
          Levers a = levers, b = levers;
          a.storage_tier = slow;
          b.storage_tier = fast;
          if (TierReadBytesPerS(b, WorkloadOf(b)) < TierReadBytesPerS(a, WorkloadOf(a))) {
            continue;
          }
          const Waterfall wa = EpochWaterfall(a, WorkloadOf(a)),
                          wb = EpochWaterfall(b, WorkloadOf(b));
          ASSERT_LE(wb.epoch_overlapped_seconds, wa.epoch_overlapped_seconds)
              << StorageTierName(fast) << " vs " << StorageTierName(slow);
          ASSERT_LE(wb.epoch_serial_seconds, wa.epoch_serial_seconds);
          ASSERT_LE(FeedingTaxFor(b, WorkloadOf(b)).gpu_idle_fraction,
                    FeedingTaxFor(a, WorkloadOf(a)).gpu_idle_fraction);
          ++comparisons;
        }
      }
    }
  });
  EXPECT_GT(comparisons, 100'000);
}

TEST(PropertiesTest, MoreDedupNeverMovesMoreBytes) {
  int comparisons = 0;
  ForEachLevers(/*dense=*/true, [&](Levers levers) {
    for (StorageTier tier : kTiers) {
      levers.storage_tier = tier;
      for (size_t i = 0; i + 1 < std::size(kDedups); ++i) {
        Levers less = levers, more = levers;
        less.dedup_fraction = kDedups[i];
        more.dedup_fraction = kDedups[i + 1];
        for (TransferMethod method : kMethods) {
          const TransferPlan a = PlanTransfer(less, WorkloadOf(less), method),
                             b = PlanTransfer(more, WorkloadOf(more), method);
          ASSERT_LE(b.bytes_moved, a.bytes_moved);
          ASSERT_LE(b.cost_dollars, a.cost_dollars + 1e-9);
          ASSERT_LE(b.devices, a.devices);
        }
        const Waterfall wa = EpochWaterfall(less, WorkloadOf(less)),
                        wb = EpochWaterfall(more, WorkloadOf(more));
        ASSERT_LE(wb.disk_io_seconds, wa.disk_io_seconds);
        ASSERT_LE(wb.network_seconds, wa.network_seconds);
        ASSERT_LE(DedupEffectOf(more, WorkloadOf(more)).stored_bytes,
                  DedupEffectOf(less, WorkloadOf(less)).stored_bytes);
        ASSERT_LE(EnergyOf(more, WorkloadOf(more)).move_joules,
                  EnergyOf(less, WorkloadOf(less)).move_joules);
        ++comparisons;
      }
    }
  });
  EXPECT_GT(comparisons, 10'000);
}

TEST(PropertiesTest, CostsAreNeverNegativeAndAlwaysFinite) {
  int plans = 0;
  ForEachLevers(/*dense=*/true, [&](Levers levers) {
    for (StorageTier tier : kTiers) {
      levers.storage_tier = tier;
      for (double dedup : {0.0, 0.5}) {
        levers.dedup_fraction = dedup;
        for (TransferMethod method : kMethods) {
          const TransferPlan plan = PlanTransfer(levers, WorkloadOf(levers), method);
          ASSERT_GE(plan.cost_dollars, 0.0);
          ASSERT_TRUE(std::isfinite(plan.cost_dollars));
          ASSERT_GE(plan.seconds, 0.0);
          ASSERT_TRUE(std::isfinite(plan.seconds));
          ++plans;
        }
        ASSERT_GE(StorageDollarsPerMonth(tier, levers.dataset_bytes), 0.0);
        ASSERT_GE(EnergyOf(levers, WorkloadOf(levers)).move_joules, 0.0);
      }
    }
  });
  for (double bytes = 0; bytes < 2e15; bytes += 7.3e12) {
    ASSERT_GE(EgressCostDollars(bytes, PricingModel::kTiered), 0.0);
    // Tiered never costs more than flat, and both grow with the bytes.
    ASSERT_LE(EgressCostDollars(bytes, PricingModel::kTiered),
              EgressCostDollars(bytes, PricingModel::kFlat));
    ASSERT_LE(EgressCostDollars(bytes, PricingModel::kTiered),
              EgressCostDollars(bytes + 1e9, PricingModel::kTiered));
  }
  EXPECT_GT(plans, 10'000);
}

const Badge& BadgeById(const Report& r, const std::string& id) {
  for (const Badge& badge : r.badges) {
    if (badge.id == id) {
      return badge;
    }
  }
  ADD_FAILURE() << "no badge " << id;
  return r.badges.front();
}

const LedgerCard& CardById(const Report& r, const std::string& id) {
  for (const LedgerCard& card : r.ledger) {
    if (card.id == id) {
      return card;
    }
  }
  ADD_FAILURE() << "no card " << id;
  return r.ledger.front();
}

bool Logged(const Report& r, const std::string& code) {
  return std::any_of(r.consequences.begin(), r.consequences.end(),
                     [&](const Consequence& c) { return c.code == code; });
}

TEST(PropertiesTest, BadgesAndCardsAgreeWithTheNumbers) {
  int reports = 0, red_egress = 0, red_hunger = 0, green_hunger = 0;
  ForEachLevers(/*dense=*/false, [&](Levers levers) {
    for (StorageTier tier : kTiers) {
      levers.storage_tier = tier;
      for (double dedup : {0.0, 0.5}) {
        levers.dedup_fraction = dedup;
        absl::StatusOr<Report> r = Evaluate(levers);
        ASSERT_TRUE(r.ok()) << r.status();
        ASSERT_EQ(r->badges.size(), 3u);
        ASSERT_EQ(r->ledger.size(), 4u);
        const Badge& egress = BadgeById(*r, "egress_under_100k");
        ASSERT_EQ(egress.value, r->chosen_plan.cost_dollars);
        ASSERT_EQ(egress.ok, r->chosen_plan.cost_dollars < 100'000);
        ASSERT_EQ(egress.ok, !Logged(*r, "egress_over_budget"));
        const Badge& hunger = BadgeById(*r, "gpu_hunger_under_10pct");
        ASSERT_EQ(hunger.value, r->feeding_tax.gpu_idle_fraction);
        ASSERT_EQ(hunger.ok, r->feeding_tax.gpu_idle_fraction < 0.10);
        ASSERT_EQ(hunger.ok, !Logged(*r, "gpu_starved"));
        ASSERT_NEAR(r->feeding_tax.gpu_idle_fraction,
                    r->waterfall.stall_seconds / r->waterfall.epoch_overlapped_seconds, 1e-9);
        const Badge& drift = BadgeById(*r, "no_drift");
        ASSERT_EQ(drift.ok, !r->drift.detected);
        ASSERT_EQ(r->drift.detected, Logged(*r, "drift_detected"));
        ASSERT_EQ(CardById(*r, "egress_cost").value, r->chosen_plan.cost_dollars);
        ASSERT_EQ(CardById(*r, "ingestion_speed").ok,
                  r->feeding_tax.supply_bytes_per_s >= r->feeding_tax.demand_bytes_per_s);
        ASSERT_EQ(CardById(*r, "data_entropy").ok, r->dedup.signal_deleted_bytes == 0);
        ASSERT_EQ(CardById(*r, "data_entropy").ok, !Logged(*r, "signal_deleted"));
        ASSERT_EQ(CardById(*r, "pipeline_health").value, r->feeding_tax.efficiency);
        ASSERT_EQ(r->chosen_plan.meets_deadline, !Logged(*r, "deadline_missed"));
        ASSERT_EQ(r->chosen_plan.method, levers.transfer_method);
        ++reports;
        red_egress += egress.ok ? 0 : 1;
        red_hunger += hunger.ok ? 0 : 1;
        green_hunger += hunger.ok ? 1 : 0;
      }
    }
  });
  EXPECT_GT(reports, 1'000);
  // The sweep reaches both colours of the badges it judges.
  EXPECT_GT(red_egress, 0);
  EXPECT_GT(red_hunger, 0);
  EXPECT_GT(green_hunger, 0);
}

}  // namespace
}  // namespace df::factory
