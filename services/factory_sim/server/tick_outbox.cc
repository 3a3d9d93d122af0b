#include "services/factory_sim/server/tick_outbox.h"

#include <utility>

namespace df::factory {

const TickOutbox::Tick* TickOutbox::Send(Tick tick) {
  tick.set_coalesced_ticks_total(coalesced_total_);
  in_flight_ = std::move(tick);
  return &*in_flight_;
}

const TickOutbox::Tick* TickOutbox::Offer(Tick tick) {
  if (!in_flight_) return Send(std::move(tick));
  if (waiting_) {
    // `tick` replaces the waiting one and stands for it (and for whatever that
    // one already stood for).
    Tick& old = *waiting_;
    const int64_t folded = 1 + old.coalesced_ticks();
    tick.set_coalesced_ticks(tick.coalesced_ticks() + folded);
    coalesced_total_ += 1;
    if (old.consequences_size() > 0) {
      google::protobuf::RepeatedPtrField<::datafactory::factory::v1::Consequence> merged =
          std::move(*old.mutable_consequences());
      for (auto& c : *tick.mutable_consequences()) *merged.Add() = std::move(c);
      *tick.mutable_consequences() = std::move(merged);
    }
    if (old.epoch_end() && !tick.has_waterfall() && old.has_waterfall()) {
      *tick.mutable_waterfall() = std::move(*old.mutable_waterfall());
    }
    if (old.epoch_end()) tick.set_epoch_end(true);
  }
  waiting_ = std::move(tick);
  return nullptr;
}

const TickOutbox::Tick* TickOutbox::WriteDone() {
  in_flight_.reset();
  if (!waiting_) return nullptr;
  Tick next = std::move(*waiting_);
  waiting_.reset();
  return Send(std::move(next));
}

}  // namespace df::factory
