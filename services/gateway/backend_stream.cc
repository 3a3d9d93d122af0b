#include "services/gateway/backend_stream.h"

#include <utility>

#include "services/gateway/backend_channels.h"

namespace df::gateway {

std::shared_ptr<BackendStream> BackendStream::Start(grpc::GenericStub& stub,
                                                    const std::string& method,
                                                    std::optional<std::string> first,
                                                    bool half_close, const Limits& limits) {
  std::shared_ptr<BackendStream> stream(new BackendStream(limits));
  stream->self_ = stream;
  stub.PrepareBidiStreamingCall(&stream->context_, method, grpc::StubOptions(), stream.get());
  // The hold lets threads outside gRPC's start writes and reads until the last read.
  stream->AddHold();
  stream->StartRead(&stream->read_buffer_);
  WriteOp op = WriteOp::kNone;
  {
    absl::MutexLock lock(&stream->mu_);
    if (first.has_value()) stream->writes_.push_back(*std::move(first));
    stream->half_close_ = half_close;
    op = stream->TakeWriteLocked();
  }
  stream->Issue(op);  // operations before StartCall wait for it
  stream->StartCall();
  return stream;
}

BackendStream::WriteOp BackendStream::TakeWriteLocked() {
  if (write_in_flight_ || half_closed_) return WriteOp::kNone;
  if (writes_.empty()) {
    if (!half_close_) return WriteOp::kNone;
    write_in_flight_ = true;
    half_closed_ = true;  // nothing is ever written after it
    return WriteOp::kWritesDone;
  }
  write_buffer_ = ToByteBuffer(writes_.front());
  writes_.pop_front();
  write_in_flight_ = true;
  if (half_close_ && writes_.empty()) {
    half_closed_ = true;
    return WriteOp::kWriteLast;
  }
  return WriteOp::kWrite;
}

void BackendStream::Issue(WriteOp op) {
  switch (op) {
    case WriteOp::kNone:
      return;
    case WriteOp::kWrite:
      StartWrite(&write_buffer_);
      return;
    case WriteOp::kWriteLast:
      StartWriteLast(&write_buffer_, grpc::WriteOptions());
      return;
    case WriteOp::kWritesDone:
      StartWritesDone();
      return;
  }
}

bool BackendStream::BeginOpLocked() {
  if (hold_released_ || release_wanted_) return false;
  ++ops_starting_;
  return true;
}

void BackendStream::EndOp() {
  bool release = false;
  {
    absl::MutexLock lock(&mu_);
    --ops_starting_;
    release = release_wanted_ && ops_starting_ == 0 && !hold_released_;
    if (release) hold_released_ = true;
  }
  if (release) RemoveHold();
}

void BackendStream::ReleaseHold() {
  {
    absl::MutexLock lock(&mu_);
    if (hold_released_ || release_wanted_) return;
    writes_.clear();
    if (ops_starting_ > 0) {
      release_wanted_ = true;  // the last EndOp() releases it
      return;
    }
    hold_released_ = true;
  }
  RemoveHold();  // may run OnDone on this thread: mu_ is not held
}

absl::Status BackendStream::Write(std::string bytes) {
  WriteOp op = WriteOp::kNone;
  {
    absl::MutexLock lock(&mu_);
    if (end_.has_value() || hold_released_ || release_wanted_) {
      return absl::FailedPreconditionError("the call has ended");
    }
    if (half_close_) return absl::FailedPreconditionError("this call takes no more requests");
    if (writes_.size() >= limits_.max_queued_writes) {
      return absl::ResourceExhaustedError(
          "the backend has not taken the previous requests yet; retry when they are answered");
    }
    writes_.push_back(std::move(bytes));
    if (write_in_flight_ || !BeginOpLocked()) return absl::OkStatus();
    op = TakeWriteLocked();
  }
  Issue(op);
  EndOp();
  return absl::OkStatus();
}

void BackendStream::OnWriteDone(bool ok) {
  WriteOp op = WriteOp::kNone;
  {
    absl::MutexLock lock(&mu_);
    write_in_flight_ = false;
    if (!ok) {
      writes_.clear();  // the call is ending; its status says why
      return;
    }
    // OnDone cannot run during a reaction: the next write may start whatever the hold.
    op = TakeWriteLocked();
  }
  Issue(op);
}

void BackendStream::OnReadDone(bool ok) {
  if (!ok) {
    ReleaseHold();
    return;
  }
  bool read_more = false;
  {
    absl::MutexLock lock(&mu_);
    responses_.push_back(FromByteBuffer(read_buffer_));
    read_more = responses_.size() < limits_.max_queued_responses;
    reads_paused_ = !read_more;
  }
  if (read_more) StartRead(&read_buffer_);
}

void BackendStream::OnDone(const grpc::Status& status) {
  std::shared_ptr<BackendStream> keep = std::move(self_);  // released when this returns
  absl::MutexLock lock(&mu_);
  end_ = FromGrpcStatus(status);
}

BackendStream::Next BackendStream::WaitNext(absl::Duration timeout) {
  Next next;
  bool resume_reading = false;
  {
    absl::MutexLock lock(&mu_);
    auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !responses_.empty() || end_.has_value();
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
    if (!responses_.empty()) {
      next.message = std::move(responses_.front());
      responses_.pop_front();
      if (reads_paused_ && BeginOpLocked()) {
        reads_paused_ = false;
        resume_reading = true;
      }
    } else if (end_.has_value()) {
      next.end = *end_;
    }
  }
  if (resume_reading) {
    StartRead(&read_buffer_);
    EndOp();
  }
  return next;
}

void BackendStream::Cancel() {
  context_.TryCancel();
  bool paused = false;
  {
    absl::MutexLock lock(&mu_);
    paused = reads_paused_;
  }
  // A paused stream has no read to fail: the hold goes here, or OnDone never runs.
  if (paused) ReleaseHold();
}

}  // namespace df::gateway
