// A slow reader never makes a stream hold more than one waiting tick, and what is
// coalesced is counted and its consequences and epoch-end waterfall survive.
#include "services/factory_sim/server/tick_outbox.h"

#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace df::factory {
namespace {

using Tick = TickOutbox::Tick;

Tick MakeTick(int64_t n) {
  Tick t;
  t.set_tick(n);
  t.set_bytes_moved(1000.0 * static_cast<double>(n));
  return t;
}

TEST(TickOutboxTest, WritesImmediatelyWhenIdle) {
  TickOutbox outbox;
  const Tick* now = outbox.Offer(MakeTick(0));
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->tick(), 0);
  EXPECT_EQ(now->coalesced_ticks(), 0);
  EXPECT_TRUE(outbox.write_in_flight());
  EXPECT_EQ(outbox.WriteDone(), nullptr);
  EXPECT_TRUE(outbox.idle());
}

TEST(TickOutboxTest, SlowReaderGetsLatestTickWithCoalescedCount) {
  TickOutbox outbox;
  ASSERT_NE(outbox.Offer(MakeTick(0)), nullptr);
  for (int n = 1; n <= 10; ++n) EXPECT_EQ(outbox.Offer(MakeTick(n)), nullptr);
  const Tick* next = outbox.WriteDone();
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->tick(), 10);
  EXPECT_DOUBLE_EQ(next->bytes_moved(), 10000.0);
  EXPECT_EQ(next->coalesced_ticks(), 9);  // ticks 1..9 folded into 10
  EXPECT_EQ(next->coalesced_ticks_total(), 9);
  EXPECT_EQ(outbox.coalesced_total(), 9);
  EXPECT_EQ(outbox.WriteDone(), nullptr);
  EXPECT_TRUE(outbox.idle());
}

TEST(TickOutboxTest, CoalescingKeepsConsequencesInOrderAndTheEpochWaterfall) {
  TickOutbox outbox;
  ASSERT_NE(outbox.Offer(MakeTick(0)), nullptr);
  Tick with_change = MakeTick(1);
  with_change.add_consequences()->set_code("storage_tier_changed");
  with_change.set_epoch_end(true);
  with_change.mutable_waterfall()->set_gpu_math_seconds(77);
  ASSERT_EQ(outbox.Offer(with_change), nullptr);
  Tick later = MakeTick(2);
  later.add_consequences()->set_code("later");
  ASSERT_EQ(outbox.Offer(later), nullptr);
  const Tick* next = outbox.WriteDone();
  ASSERT_NE(next, nullptr);
  ASSERT_EQ(next->consequences_size(), 2);
  EXPECT_EQ(next->consequences(0).code(), "storage_tier_changed");
  EXPECT_EQ(next->consequences(1).code(), "later");
  EXPECT_TRUE(next->epoch_end());
  EXPECT_DOUBLE_EQ(next->waterfall().gpu_math_seconds(), 77);
}

TEST(TickOutboxTest, CoalescingKeepsTheNewestRejectedChanges) {
  TickOutbox outbox;
  ASSERT_NE(outbox.Offer(MakeTick(0)), nullptr);
  for (int n = 1; n <= 30; ++n) {
    Tick t = MakeTick(n);
    t.add_rejected_changes()->set_message(absl::StrCat("change ", n));
    ASSERT_EQ(outbox.Offer(t), nullptr);
  }
  const Tick* next = outbox.WriteDone();
  ASSERT_NE(next, nullptr);
  ASSERT_EQ(next->rejected_changes_size(), kMaxTickRejectedChanges);
  EXPECT_EQ(next->rejected_changes(0).message(), "change 15");
  EXPECT_EQ(next->rejected_changes(kMaxTickRejectedChanges - 1).message(), "change 30");
}

TEST(TickOutboxTest, DeliveredPlusCoalescedAccountsForEveryTick) {
  TickOutbox outbox;
  int64_t delivered = 0, folded = 0;
  auto take = [&](const Tick* t) {
    if (t == nullptr) return;
    ++delivered;
    folded += t->coalesced_ticks();
  };
  for (int n = 0; n < 1000; ++n) {
    take(outbox.Offer(MakeTick(n)));
    if (n % 7 == 0) take(outbox.WriteDone());  // the reader keeps up only now and then
  }
  while (!outbox.idle()) take(outbox.WriteDone());
  EXPECT_EQ(delivered + folded, 1000);
  EXPECT_EQ(folded, outbox.coalesced_total());
  EXPECT_GT(folded, 0);
}

TEST(TickOutboxTest, OneRefilledMessageCarriesEveryTickUnchangedThroughTheSlots) {
  TickOutbox outbox;
  Tick scratch;  // refilled for every tick, as a stream does
  std::vector<int64_t> written;
  const Tick* in_flight = nullptr;
  for (int n = 0; n < 20; ++n) {
    scratch = MakeTick(n);
    // The in-flight message must not change while the next tick is offered.
    const int64_t before = in_flight ? in_flight->tick() : -1;
    const Tick* now = outbox.Offer(&scratch);
    if (in_flight != nullptr) {
      EXPECT_EQ(in_flight->tick(), before);
    }
    if (now != nullptr) in_flight = now;
    if (n % 2 == 1) {  // the reader finishes a write every other tick
      written.push_back(in_flight->tick());
      EXPECT_DOUBLE_EQ(in_flight->bytes_moved(), 1000.0 * in_flight->tick());
      in_flight = outbox.WriteDone();
    }
  }
  while (in_flight != nullptr) {
    written.push_back(in_flight->tick());
    in_flight = outbox.WriteDone();
  }
  // Ticks 2, 4, ..., 18 waited while a write was in flight and were replaced.
  EXPECT_EQ(written, (std::vector<int64_t>{0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}));
  EXPECT_EQ(outbox.coalesced_total(), 9);
  EXPECT_TRUE(outbox.idle());
}

// A client that sends lever changes but never reads: the waiting tick's
// consequences stay bounded, the newest are kept and the dropped ones counted.
TEST(TickOutboxTest, ConsequencesOfAnUnreadStreamStayBounded) {
  TickOutbox outbox;
  ASSERT_NE(outbox.Offer(MakeTick(0)), nullptr);
  constexpr int kTicks = 100, kPerTick = 5;
  for (int n = 1; n <= kTicks; ++n) {
    Tick t = MakeTick(n);
    for (int c = 0; c < kPerTick; ++c) {
      t.add_consequences()->set_code(absl::StrCat("change_", n, "_", c));
    }
    ASSERT_EQ(outbox.Offer(&t), nullptr);
  }
  const Tick* next = outbox.WriteDone();
  ASSERT_NE(next, nullptr);
  ASSERT_EQ(next->consequences_size(), kMaxTickConsequences);
  EXPECT_EQ(next->consequences(0).code(), "consequences_dropped");
  ASSERT_EQ(next->consequences(0).numbers_size(), 1);
  EXPECT_EQ(next->consequences(0).numbers(0).value(),
            kTicks * kPerTick - (kMaxTickConsequences - 1));
  EXPECT_EQ(next->consequences(kMaxTickConsequences - 1).code(),
            absl::StrCat("change_", kTicks, "_", kPerTick - 1));  // the newest survives
}

}  // namespace
}  // namespace df::factory
