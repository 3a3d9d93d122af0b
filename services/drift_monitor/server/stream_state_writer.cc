#include "services/drift_monitor/server/stream_state_writer.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <iostream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/frame_validation.h"
#include "services/drift_monitor/core/stream_detector.h"

namespace df::drift {

StreamStateWriter::StreamStateWriter(std::unique_ptr<StreamStateStore> store,
                                     prometheus::Registry& metrics, Options options)
    : store_(std::move(store)),
      options_(options),
      damaged_(prometheus::BuildCounter()
                   .Name("drift_monitor_state_records_damaged_total")
                   .Help("Stored stream states found damaged at start (moved aside; the "
                         "stream started fresh)")
                   .Register(metrics)
                   .Add({})),
      writes_(prometheus::BuildCounter()
                  .Name("drift_monitor_state_writes_total")
                  .Help("Stream state saves and removals by result")
                  .Register(metrics)),
      writes_ok_(writes_.Add({{"result", "ok"}})),
      writes_failed_(writes_.Add({{"result", "error"}})),
      pending_gauge_(prometheus::BuildGauge()
                         .Name("drift_monitor_state_writes_pending")
                         .Help("Stream state saves and removals waiting for the store")
                         .Register(metrics)
                         .Add({})),
      thread_([this] { Run(); }) {}

StreamStateWriter::~StreamStateWriter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::StatusOr<size_t> StreamStateWriter::RestoreInto(StreamRegistry& registry, absl::Time now) {
  absl::StatusOr<LoadedStreamStates> loaded = store_->LoadAll();
  if (!loaded.ok()) return loaded.status();
  for (const DamagedStreamState& d : loaded->damaged) {
    std::cerr << "drift-monitor: damaged stream state " << d.where << ": " << d.reason
              << (d.moved_to.empty() ? " (could not be moved aside)"
                                     : absl::StrCat(" (kept as ", d.moved_to, ")"))
              << "; the stream starts fresh\n";
    damaged_.Increment();
  }
  size_t restored = 0;
  for (const StreamSnapshot& snapshot : loaded->streams) {
    // Both checked by the store (ReadStreamStateRecord); a failure here is a bug.
    absl::StatusOr<StreamId> id = StreamId::Parse(snapshot.stream_id);
    absl::StatusOr<std::unique_ptr<StreamDetector>> detector =
        StreamDetector::Restore(snapshot.detector);
    absl::Status added = !id.ok() ? id.status()
                         : !detector.ok()
                             ? detector.status()
                             : registry.Restore(*id, *std::move(detector), now).status();
    if (!added.ok()) {
      std::cerr << "drift-monitor: stream state of '" << snapshot.stream_id
                << "' not restored: " << added.message() << "\n";
      continue;
    }
    ++restored;
  }
  return restored;
}

void StreamStateWriter::Enqueue(const std::string& id, Pending pending) {
  auto [it, inserted] = pending_.insert_or_assign(id, std::move(pending));
  if (inserted) order_.push_back(id);
  pending_gauge_.Set(static_cast<double>(pending_.size()));
}

void StreamStateWriter::StreamChanged(std::shared_ptr<Stream> stream) {
  absl::MutexLock lock(&mu_);
  // An expired stream's removal is queued (or done) already; checked under mu_,
  // which StreamRemoved takes after `expired` is set, so a save can never replace
  // the removal of its own stream.
  if (stream->expired) return;
  const std::string id = stream->id;
  Enqueue(id, {std::move(stream)});
}

void StreamStateWriter::StreamRemoved(const std::string& stream_id) {
  absl::MutexLock lock(&mu_);
  Enqueue(stream_id, {nullptr});
}

absl::Status StreamStateWriter::Apply(const std::string& id, const Pending& pending) {
  if (pending.stream == nullptr) return store_->Remove(id);
  StreamSnapshot snapshot{id, {}};
  {
    absl::MutexLock lock(&pending.stream->mu);
    // Expired after it was queued: its removal follows in the queue.
    if (pending.stream->expired) return absl::OkStatus();
    snapshot.detector = pending.stream->detector->Snapshot();
  }
  return store_->Save(snapshot);
}

void StreamStateWriter::Run() {
  auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stopping_ || !order_.empty(); };
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(&ready));
    if (order_.empty()) return;  // stopping, nothing left
    const std::string id = std::move(order_.front());
    order_.pop_front();
    Pending pending = std::move(pending_.at(id));
    pending_.erase(id);
    pending_gauge_.Set(static_cast<double>(pending_.size()));
    busy_ = true;
    mu_.Unlock();
    const absl::Status status = Apply(id, pending);
    mu_.Lock();
    busy_ = false;
    if (status.ok()) {
      writes_ok_.Increment();
      continue;
    }
    writes_failed_.Increment();
    std::cerr << "drift-monitor: saving the state of stream '" << id
              << "' failed: " << status.message() << (stopping_ ? "" : "; retrying") << "\n";
    if (stopping_) continue;  // each pending operation is tried once at shutdown
    if (!pending_.contains(id)) Enqueue(id, std::move(pending));
    // Wait before the retry (shutdown ends the wait early).
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.retry_delay);
  }
}

void StreamStateWriter::WaitUntilIdle() {
  auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return order_.empty() && !busy_; };
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&idle));
}

}  // namespace df::drift
