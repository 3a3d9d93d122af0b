// factory-sim: the Data Factory simulator's gRPC server.
//
//   factory-sim --grpc_address=127.0.0.1:50051 --metrics_address=127.0.0.1:9451
//               --audit_dir=/var/lib/factory-sim/audit          (SQLite: audit_dir/audit.db)
//   factory-sim --audit_store=redis://redis:6379                (replicas sharing one trail)
//
// Serves datafactory.factory.v1.FactorySim and keeps the audit trail in the store
// --audit_store names (audit/audit_store_spec.h). The serving skeleton (shared
// flags, metrics endpoint, start line, graceful shutdown) is
// services/common/service_main.h; this file holds the simulator's own flags and
// wiring. With --audit_salvage_from it copies what is readable of a damaged SQLite
// audit database into the store and exits (audit/sqlite_salvage.h).
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/service_main.h"
#include "services/factory_sim/audit/audit_store_spec.h"
#include "services/factory_sim/audit/sqlite_salvage.h"
#include "services/factory_sim/server/audit_metrics.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"

ABSL_FLAG(std::string, audit_dir, "factory-sim-audit",
          "directory of the SQLite audit trail (audit.db) when --audit_store is empty; "
          "per-session files of earlier versions found here are imported at start");
ABSL_FLAG(std::string, audit_store, "",
          "where the audit trail lives: sqlite:PATH (one file) or redis://HOST[:PORT] (shared "
          "by replicas; the server must run appendonly yes, appendfsync always); empty: "
          "sqlite:<audit_dir>/audit.db");
ABSL_FLAG(std::string, audit_salvage_from, "",
          "copy what is readable of this damaged SQLite audit database into --audit_store "
          "(a new sqlite: file), report what was lost, and exit");
ABSL_FLAG(size_t, max_audit_sessions, df::factory::AuditTrailLimits{}.max_sessions,
          "most sessions the audit trail will hold; a new session past it is RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_entries_per_session,
          df::factory::AuditTrailLimits{}.max_entries_per_session,
          "most audit entries one session may record; past it appends are RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_entry_bytes, df::factory::AuditTrailLimits{}.max_entry_bytes,
          "largest audit entry, bytes serialized; a larger one is RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_session_bytes, df::factory::AuditTrailLimits{}.max_session_bytes,
          "most bytes of entries one session may record; past it appends are "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(size_t, max_audit_queued_writes, df::factory::AuditTrailLimits{}.max_queued_writes,
          "most audit appends waiting for the store; past it appends are RESOURCE_EXHAUSTED");
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

df::factory::AuditTrailLimits AuditLimitsFromFlags() {
  df::factory::AuditTrailLimits limits;
  limits.max_sessions = absl::GetFlag(FLAGS_max_audit_sessions);
  limits.max_entries_per_session = absl::GetFlag(FLAGS_max_audit_entries_per_session);
  limits.max_entry_bytes = absl::GetFlag(FLAGS_max_audit_entry_bytes);
  limits.max_session_bytes = absl::GetFlag(FLAGS_max_audit_session_bytes);
  limits.max_queued_writes = absl::GetFlag(FLAGS_max_audit_queued_writes);
  return limits;
}

int Salvage(const std::string& from, const df::factory::AuditStoreSpec& into) {
  if (into.kind != df::factory::AuditStoreSpec::Kind::kSqlite) {
    return df::server::ExitWithError(kInfo, "--audit_salvage_from needs --audit_store=sqlite:PATH");
  }
  absl::StatusOr<df::factory::SalvageReport> report =
      df::factory::SalvageSqliteAudit(from, into.sqlite_path);
  if (!report.ok()) return df::server::ExitWithError(kInfo, report.status().message());
  std::cout << df::factory::Describe(*report) << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  df::server::InitService(argc, argv, kInfo);
  const int max_runs = absl::GetFlag(FLAGS_max_concurrent_runs);
  if (max_runs < 1) {
    return df::server::ExitWithError(
        kInfo, absl::StrCat("--max_concurrent_runs must be >= 1, got ", max_runs));
  }
  const df::factory::AuditTrailLimits audit_limits = AuditLimitsFromFlags();
  const std::string audit_dir = absl::GetFlag(FLAGS_audit_dir);
  std::string store_flag = absl::GetFlag(FLAGS_audit_store);
  if (store_flag.empty()) store_flag = absl::StrCat("sqlite:", audit_dir, "/audit.db");
  absl::StatusOr<df::factory::AuditStoreSpec> spec = df::factory::ParseAuditStoreSpec(store_flag);
  if (!spec.ok()) return df::server::ExitWithError(kInfo, spec.status().message());
  if (const std::string from = absl::GetFlag(FLAGS_audit_salvage_from); !from.empty()) {
    return Salvage(from, *spec);
  }

  auto process = df::server::ServiceProcess::Open(kInfo);
  if (!process.ok()) return df::server::ExitWithError(kInfo, process.status().message());
  df::factory::FactoryMetrics metrics((*process)->metrics());
  df::factory::AuditMetrics audit_metrics((*process)->metrics());
  absl::StatusOr<df::factory::OpenedAuditStore> opened =
      df::factory::OpenAuditStore(*spec, audit_limits, audit_dir);
  if (!opened.ok()) return df::server::ExitWithError(kInfo, opened.status().message());
  for (const std::string& line : opened->damage)
    std::cerr << "factory-sim: audit damage: " << line << "\n";
  for (const std::string& line : opened->notes) std::cerr << "factory-sim: audit: " << line << "\n";
  audit_metrics.RecordOpened(opened->damage.size(), opened->read_only);
  df::factory::AuditTrail audit(
      std::move(opened->store), audit_limits,
      [&audit_metrics](const absl::Status& status) { audit_metrics.RecordStoreError(status); });
  const absl::StatusOr<size_t> sessions = audit.SessionCount();
  df::factory::FactorySimService service(&audit, &metrics, max_runs, (*process)->access());

  df::server::ServeOptions serve_options;
  serve_options.health_service_names = {df::factory::v1::FactorySim::service_full_name()};
  serve_options.start_fields = {
      {"audit_store", audit.location()},
      {"audit_sessions", sessions.ok() ? absl::StrCat(*sessions) : "unknown"},
      {"audit_read_only", opened->read_only ? "1" : "0"}};
  return (*process)->ServeUntilSignal({&service}, serve_options);
}
