// FramePipeline: one camera frame from its bytes to its drift verdict.
//
// validate (frame_validation.h) -> decode (image_decoder.h) -> features
// (image_features.h) -> apply (the stream's detector, stream_detector.h), in two
// stages so a server can run the costly part in parallel and still feed each
// stream's detector in order:
//  * Extract: validate, decode and extract features. Reads nothing shared; runs on
//    any thread, many frames at once.
//  * Apply: find or create the stream (StreamRegistry), update its detector, merge
//    the frame's labels, stamp its last frame time. The caller applies the frames
//    of one stream in their order of arrival.
// A refused frame comes out as a Rejection (frame_rejection.h) from whichever stage
// refused it; a refusal never affects other frames or streams. The pipeline records
// no metrics: the caller records the outcome.
//
// Usage:
//   FramePipeline pipeline(registry, {});
//   ExtractedFrame extracted = pipeline.Extract(frame);         // on a worker
//   FrameOutcome outcome = pipeline.Apply(frame, std::move(extracted));  // in order
//   if (!outcome.ok()) report(outcome.rejection()); else report(outcome->verdict);
//
// Thread-safety: Extract and Apply are thread-safe (Apply takes the registry's and
// the stream's locks). `frame` must stay alive (its views valid) through both
// stages. The registry must outlive the pipeline.
// Failure: never throws; every refusal is a Rejection naming the problem.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_PIPELINE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_PIPELINE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "absl/time/time.h"
#include "services/drift_monitor/core/frame_input.h"
#include "services/drift_monitor/core/frame_rejection.h"
#include "services/drift_monitor/core/frame_validation.h"
#include "services/drift_monitor/core/image_decoder.h"
#include "services/drift_monitor/core/image_features.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_registry.h"

namespace df::drift {

// A frame that passed the parallel stage.
struct ExtractedFeatures {
  StreamId stream_id;  // validated once, here; Apply uses it as is
  FrameFeatures features;
};

// The result of the parallel stage for one frame.
struct ExtractedFrame {
  RejectionOr<ExtractedFeatures> features;
  absl::Duration elapsed;  // time spent in Extract
};

// A frame applied to its stream.
struct AppliedFrame {
  std::shared_ptr<Stream> stream;
  // Set when this frame created its stream: the number of streams right after.
  std::optional<size_t> active_streams;
  std::string city;  // the stream's "city" label after this frame ("" if it has none)
  FrameVerdict verdict;
  absl::Duration processing_time;  // Extract + Apply
};

using FrameOutcome = RejectionOr<AppliedFrame>;

// The label-merge policy: a frame's labels update its stream's. Keys the stream
// has are updated; a new key is added only while the stream has fewer than
// kMaxFrameLabels keys, so a stream never holds more.
void MergeLabels(std::span<const FrameLabel> labels,
                 std::map<std::string, std::string, std::less<>>& stream_labels);

class FramePipeline {
 public:
  struct Options {
    DecodeOptions decode;
    // Time source for stream activity and frames without a capture time (empty:
    // absl::Now).
    std::function<absl::Time()> clock;
  };
  FramePipeline(StreamRegistry& registry, Options options);
  FramePipeline(const FramePipeline&) = delete;
  FramePipeline& operator=(const FramePipeline&) = delete;

  // The pixels Extract would decode for `frame` (after the JPEG scale), read from
  // its header or geometry alone (0 when unreadable): a cost estimate before any
  // work, so a scheduler can tell a 40-megapixel PNG from a camera frame.
  [[nodiscard]] uint64_t DecodedPixels(const FrameInput& frame) const;
  // Validate, decode, features. Reasons: those of ValidateFrame and DecodeImage;
  // kCorruptImage when no features can be taken from the decoded image.
  [[nodiscard]] ExtractedFrame Extract(const FrameInput& frame) const;
  // Applies `extracted` (Extract's result for `frame`) to its stream. Reasons: the
  // one `extracted` carries; kTooManyStreams for a new stream past the cap.
  [[nodiscard]] FrameOutcome Apply(const FrameInput& frame, ExtractedFrame extracted);

 private:
  RejectionOr<ExtractedFeatures> Features(const FrameInput& frame) const;
  absl::Time Now() const { return options_.clock ? options_.clock() : absl::Now(); }

  StreamRegistry& registry_;
  const Options options_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_FRAME_PIPELINE_H_
