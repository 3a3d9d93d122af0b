#include "clients/factory_cli/lab_render.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace df::factory_cli {
namespace {

namespace v1 = ::datafactory::factory::v1;

std::string Bold(const RenderOptions& o, const std::string& text) {
  return o.color ? absl::StrCat("\033[1m", text, "\033[0m") : text;
}

std::string Colored(const RenderOptions& o, bool good, const std::string& text) {
  return o.color ? absl::StrCat(good ? "\033[32m" : "\033[31m", text, "\033[0m") : text;
}

}  // namespace

std::string RenderActIntro(const v1::Act& act, const RenderOptions& o) {
  return absl::StrCat(Bold(o, act.title()), "\n\n", "Scenario: ", act.scenario(), "\n",
                      "Crisis:   ", act.crisis(), "\n", "Task:     ", act.task(), "\n\n");
}

std::string RenderQuestion(const v1::Prediction& p, int number, const RenderOptions& o) {
  return absl::StrCat(Bold(o, absl::StrFormat("Prediction %d", number)), " (", p.unit(),
                      "): ", p.question(), "\n");
}

std::string RenderPredictionCheck(const v1::CheckPredictionResponse& check,
                                  const RenderOptions& o) {
  return absl::StrCat("  ", Colored(o, check.correct(), check.message()), "\n");
}

std::string RenderReveal(const v1::Act& act, const RenderOptions& o) {
  std::string out = absl::StrCat("\n", Bold(o, "Reveal"), "\n");
  for (const std::string& line : act.reveal()) absl::StrAppend(&out, "  • ", line, "\n");
  absl::StrAppend(&out, "\n  See it: factory-cli evaluate --scenario ", act.scenario_name());
  if (!act.solved_scenario().empty()) {
    absl::StrAppend(&out, "   fixed: factory-cli evaluate --scenario ", act.solved_scenario());
  }
  absl::StrAppend(&out, "\n");
  return out;
}

std::string RenderReflection(const v1::Act& act, const RenderOptions& o) {
  return absl::StrCat("\n", Bold(o, "Reflect"), ": ", act.reflection(), "\n");
}

}  // namespace df::factory_cli
