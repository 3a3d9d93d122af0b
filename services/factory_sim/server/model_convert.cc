#include "services/factory_sim/server/model_convert.h"

#include <string>

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
  return l;
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
  for (const TransferPlan& t : r.transfer_plans) {
    v1::TransferPlan* o = p.add_transfer_plans();
    o->set_method(EnumToProto<v1::TransferMethod>(t.method));
    o->set_label(t.label);
    o->set_seconds(t.seconds);
    o->set_cost_dollars(t.cost_dollars);
    o->set_devices(t.devices);
    o->set_meets_deadline(t.meets_deadline);
    o->set_detail(t.detail);
  }
  *p.mutable_waterfall() = ToProto(r.waterfall);
  p.mutable_energy()->set_move_joules(r.energy.move_joules);
  p.mutable_energy()->set_compute_joules(r.energy.compute_joules);
  p.mutable_energy()->set_move_to_compute_ratio(r.energy.move_to_compute_ratio);
  v1::FeedingTax* tax = p.mutable_feeding_tax();
  tax->set_demand_bytes_per_s(r.feeding_tax.demand_bytes_per_s);
  tax->set_supply_bytes_per_s(r.feeding_tax.supply_bytes_per_s);
  tax->set_efficiency(r.feeding_tax.efficiency);
  tax->set_gpu_idle_fraction(r.feeding_tax.gpu_idle_fraction);
  v1::DriftCheck* drift = p.mutable_drift();
  drift->set_detected(r.drift.detected);
  drift->set_ks_statistic(r.drift.ks_statistic);
  drift->set_p_value(r.drift.p_value);
  drift->set_alpha(r.drift.alpha);
  drift->set_detail(r.drift.detail);
  for (const Consequence& c : r.consequences) *p.add_consequences() = ToProto(c);
  return p;
}

}  // namespace df::factory
