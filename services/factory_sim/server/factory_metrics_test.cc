// The two byte-rate gauges mean different things: ingestion speed is the supply
// an evaluation reports, IO throughput the rate a telemetry tick achieved.
#include "services/factory_sim/server/factory_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <optional>
#include <string>

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

std::optional<double> GaugeValue(prometheus::Registry& registry, const std::string& name,
                                 const std::string& persona) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        if (label.name == "persona" && label.value == persona) return metric.gauge.value;
      }
    }
  }
  return std::nullopt;
}

TEST(FactoryMetricsRates, IngestionIsSupplyAndIoThroughputIsTheTickRate) {
  prometheus::Registry registry;
  FactoryMetrics metrics(registry);
  v1::Report report;  // a starved pipeline: supply below GPU demand
  report.mutable_levers()->set_persona(v1::PERSONA_CLOUD_TITAN);
  report.mutable_feeding_tax()->set_supply_bytes_per_s(2e9);
  report.mutable_feeding_tax()->set_demand_bytes_per_s(5e9);
  metrics.RecordEvaluation(report);
  EXPECT_EQ(GaugeValue(registry, "factory_sim_ingestion_bytes_per_second", "cloud_titan"), 2e9);
  EXPECT_EQ(GaugeValue(registry, "factory_sim_io_throughput_bytes_per_second", "cloud_titan"),
            0.0);  // no run yet: nothing read

  v1::TelemetryTick tick;  // part of the tick idle (an epoch ended mid-tick)
  tick.set_io_throughput_bytes_per_s(1.5e9);
  metrics.RecordTelemetry(v1::PERSONA_CLOUD_TITAN, tick, 0, 0);
  EXPECT_EQ(GaugeValue(registry, "factory_sim_io_throughput_bytes_per_second", "cloud_titan"),
            1.5e9);
  EXPECT_EQ(GaugeValue(registry, "factory_sim_ingestion_bytes_per_second", "cloud_titan"), 2e9);
}

}  // namespace
}  // namespace df::factory
