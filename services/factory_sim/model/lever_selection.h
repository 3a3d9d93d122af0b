// A lever selection: where a request's levers start from, and the settings moved on top.
//
// Purpose: the one model type the gRPC adapter converts a request's levers into (Evaluate,
// telemetry runs, mid-run lever changes): a named scenario or explicit levers as the base,
// then "name=value" settings in order. ResolveLevers turns it into levers and validates them
// once.
//
// Usage:
//   LeverSelection selection{.base = std::string("act2"), .settings = {"storage_tier=nvme"}};
//   absl::StatusOr<Levers> levers = ResolveLevers(selection);
//
// Thread-safety: plain data and a pure function.
// Failure: NotFound naming the known scenarios for an unknown scenario; InvalidArgument naming
// the lever for a setting that does not parse or levers out of range (levers.h).
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_LEVER_SELECTION_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_LEVER_SELECTION_H_

#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/levers.h"

namespace df::factory {

struct LeverSelection {
  // A scenario's name, or the levers to start from (given explicitly, a session's latest, the
  // levers in force in a run, or the defaults).
  std::variant<Levers, std::string> base;
  std::vector<std::string> settings;  // "name=value", applied in order on the base
};

// The base's levers with the settings applied, validated once.
[[nodiscard]] absl::StatusOr<Levers> ResolveLevers(const LeverSelection& selection);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_LEVER_SELECTION_H_
