// RejectedChanges: the "lever change rejected" consequences a live run owes its
// next tick, bounded.
//
// A client can send lever changes faster than ticks go out; each rejected one
// becomes, on the next tick, a RejectedChange (its google.rpc.Code, message and
// settings) and a "lever_change_rejected" warning consequence. Only the latest
// kMaxRejectedChangesPerTick are kept; older ones are dropped and the next tick
// carries one "lever_changes_dropped" consequence saying how many.
//
// Usage:
//   RejectedChanges pending;
//   pending.Add(status, change.set());  // on each rejected change
//   pending.MoveInto(&tick);            // when the next tick is built
//
// Thread-safety: none; the owning reactor serialises calls under its mutex.
// Failure behaviour: none (bounded memory, never fails).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_REJECTED_CHANGES_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_REJECTED_CHANGES_H_

#include <cstdint>
#include <deque>

#include "absl/status/status.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

inline constexpr size_t kMaxRejectedChangesPerTick = 16;

class RejectedChanges {
 public:
  // Records a rejected change (`why` names the bad lever and its range; `settings` are the
  // change's "name=value" strings as sent).
  void Add(const absl::Status& why,
           const google::protobuf::RepeatedPtrField<std::string>& settings = {});
  // Appends the pending consequences (and the dropped count, if any) to `tick`
  // and forgets them.
  void MoveInto(::datafactory::factory::v1::TelemetryTick* tick);

  size_t pending() const { return pending_.size(); }
  int64_t dropped() const { return dropped_; }

 private:
  std::deque<::datafactory::factory::v1::RejectedChange> pending_;
  int64_t dropped_ = 0;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_REJECTED_CHANGES_H_
