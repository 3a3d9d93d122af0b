#include "services/factory_sim/model/report.h"

#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/internal/consequence_rules.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

using figures::kEgressBudgetDollars;
using figures::kGpuHungerLimitFraction;
using units::FormatBytes;
using units::FormatBytesPerS;
using units::FormatDollars;

std::vector<Badge> BadgesOf(const Report& r) {
  const double per_test_alpha = r.drift.evaluated ? r.drift.per_test_alpha : r.levers.drift_alpha;
  return {
      {"egress_under_100k", "Egress < $100k", true,
       r.chosen_plan.cost_dollars < kEgressBudgetDollars, r.chosen_plan.cost_dollars,
       kEgressBudgetDollars, "USD"},
      {"gpu_hunger_under_10pct", "GPU Hunger < 10%", true,
       r.feeding_tax.gpu_idle_fraction < kGpuHungerLimitFraction, r.feeding_tax.gpu_idle_fraction,
       kGpuHungerLimitFraction, "ratio"},
      {"no_drift", "Drift Detected", r.drift.evaluated, !r.drift.detected, r.drift.p_value,
       per_test_alpha, "p-value"},
  };
}

std::vector<LedgerCard> LedgerOf(const Report& r) {
  const FeedingTax& tax = r.feeding_tax;
  const bool healthy = tax.gpu_idle_fraction < kGpuHungerLimitFraction && !r.drift.detected &&
                       r.chosen_plan.meets_deadline;
  std::string health_detail =
      absl::StrFormat("GPUs compute %.0f %% of the epoch", tax.efficiency * 100);
  if (!r.chosen_plan.meets_deadline) {
    health_detail += "; the data misses the deadline";
  }
  if (r.drift.detected) {
    health_detail += "; input drift detected";
  }
  std::string supply_detail = absl::StrFormat(
      "supply %s vs GPU demand %s (%s)", FormatBytesPerS(tax.supply_bytes_per_s),
      FormatBytesPerS(tax.demand_bytes_per_s), StorageTierName(r.levers.storage_tier));
  if (r.gpu_money.idle_dollars_per_epoch > 0) {
    absl::StrAppend(&supply_detail, "; idle GPUs burn ",
                    FormatDollars(r.gpu_money.idle_dollars_per_epoch), " an epoch");
  }
  std::string unique_detail = absl::StrFormat(
      "%s unique in %s stored (dedup %.0f %%); %s a month in %s", FormatBytes(r.dedup.unique_bytes),
      FormatBytes(r.dedup.stored_bytes), r.levers.dedup_fraction * 100,
      FormatDollars(r.storage_dollars_per_month), StorageTierName(r.levers.storage_tier));
  if (r.dedup.signal_deleted_bytes > 0) {
    absl::StrAppend(&unique_detail, "; ", FormatBytes(r.dedup.signal_deleted_bytes),
                    " of signal deleted");
  }
  return {
      {"ingestion_speed", "Ingestion Speed", tax.supply_bytes_per_s, "B/s",
       FormatBytesPerS(tax.supply_bytes_per_s), supply_detail,
       tax.supply_bytes_per_s >= tax.demand_bytes_per_s},
      {"egress_cost", "Egress Cost", r.chosen_plan.cost_dollars, "USD",
       FormatDollars(r.chosen_plan.cost_dollars),
       absl::StrFormat("%s: %s moved, %s", r.chosen_plan.label,
                       FormatBytes(r.chosen_plan.bytes_moved),
                       PricingModelName(r.levers.pricing_model)),
       r.chosen_plan.cost_dollars < kEgressBudgetDollars},
      {"data_entropy", "Unique Data", r.dedup.unique_share, "ratio",
       absl::StrFormat("%.0f %% unique", r.dedup.unique_share * 100), unique_detail,
       r.dedup.signal_deleted_bytes <= 0.0},
      {"pipeline_health", "Pipeline Health", tax.efficiency, "ratio",
       absl::StrFormat("%.0f %%", tax.efficiency * 100), health_detail, healthy},
  };
}

// Evaluate for levers already validated.
Report EvaluateValid(const Levers& levers) {
  const PersonaInfo& persona = PersonaProfile(levers.persona);
  Report r;
  r.levers = levers;
  r.persona_label = persona.name;
  r.persona_scale = persona.scale;
  r.workload = persona.workload;
  for (TransferMethod method :
       {TransferMethod::kFiber, TransferMethod::kShippedDevice, TransferMethod::kMoveCompute}) {
    r.transfer_plans.push_back(PlanTransfer(levers, persona.workload, method));
    if (method == levers.transfer_method) {
      r.chosen_plan = r.transfer_plans.back();
    }
  }
  r.waterfall = EpochWaterfall(levers, r.workload);
  r.energy = EnergyOf(levers, r.workload);
  r.feeding_tax = FeedingTaxFor(levers, r.workload);
  r.dedup = DedupEffectOf(levers, r.workload);
  if (levers.persona == Persona::kTinyPioneer) {
    r.drift = RunDoorbellDriftCheck(levers.drift_alpha, levers.firmware_severity);
  } else {
    r.drift.alpha = levers.drift_alpha;
    r.drift.per_test_alpha = levers.drift_alpha;
    r.drift.firmware_severity = levers.firmware_severity;
    r.drift.detail =
        "not evaluated: this persona has no camera feed; the drift check watches the Tiny "
        "Pioneer's doorbells (act3)";
  }
  r.storage_dollars_per_month = StorageDollarsPerMonth(levers.storage_tier, r.dedup.stored_bytes);
  r.gpu_money = GpuMoneyOf(levers, r.waterfall);
  r.tier_options = TierOptions(levers, r.workload);
  r.badges = BadgesOf(r);
  r.ledger = LedgerOf(r);
  r.consequences = internal::ConsequencesOf(r);
  return r;
}

}  // namespace

absl::StatusOr<Report> Evaluate(const Levers& levers) {
  if (absl::Status status = ValidateLevers(levers); !status.ok()) {
    return status;
  }
  return EvaluateValid(levers);
}

absl::StatusOr<Report> Evaluate(const LeverSelection& selection) {
  absl::StatusOr<Levers> levers = ResolveLevers(selection);
  if (!levers.ok()) {
    return levers.status();
  }
  return EvaluateValid(*levers);
}

}  // namespace df::factory
