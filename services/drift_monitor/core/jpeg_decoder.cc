#include "services/drift_monitor/core/jpeg_decoder.h"

#include <csetjmp>
#include <cstdint>
#include <cstdio>  // jpeglib.h uses FILE without including it

// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace df::drift {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg hands back a pointer to it
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

ErrorManager* Errors(j_common_ptr cinfo) { return reinterpret_cast<ErrorManager*>(cinfo->err); }

[[noreturn]] void Abort(j_common_ptr cinfo) {
  cinfo->err->format_message(cinfo, Errors(cinfo)->message);
  std::longjmp(Errors(cinfo)->jump, 1);
}

// Warnings after which libjpeg goes on with grey or garbled pixels, which would
// poison the colour features: treated as errors.
bool MeansDamagedData(int code) {
  return code == JWRN_HUFF_BAD_CODE || code == JWRN_ARITH_BAD_CODE || code == JWRN_HIT_MARKER ||
         code == JWRN_JPEG_EOF || code == JWRN_MUST_RESYNC;
}

void OnMessage(j_common_ptr cinfo, int level) {
  // level -1 is a warning; levels >= 0 are trace messages.
  if (level < 0 && MeansDamagedData(cinfo->err->msg_code)) Abort(cinfo);
}

enum class Outcome { kDecoded, kFailed, kNeedsCmykConversion };

// Runs libjpeg from create to finish. No object with a destructor lives in this
// frame, so a longjmp from libjpeg back to the setjmp here skips no C++ cleanup.
Outcome Decompress(jpeg_decompress_struct* cinfo, ErrorManager* err, std::string_view jpeg,
                   int scale, cv::Mat* out) {
  if (setjmp(err->jump) != 0) return Outcome::kFailed;
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, reinterpret_cast<const unsigned char*>(jpeg.data()),
               static_cast<unsigned long>(jpeg.size()));
  jpeg_read_header(cinfo, TRUE);
  if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
    return Outcome::kNeedsCmykConversion;
  }
  cinfo->out_color_space = JCS_EXT_BGR;
  cinfo->scale_num = 1;
  cinfo->scale_denom = static_cast<unsigned int>(scale);
  jpeg_start_decompress(cinfo);
  out->create(static_cast<int>(cinfo->output_height), static_cast<int>(cinfo->output_width),
              CV_8UC3);
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = out->ptr<uint8_t>(static_cast<int>(cinfo->output_scanline));
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  return Outcome::kDecoded;
}

}  // namespace

absl::StatusOr<cv::Mat> DecodeJpegToBgr(std::string_view jpeg, int scale) {
  if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
    return absl::InvalidArgumentError(absl::StrCat("JPEG scale must be 1, 2, 4 or 8, got ", scale));
  }
  jpeg_decompress_struct cinfo{};  // zeroed, so destroying it is safe whatever happens
  ErrorManager err{};
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = Abort;
  err.pub.emit_message = OnMessage;
  cv::Mat bgr;
  Outcome outcome = Outcome::kFailed;
  try {  // Mat::create throws if the pixels cannot be allocated
    outcome = Decompress(&cinfo, &err, jpeg, scale, &bgr);
  } catch (const cv::Exception& e) {
    jpeg_destroy_decompress(&cinfo);
    return absl::ResourceExhaustedError(absl::StrCat("JPEG: cannot allocate pixels: ", e.what()));
  }
  jpeg_destroy_decompress(&cinfo);
  switch (outcome) {
    case Outcome::kDecoded:
      return bgr;
    case Outcome::kNeedsCmykConversion:
      return absl::UnimplementedError("JPEG is CMYK/YCCK: libjpeg cannot convert it to BGR");
    case Outcome::kFailed:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat("JPEG data is corrupt: ", err.message));
}

}  // namespace df::drift
