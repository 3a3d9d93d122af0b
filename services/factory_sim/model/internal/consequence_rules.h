// Internal to df_factory_model: the rules that turn an evaluated report into its consequence
// log (deadline, egress, feeding tax, dedup, archive restores, drift, energy). Callers use
// Evaluate (report.h), which fills Report::consequences.
//
// Thread-safety: pure. Failure: none (the report comes from validated levers).
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_INTERNAL_CONSEQUENCE_RULES_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_INTERNAL_CONSEQUENCE_RULES_H_

#include <vector>

#include "services/factory_sim/model/report.h"

namespace df::factory::internal {

// Everything in `report` except `consequences` must be filled in.
std::vector<Consequence> ConsequencesOf(const Report& report);

}  // namespace df::factory::internal

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_INTERNAL_CONSEQUENCE_RULES_H_
