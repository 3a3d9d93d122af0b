#include "clients/factory_cli/waterfall_png.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/factory_cli/dashboard_render.h"
#include "services/units/units_format.h"

namespace df::factory_cli {
namespace {

namespace v1 = ::datafactory::factory::v1;
using units::FormatDuration;

// BGR.
const cv::Scalar kInk(40, 40, 40);
const cv::Scalar kGrid(220, 220, 220);
const cv::Scalar kDiskIo(200, 120, 40);
const cv::Scalar kNetwork(160, 60, 160);
const cv::Scalar kGpu(60, 160, 60);
const cv::Scalar kStall(50, 50, 210);
const cv::Scalar kOk(60, 150, 60);
const cv::Scalar kBad(50, 50, 200);
const cv::Scalar kTotal(120, 120, 120);

void Text(cv::Mat& img, const std::string& text, cv::Point at, double scale, const cv::Scalar& c,
          int thickness = 1) {
  cv::putText(img, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, c, thickness, cv::LINE_AA);
}

int TextWidth(const std::string& text, double scale, int thickness = 1) {
  int baseline = 0;
  return cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline).width;
}

// `text` ending in "..." (trimmed to fit `width` pixels) when it is `cut` short or
// wider than `width`; otherwise `text` itself.
std::string Ellipsize(std::string text, bool cut, int width, double scale, int thickness = 1) {
  if (!cut && TextWidth(text, scale, thickness) <= width) return text;
  while (!text.empty() && TextWidth(text + "...", scale, thickness) > width) text.pop_back();
  return text + "...";
}

void DrawBadges(cv::Mat& img, const v1::Report& r) {
  int x = 30;
  for (const v1::Badge& b : r.badges()) {
    const std::string label = BadgeLabel(b);
    int baseline = 0;
    const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline);
    const cv::Rect box(x, 62, size.width + 20, 28);
    cv::rectangle(img, box, b.ok() ? kOk : kBad, cv::FILLED);
    Text(img, label, {x + 10, 81}, 0.5, cv::Scalar(255, 255, 255), 1);
    x += box.width + 12;
  }
}

void DrawWaterfall(cv::Mat& img, const v1::Waterfall& w) {
  struct Step {
    std::string name;
    double start_s;
    double seconds;
    cv::Scalar color;
  };
  // A cascade on one time axis: the serial path lays the parts end to end; the
  // overlapped epoch and the stall are drawn against it.
  const double io = w.disk_io_seconds(), net = w.network_seconds(), gpu = w.gpu_math_seconds();
  const std::vector<Step> steps = {
      {"Disk IO", 0, io, kDiskIo},
      {"Network", io, net, kNetwork},
      {"GPU math", io + net, gpu, kGpu},
      {"Stall (exposed)", gpu, w.stall_seconds(), kStall},
      {"Epoch, overlapped", 0, w.epoch_overlapped_seconds(), kTotal},
      {"Epoch, serial", 0, w.epoch_serial_seconds(), kTotal},
  };
  double axis_s = 0;
  for (const Step& s : steps) axis_s = std::max(axis_s, s.start_s + s.seconds);
  if (axis_s <= 0) axis_s = 1;
  const int left = 190, right = kPngWidth - 150, top = 130, row = 40;
  Text(img, "Data gravity waterfall - one epoch", {30, 118}, 0.6, kInk, 2);
  for (int i = 0; i <= 4; ++i) {
    const int x = left + (right - left) * i / 4;
    cv::line(img, {x, top}, {x, top + row * static_cast<int>(steps.size())}, kGrid, 1);
    Text(img, FormatDuration(axis_s * i / 4), {x - 20, top + row * 6 + 18}, 0.4, kInk);
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const int y = top + row * static_cast<int>(i) + 8;
    const int x0 = left + static_cast<int>((right - left) * (s.start_s / axis_s));
    const int x1 = left + static_cast<int>((right - left) * ((s.start_s + s.seconds) / axis_s));
    Text(img, s.name, {30, y + 18}, 0.5, kInk);
    cv::rectangle(img, cv::Rect(x0, y, std::max(1, x1 - x0), row - 14), s.color, cv::FILLED);
    Text(img, FormatDuration(s.seconds), {std::max(x1, x0) + 8, y + 18}, 0.45, kInk);
  }
}

void DrawLedger(cv::Mat& img, const v1::Report& r) {
  constexpr double kDetailScale = 0.38;
  constexpr int kDetailLineHeight = 16;
  const int top = 400, height = 108 + kDetailLineHeight * kMaxDetailLines, gap = 16;
  const int count = std::max(1, r.ledger_size());
  const int width = (kPngWidth - 60 - gap * (count - 1)) / count;
  for (int i = 0; i < r.ledger_size(); ++i) {
    const v1::LedgerCard& card = r.ledger(i);
    const int x = 30 + i * (width + gap);
    const cv::Scalar accent = card.ok() ? kOk : kBad;
    cv::rectangle(img, cv::Rect(x, top, width, height), cv::Scalar(248, 248, 248), cv::FILLED);
    cv::rectangle(img, cv::Rect(x, top, width, height), accent, 2);
    cv::rectangle(img, cv::Rect(x, top, width, 8), accent, cv::FILLED);
    Text(img, card.title(), {x + 12, top + 34}, 0.55, kInk, 1);
    Text(img, card.display(), {x + 12, top + 76}, 0.8, accent, 2);
    std::vector<std::string> lines = WrapText(card.detail(), width - 24, kDetailScale);
    if (lines.size() > static_cast<size_t>(kMaxDetailLines)) {
      lines.resize(kMaxDetailLines);
      lines.back() = Ellipsize(lines.back(), /*cut=*/true, width - 24, kDetailScale);
    }
    for (size_t l = 0; l < lines.size(); ++l) {
      Text(img, lines[l], {x + 12, top + 104 + kDetailLineHeight * static_cast<int>(l)},
           kDetailScale, kInk);
    }
  }
}

}  // namespace

std::vector<std::string> WrapText(const std::string& text, int max_width, double scale) {
  std::vector<std::string> lines;
  std::string line;
  auto fits = [&](const std::string& s) { return TextWidth(s, scale) <= max_width; };
  for (const std::string& word :
       std::vector<std::string>(absl::StrSplit(text, ' ', absl::SkipEmpty()))) {
    std::string candidate = line.empty() ? word : absl::StrCat(line, " ", word);
    if (fits(candidate)) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line = word;
    while (!fits(line)) {  // a word wider than a line: cut it where it stops fitting
      size_t cut = 1;
      while (cut < line.size() && fits(line.substr(0, cut + 1))) ++cut;
      lines.push_back(line.substr(0, cut));
      line.erase(0, cut);
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

cv::Mat DrawReport(const v1::Report& report) {
  cv::Mat img(kPngHeight, kPngWidth, CV_8UC3, cv::Scalar(255, 255, 255));
  std::string title = "Lab 04: The Data Factory";
  if (!report.persona_label().empty()) absl::StrAppend(&title, " - ", report.persona_label());
  if (!report.persona_scale().empty()) absl::StrAppend(&title, " (", report.persona_scale(), ")");
  // The persona's scale can be long: a smaller font first, then "..." if need be.
  const int title_width = kPngWidth - 60;
  double scale = 0.75;
  while (scale > 0.55 && TextWidth(title, scale, 2) > title_width) scale -= 0.05;
  title = Ellipsize(title, /*cut=*/false, title_width, scale, 2);
  Text(img, title, {30, 42}, scale, kInk, 2);
  DrawBadges(img, report);
  DrawWaterfall(img, report.waterfall());
  DrawLedger(img, report);
  return img;
}

absl::Status WritePng(const cv::Mat& image, const std::string& path) {
  bool written = false;
  try {  // OpenCV reports some failures (unknown extension, bad path) by throwing.
    written = cv::imwrite(path, image);
  } catch (const cv::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("--png '", path, "': ", e.what()));
  }
  if (!written)
    return absl::InvalidArgumentError(absl::StrCat("--png '", path, "' cannot be written"));
  return absl::OkStatus();
}

}  // namespace df::factory_cli
