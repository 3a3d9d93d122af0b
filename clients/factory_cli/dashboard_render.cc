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
  const char* mark = badge.not_evaluated() ? "– " : (badge.ok() ? "✔ " : "✘ ");
  const std::string text = absl::StrCat(" ", mark, BadgeLabel(badge), " ");
  if (!o.color) return absl::StrCat("[", text, "]");
  if (badge.not_evaluated()) return Paint(o, kDim, absl::StrCat("[", text, "]"));
  return Paint(o, badge.ok() ? kWhiteOnGreen : kWhiteOnRed, text);
}

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
  // found, "No Drift" (green) otherwise, and "Drift: not evaluated" when the
  // persona has no camera feed to test.
  if (badge.not_evaluated()) {
    return badge.id() == "no_drift" ? "Drift: not evaluated"
                                    : absl::StrCat(badge.label(), ": not evaluated");
  }
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
  row("firmware_sev", FormatPercent(l.firmware_severity()));
  return out;
}

std::vector<WaterfallSegment> SerialTimeline(const v1::Waterfall& w) {
  return {{"Disk IO", 'I', w.disk_io_seconds()},
          {"Network", 'N', w.network_seconds()},
          {"GPU math", 'G', w.gpu_math_seconds()}};
}

std::vector<WaterfallSegment> OverlappedTimeline(const v1::Waterfall& w) {
  return {{"GPU math", 'G', w.gpu_math_seconds()}, {"Stall", 'S', w.stall_seconds()}};
}

std::string RenderWaterfall(const v1::Waterfall& w, const RenderOptions& o) {
  const int cells = std::max(10, o.width - 32);
  const double axis = std::max(w.epoch_serial_seconds(), w.epoch_overlapped_seconds());
  auto color_of = [](char glyph) {
    switch (glyph) {
      case 'I':
        return kBlue;
      case 'N':
        return kMagenta;
      case 'G':
        return kGreen;
      default:
        return kRed;
    }
  };
  auto timeline = [&](const char* name, const std::vector<WaterfallSegment>& segments,
                      double total) {
    std::string bar;
    for (const WaterfallSegment& s : segments) {
      int n = axis > 0 ? static_cast<int>(std::lround(s.seconds / axis * cells)) : 0;
      if (s.seconds > 0 && n == 0) n = 1;  // a part that exists is always visible
      bar += Paint(o, color_of(s.glyph), std::string(static_cast<size_t>(n), s.glyph));
    }
    return absl::StrCat(absl::StrFormat("  %-11s ", name), bar, " ", FormatDuration(total), "\n");
  };
  std::string out = timeline("serial", SerialTimeline(w), w.epoch_serial_seconds());
  absl::StrAppend(&out,
                  timeline("overlapped", OverlappedTimeline(w), w.epoch_overlapped_seconds()));
  absl::StrAppend(&out, "  legend: ", Paint(o, kBlue, "I"), " disk IO ",
                  FormatDuration(w.disk_io_seconds()), "  ", Paint(o, kMagenta, "N"), " network ",
                  FormatDuration(w.network_seconds()), "  ", Paint(o, kGreen, "G"), " GPU math ",
                  FormatDuration(w.gpu_math_seconds()), "  ", Paint(o, kRed, "S"),
                  " stall (GPUs wait) ", FormatDuration(w.stall_seconds()), "\n");
  absl::StrAppend(&out,
                  "  serial: the parts one after another; overlapped (prefetching): disk IO and "
                  "network run beside the GPU math, the GPUs wait out the rest\n");
  return out;
}

std::string RenderMoney(const v1::Report& r, const RenderOptions& o) {
  const v1::Money& m = r.money();
  std::string out = absl::StrFormat(
      "  rented GPUs %s an hour; idle they burn %s an epoch, %s over %.0f epochs\n",
      FormatDollars(m.gpu_dollars_per_hour()), FormatDollars(m.idle_gpu_dollars_per_epoch()),
      FormatDollars(m.idle_gpu_dollars_per_training_run()), m.training_epochs());
  absl::StrAppend(&out, absl::StrFormat("  %-24s %12s %12s %9s %14s\n", "tier", "per month",
                                        "supply", "GPU idle", "fees an epoch"));
  for (const v1::TierOption& t : m.tiers()) {
    const std::string tier = EnumWords(v1::StorageTier_Name(t.tier()), "STORAGE_TIER_");
    const bool chosen = t.tier() == r.levers().storage_tier();
    const std::string row = absl::StrFormat(
        "%s %-22s %12s %12s %9s %14s", chosen ? ">" : " ", tier,
        FormatDollars(t.storage_dollars_per_month()), FormatBytesPerS(t.supply_bytes_per_s()),
        FormatPercent(t.gpu_idle_fraction()), FormatDollars(t.retrieval_dollars_per_epoch()));
    absl::StrAppend(&out, "  ", Paint(o, t.meets_gpu_hunger_target() ? kGreen : kDim, row), "\n");
  }
  return out;
}

std::string RenderDrift(const v1::DriftCheck& d, const RenderOptions& o) {
  if (!d.evaluated()) return absl::StrCat("  ", d.detail(), "\n");
  std::string out = absl::StrFormat(
      "  alpha %g / %d tests = %.3g per test (Bonferroni); firmware severity %s\n", d.alpha(),
      d.tests(), d.per_test_alpha(), FormatPercent(d.firmware_severity()));
  for (const v1::CityDrift& city : d.cities()) {
    absl::StrAppend(
        &out, "  ",
        Paint(o, city.detected() ? kRed : kGreen,
              absl::StrFormat("%-10s %-9s", city.city(), city.detected() ? "DRIFT" : "quiet")),
        city.firmware_updated() ? " (firmware updated)\n" : " (control city)\n");
    for (const v1::FeatureTest& t : city.tests()) {
      absl::StrAppend(
          &out,
          absl::StrFormat("    %-22s n=%d+%d  D=%.3f (critical %.3f)  p=%.3g %s\n", t.feature(),
                          t.n_reference(), t.n_current(), t.ks_statistic(), t.critical_statistic(),
                          t.p_value(), t.rejected() ? "rejects" : "accepts"));
    }
  }
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
  for (const v1::TransferPlan& p : r.transfer_plans()) {
    if (p.method() != r.levers().transfer_method()) continue;
    for (const std::string& item : p.unpriced()) {
      absl::StrAppend(&out, "  ", Paint(o, kDim, absl::StrCat("not priced: ", item)), "\n");
    }
  }
  const v1::Energy& e = r.energy();
  absl::StrAppend(
      &out,
      absl::StrFormat("  energy: a DRAM operand costs %.0f pJ, its multiply-add %.1f pJ (x%.0f); "
                      "moving the data %.3g J vs the epoch's arithmetic %.3g J (x%.3g); the "
                      "GPU boards draw %.3g J computing it\n",
                      e.joules_per_operand_moved() * 1e12, e.joules_per_operation() * 1e12,
                      e.operand_to_operation_ratio(), e.move_joules(), e.compute_joules(),
                      e.move_to_compute_ratio(), e.gpu_board_joules()));
  absl::StrAppend(&out, "\n", Rule(o, "Money"), RenderMoney(r, o));
  absl::StrAppend(&out, "\n", Rule(o, "Drift check (Act III)"), RenderDrift(r.drift(), o));

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

std::string RenderGrade(const v1::RationaleGrade& g, const RenderOptions& o) {
  std::string out =
      absl::StrCat("      grade: ",
                   Paint(o, g.accepted() ? kGreen : kRed,
                         EnumWords(v1::RationaleVerdict_Name(g.verdict()), "RATIONALE_VERDICT_")),
                   " — ", g.summary(), "\n");
  for (const v1::RationaleCheck& c : g.checks()) {
    absl::StrAppend(&out, "        ", Paint(o, c.ok() ? kGreen : kRed, c.ok() ? "✔" : "✘"), " ",
                    c.explanation(), "\n");
  }
  if (!g.worked_math().empty()) {
    absl::StrAppend(&out, "        ", Paint(o, kDim, g.worked_math()), "\n");
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
      if (r.has_grade()) absl::StrAppend(&out, RenderGrade(r.grade(), o));
    } else if (e.has_prediction()) {
      const v1::PredictionRecorded& p = e.prediction();
      absl::StrAppend(&out, "prediction ", p.act(), "/", p.prediction_id(), ": ",
                      absl::StrFormat("%g", p.answer()), " (accepted ",
                      absl::StrFormat("%.4g", p.accepted_answer()), ") ",
                      Paint(o, p.correct() ? kGreen : kRed, p.correct() ? "right" : "not quite"),
                      "\n");
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

std::string RenderFigures(const v1::GetFigureCatalogueResponse& catalogue,
                          const std::string& filter, const RenderOptions& o) {
  std::string out;
  const std::string needle = absl::AsciiStrToLower(filter);
  int shown = 0;
  for (const v1::Figure& f : catalogue.figures()) {
    const std::string haystack =
        absl::AsciiStrToLower(absl::StrCat(f.id(), " ", f.description(), " ", f.source()));
    if (!needle.empty() && haystack.find(needle) == std::string::npos) continue;
    ++shown;
    absl::StrAppend(&out, Paint(o, kBold, f.id()), "  ", absl::StrFormat("%.6g", f.value()), " ",
                    f.unit(), f.estimate() ? Paint(o, kYellow, "  (estimate)") : "", "\n    ",
                    f.description(), "\n    ", Paint(o, kDim, absl::StrCat("source: ", f.source())),
                    "\n");
  }
  absl::StrAppend(&out, shown, " of ", catalogue.figures_size(), " figures",
                  needle.empty() ? "" : absl::StrCat(" matching \"", filter, "\""), "\n");
  return out;
}

}  // namespace df::factory_cli
