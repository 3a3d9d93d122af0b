#include "services/drift_monitor/server/ingest_reactor.h"

#include <utility>

#include "services/drift_monitor/server/proto_convert.h"

namespace df::drift {

IngestReactor::IngestReactor(FramePipeline& pipeline, WorkerPool& pool, IngestBudget& budget,
                             DriftMetrics& metrics)
    : pipeline_(pipeline), pool_(pool), budget_(budget), metrics_(metrics) {
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    act = NextActionsLocked();
  }
  Perform(act);
}

void IngestReactor::OnReadDone(bool ok) {
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok) {
      reads_done_ = true;
    } else {
      auto frame = std::make_shared<pb::Frame>(std::move(incoming_));
      incoming_.Clear();
      const uint64_t seq = next_read_seq_++;
      const auto bytes = static_cast<int64_t>(frame->ByteSizeLong());
      budget_.Acquire(bytes);
      metrics_.FrameBytesRead(bytes);
      ++in_flight_;
      pool_.Submit([this, frame, seq, bytes] {
        FrameInput input = FrameInputFromProto(*frame);  // views into *frame
        ExtractedFrame extracted = pipeline_.Extract(input);
        OnExtracted(seq, Done{frame, std::move(input), bytes, std::move(extracted)});
      });
    }
    act = NextActionsLocked();
  }
  Perform(act);
}

void IngestReactor::OnWriteDone(bool ok) {
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      write_failed_ = true;
      pending_writes_.clear();
    }
    act = NextActionsLocked();
  }
  Perform(act);
}

void IngestReactor::OnDone() {
  budget_.EndCall();
  metrics_.IngestCallEnded();
  delete this;
}

void IngestReactor::OnExtracted(uint64_t seq, Done done) {
  Actions act;
  int64_t released_bytes = 0;
  mu_.Lock();
  done_.emplace(seq, std::move(done));
  if (applying_) {  // the applying worker picks this frame up in order
    mu_.Unlock();
    return;
  }
  // Apply in arrival order, so a stream's windows see its frames in order. One
  // worker applies at a time, without holding mu_: Apply may wait for the
  // stream's lock and run its detector, and the reactions (OnReadDone,
  // OnWriteDone) must not wait for that.
  applying_ = true;
  for (auto it = done_.find(next_apply_seq_); it != done_.end(); it = done_.find(next_apply_seq_)) {
    Done next = std::move(it->second);
    done_.erase(it);
    mu_.Unlock();
    const FrameOutcome outcome = pipeline_.Apply(next.input, std::move(next.extracted));
    metrics_.RecordFrame(outcome);
    pb::DriftReport report = ToReport(*next.frame, outcome);
    mu_.Lock();
    if (!write_failed_) pending_writes_.push_back(std::move(report));
    released_bytes += next.bytes;
    ++next_apply_seq_;
    --in_flight_;
  }
  applying_ = false;
  // The budget still counts these bytes, so a read this computes may be
  // refused and resumed by the Release below.
  act = NextActionsLocked();
  // Once mu_ is released, another thread may finish the call and delete `this`
  // (when `act` is empty because a write is in flight): only locals from here,
  // except Perform(act), which only touches `this` when it has something to do.
  DriftMetrics& metrics = metrics_;
  IngestBudget& budget = budget_;
  mu_.Unlock();
  // Outside mu_ (Release may run resume callbacks, this reactor's included).
  if (released_bytes > 0) {
    metrics.FrameBytesReleased(released_bytes);
    budget.Release(released_bytes);
  }
  Perform(act);
}

void IngestReactor::OnBudget() {
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    waiting_for_budget_ = false;
    act = NextActionsLocked();
  }
  Perform(act);
}

IngestReactor::Actions IngestReactor::NextActionsLocked() {
  Actions act;
  if (finished_) return act;
  if (!writing_ && !pending_writes_.empty()) {
    current_write_ = std::move(pending_writes_.front());
    pending_writes_.pop_front();
    writing_ = true;
    act.write = &current_write_;
  }
  const size_t buffered = static_cast<size_t>(in_flight_) + pending_writes_.size();
  if (!reads_done_ && !reading_ && !waiting_for_budget_ && buffered < kMaxFramesInFlight) {
    // Not finished while waiting (reads are not done), so `this` stays valid.
    if (budget_.ReadAllowedOrWait([this] { OnBudget(); })) {
      reading_ = true;
      act.read = true;
    } else {
      waiting_for_budget_ = true;
      metrics_.IngestReadPaused();
    }
  }
  if (reads_done_ && in_flight_ == 0 && !writing_ && pending_writes_.empty()) {
    finished_ = true;
    act.finish = true;
  }
  return act;
}

void IngestReactor::Perform(const Actions& act) {
  if (act.write != nullptr) StartWrite(act.write);
  if (act.read) StartRead(&incoming_);
  if (act.finish) Finish(grpc::Status::OK);
}

}  // namespace df::drift
