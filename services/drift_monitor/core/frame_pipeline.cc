#include "services/drift_monitor/core/frame_pipeline.h"

#include <algorithm>
#include <utility>

#include "services/drift_monitor/core/image_header.h"

namespace df::drift {

void MergeLabels(std::span<const FrameLabel> labels,
                 std::map<std::string, std::string, std::less<>>& stream_labels) {
  for (const auto& [key, value] : labels) {
    if (auto it = stream_labels.find(key); it != stream_labels.end()) {
      it->second.assign(value);
    } else if (stream_labels.size() < kMaxFrameLabels) {
      stream_labels.emplace(std::string(key), std::string(value));
    }
  }
}

FramePipeline::FramePipeline(StreamRegistry& registry, Options options)
    : registry_(registry), options_(std::move(options)) {}

RejectionOr<ExtractedFeatures> FramePipeline::Features(const FrameInput& frame) const {
  RejectionOr<ValidFrame> valid = ValidateFrame(frame, options_.decode.limits);
  if (!valid.ok()) return valid.rejection();
  RejectionOr<cv::Mat> bgr =
      DecodeCheckedImage(frame.image, valid->image, options_.decode.jpeg_scale);
  if (!bgr.ok()) return bgr.rejection();
  absl::StatusOr<FrameFeatures> features = ExtractFeatures(*bgr);
  if (!features.ok()) return Rejection(FrameRejection::kCorruptImage, features.status());
  return ExtractedFeatures{std::move(valid->stream_id), *features};
}

uint64_t FramePipeline::DecodedPixels(const FrameInput& frame) const {
  const ImageInput& image = frame.image;
  if (image.kind == ImageInput::Kind::kRaw) return uint64_t{image.width} * image.height;
  if (image.kind != ImageInput::Kind::kEncoded) return 0;
  const absl::StatusOr<ImageHeader> header = ReadImageHeader(image.encoded);
  if (!header.ok()) return 0;
  const uint64_t scale = header->codec == ImageHeader::Codec::kJpeg
                             ? static_cast<uint64_t>(std::max(1, options_.decode.jpeg_scale))
                             : 1;
  return ((header->width + scale - 1) / scale) * ((header->height + scale - 1) / scale);
}

ExtractedFrame FramePipeline::Extract(const FrameInput& frame) const {
  const absl::Time start = absl::Now();
  RejectionOr<ExtractedFeatures> features = Features(frame);
  return ExtractedFrame{std::move(features), absl::Now() - start};
}

FrameOutcome FramePipeline::Apply(const FrameInput& frame, ExtractedFrame extracted) {
  const absl::Time start = absl::Now();
  if (!extracted.features.ok()) return extracted.features.rejection();
  const ExtractedFeatures& valid = *extracted.features;
  bool created = false;
  absl::StatusOr<std::shared_ptr<Stream>> found =
      registry_.GetOrCreate(valid.stream_id, Now(), &created);
  if (!found.ok()) return Rejection(FrameRejection::kTooManyStreams, found.status());
  AppliedFrame out;
  out.stream = *std::move(found);
  if (created) out.active_streams = registry_.size();
  Stream& stream = *out.stream;
  {
    absl::MutexLock lock(&stream.mu);
    out.verdict = stream.detector->Update(valid.features);
    registry_.NoteDurableChange(out.stream);  // a reference learnt or emptied
    MergeLabels(frame.labels, stream.labels);
    stream.last_frame_time = frame.capture_time.value_or(Now());
    if (auto it = stream.labels.find("city"); it != stream.labels.end()) out.city = it->second;
  }
  out.processing_time = extracted.elapsed + (absl::Now() - start);
  return out;
}

}  // namespace df::drift
