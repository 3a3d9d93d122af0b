// factory-cli's rendering as pure functions: the four zones in text (with and
// without colour) and the PNG picture drawn with OpenCV.
#include <gtest/gtest.h>

#include <algorithm>
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

// Two timelines on one axis: serial (the parts end to end) and overlapped (GPU math, then the
// stall), and a legend naming every part with its duration.
TEST(DashboardRenderTest, WaterfallIsTwoTimelinesWithALegend) {
  const std::string text =
      RenderWaterfall(SampleReport().waterfall(), {.color = false, .width = 80});
  auto row = [&](const std::string& label) {
    const size_t line = text.find("  " + label);
    EXPECT_NE(line, std::string::npos) << label << " in\n" << text;
    if (line == std::string::npos) return std::string();
    return text.substr(line, text.find('\n', line) - line);
  };
  auto count = [](const std::string& r, char glyph) {
    return std::count(r.begin(), r.end(), glyph);
  };
  const std::string serial = row("serial");
  const std::string overlapped = row("overlapped");
  const int cells = 80 - 32;  // the serial epoch (637 s) spans the axis
  EXPECT_NEAR(static_cast<double>(count(serial, 'I')), 560.0 / 637 * cells, 1);
  EXPECT_NEAR(static_cast<double>(count(serial, 'G')), 77.0 / 637 * cells, 1);
  EXPECT_EQ(count(serial, 'N'), 0);  // no network time: no cell
  EXPECT_NEAR(static_cast<double>(count(overlapped, 'G')), 77.0 / 637 * cells, 1);
  EXPECT_NEAR(static_cast<double>(count(overlapped, 'S')), 483.0 / 637 * cells, 1);
  EXPECT_NE(serial.find("10.6 min"), std::string::npos) << serial;          // 637 s
  EXPECT_NE(overlapped.find("9.33 min"), std::string::npos) << overlapped;  // 560 s
  const std::string legend = row("legend:");
  for (const char* part :
       {"I disk IO 9.33 min", "N network 0 s", "G GPU math 77 s", "S stall (GPUs wait) 8.05 min"}) {
    EXPECT_NE(legend.find(part), std::string::npos) << part << " in " << legend;
  }
}

TEST(DashboardRenderTest, MoneyAndDriftSectionsShowWhatTheReportCarries) {
  v1::Report r = SampleReport();
  v1::Money* money = r.mutable_money();
  money->set_gpu_dollars_per_hour(32.77);
  money->set_idle_gpu_dollars_per_epoch(4.68);
  money->set_idle_gpu_dollars_per_training_run(421.6);
  money->set_training_epochs(90);
  v1::TierOption* nvme = money->add_tiers();
  nvme->set_tier(v1::STORAGE_TIER_LOCAL_NVME);
  nvme->set_supply_bytes_per_s(16e9);
  nvme->set_meets_gpu_hunger_target(true);
  v1::TierOption* disk = money->add_tiers();
  disk->set_tier(v1::STORAGE_TIER_CLOUD_DISK);
  disk->set_storage_dollars_per_month(11.83);
  disk->set_gpu_idle_fraction(0.87);
  const std::string text = RenderDashboard(r, {.color = false, .width = 80});
  EXPECT_NE(text.find("idle they burn $4.68 an epoch, $422 over 90 epochs"), std::string::npos)
      << text;
  EXPECT_NE(text.find("> cloud disk"), std::string::npos) << text;  // the chosen tier
  EXPECT_NE(text.find("$12"), std::string::npos);
  EXPECT_NE(text.find("87 %"), std::string::npos);

  v1::DriftCheck* drift = r.mutable_drift();
  drift->set_evaluated(true);
  drift->set_alpha(0.01);
  drift->set_tests(4);
  drift->set_per_test_alpha(0.0025);
  v1::CityDrift* city = drift->add_cities();
  city->set_city("Lakewood");
  city->set_firmware_updated(true);
  city->set_detected(true);
  v1::FeatureTest* test = city->add_tests();
  test->set_feature("wb_gain_log_g_over_b");
  test->set_n_reference(200);
  test->set_n_current(50);
  test->set_ks_statistic(0.295);
  test->set_critical_statistic(0.29);
  test->set_p_value(0.00156);
  test->set_rejected(true);
  const std::string drift_text = RenderDrift(*drift, {});
  EXPECT_NE(drift_text.find("alpha 0.01 / 4 tests = 0.0025 per test"), std::string::npos)
      << drift_text;
  EXPECT_NE(drift_text.find("Lakewood   DRIFT"), std::string::npos) << drift_text;
  EXPECT_NE(drift_text.find("n=200+50  D=0.295 (critical 0.290)  p=0.00156 rejects"),
            std::string::npos)
      << drift_text;
}

TEST(DashboardRenderTest, ABadgeThatDoesNotApplyIsNeitherGreenNorRed) {
  v1::Badge drift;
  drift.set_id("no_drift");
  drift.set_label("Drift Detected");
  drift.set_ok(true);
  drift.set_not_evaluated(true);
  EXPECT_EQ(BadgeLabel(drift), "Drift: not evaluated");
  v1::Report r = SampleReport();
  *r.add_badges() = drift;
  const std::string text = RenderDashboard(r, {.color = true, .width = 80});
  EXPECT_EQ(text.find("\033[1;37;42m ✔ Drift"), std::string::npos);
  EXPECT_NE(text.find("– Drift: not evaluated"), std::string::npos) << text;
}

TEST(DashboardRenderTest, FiguresAreFilteredAndShowTheirSources) {
  v1::GetFigureCatalogueResponse catalogue;
  v1::Figure* f = catalogue.add_figures();
  f->set_id("snowball_capacity_bytes");
  f->set_description("Snowball Edge Storage Optimized usable capacity (210 TB)");
  f->set_value(2.1e14);
  f->set_unit("B");
  f->set_source("AWS Snowball Edge developer guide");
  v1::Figure* g = catalogue.add_figures();
  g->set_id("a100_images_per_s");
  g->set_value(2470);
  g->set_unit("images/s");
  g->set_source("NVIDIA DeepLearningExamples");
  g->set_estimate(true);
  const std::string all = RenderFigures(catalogue, "", {});
  EXPECT_NE(all.find("a100_images_per_s  2470 images/s  (estimate)"), std::string::npos) << all;
  EXPECT_NE(all.find("2 of 2 figures"), std::string::npos);
  const std::string snow = RenderFigures(catalogue, "SNOWBALL", {});
  EXPECT_NE(snow.find("snowball_capacity_bytes  2.1e+14 B"), std::string::npos) << snow;
  EXPECT_NE(snow.find("source: AWS Snowball Edge developer guide"), std::string::npos);
  EXPECT_EQ(snow.find("a100"), std::string::npos);
  EXPECT_NE(snow.find("1 of 2 figures matching \"SNOWBALL\""), std::string::npos);
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
    const int baseline_y = kLedgerTop + 104 + 16 * line;
    EXPECT_GT(ink_rows(baseline_y - 9, baseline_y + 1), 20) << "detail line " << line;
  }
}

// Ink (dark text) in a band of rows: something was drawn there.
int InkIn(const cv::Mat& img, int y0, int y1, int x0 = 30, int x1 = kPngWidth - 30) {
  int ink = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const cv::Vec3b& p = img.at<cv::Vec3b>(y, x);
      if (p[0] < 120 && p[1] < 120 && p[2] < 120) ++ink;
    }
  }
  return ink;
}

TEST(WaterfallPngTest, AllFourZonesAreDrawn) {
  v1::Report r = SampleReport();
  v1::TierOption* tier = r.mutable_money()->add_tiers();
  tier->set_tier(v1::STORAGE_TIER_CLOUD_DISK);
  tier->set_storage_dollars_per_month(11.83);
  const cv::Mat without = DrawReport(r);
  EXPECT_GT(InkIn(without, 0, kZone2Top), 500);                    // Zone 1: title, badges
  EXPECT_GT(InkIn(without, kZone2Top, kZone3Top, 30, 480), 500);   // Zone 2: levers
  EXPECT_GT(InkIn(without, kZone2Top, kZone3Top, 500, 970), 300);  // Zone 2: money per tier
  EXPECT_GT(InkIn(without, kZone3Top, kLedgerTop), 500);           // Zone 3: waterfall + legend
  EXPECT_GT(InkIn(without, kZone4Top, kPngHeight), 500);           // Zone 4: log + rationale
  // The rationale box shows the session's rationale and its grade when there is one.
  v1::RationaleRecorded rationale;
  rationale.set_text("NVMe: supply 16 GB/s >= demand 1.9 GB/s, GPU idle 0 %");
  rationale.mutable_grade()->set_verdict(v1::RATIONALE_VERDICT_ACCEPTED);
  rationale.mutable_grade()->set_accepted(true);
  rationale.mutable_grade()->set_summary("Accepted");
  const cv::Mat with = DrawReport(r, &rationale);
  EXPECT_GT(cv::norm(with, without, cv::NORM_L1), 0.0);
  // The accepted grade is written in the "ok" green (anti-aliased: green dominates).
  int green = 0;
  for (int y = kZone4Top; y < kPngHeight; ++y) {
    for (int x = 0; x < kPngWidth; ++x) {
      const cv::Vec3b& p = with.at<cv::Vec3b>(y, x);
      green += p[1] > p[0] + 40 && p[1] > p[2] + 40 ? 1 : 0;
    }
  }
  EXPECT_GT(green, 50);
}

TEST(WaterfallPngTest, UnwritablePathIsAnErrorNamingTheFile) {
  const absl::Status s = WritePng(DrawReport(SampleReport()), "/nonexistent-dir/x.png");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-dir/x.png"), std::string::npos);
}

}  // namespace
}  // namespace df::factory_cli
