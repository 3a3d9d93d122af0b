// Evaluate over gRPC against the cheapest unary call on the same server and
// channel (the standard health check, an empty request), in one run. Report the
// ratio Evaluate / health-check from the two "real_time" figures.
#include <benchmark/benchmark.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/grpc_server.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

struct Fixture {
  Fixture()
      : dir(std::filesystem::temp_directory_path() /
            ("factory_sim_bench_" + std::to_string(::getpid()))),
        audit(*AuditTrail::Open(dir.string())),
        metrics(registry),
        service(audit.get(), &metrics),
        server(*server::GrpcServer::Start("127.0.0.1:0", {&service})),
        channel(grpc::CreateChannel(server->target(), grpc::InsecureChannelCredentials())),
        stub(v1::FactorySim::NewStub(channel)),
        generic(channel) {}
  ~Fixture() {
    server->Shutdown(absl::Seconds(1));
    std::filesystem::remove_all(dir);
  }
  std::filesystem::path dir;
  prometheus::Registry registry;
  std::unique_ptr<AuditTrail> audit;
  FactoryMetrics metrics;
  FactorySimService service;
  std::unique_ptr<server::GrpcServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::FactorySim::Stub> stub;
  grpc::GenericStub generic;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // lives for the whole run
  return *fixture;
}

void BM_EmptyUnaryHealthCheck(benchmark::State& state) {
  Fixture& f = Shared();
  grpc::Slice empty;  // an empty HealthCheckRequest (zero bytes, but a valid buffer)
  grpc::ByteBuffer request(&empty, 1);
  for (auto _ : state) {
    grpc::ClientContext context;
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    f.generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                        &response, [&done](grpc::Status s) { done.set_value(std::move(s)); });
    if (!done.get_future().get().ok()) state.SkipWithError("health check failed");
  }
}
BENCHMARK(BM_EmptyUnaryHealthCheck)->UseRealTime();

void BM_EvaluateAct2(benchmark::State& state) {
  Fixture& f = Shared();
  v1::EvaluateRequest request;
  request.mutable_selection()->set_scenario("act2");
  request.mutable_selection()->add_set("dedup=0.1");
  for (auto _ : state) {
    grpc::ClientContext context;
    v1::EvaluateResponse response;
    if (!f.stub->Evaluate(&context, request, &response).ok()) state.SkipWithError("evaluate");
  }
}
BENCHMARK(BM_EvaluateAct2)->UseRealTime();

}  // namespace
}  // namespace df::factory

BENCHMARK_MAIN();
