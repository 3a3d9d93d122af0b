// A live run's rejected lever changes are bounded per tick and the overflow is
// counted, not lost silently.
#include "services/factory_sim/server/rejected_changes.h"

#include <gtest/gtest.h>

#include <string>

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

TEST(LeverChangeRejections, FewAreAllCarriedByTheNextTick) {
  RejectedChanges pending;
  google::protobuf::RepeatedPtrField<std::string> settings;
  settings.Add("gpus=0");
  pending.Add(absl::InvalidArgumentError("gpu_count must be 1..4096"), settings);
  pending.Add(absl::InvalidArgumentError("dedup_fraction must be 0..0.95"));
  v1::TelemetryTick tick;
  pending.MoveInto(&tick);
  ASSERT_EQ(tick.consequences_size(), 2);
  EXPECT_EQ(tick.consequences(0).code(), "lever_change_rejected");
  EXPECT_NE(tick.consequences(0).message().find("gpu_count"), std::string::npos);
  // The same rejections, with their google.rpc.Code, for a client that acts on them.
  ASSERT_EQ(tick.rejected_changes_size(), 2);
  EXPECT_EQ(tick.rejected_changes(0).code(), 3);  // INVALID_ARGUMENT
  EXPECT_EQ(tick.rejected_changes(0).message(), "gpu_count must be 1..4096");
  ASSERT_EQ(tick.rejected_changes(0).set_size(), 1);
  EXPECT_EQ(tick.rejected_changes(0).set(0), "gpus=0");
  EXPECT_EQ(pending.pending(), 0u);
  v1::TelemetryTick next;
  pending.MoveInto(&next);
  EXPECT_EQ(next.consequences_size(), 0);
}

TEST(LeverChangeRejections, FloodKeepsTheLatestAndCountsTheDropped) {
  RejectedChanges pending;
  const int sent = 1000;
  for (int i = 0; i < sent; ++i) {
    pending.Add(absl::InvalidArgumentError("change " + std::to_string(i)));
  }
  EXPECT_EQ(pending.pending(), kMaxRejectedChangesPerTick);
  v1::TelemetryTick tick;
  pending.MoveInto(&tick);
  ASSERT_EQ(tick.consequences_size(), static_cast<int>(kMaxRejectedChangesPerTick) + 1);
  const v1::Consequence& dropped = tick.consequences(0);
  EXPECT_EQ(dropped.code(), "lever_changes_dropped");
  ASSERT_EQ(dropped.numbers_size(), 1);
  EXPECT_EQ(dropped.numbers(0).value(), sent - static_cast<int>(kMaxRejectedChangesPerTick));
  // The latest change is the last one carried.
  EXPECT_NE(tick.consequences(tick.consequences_size() - 1).message().find("change 999"),
            std::string::npos);
  EXPECT_EQ(pending.dropped(), 0);  // counted once, then reset
}

}  // namespace
}  // namespace df::factory
