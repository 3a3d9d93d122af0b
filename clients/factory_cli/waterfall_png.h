// The four zones of the dashboard drawn as one picture with OpenCV (for
// `factory-cli evaluate --png FILE`).
//
// Layout (1000 x 1000, white):
//   Zone 1  title, persona and the three badges (a "not evaluated" badge is grey);
//   Zone 2  the levers in force, and the money: storage a month and GPU idle share per
//           tier (the chosen tier marked, tiers meeting the GPU Hunger target in green),
//           what the idle GPUs burn an epoch;
//   Zone 3  the data-gravity waterfall as two labelled timelines on one time axis —
//           serial (disk IO, network, GPU math end to end) and overlapped (GPU math, then
//           the exposed stall) — with a legend naming each part and its duration; then
//           the four ledger cards, their detail lines wrapped to the card (at most
//           kMaxDetailLines lines);
//   Zone 4  the consequence log (the first kMaxLogLines entries) and the rationale box:
//           the session's latest rationale and its grade, or how to submit one.
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
inline constexpr int kPngHeight = 1000;
inline constexpr int kMaxDetailLines = 4;
inline constexpr int kMaxLogLines = 7;
// Top edge of each zone, and of the ledger cards inside Zone 3 (pixels).
inline constexpr int kZone2Top = 105;
inline constexpr int kZone3Top = 335;
inline constexpr int kLedgerTop = 512;
inline constexpr int kZone4Top = 700;

// `rationale`: the session's latest rationale for Zone 4, or nullptr.
cv::Mat DrawReport(const ::datafactory::factory::v1::Report& report,
                   const ::datafactory::factory::v1::RationaleRecorded* rationale = nullptr);

// Splits `text` at spaces into lines at most `max_width` pixels wide in
// FONT_HERSHEY_SIMPLEX at `scale`; a word wider than a line is cut into pieces.
std::vector<std::string> WrapText(const std::string& text, int max_width, double scale);

[[nodiscard]] absl::Status WritePng(const cv::Mat& image, const std::string& path);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_WATERFALL_PNG_H_
