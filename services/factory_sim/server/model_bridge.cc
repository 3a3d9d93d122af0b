#include "services/factory_sim/server/model_bridge.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/factory_sim/model/training_run.h"
#include "services/factory_sim/server/model_convert.h"

namespace df::factory::bridge {

absl::StatusOr<v1::Levers> ResolveLevers(const v1::LeverSelection& selection,
                                         const std::optional<v1::Levers>& fallback) {
  Levers levers;
  switch (selection.base_case()) {
    case v1::LeverSelection::kScenario: {
      absl::StatusOr<Levers> scenario = ScenarioLevers(selection.scenario());
      if (!scenario.ok()) return scenario.status();
      levers = *scenario;
      break;
    }
    case v1::LeverSelection::kLevers: {
      absl::StatusOr<Levers> given = FromProto(selection.levers());
      if (!given.ok()) return given.status();
      levers = *given;
      break;
    }
    case v1::LeverSelection::BASE_NOT_SET:
      if (fallback.has_value()) {
        absl::StatusOr<Levers> previous = FromProto(*fallback);
        if (!previous.ok()) return previous.status();
        levers = *previous;
      }
      break;
  }
  const std::vector<std::string> settings(selection.set().begin(), selection.set().end());
  absl::StatusOr<Levers> applied = ApplyLeverSettings(levers, settings);
  if (!applied.ok()) return applied.status();
  if (absl::Status valid = ValidateLevers(*applied); !valid.ok()) return valid;
  return ToProto(*applied);
}

absl::StatusOr<v1::Report> EvaluateLevers(const v1::Levers& levers) {
  absl::StatusOr<Levers> model_levers = FromProto(levers);
  if (!model_levers.ok()) return model_levers.status();
  absl::StatusOr<Report> report = Evaluate(*model_levers);
  if (!report.ok()) return report.status();
  return ToProto(*report);
}

v1::ListScenariosResponse ListScenarios() {
  v1::ListScenariosResponse out;
  for (const Scenario& s : Scenarios()) {
    v1::Scenario* p = out.add_scenarios();
    p->set_name(s.name);
    p->set_title(s.title);
    p->set_description(s.description);
    *p->mutable_levers() = ToProto(s.levers);
  }
  return out;
}

v1::ListPersonasResponse ListPersonas() {
  v1::ListPersonasResponse out;
  for (const PersonaInfo& info : Personas()) {
    v1::PersonaInfo* p = out.add_personas();
    p->set_persona(ToProto(info.persona));
    p->set_name(info.name);
    p->set_scale(info.scale);
    p->set_hardware(info.hardware);
    *p->mutable_default_levers() = ToProto(info.default_levers);
  }
  return out;
}

v1::GetFigureCatalogueResponse FigureCatalogue() {
  v1::GetFigureCatalogueResponse out;
  for (const Figure& f : ::df::factory::FigureCatalogue()) {
    v1::Figure* p = out.add_figures();
    p->set_id(f.id);
    p->set_description(f.description);
    p->set_value(f.value);
    p->set_unit(f.unit);
    p->set_source(f.source);
    p->set_estimate(f.estimate);
  }
  return out;
}

absl::StatusOr<Pace> ResolvePace(const v1::RunPace& pace) {
  Pace out{200, 0.0, 3};
  if (pace.has_tick_interval_ms()) {
    if (pace.tick_interval_ms() < 0 || pace.tick_interval_ms() > 60000) {
      return absl::InvalidArgumentError(
          absl::StrCat("pace.tick_interval_ms must be 0..60000 (0 = unpaced, as fast as the "
                       "client reads; unset = default 200), got ",
                       pace.tick_interval_ms()));
    }
    out.tick_interval_ms = pace.tick_interval_ms();
  }
  if (pace.simulated_seconds_per_tick() != 0) {
    if (!(pace.simulated_seconds_per_tick() > 0) || pace.simulated_seconds_per_tick() > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat("pace.simulated_seconds_per_tick must be in (0, 1e9] (0 = one epoch in ~50 "
                       "ticks), got ",
                       pace.simulated_seconds_per_tick()));
    }
    out.simulated_seconds_per_tick = pace.simulated_seconds_per_tick();
  }
  if (pace.epochs() != 0) {
    if (pace.epochs() < 1 || pace.epochs() > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("pace.epochs must be 1..1000 (0 = default 3), got ", pace.epochs()));
    }
    out.epochs = pace.epochs();
  }
  return out;
}

}  // namespace df::factory::bridge

namespace df::factory::bridge {
namespace {

constexpr double kDefaultTicksPerEpoch = 50;

// INVALID_ARGUMENT when `epochs` epochs of `epoch_seconds` at a fixed step would
// take more than kMaxExpectedTicks ticks (a model-chosen step never does).
absl::Status CheckExpectedTicks(const Pace& pace, double epoch_seconds) {
  if (pace.simulated_seconds_per_tick <= 0) return absl::OkStatus();
  const double ticks = pace.epochs * epoch_seconds / pace.simulated_seconds_per_tick;
  if (ticks <= kMaxExpectedTicks) return absl::OkStatus();  // false for NaN too
  return absl::InvalidArgumentError(absl::StrCat(
      "pace.epochs (", pace.epochs, ") x epoch seconds (", epoch_seconds,
      ") / pace.simulated_seconds_per_tick (", pace.simulated_seconds_per_tick, ") = ", ticks,
      " ticks; a run may last at most ", kMaxExpectedTicks,
      " ticks: raise pace.simulated_seconds_per_tick, lower pace.epochs, or use 0 (auto)"));
}

// Writes every field of `t` (reusing its levers/waterfall/consequence storage).
void FillTick(const TelemetrySample& s, v1::TelemetryTick* t) {
  t->set_tick(s.tick);
  t->set_simulated_seconds(s.simulated_seconds);
  t->set_gpu_utilization(s.gpu_utilization);
  t->set_io_throughput_bytes_per_s(s.io_throughput_bytes_per_s);
  t->set_network_throughput_bytes_per_s(s.network_throughput_bytes_per_s);
  t->set_bytes_moved(s.bytes_moved);
  t->set_dollars_spent(s.dollars_spent);
  t->set_epoch(s.epoch);
  t->set_epoch_progress(s.epoch_progress);
  t->set_epoch_end(s.epoch_end);
  if (s.waterfall.has_value()) {
    *t->mutable_waterfall() = ::df::factory::ToProto(*s.waterfall);
  } else {
    t->clear_waterfall();
  }
  t->set_coalesced_ticks(0);
  t->set_coalesced_ticks_total(0);
  t->mutable_consequences()->Clear();
  for (const Consequence& c : s.consequences) *t->add_consequences() = ::df::factory::ToProto(c);
  *t->mutable_levers() = ::df::factory::ToProto(s.levers);
  t->set_run_complete(s.run_complete);
}

class ModelRun final : public SimulatedRun {
 public:
  ModelRun(TrainingRun run, const Pace& pace)
      : run_(std::move(run)), pace_(pace), levers_(::df::factory::ToProto(run_.levers())) {}

  absl::StatusOr<std::vector<v1::Consequence>> ChangeLevers(
      const v1::LeverChange& change) override {
    v1::LeverSelection selection;
    if (change.has_levers()) *selection.mutable_levers() = change.levers();
    *selection.mutable_set() = change.set();
    absl::StatusOr<v1::Levers> next = ResolveLevers(selection, levers_);
    if (!next.ok()) return next.status();
    absl::StatusOr<Levers> model_levers = FromProto(*next);
    if (!model_levers.ok()) return model_levers.status();
    absl::StatusOr<Report> after = Evaluate(*model_levers);
    if (!after.ok()) return after.status();
    if (absl::Status s = CheckExpectedTicks(pace_, after->waterfall.epoch_overlapped_seconds);
        !s.ok()) {
      return s;
    }
    levers_ = *std::move(next);
    std::vector<v1::Consequence> out;
    for (const Consequence& c : run_.SetReport(*std::move(after))) {
      out.push_back(::df::factory::ToProto(c));
    }
    return out;
  }

  void AdvanceInto(v1::TelemetryTick* tick) override {
    double dt = pace_.simulated_seconds_per_tick;
    if (dt <= 0) dt = run_.report().waterfall.epoch_overlapped_seconds / kDefaultTicksPerEpoch;
    if (!(dt > 0)) dt = 1.0;
    FillTick(run_.Advance(dt), tick);
  }

  bool complete() const override { return run_.complete(); }
  const v1::Levers& levers() const override { return levers_; }

 private:
  TrainingRun run_;
  const Pace pace_;
  v1::Levers levers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SimulatedRun>> SimulatedRun::Start(const v1::Levers& levers,
                                                                  const Pace& pace) {
  absl::StatusOr<Levers> model_levers = FromProto(levers);
  if (!model_levers.ok()) return model_levers.status();
  absl::StatusOr<TrainingRun> run = TrainingRun::Create(*model_levers, pace.epochs);
  if (!run.ok()) return run.status();
  if (absl::Status s = CheckExpectedTicks(pace, run->report().waterfall.epoch_overlapped_seconds);
      !s.ok()) {
    return s;
  }
  return std::unique_ptr<SimulatedRun>(new ModelRun(*std::move(run), pace));
}

}  // namespace df::factory::bridge
