// The Data Factory report: what a lever setting does, as the dashboard shows it.
//
// Purpose: Evaluate runs the physics (physics.h) on the persona's workload and the drift
// check (drift_check.h) and assembles the three badges, the four ledger cards, a transfer plan
// per method, the waterfall of one epoch, the energy of moving vs computing, and the
// consequence log (internal/consequence_rules.h). Lever changes are explained by
// DiffConsequences (lever_diff.h); the feeding-tax arithmetic in one line by FeedingTaxMath
// (feeding_tax_math.h).
//
// Badges (value judged against threshold; ok = green):
//   egress_under_100k       "Egress < $100k"    value = cost of the chosen transfer plan
//                                               (egress, export, device and retrieval fees)
//   gpu_hunger_under_10pct  "GPU Hunger < 10%"  value = GPU idle fraction (1 - eta)
//   no_drift                "Drift Detected"    value = smallest K-S p-value of the fleet,
//                                               threshold = per-test alpha; ok = no drift;
//                                               evaluated = false for personas without a
//                                               camera feed (every one but the Tiny Pioneer)
// Ledger cards:
//   ingestion_speed  supply bytes/s (ok: supply >= demand); the detail names the dollars the
//                    idle GPUs burn per epoch
//   egress_cost      the chosen plan's cost in USD (ok: < $100k)
//   data_entropy     "Unique Data": unique / stored bytes after dedup, a ratio (ok: no signal
//                    deleted); the id keeps its first name for compatibility; the detail
//                    names the storage price per month
//   pipeline_health  eta, the share of the epoch the GPUs compute (ok: idle < 10 %, no drift,
//                    deadline met)
//
// Usage:
//   absl::StatusOr<df::factory::Report> r = df::factory::Evaluate(selection);
//   if (!r.ok()) return r.status();   // InvalidArgument naming the lever and its range
//
// Thread-safety: pure functions. Failure: Evaluate returns ValidateLevers' error (for a
// selection, ResolveLevers': also NotFound for an unknown scenario); the levers are validated
// once, nothing after that fails.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/consequence.h"
#include "services/factory_sim/model/drift_check.h"
#include "services/factory_sim/model/lever_selection.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/physics.h"

namespace df::factory {

struct Badge {
  std::string id;
  std::string label;
  bool evaluated = true;  // false: the badge does not apply (no camera feed); ok is then true
  bool ok = false;
  double value = 0.0;
  double threshold = 0.0;
  std::string unit;
};

struct LedgerCard {
  std::string id;
  std::string title;
  double value = 0.0;
  std::string unit;
  std::string display;  // for humans, e.g. "250 MB/s"
  std::string detail;   // one line of why
  bool ok = false;
};

struct Report {
  Levers levers;
  std::string persona_label;  // "Cloud Titan"
  std::string persona_scale;
  Workload workload;                         // the persona's, as the physics read it
  std::vector<Badge> badges;                 // the three, in the order above
  std::vector<LedgerCard> ledger;            // the four, in the order above
  std::vector<TransferPlan> transfer_plans;  // fiber, shipped device, move compute
  TransferPlan chosen_plan;                  // the plan of levers.transfer_method
  Waterfall waterfall;
  Energy energy;
  FeedingTax feeding_tax;
  DedupEffect dedup;
  DriftCheck drift;
  double storage_dollars_per_month = 0.0;  // keeping the deduplicated dataset in the tier
  GpuMoney gpu_money;
  std::vector<TierOption> tier_options;  // every tier, in enum order
  std::vector<Consequence> consequences;
};

[[nodiscard]] absl::StatusOr<Report> Evaluate(const Levers& levers);
// The selection's levers (ResolveLevers), evaluated.
[[nodiscard]] absl::StatusOr<Report> Evaluate(const LeverSelection& selection);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_
