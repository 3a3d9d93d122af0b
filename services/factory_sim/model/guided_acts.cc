#include "services/factory_sim/model/guided_acts.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "services/factory_sim/model/drift_check.h"
#include "services/factory_sim/model/feeding_tax_math.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

using namespace figures;  // NOLINT(build/namespaces)
using units::FormatBytes;
using units::FormatBytesPerS;
using units::FormatCount;
using units::FormatDollars;
using units::FormatDuration;

constexpr double kStrictAlpha = 0.001;  // Act III's second question

// A number as a reader writes it: 1e15, 0.8, 115.7.
std::string Sci(double value) {
  return absl::StrReplaceAll(absl::StrFormat("%.4g", value), {{"e+0", "e"}, {"e+", "e"}});
}

// An answer as the student reads it: thousands grouped from 1,000 up, else 4 digits.
std::string AnswerText(double value) {
  return std::fabs(value) >= 1000 ? FormatCount(value) : absl::StrFormat("%.4g", value);
}

// Scenarios are valid by construction (scenarios_test checks them).
Report EvaluateScenario(const std::string& name) {
  absl::StatusOr<Levers> levers = ScenarioLevers(name);
  absl::StatusOr<Report> report = Evaluate(levers.ok() ? *levers : Levers{});
  return report.ok() ? *std::move(report) : Report{};
}

const TransferPlan& Plan(const Report& r, TransferMethod method) {
  for (const TransferPlan& plan : r.transfer_plans) {
    if (plan.method == method) return plan;
  }
  return r.chosen_plan;
}

int DriftingCities(const DriftCheck& check) {
  return static_cast<int>(std::count_if(check.cities.begin(), check.cities.end(),
                                        [](const CityDrift& c) { return c.detected; }));
}

GuidedAct ActOne() {
  const Report r = EvaluateScenario("act1");
  const Levers& l = r.levers;
  const TransferPlan& fiber = Plan(r, TransferMethod::kFiber);
  const TransferPlan& shipped = Plan(r, TransferMethod::kShippedDevice);
  const TransferPlan& move = Plan(r, TransferMethod::kMoveCompute);
  const double days = fiber.seconds / kSecondsPerDay;
  const double bytes = fiber.bytes_moved;
  const std::string fiber_math = absl::StrFormat(
      "%s B x 8 / (%s bit/s x %.2f) = %s s = %.1f days (%.1f days at 100 %%)", Sci(bytes),
      Sci(l.link_rate_bits_per_s), l.link_efficiency, Sci(fiber.seconds), days,
      LinkTransferSeconds(bytes, l.link_rate_bits_per_s, 1.0) / kSecondsPerDay);
  const std::string egress_math = absl::StrFormat(
      "%s GB x $%.2f = %s flat (AWS's 2024 tiers with 100 GB free: %s)",
      FormatCount(bytes / kBytesPerGb), kEgressFlatDollarsPerGb, FormatDollars(fiber.cost_dollars),
      FormatDollars(EgressCostDollars(bytes, PricingModel::kTiered)));
  const std::string devices_math =
      absl::StrFormat("ceil(%s / %s) = %d devices", FormatBytes(bytes),
                      FormatBytes(kSnowballCapacityBytes), shipped.devices);
  GuidedAct act;
  act.id = "act1";
  act.title = "Act I: the physics of data gravity";
  act.scenario_name = "act1";
  act.solved_scenario = "act1_snowball";
  act.scenario = absl::StrFormat(
      "%s of raw dash-cam video from the Edge Guardian fleet sits in S3, %g miles from the GPU "
      "cluster.",
      FormatBytes(l.dataset_bytes), l.distance_miles);
  act.crisis = absl::StrFormat(
      "Training must start in %g days. The link is %g Gbps fiber at %.0f %% sustained "
      "efficiency, and the budget is %s.",
      l.deadline_days, l.link_rate_bits_per_s / 1e9, l.link_efficiency * 100,
      FormatDollars(kEgressBudgetDollars));
  act.task =
      "Work out how long the fiber takes and what it costs; then try method=snowball and "
      "method=move_compute, and choose the plan that meets the deadline within the budget.";
  act.predictions = {
      {"fiber_days",
       absl::StrFormat("How many days does the petabyte take over the %g Gbps link "
                       "at %.0f %% efficiency?",
                       l.link_rate_bits_per_s / 1e9, l.link_efficiency * 100),
       "days", days, 0.10, ToleranceKind::kRelative, fiber_math},
      {"egress_dollars", "What does the lab's flat $0.09/GB egress charge for moving it?", "USD",
       fiber.cost_dollars, 0.05, ToleranceKind::kRelative, egress_math},
      {"snowball_devices", "How many 210 TB Snowball Edge devices does it fill?", "devices",
       static_cast<double>(shipped.devices), 0.0, ToleranceKind::kAbsolute, devices_math},
  };
  act.reveal = {
      absl::StrFormat("Fiber: %s; the deadline is %g days.", fiber_math, l.deadline_days),
      absl::StrCat("Egress: ", egress_math, "."),
      absl::StrCat("Snowball: ", devices_math, "; ", shipped.detail,
                   "; not priced: ", absl::StrJoin(shipped.unpriced, "; "), "."),
      absl::StrCat("Move compute: ", move.detail, "."),
      absl::StrFormat("Energy: moving the petabyte over the internet takes %s J against %s J "
                      "of GPU arithmetic for one epoch on it (x%.3g); per operand, a DRAM read "
                      "costs %.0fx the multiply-add that uses it.",
                      Sci(r.energy.move_joules), Sci(r.energy.compute_joules),
                      r.energy.move_to_compute_ratio, r.energy.operand_to_operation_ratio),
  };
  act.reflection =
      "The truck wins on time, the wire loses on money, and renting GPUs beside the data trades "
      "both for a feeding tax at the far end. When would the fiber win? Try dataset=10TB or "
      "link_rate=100Gbps.";
  return act;
}

std::string TierMoneyLine(const Report& r) {
  std::vector<std::string> parts;
  for (const TierOption& t : r.tier_options) {
    parts.push_back(absl::StrFormat("%s %s (idle %.0f %%)", StorageTierName(t.tier),
                                    FormatDollars(t.storage_dollars_per_month),
                                    t.gpu_idle_fraction * 100));
  }
  return absl::StrCat("Storage a month for ", FormatBytes(r.dedup.stored_bytes), ": ",
                      absl::StrJoin(parts, ", "), "; local NVMe is part of the instance price.");
}

GuidedAct ActTwo() {
  const Report r = EvaluateScenario("act2");
  const Report nvme = EvaluateScenario("act2_nvme");
  const FeedingTax& tax = r.feeding_tax;
  const double images_per_s = tax.demand_bytes_per_s / r.workload.mean_sample_bytes;
  const std::string demand_math = absl::StrFormat("%s img/s x %s = %s", FormatCount(images_per_s),
                                                  FormatBytes(r.workload.mean_sample_bytes),
                                                  FormatBytesPerS(tax.demand_bytes_per_s));
  const double images = r.dedup.stored_bytes / r.workload.mean_sample_bytes;
  GuidedAct act;
  act.id = "act2";
  act.title = "Act II: the feeding tax";
  act.scenario_name = "act2";
  act.solved_scenario = "act2_nvme";
  act.scenario = absl::StrFormat(
      "ResNet-50 on a Cloud Titan cluster of %dx %s (%s images/s) reads ImageNet (%s, %s "
      "images) from a %s cloud disk.",
      r.levers.gpu_count, absl::AsciiStrToUpper(std::string(GpuTypeName(r.levers.gpu_type))),
      FormatCount(images_per_s), FormatBytes(r.dedup.stored_bytes), FormatCount(images),
      FormatBytesPerS(tax.supply_bytes_per_s));
  act.crisis = absl::StrFormat(
      "GPU utilisation is stuck at %.0f %%: the rented GPUs wait most of every epoch.",
      tax.efficiency * 100);
  act.task =
      "Find the bottleneck with the feeding-tax math, choose a storage tier that keeps GPU idle "
      "under 10 %, and defend it in a rationale that quotes the supply, the demand and the idle "
      "share (factory-cli rationale).";
  act.predictions = {
      {"demand_gb_per_s", "How many GB/s do the GPUs demand?", "GB/s",
       tax.demand_bytes_per_s / kBytesPerGb, 0.10, ToleranceKind::kRelative, demand_math},
      {"idle_percent", "What share of each epoch do the GPUs sit idle on the cloud disk, in %?",
       "percent", tax.gpu_idle_fraction * 100, 3.0, ToleranceKind::kAbsolute, FeedingTaxMath(r)},
      {"nvme_idle_percent", "And on local NVMe (16 GB/s), in %?", "percent",
       nvme.feeding_tax.gpu_idle_fraction * 100, 3.0, ToleranceKind::kAbsolute,
       FeedingTaxMath(nvme)},
  };
  act.reveal = {
      absl::StrCat("Cloud disk: ", FeedingTaxMath(r), "."),
      absl::StrFormat("Stall: %s of waiting an epoch; %d rented %s at %s per GPU-hour burn %s an "
                      "epoch, %s over a %.0f-epoch run.",
                      FormatDuration(r.waterfall.stall_seconds), r.levers.gpu_count,
                      absl::AsciiStrToUpper(std::string(GpuTypeName(r.levers.gpu_type))),
                      FormatDollars(r.gpu_money.dollars_per_gpu_hour),
                      FormatDollars(r.gpu_money.idle_dollars_per_epoch),
                      FormatDollars(r.gpu_money.idle_dollars_per_training_run),
                      kResNet50TrainingEpochs),
      absl::StrCat("Local NVMe: ", FeedingTaxMath(nvme), "."),
      TierMoneyLine(r),
      absl::StrFormat(
          "Energy per operand: a 32-bit DRAM read costs %.0f pJ, the FP32 multiply-add that uses "
          "it %.1f pJ: %.0fx. One epoch of arithmetic is %s images x %.0f x %s multiply-adds x "
          "%.1f pJ = %s J; the boards draw %.0f W x %s = %s J while computing it.",
          r.energy.joules_per_operand_moved * 1e12, r.energy.joules_per_operation * 1e12,
          r.energy.operand_to_operation_ratio, FormatCount(images), kTrainingComputePerForward,
          Sci(kResNet50ForwardMacsPerImage), r.energy.joules_per_operation * 1e12,
          Sci(r.energy.compute_joules), r.energy.gpu_board_watts,
          FormatDuration(r.waterfall.gpu_math_seconds), Sci(r.energy.gpu_board_joules)),
  };
  act.reflection =
      "The GPUs cost the same whether they compute or wait. Which tier is cheapest per month, "
      "and which is cheapest per epoch once the idle GPUs are counted?";
  return act;
}

std::string CityLine(const CityDrift& city, double per_test_alpha) {
  const FeatureTest& t = city.tests[static_cast<size_t>(city.decisive_test)];
  return absl::StrFormat(
      "%s%s: %s, n = %d + %d frames, D = %.3f (critical %.3f), p = %.3g %s %.3g: %s", city.city,
      city.firmware_updated ? " (firmware updated)" : " (control)", t.feature, t.n_reference,
      t.n_current, t.ks_statistic, t.critical_statistic, t.p_value, t.rejected ? "<=" : ">",
      per_test_alpha, city.detected ? "DRIFT" : "quiet");
}

GuidedAct ActThree() {
  const Report r = EvaluateScenario("act3");
  const DriftCheck& d = r.drift;
  const DriftCheck strict = RunDoorbellDriftCheck(kStrictAlpha, r.levers.firmware_severity);
  const double shift = std::log1p(r.levers.firmware_severity);
  GuidedAct act;
  act.id = "act3";
  act.title = "Act III: the drift detector";
  act.scenario_name = "act3";
  act.scenario = absl::StrFormat(
      "Smart doorbells in two cities. Lakewood's received a firmware update; Fairview's did not "
      "(the control city). Each city has %d frames from before the update and %d from after.",
      kDoorbellReferenceFrames, kDoorbellWindowFrames);
  act.crisis = "Person detection in Lakewood is getting worse, and nobody changed the model.";
  act.task = absl::StrFormat(
      "Run a K-S test on each city's white-balance features, find the drifting city at alpha = "
      "%g, then move alpha (and firmware_severity) and watch the verdicts flip.",
      r.levers.drift_alpha);
  const std::string count_math = absl::StrFormat("alpha %g / %d tests = %.3g per test; %s", d.alpha,
                                                 kDoorbellTests, d.per_test_alpha, d.detail);
  act.predictions = {
      {"cities_flagged",
       absl::StrFormat("At alpha = %g, how many of the %d cities does the check flag?",
                       r.levers.drift_alpha, kDoorbellCities),
       "cities", static_cast<double>(DriftingCities(d)), 0.0, ToleranceKind::kAbsolute, count_math},
      {"cities_flagged_strict", absl::StrFormat("And at alpha = %g?", kStrictAlpha), "cities",
       static_cast<double>(DriftingCities(strict)), 0.0, ToleranceKind::kAbsolute, strict.detail},
  };
  act.reveal = {
      absl::StrFormat("Spread of real footage (drift-monitor's features, wb-gain-spread on three "
                      "clips): sd of ln(G/R) per frame %.4f, of ln(G/B) %.4f.",
                      kWbLnGainGOverRSd, kWbLnGainGOverBSd),
      absl::StrFormat("The firmware multiplies red by %.3g and divides blue by it: ln(G/B) moves "
                      "by ln(%.3g) = %.4f = %.2f sd.",
                      1 + r.levers.firmware_severity, 1 + r.levers.firmware_severity, shift,
                      shift / kWbLnGainGOverBSd),
      absl::StrFormat("Bonferroni: alpha %g / %d tests = %.3g per test.", d.alpha, kDoorbellTests,
                      d.per_test_alpha),
  };
  for (const CityDrift& city : d.cities) act.reveal.push_back(CityLine(city, d.per_test_alpha));
  for (const CityDrift& city : d.cities) {
    const double p = city.tests[static_cast<size_t>(city.decisive_test)].p_value;
    act.reveal.push_back(absl::StrFormat(
        "%s is flagged from alpha = %d x %.3g = %.3g up%s.", city.city, kDoorbellTests, p,
        kDoorbellTests * p, kDoorbellTests * p > 0.5 ? " (beyond the lever's 0.5: never)" : ""));
  }
  act.reveal.push_back(
      "Real frames are correlated, so drift-monitor adds an effect-size floor and hysteresis "
      "before it raises an alarm (docs/drift.md).");
  act.reflection =
      "A smaller alpha means fewer false alarms and more missed firmware bugs. What does each "
      "cost a doorbell company, and which alpha would you ship?";
  return act;
}

bool Within(double answer, const Prediction& p) {
  const double bound = p.tolerance_kind == ToleranceKind::kRelative
                           ? p.tolerance * std::fabs(p.accepted_answer)
                           : p.tolerance;
  return std::fabs(answer - p.accepted_answer) <= bound + 1e-9 * std::fabs(p.accepted_answer);
}

}  // namespace

const std::vector<GuidedAct>& GuidedActs() {
  static const std::vector<GuidedAct>* const kActs =
      new std::vector<GuidedAct>{ActOne(), ActTwo(), ActThree()};
  return *kActs;
}

const GuidedAct* FindAct(std::string_view id) {
  for (const GuidedAct& act : GuidedActs()) {
    if (act.id == id) return &act;
  }
  return nullptr;
}

absl::StatusOr<PredictionCheck> CheckPrediction(std::string_view act_id,
                                                std::string_view prediction_id, double answer) {
  const GuidedAct* act = FindAct(act_id);
  if (act == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unknown act \"", std::string(act_id), "\"; known: act1, act2, act3"));
  }
  const Prediction* prediction = nullptr;
  std::vector<std::string> known;
  for (const Prediction& p : act->predictions) {
    known.push_back(p.id);
    if (p.id == prediction_id) prediction = &p;
  }
  if (prediction == nullptr) {
    return absl::NotFoundError(absl::StrCat("unknown prediction \"", std::string(prediction_id),
                                            "\" in ", act->id,
                                            "; known: ", absl::StrJoin(known, ", ")));
  }
  if (!std::isfinite(answer)) {
    return absl::InvalidArgumentError("answer must be a finite number");
  }
  PredictionCheck check;
  check.prediction = *prediction;
  check.difference = answer - prediction->accepted_answer;
  check.correct = Within(answer, *prediction);
  const std::string tolerance =
      prediction->tolerance_kind == ToleranceKind::kRelative
          ? absl::StrFormat("within %.0f %%", prediction->tolerance * 100)
          : (prediction->tolerance == 0 ? std::string("exactly")
                                        : absl::StrFormat("within %g", prediction->tolerance));
  check.message = absl::StrFormat("%s %s %s; accepted: %s %s, %s. %s",
                                  check.correct ? "Right:" : "Not quite:", AnswerText(answer),
                                  prediction->unit, AnswerText(prediction->accepted_answer),
                                  prediction->unit, tolerance, prediction->worked_math);
  return check;
}

}  // namespace df::factory
