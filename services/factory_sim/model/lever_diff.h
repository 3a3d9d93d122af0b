// What a lever change did, as consequences: the messages a live run's next tick carries.
//
// Purpose: one message per changed lever ("storage_tier: cloud_disk -> local_nvme"), each with
// the effect on the numbers it moves (GPU idle, epoch time, transfer time, cost, entropy,
// drift; several changed levers share one "Together:" message), followed by the consequences
// that newly appear in `after` and, as "<code>_cleared", the warnings and alerts that went.
//
// Usage:
//   std::vector<Consequence> diff = DiffConsequences(report_before, report_after);
//
// Thread-safety: pure functions.
// Failure: the Levers overload returns Evaluate's error for either lever set.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_LEVER_DIFF_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_LEVER_DIFF_H_

#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/report.h"

namespace df::factory {

std::vector<Consequence> DiffConsequences(const Report& before, const Report& after);

// Convenience: evaluates both lever sets.
[[nodiscard]] absl::StatusOr<std::vector<Consequence>> DiffConsequences(const Levers& before,
                                                                        const Levers& after);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_LEVER_DIFF_H_
