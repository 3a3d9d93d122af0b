// factory-sim: the Data Factory simulator's gRPC server.
//
//   factory-sim --grpc_address=127.0.0.1:50051 --metrics_address=127.0.0.1:9451
//               --audit_dir=/var/lib/factory-sim/audit
//
// Serves datafactory.factory.v1.FactorySim and keeps the audit trail in
// --audit_dir. The serving skeleton (shared flags, metrics endpoint, start line,
// graceful shutdown) is services/common/service_main.h; this file holds the
// simulator's own flags and wiring.
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/service_main.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"

ABSL_FLAG(std::string, audit_dir, "factory-sim-audit",
          "directory of the durable audit trail (one append-only file per session)");
ABSL_FLAG(size_t, max_audit_sessions, df::factory::AuditTrailLimits{}.max_sessions,
          "most sessions the audit trail will hold; a new session past it is RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_entries_per_session,
          df::factory::AuditTrailLimits{}.max_entries_per_session,
          "most audit entries one session may record; past it appends are RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_queued_writes, df::factory::AuditTrailLimits{}.max_queued_writes,
          "most audit appends waiting for the disk; past it appends are RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_concurrent_runs, df::factory::kDefaultMaxConcurrentRuns,
          "most telemetry runs (StreamTelemetry + LiveRun) at once; past it RESOURCE_EXHAUSTED");

namespace {

const df::server::ServiceInfo kInfo = {
    .name = "factory-sim",
    .summary = "the Data Factory simulator (gRPC service)",
    .default_grpc_address = "127.0.0.1:50051",
    .default_metrics_address = "127.0.0.1:9451",
    .flags_folder = "services/factory_sim/",
};

}  // namespace

int main(int argc, char** argv) {
  df::server::InitService(argc, argv, kInfo);
  const int max_runs = absl::GetFlag(FLAGS_max_concurrent_runs);
  if (max_runs < 1) {
    return df::server::ExitWithError(
        kInfo, absl::StrCat("--max_concurrent_runs must be >= 1, got ", max_runs));
  }
  df::factory::AuditTrailLimits audit_limits;
  audit_limits.max_sessions = absl::GetFlag(FLAGS_max_audit_sessions);
  audit_limits.max_entries_per_session = absl::GetFlag(FLAGS_max_audit_entries_per_session);
  audit_limits.max_queued_writes = absl::GetFlag(FLAGS_max_audit_queued_writes);
  const std::string audit_dir = absl::GetFlag(FLAGS_audit_dir);
  auto audit = df::factory::AuditTrail::Open(audit_dir, audit_limits);
  if (!audit.ok()) return df::server::ExitWithError(kInfo, audit.status().ToString());

  auto process = df::server::ServiceProcess::Open(kInfo);
  if (!process.ok()) return df::server::ExitWithError(kInfo, process.status().message());
  df::factory::FactoryMetrics metrics((*process)->metrics());
  df::factory::FactorySimService service(audit->get(), &metrics, max_runs, (*process)->access());

  df::server::ServeOptions serve_options;
  serve_options.health_service_names = {df::factory::v1::FactorySim::service_full_name()};
  serve_options.start_fields = {{"audit_dir", audit_dir},
                                {"audit_sessions", absl::StrCat((*audit)->session_count())}};
  return (*process)->ServeUntilSignal({&service}, serve_options);
}
