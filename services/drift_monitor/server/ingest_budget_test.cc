#include "services/drift_monitor/server/ingest_budget.h"

#include <gtest/gtest.h>

namespace df::drift {
namespace {

TEST(IngestBudgetTest, RefusesCallsBeyondTheCapUntilOneEnds) {
  IngestBudget budget({.max_in_flight_bytes = 100, .max_calls = 2});
  EXPECT_TRUE(budget.TryStartCall());
  EXPECT_TRUE(budget.TryStartCall());
  EXPECT_FALSE(budget.TryStartCall());
  budget.EndCall();
  EXPECT_TRUE(budget.TryStartCall());
}

TEST(IngestBudgetTest, AReadWaitsUntilReleasesBringTheBytesBelowTheLimit) {
  IngestBudget budget({.max_in_flight_bytes = 100, .max_calls = 8});
  EXPECT_TRUE(budget.ReadAllowedOrWait([] { FAIL() << "must not be queued"; }));
  budget.Acquire(60);
  EXPECT_TRUE(budget.ReadAllowedOrWait([] { FAIL() << "must not be queued"; }));
  budget.Acquire(60);  // 120 >= 100: the next reads wait
  int resumed = 0;
  EXPECT_FALSE(budget.ReadAllowedOrWait([&] { ++resumed; }));
  EXPECT_FALSE(budget.ReadAllowedOrWait([&] { ++resumed; }));
  budget.Release(10);  // 110: still at the limit
  EXPECT_EQ(resumed, 0);
  budget.Release(60);  // 50: both waiters resume, once each
  EXPECT_EQ(resumed, 2);
  budget.Release(50);
  EXPECT_EQ(resumed, 2);
  EXPECT_EQ(budget.in_flight_bytes(), 0);
  EXPECT_EQ(budget.peak_in_flight_bytes(), 120);
}

}  // namespace
}  // namespace df::drift
