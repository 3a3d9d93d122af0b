#include "services/factory_sim/server/audit_metrics.h"

namespace df::factory {

AuditMetrics::AuditMetrics(prometheus::Registry& registry)
    : damaged_(prometheus::BuildCounter()
                   .Name("factory_sim_audit_damaged_total")
                   .Help("Damaged audit data found: integrity-check findings and damaged legacy "
                         "records at start, damaged entries met while serving")
                   .Register(registry)
                   .Add({})),
      store_errors_(prometheus::BuildCounter()
                        .Name("factory_sim_audit_store_errors_total")
                        .Help("Audit store operations that failed (I/O, store unreachable or "
                              "busy), damage aside")
                        .Register(registry)
                        .Add({})),
      read_only_(prometheus::BuildGauge()
                     .Name("factory_sim_audit_read_only")
                     .Help("1 while the audit store refuses appends because it is damaged")
                     .Register(registry)
                     .Add({})) {}

void AuditMetrics::RecordStoreError(const absl::Status& status) {
  if (status.ok()) return;
  if (status.code() == absl::StatusCode::kDataLoss) {
    damaged_.Increment();
  } else {
    store_errors_.Increment();
  }
}

void AuditMetrics::RecordOpened(size_t damage_found, bool read_only) {
  damaged_.Increment(static_cast<double>(damage_found));
  read_only_.Set(read_only ? 1 : 0);
}

}  // namespace df::factory
