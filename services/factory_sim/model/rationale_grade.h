// Grading a student's rationale with the feeding-tax math: Zone 4's "defend your storage tier".
//
// Purpose: a rationale is accepted when it quotes the three figures of the feeding tax for the
// levers it defends — the storage tier's supply, the GPUs' demand (bytes/s) and the GPU idle
// share (percent) — each close to the model's value, and the chosen tier meets the GPU Hunger
// target (idle < 10 %). "x" and "Glacier because it is cheapest" are not.
//
// Reading the figures (ParseQuotedFigures): the text is cut into clauses at , ; . : ( ) and
// line ends, at comparisons (>, <, >=, <=, ≥, ≤) and at the words "vs", "versus", "than",
// "against", "and", "but", "while". A figure is a number (thousands separators allowed) with a
// unit: a rate ("16 GB/s", "250MB/s", "1.9 GBps"; "Gbps", a lowercase b before "ps", is bits and
// is divided by 8) or a percentage ("87 %", "0%", "87 percent"). Each figure takes the nearest
// keyword in its clause: supply ("supply", "supplies", "read", "reads", "feeds", "delivers",
// "provides", "bandwidth", "throughput", "disk", "tier", "nvme"), demand ("demand", "demands",
// "need", "needs", "consume", "eat", "want", "gpus") for rates; idle ("idle", "hunger",
// "starv", "wait") or busy ("utilization", "utilisation", "efficiency", "busy": idle = 100 - it)
// for percentages. The first figure of each kind counts.
//
// Verdict, the first that applies: kTierMissesTarget (idle >= 10 % whatever the text says),
// kFiguresWrong (a quoted figure outside its tolerance), kFiguresMissing (one of the three not
// quoted), kAccepted. Tolerances: supply and demand within 10 % of the model's value (students
// round: 1.92 GB/s quoted as 2 GB/s is 4 % off), the idle share within 3 percentage points.
//
// Usage:
//   RationaleGrade grade = GradeRationale("NVMe: supply 16 GB/s >= demand 1.9 GB/s, 0 % idle",
//                                         *Evaluate(levers));
//   if (!grade.accepted) Show(grade.summary, grade.checks, grade.worked_math);
//
// Thread-safety: pure functions. Failure: none; text that is not UTF-8 or says nothing
// numeric just quotes nothing.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_RATIONALE_GRADE_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_RATIONALE_GRADE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/factory_sim/model/report.h"

namespace df::factory {

inline constexpr double kRateTolerance = 0.10;        // relative, supply and demand
inline constexpr double kIdleTolerancePercent = 3.0;  // absolute, percentage points

struct QuotedFigures {
  std::optional<double> supply_bytes_per_s;
  std::optional<double> demand_bytes_per_s;
  std::optional<double> gpu_idle_percent;  // 0..100
};

enum class RationaleVerdict { kAccepted, kFiguresMissing, kFiguresWrong, kTierMissesTarget };

struct RationaleCheck {
  std::string name;  // supply | demand | gpu_idle | gpu_hunger_target
  std::string unit;  // B/s | percent
  bool quoted = false;
  double quoted_value = 0.0;  // in `unit`
  double model_value = 0.0;   // in `unit`
  double tolerance = 0.0;     // relative for B/s, absolute percentage points for percent
  bool ok = false;
  std::string explanation;  // the check worked out in one line
};

struct RationaleGrade {
  RationaleVerdict verdict = RationaleVerdict::kFiguresMissing;
  bool accepted = false;
  std::string summary;                 // one line for the student
  std::vector<RationaleCheck> checks;  // supply, demand, gpu_idle, gpu_hunger_target
  std::string worked_math;             // FeedingTaxMath of the levers defended
};

QuotedFigures ParseQuotedFigures(std::string_view text);
RationaleGrade GradeRationale(std::string_view text, const Report& report);
std::string_view RationaleVerdictName(RationaleVerdict verdict);  // "accepted", ...

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_RATIONALE_GRADE_H_
