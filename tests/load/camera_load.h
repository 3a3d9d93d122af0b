// Camera load: N cameras streaming JPEG frames at a fixed rate into drift-monitor's
// Ingest over real gRPC, one call per camera or several cameras sharing a call,
// with the gRPC callback API (one ClientBidiReactor per call, no thread per call).
//
// Each camera sends floor(duration x fps) frames (at least one) from its call's
// start, at a fixed period; the cameras' phases are spread evenly over the period,
// so the offered load is steady (N x fps frames per second). Call starts are spread
// evenly over `ramp`. A frame's latency runs from its scheduled send time (not
// from when the client got round to writing it, so a late client shows rather than
// hides) to the moment its report is read. Frames are written one at a time per call,
// in due order; the n-th report answers the n-th frame (docs/api.md, Ingest).
//
// Usage:
//   CameraLoadOptions options;  options.cameras = 1000;
//   absl::StatusOr<CameraLoadResult> result = RunCameraLoad(channels, jpegs, options);
//
// Thread-safety: RunCameraLoad blocks until every call has ended; it runs the
// calls on gRPC's threads and one timer thread of its own.
// Failure: INVALID_ARGUMENT for options out of range (named); the calls' own
// outcomes are in the result, never a failed status.
#ifndef DATA_FACTORY_TESTS_LOAD_CAMERA_LOAD_H_
#define DATA_FACTORY_TESTS_LOAD_CAMERA_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/load/call_outcomes.h"

namespace df::load {

struct CameraLoadOptions {
  int cameras = 1000;
  int cameras_per_call = 1;                     // 1: one Ingest call per camera
  double frames_per_second = 0.5;               // per camera
  absl::Duration duration = absl::Seconds(60);  // each camera's sending time
  absl::Duration ramp = absl::Seconds(5);       // call starts spread over this
  std::string stream_prefix = "load-cam-";      // stream ids load-cam-0001, ...
};

struct CameraLoadResult {
  int calls_planned = 0;
  CallOutcomes outcomes;
  int64_t frames_planned = 0;                   // cameras x frames per camera
  int64_t frames_sent = 0;                      // written on calls that were not refused
  int64_t frames_answered = 0;                  // reports read (per-frame errors included)
  int64_t frames_on_refused_calls = 0;          // written before the refusal arrived
  int64_t frames_not_sent = 0;                  // due after their call had ended
  std::map<std::string, int64_t> frame_errors;  // reports with `error`, by reason
  std::vector<double> latency_ms;               // per answered frame, sorted
  // Reports read while every camera was sending (after the ramp, before the first
  // camera stopped), and that window's length: the steady rate achieved.
  int64_t answered_in_steady_window = 0;
  absl::Duration steady_window;
  absl::Duration wall;  // first call start to the last call's end
};

// INVALID_ARGUMENT naming the flag of the first option out of range.
[[nodiscard]] absl::Status ValidateCameraLoadOptions(const CameraLoadOptions& options);

[[nodiscard]] absl::StatusOr<CameraLoadResult> RunCameraLoad(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const std::vector<std::string>& jpegs, const CameraLoadOptions& options);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_CAMERA_LOAD_H_
