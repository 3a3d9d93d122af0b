#include "clients/factory_cli/waterfall_png.h"

#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/factory_cli/dashboard_render.h"
#include "services/units/units_format.h"

namespace df::factory_cli {
namespace {

namespace v1 = ::datafactory::factory::v1;

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

// Hershey fonts draw ASCII only: the dashboard's few non-ASCII signs spelled out.
std::string Ascii(std::string text) {
  const std::pair<const char*, const char*> kSigns[] = {
      {"\xe2\x89\xa5", ">="}, {"\xe2\x89\xa4", "<="}, {"\xe2\x80\x94", "-"},
      {"\xe2\x80\x93", "-"},  {"\xe2\x9c\x94", "ok"}, {"\xe2\x9c\x98", "x"}};
  for (const auto& [from, to] : kSigns) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, std::string_view(from).size(), to);
    }
  }
  std::string out;
  for (char c : text) out.push_back(static_cast<unsigned char>(c) < 0x80 ? c : '?');
  return out;
}

void Heading(cv::Mat& img, const std::string& text, int y) {
  Text(img, text, {30, y}, 0.6, kInk, 2);
  cv::line(img, {30, y + 6}, {kPngWidth - 30, y + 6}, kGrid, 1);
}

void DrawBadges(cv::Mat& img, const v1::Report& r) {
  int x = 30;
  for (const v1::Badge& b : r.badges()) {
    const std::string label = Ascii(BadgeLabel(b));
    int baseline = 0;
    const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline);
    const cv::Rect box(x, 62, size.width + 20, 28);
    cv::rectangle(img, box, b.not_evaluated() ? kTotal : (b.ok() ? kOk : kBad), cv::FILLED);
    Text(img, label, {x + 10, 81}, 0.5, cv::Scalar(255, 255, 255), 1);
    x += box.width + 12;
  }
}

// Zone 2: the levers (left) and the money per tier (right).
void DrawLeversAndMoney(cv::Mat& img, const v1::Report& r) {
  Heading(img, "Levers", kZone2Top + 20);
  int y = kZone2Top + 44;
  // RenderLevers' rows are "  name   value": the name in one column, the value in the next.
  for (absl::string_view line : absl::StrSplit(RenderLevers(r.levers()), '\n', absl::SkipEmpty())) {
    line = absl::StripLeadingAsciiWhitespace(line);
    const size_t gap = line.find(' ');
    Text(img, std::string(line.substr(0, gap)), {42, y}, 0.42, kInk);
    if (gap != absl::string_view::npos) {
      Text(img, Ascii(std::string(absl::StripLeadingAsciiWhitespace(line.substr(gap)))), {190, y},
           0.42, kInk);
    }
    y += 16;
  }
  const int x = 500;
  Text(img, "Money per storage tier", {x, kZone2Top + 44}, 0.45, kInk, 1);
  Text(img, "a month", {x + 250, kZone2Top + 44}, 0.4, kTotal);
  Text(img, "GPU idle", {x + 370, kZone2Top + 44}, 0.4, kTotal);
  y = kZone2Top + 64;
  for (const v1::TierOption& t : r.money().tiers()) {
    const bool chosen = t.tier() == r.levers().storage_tier();
    std::string tier = v1::StorageTier_Name(t.tier()).substr(std::string("STORAGE_TIER_").size());
    absl::AsciiStrToLower(&tier);
    const cv::Scalar color = t.meets_gpu_hunger_target() ? kOk : kInk;
    Text(img, absl::StrCat(chosen ? "> " : "  ", tier), {x, y}, 0.42, color, chosen ? 2 : 1);
    Text(img, units::FormatDollars(t.storage_dollars_per_month()), {x + 250, y}, 0.42, color);
    Text(img, units::FormatPercent(t.gpu_idle_fraction()), {x + 370, y}, 0.42, color);
    y += 18;
  }
  Text(img,
       absl::StrCat("idle GPUs burn ", units::FormatDollars(r.money().idle_gpu_dollars_per_epoch()),
                    " an epoch (", units::FormatDollars(r.money().gpu_dollars_per_hour()), "/h)"),
       {x, y + 4}, 0.45, r.money().idle_gpu_dollars_per_epoch() > 0 ? kBad : kOk, 1);
}

const cv::Scalar& SegmentColor(char glyph) {
  switch (glyph) {
    case 'I':
      return kDiskIo;
    case 'N':
      return kNetwork;
    case 'G':
      return kGpu;
    default:
      return kStall;
  }
}

// Zone 3, top: two timelines on one axis, and a legend.
void DrawWaterfall(cv::Mat& img, const v1::Waterfall& w) {
  Heading(img, "Data gravity waterfall - one epoch", kZone3Top + 20);
  const double axis_s = std::max({w.epoch_serial_seconds(), w.epoch_overlapped_seconds(), 1e-9});
  const int left = 230, right = kPngWidth - 130, bar_h = 30;
  struct Row {
    const char* name;
    std::vector<WaterfallSegment> segments;
    double total;
  };
  const Row rows[] = {
      {"Serial (no overlap)", SerialTimeline(w), w.epoch_serial_seconds()},
      {"Overlapped (prefetch)", OverlappedTimeline(w), w.epoch_overlapped_seconds()}};
  int y = kZone3Top + 38;
  for (const Row& row : rows) {
    Text(img, row.name, {30, y + 20}, 0.5, kInk);
    double start = 0;
    for (const WaterfallSegment& s : row.segments) {
      const int x0 = left + static_cast<int>((right - left) * (start / axis_s));
      const int x1 = left + static_cast<int>((right - left) * ((start + s.seconds) / axis_s));
      if (s.seconds > 0) {
        cv::rectangle(img, cv::Rect(x0, y, std::max(1, x1 - x0), bar_h), SegmentColor(s.glyph),
                      cv::FILLED);
      }
      start += s.seconds;
    }
    const int end = left + static_cast<int>((right - left) * (row.total / axis_s));
    Text(img, units::FormatDuration(row.total), {end + 8, y + 20}, 0.45, kInk);
    y += bar_h + 12;
  }
  for (int i = 0; i <= 4; ++i) {  // the shared time axis
    const int x = left + (right - left) * i / 4;
    cv::line(img, {x, y - 4}, {x, y + 2}, kInk, 1);
    Text(img, units::FormatDuration(axis_s * i / 4), {x - 20, y + 16}, 0.38, kInk);
  }
  // Legend: every part with its duration.
  const std::pair<WaterfallSegment, const char*> legend[] = {
      {{"Disk IO", 'I', w.disk_io_seconds()}, ""},
      {{"Network", 'N', w.network_seconds()}, ""},
      {{"GPU math", 'G', w.gpu_math_seconds()}, ""},
      {{"Stall", 'S', w.stall_seconds()}, " (GPUs wait)"}};
  int x = 30;
  y += 40;
  for (const auto& [s, note] : legend) {
    cv::rectangle(img, cv::Rect(x, y - 11, 14, 14), SegmentColor(s.glyph), cv::FILLED);
    const std::string label = absl::StrCat(s.name, note, " ", units::FormatDuration(s.seconds));
    Text(img, label, {x + 20, y}, 0.45, kInk);
    x += 20 + TextWidth(label, 0.45) + 28;
  }
}

void DrawLedger(cv::Mat& img, const v1::Report& r) {
  constexpr double kDetailScale = 0.38;
  constexpr int kDetailLineHeight = 16;
  const int top = kLedgerTop, height = 108 + kDetailLineHeight * kMaxDetailLines, gap = 16;
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
    Text(img, Ascii(card.display()), {x + 12, top + 76}, 0.8, accent, 2);
    std::vector<std::string> lines = WrapText(Ascii(card.detail()), width - 24, kDetailScale);
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

namespace {

// Zone 4: the consequence log and the rationale box.
void DrawLogAndRationale(cv::Mat& img, const v1::Report& r,
                         const v1::RationaleRecorded* rationale) {
  Heading(img, "Consequence log", kZone4Top + 20);
  const int width = kPngWidth - 60;
  int y = kZone4Top + 44;
  int shown = 0;
  for (const v1::Consequence& c : r.consequences()) {
    if (shown == kMaxLogLines) {
      Text(img, absl::StrCat("... and ", r.consequences_size() - shown, " more"), {30, y}, 0.42,
           kTotal);
      y += 18;
      break;
    }
    const bool alert = c.severity() == v1::SEVERITY_ALERT;
    const bool warning = c.severity() == v1::SEVERITY_WARNING;
    const std::string tag = alert ? "ALERT" : (warning ? "WARN" : "INFO");
    Text(img, tag, {30, y}, 0.42, alert ? kBad : (warning ? cv::Scalar(0, 140, 200) : kTotal), 1);
    Text(img, Ellipsize(Ascii(c.message()), false, width - 60, 0.42), {90, y}, 0.42, kInk);
    y += 18;
    ++shown;
  }
  const int box_top = std::max(y + 8, kPngHeight - 150);
  cv::rectangle(img, cv::Rect(30, box_top, width, kPngHeight - 20 - box_top),
                cv::Scalar(248, 248, 248), cv::FILLED);
  Text(img, "Rationale", {42, box_top + 24}, 0.55, kInk, 2);
  int line_y = box_top + 48;
  auto line = [&](const std::string& text, const cv::Scalar& color) {
    for (const std::string& l : WrapText(Ascii(text), width - 24, 0.42)) {
      if (line_y > kPngHeight - 28) return;
      Text(img, l, {42, line_y}, 0.42, color);
      line_y += 17;
    }
  };
  if (rationale == nullptr) {
    line(
        "No rationale in this session yet. Defend the storage tier with the feeding-tax math: "
        "factory-cli rationale --session ID --text \"supply ... >= demand ..., GPU idle ... %\"",
        kTotal);
    return;
  }
  std::string tier = v1::StorageTier_Name(rationale->levers().storage_tier());
  tier = tier.substr(std::min(tier.size(), std::string("STORAGE_TIER_").size()));
  absl::AsciiStrToLower(&tier);
  line(absl::StrCat("\"", rationale->text(), "\"  (defends storage tier ", tier, ")"), kInk);
  const v1::RationaleGrade& g = rationale->grade();
  std::string verdict =
      v1::RationaleVerdict_Name(g.verdict()).substr(std::string("RATIONALE_VERDICT_").size());
  line(absl::StrCat("Grade: ", verdict, " - ", g.summary()), g.accepted() ? kOk : kBad);
}

}  // namespace

cv::Mat DrawReport(const v1::Report& report, const v1::RationaleRecorded* rationale) {
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
  DrawLeversAndMoney(img, report);
  DrawWaterfall(img, report.waterfall());
  DrawLedger(img, report);
  DrawLogAndRationale(img, report, rationale);
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
