// libFuzzer target: one camera frame through the drift monitor's parallel stage
// (FramePipeline::Extract: validation, header check, JPEG/PNG/raw decoding, image
// features), as an Ingest call would hand it over from the wire.
//
// Input layout: byte 0 chooses the image kind (bit 0: encoded or raw), the raw pixel
// format (bits 1-2) and the JPEG scale (bits 3-4); bytes 1-6 hold the raw width,
// height and stride (16 bits each, little-endian); byte 7 the stream id's length
// (0..80, the id itself taken from the following bytes, so bad ids are reached
// too); the rest is the image.
// Checks: Extract never crashes or leaks (ASan, UBSan); an accepted frame has finite
// features.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/drift_monitor/core/frame_pipeline.h"

namespace {

uint32_t Little16(const uint8_t* p) { return static_cast<uint32_t>(p[0] | (p[1] << 8)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 8;
  if (size < kHeader) return 0;
  static df::drift::StreamRegistry registry{df::drift::RegistryOptions{}};
  static const int kScales[] = {1, 2, 4, 8};

  const uint8_t mode = data[0];
  df::drift::FramePipeline::Options options;
  options.decode.jpeg_scale = kScales[(mode >> 3) & 3];
  const df::drift::FramePipeline pipeline(registry, options);

  const size_t id_size = std::min<size_t>(data[7] % 81, size - kHeader);
  const std::string_view rest(reinterpret_cast<const char*>(data) + kHeader, size - kHeader);
  df::drift::FrameInput frame;
  frame.stream_id = rest.substr(0, id_size);
  const std::string_view image = rest.substr(id_size);
  if ((mode & 1) == 0) {
    frame.image.kind = df::drift::ImageInput::Kind::kEncoded;
    frame.image.encoded = image;
  } else {
    static const df::drift::PixelFormat kFormats[] = {
        df::drift::PixelFormat::kBgr8, df::drift::PixelFormat::kRgb8,
        df::drift::PixelFormat::kGray8, df::drift::PixelFormat::kUnspecified};
    frame.image.kind = df::drift::ImageInput::Kind::kRaw;
    frame.image.format = kFormats[(mode >> 1) & 3];
    frame.image.width = Little16(data + 1);
    frame.image.height = Little16(data + 3);
    frame.image.stride_bytes = Little16(data + 5);
    frame.image.pixels = image;
  }
  const df::drift::ExtractedFrame extracted = pipeline.Extract(frame);
  if (extracted.features.ok()) {
    // An accepted frame's features go into K-S tests: each must be a number.
    for (const double value : extracted.features->features.scalar) {
      if (!std::isfinite(value)) std::abort();
    }
  }
  return 0;
}
