#include "services/factory_sim/server/factory_metrics.h"

#include <string>

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

constexpr std::array<const char*, 4> kPersonaLabels = {"cloud_titan", "edge_guardian",
                                                       "mobile_nomad", "tiny_pioneer"};
constexpr std::array<const char*, 4> kWaterfallComponents = {"disk_io", "network", "gpu_math",
                                                             "stall"};
constexpr std::array<const char*, 3> kBadges = {"egress_under_100k", "gpu_hunger_under_10pct",
                                                "no_drift"};

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& registry,
                                                   const std::string& name,
                                                   const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Counter>& CounterFamily(prometheus::Registry& registry,
                                                       const std::string& name,
                                                       const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

FactoryMetrics::FactoryMetrics(prometheus::Registry& registry)
    : evaluations_(
          CounterFamily(registry, "factory_sim_evaluations_total", "Evaluate calls answered")
              .Add({})),
      telemetry_messages_(CounterFamily(registry, "factory_sim_telemetry_messages_total",
                                        "Telemetry messages sent on all streams")
                              .Add({})),
      telemetry_coalesced_(CounterFamily(registry, "factory_sim_telemetry_coalesced_total",
                                         "Telemetry ticks folded into a later message because "
                                         "the client read slowly")
                               .Add({})),
      active_runs_(
          GaugeFamily(registry, "factory_sim_active_runs", "Telemetry runs in progress").Add({})) {
  auto& gpu_util = GaugeFamily(registry, "factory_sim_gpu_utilization_ratio",
                               "GPU utilisation 0..1 (latest evaluation or tick)");
  auto& gpu_idle =
      GaugeFamily(registry, "factory_sim_gpu_idle_ratio", "GPU idle fraction 0..1, the GPU hunger");
  auto& ingestion =
      GaugeFamily(registry, "factory_sim_ingestion_bytes_per_second",
                  "Ingestion speed: bytes/s the data pipeline can supply (the report's Ingestion "
                  "Speed card), set by Evaluate; last writer wins per persona");
  auto& io =
      GaugeFamily(registry, "factory_sim_io_throughput_bytes_per_second",
                  "Storage read throughput a telemetry tick actually achieved (averaged over "
                  "the tick), set by telemetry streams; last writer wins per persona");
  auto& network = GaugeFamily(registry, "factory_sim_network_throughput_bytes_per_second",
                              "Network throughput");
  auto& egress = GaugeFamily(registry, "factory_sim_egress_cost_dollars",
                             "Egress cost of the evaluated transfer, USD");
  auto& entropy =
      GaugeFamily(registry, "factory_sim_data_entropy_ratio",
                  "The Unique Data card: unique bytes / stored bytes, a ratio (the metric keeps "
                  "the card's first id)");
  auto& health = GaugeFamily(registry, "factory_sim_pipeline_health_ratio", "Pipeline health 0..1");
  auto& bytes_moved =
      CounterFamily(registry, "factory_sim_bytes_moved_total", "Bytes moved by simulated runs");
  auto& dollars =
      CounterFamily(registry, "factory_sim_dollars_spent_total", "Dollars spent by simulated runs");
  auto& waterfall = GaugeFamily(registry, "factory_sim_waterfall_seconds",
                                "One epoch's time by component (latest)");
  auto& badge = GaugeFamily(registry, "factory_sim_badge_ok", "1 when the badge's condition holds");
  for (int p = 0; p < kPersonas; ++p) {
    const prometheus::Labels labels = {{"persona", kPersonaLabels[p]}};
    PersonaSeries& s = personas_[p];
    s.gpu_utilization = &gpu_util.Add(labels);
    s.gpu_idle = &gpu_idle.Add(labels);
    s.ingestion = &ingestion.Add(labels);
    s.io_throughput = &io.Add(labels);
    s.network_throughput = &network.Add(labels);
    s.egress_cost = &egress.Add(labels);
    s.data_entropy = &entropy.Add(labels);
    s.pipeline_health = &health.Add(labels);
    s.bytes_moved = &bytes_moved.Add(labels);
    s.dollars_spent = &dollars.Add(labels);
    for (size_t c = 0; c < kWaterfallComponents.size(); ++c) {
      s.waterfall[c] =
          &waterfall.Add({{"persona", kPersonaLabels[p]}, {"component", kWaterfallComponents[c]}});
    }
    for (size_t b = 0; b < kBadges.size(); ++b) {
      s.badge_ok[b] = &badge.Add({{"persona", kPersonaLabels[p]}, {"badge", kBadges[b]}});
    }
  }
}

FactoryMetrics::PersonaSeries* FactoryMetrics::Series(v1::Persona persona) {
  const int index = static_cast<int>(persona) - 1;
  if (index < 0 || index >= kPersonas) return nullptr;
  return &personas_[index];
}

void FactoryMetrics::RecordWaterfall(PersonaSeries& series, const v1::Waterfall& w) {
  series.waterfall[0]->Set(w.disk_io_seconds());
  series.waterfall[1]->Set(w.network_seconds());
  series.waterfall[2]->Set(w.gpu_math_seconds());
  series.waterfall[3]->Set(w.stall_seconds());
}

void FactoryMetrics::RecordEvaluation(const v1::Report& report) {
  evaluations_.Increment();
  PersonaSeries* s = Series(report.levers().persona());
  if (s == nullptr) return;
  const v1::FeedingTax& tax = report.feeding_tax();
  s->gpu_utilization->Set(tax.efficiency());
  s->gpu_idle->Set(tax.gpu_idle_fraction());
  s->ingestion->Set(tax.supply_bytes_per_s());
  for (const v1::LedgerCard& card : report.ledger()) {
    if (card.id() == "egress_cost") s->egress_cost->Set(card.value());
    if (card.id() == "data_entropy") s->data_entropy->Set(card.value());
    if (card.id() == "pipeline_health") s->pipeline_health->Set(card.value());
  }
  RecordWaterfall(*s, report.waterfall());
  for (const v1::Badge& badge : report.badges()) {
    for (size_t b = 0; b < kBadges.size(); ++b) {
      if (badge.id() == kBadges[b]) s->badge_ok[b]->Set(badge.ok() ? 1.0 : 0.0);
    }
  }
}

void FactoryMetrics::RecordTelemetry(v1::Persona persona, const v1::TelemetryTick& tick,
                                     double bytes_moved_delta, double dollars_spent_delta) {
  telemetry_messages_.Increment();
  PersonaSeries* s = Series(persona);
  if (s == nullptr) return;
  s->gpu_utilization->Set(tick.gpu_utilization());
  s->gpu_idle->Set(1.0 - tick.gpu_utilization());
  s->io_throughput->Set(tick.io_throughput_bytes_per_s());
  s->network_throughput->Set(tick.network_throughput_bytes_per_s());
  if (bytes_moved_delta > 0) s->bytes_moved->Increment(bytes_moved_delta);
  if (dollars_spent_delta > 0) s->dollars_spent->Increment(dollars_spent_delta);
  if (tick.has_waterfall()) RecordWaterfall(*s, tick.waterfall());
}

void FactoryMetrics::RecordCoalesced(int64_t ticks) {
  if (ticks > 0) telemetry_coalesced_.Increment(static_cast<double>(ticks));
}

void FactoryMetrics::RunStarted() { active_runs_.Increment(); }
void FactoryMetrics::RunEnded() { active_runs_.Decrement(); }

}  // namespace df::factory
