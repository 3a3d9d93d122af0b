// Reading an encoded image's header without decoding it.
//
// The frame pipeline checks an image's codec and dimensions before any costly
// work: ReadImageHeader walks a JPEG's markers to its frame header (SOFn) or reads
// a PNG's IHDR chunk, so an image claiming enormous dimensions is refused without
// allocating its pixels (frame_validation.h decides; this file only parses).
//
// Usage:
//   absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
//   if (header.ok() && header->width > 16'384) refuse();
//
// Thread-safety: pure functions; safe from any thread. Failure: never throws; a
// header that is missing, truncated or malformed gives INVALID_ARGUMENT naming it.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_HEADER_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_HEADER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"

namespace df::drift {

// Width and height read from a JPEG (SOFn) or PNG (IHDR) header.
struct ImageHeader {
  enum class Codec { kJpeg, kPng };
  Codec codec;
  uint32_t width;   // pixels
  uint32_t height;  // pixels
};

// The codec `encoded` starts with the signature of (JPEG's SOI + marker, or PNG's
// eight bytes), or nullopt for anything else.
std::optional<ImageHeader::Codec> SniffCodec(std::string_view encoded);

[[nodiscard]] absl::StatusOr<ImageHeader> ReadImageHeader(std::string_view encoded);

// True if a JPEG's end-of-image marker (FF D9) is among its last 64 bytes (a
// little trailing padding is tolerated); false for a truncated file.
bool HasJpegEnd(std::string_view jpeg);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_IMAGE_HEADER_H_
