// The data-gravity waterfall and the system ledger of a report drawn as a picture
// with OpenCV (for `factory-cli evaluate --png FILE`).
//
// Layout (1000 x 600, white): title and badges on top; the waterfall as a
// cascade — Disk IO, Network, GPU math and the exposed stall as bars on one time
// axis, then the overlapped and serial epoch totals; the four ledger cards below,
// their detail lines wrapped to the card (at most kMaxDetailLines lines).
//
// Thread-safe, pure (no I/O); WritePng() is the only function touching the disk
// and returns an error naming the file when it cannot be written.
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_WATERFALL_PNG_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_WATERFALL_PNG_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory_cli {

inline constexpr int kPngWidth = 1000;
inline constexpr int kPngHeight = 600;
inline constexpr int kMaxDetailLines = 4;

cv::Mat DrawReport(const ::datafactory::factory::v1::Report& report);

// Splits `text` at spaces into lines at most `max_width` pixels wide in
// FONT_HERSHEY_SIMPLEX at `scale`; a word wider than a line is cut into pieces.
std::vector<std::string> WrapText(const std::string& text, int max_width, double scale);

[[nodiscard]] absl::Status WritePng(const cv::Mat& image, const std::string& path);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_WATERFALL_PNG_H_
