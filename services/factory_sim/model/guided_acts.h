// The lab's three acts as a guided lesson, shared by every front end through the API.
//
// Purpose: each act has a scenario (a named lever setting), a crisis and a task; prediction
// questions a student answers before the reveal ("days over 1 Gbps?"), each with the accepted
// answer, its tolerance and the worked arithmetic behind it; the reveal, worked out from the
// model's own report (never typed-in numbers: change a figure in figures.h and the reveal
// follows); and a reflection prompt. CheckPrediction judges an answer.
//
//   act1  the physics of data gravity: fiber days, egress dollars, Snowball devices
//   act2  the feeding tax: the GPUs' demand, their idle share on the 250 MB/s disk
//   act3  the drift detector: how many cities the K-S check flags at two alphas
//
// Usage:
//   for (const GuidedAct& act : GuidedActs()) Show(act.scenario, act.crisis, act.task);
//   absl::StatusOr<PredictionCheck> c = CheckPrediction("act1", "fiber_days", 120);
//   if (c.ok() && c->correct) ...
//
// Thread-safety: GuidedActs() is built once (a thread-safe static) and never changes;
// CheckPrediction is pure. Failure: CheckPrediction returns NotFound naming the known acts or
// predictions, InvalidArgument for an answer that is not a finite number.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_GUIDED_ACTS_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_GUIDED_ACTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace df::factory {

enum class ToleranceKind {
  kAbsolute,  // |answer - accepted| <= tolerance, in the prediction's unit
  kRelative,  // |answer - accepted| <= tolerance x |accepted|
};

struct Prediction {
  std::string id;        // stable, e.g. "fiber_days"
  std::string question;  // asked before the reveal
  std::string unit;      // of the answer: "days", "USD", "devices", "GB/s", "percent", "cities"
  double accepted_answer = 0.0;
  double tolerance = 0.0;
  ToleranceKind tolerance_kind = ToleranceKind::kAbsolute;
  std::string worked_math;  // how the accepted answer comes out of the model
};

struct GuidedAct {
  std::string id;  // act1 | act2 | act3
  std::string title;
  std::string scenario_name;    // the scenario to evaluate (ListScenarios)
  std::string solved_scenario;  // its fixed version ("" for act3)
  std::string scenario;         // the situation
  std::string crisis;
  std::string task;
  std::vector<Prediction> predictions;
  std::vector<std::string> reveal;  // the worked arithmetic, one step a line
  std::string reflection;
};

struct PredictionCheck {
  bool correct = false;
  double difference = 0.0;  // answer - accepted, in the unit
  Prediction prediction;
  std::string message;  // "Right: ..." / "Not quite: ..."
};

const std::vector<GuidedAct>& GuidedActs();
const GuidedAct* FindAct(std::string_view id);

[[nodiscard]] absl::StatusOr<PredictionCheck> CheckPrediction(std::string_view act,
                                                              std::string_view prediction,
                                                              double answer);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_GUIDED_ACTS_H_
