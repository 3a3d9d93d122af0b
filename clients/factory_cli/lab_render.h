// The guided acts of `factory-cli lab` as text: the act's situation, each prediction's
// question and its verdict, the reveal and the reflection (pure functions of the API's
// messages, like dashboard_render.h).
//
// Usage:
//   std::cout << RenderActIntro(act, options);
//   std::cout << RenderQuestion(act.predictions(0), 1, options);
//   std::cout << RenderPredictionCheck(response, options);
//   std::cout << RenderReveal(act, options);
//
// Thread-safe; never fails.
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_LAB_RENDER_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_LAB_RENDER_H_

#include <string>

#include "clients/factory_cli/dashboard_render.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory_cli {

// Title, scenario, crisis and task.
std::string RenderActIntro(const ::datafactory::factory::v1::Act& act,
                           const RenderOptions& options);
// "Prediction 1 (days): How many days ...?"
std::string RenderQuestion(const ::datafactory::factory::v1::Prediction& prediction, int number,
                           const RenderOptions& options);
std::string RenderPredictionCheck(const ::datafactory::factory::v1::CheckPredictionResponse& check,
                                  const RenderOptions& options);
// The reveal's worked arithmetic and the scenarios to try.
std::string RenderReveal(const ::datafactory::factory::v1::Act& act, const RenderOptions& options);
std::string RenderReflection(const ::datafactory::factory::v1::Act& act,
                             const RenderOptions& options);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_LAB_RENDER_H_
