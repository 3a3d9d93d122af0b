#include "services/drift_monitor/server/ingest_reactor.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/server/proto_convert.h"

namespace df::drift {

IngestReactor::IngestReactor(IngestShared& shared) : shared_(shared), flow_(shared.pool.NewFlow()) {
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    last_frame_time_ = Now();
    act = NextActionsLocked();
  }
  shared_.calls.Add(this);
  Perform(act);
}

void IngestReactor::OnReadDone(bool ok) {
  // incoming_ stays this reaction's until the next StartRead, which only the
  // actions below start: the message is parsed before the call's lock is taken.
  std::optional<ReadFrame> read;
  if (ok) read = ParseIncoming();
  Actions act;
  {
    absl::MutexLock lock(&mu_);
    reading_ = false;
    if (!ok) {
      reads_done_ = true;
    } else if (!finished_) {  // else closed while this frame arrived: dropped
      last_frame_time_ = Now();
      SubmitLocked(*std::move(read));
    }
    act = NextActionsLocked();
  }
  Perform(act);
}

IngestReactor::ReadFrame IngestReactor::ParseIncoming() {
  ReadFrame read;
  read.bytes = static_cast<int64_t>(incoming_.Length());
  read.frame = std::make_shared<wire::FrameWire>();
  read.parsed = ParseFrameWire(incoming_, read.frame.get());
  incoming_.Clear();
  read.input = FrameInputFromWire(*read.frame);
  // The header says what decoding will cost before it starts.
  read.heavy = read.parsed && shared_.pipeline.DecodedPixels(read.input) >= kHeavyFramePixels;
  return read;
}

void IngestReactor::SubmitLocked(ReadFrame read) {
  const uint64_t seq = next_read_seq_++;
  shared_.budget.Acquire(read.bytes);
  shared_.metrics.FrameBytesRead(read.bytes);
  ++in_flight_;
  const bool heavy = read.heavy;
  shared_.pool.Submit(
      flow_,
      [this, read = std::move(read), seq]() mutable {
        ExtractedFrame extracted{MalformedFrameRejection(), absl::ZeroDuration()};
        // A cancelled call's frames are not decoded: nobody reads their reports.
        if (read.parsed && !cancelled_.load(std::memory_order_relaxed)) {
          extracted = shared_.pipeline.Extract(read.input);
        }
        OnExtracted(seq, Done{std::move(read.frame), std::move(read.input), read.bytes,
                              std::move(extracted)});
      },
      heavy);
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

void IngestReactor::OnCancel() {
  cancelled_.store(true, std::memory_order_relaxed);
  shared_.metrics.IngestCallCancelled();
  // The slot is free now; what is still queued drains without decoding.
  EndCallOnce();
}

void IngestReactor::OnDone() {
  shared_.calls.Remove(this);
  shared_.pool.EndFlow(flow_);
  EndCallOnce();
  delete this;
}

void IngestReactor::EndCallOnce() {
  if (call_ended_.exchange(true)) return;
  shared_.budget.EndCall();
  shared_.metrics.IngestCallEnded();
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
    std::optional<grpc::ByteBuffer> report;
    if (!cancelled_.load(std::memory_order_relaxed)) {
      const FrameOutcome outcome = shared_.pipeline.Apply(next.input, std::move(next.extracted));
      shared_.metrics.RecordFrame(outcome);
      report =
          SerializeReport(ToReport(ReportStreamId(*next.frame), next.frame->sequence(), outcome));
    }
    mu_.Lock();
    if (report.has_value() && !write_failed_) pending_writes_.push_back(*std::move(report));
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
  DriftMetrics& metrics = shared_.metrics;
  IngestBudget& budget = shared_.budget;
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

bool IngestReactor::MarkIdle(absl::Time now) {
  absl::MutexLock lock(&mu_);
  // Idle: waiting on the client (a read outstanding), nothing of ours pending.
  const bool idle = !finished_ && reading_ && !reads_done_ && in_flight_ == 0 && !writing_ &&
                    pending_writes_.empty() && now - last_frame_time_ >= shared_.idle_timeout;
  if (idle) finished_ = true;
  return idle;
}

void IngestReactor::FinishIdle() {
  shared_.metrics.IngestCallIdleClosed();
  // The outstanding read then completes with ok = false.
  Finish(grpc::Status(
      grpc::StatusCode::UNAVAILABLE,
      absl::StrCat("no frame received for ", absl::FormatDuration(shared_.idle_timeout),
                   " (--ingest_idle_timeout): call closed; open a new one")));
}

IngestReactor::Actions IngestReactor::NextActionsLocked() {
  Actions act;
  if (finished_) return act;
  if (!writing_ && !pending_writes_.empty()) {
    current_write_.Swap(&pending_writes_.front());  // ByteBuffer has no move assignment
    pending_writes_.pop_front();
    writing_ = true;
    act.write = &current_write_;
  }
  const size_t buffered = static_cast<size_t>(in_flight_) + pending_writes_.size();
  if (!reads_done_ && !reading_ && !waiting_for_budget_ && buffered < kMaxFramesInFlight) {
    // Not finished while waiting (reads are not done), so `this` stays valid.
    if (shared_.budget.ReadAllowedOrWait([this] { OnBudget(); })) {
      reading_ = true;
      act.read = true;
    } else {
      waiting_for_budget_ = true;
      shared_.metrics.IngestReadPaused();
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

void OpenIngestCalls::Add(IngestReactor* call) {
  absl::MutexLock lock(&mu_);
  calls_.insert(call);
}

void OpenIngestCalls::Remove(IngestReactor* call) {
  absl::MutexLock lock(&mu_);
  calls_.erase(call);
}

int OpenIngestCalls::CloseIdle(absl::Time now) {
  std::vector<IngestReactor*> idle;
  {
    absl::MutexLock lock(&mu_);
    for (IngestReactor* call : calls_) {
      if (call->MarkIdle(now)) idle.push_back(call);
    }
  }
  // A call marked idle cannot reach OnDone (nor be deleted) before its Finish,
  // which only this loop calls; Finish may run reactions inline, so no lock here.
  for (IngestReactor* call : idle) call->FinishIdle();
  return static_cast<int>(idle.size());
}

size_t OpenIngestCalls::size() const {
  absl::MutexLock lock(&mu_);
  return calls_.size();
}

}  // namespace df::drift
