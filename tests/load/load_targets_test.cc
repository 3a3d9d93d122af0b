#include "tests/load/load_targets.h"

#include <gtest/gtest.h>

namespace df::load {
namespace {

CameraLoadResult AllAnswered(int64_t frames, double latency_ms) {
  CameraLoadResult r;
  r.calls_planned = 1000;
  for (int i = 0; i < 1000; ++i) r.outcomes.Count(grpc::Status::OK, true, false);
  r.frames_planned = r.frames_sent = r.frames_answered = frames;
  r.latency_ms.assign(static_cast<size_t>(frames), latency_ms);
  return r;
}

TEST(LoadTargetsTest, TheTargetRunPasses) {
  const CameraLoadOptions options;  // 1000 x 0.5 fps
  const CameraLoadResult r = AllAnswered(30000, 12.0);
  EXPECT_TRUE(AllPass(CameraIntegrity(r)));
  EXPECT_TRUE(AllPass(CameraTargets(options, r, ServerFlags::kDefault)));
  // The same figures against a server with changed or unknown flags miss the target.
  EXPECT_FALSE(AllPass(CameraTargets(options, r, ServerFlags::kChanged)));
  EXPECT_FALSE(AllPass(CameraTargets(options, r, ServerFlags::kUnknown)));
}

TEST(LoadTargetsTest, SmallerLoadOrSlowRepliesMissTheTarget) {
  CameraLoadOptions small;
  small.cameras = 50;
  EXPECT_FALSE(AllPass(CameraTargets(small, AllAnswered(1500, 5.0), ServerFlags::kDefault)));
  CameraLoadResult slow = AllAnswered(30000, 5.0);
  for (size_t i = 0; i < 301; ++i) slow.latency_ms[slow.latency_ms.size() - 1 - i] = 150;
  const std::vector<Verdict> v = CameraTargets({}, slow, ServerFlags::kDefault);
  EXPECT_FALSE(AllPass(v));
  EXPECT_EQ(v.back().detail, "p99 150.0 ms over 30000 frames");
}

TEST(LoadTargetsTest, RefusalsMissTheTargetButAreNotAnIntegrityFailure) {
  CameraLoadResult r = AllAnswered(1920, 5.0);
  r.frames_planned = 30000;
  CallOutcomes outcomes;
  for (int i = 0; i < 64; ++i) outcomes.Count(grpc::Status::OK, true, false);
  for (int i = 0; i < 936; ++i) {
    outcomes.Count(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "limit 64"), false, false);
  }
  r.outcomes = outcomes;
  r.frames_on_refused_calls = 10;
  EXPECT_TRUE(AllPass(CameraIntegrity(r)));
  const std::vector<Verdict> v = CameraTargets({}, r, ServerFlags::kDefault);
  EXPECT_FALSE(AllPass(v));
  EXPECT_EQ(v[2].detail, "936 of 1000 calls refused: \"limit 64\"");
}

TEST(LoadTargetsTest, UnansweredFramesAndCallErrorsFailIntegrity) {
  CameraLoadResult r = AllAnswered(100, 5.0);
  r.frames_answered = 99;
  EXPECT_FALSE(AllPass(CameraIntegrity(r)));
  CameraLoadResult e = AllAnswered(100, 5.0);
  e.outcomes.Count(grpc::Status(grpc::StatusCode::UNAVAILABLE, "gone"), true, false);
  const std::vector<Verdict> v = CameraIntegrity(e);
  EXPECT_FALSE(v[1].pass);
  EXPECT_EQ(v[1].detail, "UNAVAILABLE x 1 (first: \"gone\")");
  TelemetryLoadResult t;
  t.outcomes.Count(grpc::Status(grpc::StatusCode::CANCELLED, ""), true, true);
  EXPECT_TRUE(AllPass(TelemetryIntegrity(t)));
  t.outcomes.Count(grpc::Status(grpc::StatusCode::INTERNAL, "boom"), true, false);
  EXPECT_FALSE(AllPass(TelemetryIntegrity(t)));
}

}  // namespace
}  // namespace df::load
