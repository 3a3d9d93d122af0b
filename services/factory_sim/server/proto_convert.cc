#include "services/factory_sim/server/proto_convert.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace df::factory {
namespace {

// Proto enums are the model's enum values + 1 (0 is UNSPECIFIED).
template <class ModelEnum>
absl::StatusOr<ModelEnum> EnumFromProto(int value, int count, const char* lever,
                                        const char* allowed) {
  if (value < 1 || value > count) {
    return absl::InvalidArgumentError(
        absl::StrCat("levers.", lever, " must be one of ", allowed, ", got enum value ", value));
  }
  return static_cast<ModelEnum>(value - 1);
}

template <class ProtoEnum, class ModelEnum>
ProtoEnum EnumToProto(ModelEnum value) {
  return static_cast<ProtoEnum>(static_cast<int>(value) + 1);
}

v1::Severity ToProto(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return v1::SEVERITY_INFO;
    case Severity::kWarning:
      return v1::SEVERITY_WARNING;
    case Severity::kAlert:
      return v1::SEVERITY_ALERT;
  }
  return v1::SEVERITY_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<Levers> FromProto(const v1::Levers& p) {
  Levers l;
  auto persona = EnumFromProto<Persona>(p.persona(), 4, "persona",
                                        "CLOUD_TITAN|EDGE_GUARDIAN|MOBILE_NOMAD|TINY_PIONEER");
  if (!persona.ok()) return persona.status();
  auto tier = EnumFromProto<StorageTier>(p.storage_tier(), 7, "storage_tier",
                                         "LOCAL_NVME..GLACIER_DEEP_ARCHIVE");
  if (!tier.ok()) return tier.status();
  auto method = EnumFromProto<TransferMethod>(p.transfer_method(), 3, "transfer_method",
                                              "FIBER|SHIPPED_DEVICE|MOVE_COMPUTE");
  if (!method.ok()) return method.status();
  auto pricing = EnumFromProto<PricingModel>(p.pricing_model(), 2, "pricing_model", "FLAT|TIERED");
  if (!pricing.ok()) return pricing.status();
  auto gpu = EnumFromProto<GpuType>(p.gpu_type(), 3, "gpu_type", "V100|A100|H100");
  if (!gpu.ok()) return gpu.status();
  l.persona = *persona;
  l.dataset_bytes = p.dataset_bytes();
  l.storage_tier = *tier;
  l.transfer_method = *method;
  l.link_rate_bits_per_s = p.link_rate_bits_per_s();
  l.link_efficiency = p.link_efficiency();
  l.distance_miles = p.distance_miles();
  l.deadline_days = p.deadline_days();
  l.dedup_fraction = p.dedup_fraction();
  l.drift_alpha = p.drift_alpha();
  l.pricing_model = *pricing;
  l.gpu_type = *gpu;
  l.gpu_count = p.gpu_count();
  l.firmware_severity = p.firmware_severity();
  return l;
}

absl::StatusOr<LeverSelection> FromProto(const v1::LeverSelection& selection,
                                         const std::optional<v1::Levers>& session_levers) {
  LeverSelection out;
  out.settings.assign(selection.set().begin(), selection.set().end());
  if (selection.base_case() == v1::LeverSelection::kScenario) {
    out.base = selection.scenario();
    return out;
  }
  const v1::Levers* base = nullptr;
  if (selection.base_case() == v1::LeverSelection::kLevers) {
    base = &selection.levers();
  } else if (session_levers.has_value()) {
    base = &*session_levers;
  }
  if (base != nullptr) {
    absl::StatusOr<Levers> levers = FromProto(*base);
    if (!levers.ok()) return levers.status();
    out.base = *std::move(levers);
  }
  return out;
}

absl::StatusOr<LeverSelection> FromProto(const v1::LeverChange& change, const Levers& in_force) {
  LeverSelection out{.base = in_force, .settings = {change.set().begin(), change.set().end()}};
  if (change.has_levers()) {
    absl::StatusOr<Levers> levers = FromProto(change.levers());
    if (!levers.ok()) return levers.status();
    out.base = *std::move(levers);
  }
  return out;
}

absl::StatusOr<Pace> FromProto(const v1::RunPace& pace) {
  Pace out;
  if (pace.has_tick_interval_ms()) {
    if (pace.tick_interval_ms() < 0 || pace.tick_interval_ms() > 60000) {
      return absl::InvalidArgumentError(
          absl::StrCat("pace.tick_interval_ms must be 0..60000 (0 = unpaced, as fast as the "
                       "client reads; unset = default ",
                       out.tick_interval_ms, "), got ", pace.tick_interval_ms()));
    }
    out.tick_interval_ms = pace.tick_interval_ms();
  }
  if (pace.simulated_seconds_per_tick() != 0) {
    if (!(pace.simulated_seconds_per_tick() > 0) || pace.simulated_seconds_per_tick() > 1e9) {
      return absl::InvalidArgumentError(
          absl::StrCat("pace.simulated_seconds_per_tick must be in (0, 1e9] (0 = one epoch in ~",
                       kDefaultTicksPerEpoch, " ticks), got ", pace.simulated_seconds_per_tick()));
    }
    out.simulated_seconds_per_tick = pace.simulated_seconds_per_tick();
  }
  if (pace.epochs() != 0) {
    if (pace.epochs() < 1 || pace.epochs() > TrainingRun::kMaxEpochs) {
      return absl::InvalidArgumentError(absl::StrCat("pace.epochs must be 1..",
                                                     TrainingRun::kMaxEpochs, " (0 = default ",
                                                     out.epochs, "), got ", pace.epochs()));
    }
    out.epochs = pace.epochs();
  }
  return out;
}

v1::Levers ToProto(const Levers& l) {
  v1::Levers p;
  p.set_persona(ToProto(l.persona));
  p.set_dataset_bytes(l.dataset_bytes);
  p.set_storage_tier(EnumToProto<v1::StorageTier>(l.storage_tier));
  p.set_transfer_method(EnumToProto<v1::TransferMethod>(l.transfer_method));
  p.set_link_rate_bits_per_s(l.link_rate_bits_per_s);
  p.set_link_efficiency(l.link_efficiency);
  p.set_distance_miles(l.distance_miles);
  p.set_deadline_days(l.deadline_days);
  p.set_dedup_fraction(l.dedup_fraction);
  p.set_drift_alpha(l.drift_alpha);
  p.set_pricing_model(EnumToProto<v1::PricingModel>(l.pricing_model));
  p.set_gpu_type(EnumToProto<v1::GpuType>(l.gpu_type));
  p.set_gpu_count(l.gpu_count);
  p.set_firmware_severity(l.firmware_severity);
  return p;
}

v1::Persona ToProto(Persona persona) { return EnumToProto<v1::Persona>(persona); }

v1::Waterfall ToProto(const Waterfall& w) {
  v1::Waterfall p;
  p.set_disk_io_seconds(w.disk_io_seconds);
  p.set_network_seconds(w.network_seconds);
  p.set_gpu_math_seconds(w.gpu_math_seconds);
  p.set_stall_seconds(w.stall_seconds);
  p.set_epoch_overlapped_seconds(w.epoch_overlapped_seconds);
  p.set_epoch_serial_seconds(w.epoch_serial_seconds);
  return p;
}

v1::FeedingTax ToProto(const FeedingTax& t) {
  v1::FeedingTax p;
  p.set_demand_bytes_per_s(t.demand_bytes_per_s);
  p.set_supply_bytes_per_s(t.supply_bytes_per_s);
  p.set_efficiency(t.efficiency);
  p.set_gpu_idle_fraction(t.gpu_idle_fraction);
  return p;
}

v1::Consequence ToProto(const Consequence& c) {
  v1::Consequence p;
  p.set_severity(ToProto(c.severity));
  p.set_code(c.code);
  p.set_message(c.message);
  for (const Quantity& q : c.numbers) {
    v1::Quantity* n = p.add_numbers();
    n->set_name(q.name);
    n->set_value(q.value);
    n->set_unit(q.unit);
  }
  return p;
}

v1::Report ToProto(const Report& r) {
  v1::Report p;
  *p.mutable_levers() = ToProto(r.levers);
  p.set_persona_label(r.persona_label);
  p.set_persona_scale(r.persona_scale);
  for (const Badge& b : r.badges) {
    v1::Badge* o = p.add_badges();
    o->set_id(b.id);
    o->set_label(b.label);
    o->set_ok(b.ok);
    o->set_value(b.value);
    o->set_threshold(b.threshold);
    o->set_unit(b.unit);
    o->set_not_evaluated(!b.evaluated);
  }
  for (const LedgerCard& c : r.ledger) {
    v1::LedgerCard* o = p.add_ledger();
    o->set_id(c.id);
    o->set_title(c.title);
    o->set_value(c.value);
    o->set_unit(c.unit);
    o->set_display(c.display);
    o->set_detail(c.detail);
    o->set_ok(c.ok);
  }
  for (const TransferPlan& t : r.transfer_plans) *p.add_transfer_plans() = ToProto(t);
  *p.mutable_waterfall() = ToProto(r.waterfall);
  *p.mutable_energy() = ToProto(r.energy);
  *p.mutable_feeding_tax() = ToProto(r.feeding_tax);
  *p.mutable_drift() = ToProto(r.drift);
  for (const Consequence& c : r.consequences) *p.add_consequences() = ToProto(c);
  v1::Money* money = p.mutable_money();
  money->set_storage_dollars_per_month(r.storage_dollars_per_month);
  money->set_gpu_dollars_per_hour(r.gpu_money.dollars_per_hour);
  money->set_idle_gpu_dollars_per_epoch(r.gpu_money.idle_dollars_per_epoch);
  money->set_idle_gpu_dollars_per_training_run(r.gpu_money.idle_dollars_per_training_run);
  money->set_training_epochs(figures::kResNet50TrainingEpochs);
  for (const TierOption& t : r.tier_options) {
    v1::TierOption* o = money->add_tiers();
    o->set_tier(EnumToProto<v1::StorageTier>(t.tier));
    o->set_storage_dollars_per_month(t.storage_dollars_per_month);
    o->set_supply_bytes_per_s(t.supply_bytes_per_s);
    o->set_gpu_idle_fraction(t.gpu_idle_fraction);
    o->set_retrieval_dollars_per_epoch(t.retrieval_dollars_per_epoch);
    o->set_restore_seconds(t.restore_seconds);
    o->set_meets_gpu_hunger_target(t.meets_gpu_hunger_target);
  }
  return p;
}

v1::TransferPlan ToProto(const TransferPlan& t) {
  v1::TransferPlan o;
  o.set_method(EnumToProto<v1::TransferMethod>(t.method));
  o.set_label(t.label);
  o.set_seconds(t.seconds);
  o.set_cost_dollars(t.cost_dollars);
  o.set_devices(t.devices);
  o.set_meets_deadline(t.meets_deadline);
  o.set_detail(t.detail);
  o.set_job_seconds(t.job_seconds);
  o.set_bytes_moved(t.bytes_moved);
  o.set_gpu_rental_dollars(t.gpu_rental_dollars);
  for (const std::string& item : t.unpriced) o.add_unpriced(item);
  return o;
}

v1::Energy ToProto(const Energy& e) {
  v1::Energy o;
  o.set_move_joules(e.move_joules);
  o.set_compute_joules(e.compute_joules);
  o.set_move_to_compute_ratio(e.move_to_compute_ratio);
  o.set_joules_per_operand_moved(e.joules_per_operand_moved);
  o.set_joules_per_operation(e.joules_per_operation);
  o.set_operand_to_operation_ratio(e.operand_to_operation_ratio);
  o.set_gpu_board_watts(e.gpu_board_watts);
  o.set_gpu_board_joules(e.gpu_board_joules);
  return o;
}

v1::DriftCheck ToProto(const DriftCheck& d) {
  v1::DriftCheck o;
  o.set_detected(d.detected);
  o.set_ks_statistic(d.ks_statistic);
  o.set_p_value(d.p_value);
  o.set_alpha(d.alpha);
  o.set_detail(d.detail);
  o.set_evaluated(d.evaluated);
  o.set_per_test_alpha(d.per_test_alpha);
  o.set_tests(d.evaluated ? kDoorbellTests : 0);
  o.set_firmware_severity(d.firmware_severity);
  for (const CityDrift& c : d.cities) {
    v1::CityDrift* city = o.add_cities();
    city->set_city(c.city);
    city->set_firmware_updated(c.firmware_updated);
    city->set_detected(c.detected);
    city->set_decisive_test(c.decisive_test);
    for (const FeatureTest& t : c.tests) {
      v1::FeatureTest* test = city->add_tests();
      test->set_feature(t.feature);
      test->set_n_reference(t.n_reference);
      test->set_n_current(t.n_current);
      test->set_ks_statistic(t.ks_statistic);
      test->set_p_value(t.p_value);
      test->set_critical_statistic(t.critical_statistic);
      test->set_rejected(t.rejected);
    }
    v1::Ecdf* ecdf = city->mutable_ecdf();
    ecdf->mutable_reference()->Add(c.ecdf.reference.begin(), c.ecdf.reference.end());
    ecdf->mutable_current()->Add(c.ecdf.current.begin(), c.ecdf.current.end());
    ecdf->set_d_at(c.ecdf.d_at);
    ecdf->set_reference_cdf_at_d(c.ecdf.reference_cdf_at_d);
    ecdf->set_current_cdf_at_d(c.ecdf.current_cdf_at_d);
  }
  return o;
}

v1::RationaleGrade ToProto(const RationaleGrade& g) {
  v1::RationaleGrade o;
  switch (g.verdict) {
    case RationaleVerdict::kAccepted:
      o.set_verdict(v1::RATIONALE_VERDICT_ACCEPTED);
      break;
    case RationaleVerdict::kFiguresMissing:
      o.set_verdict(v1::RATIONALE_VERDICT_FIGURES_MISSING);
      break;
    case RationaleVerdict::kFiguresWrong:
      o.set_verdict(v1::RATIONALE_VERDICT_FIGURES_WRONG);
      break;
    case RationaleVerdict::kTierMissesTarget:
      o.set_verdict(v1::RATIONALE_VERDICT_TIER_MISSES_TARGET);
      break;
  }
  o.set_accepted(g.accepted);
  o.set_summary(g.summary);
  o.set_worked_math(g.worked_math);
  for (const RationaleCheck& c : g.checks) {
    v1::RationaleCheck* check = o.add_checks();
    check->set_name(c.name);
    check->set_unit(c.unit);
    check->set_quoted(c.quoted);
    check->set_quoted_value(c.quoted_value);
    check->set_model_value(c.model_value);
    check->set_tolerance(c.tolerance);
    check->set_ok(c.ok);
    check->set_explanation(c.explanation);
  }
  return o;
}

v1::Prediction ToProto(const Prediction& p) {
  v1::Prediction o;
  o.set_id(p.id);
  o.set_question(p.question);
  o.set_unit(p.unit);
  o.set_accepted_answer(p.accepted_answer);
  o.set_tolerance(p.tolerance);
  o.set_tolerance_kind(p.tolerance_kind == ToleranceKind::kRelative ? v1::TOLERANCE_KIND_RELATIVE
                                                                    : v1::TOLERANCE_KIND_ABSOLUTE);
  o.set_worked_math(p.worked_math);
  return o;
}

v1::ListActsResponse ToProto(const std::vector<GuidedAct>& acts) {
  v1::ListActsResponse out;
  for (const GuidedAct& a : acts) {
    v1::Act* act = out.add_acts();
    act->set_id(a.id);
    act->set_title(a.title);
    act->set_scenario_name(a.scenario_name);
    act->set_solved_scenario(a.solved_scenario);
    act->set_scenario(a.scenario);
    act->set_crisis(a.crisis);
    act->set_task(a.task);
    for (const Prediction& p : a.predictions) *act->add_predictions() = ToProto(p);
    for (const std::string& line : a.reveal) act->add_reveal(line);
    act->set_reflection(a.reflection);
  }
  return out;
}

void ToProto(const TelemetrySample& s, v1::TelemetryTick* t) {
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
    *t->mutable_waterfall() = ToProto(*s.waterfall);
  } else {
    t->clear_waterfall();
  }
  t->set_coalesced_ticks(0);
  t->set_coalesced_ticks_total(0);
  t->mutable_consequences()->Clear();
  t->mutable_rejected_changes()->Clear();  // added by the stream (rejected_changes.h)
  for (const Consequence& c : s.consequences) *t->add_consequences() = ToProto(c);
  *t->mutable_levers() = ToProto(s.levers);
  t->set_run_complete(s.run_complete);
}

v1::ListScenariosResponse ToProto(const std::vector<Scenario>& scenarios) {
  v1::ListScenariosResponse out;
  for (const Scenario& s : scenarios) {
    v1::Scenario* p = out.add_scenarios();
    p->set_name(s.name);
    p->set_title(s.title);
    p->set_description(s.description);
    *p->mutable_levers() = ToProto(s.levers);
  }
  return out;
}

v1::ListPersonasResponse ToProto(const std::vector<PersonaInfo>& personas) {
  v1::ListPersonasResponse out;
  for (const PersonaInfo& info : personas) {
    v1::PersonaInfo* p = out.add_personas();
    p->set_persona(ToProto(info.persona));
    p->set_name(info.name);
    p->set_scale(info.scale);
    p->set_hardware(info.hardware);
    *p->mutable_default_levers() = ToProto(info.default_levers);
  }
  return out;
}

v1::GetFigureCatalogueResponse ToProto(const std::vector<Figure>& figures) {
  v1::GetFigureCatalogueResponse out;
  for (const Figure& f : figures) {
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

}  // namespace df::factory
