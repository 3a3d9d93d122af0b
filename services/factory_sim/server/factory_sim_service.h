// FactorySimService: the gRPC face of the Data Factory simulator
// (datafactory.factory.v1.FactorySim), on the callback API.
//
// A thin adapter: convert the request to model types once (proto_convert.h) ->
// the model resolves, validates and evaluates once -> convert the result back once. Unary calls
// answer on the calling thread; the two telemetry streams are driven by a grpc::Alarm per tick (no
// blocking inside a reaction), with one write in flight and coalescing for slow readers
// (tick_outbox.h), or, unpaced, by the completion of the previous write (telemetry_reactors.h).
// Audit writes go through AuditTrail's writer thread; a unary call that records
// something answers once the record is durable.
//
// Usage:
//   FactorySimService service(&audit_trail, &metrics);
//   auto server = df::server::GrpcServer::Start("127.0.0.1:0", {&service});
//
// Thread-safety: all handlers run concurrently. The audit trail and metrics are
// not owned and must outlive the service; the service must outlive the server.
// Its destructor waits until every telemetry run has ended (after the server
// shut down, they end promptly: their alarms are cancelled).
//
// Errors: a state-changing call without the configured bearer token is
// UNAUTHENTICATED (PERMISSION_DENIED with another token); model errors keep their
// code (INVALID_ARGUMENT naming the lever and its range, NOT_FOUND for an unknown
// scenario, act or prediction); bad session ids, rationale text (1..4000 Unicode
// code points) and pace fields are INVALID_ARGUMENT naming the field. A refused
// LiveRun change does not end the call: the next tick carries it
// (rejected_changes.h). GetAuditTrail is paged: page_size 0 means 100, at most
// 1000, and a page stops at about 1 MiB; a bad page_size or page_token is
// INVALID_ARGUMENT, a session with no entries NOT_FOUND. An append past an
// audit-trail limit is RESOURCE_EXHAUSTED (audit_trail.h). SubmitRationale grades
// the text (rationale_grade.h) and stores the grade with it.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_SIM_SERVICE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_SIM_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/access_control.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"

namespace df::factory {

namespace v1 = ::datafactory::factory::v1;

// Concurrent telemetry runs (StreamTelemetry + LiveRun) allowed at once; past it
// a new run is RESOURCE_EXHAUSTED naming max_concurrent_runs. Runs are timers, not
// threads: 200 runs with a tick every 200 ms cost a quarter of a core (df-load,
// docs/load.md), so the default leaves room for a class of lab students and more.
inline constexpr int kDefaultMaxConcurrentRuns = 256;

class FactorySimService final : public v1::FactorySim::CallbackService {
 public:
  // `access`: the bearer token the state-changing calls need (by default none):
  // Evaluate and StreamTelemetry with a session_id, LiveRun, SubmitRationale.
  FactorySimService(AuditTrail* audit_trail, FactoryMetrics* metrics,
                    int max_concurrent_runs = kDefaultMaxConcurrentRuns,
                    df::server::AccessControl access = {});
  FactorySimService(const FactorySimService&) = delete;
  FactorySimService& operator=(const FactorySimService&) = delete;
  ~FactorySimService() override;

  grpc::ServerUnaryReactor* Evaluate(grpc::CallbackServerContext* context,
                                     const v1::EvaluateRequest* request,
                                     v1::EvaluateResponse* response) override;
  grpc::ServerUnaryReactor* ListScenarios(grpc::CallbackServerContext* context,
                                          const v1::ListScenariosRequest* request,
                                          v1::ListScenariosResponse* response) override;
  grpc::ServerUnaryReactor* ListPersonas(grpc::CallbackServerContext* context,
                                         const v1::ListPersonasRequest* request,
                                         v1::ListPersonasResponse* response) override;
  grpc::ServerUnaryReactor* GetFigureCatalogue(grpc::CallbackServerContext* context,
                                               const v1::GetFigureCatalogueRequest* request,
                                               v1::GetFigureCatalogueResponse* response) override;
  grpc::ServerUnaryReactor* ListActs(grpc::CallbackServerContext* context,
                                     const v1::ListActsRequest* request,
                                     v1::ListActsResponse* response) override;
  grpc::ServerUnaryReactor* CheckPrediction(grpc::CallbackServerContext* context,
                                            const v1::CheckPredictionRequest* request,
                                            v1::CheckPredictionResponse* response) override;
  grpc::ServerWriteReactor<v1::TelemetryTick>* StreamTelemetry(
      grpc::CallbackServerContext* context, const v1::StreamTelemetryRequest* request) override;
  grpc::ServerBidiReactor<v1::LiveRunRequest, v1::TelemetryTick>* LiveRun(
      grpc::CallbackServerContext* context) override;
  grpc::ServerUnaryReactor* SubmitRationale(grpc::CallbackServerContext* context,
                                            const v1::SubmitRationaleRequest* request,
                                            v1::SubmitRationaleResponse* response) override;
  grpc::ServerUnaryReactor* GetAuditTrail(grpc::CallbackServerContext* context,
                                          const v1::GetAuditTrailRequest* request,
                                          v1::GetAuditTrailResponse* response) override;

  // Telemetry runs register here so the destructor can wait for them, and so
  // their number stays within max_concurrent_runs (RESOURCE_EXHAUSTED past it;
  // the run must then not call RunEnded).
  [[nodiscard]] absl::Status RunStarted();
  void RunEnded();

  AuditTrail& audit_trail() { return *audit_trail_; }
  FactoryMetrics& metrics() { return *metrics_; }

 private:
  // A call with a session id writes the audit trail: it needs the token (when one is
  // configured) and a valid id. OK for an empty id: nothing is recorded.
  [[nodiscard]] absl::Status MayRecord(const grpc::CallbackServerContext& context,
                                       const std::string& session_id,
                                       absl::string_view method) const;

  AuditTrail* const audit_trail_;
  FactoryMetrics* const metrics_;
  const int max_concurrent_runs_;
  const df::server::AccessControl access_;
  absl::Mutex mu_;
  int live_runs_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_FACTORY_SIM_SERVICE_H_
