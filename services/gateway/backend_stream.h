// BackendStream: one open gRPC streaming call to a backend, bridged to threads that
// block (the HTTP server's): requests are queued and written in order, responses are
// queued until a reader takes them, and the call's final status is kept.
//
// Any streaming kind works, since every gRPC call is a stream on the wire: a
// server-streaming call is started with its one request and `half_close`.
//
// Usage:
//   auto stream = BackendStream::Start(stub, "/datafactory.factory.v1.FactorySim/LiveRun",
//                                      first_request_bytes, /*half_close=*/false, {});
//   stream->Write(change_bytes);                       // from any thread
//   BackendStream::Next next = stream->WaitNext(absl::Seconds(1));
//   if (next.message) ...; else if (next.end) ... (the call is over) ...
//   stream->Cancel();
//
// Back-pressure: at most `max_queued_writes` requests wait (Write() is then
// RESOURCE_EXHAUSTED); once `max_queued_responses` responses wait, the stream stops
// reading, so gRPC flow control slows the backend (factory-sim coalesces ticks).
// Thread-safety: Write, WaitNext and Cancel may be called from any thread, at once.
// Failure: Write() after the call ended or was half-closed is FAILED_PRECONDITION;
// the call's own status (the backend's code and message) is the `end` of WaitNext.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_BACKEND_STREAM_H_
#define DATA_FACTORY_SERVICES_GATEWAY_BACKEND_STREAM_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace df::gateway {

class BackendStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  struct Limits {
    size_t max_queued_writes = 8;
    size_t max_queued_responses = 64;
  };
  struct Next {
    std::optional<std::string> message;  // a response's bytes
    std::optional<absl::Status> end;     // the call is over (OK or its error)
  };                                     // both empty: the wait timed out

  static std::shared_ptr<BackendStream> Start(grpc::GenericStub& stub, const std::string& method,
                                              std::optional<std::string> first, bool half_close,
                                              const Limits& limits);

  [[nodiscard]] absl::Status Write(std::string bytes);
  Next WaitNext(absl::Duration timeout);
  void Cancel();

  // grpc::ClientBidiReactor reactions.
  void OnWriteDone(bool ok) override;
  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

 private:
  enum class WriteOp { kNone, kWrite, kWriteLast, kWritesDone };

  explicit BackendStream(const Limits& limits) : limits_(limits) {}
  // The next write to issue (its bytes moved into write_buffer_), or kNone when one
  // is in flight or nothing waits. Marks it in flight.
  WriteOp TakeWriteLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Issue(WriteOp op);  // without mu_: a reaction may run inline
  // Operations started outside reactions happen between BeginOpLocked() (false once
  // the hold is going) and EndOp(), so the hold cannot go while one is starting.
  bool BeginOpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndOp();
  // Ends this side's hold (after the last read) so that OnDone can run.
  void ReleaseHold();

  const Limits limits_;
  grpc::ClientContext context_;
  grpc::ByteBuffer read_buffer_;         // owned by the one read in flight
  grpc::ByteBuffer write_buffer_;        // owned by the one write in flight
  std::shared_ptr<BackendStream> self_;  // keeps the reactor alive until OnDone

  absl::Mutex mu_;
  std::deque<std::string> writes_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> responses_ ABSL_GUARDED_BY(mu_);
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool half_close_ ABSL_GUARDED_BY(mu_) = false;   // no write after the queued ones
  bool half_closed_ ABSL_GUARDED_BY(mu_) = false;  // the last write or WritesDone started
  bool reads_paused_ ABSL_GUARDED_BY(mu_) = false;
  bool hold_released_ ABSL_GUARDED_BY(mu_) = false;
  bool release_wanted_ ABSL_GUARDED_BY(mu_) = false;  // once ops_starting_ is 0
  int ops_starting_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<absl::Status> end_ ABSL_GUARDED_BY(mu_);
};

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_BACKEND_STREAM_H_
