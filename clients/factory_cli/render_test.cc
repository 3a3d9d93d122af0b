// factory-cli's rendering as pure functions: the four zones in text (with and
// without colour) and the PNG picture drawn with OpenCV.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "absl/strings/str_join.h"
#include "clients/factory_cli/dashboard_render.h"
#include "clients/factory_cli/waterfall_png.h"

namespace df::factory_cli {
namespace {

namespace v1 = ::datafactory::factory::v1;

v1::Report SampleReport() {
  v1::Report r;
  r.set_persona_label("Cloud Titan");
  r.set_persona_scale("8x A100");
  r.mutable_levers()->set_persona(v1::PERSONA_CLOUD_TITAN);
  r.mutable_levers()->set_storage_tier(v1::STORAGE_TIER_CLOUD_DISK);
  r.mutable_levers()->set_dataset_bytes(140e9);
  auto* egress = r.add_badges();
  egress->set_id("egress_under_100k");
  egress->set_label("Egress < $100k");
  egress->set_ok(true);
  auto* hunger = r.add_badges();
  hunger->set_id("gpu_hunger_under_10pct");
  hunger->set_label("GPU Hunger < 10%");
  hunger->set_ok(false);
  auto* card = r.add_ledger();
  card->set_id("ingestion_speed");
  card->set_title("Ingestion Speed");
  card->set_display("250 MB/s");
  card->set_ok(false);
  v1::Waterfall* w = r.mutable_waterfall();
  w->set_disk_io_seconds(560);
  w->set_gpu_math_seconds(77);
  w->set_stall_seconds(483);
  w->set_epoch_overlapped_seconds(560);
  w->set_epoch_serial_seconds(637);
  auto* c = r.add_consequences();
  c->set_severity(v1::SEVERITY_ALERT);
  c->set_message("GPUs idle 86 % of the time: the disk cannot feed them.");
  auto* q = c->add_numbers();
  q->set_name("supply");
  q->set_value(250e6);
  q->set_unit("bytes/s");
  return r;
}

TEST(DashboardRenderTest, PlainTextHasTheFourZonesAndNoEscapeCodes) {
  const std::string text = RenderDashboard(SampleReport(), {.color = false, .width = 80});
  EXPECT_NE(text.find("Lab 04: The Data Factory"), std::string::npos);
  EXPECT_NE(text.find("Cloud Titan"), std::string::npos);
  EXPECT_NE(text.find("[ ✘ GPU Hunger < 10% ]"), std::string::npos) << text;
  EXPECT_NE(text.find("[ ✔ Egress < $100k ]"), std::string::npos);
  EXPECT_NE(text.find("Levers"), std::string::npos);
  EXPECT_NE(text.find("cloud disk"), std::string::npos);
  EXPECT_NE(text.find("Ingestion Speed"), std::string::npos);
  EXPECT_NE(text.find("Data gravity waterfall"), std::string::npos);
  EXPECT_NE(text.find("Consequence log"), std::string::npos);
  EXPECT_NE(text.find("ALERT GPUs idle 86 %"), std::string::npos);
  EXPECT_NE(text.find("supply = 250 MB/s"), std::string::npos);
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST(DashboardRenderTest, ColourMarksFailingBadgesRed) {
  const std::string text = RenderDashboard(SampleReport(), {.color = true, .width = 80});
  EXPECT_NE(text.find("\033[1;37;41m ✘ GPU Hunger < 10% "), std::string::npos);
  EXPECT_NE(text.find("\033[1;37;42m ✔ Egress < $100k "), std::string::npos);
}

TEST(DashboardRenderTest, WaterfallBarsAreProportionalToTime) {
  const std::string text =
      RenderWaterfall(SampleReport().waterfall(), {.color = false, .width = 80});
  auto bar_length = [&](const std::string& label) {
    const size_t line = text.find(label);
    const size_t end = text.find('\n', line);
    const std::string row = text.substr(line, end - line);
    return std::count(row.begin(), row.end(), '#');
  };
  const auto disk = bar_length("Disk IO");
  const auto gpu = bar_length("GPU math");
  EXPECT_EQ(disk, 80 - 32);  // the longest part fills the bar
  EXPECT_NEAR(static_cast<double>(gpu) / disk, 77.0 / 560.0, 0.03);
  EXPECT_EQ(bar_length("Network"), 0);
}

TEST(DashboardRenderTest, DriftBadgeReadsAsAnAlert) {
  v1::Badge drift;
  drift.set_id("no_drift");
  drift.set_label("Drift Detected");
  drift.set_ok(true);
  EXPECT_EQ(BadgeLabel(drift), "No Drift");
  drift.set_ok(false);
  EXPECT_EQ(BadgeLabel(drift), "Drift Detected");
}

TEST(DashboardRenderTest, ColourOnlyOnATerminalWithoutNoColor) {
  EXPECT_TRUE(UseColor(true, nullptr));
  EXPECT_TRUE(UseColor(true, ""));
  EXPECT_FALSE(UseColor(true, "1"));
  EXPECT_FALSE(UseColor(false, nullptr));
}

TEST(DashboardRenderTest, TickLineShowsCoalescedTicks) {
  v1::TelemetryTick tick;
  tick.set_gpu_utilization(0.14);
  tick.set_coalesced_ticks(12);
  tick.set_bytes_moved(2.5e12);
  const std::string line = RenderTick(tick, {});
  EXPECT_NE(line.find("14.0%"), std::string::npos) << line;
  EXPECT_NE(line.find("+12 coalesced"), std::string::npos);
  EXPECT_NE(line.find("2.5 TB"), std::string::npos) << line;
}

TEST(WaterfallPngTest, DrawsBarsInTheComponentColours) {
  const cv::Mat img = DrawReport(SampleReport());
  ASSERT_EQ(img.cols, kPngWidth);
  ASSERT_EQ(img.rows, kPngHeight);
  ASSERT_EQ(img.type(), CV_8UC3);
  // Count pixels of the disk-IO blue and the stall red: both parts are drawn,
  // the disk bar (560 s) longer than the stall bar (483 s).
  int disk = 0, stall = 0;
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      const cv::Vec3b& p = img.at<cv::Vec3b>(y, x);
      if (p == cv::Vec3b(200, 120, 40)) ++disk;
      if (p == cv::Vec3b(50, 50, 210)) ++stall;
    }
  }
  EXPECT_GT(disk, 1000);
  EXPECT_GT(stall, 1000);
  EXPECT_GT(disk, stall);
}

TEST(WaterfallPngTest, WrapTextKeepsEveryWordAndFitsTheWidth) {
  const std::string detail =
      "supply 250 MB/s vs GPU demand 2.10 GB/s; the data misses the deadline";
  const std::vector<std::string> lines = WrapText(detail, 200, 0.38);
  ASSERT_GE(lines.size(), 2u);
  int baseline = 0;
  for (const std::string& line : lines) {
    EXPECT_LE(cv::getTextSize(line, cv::FONT_HERSHEY_SIMPLEX, 0.38, 1, &baseline).width, 200)
        << line;
  }
  EXPECT_EQ(absl::StrJoin(lines, " "), detail);
  // A word wider than a line is cut, and nothing is lost.
  const std::vector<std::string> cut = WrapText(std::string(120, 'x'), 100, 0.38);
  ASSERT_GE(cut.size(), 3u);
  EXPECT_EQ(absl::StrJoin(cut, ""), std::string(120, 'x'));
  EXPECT_TRUE(WrapText("", 100, 0.38).empty());
}

TEST(WaterfallPngTest, LedgerDetailWrapsOntoSeveralLinesInsideTheCard) {
  v1::Report r = SampleReport();
  for (const char* title : {"Egress Cost", "Data Entropy", "Pipeline Health"}) {
    v1::LedgerCard* card = r.add_ledger();  // four cards, as every report has
    card->set_title(title);
    card->set_display("-");
  }
  r.mutable_ledger(0)->set_detail(
      "supply 250 MB/s vs GPU demand 2.10 GB/s: the pipeline feeds the GPUs 12 % of the time");
  const cv::Mat img = DrawReport(r);
  // Ink (dark grey text) in the card's first column, on each of the first three
  // detail lines' bands: the text went on past the first line.
  auto ink_rows = [&](int y0, int y1) {
    int ink = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = 40; x < 250; ++x) {
        const cv::Vec3b& p = img.at<cv::Vec3b>(y, x);
        if (p[0] < 120 && p[1] < 120 && p[2] < 120) ++ink;
      }
    }
    return ink;
  };
  for (int line = 0; line < 3; ++line) {
    const int baseline_y = 400 + 104 + 16 * line;
    EXPECT_GT(ink_rows(baseline_y - 9, baseline_y + 1), 20) << "detail line " << line;
  }
}

TEST(WaterfallPngTest, UnwritablePathIsAnErrorNamingTheFile) {
  const absl::Status s = WritePng(DrawReport(SampleReport()), "/nonexistent-dir/x.png");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-dir/x.png"), std::string::npos);
}

}  // namespace
}  // namespace df::factory_cli
