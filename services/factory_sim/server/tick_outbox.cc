#include "services/factory_sim/server/tick_outbox.h"

#include <utility>

namespace df::factory {

const TickOutbox::Tick* TickOutbox::Send(Tick* tick) {
  tick->set_coalesced_ticks_total(coalesced_total_);
  in_flight_.Swap(tick);
  has_in_flight_ = true;
  return &in_flight_;
}

const TickOutbox::Tick* TickOutbox::Offer(Tick* tick) {
  if (!has_in_flight_) return Send(tick);
  if (has_waiting_) {
    // `tick` replaces the waiting one and stands for it (and for whatever that
    // one already stood for).
    Tick& old = waiting_;
    const int64_t folded = 1 + old.coalesced_ticks();
    tick->set_coalesced_ticks(tick->coalesced_ticks() + folded);
    coalesced_total_ += 1;
    if (old.consequences_size() > 0) {
      google::protobuf::RepeatedPtrField<::datafactory::factory::v1::Consequence> merged =
          std::move(*old.mutable_consequences());
      for (auto& c : *tick->mutable_consequences()) *merged.Add() = std::move(c);
      *tick->mutable_consequences() = std::move(merged);
    }
    if (old.epoch_end() && !tick->has_waterfall() && old.has_waterfall()) {
      *tick->mutable_waterfall() = std::move(*old.mutable_waterfall());
    }
    if (old.epoch_end()) tick->set_epoch_end(true);
  }
  waiting_.Swap(tick);
  has_waiting_ = true;
  return nullptr;
}

const TickOutbox::Tick* TickOutbox::WriteDone() {
  has_in_flight_ = false;
  if (!has_waiting_) return nullptr;
  has_waiting_ = false;
  return Send(&waiting_);
}

}  // namespace df::factory
