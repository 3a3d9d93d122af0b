#include "services/factory_sim/server/tick_outbox.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace df::factory {
namespace {

namespace v1 = ::datafactory::factory::v1;

constexpr char kDroppedCode[] = "consequences_dropped";

// Keeps the newest kMaxTickConsequences - 1 consequences after one that counts the
// dropped ones (an earlier count among the dropped carries over).
void CapConsequences(TickOutbox::Tick* tick) {
  auto* list = tick->mutable_consequences();
  if (list->size() <= kMaxTickConsequences) return;
  const int excess = list->size() - (kMaxTickConsequences - 1);
  double dropped = 0;
  for (int i = 0; i < excess; ++i) {
    const v1::Consequence& c = list->Get(i);
    dropped += c.code() == kDroppedCode && c.numbers_size() > 0 ? c.numbers(0).value() : 1.0;
  }
  list->DeleteSubrange(0, excess);
  v1::Consequence* summary = list->Add();
  summary->set_severity(v1::SEVERITY_WARNING);
  summary->set_code(kDroppedCode);
  summary->set_message(absl::StrCat(dropped,
                                    " earlier consequence(s) dropped while the client was "
                                    "not reading: at most ",
                                    kMaxTickConsequences, " wait for it"));
  v1::Quantity* count = summary->add_numbers();
  count->set_name("dropped_consequences");
  count->set_value(dropped);
  count->set_unit("consequences");
  for (int i = list->size() - 1; i > 0; --i) list->SwapElements(i, i - 1);  // summary first
}

}  // namespace

const TickOutbox::Tick* TickOutbox::Send(Tick* tick) {
  tick->set_coalesced_ticks_total(coalesced_total_);
  in_flight_.Swap(tick);
  has_in_flight_ = true;
  return &in_flight_;
}

const TickOutbox::Tick* TickOutbox::Offer(Tick* tick) {
  CapConsequences(tick);
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
    CapConsequences(tick);
    if (old.rejected_changes_size() > 0) {
      auto merged = std::move(*old.mutable_rejected_changes());
      for (auto& r : *tick->mutable_rejected_changes()) *merged.Add() = std::move(r);
      if (merged.size() > kMaxTickRejectedChanges) {
        merged.DeleteSubrange(0, merged.size() - kMaxTickRejectedChanges);
      }
      *tick->mutable_rejected_changes() = std::move(merged);
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
