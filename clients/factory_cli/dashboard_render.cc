#include "clients/factory_cli/dashboard_render.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/units/units_format.h"

namespace df::factory_cli {
namespace {

namespace v1 = ::datafactory::factory::v1;
using units::FormatBitsPerS;
using units::FormatBytes;
using units::FormatBytesPerS;
using units::FormatDollars;
using units::FormatDuration;
using units::FormatPercent;
using units::FormatWithUnit;

constexpr const char* kReset = "\033[0m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kBlue = "\033[34m";
constexpr const char* kMagenta = "\033[35m";
constexpr const char* kCyan = "\033[36m";
constexpr const char* kWhiteOnRed = "\033[1;37;41m";
constexpr const char* kWhiteOnGreen = "\033[1;37;42m";

std::string Paint(const RenderOptions& o, const char* code, const std::string& text) {
  return o.color ? absl::StrCat(code, text, kReset) : text;
}

std::string Rule(const RenderOptions& o, const std::string& title) {
  std::string line = absl::StrCat("── ", title, " ");
  // "─" is 3 bytes but one column.
  const int used = static_cast<int>(title.size()) + 4;
  for (int i = used; i < o.width; ++i) line += "─";
  return Paint(o, kBold, line) + "\n";
}

// "STORAGE_TIER_LOCAL_NVME" -> "local nvme"
std::string EnumWords(const std::string& full, const std::string& prefix) {
  std::string s = full.rfind(prefix, 0) == 0 ? full.substr(prefix.size()) : full;
  absl::AsciiStrToLower(&s);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string BadgeText(const RenderOptions& o, const v1::Badge& badge) {
  const std::string text = absl::StrCat(" ", badge.ok() ? "✔ " : "✘ ", BadgeLabel(badge), " ");
  if (!o.color) return absl::StrCat("[", text, "]");
  return Paint(o, badge.ok() ? kWhiteOnGreen : kWhiteOnRed, text);
}

std::string Bar(int cells) { return std::string(static_cast<size_t>(std::max(cells, 0)), '#'); }

const char* SeverityColor(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_ALERT:
      return kRed;
    case v1::SEVERITY_WARNING:
      return kYellow;
    default:
      return kCyan;
  }
}

std::string SeverityTag(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_ALERT:
      return "ALERT";
    case v1::SEVERITY_WARNING:
      return "WARN ";
    default:
      return "INFO ";
  }
}

std::string RenderConsequence(const v1::Consequence& c, const RenderOptions& o) {
  std::string line = absl::StrCat(Paint(o, SeverityColor(c.severity()), SeverityTag(c.severity())),
                                  " ", c.message(), "\n");
  if (c.numbers_size() > 0) {
    std::vector<std::string> numbers;
    for (const v1::Quantity& q : c.numbers()) {
      numbers.push_back(absl::StrCat(q.name(), " = ", FormatWithUnit(q.value(), q.unit())));
    }
    absl::StrAppend(&line, "      ", Paint(o, kDim, absl::StrJoin(numbers, "; ")), "\n");
  }
  return line;
}

}  // namespace

std::string BadgeLabel(const v1::Badge& badge) {
  // The drift badge is an alert: it reads "Drift Detected" (red) when drift is
  // found, "No Drift" (green) otherwise.
  if (badge.id() == "no_drift") return badge.ok() ? "No Drift" : "Drift Detected";
  return badge.label();
}

bool UseColor(bool stdout_is_tty, const char* no_color_env) {
  return stdout_is_tty && (no_color_env == nullptr || no_color_env[0] == '\0');
}

std::string RenderLevers(const v1::Levers& l) {
  std::string out;
  auto row = [&out](const std::string& name, const std::string& value) {
    absl::StrAppend(&out, absl::StrFormat("  %-16s %s\n", name, value));
  };
  row("persona", EnumWords(v1::Persona_Name(l.persona()), "PERSONA_"));
  row("dataset", FormatBytes(l.dataset_bytes()));
  row("storage_tier", EnumWords(v1::StorageTier_Name(l.storage_tier()), "STORAGE_TIER_"));
  row("transfer", EnumWords(v1::TransferMethod_Name(l.transfer_method()), "TRANSFER_METHOD_"));
  row("link", absl::StrCat(FormatBitsPerS(l.link_rate_bits_per_s()), " at ",
                           FormatPercent(l.link_efficiency()), " efficiency"));
  row("distance", absl::StrFormat("%.0f miles", l.distance_miles()));
  row("deadline", absl::StrFormat("%.1f days", l.deadline_days()));
  row("dedup", FormatPercent(l.dedup_fraction()));
  row("drift_alpha", absl::StrFormat("%g", l.drift_alpha()));
  row("pricing", EnumWords(v1::PricingModel_Name(l.pricing_model()), "PRICING_MODEL_"));
  row("gpus",
      absl::StrCat(l.gpu_count(), " x ",
                   absl::AsciiStrToUpper(EnumWords(v1::GpuType_Name(l.gpu_type()), "GPU_TYPE_"))));
  return out;
}

std::string RenderWaterfall(const v1::Waterfall& w, const RenderOptions& o) {
  struct Part {
    const char* name;
    double seconds;
    const char* color;
  };
  const Part parts[] = {{"Disk IO", w.disk_io_seconds(), kBlue},
                        {"Network", w.network_seconds(), kMagenta},
                        {"GPU math", w.gpu_math_seconds(), kGreen},
                        {"Stall", w.stall_seconds(), kRed}};
  double longest = 0;
  for (const Part& p : parts) longest = std::max(longest, p.seconds);
  const int bar_cells = std::max(10, o.width - 32);
  std::string out;
  for (const Part& p : parts) {
    const int cells =
        longest > 0 ? static_cast<int>(std::lround(p.seconds / longest * bar_cells)) : 0;
    absl::StrAppend(&out, absl::StrFormat("  %-9s %12s ", p.name, FormatDuration(p.seconds)),
                    Paint(o, p.color, Bar(cells)), "\n");
  }
  absl::StrAppend(&out, "  epoch: ", FormatDuration(w.epoch_overlapped_seconds()),
                  " overlapped (prefetch), ", FormatDuration(w.epoch_serial_seconds()),
                  " serial\n");
  return out;
}

std::string RenderDashboard(const v1::Report& r, const RenderOptions& o) {
  std::string out;
  // Zone 1: command header.
  absl::StrAppend(&out, Paint(o, kBold, "Lab 04: The Data Factory"), "  —  ", r.persona_label(),
                  r.persona_scale().empty() ? "" : absl::StrCat(" (", r.persona_scale(), ")"),
                  "\n");
  std::vector<std::string> badges;
  for (const v1::Badge& b : r.badges()) badges.push_back(BadgeText(o, b));
  absl::StrAppend(&out, absl::StrJoin(badges, " "), "\n\n");

  // Zone 2: levers.
  absl::StrAppend(&out, Rule(o, "Levers"), RenderLevers(r.levers()), "\n");

  // Zone 3: ledger, waterfall, transfer plans.
  absl::StrAppend(&out, Rule(o, "System ledger"));
  for (const v1::LedgerCard& card : r.ledger()) {
    absl::StrAppend(&out, absl::StrFormat("  %-16s ", card.title()),
                    Paint(o, card.ok() ? kGreen : kRed, absl::StrFormat("%-14s", card.display())),
                    " ", Paint(o, kDim, card.detail()), "\n");
  }
  absl::StrAppend(&out, "\n", Rule(o, "Data gravity waterfall (one epoch)"),
                  RenderWaterfall(r.waterfall(), o));
  if (r.transfer_plans_size() > 0) {
    absl::StrAppend(&out, "\n", Rule(o, "Transfer plans"));
    for (const v1::TransferPlan& p : r.transfer_plans()) {
      const std::string verdict = p.meets_deadline() ? "meets deadline" : "misses deadline";
      absl::StrAppend(&out,
                      absl::StrFormat("  %-34s %10s %10s ", p.label(), FormatDuration(p.seconds()),
                                      FormatDollars(p.cost_dollars())),
                      p.devices() > 0 ? absl::StrCat(p.devices(), " devices  ") : "",
                      Paint(o, p.meets_deadline() ? kGreen : kRed, verdict), "\n");
    }
  }
  absl::StrAppend(&out, absl::StrFormat("  energy: moving %.3g J vs computing %.3g J (x%.3g)\n",
                                        r.energy().move_joules(), r.energy().compute_joules(),
                                        r.energy().move_to_compute_ratio()));

  // Zone 4: consequence log.
  absl::StrAppend(&out, "\n", Rule(o, "Consequence log"));
  if (r.consequences_size() == 0) absl::StrAppend(&out, "  (nothing to report)\n");
  for (const v1::Consequence& c : r.consequences()) {
    absl::StrAppend(&out, "  ", RenderConsequence(c, o));
  }
  return out;
}

std::string RenderTick(const v1::TelemetryTick& t, const RenderOptions& o) {
  const double util = t.gpu_utilization();
  const char* util_color = util >= 0.9 ? kGreen : (util >= 0.5 ? kYellow : kRed);
  std::string out =
      absl::StrFormat("t=%-10s epoch %d %5.1f%%  GPU ", FormatDuration(t.simulated_seconds()),
                      t.epoch(), 100 * t.epoch_progress());
  absl::StrAppend(&out, Paint(o, util_color, absl::StrFormat("%5.1f%%", 100 * util)),
                  absl::StrFormat("  io %-10s net %-10s moved %-9s spent %s",
                                  FormatBytesPerS(t.io_throughput_bytes_per_s()),
                                  FormatBytesPerS(t.network_throughput_bytes_per_s()),
                                  FormatBytes(t.bytes_moved()), FormatDollars(t.dollars_spent())));
  if (t.coalesced_ticks() > 0) {
    absl::StrAppend(&out, Paint(o, kDim, absl::StrCat("  (+", t.coalesced_ticks(), " coalesced)")));
  }
  absl::StrAppend(&out, "\n");
  for (const v1::Consequence& c : t.consequences())
    absl::StrAppend(&out, "  ", RenderConsequence(c, o));
  if (t.epoch_end() && t.has_waterfall()) absl::StrAppend(&out, RenderWaterfall(t.waterfall(), o));
  if (t.run_complete()) absl::StrAppend(&out, Paint(o, kBold, "run complete"), "\n");
  return out;
}

std::string RenderScenarios(const v1::ListScenariosResponse& s, const RenderOptions& o) {
  std::string out;
  for (const v1::Scenario& scenario : s.scenarios()) {
    absl::StrAppend(&out, Paint(o, kBold, absl::StrFormat("%-6s", scenario.name())), " ",
                    scenario.title(), "\n       ", scenario.description(), "\n");
  }
  return out;
}

std::string RenderAuditTrail(const v1::GetAuditTrailResponse& trail, const RenderOptions& o) {
  std::string out;
  for (const v1::AuditEntry& e : trail.entries()) {
    absl::StrAppend(&out, Paint(o, kBold, absl::StrCat("#", e.sequence())), " ");
    if (e.has_rationale()) {
      const v1::RationaleRecorded& r = e.rationale();
      absl::StrAppend(&out, "rationale: \"", r.text(), "\"\n      feeding tax: demand ",
                      FormatBytesPerS(r.feeding_tax().demand_bytes_per_s()), ", supply ",
                      FormatBytesPerS(r.feeding_tax().supply_bytes_per_s()), ", GPU idle ",
                      FormatPercent(r.feeding_tax().gpu_idle_fraction()), "\n");
    } else if (e.has_levers()) {
      absl::StrAppend(&out, e.levers().origin(), ": ",
                      e.levers().set_size() > 0 ? absl::StrJoin(e.levers().set(), " ")
                                                : std::string("(levers)"),
                      "\n");
      for (const v1::Consequence& c : e.levers().consequences()) {
        absl::StrAppend(&out, "      ", RenderConsequence(c, o));
      }
    }
  }
  if (trail.entries_size() == 0) out = "(no entries)\n";
  return out;
}

}  // namespace df::factory_cli
