// Unary calls over real gRPC run off the reaction threads: an accepted
// SetStreamConfig has computed its K-S threshold into the process-wide cache, and
// while one stream's lock is held (as a worker holds it during a costly update)
// other calls, including a GetStream of that stream, do not stop the service.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "services/drift_monitor/core/critical_cache.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

TEST(DriftUnaryE2eTest, AnAcceptedConfigHasItsThresholdWarmedBeforeTheAnswer) {
  DriftTestServer server;
  pb::SetStreamConfigRequest request;
  request.set_stream_id("cam");
  request.mutable_config()->set_reference_size(211);
  request.mutable_config()->set_window_size(97);
  request.mutable_config()->set_alpha(0.0217);
  request.mutable_config()->set_correction("bonferroni");
  pb::StreamState state;
  grpc::ClientContext context;
  ASSERT_TRUE(server.stub().SetStreamConfig(&context, request, &state).ok());
  // No frame was sent: only the configuration can have computed it.
  EXPECT_TRUE(CriticalStatisticCache::Global().Find(211, 97, 0.0217 / 2).has_value());
}

TEST(DriftUnaryE2eTest, AStreamHeldBusyDoesNotStopOtherCalls) {
  DriftTestServer server;
  grpc::Status status;
  const std::string jpeg = EncodeJpeg(FirstSampleFrames().at(0));
  ASSERT_EQ(IngestAll(server.stub(), {MakeFrame("busy", 0, jpeg)}, &status).size(), 1u);
  std::shared_ptr<Stream> busy = *server.registry().Find(*StreamId::Parse("busy"));

  busy->mu.Lock();  // as a worker updating this stream's detector would
  pb::GetStreamRequest get_busy;
  get_busy.set_stream_id("busy");
  pb::StreamState busy_state;
  grpc::ClientContext busy_context;
  busy_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  grpc::Status busy_status;
  std::thread waiting(
      [&] { busy_status = server.stub().GetStream(&busy_context, get_busy, &busy_state); });
  // Meanwhile the service answers a list, frames of another stream and its state.
  for (int i = 0; i < 3; ++i) {
    pb::ListStreamsResponse list;
    grpc::ClientContext c;
    ASSERT_TRUE(server.stub().ListStreams(&c, {}, &list).ok());
    EXPECT_EQ(list.stream_ids_size(), i == 0 ? 1 : 2);
    const auto reports = IngestAll(server.stub(), {MakeFrame("free", i, jpeg)}, &status);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_FALSE(reports[0].has_error());
    pb::GetStreamRequest get_free;
    get_free.set_stream_id("free");
    pb::StreamState free_state;
    grpc::ClientContext c2;
    ASSERT_TRUE(server.stub().GetStream(&c2, get_free, &free_state).ok());
    EXPECT_EQ(free_state.frames_seen(), static_cast<uint64_t>(i + 1));
  }
  busy->mu.Unlock();
  waiting.join();
  EXPECT_TRUE(busy_status.ok()) << busy_status.error_message();
  EXPECT_EQ(busy_state.frames_seen(), 1u);
}

}  // namespace
}  // namespace df::drift::testing
