#include "services/factory_sim/model/internal/consequence_rules.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/factory_sim/model/figures.h"
#include "services/units/units_format.h"

namespace df::factory::internal {
namespace {

using namespace figures;  // NOLINT(build/namespaces)
using units::FormatBytes;
using units::FormatBytesPerS;
using units::FormatDollars;
using units::FormatDuration;

constexpr double kEgressWarningDollars = 10'000.0;

const TransferPlan& PlanFor(const Report& r, TransferMethod method) {
  for (const TransferPlan& plan : r.transfer_plans) {
    if (plan.method == method) {
      return plan;
    }
  }
  return r.chosen_plan;
}

// What limits the supply: the link (remote data over fiber) or the storage tier.
std::string Bottleneck(const Report& r) {
  if (r.waterfall.network_seconds >= r.waterfall.disk_io_seconds &&
      r.waterfall.network_seconds > 0) {
    return absl::StrFormat("the %g Gbps link", r.levers.link_rate_bits_per_s / 1e9);
  }
  return absl::StrCat("the ", std::string(StorageTierName(r.levers.storage_tier)), " tier");
}

void TransferRules(const Report& r, std::vector<Consequence>& out) {
  const TransferPlan& fiber = PlanFor(r, TransferMethod::kFiber);
  const TransferPlan& shipped = PlanFor(r, TransferMethod::kShippedDevice);
  const double deadline_seconds = r.levers.deadline_days * kSecondsPerDay;
  if (!r.chosen_plan.meets_deadline) {
    std::string message =
        absl::StrFormat("%s takes %s; the deadline is %g days.", r.chosen_plan.label,
                        FormatDuration(r.chosen_plan.seconds), r.levers.deadline_days);
    for (const TransferPlan& plan : r.transfer_plans) {
      if (plan.meets_deadline && plan.method == TransferMethod::kShippedDevice) {
        absl::StrAppend(&message, " ", plan.label, " would take ", FormatDuration(plan.seconds),
                        ".");
      }
    }
    out.push_back(Consequence{Severity::kAlert,
                              "deadline_missed",
                              message,
                              {{"transfer_seconds", r.chosen_plan.seconds, "s"},
                               {"deadline_seconds", deadline_seconds, "s"}}});
  }
  if (DataIsRemote(r.levers) && r.levers.transfer_method == TransferMethod::kFiber &&
      fiber.cost_dollars >= kEgressWarningDollars) {
    out.push_back(Consequence{
        fiber.cost_dollars >= kEgressBudgetDollars ? Severity::kAlert : Severity::kWarning,
        "egress_fees",
        absl::StrFormat("Egress fees for a %s transfer come to %s (%s pricing). Move compute "
                        "to data?",
                        FormatBytes(fiber.bytes_moved), FormatDollars(fiber.cost_dollars),
                        PricingModelName(r.levers.pricing_model)),
        {{"bytes_moved", fiber.bytes_moved, "B"}, {"egress_cost", fiber.cost_dollars, "USD"}}});
  }
  if (r.chosen_plan.cost_dollars >= kEgressBudgetDollars) {
    out.push_back(Consequence{
        Severity::kAlert,
        "egress_over_budget",
        absl::StrFormat("%s costs %s, over the %s budget.", r.chosen_plan.label,
                        FormatDollars(r.chosen_plan.cost_dollars),
                        FormatDollars(kEgressBudgetDollars)),
        {{"cost", r.chosen_plan.cost_dollars, "USD"}, {"budget", kEgressBudgetDollars, "USD"}}});
  }
  if (!r.chosen_plan.unpriced.empty()) {
    out.push_back(Consequence{
        Severity::kInfo,
        "unpriced_costs",
        absl::StrCat(r.chosen_plan.label, " costs more than ",
                     FormatDollars(r.chosen_plan.cost_dollars),
                     ": not priced: ", absl::StrJoin(r.chosen_plan.unpriced, "; "), "."),
        {{"priced_cost", r.chosen_plan.cost_dollars, "USD"}}});
  }
  if (DataIsRemote(r.levers) && shipped.seconds < fiber.seconds) {
    out.push_back(Consequence{
        Severity::kInfo,
        "shipping_beats_fiber",
        absl::StrFormat("A truck beats the wire: %s arrive in %s, the fiber needs %s.",
                        shipped.label, FormatDuration(shipped.seconds),
                        FormatDuration(fiber.seconds)),
        {{"shipped_seconds", shipped.seconds, "s"}, {"fiber_seconds", fiber.seconds, "s"}}});
  }
}

void FeedingRules(const Report& r, std::vector<Consequence>& out) {
  const FeedingTax& tax = r.feeding_tax;
  std::vector<Quantity> numbers = {{"demand", tax.demand_bytes_per_s, "B/s"},
                                   {"supply", tax.supply_bytes_per_s, "B/s"},
                                   {"gpu_idle_fraction", tax.gpu_idle_fraction, "ratio"}};
  if (tax.gpu_idle_fraction >= kGpuHungerLimitFraction) {
    numbers.push_back({"idle_dollars_per_epoch", r.gpu_money.idle_dollars_per_epoch, "USD"});
    out.push_back(Consequence{
        Severity::kAlert, "gpu_starved",
        absl::StrFormat("GPUs idle %.0f %% of the epoch: they demand %s, %s supplies %s "
                        "(feeding tax: efficiency %.0f %%); %d rented GPUs burn %s an epoch "
                        "waiting. Move the data closer to the GPUs?",
                        tax.gpu_idle_fraction * 100, FormatBytesPerS(tax.demand_bytes_per_s),
                        Bottleneck(r), FormatBytesPerS(tax.supply_bytes_per_s),
                        tax.efficiency * 100, r.levers.gpu_count,
                        FormatDollars(r.gpu_money.idle_dollars_per_epoch)),
        numbers});
  } else if (tax.gpu_idle_fraction > 0) {
    out.push_back(
        Consequence{Severity::kWarning, "gpu_hungry",
                    absl::StrFormat("GPUs idle %.1f %% of the epoch (under the 10 %% limit).",
                                    tax.gpu_idle_fraction * 100),
                    numbers});
  } else {
    out.push_back(
        Consequence{Severity::kInfo, "feeding_tax_zero",
                    absl::StrFormat("Feeding tax zero: %s supplies %s, the GPUs demand %s; "
                                    "the GPU math is the bottleneck.",
                                    StorageTierName(r.levers.storage_tier),
                                    FormatBytesPerS(tax.supply_bytes_per_s),
                                    FormatBytesPerS(tax.demand_bytes_per_s)),
                    numbers});
  }
}

void DataRules(const Report& r, std::vector<Consequence>& out) {
  const double redundant = r.workload.redundant_fraction;
  if (r.dedup.signal_deleted_bytes > 0) {
    out.push_back(Consequence{
        Severity::kWarning,
        "signal_deleted",
        absl::StrFormat("Dedup %.0f %% exceeds the redundant share %.0f %% of this data: the "
                        "scrubber deleted %s of signal.",
                        r.levers.dedup_fraction * 100, redundant * 100,
                        FormatBytes(r.dedup.signal_deleted_bytes)),
        {{"dedup_fraction", r.levers.dedup_fraction, "ratio"},
         {"redundant_fraction", redundant, "ratio"},
         {"signal_deleted", r.dedup.signal_deleted_bytes, "B"}}});
  }
  const double restore = RestoreSeconds(r.levers.storage_tier);
  if (restore > 0) {
    out.push_back(Consequence{
        Severity::kWarning,
        "archive_restore",
        absl::StrFormat(
            "%s must be restored before the first byte is read: %s and %s.",
            StorageTierName(r.levers.storage_tier), FormatDuration(restore),
            FormatDollars(RetrievalCostDollars(r.levers.storage_tier, r.dedup.stored_bytes))),
        {{"restore_seconds", restore, "s"},
         {"restore_cost", RetrievalCostDollars(r.levers.storage_tier, r.dedup.stored_bytes),
          "USD"}}});
  } else if (const double fee = RetrievalCostDollars(r.levers.storage_tier, r.dedup.stored_bytes);
             fee > 0) {
    out.push_back(
        Consequence{Severity::kWarning,
                    "retrieval_fees",
                    absl::StrFormat("%s charges for every read: %s per epoch.",
                                    StorageTierName(r.levers.storage_tier), FormatDollars(fee)),
                    {{"retrieval_cost_per_epoch", fee, "USD"}}});
  }
  if (r.drift.evaluated) {
    out.push_back(Consequence{
        r.drift.detected ? Severity::kAlert : Severity::kInfo,
        r.drift.detected ? "drift_detected" : "no_drift",
        absl::StrCat(r.drift.detected ? "Input drift (white balance): " : "Inputs stable: ",
                     r.drift.detail, "."),
        {{"ks_statistic", r.drift.ks_statistic, "D"},
         {"p_value", r.drift.p_value, "p"},
         {"per_test_alpha", r.drift.per_test_alpha, "p"}}});
  }
  if (r.energy.move_to_compute_ratio > 1.0) {
    out.push_back(Consequence{
        Severity::kInfo,
        "energy_moving_dominates",
        absl::StrFormat("Moving the data takes %.3g x the energy of one epoch of GPU arithmetic "
                        "on it (%.3g J vs %.3g J); per operand, a DRAM read costs %.0f x the "
                        "multiply-add that uses it.",
                        r.energy.move_to_compute_ratio, r.energy.move_joules,
                        r.energy.compute_joules, r.energy.operand_to_operation_ratio),
        {{"move_joules", r.energy.move_joules, "J"},
         {"compute_joules", r.energy.compute_joules, "J"}}});
  }
}

}  // namespace

std::vector<Consequence> ConsequencesOf(const Report& report) {
  std::vector<Consequence> out;
  TransferRules(report, out);
  FeedingRules(report, out);
  DataRules(report, out);
  return out;
}

}  // namespace df::factory::internal
