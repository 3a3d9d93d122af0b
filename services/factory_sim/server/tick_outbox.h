// TickOutbox: what a telemetry stream holds between ticks and writes, so that a
// slow client never makes the server buffer more than one message.
//
// One write is in flight at a time. A tick offered while a write is in flight
// waits in a single slot; a newer tick replaces it and the replaced one is
// counted as coalesced. Nothing a student must see is lost by coalescing: the
// replacement carries the replaced tick's consequences and rejected changes (the
// newest kMaxTickRejectedChanges; their warnings stay in the consequences), its
// epoch-end waterfall (unless it has its own) and the count of ticks it stands for. Consequences
// are bounded too: a message holds at most kMaxTickConsequences; beyond that the oldest are dropped
// and one "consequences_dropped" consequence, first in the list, counts them (a client that sends
// changes but never reads cannot grow it).
//
// Usage (from a reactor, under its lock):
//   if (auto msg = outbox.Offer(&tick)) StartWrite(msg);  // else queued/coalesced
//   ...OnWriteDone: if (auto msg = outbox.WriteDone()) StartWrite(msg);
//
// Messages move in and out by Swap, so a stream that refills the message it
// gets back from Offer(Tick*) reuses the same few allocations for every tick.
//
// Not thread-safe; the owner serialises calls. Returned pointers stay valid
// until the next WriteDone().
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TICK_OUTBOX_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TICK_OUTBOX_H_

#include <cstdint>

#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory {

inline constexpr int kMaxTickConsequences = 64;
inline constexpr int kMaxTickRejectedChanges = 16;

class TickOutbox {
 public:
  using Tick = ::datafactory::factory::v1::TelemetryTick;

  // Returns the message to write now, or nullptr when a write is in flight (the
  // tick then waits, replacing and coalescing any tick already waiting).
  // Takes the contents of `*tick` and leaves in it an old message (a written or
  // replaced one, or an empty one) whose fields the caller must all overwrite
  // before offering it again.
  const Tick* Offer(Tick* tick);
  const Tick* Offer(Tick tick) { return Offer(&tick); }
  // The in-flight write finished; returns the waiting message to write next.
  const Tick* WriteDone();

  bool write_in_flight() const { return has_in_flight_; }
  bool idle() const { return !has_in_flight_ && !has_waiting_; }
  int64_t coalesced_total() const { return coalesced_total_; }

 private:
  const Tick* Send(Tick* tick);

  Tick in_flight_;  // meaningful while has_in_flight_
  Tick waiting_;    // meaningful while has_waiting_
  bool has_in_flight_ = false;
  bool has_waiting_ = false;
  int64_t coalesced_total_ = 0;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_TICK_OUTBOX_H_
