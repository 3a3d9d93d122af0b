#include "services/stats/hysteresis.h"

#include "gtest/gtest.h"

namespace df::stats {
namespace {

TEST(HysteresisTest, RaisesAfterConsecutiveRejectionsOnly) {
  Hysteresis h(3, 2);
  EXPECT_FALSE(h.Update(true));
  EXPECT_FALSE(h.Update(true));
  EXPECT_FALSE(h.Update(false));  // streak broken
  EXPECT_FALSE(h.Update(true));
  EXPECT_FALSE(h.Update(true));
  EXPECT_TRUE(h.Update(true));
  EXPECT_TRUE(h.alarm());
}

TEST(HysteresisTest, ClearsAfterConsecutiveAcceptances) {
  Hysteresis h(1, 3);
  EXPECT_TRUE(h.Update(true));
  EXPECT_TRUE(h.Update(false));
  EXPECT_TRUE(h.Update(false));
  EXPECT_TRUE(h.Update(true));  // a rejection restarts the clearing count
  EXPECT_TRUE(h.Update(false));
  EXPECT_TRUE(h.Update(false));
  EXPECT_EQ(h.streak(), 2);
  EXPECT_FALSE(h.Update(false));
  EXPECT_FALSE(h.alarm());
}

TEST(HysteresisTest, OneAndOneFollowsTheInput) {
  Hysteresis h(1, 1);
  for (bool x : {true, false, false, true, true, false}) EXPECT_EQ(h.Update(x), x);
}

TEST(HysteresisTest, ResetClearsTheAlarm) {
  Hysteresis h(1, 5);
  h.Update(true);
  h.Reset();
  EXPECT_FALSE(h.alarm());
  EXPECT_EQ(h.streak(), 0);
}

}  // namespace
}  // namespace df::stats
