#include "tests/load/call_outcomes.h"

#include <gtest/gtest.h>

namespace df::load {
namespace {

TEST(CallOutcomesTest, RefusalsAndPlannedCancelsAreNotErrors) {
  CallOutcomes o;
  o.Count(grpc::Status::OK, true, false);
  o.Count(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many calls"), false, false);
  o.Count(grpc::Status(grpc::StatusCode::CANCELLED, ""), true, /*cancelled_by_us=*/true);
  EXPECT_EQ(o.calls(), 3);
  EXPECT_EQ(o.refused(), 1);
  EXPECT_EQ(o.first_refusal_message(), "too many calls");
  EXPECT_EQ(o.error_count(), 0);
}

TEST(CallOutcomesTest, OtherEndsAreErrorsByCode) {
  CallOutcomes o;
  // RESOURCE_EXHAUSTED after answers is not a refusal at the start.
  o.Count(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "frame too big"), true, false);
  o.Count(grpc::Status(grpc::StatusCode::CANCELLED, "server went away"), true, false);
  o.Count(grpc::Status(grpc::StatusCode::UNAVAILABLE, "x"), false, false);
  o.Count(grpc::Status(grpc::StatusCode::UNAVAILABLE, "y"), false, false);
  EXPECT_EQ(o.refused(), 0);
  EXPECT_EQ(o.error_count(), 4);
  EXPECT_EQ(o.errors().at("UNAVAILABLE"), 2);
  EXPECT_EQ(o.errors().at("CANCELLED"), 1);
  EXPECT_EQ(o.errors().at("RESOURCE_EXHAUSTED"), 1);
  EXPECT_EQ(o.first_error_message(), "frame too big");
}

TEST(PercentileTest, NearestRank) {
  std::vector<double> v;
  EXPECT_EQ(Percentile(v, 0.5), 0);
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 0.5), 50);
  EXPECT_EQ(Percentile(v, 0.99), 99);
  EXPECT_EQ(Percentile(v, 1.0), 100);
  EXPECT_EQ(Percentile(v, 0.0), 1);
  EXPECT_EQ(Percentile({7.0}, 0.99), 7);
}

}  // namespace
}  // namespace df::load
