// AuditMetrics: the Prometheus face of the audit trail's store (names agreed with
// deploy/prometheus/rules): damage found, other store failures, and whether the
// store refuses appends because it is damaged.
//
//   factory_sim_audit_damaged_total        damaged data found: integrity-check findings
//                                          and damaged legacy records at start, damaged
//                                          entries met while serving
//   factory_sim_audit_store_errors_total   other failed store operations (I/O, store
//                                          unreachable or busy)
//   factory_sim_audit_read_only            1 while the store refuses appends (damaged)
//
// Usage:
//   AuditMetrics metrics(registry);
//   AuditTrail trail(std::move(store), limits,
//                    [&metrics](const absl::Status& s) { metrics.RecordStoreError(s); });
//
// Thread-safety: all methods may be called concurrently. The registry must outlive it.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_METRICS_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_METRICS_H_

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"

namespace df::factory {

class AuditMetrics {
 public:
  explicit AuditMetrics(prometheus::Registry& registry);
  AuditMetrics(const AuditMetrics&) = delete;
  AuditMetrics& operator=(const AuditMetrics&) = delete;

  // A failed store operation: DATA_LOSS counts as damage, the rest as errors.
  void RecordStoreError(const absl::Status& status);
  // What opening the store found.
  void RecordOpened(size_t damage_found, bool read_only);

 private:
  prometheus::Counter& damaged_;
  prometheus::Counter& store_errors_;
  prometheus::Gauge& read_only_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_AUDIT_METRICS_H_
