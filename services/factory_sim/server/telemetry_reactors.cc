#include "services/factory_sim/server/telemetry_reactors.h"

#include <grpcpp/alarm.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/factory_sim/server/factory_sim_service.h"
#include "services/factory_sim/server/model_bridge.h"
#include "services/factory_sim/server/tick_outbox.h"

namespace df::factory {
namespace {

// The shared life of a telemetry stream; `Base` is the gRPC reactor type.
// Lock order: only `mu_`; gRPC and the alarm never call back synchronously
// from the calls made under it.
template <class Base>
class TelemetryReactor : public Base {
 public:
  explicit TelemetryReactor(FactorySimService* service) : service_(service) {}

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mu_);
    if (!ok) {  // the stream is broken (client gone); OnCancel follows
      FinishLocked(absl::CancelledError("client stopped reading"));
      return;
    }
    if (finished_) return;  // cancelled while the write was in flight
    if (const v1::TelemetryTick* next = outbox_.WriteDone()) {
      StartWriteLocked(next);
    } else if (run_over_) {
      FinishLocked(absl::OkStatus());
    } else if (unpaced_) {
      TickLocked();  // the client took the last tick: compute the next one now
    }
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
    absl::StatusOr<bridge::Pace> pace = bridge::ResolvePace(start.pace());
    if (!pace.ok()) return FinishLocked(pace.status());
    std::optional<v1::Levers> fallback;
    if (!session_id_.empty()) fallback = service_->audit_trail().LatestLevers(session_id_);
    absl::StatusOr<v1::Levers> levers = bridge::ResolveLevers(start.selection(), fallback);
    if (!levers.ok()) return FinishLocked(levers.status());
    absl::StatusOr<std::unique_ptr<bridge::SimulatedRun>> run =
        bridge::SimulatedRun::Start(*levers, *pace);
    if (!run.ok()) return FinishLocked(run.status());
    run_ = *std::move(run);
    tick_interval_ = std::chrono::milliseconds(pace->tick_interval_ms);
    unpaced_ = pace->tick_interval_ms == 0;
    run_started_ = true;
    service_->RunStarted();
    Record("telemetry", run_->levers(), start.selection().set(), {});
    ScheduleTickLocked();  // unpaced too: the first tick comes from an immediate alarm
  }

  // A mid-run lever change: applied from the next tick, or reported as rejected.
  void ChangeLocked(const v1::LeverChange& change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::StatusOr<std::vector<v1::Consequence>> explained = run_->ChangeLevers(change);
    if (!explained.ok()) {
      v1::Consequence rejected;
      rejected.set_severity(v1::SEVERITY_WARNING);
      rejected.set_code("lever_change_rejected");
      rejected.set_message(absl::StrCat("Lever change rejected: ", explained.status().message()));
      extra_consequences_.push_back(std::move(rejected));
      return;
    }
    Record("live_change", run_->levers(), change.set(), *explained);
  }

  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    finished_ = true;
    if (alarm_pending_) alarm_->Cancel();  // its callback runs later, with ok=false
    this->Finish(ToGrpcStatus(status));
  }

  bool has_run() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return run_ != nullptr; }
  bool finished() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return finished_; }

  absl::Mutex mu_;

 private:
  void Record(const std::string& origin, const v1::Levers& levers,
              const google::protobuf::RepeatedPtrField<std::string>& settings,
              const std::vector<v1::Consequence>& consequences) {
    if (session_id_.empty()) return;
    AuditEntry entry;
    v1::LeversRecorded* recorded = entry.mutable_levers();
    recorded->set_origin(origin);
    *recorded->mutable_levers() = levers;
    *recorded->mutable_set() = settings;
    for (const v1::Consequence& c : consequences) *recorded->add_consequences() = c;
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

  void OnAlarm(bool ok) {
    bool remove = false;
    {
      absl::MutexLock lock(&mu_);
      alarm_pending_ = false;
      if (done_) {
        remove = true;
      } else if (ok && !finished_) {
        TickLocked();
      }
    }
    if (remove) delete this;
  }

  void TickLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    v1::TelemetryTick tick = run_->Advance();
    for (v1::Consequence& c : extra_consequences_) *tick.add_consequences() = std::move(c);
    extra_consequences_.clear();
    const bool complete = tick.run_complete() || run_->complete();
    if (const v1::TelemetryTick* now = outbox_.Offer(std::move(tick))) StartWriteLocked(now);
    if (complete) {
      run_over_ = true;
      if (outbox_.idle()) FinishLocked(absl::OkStatus());
      return;
    }
    // Unpaced, the write just started is the clock: OnWriteDone computes the
    // next tick, so one tick exists at a time and nothing is ever coalesced.
    if (!unpaced_) ScheduleTickLocked();
  }

  void StartWriteLocked(const v1::TelemetryTick* tick) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    service_->metrics().RecordTelemetry(run_->levers().persona(), *tick,
                                        tick->bytes_moved() - bytes_moved_sent_,
                                        tick->dollars_spent() - dollars_spent_sent_);
    service_->metrics().RecordCoalesced(tick->coalesced_ticks());
    bytes_moved_sent_ = tick->bytes_moved();
    dollars_spent_sent_ = tick->dollars_spent();
    this->StartWrite(tick);
  }

  FactorySimService* const service_;
  std::string session_id_;
  std::unique_ptr<bridge::SimulatedRun> run_ ABSL_GUARDED_BY(mu_);
  TickOutbox outbox_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Consequence> extra_consequences_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);
  std::chrono::milliseconds tick_interval_{200};
  bool unpaced_ = false;  // tick_interval_ms == 0
  double bytes_moved_sent_ = 0;
  double dollars_spent_sent_ = 0;
  bool alarm_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool run_over_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
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
      ChangeLocked(request_.change());
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
