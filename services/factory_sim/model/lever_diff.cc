#include "services/factory_sim/model/lever_diff.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

using units::FormatDollars;
using units::FormatDuration;

bool HasCode(const std::vector<Consequence>& log, const std::string& code) {
  return std::any_of(log.begin(), log.end(), [&](const Consequence& c) { return c.code == code; });
}

int DriftingCities(const Report& r) {
  return static_cast<int>(std::count_if(r.drift.cities.begin(), r.drift.cities.end(),
                                        [](const CityDrift& c) { return c.detected; }));
}

// " GPU idle 86 % -> 0 %," style fragments for the numbers a lever change moved.
std::string Effects(const Report& a, const Report& b, std::vector<Quantity>& numbers) {
  std::vector<std::string> parts;
  auto track = [&](const char* name, double before, double after, const char* unit,
                   const std::string& text) {
    if (before == after) {
      return;
    }
    numbers.push_back({absl::StrCat(name, "_before"), before, unit});
    numbers.push_back({absl::StrCat(name, "_after"), after, unit});
    parts.push_back(text);
  };
  track("gpu_idle_fraction", a.feeding_tax.gpu_idle_fraction, b.feeding_tax.gpu_idle_fraction,
        "ratio",
        absl::StrFormat("GPU idle %.0f %% -> %.0f %%", a.feeding_tax.gpu_idle_fraction * 100,
                        b.feeding_tax.gpu_idle_fraction * 100));
  track("epoch_seconds", a.waterfall.epoch_overlapped_seconds, b.waterfall.epoch_overlapped_seconds,
        "s",
        absl::StrCat("epoch ", FormatDuration(a.waterfall.epoch_overlapped_seconds), " -> ",
                     FormatDuration(b.waterfall.epoch_overlapped_seconds)));
  track("transfer_seconds", a.chosen_plan.seconds, b.chosen_plan.seconds, "s",
        absl::StrCat("transfer ", FormatDuration(a.chosen_plan.seconds), " -> ",
                     FormatDuration(b.chosen_plan.seconds)));
  track("transfer_cost", a.chosen_plan.cost_dollars, b.chosen_plan.cost_dollars, "USD",
        absl::StrCat("cost ", FormatDollars(a.chosen_plan.cost_dollars), " -> ",
                     FormatDollars(b.chosen_plan.cost_dollars)));
  track("unique_data", a.dedup.unique_share, b.dedup.unique_share, "ratio",
        absl::StrFormat("unique data %.0f %% -> %.0f %%", a.dedup.unique_share * 100,
                        b.dedup.unique_share * 100));
  if (a.drift.detected != b.drift.detected) {
    track("drift_detected", a.drift.detected, b.drift.detected, "bool",
          b.drift.detected ? "drift now detected" : "drift no longer detected");
  }
  track("drift_cities", static_cast<double>(DriftingCities(a)),
        static_cast<double>(DriftingCities(b)), "cities",
        absl::StrFormat("drifting cities %d -> %d", DriftingCities(a), DriftingCities(b)));
  if (parts.empty()) {
    return "no effect on time, cost or GPU idle";
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

std::vector<Consequence> DiffConsequences(const Report& before, const Report& after) {
  std::vector<Consequence> out;
  std::vector<std::string> changes;
  for (const std::string& lever : LeverNames()) {
    absl::StatusOr<std::string> was = LeverValue(before.levers, lever);
    absl::StatusOr<std::string> now = LeverValue(after.levers, lever);
    if (was.ok() && now.ok() && *was != *now) {
      changes.push_back(absl::StrCat(lever, ": ", *was, " -> ", *now));
    }
  }
  std::vector<Quantity> numbers;
  const std::string effects = Effects(before, after, numbers);
  if (changes.size() == 1) {
    out.push_back(Consequence{Severity::kInfo, "lever_changed",
                              absl::StrCat(changes[0], "; ", effects), numbers});
  } else if (!changes.empty()) {
    for (const std::string& change : changes) {
      out.push_back(Consequence{Severity::kInfo, "lever_changed", change, {}});
    }
    out.push_back(Consequence{Severity::kInfo, "lever_effects", absl::StrCat("Together: ", effects),
                              numbers});
  }
  for (const Consequence& c : after.consequences) {
    if (!HasCode(before.consequences, c.code)) {
      out.push_back(c);
    }
  }
  for (const Consequence& c : before.consequences) {
    if (c.severity != Severity::kInfo && !HasCode(after.consequences, c.code)) {
      out.push_back(Consequence{Severity::kInfo, absl::StrCat(c.code, "_cleared"),
                                absl::StrCat("Cleared: ", c.message), c.numbers});
    }
  }
  return out;
}

absl::StatusOr<std::vector<Consequence>> DiffConsequences(const Levers& before,
                                                          const Levers& after) {
  absl::StatusOr<Report> a = Evaluate(before);
  if (!a.ok()) {
    return a.status();
  }
  absl::StatusOr<Report> b = Evaluate(after);
  if (!b.ok()) {
    return b.status();
  }
  return DiffConsequences(*a, *b);
}

}  // namespace df::factory
