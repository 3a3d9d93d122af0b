// FactoryMetrics: the Prometheus face of factory-sim (names agreed with deploy/).
//
// Every metric family is built once in the constructor and each per-persona
// series is looked up once, so recording is a handful of atomic stores. Gauges
// reflect the most recent evaluation or telemetry tick of that persona (last
// writer wins per persona); counters only grow. No per-session labels (bounded
// cardinality). Two rates that look alike mean different things:
//   factory_sim_ingestion_bytes_per_second: what the pipeline can supply (the
//     report's Ingestion Speed card), set only by evaluations;
//   factory_sim_io_throughput_bytes_per_second: the storage read rate a telemetry
//     tick achieved (min of supply and GPU demand while busy), set only by ticks.
//
// Usage:
//   auto registry = std::make_shared<prometheus::Registry>();
//   FactoryMetrics metrics(*registry);
//   metrics.RecordEvaluation(report);
//   prometheus::Exposer exposer("127.0.0.1:9451");
//   exposer.RegisterCollectable(registry);
//
// Thread-safety: all methods may be called concurrently (prometheus-cpp metrics
// are atomic). The registry must outlive this object.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_METRICS_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>

#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

class FactoryMetrics {
 public:
  explicit FactoryMetrics(prometheus::Registry& registry);
  FactoryMetrics(const FactoryMetrics&) = delete;
  FactoryMetrics& operator=(const FactoryMetrics&) = delete;

  void RecordEvaluation(const ::datafactory::factory::v1::Report& report);
  // One message sent on a telemetry stream; `bytes_moved_delta` and
  // `dollars_spent_delta` are what this message adds to the run's totals.
  void RecordTelemetry(::datafactory::factory::v1::Persona persona,
                       const ::datafactory::factory::v1::TelemetryTick& tick,
                       double bytes_moved_delta, double dollars_spent_delta);
  void RecordCoalesced(int64_t ticks);
  void RunStarted();
  void RunEnded();

 private:
  struct PersonaSeries {
    prometheus::Gauge* gpu_utilization = nullptr;
    prometheus::Gauge* gpu_idle = nullptr;
    prometheus::Gauge* ingestion = nullptr;
    prometheus::Gauge* io_throughput = nullptr;
    prometheus::Gauge* network_throughput = nullptr;
    prometheus::Gauge* egress_cost = nullptr;
    prometheus::Gauge* data_entropy = nullptr;
    prometheus::Gauge* pipeline_health = nullptr;
    prometheus::Counter* bytes_moved = nullptr;
    prometheus::Counter* dollars_spent = nullptr;
    std::array<prometheus::Gauge*, 4> waterfall{};  // disk_io, network, gpu_math, stall
    std::array<prometheus::Gauge*, 3> badge_ok{};   // egress, gpu hunger, no drift
  };
  static constexpr int kPersonas = 4;

  // nullptr for PERSONA_UNSPECIFIED or unknown values.
  PersonaSeries* Series(::datafactory::factory::v1::Persona persona);
  void RecordWaterfall(PersonaSeries& series, const ::datafactory::factory::v1::Waterfall& w);

  prometheus::Counter& evaluations_;
  prometheus::Counter& telemetry_messages_;
  prometheus::Counter& telemetry_coalesced_;
  prometheus::Gauge& active_runs_;
  std::array<PersonaSeries, kPersonas> personas_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_METRICS_H_
