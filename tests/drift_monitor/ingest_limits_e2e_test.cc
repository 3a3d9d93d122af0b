// The process-wide Ingest limits over real gRPC: calls beyond the cap are refused
// with RESOURCE_EXHAUSTED, and with a tiny byte budget every frame is still answered
// in order while the bytes in flight stay at one frame per call; both show in the
// metrics. A call that idles or is cancelled gives its slot back.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

TEST(IngestLimitsE2eTest, ACallBeyondTheCapIsRefusedAndTheOpenOneCarriesOn) {
  DriftTestServer server({}, 4, 2, nullptr, {.max_in_flight_bytes = 1 << 20, .max_calls = 1});
  const std::string jpeg = EncodeJpeg(FirstSampleFrames().at(0));
  grpc::ClientContext first_context;
  auto first = server.stub().Ingest(&first_context);
  ASSERT_TRUE(first->Write(MakeFrame("cam", 0, jpeg)));
  pb::DriftReport report;
  ASSERT_TRUE(first->Read(&report));  // the first call is open on the server now
  EXPECT_FALSE(report.has_error());

  grpc::Status refused;
  const auto none = IngestAll(server.stub(), {MakeFrame("cam", 1, jpeg)}, &refused);
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(refused.error_code(), grpc::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_ingest_calls"), std::string::npos)
      << refused.error_message();
  const std::string metrics = server.MetricsText();
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_ingest_calls_refused_total", {}), 1.0);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_ingest_calls", {}), 1.0);

  ASSERT_TRUE(first->Write(MakeFrame("cam", 2, jpeg)));
  ASSERT_TRUE(first->Read(&report));
  EXPECT_EQ(report.sequence(), 2u);
  EXPECT_EQ(report.frames_seen(), 2u);
  first->WritesDone();
  EXPECT_TRUE(first->Finish().ok());
}

// Polls `done` for up to 10 s (the server reacts on its own threads).
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST(IngestLimitsE2eTest, ACallWaitingLongerThanTheIdleTimeoutIsClosedAndFreesItsSlot) {
  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  absl::Mutex clock_mu;
  auto clock = [&] {
    absl::MutexLock lock(&clock_mu);
    return now;
  };
  auto advance = [&](absl::Duration by) {
    absl::MutexLock lock(&clock_mu);
    now += by;
  };
  DriftTestServer server({}, 4, 2, clock, {.max_in_flight_bytes = 1 << 20, .max_calls = 1});
  const std::string jpeg = EncodeJpeg(FirstSampleFrames().at(0));
  grpc::ClientContext idle_context;
  auto idle = server.stub().Ingest(&idle_context);
  ASSERT_TRUE(idle->Write(MakeFrame("cam", 0, jpeg)));
  pb::DriftReport report;
  ASSERT_TRUE(idle->Read(&report));

  advance(kDefaultIngestIdleTimeout - absl::Seconds(1));
  EXPECT_EQ(server.CloseIdleIngestCalls(), 0);  // not idle long enough yet
  advance(absl::Seconds(1));
  // Closed once its report's write has completed on the server.
  EXPECT_TRUE(Eventually([&] { return server.CloseIdleIngestCalls() == 1; }));
  EXPECT_FALSE(idle->Read(&report));
  const grpc::Status closed = idle->Finish();
  EXPECT_EQ(closed.error_code(), grpc::UNAVAILABLE);
  EXPECT_NE(closed.error_message().find("--ingest_idle_timeout"), std::string::npos)
      << closed.error_message();
  EXPECT_TRUE(Eventually([&] { return server.budget().open_calls() == 0; }));
  EXPECT_EQ(MetricValue(server.MetricsText(), "drift_monitor_ingest_calls_idle_closed_total", {}),
            1.0);

  grpc::Status next;
  const auto reports = IngestAll(server.stub(), {MakeFrame("cam", 1, jpeg)}, &next);
  EXPECT_TRUE(next.ok()) << next.error_message();  // the slot is free again
  EXPECT_EQ(reports.size(), 1u);
}

TEST(IngestLimitsE2eTest, ACancelledCallFreesItsSlotAtOnceAndItsQueuedFramesAreNotDecoded) {
  DriftTestServer server({}, 4, 1, nullptr, {.max_in_flight_bytes = 64 << 20, .max_calls = 1});
  const std::string jpeg = EncodeJpeg(FirstSampleFrames().at(0));
  // The only worker is held, so the call's frames stay queued until the end.
  absl::Notification release_worker;
  server.pool().Submit([&] { release_worker.WaitForNotification(); });
  {
    grpc::ClientContext context;
    auto call = server.stub().Ingest(&context);
    for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(call->Write(MakeFrame("cam", i, jpeg)));
    ASSERT_TRUE(Eventually([&] { return server.budget().in_flight_bytes() > 0; }));
    context.TryCancel();
    EXPECT_EQ(call->Finish().error_code(), grpc::CANCELLED);
  }
  // Freed while its frames still wait for the worker.
  EXPECT_TRUE(Eventually([&] { return server.budget().open_calls() == 0; }));
  EXPECT_GT(server.budget().in_flight_bytes(), 0);
  EXPECT_EQ(MetricValue(server.MetricsText(), "drift_monitor_ingest_calls_cancelled_total", {}),
            1.0);
  release_worker.Notify();
  EXPECT_TRUE(Eventually([&] { return server.open_ingest_calls() == 0; }));
  EXPECT_EQ(server.budget().in_flight_bytes(), 0);
  // Dropped, not decoded: the stream never saw a frame.
  EXPECT_TRUE(std::isnan(
      MetricValue(server.MetricsText(), "drift_monitor_frames_total", {"stream=\"cam\""})));

  grpc::Status next;
  const auto reports = IngestAll(server.stub(), {MakeFrame("cam", 100, jpeg)}, &next);
  EXPECT_TRUE(next.ok()) << next.error_message();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].sequence(), 100u);
  EXPECT_EQ(reports[0].frames_seen(), 1u);
}

TEST(IngestLimitsE2eTest, WithATinyByteBudgetEveryFrameIsAnsweredOneAtATimePerCall) {
  DriftTestServer server({}, 4, 2, nullptr, {.max_in_flight_bytes = 1, .max_calls = 8});
  constexpr int kFrames = 40;
  static_assert(kFrames <= kFirstSampleFrames);
  std::vector<pb::Frame> a, b;
  size_t largest = 0;
  for (int i = 0; i < kFrames; ++i) {
    a.push_back(MakeFrame("cam-a", i, EncodeJpeg(FirstSampleFrames().at(i))));
    b.push_back(MakeFrame("cam-b", i, EncodeJpeg(FirstSampleFrames().at(i))));
    largest = std::max({largest, a.back().ByteSizeLong(), b.back().ByteSizeLong()});
  }
  grpc::Status status_b;
  std::vector<pb::DriftReport> reports_b;
  std::thread other([&] { reports_b = IngestAll(server.stub(), b, &status_b); });
  grpc::Status status_a;
  std::vector<pb::DriftReport> reports_a = IngestAll(server.stub(), a, &status_a);
  other.join();
  for (const auto* reports : {&reports_a, &reports_b}) {
    ASSERT_EQ(reports->size(), static_cast<size_t>(kFrames));
    for (int i = 0; i < kFrames; ++i) {
      EXPECT_FALSE((*reports)[i].has_error()) << (*reports)[i].error().message();
      EXPECT_EQ((*reports)[i].sequence(), static_cast<uint64_t>(i));
    }
  }
  EXPECT_TRUE(status_a.ok()) << status_a.error_message();
  EXPECT_TRUE(status_b.ok()) << status_b.error_message();
  // Each call reads only while nothing is in flight, so at most one frame per call
  // is held (without the budget up to kMaxFramesInFlight per call would be).
  EXPECT_GT(server.budget().peak_in_flight_bytes(), 0);
  EXPECT_LE(server.budget().peak_in_flight_bytes(), static_cast<int64_t>(2 * largest));
  EXPECT_EQ(server.budget().in_flight_bytes(), 0);
  // The same back-pressure, as an operator sees it: reads were held back, and the
  // bytes gauge is back at zero once both calls finished.
  const std::string metrics = server.MetricsText();
  EXPECT_GE(MetricValue(metrics, "drift_monitor_ingest_reads_paused_total", {}), 1.0);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_frame_bytes_in_flight", {}), 0.0);
  EXPECT_EQ(MetricValue(metrics, "drift_monitor_ingest_calls_refused_total", {}), 0.0);
}

}  // namespace
}  // namespace df::drift::testing
