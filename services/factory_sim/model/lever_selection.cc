#include "services/factory_sim/model/lever_selection.h"

#include "services/factory_sim/model/scenarios.h"

namespace df::factory {

absl::StatusOr<Levers> ResolveLevers(const LeverSelection& selection) {
  Levers base;
  if (const std::string* scenario = std::get_if<std::string>(&selection.base)) {
    absl::StatusOr<Levers> levers = ScenarioLevers(*scenario);
    if (!levers.ok()) {
      return levers.status();
    }
    base = *levers;
  } else {
    base = std::get<Levers>(selection.base);
  }
  return ApplyLeverSettings(base, selection.settings);
}

}  // namespace df::factory
