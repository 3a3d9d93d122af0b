// factory-sim over gRPC against baselines measured in the same run:
//  - Evaluate against the cheapest unary call on the same server and channel
//    (the standard health check, an empty request): report the ratio
//    Evaluate / health-check from the two "real_time" figures.
//  - Telemetry throughput: an unpaced StreamTelemetry run through the real
//    service against a bare server-streaming RPC (a tiny callback service on a
//    second server in this process) that replays pre-built ticks — the very
//    messages the real run produced, so every message has the same serialized
//    size. The two are interleaved, run for run, so that load on a shared
//    machine hits both alike; the counter `ratio` is telemetry msgs/s divided
//    by bare msgs/s (target >= 0.8), `ratio_median` the median of the per-run
//    ratios and `cpu_ratio` the same comparison in process CPU per message.
//
// Run: factory_sim_benchmark [--benchmark_filter=Telemetry] [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/grpc_server.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

// The unpaced run both telemetry benchmarks stream: act2, ~50 ticks per epoch.
constexpr int kTelemetryEpochs = 40;

v1::StreamTelemetryRequest UnpacedRunRequest() {
  v1::StreamTelemetryRequest request;
  request.mutable_selection()->set_scenario("act2");
  request.mutable_pace()->set_tick_interval_ms(0);  // unpaced: as fast as the client reads
  request.mutable_pace()->set_epochs(kTelemetryEpochs);
  return request;
}

// Writes `ticks` in order, one write in flight, then finishes: a server stream
// with no work per message beyond gRPC's own.
class ReplayStream final : public grpc::ServerWriteReactor<v1::TelemetryTick> {
 public:
  explicit ReplayStream(const std::vector<v1::TelemetryTick>* ticks) : ticks_(ticks) { Next(); }
  void OnWriteDone(bool ok) override {
    if (!ok) return Finish(grpc::Status::CANCELLED);
    Next();
  }
  void OnDone() override { delete this; }

 private:
  void Next() {
    if (next_ == ticks_->size()) return Finish(grpc::Status::OK);
    StartWrite(&(*ticks_)[next_++]);
  }
  const std::vector<v1::TelemetryTick>* const ticks_;
  size_t next_ = 0;
};

// The bare baseline: the same RPC (so the client side is identical), answered
// by replaying pre-built messages.
class ReplayService final : public v1::FactorySim::CallbackService {
 public:
  explicit ReplayService(const std::vector<v1::TelemetryTick>* ticks) : ticks_(ticks) {}
  grpc::ServerWriteReactor<v1::TelemetryTick>* StreamTelemetry(
      grpc::CallbackServerContext*, const v1::StreamTelemetryRequest*) override {
    return new ReplayStream(ticks_);
  }

 private:
  const std::vector<v1::TelemetryTick>* const ticks_;
};

// Reads a whole telemetry stream; returns the number of messages (-1 on error).
int64_t DrainStream(v1::FactorySim::Stub& stub, const v1::StreamTelemetryRequest& request,
                    std::vector<v1::TelemetryTick>* keep = nullptr) {
  grpc::ClientContext context;
  auto reader = stub.StreamTelemetry(&context, request);
  v1::TelemetryTick tick;
  int64_t messages = 0;
  while (reader->Read(&tick)) {
    ++messages;
    if (keep != nullptr) keep->push_back(tick);
  }
  return reader->Finish().ok() ? messages : -1;
}

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
        generic(channel),
        replay_service(&replay_ticks) {
    // The baseline replays exactly what the real service sends for the request.
    if (DrainStream(*stub, UnpacedRunRequest(), &replay_ticks) <= 0) std::abort();
    replay_server = *server::GrpcServer::Start("127.0.0.1:0", {&replay_service});
    replay_stub = v1::FactorySim::NewStub(
        grpc::CreateChannel(replay_server->target(), grpc::InsecureChannelCredentials()));
  }
  ~Fixture() {
    replay_server->Shutdown(absl::Seconds(1));
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
  std::vector<v1::TelemetryTick> replay_ticks;
  ReplayService replay_service;
  std::unique_ptr<server::GrpcServer> replay_server;
  std::unique_ptr<v1::FactorySim::Stub> replay_stub;
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

// CPU seconds used by the whole process (client and both servers) so far.
double ProcessCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct DrainCost {
  double seconds = -1;  // wall clock; negative when the stream failed
  double cpu_seconds = 0;
};

// Drains one stream, expecting `expected_messages`.
DrainCost TimedDrain(v1::FactorySim::Stub& stub, const v1::StreamTelemetryRequest& request,
                     int64_t expected_messages) {
  const double cpu_start = ProcessCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const int64_t messages = DrainStream(stub, request);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  DrainCost cost;
  cost.cpu_seconds = ProcessCpuSeconds() - cpu_start;
  if (messages == expected_messages) cost.seconds = took.count();
  return cost;
}

// One iteration: a full unpaced run through the real service and the same
// messages through the bare stream, back to back (alternating which goes
// first), each timed on its own. Counters: msgs/s of each over the whole
// benchmark, `ratio` = telemetry / bare of those, and `ratio_median` = the
// median of the per-iteration ratios (robust to bursts of load from other
// processes that hit one side of a pair only); `cpu_ratio` = bare / telemetry
// process CPU seconds (client + server threads) per message, a figure load on a
// shared machine disturbs less than wall-clock time.
void BM_TelemetryVsBareStream(benchmark::State& state) {
  Fixture& f = Shared();
  const v1::StreamTelemetryRequest request = UnpacedRunRequest();
  const auto messages_per_run = static_cast<int64_t>(f.replay_ticks.size());
  double telemetry_seconds = 0, bare_seconds = 0, telemetry_cpu = 0, bare_cpu = 0;
  std::vector<double> pair_ratios;
  for (auto _ : state) {
    const bool telemetry_first = pair_ratios.size() % 2 == 0;
    DrainCost telemetry, bare;
    if (telemetry_first) telemetry = TimedDrain(*f.stub, request, messages_per_run);
    bare = TimedDrain(*f.replay_stub, request, messages_per_run);
    if (!telemetry_first) telemetry = TimedDrain(*f.stub, request, messages_per_run);
    if (telemetry.seconds < 0 || bare.seconds < 0) {
      state.SkipWithError("a telemetry stream failed or sent an unexpected number of ticks");
      break;
    }
    telemetry_seconds += telemetry.seconds;
    bare_seconds += bare.seconds;
    telemetry_cpu += telemetry.cpu_seconds;
    bare_cpu += bare.cpu_seconds;
    pair_ratios.push_back(bare.seconds / telemetry.seconds);  // (msgs/telemetry) / (msgs/bare)
  }
  if (pair_ratios.empty()) return;
  const double runs = static_cast<double>(pair_ratios.size());
  const auto messages = static_cast<double>(messages_per_run);
  const double telemetry_per_s = runs * messages / telemetry_seconds;
  const double bare_per_s = runs * messages / bare_seconds;
  std::sort(pair_ratios.begin(), pair_ratios.end());
  size_t bytes = 0;
  for (const v1::TelemetryTick& tick : f.replay_ticks) bytes += tick.ByteSizeLong();
  state.counters["telemetry_msgs_per_s"] = telemetry_per_s;
  state.counters["bare_msgs_per_s"] = bare_per_s;
  state.counters["ratio"] = telemetry_per_s / bare_per_s;
  state.counters["ratio_median"] = pair_ratios[pair_ratios.size() / 2];
  state.counters["cpu_ratio"] = bare_cpu / telemetry_cpu;
  state.counters["telemetry_cpu_us_per_msg"] = 1e6 * telemetry_cpu / (runs * messages);
  state.counters["bare_cpu_us_per_msg"] = 1e6 * bare_cpu / (runs * messages);
  state.counters["msgs_per_run"] = messages;
  state.counters["mean_msg_bytes"] = static_cast<double>(bytes) / messages;
}
BENCHMARK(BM_TelemetryVsBareStream)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace df::factory

BENCHMARK_MAIN();
