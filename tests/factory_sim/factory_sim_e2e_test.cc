// factory-sim end to end: a real server on 127.0.0.1:0, real channels, the real
// model behind it. Unary calls, both telemetry streams (with a mid-run lever
// change and a client that reads slowly), unpaced runs that deliver every tick,
// cancellation, and an audit trail that survives a restart.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/grpc_server.h"
#include "services/factory_sim/server/audit_trail.h"
#include "services/factory_sim/server/factory_metrics.h"
#include "services/factory_sim/server/factory_sim_service.h"
#include "services/factory_sim/server/paced_run.h"
#include "services/factory_sim/server/proto_convert.h"

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

// One running factory-sim (service + server) over an audit directory.
struct RunningServer {
  explicit RunningServer(const std::string& audit_dir,
                         int max_concurrent_runs = kDefaultMaxConcurrentRuns) {
    auto trail = AuditTrail::Open(audit_dir);
    EXPECT_TRUE(trail.ok()) << trail.status();
    audit = *std::move(trail);
    metrics = std::make_unique<FactoryMetrics>(registry);
    service = std::make_unique<FactorySimService>(audit.get(), metrics.get(), max_concurrent_runs);
    auto started = server::GrpcServer::Start("127.0.0.1:0", {service.get()});
    EXPECT_TRUE(started.ok()) << started.status();
    grpc_server = *std::move(started);
  }
  ~RunningServer() {
    grpc_server->Shutdown(absl::Seconds(1));
    grpc_server.reset();
    service.reset();  // waits for telemetry runs to end
  }
  std::unique_ptr<v1::FactorySim::Stub> Stub(const grpc::ChannelArguments& args = {}) {
    return v1::FactorySim::NewStub(
        grpc::CreateCustomChannel(grpc_server->target(), grpc::InsecureChannelCredentials(), args));
  }

  prometheus::Registry registry;
  std::unique_ptr<AuditTrail> audit;
  std::unique_ptr<FactoryMetrics> metrics;
  std::unique_ptr<FactorySimService> service;
  std::unique_ptr<server::GrpcServer> grpc_server;
};

class FactorySimE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_dir_ = (std::filesystem::temp_directory_path() /
                  ("factory_sim_e2e_" + std::to_string(::getpid()) + "_" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                     .string();
    std::filesystem::remove_all(audit_dir_);
    server_ = std::make_unique<RunningServer>(audit_dir_);
    stub_ = server_->Stub();
  }
  void TearDown() override {
    stub_.reset();
    server_.reset();
    std::filesystem::remove_all(audit_dir_);
  }

  static std::unique_ptr<grpc::ClientContext> Context(int seconds = 20) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return context;
  }

  grpc::Status Evaluate(const std::string& scenario, const std::vector<std::string>& settings,
                        v1::EvaluateResponse* response, const std::string& session = "") {
    v1::EvaluateRequest request;
    if (!scenario.empty()) request.mutable_selection()->set_scenario(scenario);
    for (const std::string& s : settings) request.mutable_selection()->add_set(s);
    request.set_session_id(session);
    return stub_->Evaluate(Context().get(), request, response);
  }

  static double Idle(const v1::Report& report) { return report.feeding_tax().gpu_idle_fraction(); }

  std::string audit_dir_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<v1::FactorySim::Stub> stub_;
};

TEST_F(FactorySimE2eTest, EvaluateActTwoShowsTheFeedingTaxAndNvmeRemovesIt) {
  v1::EvaluateResponse disk, nvme;
  ASSERT_TRUE(Evaluate("act2", {}, &disk).ok());
  EXPECT_GT(Idle(disk.report()), 0.80);
  EXPECT_LT(Idle(disk.report()), 0.90);
  ASSERT_TRUE(Evaluate("act2", {"storage_tier=nvme"}, &nvme).ok());
  EXPECT_EQ(nvme.report().levers().storage_tier(), v1::STORAGE_TIER_LOCAL_NVME);
  EXPECT_DOUBLE_EQ(Idle(nvme.report()), 0.0);
  EXPECT_LT(nvme.report().waterfall().epoch_overlapped_seconds(),
            disk.report().waterfall().epoch_overlapped_seconds());
  ASSERT_EQ(disk.report().badges_size(), 3);
  ASSERT_EQ(disk.report().ledger_size(), 4);
  for (const v1::Badge& badge : disk.report().badges()) {
    if (badge.id() == "gpu_hunger_under_10pct") {
      EXPECT_FALSE(badge.ok());
    }
  }
}

TEST_F(FactorySimE2eTest, EvaluateActOneFlatEgressIsNinetyThousandDollars) {
  v1::EvaluateResponse act1;
  ASSERT_TRUE(Evaluate("act1", {"pricing=flat", "efficiency=1", "link_rate=1Gbps"}, &act1).ok());
  bool saw_fiber = false;
  for (const v1::TransferPlan& plan : act1.report().transfer_plans()) {
    if (plan.method() != v1::TRANSFER_METHOD_FIBER) continue;
    saw_fiber = true;
    EXPECT_NEAR(plan.seconds() / 86400.0, 92.6, 0.05);
    EXPECT_FALSE(plan.meets_deadline());
  }
  EXPECT_TRUE(saw_fiber);
}

TEST_F(FactorySimE2eTest, LeverOutOfRangeIsInvalidArgumentNamingTheLever) {
  v1::EvaluateResponse response;
  const grpc::Status status = Evaluate("act2", {"dedup=0.9"}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("dedup"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("0.5"), std::string::npos) << status.error_message();

  EXPECT_EQ(Evaluate("act2", {"warp_drive=on"}, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Evaluate("act9", {}, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::EvaluateRequest unspecified;
  unspecified.mutable_selection()->mutable_levers()->set_dataset_bytes(1e12);
  const grpc::Status enum_status = stub_->Evaluate(Context().get(), unspecified, &response);
  EXPECT_EQ(enum_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(enum_status.error_message().find("persona"), std::string::npos);
}

TEST_F(FactorySimE2eTest, CataloguesListScenariosPersonasAndSourcedFigures) {
  v1::ListScenariosResponse scenarios;
  ASSERT_TRUE(stub_->ListScenarios(Context().get(), {}, &scenarios).ok());
  std::vector<std::string> names;
  for (const auto& s : scenarios.scenarios()) names.push_back(s.name());
  for (const char* act : {"act1", "act2", "act3"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), act), names.end()) << act;
  }
  v1::ListPersonasResponse personas;
  ASSERT_TRUE(stub_->ListPersonas(Context().get(), {}, &personas).ok());
  EXPECT_EQ(personas.personas_size(), 4);
  v1::GetFigureCatalogueResponse figures;
  ASSERT_TRUE(stub_->GetFigureCatalogue(Context().get(), {}, &figures).ok());
  ASSERT_GT(figures.figures_size(), 10);
  for (const v1::Figure& f : figures.figures()) EXPECT_FALSE(f.source().empty()) << f.id();
}

v1::StreamTelemetryRequest RunRequest(const std::string& scenario, int interval_ms, int epochs,
                                      double sim_seconds_per_tick = 0) {
  v1::StreamTelemetryRequest request;
  request.mutable_selection()->set_scenario(scenario);
  request.mutable_pace()->set_tick_interval_ms(interval_ms);
  request.mutable_pace()->set_epochs(epochs);
  request.mutable_pace()->set_simulated_seconds_per_tick(sim_seconds_per_tick);
  return request;
}

TEST_F(FactorySimE2eTest, RunPastTheTickCapIsInvalidArgumentNamingThePaceFields) {
  // 1000 epochs in 1 ms steps: far beyond a million ticks.
  auto context = Context();
  auto reader = stub_->StreamTelemetry(context.get(), RunRequest("act2", 0, 1000, 1e-3));
  v1::TelemetryTick tick;
  EXPECT_FALSE(reader->Read(&tick));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("pace.simulated_seconds_per_tick"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("pace.epochs"), std::string::npos);
  EXPECT_NE(status.error_message().find("1e+06"), std::string::npos);
}

TEST_F(FactorySimE2eTest, ConcurrentRunsAreCapped) {
  const std::string dir = audit_dir_ + "_capped";
  std::filesystem::remove_all(dir);
  {
    RunningServer capped(dir, /*max_concurrent_runs=*/1);
    auto stub = capped.Stub();
    auto first_context = Context();
    auto first = stub->StreamTelemetry(first_context.get(), RunRequest("act2", 50, 3));
    v1::TelemetryTick tick;
    ASSERT_TRUE(first->Read(&tick));  // the first run is under way
    auto second_context = Context();
    auto second = stub->StreamTelemetry(second_context.get(), RunRequest("act2", 50, 3));
    EXPECT_FALSE(second->Read(&tick));
    const grpc::Status refused = second->Finish();
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(refused.error_message().find("max_concurrent_runs"), std::string::npos)
        << refused.error_message();
    first_context->TryCancel();
    while (first->Read(&tick)) {
    }
    EXPECT_EQ(first->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  std::filesystem::remove_all(dir);
}

TEST_F(FactorySimE2eTest, StreamTelemetryPlaysARunToTheEnd) {
  auto context = Context();
  auto reader = stub_->StreamTelemetry(context.get(), RunRequest("act2", 1, 2));
  v1::TelemetryTick tick;
  std::vector<v1::TelemetryTick> ticks;
  while (reader->Read(&tick)) ticks.push_back(tick);
  const grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(ticks.size(), 10u);
  EXPECT_TRUE(ticks.back().run_complete());
  EXPECT_EQ(ticks.back().epoch(), 2);
  int epoch_ends = 0;
  for (size_t i = 1; i < ticks.size(); ++i) {
    EXPECT_GT(ticks[i].tick(), ticks[i - 1].tick());
    EXPECT_GE(ticks[i].bytes_moved(), ticks[i - 1].bytes_moved());
    EXPECT_GE(ticks[i].dollars_spent(), 0.0);
    EXPECT_NEAR(ticks[i].gpu_utilization(), 0.14, 0.05);  // act2: the 250 MB/s disk
    if (ticks[i].epoch_end()) {
      ++epoch_ends;
      EXPECT_GT(ticks[i].waterfall().epoch_overlapped_seconds(), 0);
    }
  }
  EXPECT_GE(epoch_ends, 1);
}

TEST_F(FactorySimE2eTest, LiveRunReactsToAMidRunLeverChangeOnTheNextTick) {
  auto context = Context();
  auto stream = stub_->LiveRun(context.get());
  v1::LiveRunRequest start;
  *start.mutable_start() = RunRequest("act2", 5, 3);
  start.mutable_start()->set_session_id("live1");
  ASSERT_TRUE(stream->Write(start));
  v1::TelemetryTick tick;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(stream->Read(&tick));
    EXPECT_LT(tick.gpu_utilization(), 0.2);
  }
  v1::LiveRunRequest change;
  change.mutable_change()->add_set("storage_tier=nvme");
  ASSERT_TRUE(stream->Write(change));
  // Ticks already on their way may still show the old levers; the first tick
  // computed after the change carries the explanation and the new numbers.
  bool saw_change = false;
  for (int i = 0; i < 200 && !saw_change && stream->Read(&tick); ++i) {
    for (const v1::Consequence& c : tick.consequences()) {
      if (c.message().find("storage_tier") != std::string::npos) saw_change = true;
    }
    if (saw_change) {
      EXPECT_EQ(tick.levers().storage_tier(), v1::STORAGE_TIER_LOCAL_NVME);
      EXPECT_DOUBLE_EQ(tick.gpu_utilization(), 1.0);
    }
  }
  EXPECT_TRUE(saw_change);
  ASSERT_TRUE(stream->Read(&tick));
  EXPECT_DOUBLE_EQ(tick.gpu_utilization(), 1.0);
  context->TryCancel();
  while (stream->Read(&tick)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // The change is in the session's audit trail.
  v1::GetAuditTrailRequest request;
  request.set_session_id("live1");
  v1::GetAuditTrailResponse trail;
  // The write is asynchronous (fsync on a loaded machine, ~3x slower under ASan):
  // poll against a generous deadline rather than a fixed number of attempts.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool recorded = false;
  while (!recorded && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(stub_->GetAuditTrail(Context().get(), request, &trail).ok());
    for (const auto& e : trail.entries()) {
      if (e.levers().origin() == "live_change") recorded = true;
    }
    if (!recorded) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(recorded);
}

TEST_F(FactorySimE2eTest, AuditTrailIsPaged) {
  v1::EvaluateResponse response;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Evaluate("act2", {}, &response, "pager").ok());
  v1::GetAuditTrailRequest request;
  request.set_session_id("pager");
  request.set_page_size(2);
  std::vector<int64_t> sequences;
  int pages = 0;
  do {
    v1::GetAuditTrailResponse page;
    ASSERT_TRUE(stub_->GetAuditTrail(Context().get(), request, &page).ok());
    ASSERT_LE(page.entries_size(), 2);
    for (const auto& e : page.entries()) sequences.push_back(e.sequence());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(sequences, (std::vector<int64_t>{1, 2, 3, 4, 5}));

  v1::GetAuditTrailResponse ignored;
  request.set_page_token("not-a-token");
  grpc::Status bad = stub_->GetAuditTrail(Context().get(), request, &ignored);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("page_token"), std::string::npos);
  request.set_page_token("");
  request.set_page_size(1001);
  bad = stub_->GetAuditTrail(Context().get(), request, &ignored);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("page_size must be 0..1000"), std::string::npos);
}

TEST_F(FactorySimE2eTest, LiveRunWithoutStartIsInvalidArgument) {
  auto context = Context();
  auto stream = stub_->LiveRun(context.get());
  v1::LiveRunRequest change;
  change.mutable_change()->add_set("dedup=0.1");
  stream->Write(change);
  stream->WritesDone();
  v1::TelemetryTick tick;
  EXPECT_FALSE(stream->Read(&tick));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("start"), std::string::npos);
}

TEST_F(FactorySimE2eTest, SlowReaderGetsCoalescedTicksAndEveryTickIsAccountedFor) {
  // A small receive window (no BDP growth) so that a client that stops reading
  // pushes back on the server quickly.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto slow_stub = server_->Stub(args);
  auto context = Context(60);
  // ~3000 ticks, 1 ms apart.
  v1::StreamTelemetryRequest request = RunRequest("act2", 1, 1);
  auto reader = slow_stub->StreamTelemetry(context.get(), request);
  v1::TelemetryTick tick;
  std::vector<v1::TelemetryTick> ticks;
  while (reader->Read(&tick)) {
    ticks.push_back(tick);
    if (ticks.size() <= 5) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_GT(ticks.size(), 2u);
  int64_t coalesced = 0;
  for (size_t i = 1; i < ticks.size(); ++i) {
    EXPECT_EQ(ticks[i].tick() - ticks[i - 1].tick() - 1, ticks[i].coalesced_ticks()) << i;
    coalesced += ticks[i].coalesced_ticks();
  }
  EXPECT_GT(coalesced, 0);
  EXPECT_EQ(ticks.back().coalesced_ticks_total(), coalesced);
  EXPECT_TRUE(ticks.back().run_complete());
}

// The ticks a run of `request` must deliver, computed by the model directly.
std::vector<v1::TelemetryTick> ReferenceTicks(const v1::StreamTelemetryRequest& request) {
  std::vector<v1::TelemetryTick> out;
  absl::StatusOr<LeverSelection> selection = FromProto(request.selection(), std::nullopt);
  absl::StatusOr<Pace> pace = FromProto(request.pace());
  EXPECT_TRUE(selection.ok() && pace.ok());
  if (!selection.ok() || !pace.ok()) return out;
  absl::StatusOr<PacedRun> run = PacedRun::Start(*selection, *pace);
  EXPECT_TRUE(run.ok()) << run.status();
  if (!run.ok()) return out;
  while (!run->complete()) ToProto(run->Advance(), &out.emplace_back());
  return out;
}

// Every tick of the reference arrives, in order, uncoalesced and unchanged.
void ExpectAllTicksInOrder(const std::vector<v1::TelemetryTick>& got,
                           const std::vector<v1::TelemetryTick>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].tick(), static_cast<int64_t>(i));
    EXPECT_EQ(got[i].coalesced_ticks(), 0) << i;
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got[i], want[i]))
        << i << "\ngot:  " << got[i].ShortDebugString() << "\nwant: " << want[i].ShortDebugString();
  }
  EXPECT_TRUE(got.back().run_complete());
}

TEST_F(FactorySimE2eTest, UnpacedRunDeliversEveryTickInOrder) {
  v1::StreamTelemetryRequest request = RunRequest("act2", 0, 4);
  ASSERT_TRUE(request.pace().has_tick_interval_ms());  // 0 set explicitly: unpaced
  const std::vector<v1::TelemetryTick> want = ReferenceTicks(request);
  ASSERT_GT(want.size(), 150u);  // ~50 ticks per epoch

  auto context = Context();
  auto reader = stub_->StreamTelemetry(context.get(), request);
  v1::TelemetryTick tick;
  std::vector<v1::TelemetryTick> got;
  while (reader->Read(&tick)) got.push_back(tick);
  const grpc::Status status = reader->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ExpectAllTicksInOrder(got, want);
}

TEST_F(FactorySimE2eTest, UnpacedRunWaitsForASlowReaderInsteadOfCoalescing) {
  grpc::ChannelArguments args;  // a small window, as in the paced slow-reader test
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto slow_stub = server_->Stub(args);
  v1::StreamTelemetryRequest request = RunRequest("act1", 0, 2);
  const std::vector<v1::TelemetryTick> want = ReferenceTicks(request);

  auto context = Context(60);
  auto reader = slow_stub->StreamTelemetry(context.get(), request);
  v1::TelemetryTick tick;
  std::vector<v1::TelemetryTick> got;
  while (reader->Read(&tick)) {
    got.push_back(tick);
    if (got.size() <= 3) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(reader->Finish().ok());
  ExpectAllTicksInOrder(got, want);
  EXPECT_EQ(got.back().coalesced_ticks_total(), 0);
}

bool HasConsequence(const v1::TelemetryTick& tick, const std::string& code) {
  for (const v1::Consequence& c : tick.consequences()) {
    if (c.code() == code) return true;
  }
  return false;
}

// Also: the first tick carries the standing state (the GPUs starve), so the
// "gpu_starved_cleared" the change brings clears something the client was told.
TEST_F(FactorySimE2eTest, UnpacedLiveRunAppliesAMidRunChange) {
  auto context = Context();
  auto stream = stub_->LiveRun(context.get());
  v1::LiveRunRequest start;
  *start.mutable_start() = RunRequest("act2", 0, 1000);  // long enough to change mid-run
  ASSERT_TRUE(stream->Write(start));
  v1::TelemetryTick tick;
  ASSERT_TRUE(stream->Read(&tick));
  EXPECT_LT(tick.gpu_utilization(), 0.2);
  EXPECT_TRUE(HasConsequence(tick, "gpu_starved"));
  v1::LiveRunRequest change;
  change.mutable_change()->add_set("storage_tier=nvme");
  ASSERT_TRUE(stream->Write(change));
  int64_t previous = tick.tick();
  bool saw_change = false;
  while (!saw_change && stream->Read(&tick)) {
    EXPECT_EQ(tick.tick(), previous + 1);
    EXPECT_EQ(tick.coalesced_ticks(), 0);
    EXPECT_FALSE(HasConsequence(tick, "gpu_starved")) << "told twice, at tick " << tick.tick();
    previous = tick.tick();
    for (const v1::Consequence& c : tick.consequences()) {
      if (c.message().find("storage_tier") != std::string::npos) saw_change = true;
    }
  }
  ASSERT_TRUE(saw_change);
  EXPECT_TRUE(HasConsequence(tick, "gpu_starved_cleared"));
  EXPECT_EQ(tick.levers().storage_tier(), v1::STORAGE_TIER_LOCAL_NVME);
  EXPECT_DOUBLE_EQ(tick.gpu_utilization(), 1.0);
  context->TryCancel();
  while (stream->Read(&tick)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

// A refused mid-run change does not end the call: the next tick names it with its
// google.rpc.Code, and the run goes on with the levers it had.
TEST_F(FactorySimE2eTest, ARefusedLiveChangeArrivesOnTheNextTickWithItsCode) {
  auto context = Context();
  auto stream = stub_->LiveRun(context.get());
  v1::LiveRunRequest start;
  *start.mutable_start() = RunRequest("act2", 5, 1);
  ASSERT_TRUE(stream->Write(start));
  v1::TelemetryTick tick;
  ASSERT_TRUE(stream->Read(&tick));
  v1::LiveRunRequest change;
  change.mutable_change()->add_set("gpus=0");
  ASSERT_TRUE(stream->Write(change));
  ASSERT_TRUE(stream->WritesDone());
  int seen = 0;
  while (stream->Read(&tick)) {
    if (tick.rejected_changes_size() == 0) continue;
    ++seen;
    const v1::RejectedChange& rejected = tick.rejected_changes(0);
    EXPECT_EQ(rejected.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_NE(rejected.message().find("gpu_count"), std::string::npos) << rejected.message();
    EXPECT_NE(rejected.message().find("1 .. 4096"), std::string::npos) << rejected.message();
    ASSERT_EQ(rejected.set_size(), 1);
    EXPECT_EQ(rejected.set(0), "gpus=0");
    EXPECT_EQ(tick.levers().gpu_count(), 8);  // unchanged
  }
  EXPECT_EQ(seen, 1);                  // on one tick, once
  EXPECT_TRUE(stream->Finish().ok());  // the run played out
}

TEST_F(FactorySimE2eTest, TickIntervalOutOfRangeIsInvalidArgumentNamingTheRange) {
  for (int interval_ms : {-1, 60001}) {
    auto context = Context();
    auto reader = stub_->StreamTelemetry(context.get(), RunRequest("act2", interval_ms, 1));
    v1::TelemetryTick tick;
    EXPECT_FALSE(reader->Read(&tick));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << interval_ms;
    EXPECT_NE(status.error_message().find("tick_interval_ms"), std::string::npos);
    EXPECT_NE(status.error_message().find("0..60000"), std::string::npos);
  }
}

TEST_F(FactorySimE2eTest, AuditTrailSurvivesARestart) {
  v1::EvaluateResponse response;
  ASSERT_TRUE(Evaluate("act2", {}, &response, "student7").ok());
  v1::SubmitRationaleRequest rationale;
  rationale.set_session_id("student7");
  rationale.set_text("NVMe: 16 GB/s covers the 1.8 GB/s demand, the feeding tax goes to zero");
  rationale.mutable_selection()->set_scenario("act2_nvme");
  v1::SubmitRationaleResponse submitted;
  ASSERT_TRUE(stub_->SubmitRationale(Context().get(), rationale, &submitted).ok());
  EXPECT_EQ(submitted.entry().sequence(), 2);
  EXPECT_DOUBLE_EQ(submitted.entry().rationale().feeding_tax().gpu_idle_fraction(), 0.0);

  stub_.reset();
  server_ = std::make_unique<RunningServer>(audit_dir_);  // old one shut down first
  stub_ = server_->Stub();
  v1::GetAuditTrailRequest request;
  request.set_session_id("student7");
  v1::GetAuditTrailResponse trail;
  ASSERT_TRUE(stub_->GetAuditTrail(Context().get(), request, &trail).ok());
  ASSERT_EQ(trail.entries_size(), 2);
  EXPECT_EQ(trail.entries(0).levers().origin(), "evaluate");
  EXPECT_EQ(trail.entries(1).rationale().text(), rationale.text());
  EXPECT_GT(trail.entries(1).rationale().feeding_tax().demand_bytes_per_s(), 1e9);

  v1::SubmitRationaleRequest empty;
  empty.set_session_id("student7");
  EXPECT_EQ(stub_->SubmitRationale(Context().get(), empty, &submitted).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace df::factory
