// libFuzzer target: the "name=value" lever settings of factory-sim (levers.h) and a
// selection's base (lever_selection.h), as `--set`, Evaluate and LiveRun changes
// take them from a client.
//
// Input: lines. The first line names the base (a scenario, or anything else); every
// other line is one setting, applied in order.
// Checks: no crash or undefined behaviour (ASan, UBSan); accepted levers validate,
// and every lever's value as LeverValue writes it is accepted back unchanged in
// meaning (applying it again gives the same written value).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/factory_sim/model/lever_selection.h"
#include "services/factory_sim/model/levers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (lines.size() > 64) return 0;  // a request's settings, not a file

  df::factory::LeverSelection selection;
  selection.base = lines.front();
  selection.settings.assign(lines.begin() + 1, lines.end());
  absl::StatusOr<df::factory::Levers> levers = df::factory::ResolveLevers(selection);
  if (!levers.ok()) {
    selection.base = df::factory::Levers{};
    levers = df::factory::ResolveLevers(selection);
  }
  if (!levers.ok()) return 0;
  if (!df::factory::ValidateLevers(*levers).ok()) std::abort();
  for (const std::string& name : df::factory::LeverNames()) {
    const absl::StatusOr<std::string> value = df::factory::LeverValue(*levers, name);
    if (!value.ok()) std::abort();
    const absl::StatusOr<df::factory::Levers> again =
        df::factory::ApplyLeverSetting(*levers, name, *value);
    if (!again.ok()) std::abort();  // a written value must be accepted back
    const absl::StatusOr<std::string> rewritten = df::factory::LeverValue(*again, name);
    if (!rewritten.ok() || *rewritten != *value) std::abort();
  }
  return 0;
}
