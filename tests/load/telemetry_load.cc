#include "tests/load/telemetry_load.h"

#include <atomic>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "tests/load/timer_queue.h"

namespace df::load {
namespace {

namespace pb = ::datafactory::factory::v1;

constexpr int kEpochs = 1000;  // the API's largest: far longer than any load run

// One StreamTelemetry run. Holds itself open (AddHold) until its read stream ended,
// so a slow reader's delayed read can never meet a finished call; then OnDone
// counts down `done`. Reads are serialised by gRPC; the tally is read after `done`.
class TelemetryRun final : public grpc::ClientReadReactor<pb::TelemetryTick> {
 public:
  TelemetryRun(pb::FactorySim::Stub& stub, const TelemetryLoadOptions& options, bool slow,
               absl::Time deadline, TimerQueue& timers, absl::BlockingCounter& done)
      : slow_delay_(slow ? options.slow_read_delay : absl::ZeroDuration()),
        timers_(timers),
        done_(done) {
    tally_.slow = slow;
    request_.mutable_selection()->set_scenario(options.scenario);
    request_.mutable_pace()->set_tick_interval_ms(options.tick_interval_ms);
    request_.mutable_pace()->set_epochs(kEpochs);
    context_.set_deadline(absl::ToChronoTime(deadline));
    stub.async()->StreamTelemetry(&context_, &request_, this);
    AddHold();
    StartRead(&tick_);
    StartCall();
  }

  void Cancel() {
    cancelled_ = true;
    context_.TryCancel();
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      RemoveHold();
      return;
    }
    ++tally_.messages;
    tally_.coalesced_ticks = tick_.coalesced_ticks_total();
    if (slow_delay_ == absl::ZeroDuration()) {
      StartRead(&tick_);
    } else {
      timers_.RunAt(absl::Now() + slow_delay_, [this] { StartRead(&tick_); });
    }
  }

  void OnDone(const grpc::Status& status) override {
    status_ = status;
    done_.DecrementCount();
  }

  const grpc::Status& status() const { return status_; }
  bool cancelled() const { return cancelled_; }
  const TelemetryRunTally& tally() const { return tally_; }

 private:
  const absl::Duration slow_delay_;
  TimerQueue& timers_;
  absl::BlockingCounter& done_;
  grpc::ClientContext context_;
  pb::StreamTelemetryRequest request_;
  pb::TelemetryTick tick_;
  TelemetryRunTally tally_;
  grpc::Status status_;
  std::atomic<bool> cancelled_{false};
};

absl::Status ValidateOptions(const TelemetryLoadOptions& o) {
  if (o.runs < 1) return absl::InvalidArgumentError("--telemetry_runs must be >= 1");
  if (!(o.slow_fraction >= 0 && o.slow_fraction <= 1)) {
    return absl::InvalidArgumentError("--slow_readers must be in 0..1");
  }
  if (o.tick_interval_ms < 1 || o.tick_interval_ms > 60000) {
    return absl::InvalidArgumentError("--tick_interval_ms must be in 1..60000 (paced runs)");
  }
  if (o.duration <= absl::ZeroDuration() || o.ramp < absl::ZeroDuration() ||
      o.slow_read_delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--duration must be > 0, --ramp and --slow_read_delay >= 0");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTelemetryLoadOptions(const TelemetryLoadOptions& options) {
  return ValidateOptions(options);
}

absl::StatusOr<TelemetryLoadResult> RunTelemetryLoad(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const TelemetryLoadOptions& options) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  if (channels.empty()) return absl::InvalidArgumentError("the telemetry load needs a channel");
  std::vector<std::unique_ptr<pb::FactorySim::Stub>> stubs;
  stubs.reserve(channels.size());
  for (const auto& channel : channels) stubs.push_back(pb::FactorySim::NewStub(channel));

  const absl::Time origin = absl::Now() + absl::Milliseconds(100);
  const absl::Time deadline = origin + options.ramp + options.duration + absl::Seconds(60);
  absl::BlockingCounter runs_done(options.runs);
  absl::BlockingCounter cancels_run(options.runs);
  std::vector<std::unique_ptr<TelemetryRun>> runs(static_cast<size_t>(options.runs));
  TimerQueue timers;
  for (int i = 0; i < options.runs; ++i) {
    // Run i is slow when the running count of slow runs steps up at i: evenly spread.
    const bool slow =
        std::floor((i + 1) * options.slow_fraction) > std::floor(i * options.slow_fraction);
    const absl::Time start = origin + options.ramp * (static_cast<double>(i) / options.runs);
    timers.RunAt(start, [&, i, slow, start] {
      runs[static_cast<size_t>(i)] =
          std::make_unique<TelemetryRun>(*stubs[static_cast<size_t>(i) % stubs.size()], options,
                                         slow, deadline, timers, runs_done);
      timers.RunAt(start + options.duration, [&, i] {
        runs[static_cast<size_t>(i)]->Cancel();
        cancels_run.DecrementCount();
      });
    });
  }
  cancels_run.Wait();
  runs_done.Wait();
  timers.Stop();

  TelemetryLoadResult result;
  result.wall = absl::Now() - origin;
  for (const std::unique_ptr<TelemetryRun>& run : runs) {
    TelemetryRunTally tally = run->tally();
    result.outcomes.Count(run->status(), tally.messages > 0, run->cancelled());
    tally.refused =
        run->status().error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && tally.messages == 0;
    result.runs.push_back(tally);
  }
  return result;
}

}  // namespace df::load
