#include "services/drift_monitor/core/image_header.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace df::drift {
namespace {

uint32_t Be16(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 8) |
         static_cast<uint8_t>(s[at + 1]);
}
uint32_t Be32(std::string_view s, size_t at) { return (Be16(s, at) << 16) | Be16(s, at + 2); }

bool IsJpeg(std::string_view s) {
  return s.size() >= 3 && static_cast<uint8_t>(s[0]) == 0xFF &&
         static_cast<uint8_t>(s[1]) == 0xD8 && static_cast<uint8_t>(s[2]) == 0xFF;
}
constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);
bool IsPng(std::string_view s) { return s.substr(0, 8) == kPngSignature; }

bool IsStartOfFrame(uint8_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

absl::StatusOr<ImageHeader> ReadJpegHeader(std::string_view s) {
  size_t at = 2;
  while (at + 4 <= s.size()) {
    if (static_cast<uint8_t>(s[at]) != 0xFF) {
      return absl::InvalidArgumentError(absl::StrCat("JPEG: no marker at byte ", at));
    }
    const uint8_t marker = static_cast<uint8_t>(s[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI / SOS before any SOF
    const uint32_t length = Be16(s, at + 2);
    if (length < 2) return absl::InvalidArgumentError("JPEG: segment length < 2");
    if (IsStartOfFrame(marker)) {
      if (at + 9 > s.size()) break;
      return ImageHeader{ImageHeader::Codec::kJpeg, Be16(s, at + 7), Be16(s, at + 5)};
    }
    at += 2 + length;
  }
  return absl::InvalidArgumentError("JPEG: truncated before the frame header (SOF)");
}

absl::StatusOr<ImageHeader> ReadPngHeader(std::string_view s) {
  // signature(8) + length(4) + "IHDR"(4) + width(4) + height(4)
  if (s.size() < 24 || s.substr(12, 4) != "IHDR") {
    return absl::InvalidArgumentError("PNG: missing or truncated IHDR header");
  }
  return ImageHeader{ImageHeader::Codec::kPng, Be32(s, 16), Be32(s, 20)};
}

}  // namespace

std::optional<ImageHeader::Codec> SniffCodec(std::string_view encoded) {
  if (IsJpeg(encoded)) return ImageHeader::Codec::kJpeg;
  if (IsPng(encoded)) return ImageHeader::Codec::kPng;
  return std::nullopt;
}

absl::StatusOr<ImageHeader> ReadImageHeader(std::string_view encoded) {
  if (IsJpeg(encoded)) return ReadJpegHeader(encoded);
  if (IsPng(encoded)) return ReadPngHeader(encoded);
  return absl::InvalidArgumentError("not a JPEG or PNG image");
}

bool HasJpegEnd(std::string_view jpeg) {
  const size_t from = jpeg.size() > 64 ? jpeg.size() - 64 : 0;
  return jpeg.substr(from).find("\xFF\xD9") != std::string_view::npos;
}

}  // namespace df::drift
