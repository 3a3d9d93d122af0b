// The Data Factory report: what a lever setting does, as the dashboard shows it.
//
// Purpose: Evaluate(levers) runs the physics (physics.h) and the drift check
// (drift_check.h) and assembles the three badges, the four ledger cards, a transfer plan
// per method, the waterfall of one epoch, the energy of moving vs computing, and the
// consequence log (plain-language messages with the numbers that triggered them).
// DiffConsequences explains a lever change: what changed and what it did.
//
// Badges (value judged against threshold; ok = green):
//   egress_under_100k       "Egress < $100k"    value = cost of the chosen transfer plan
//                                               (egress, export, device and retrieval fees)
//   gpu_hunger_under_10pct  "GPU Hunger < 10%"  value = GPU idle fraction (1 - eta)
//   no_drift                "Drift Detected"    value = smallest K-S p-value of the fleet,
//                                               threshold = per-test alpha; ok = no drift
// Ledger cards:
//   ingestion_speed  supply bytes/s (ok: supply >= demand)
//   egress_cost      the chosen plan's cost in USD (ok: < $100k)
//   data_entropy     unique / stored bytes after dedup (ok: no signal deleted)
//   pipeline_health  eta, the share of the epoch the GPUs compute (ok: idle < 10 %, no drift,
//                    deadline met)
//
// Usage:
//   absl::StatusOr<df::factory::Report> r = df::factory::Evaluate(levers);
//   if (!r.ok()) return r.status();   // InvalidArgument naming the lever and its range
//
// Thread-safety: pure functions. Failure: Evaluate returns ValidateLevers' error.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/drift_check.h"
#include "services/factory_sim/model/format.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/physics.h"

namespace df::factory {

enum class Severity { kInfo, kWarning, kAlert };

struct Quantity {
  std::string name;
  double value = 0.0;
  std::string unit;
};

struct Consequence {
  Severity severity = Severity::kInfo;
  std::string code;  // stable identifier, e.g. "egress_over_budget"
  std::string message;
  std::vector<Quantity> numbers;  // the figures that triggered it
};

struct Badge {
  std::string id;
  std::string label;
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
  std::vector<Consequence> consequences;
};

[[nodiscard]] absl::StatusOr<Report> Evaluate(const Levers& levers);

// Messages for a lever change: one per changed lever ("storage_tier: cloud_disk ->
// local_nvme"), each with the effect on the numbers it moves (GPU idle, epoch time, transfer
// time, cost, entropy, drift), followed by the consequences that newly appear in `after`.
std::vector<Consequence> DiffConsequences(const Report& before, const Report& after);

// Convenience: evaluates both lever sets. InvalidArgument if either is out of range.
[[nodiscard]] absl::StatusOr<std::vector<Consequence>> DiffConsequences(const Levers& before,
                                                                        const Levers& after);

// The feeding-tax arithmetic of a report in one line, for the audit trail beside a student's
// rationale, e.g. "demand 16,621 img/s x 110 KB = 1.83 GB/s; supply 250 MB/s (cloud_disk);
// efficiency = min(1, 250 MB/s / 1.83 GB/s) = 13.7 %; GPU idle 86.3 %; epoch = max(IO 9.33 min,
// network 0 s, GPU 76.6 s) = 9.33 min".
std::string FeedingTaxMath(const Report& report);

std::string_view SeverityName(Severity severity);  // "info" | "warning" | "alert"

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_REPORT_H_
