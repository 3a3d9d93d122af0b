// factory-sim: the Data Factory simulator's gRPC server.
//
//   factory-sim --grpc_address=127.0.0.1:50051 --metrics_address=127.0.0.1:9451
//               --audit_dir=/var/lib/factory-sim/audit
//
// Serves datafactory.factory.v1.FactorySim with health checking and reflection,
// Prometheus metrics on --metrics_address (/metrics), and keeps the audit trail
// in --audit_dir. SIGINT/SIGTERM: health goes NOT_SERVING, calls get 5 s to
// drain, then the rest are cancelled.
#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/time.h"
#include "services/common/grpc_server.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"

ABSL_FLAG(std::string, grpc_address, "127.0.0.1:50051", "host:port to serve gRPC on");
ABSL_FLAG(std::string, metrics_address, "127.0.0.1:9451",
          "host:port for the Prometheus /metrics endpoint (empty: off)");
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
ABSL_FLAG(absl::Duration, drain, absl::Seconds(5), "how long shutdown waits for calls");
ABSL_FLAG(absl::Duration, not_serving_grace, absl::ZeroDuration(),
          "On shutdown, how long health reports NOT_SERVING while new calls are still "
          "accepted, before the drain (behind a readiness probe: about one probe period)");

int main(int argc, char** argv) {
  df::server::BlockShutdownSignals();
  absl::SetProgramUsageMessage("The Data Factory simulator (gRPC service)");
  absl::ParseCommandLine(argc, argv);

  if (absl::GetFlag(FLAGS_max_concurrent_runs) < 1) {
    std::fprintf(stderr, "factory-sim: --max_concurrent_runs must be >= 1, got %d\n",
                 absl::GetFlag(FLAGS_max_concurrent_runs));
    return 1;
  }
  df::factory::AuditTrailLimits audit_limits;
  audit_limits.max_sessions = absl::GetFlag(FLAGS_max_audit_sessions);
  audit_limits.max_entries_per_session = absl::GetFlag(FLAGS_max_audit_entries_per_session);
  audit_limits.max_queued_writes = absl::GetFlag(FLAGS_max_audit_queued_writes);
  auto audit = df::factory::AuditTrail::Open(absl::GetFlag(FLAGS_audit_dir), audit_limits);
  if (!audit.ok()) {
    std::fprintf(stderr, "factory-sim: %s\n", audit.status().ToString().c_str());
    return 1;
  }
  auto registry = std::make_shared<prometheus::Registry>();
  df::factory::FactoryMetrics metrics(*registry);
  std::unique_ptr<prometheus::Exposer> exposer;
  if (const std::string address = absl::GetFlag(FLAGS_metrics_address); !address.empty()) {
    try {  // prometheus-cpp (civetweb) reports a busy port by throwing
      exposer = std::make_unique<prometheus::Exposer>(address);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "factory-sim: cannot serve metrics on %s: %s\n", address.c_str(),
                   e.what());
      return 1;
    }
    exposer->RegisterCollectable(registry);
  }
  {
    df::factory::FactorySimService service(audit->get(), &metrics,
                                           absl::GetFlag(FLAGS_max_concurrent_runs));
    df::server::GrpcServerOptions server_options;
    server_options.not_serving_grace = absl::GetFlag(FLAGS_not_serving_grace);
    auto server = df::server::GrpcServer::Start(absl::GetFlag(FLAGS_grpc_address), {&service},
                                                server_options);
    if (!server.ok()) {
      std::fprintf(stderr, "factory-sim: %s\n", server.status().ToString().c_str());
      return 1;
    }
    std::fprintf(stderr, "factory-sim: serving on %s, audit trail in %s (%zu sessions)\n",
                 (*server)->target().c_str(), absl::GetFlag(FLAGS_audit_dir).c_str(),
                 (*audit)->session_count());
    const int signal = df::server::WaitForShutdownSignal();
    std::fprintf(stderr, "factory-sim: signal %d, shutting down\n", signal);
    (*server)->Shutdown(absl::GetFlag(FLAGS_drain));
  }
  return 0;
}
