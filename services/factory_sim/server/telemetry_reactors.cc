#include "services/factory_sim/server/telemetry_reactors.h"

#include <grpcpp/alarm.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "services/common/grpc_status.h"
#include "services/factory_sim/server/factory_sim_service.h"
#include "services/factory_sim/server/paced_run.h"
#include "services/factory_sim/server/proto_convert.h"
#include "services/factory_sim/server/rejected_changes.h"
#include "services/factory_sim/server/tick_outbox.h"

namespace df::factory {

using ::df::server::ToGrpcStatus;
namespace {

// The shared life of a telemetry stream; `Base` is the gRPC reactor type.
// Lock order: only `mu_`; gRPC and the alarm never call back synchronously
// from the calls made under it.
//
// Writes are started outside `mu_` (a write's completion may run on another
// thread before the starting call returns; it must not wait for the lock), and
// the reactor is not touched after StartWrite: its OnDone may already have
// deleted it. So that no write can start after Finish, Finish is sent only
// when no write is in flight; a finish decided during a write is sent from
// that write's OnWriteDone.
template <class Base>
class TelemetryReactor : public Base {
 public:
  explicit TelemetryReactor(FactorySimService* service) : service_(service) {}

  void OnWriteDone(bool ok) override {
    Write write;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {  // the stream is broken (client gone); OnCancel follows
        FinishLocked(absl::CancelledError("client stopped reading"));
      }
      if (finished_) return SendFinishLocked();  // decided while the write was in flight
      if (const v1::TelemetryTick* next = outbox_.WriteDone()) {
        write = PrepareWriteLocked(next);
      } else if (run_over_) {
        FinishLocked(absl::OkStatus());
      } else if (unpaced_) {
        write = TickLocked();  // the client took the last tick: compute the next one now
      }
    }
    StartPreparedWrite(write);
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    FinishLocked(absl::CancelledError("telemetry stream cancelled"));
  }

  void OnDone() override {
    bool remove = false;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      remove = !alarm_pending_;
    }
    if (remove) delete this;
  }

 protected:
  ~TelemetryReactor() override {
    if (run_started_) service_->RunEnded();
  }

  // Validates the start request and starts ticking. On error the RPC is finished.
  void BeginLocked(const v1::StreamTelemetryRequest& start) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    session_id_ = start.session_id();
    if (!session_id_.empty()) {
      if (absl::Status valid = ValidateSessionId(session_id_); !valid.ok()) {
        return FinishLocked(valid);
      }
    }
    absl::StatusOr<Pace> pace = FromProto(start.pace());
    if (!pace.ok()) return FinishLocked(pace.status());
    // Admitted before the run is built, so a server at its cap refuses cheaply;
    // the destructor ends the admission whatever happens next.
    if (absl::Status admitted = service_->RunStarted(); !admitted.ok()) {
      return FinishLocked(admitted);
    }
    run_started_ = true;
    std::optional<v1::Levers> session_levers;
    if (!session_id_.empty()) session_levers = service_->audit_trail().LatestLevers(session_id_);
    absl::StatusOr<LeverSelection> selection = FromProto(start.selection(), session_levers);
    if (!selection.ok()) return FinishLocked(selection.status());
    absl::StatusOr<PacedRun> run = PacedRun::Start(*selection, *pace);
    if (!run.ok()) return FinishLocked(run.status());
    run_.emplace(*std::move(run));
    tick_interval_ = std::chrono::milliseconds(pace->tick_interval_ms);
    unpaced_ = pace->tick_interval_ms == 0;
    Record("telemetry", run_->levers(), start.selection().set(), {});
    ScheduleTickLocked();  // unpaced too: the first tick comes from an immediate alarm
  }

  // A mid-run lever change: applied from the next tick, or reported as rejected
  // (bounded: RejectedChanges). Once the run is complete nothing is applied or
  // recorded; returns whether further changes can still be accepted.
  bool ChangeLocked(const v1::LeverChange& change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (run_over_ || run_->complete()) return false;
    absl::StatusOr<std::vector<Consequence>> explained = Change(change);
    if (!explained.ok()) {
      rejected_changes_.Add(explained.status(), change.set());
      return true;
    }
    Record("live_change", run_->levers(), change.set(), *explained);
    return true;
  }

  // Ends the run with `status` (the first status decided wins); the RPC's
  // Finish is sent now, or when the write in flight completes.
  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    finish_status_ = ToGrpcStatus(status);
    if (alarm_pending_) alarm_->Cancel();  // its callback runs later, with ok=false
    SendFinishLocked();
  }

  bool has_run() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return run_.has_value(); }
  bool finished() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return finished_; }

  absl::Mutex mu_;

 private:
  // The change converted once and applied to the run.
  absl::StatusOr<std::vector<Consequence>> Change(const v1::LeverChange& change)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::StatusOr<LeverSelection> selection = FromProto(change, run_->levers());
    if (!selection.ok()) return selection.status();
    return run_->ChangeLevers(*selection);
  }

  void Record(const std::string& origin, const Levers& levers,
              const google::protobuf::RepeatedPtrField<std::string>& settings,
              const std::vector<Consequence>& consequences) {
    if (session_id_.empty()) return;
    AuditEntry entry;
    v1::LeversRecorded* recorded = entry.mutable_levers();
    recorded->set_origin(origin);
    *recorded->mutable_levers() = ToProto(levers);
    *recorded->mutable_set() = settings;
    for (const Consequence& c : consequences) *recorded->add_consequences() = ToProto(c);
    service_->audit_trail().Append(session_id_, std::move(entry), nullptr);
  }

  void ScheduleTickLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // A fresh alarm per tick; the previous one (whose callback may be running
    // this very call) is refcounted inside gRPC, so replacing it is safe.
    alarm_ = std::make_unique<grpc::Alarm>();
    alarm_pending_ = true;
    alarm_->Set(std::chrono::system_clock::now() + tick_interval_,
                [this](bool ok) { OnAlarm(ok); });
  }

  // A write decided under `mu_`, started after it is released. The tick stays
  // valid until the write completes (TickOutbox keeps the in-flight message).
  struct Write {
    const v1::TelemetryTick* tick = nullptr;
    v1::Persona persona = v1::PERSONA_UNSPECIFIED;
    double bytes_moved_delta = 0;
    double dollars_spent_delta = 0;
  };

  void OnAlarm(bool ok) {
    bool remove = false;
    Write write;
    {
      absl::MutexLock lock(&mu_);
      alarm_pending_ = false;
      if (done_) {
        remove = true;  // OnDone ran before this last alarm callback
      } else if (ok && !finished_) {
        write = TickLocked();
      }
    }
    if (remove) {
      delete this;
      return;
    }
    StartPreparedWrite(write);
  }

  // Advances the run by one tick and offers it to the outbox; returns the write
  // to start (none when a write is in flight: the tick waits or is coalesced).
  Write TickLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    ToProto(run_->Advance(), &scratch_);
    rejected_changes_.MoveInto(&scratch_);
    const bool complete = scratch_.run_complete() || run_->complete();
    Write write;
    // The outbox takes the tick and hands back an old message to refill next time.
    if (const v1::TelemetryTick* now = outbox_.Offer(&scratch_)) {
      write = PrepareWriteLocked(now);
    }
    if (complete) {
      run_over_ = true;
      if (outbox_.idle()) FinishLocked(absl::OkStatus());
    } else if (!unpaced_) {
      ScheduleTickLocked();
    }
    // Unpaced, the write is the clock: its OnWriteDone computes the next tick,
    // so one tick exists at a time and nothing is ever coalesced.
    return write;
  }

  Write PrepareWriteLocked(const v1::TelemetryTick* tick) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Write write{tick, ToProto(run_->levers().persona), tick->bytes_moved() - bytes_moved_sent_,
                tick->dollars_spent() - dollars_spent_sent_};
    bytes_moved_sent_ = tick->bytes_moved();
    dollars_spent_sent_ = tick->dollars_spent();
    writing_ = true;
    return write;
  }

  // Called without `mu_`, as the last thing a reaction does.
  void StartPreparedWrite(const Write& write) ABSL_LOCKS_EXCLUDED(mu_) {
    if (write.tick == nullptr) return;
    FactoryMetrics& metrics = service_->metrics();
    metrics.RecordTelemetry(write.persona, *write.tick, write.bytes_moved_delta,
                            write.dollars_spent_delta);
    metrics.RecordCoalesced(write.tick->coalesced_ticks());
    this->Base::StartWrite(write.tick);
  }

  void SendFinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (!finished_ || writing_ || finish_sent_) return;
    finish_sent_ = true;
    this->Finish(finish_status_);
  }

  FactorySimService* const service_;
  std::string session_id_;
  std::optional<PacedRun> run_ ABSL_GUARDED_BY(mu_);
  TickOutbox outbox_ ABSL_GUARDED_BY(mu_);
  v1::TelemetryTick scratch_ ABSL_GUARDED_BY(mu_);  // the next tick is built here
  RejectedChanges rejected_changes_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);
  std::chrono::milliseconds tick_interval_{200};
  bool unpaced_ = false;  // tick_interval_ms == 0
  double bytes_moved_sent_ = 0;
  double dollars_spent_sent_ = 0;
  bool alarm_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool run_over_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;      // a write is in flight
  bool finished_ ABSL_GUARDED_BY(mu_) = false;     // the run ended; Finish sent or due
  bool finish_sent_ ABSL_GUARDED_BY(mu_) = false;  // Finish called
  grpc::Status finish_status_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool run_started_ = false;
};

class TelemetryStream final : public TelemetryReactor<grpc::ServerWriteReactor<v1::TelemetryTick>> {
 public:
  TelemetryStream(FactorySimService* service, const v1::StreamTelemetryRequest& request)
      : TelemetryReactor(service) {
    absl::MutexLock lock(&mu_);
    BeginLocked(request);
  }
};

class LiveRunStream final
    : public TelemetryReactor<grpc::ServerBidiReactor<v1::LiveRunRequest, v1::TelemetryTick>> {
 public:
  explicit LiveRunStream(FactorySimService* service) : TelemetryReactor(service) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (finished()) return;
    if (!ok) {  // half-close (or a broken stream): the run plays out
      if (!has_run()) {
        FinishLocked(absl::InvalidArgumentError(
            "LiveRun: the first message must be `start`; the stream closed before it"));
      }
      return;
    }
    if (!has_run()) {
      if (!request_.has_start()) {
        return FinishLocked(absl::InvalidArgumentError(
            "LiveRun: the first message must be `start` (levers and pace), got a change"));
      }
      BeginLocked(request_.start());
    } else if (request_.has_change()) {
      // After the run completes, stop reading: its Finish follows the last tick.
      if (!ChangeLocked(request_.change())) return;
    } else {
      return FinishLocked(
          absl::InvalidArgumentError("LiveRun: `start` may only be sent once; send `change`"));
    }
    if (!finished()) StartRead(&request_);
  }

 private:
  v1::LiveRunRequest request_;
};

}  // namespace

grpc::ServerWriteReactor<v1::TelemetryTick>* NewTelemetryStream(
    FactorySimService* service, const v1::StreamTelemetryRequest& request) {
  return new TelemetryStream(service, request);
}

grpc::ServerBidiReactor<v1::LiveRunRequest, v1::TelemetryTick>* NewLiveRun(
    FactorySimService* service) {
  return new LiveRunStream(service);
}

}  // namespace df::factory
