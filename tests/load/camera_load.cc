#include "tests/load/camera_load.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/time/clock.h"
#include "tests/load/ingest_call.h"
#include "tests/load/timer_queue.h"

namespace df::load {
namespace {

namespace pb = ::datafactory::drift::v1;

absl::Status ValidateOptions(const CameraLoadOptions& o) {
  if (o.cameras < 1) return absl::InvalidArgumentError("--cameras must be >= 1");
  if (o.cameras_per_call < 1 || o.cameras_per_call > o.cameras) {
    return absl::InvalidArgumentError(absl::StrCat("--cameras_per_call = ", o.cameras_per_call,
                                                   " must be in 1..cameras (", o.cameras, ")"));
  }
  if (!(o.frames_per_second > 0 && o.frames_per_second <= 1000)) {
    return absl::InvalidArgumentError("--fps must be in (0, 1000]");
  }
  if (o.duration <= absl::ZeroDuration() || o.ramp < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--duration must be > 0 and --ramp >= 0");
  }
  return absl::OkStatus();
}

// Camera `camera` (0-based) of `cameras` sends at offsets (camera + 0.5) / cameras of
// the period from a common origin: the frames of all cameras are evenly spaced.
absl::Time FirstDue(absl::Time origin, absl::Time call_start, absl::Duration period, int camera,
                    int cameras) {
  const double period_s = absl::ToDoubleSeconds(period);
  const double phase_s = period_s * (camera + 0.5) / cameras;
  double offset_s = std::fmod(phase_s - absl::ToDoubleSeconds(call_start - origin), period_s);
  if (offset_s < 0) offset_s += period_s;
  return call_start + absl::Seconds(offset_s);
}

}  // namespace

absl::Status ValidateCameraLoadOptions(const CameraLoadOptions& options) {
  return ValidateOptions(options);
}

absl::StatusOr<CameraLoadResult> RunCameraLoad(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const std::vector<std::string>& jpegs, const CameraLoadOptions& options) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  if (channels.empty() || jpegs.empty()) {
    return absl::InvalidArgumentError("the camera load needs a channel and a frame");
  }
  std::vector<std::unique_ptr<pb::DriftMonitor::Stub>> stubs;
  stubs.reserve(channels.size());
  for (const auto& channel : channels) stubs.push_back(pb::DriftMonitor::NewStub(channel));

  const int calls = (options.cameras + options.cameras_per_call - 1) / options.cameras_per_call;
  const absl::Duration period = absl::Seconds(1.0 / options.frames_per_second);
  const int64_t frames_per_camera = std::max<int64_t>(
      1, static_cast<int64_t>(std::floor(
             absl::ToDoubleSeconds(options.duration) * options.frames_per_second + 1e-9)));
  const absl::Duration sending = period * frames_per_camera;  // a camera's last frame is before
  const absl::Time origin = absl::Now() + absl::Milliseconds(100);
  const IngestCall::Window steady = {origin + options.ramp, origin + sending};
  const absl::Time deadline = origin + options.ramp + sending + absl::Seconds(60);
  std::vector<std::string> stream_ids;
  stream_ids.reserve(static_cast<size_t>(options.cameras));
  for (int c = 0; c < options.cameras; ++c) {
    stream_ids.push_back(absl::StrFormat("%s%04d", options.stream_prefix, c + 1));
  }

  absl::BlockingCounter calls_done(calls);
  absl::BlockingCounter closes_run(calls);
  std::vector<std::unique_ptr<IngestCall>> ingest(static_cast<size_t>(calls));
  TimerQueue timers;
  // A camera's next frame: enqueued on its call, and the one after it scheduled.
  std::function<void(int, int, int64_t, absl::Time)> send_frame =
      [&](int call, int camera, int64_t sequence, absl::Time due) {
        ingest[static_cast<size_t>(call)]->Enqueue(stream_ids[static_cast<size_t>(camera)], camera,
                                                   static_cast<uint64_t>(sequence), due);
        if (sequence + 1 < frames_per_camera) {
          timers.RunAt(due + period, [&send_frame, call, camera, sequence, due, period] {
            send_frame(call, camera, sequence + 1, due + period);
          });
        }
      };
  for (int call = 0; call < calls; ++call) {
    const absl::Time start = origin + options.ramp * (static_cast<double>(call) / calls);
    timers.RunAt(start, [&, call, start] {
      ingest[static_cast<size_t>(call)] = std::make_unique<IngestCall>(
          *stubs[static_cast<size_t>(call) % stubs.size()], jpegs, steady, deadline, calls_done);
      const int first = call * options.cameras_per_call;
      const int last = std::min(options.cameras, first + options.cameras_per_call);
      for (int camera = first; camera < last; ++camera) {
        const absl::Time due = FirstDue(origin, start, period, camera, options.cameras);
        timers.RunAt(due, [&send_frame, call, camera, due] { send_frame(call, camera, 0, due); });
      }
      // Every frame of these cameras is due before start + sending, so runs before this.
      timers.RunAt(start + sending, [&, call] {
        ingest[static_cast<size_t>(call)]->Close();
        closes_run.DecrementCount();
      });
    });
  }
  closes_run.Wait();
  calls_done.Wait();
  timers.Stop();

  CameraLoadResult result;
  result.calls_planned = calls;
  result.frames_planned = int64_t{options.cameras} * frames_per_camera;
  result.steady_window = std::max(absl::ZeroDuration(), steady.end - steady.begin);
  result.wall = absl::Now() - origin;
  for (const std::unique_ptr<IngestCall>& call : ingest) {
    const IngestTally tally = call->tally();
    result.outcomes.Count(call->status(), tally.answered > 0, /*cancelled_by_us=*/false);
    const bool refused =
        call->status().error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && tally.answered == 0;
    (refused ? result.frames_on_refused_calls : result.frames_sent) += tally.sent;
    result.frames_answered += tally.answered;
    result.frames_not_sent += tally.not_sent;
    result.answered_in_steady_window += tally.answered_in_steady_window;
    for (const auto& [reason, n] : tally.frame_errors) result.frame_errors[reason] += n;
    result.latency_ms.insert(result.latency_ms.end(), tally.latency_ms.begin(),
                             tally.latency_ms.end());
  }
  std::sort(result.latency_ms.begin(), result.latency_ms.end());
  return result;
}

}  // namespace df::load
