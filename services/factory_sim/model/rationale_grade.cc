#include "services/factory_sim/model/rationale_grade.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/factory_sim/model/feeding_tax_math.h"
#include "services/factory_sim/model/figures.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

using units::FormatBytesPerS;

enum class Kind { kSupply, kDemand, kIdle, kBusy };

struct Keyword {
  std::string_view word;  // lower case; matched at the start of a word
  Kind kind;
};
constexpr std::array<Keyword, 27> kKeywords = {{
    {"supply", Kind::kSupply},    {"supplies", Kind::kSupply},   {"read", Kind::kSupply},
    {"feeds", Kind::kSupply},     {"delivers", Kind::kSupply},   {"provides", Kind::kSupply},
    {"bandwidth", Kind::kSupply}, {"throughput", Kind::kSupply}, {"disk", Kind::kSupply},
    {"tier", Kind::kSupply},      {"nvme", Kind::kSupply},       {"demand", Kind::kDemand},
    {"need", Kind::kDemand},      {"consume", Kind::kDemand},    {"eat", Kind::kDemand},
    {"want", Kind::kDemand},      {"gpus", Kind::kDemand},       {"idle", Kind::kIdle},
    {"hunger", Kind::kIdle},      {"starv", Kind::kIdle},        {"wait", Kind::kIdle},
    {"utilization", Kind::kBusy}, {"utilisation", Kind::kBusy},  {"efficiency", Kind::kBusy},
    {"busy", Kind::kBusy},        {"use", Kind::kBusy},          {"compute", Kind::kBusy},
}};

constexpr std::array<std::string_view, 7> kClauseWords = {"vs",  "versus", "than", "against",
                                                          "and", "but",    "while"};

struct Number {
  size_t at = 0;  // byte offset in the clause
  double value = 0.0;
  bool percent = false;  // else a rate in bytes/s
};

struct Found {
  size_t at = 0;
  Kind kind = Kind::kSupply;
};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool StartsWord(std::string_view text, size_t i) { return i == 0 || !IsWordChar(text[i - 1]); }

// A clause in lower case, and as the student wrote it (same bytes, same offsets).
struct Clause {
  std::string lower;
  std::string original;
};

// The text cut at punctuation, comparisons and the clause words.
std::vector<Clause> Clauses(std::string_view text) {
  std::vector<Clause> clauses(1);
  const std::string lower = absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
  for (size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    const bool digit_before = i > 0 && std::isdigit(static_cast<unsigned char>(lower[i - 1]));
    const bool digit_after =
        i + 1 < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i + 1]));
    bool cut = c == ';' || c == ':' || c == '(' || c == ')' || c == '\n' || c == '>' || c == '<' ||
               c == '!' || c == '?' || ((c == '.' || c == ',') && !(digit_before && digit_after));
    // "≥" and "≤": E2 89 A5 / E2 89 A4.
    if (lower.compare(i, 3, "\xe2\x89\xa5") == 0 || lower.compare(i, 3, "\xe2\x89\xa4") == 0) {
      cut = true;
      i += 2;
    }
    for (std::string_view word : kClauseWords) {
      if (!cut && StartsWord(lower, i) && lower.compare(i, word.size(), word) == 0 &&
          (i + word.size() == lower.size() || !IsWordChar(lower[i + word.size()]))) {
        cut = true;
        i += word.size() - 1;
      }
    }
    if (cut) {
      clauses.emplace_back();
    } else {
      clauses.back().lower.push_back(c);
      clauses.back().original.push_back(text[i]);
    }
  }
  return clauses;
}

// Reads a unit after a number at `i` (spaces allowed first): a rate or a percentage.
bool ReadUnit(const Clause& clause, size_t i, Number& figure) {
  const std::string_view lower = clause.lower;
  while (i < lower.size() && lower[i] == ' ') ++i;
  const std::string_view rest = lower.substr(i);
  if (rest.starts_with("%") || rest.starts_with("percent")) {
    figure.percent = true;
    return true;
  }
  double scale = 1.0;
  size_t j = 0;
  constexpr std::array<std::pair<char, double>, 4> kPrefixes = {
      {{'k', 1e3}, {'m', 1e6}, {'g', 1e9}, {'t', 1e12}}};
  for (const auto& [prefix, value] : kPrefixes) {
    if (!rest.empty() && rest[0] == prefix) {
      scale = value;
      j = 1;
    }
  }
  if (j >= rest.size() || rest[j] != 'b') return false;
  const bool per_second = rest.substr(j + 1).starts_with("/s");
  const bool ps = rest.substr(j + 1).starts_with("ps");
  if (!per_second && !ps) return false;
  figure.value *= scale;
  // "Gbps": a lower-case b before "ps", as written, is bits per second.
  if (ps && clause.original[i + j] == 'b') figure.value /= 8.0;
  return true;
}

std::vector<Number> Numbers(const Clause& clause) {
  const std::string_view text = clause.lower;
  std::vector<Number> figures;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])) || !StartsWord(text, i)) {
      ++i;
      continue;
    }
    std::string digits;
    size_t j = i;
    while (j < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.' ||
            (text[j] == ',' && j + 1 < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[j + 1]))))) {
      if (text[j] != ',') digits.push_back(text[j]);
      ++j;
    }
    Number figure;
    figure.at = i;
    figure.value = std::strtod(digits.c_str(), nullptr);
    if (ReadUnit(clause, j, figure)) figures.push_back(figure);
    i = j;
  }
  return figures;
}

std::vector<Found> Keywords(std::string_view clause) {
  std::vector<Found> found;
  for (size_t i = 0; i < clause.size(); ++i) {
    if (!StartsWord(clause, i)) continue;
    for (const Keyword& k : kKeywords) {
      if (clause.compare(i, k.word.size(), k.word) == 0) {
        found.push_back({i, k.kind});
        break;
      }
    }
  }
  return found;
}

size_t Distance(size_t a, size_t b) { return a > b ? a - b : b - a; }

double IdlePercent(const Report& r) { return r.feeding_tax.gpu_idle_fraction * 100.0; }

RationaleCheck RateCheck(const char* name, const std::optional<double>& quoted, double model) {
  RationaleCheck check;
  check.name = name;
  check.unit = "B/s";
  check.model_value = model;
  check.tolerance = kRateTolerance;
  if (!quoted) {
    check.explanation =
        absl::StrFormat("%s not quoted; the model's is %s", name, FormatBytesPerS(model));
    return check;
  }
  check.quoted = true;
  check.quoted_value = *quoted;
  const double off = model > 0 ? std::fabs(*quoted - model) / model : std::fabs(*quoted);
  check.ok = off <= kRateTolerance;
  check.explanation = absl::StrFormat(
      "%s quoted %s, model %s: |%s - %s| / %s = %.1f %% %s %.0f %%", name, FormatBytesPerS(*quoted),
      FormatBytesPerS(model), FormatBytesPerS(*quoted), FormatBytesPerS(model),
      FormatBytesPerS(model), off * 100, check.ok ? "<=" : ">", kRateTolerance * 100);
  return check;
}

}  // namespace

QuotedFigures ParseQuotedFigures(std::string_view text) {
  QuotedFigures quoted;
  for (const Clause& clause : Clauses(text)) {
    const std::vector<Found> keywords = Keywords(clause.lower);
    for (const Number& figure : Numbers(clause)) {
      const Found* best = nullptr;
      for (const Found& k : keywords) {
        const bool fits = figure.percent ? (k.kind == Kind::kIdle || k.kind == Kind::kBusy)
                                         : (k.kind == Kind::kSupply || k.kind == Kind::kDemand);
        if (fits &&
            (best == nullptr || Distance(k.at, figure.at) < Distance(best->at, figure.at))) {
          best = &k;
        }
      }
      if (best == nullptr) continue;
      std::optional<double>* slot = nullptr;
      double value = figure.value;
      switch (best->kind) {
        case Kind::kSupply:
          slot = &quoted.supply_bytes_per_s;
          break;
        case Kind::kDemand:
          slot = &quoted.demand_bytes_per_s;
          break;
        case Kind::kIdle:
          slot = &quoted.gpu_idle_percent;
          break;
        case Kind::kBusy:
          slot = &quoted.gpu_idle_percent;
          value = 100.0 - figure.value;
          break;
      }
      if (!slot->has_value()) *slot = value;
    }
  }
  return quoted;
}

std::string_view RationaleVerdictName(RationaleVerdict verdict) {
  switch (verdict) {
    case RationaleVerdict::kAccepted:
      return "accepted";
    case RationaleVerdict::kFiguresMissing:
      return "figures_missing";
    case RationaleVerdict::kFiguresWrong:
      return "figures_wrong";
    case RationaleVerdict::kTierMissesTarget:
      return "tier_misses_target";
  }
  return "figures_missing";
}

RationaleGrade GradeRationale(std::string_view text, const Report& report) {
  const QuotedFigures quoted = ParseQuotedFigures(text);
  const FeedingTax& tax = report.feeding_tax;
  RationaleGrade grade;
  grade.worked_math = FeedingTaxMath(report);
  grade.checks.push_back(RateCheck("supply", quoted.supply_bytes_per_s, tax.supply_bytes_per_s));
  grade.checks.push_back(RateCheck("demand", quoted.demand_bytes_per_s, tax.demand_bytes_per_s));

  RationaleCheck idle;
  idle.name = "gpu_idle";
  idle.unit = "percent";
  idle.model_value = IdlePercent(report);
  idle.tolerance = kIdleTolerancePercent;
  if (quoted.gpu_idle_percent) {
    idle.quoted = true;
    idle.quoted_value = *quoted.gpu_idle_percent;
    const double off = std::fabs(idle.quoted_value - idle.model_value);
    idle.ok = off <= kIdleTolerancePercent;
    idle.explanation = absl::StrFormat(
        "GPU idle quoted %.1f %%, model 1 - min(1, supply / demand) = %.1f %%: off by %.1f "
        "points %s %.0f",
        idle.quoted_value, idle.model_value, off, idle.ok ? "<=" : ">", kIdleTolerancePercent);
  } else {
    idle.explanation =
        absl::StrFormat("GPU idle share not quoted; the model's is %.1f %%", idle.model_value);
  }
  grade.checks.push_back(idle);

  RationaleCheck target;
  target.name = "gpu_hunger_target";
  target.unit = "percent";
  target.model_value = IdlePercent(report);
  target.tolerance = figures::kGpuHungerLimitFraction * 100;
  target.ok = tax.gpu_idle_fraction < figures::kGpuHungerLimitFraction;
  target.explanation =
      absl::StrFormat("%s leaves the GPUs %.1f %% idle, %s the %.0f %% GPU Hunger target",
                      StorageTierName(report.levers.storage_tier), target.model_value,
                      target.ok ? "under" : "not under", target.tolerance);
  grade.checks.push_back(target);

  bool missing = false, wrong = false;
  for (size_t i = 0; i + 1 < grade.checks.size(); ++i) {
    missing = missing || !grade.checks[i].quoted;
    wrong = wrong || (grade.checks[i].quoted && !grade.checks[i].ok);
  }
  if (!target.ok) {
    grade.verdict = RationaleVerdict::kTierMissesTarget;
    grade.summary = absl::StrCat("Not accepted: ", target.explanation,
                                 "; choose a tier whose supply covers the demand.");
  } else if (wrong) {
    grade.verdict = RationaleVerdict::kFiguresWrong;
    grade.summary = "Not accepted: a quoted figure is off; check it against the worked math.";
  } else if (missing) {
    grade.verdict = RationaleVerdict::kFiguresMissing;
    grade.summary =
        "Not accepted yet: quote the tier's supply and the GPUs' demand (e.g. 16 GB/s, 1.9 GB/s) "
        "and the GPU idle share (e.g. 0 %).";
  } else {
    grade.verdict = RationaleVerdict::kAccepted;
    grade.accepted = true;
    grade.summary = absl::StrCat("Accepted: the figures match the feeding-tax math and ",
                                 target.explanation, ".");
  }
  return grade;
}

}  // namespace df::factory
