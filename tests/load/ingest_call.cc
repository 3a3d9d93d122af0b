#include "tests/load/ingest_call.h"

#include "absl/time/clock.h"

namespace df::load {

namespace pb = ::datafactory::drift::v1;

IngestCall::IngestCall(pb::DriftMonitor::Stub& stub, const std::vector<std::string>& jpegs,
                       Window steady, absl::Time deadline, absl::BlockingCounter& done)
    : jpegs_(jpegs), steady_(steady), done_(done) {
  context_.set_deadline(absl::ToChronoTime(deadline));
  stub.async()->Ingest(&context_, this);
  AddHold();  // released once every frame is written (or the call ended): see Close
  StartRead(&report_);
  StartCall();
}

void IngestCall::Enqueue(const std::string& stream_id, int camera, uint64_t sequence,
                         absl::Time due) {
  Next next = Next::kNothing;
  {
    absl::MutexLock lock(&mu_);
    if (ended_ || closing_) {
      ++tally_.not_sent;
      return;
    }
    queued_.push_back(Due{stream_id, camera, sequence, due});
    next = DecideLocked();
  }
  Do(next);
}

void IngestCall::Close() {
  Next next = Next::kNothing;
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
    next = DecideLocked();
  }
  Do(next);
}

IngestCall::Next IngestCall::DecideLocked() {
  if (writing_ || released_) return Next::kNothing;
  if (ended_) {
    tally_.not_sent += static_cast<int64_t>(queued_.size());
    queued_.clear();
    released_ = true;
    return Next::kRelease;
  }
  if (!queued_.empty()) {
    const Due& due = queued_.front();
    frame_.Clear();
    frame_.set_stream_id(due.stream_id);
    frame_.set_sequence(due.sequence);
    frame_.set_encoded(jpegs_[(static_cast<size_t>(due.camera) + due.sequence) % jpegs_.size()]);
    unanswered_.push_back(due.due);
    queued_.pop_front();
    writing_ = true;
    return Next::kWrite;
  }
  if (closing_) {
    released_ = true;
    return Next::kWritesDone;
  }
  return Next::kNothing;
}

void IngestCall::Do(Next next) {
  switch (next) {
    case Next::kWrite:
      StartWrite(&frame_);
      break;
    case Next::kWritesDone:
      StartWritesDone();
      RemoveHold();
      break;
    case Next::kRelease:
      RemoveHold();
      break;
    case Next::kNothing:
      break;
  }
}

void IngestCall::OnWriteDone(bool ok) {
  Next next = Next::kNothing;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (ok) {
      ++tally_.sent;
    } else {  // the call is over; this frame was never sent
      unanswered_.pop_back();
      ++tally_.not_sent;
      ended_ = true;
    }
    next = DecideLocked();
  }
  Do(next);
}

void IngestCall::OnReadDone(bool ok) {
  const absl::Time now = absl::Now();
  Next next = Next::kNothing;
  {
    absl::MutexLock lock(&mu_);
    if (!ok) {  // the server ended the call (after our WritesDone, or on an error)
      ended_ = true;
      next = DecideLocked();
    } else {
      ++tally_.answered;
      if (now >= steady_.begin && now < steady_.end) ++tally_.answered_in_steady_window;
      if (!unanswered_.empty()) {  // else a report nobody asked for: answered > sent shows it
        tally_.latency_ms.push_back(absl::ToDoubleMilliseconds(now - unanswered_.front()));
        unanswered_.pop_front();
      }
      if (report_.has_error()) ++tally_.frame_errors[report_.error().reason()];
    }
  }
  if (ok) {
    StartRead(&report_);
  } else {
    Do(next);
  }
}

void IngestCall::OnDone(const grpc::Status& status) {
  status_ = status;
  done_.DecrementCount();
}

}  // namespace df::load
