// One entry of the consequence log: a plain-language message with the numbers behind it.
//
// Purpose: what Evaluate (report.h) finds about a lever setting, and what DiffConsequences
// (lever_diff.h) says about a lever change, share this shape; the API carries it as is.
//
// Usage:
//   Consequence c{Severity::kAlert, "gpu_starved", "GPUs idle 86 % ...",
//                 {{"supply", 250e6, "B/s"}}};
//   std::string_view level = SeverityName(c.severity);   // "alert"
//
// Thread-safety: plain data and a pure function. Failure: none.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_CONSEQUENCE_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_CONSEQUENCE_H_

#include <string>
#include <string_view>
#include <vector>

namespace df::factory {

enum class Severity { kInfo, kWarning, kAlert };

struct Quantity {
  std::string name;
  double value = 0.0;
  std::string unit;  // "B", "B/s", "s", "USD", "ratio", ... (units_format.h FormatWithUnit)
};

struct Consequence {
  Severity severity = Severity::kInfo;
  std::string code;  // stable identifier, e.g. "egress_over_budget"
  std::string message;
  std::vector<Quantity> numbers;  // the figures that triggered it
};

std::string_view SeverityName(Severity severity);  // "info" | "warning" | "alert"

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_CONSEQUENCE_H_
