// The conversion layer between the API (datafactory.factory.v1 messages) and the
// df_factory_model library: resolve a lever selection, evaluate it, list the
// catalogues, and run a simulated training run tick by tick. The gRPC adapter
// talks only to this header; nothing here knows about gRPC.
//
// Usage:
//   absl::StatusOr<v1::Levers> levers = ResolveLevers(request.selection(), std::nullopt);
//   absl::StatusOr<v1::Report> report = EvaluateLevers(*levers);
//
// Errors: INVALID_ARGUMENT naming the lever and its allowed range for a value out
// of range or an unknown "name=value" setting, or naming pace.epochs and
// pace.simulated_seconds_per_tick for a run past kMaxExpectedTicks; NOT_FOUND for
// an unknown scenario.
// Thread-safety: free functions are thread-safe; a SimulatedRun is not (its owner
// serialises calls).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_BRIDGE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_BRIDGE_H_

#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory::bridge {

namespace v1 = ::datafactory::factory::v1;

// The selection's base (scenario, explicit levers, else `fallback`, else the
// defaults), with its "name=value" settings applied in order, validated.
[[nodiscard]] absl::StatusOr<v1::Levers> ResolveLevers(const v1::LeverSelection& selection,
                                                       const std::optional<v1::Levers>& fallback);

[[nodiscard]] absl::StatusOr<v1::Report> EvaluateLevers(const v1::Levers& levers);

v1::ListScenariosResponse ListScenarios();
v1::ListPersonasResponse ListPersonas();
v1::GetFigureCatalogueResponse FigureCatalogue();

// Pace defaults and bounds (RunPace fields of 0 mean "default", except an
// explicitly set tick_interval_ms of 0, which means unpaced).
struct Pace {
  int tick_interval_ms;               // 0: unpaced (next tick when the previous write is done)
  double simulated_seconds_per_tick;  // 0: let the model choose (one epoch ~ 50 ticks)
  int epochs;
};
[[nodiscard]] absl::StatusOr<Pace> ResolvePace(const v1::RunPace& pace);

// A run may be expected to last at most this many ticks: epochs x the epoch's
// simulated seconds / pace.simulated_seconds_per_tick. A fixed pace past it (a
// tiny step on a slow pipeline) would stream for days; Start() refuses it, and a
// live lever change that would push the run past it is rejected. With the
// model-chosen step (0) a run is ~50 ticks an epoch, always within the cap.
inline constexpr double kMaxExpectedTicks = 1e6;

// A simulated training run, advanced one tick at a time.
class SimulatedRun {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SimulatedRun>> Start(const v1::Levers& levers,
                                                                           const Pace& pace);
  virtual ~SimulatedRun() = default;

  // Applies a lever change from the next tick on. Returns the consequences that
  // explain what changed (also carried by the next tick).
  [[nodiscard]] virtual absl::StatusOr<std::vector<v1::Consequence>> ChangeLevers(
      const v1::LeverChange& change) = 0;
  // Advances one tick of simulated time and writes its telemetry (tick number,
  // cumulative totals, epoch end waterfall, consequences since the last tick)
  // into `*tick`, overwriting every field and reusing its sub-message storage
  // (a stream refills the same few messages; see TickOutbox).
  virtual void AdvanceInto(v1::TelemetryTick* tick) = 0;
  // The same, into a fresh message.
  v1::TelemetryTick Advance() {
    v1::TelemetryTick tick;
    AdvanceInto(&tick);
    return tick;
  }
  virtual bool complete() const = 0;
  virtual const v1::Levers& levers() const = 0;
};

}  // namespace df::factory::bridge

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_BRIDGE_H_
