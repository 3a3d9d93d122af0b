// The golden table: every badge and card of every act's scenario, and the numbers behind them,
// against arithmetic written out here from the catalogue's sourced values (docs/model.md
// section 8). Nothing below calls the model's formulas: a wrong formula cannot agree with
// itself here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"

namespace df::factory {
namespace {

// Sourced values, as the catalogue states them.
constexpr double kA100x8 = 16'621;          // images/s, 8x A100
constexpr double kImageNetBytes = 147.9e9;  // ILSVRC2012_img_train.tar
constexpr double kImageNetImages = 1'281'167;
constexpr double kImageBytes = kImageNetBytes / kImageNetImages;  // 115,441 B
constexpr double kP4dPerHour = 32.7726;                           // 8x A100, USD/h
constexpr double kMacJoules = 3.7e-12 + 0.9e-12;                  // FP32 multiply + add
constexpr double kMacsPerImage = 3 * 4.1e9;                       // forward + backward
constexpr double kDramJoulesPerByte = 640e-12 / 4;                // 32-bit DRAM read
constexpr double kInternetJoulesPerByte = 0.003 * 3.6e6 / 1e9;
constexpr double kDay = 86'400;

struct Golden {
  const char* what;
  double got;
  double want;
};

void ExpectAll(const std::string& scenario, const std::vector<Golden>& rows) {
  for (const Golden& g : rows) {
    EXPECT_NEAR(g.got, g.want, 1e-9 * std::max(1.0, std::abs(g.want)))
        << scenario << ": " << g.what;
  }
}

Report Act(const char* name) {
  absl::StatusOr<Report> r = Evaluate(*ScenarioLevers(name));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Report{};
}

const Badge& B(const Report& r, const char* id) {
  for (const Badge& b : r.badges) {
    if (b.id == id) return b;
  }
  ADD_FAILURE() << "no badge " << id;
  return r.badges.front();
}

const LedgerCard& C(const Report& r, const char* id) {
  for (const LedgerCard& c : r.ledger) {
    if (c.id == id) return c;
  }
  ADD_FAILURE() << "no card " << id;
  return r.ledger.front();
}

// Act I: 1 PB in S3, 3,000 miles, 1 Gbps at 80 %, flat egress, Edge Guardian (250 KB frames).
TEST(GoldenActsTest, ActOne) {
  const Report r = Act("act1");
  const double demand = kA100x8 * 250e3;                 // 4.16 GB/s
  const double s3 = std::min(8 * 100e6, 5'500 * 250e3);  // 800 MB/s
  const double link = 1e9 * 0.8 / 8;                     // 100 MB/s
  const double images = 1e15 / 250e3;
  const double gpu = images / kA100x8;                         // 2.79 days
  const double fiber = 1e15 / link + 3'000 * 1'609.344 / 2e8;  // 115.7 days + 24 ms
  ExpectAll(
      "act1",
      {
          {"fiber seconds", r.chosen_plan.seconds, fiber},
          {"egress badge", B(r, "egress_under_100k").value, 1e6 * 0.09},
          {"egress card", C(r, "egress_cost").value, 90'000},
          {"hunger badge", B(r, "gpu_hunger_under_10pct").value, 1 - link / demand},
          {"ingestion card", C(r, "ingestion_speed").value, link},
          {"unique data card", C(r, "data_entropy").value, 1 - 0.4},
          {"pipeline health card", C(r, "pipeline_health").value, link / demand},
          {"disk io", r.waterfall.disk_io_seconds, 1e15 / s3},
          {"network", r.waterfall.network_seconds, 1e15 / link},
          {"gpu math", r.waterfall.gpu_math_seconds, gpu},
          {"stall", r.waterfall.stall_seconds, 1e15 / link - gpu},
          {"serial", r.waterfall.epoch_serial_seconds, 1e15 / s3 + 1e15 / link + gpu},
          {"move joules", r.energy.move_joules,
           1e15 * kInternetJoulesPerByte + 1e15 * kDramJoulesPerByte},
          {"compute joules", r.energy.compute_joules, images * kMacsPerImage * kMacJoules},
          {"board joules", r.energy.gpu_board_joules, 8 * 400 * gpu},
          {"storage a month", r.storage_dollars_per_month,
           50'000 * 0.023 + 450'000 * 0.022 + 500'000 * 0.021},  // $21,550
          {"idle burn", r.gpu_money.idle_dollars_per_epoch,
           kP4dPerHour * (1e15 / link - gpu) / 3600},
          {"snowball devices", static_cast<double>(r.transfer_plans[1].devices), 5},
          {"snowball seconds", r.transfer_plans[1].seconds, 2 * (2e14 / 1.5e9) + 2 * kDay},
          {"snowball job seconds", r.transfer_plans[1].job_seconds, 2 * (2e14 / 1.5e9) + 4 * kDay},
          {"snowball cost", r.transfer_plans[1].cost_dollars, 1e6 * 0.03},
          {"move compute cost", r.transfer_plans[2].cost_dollars,
           0.1024 * 0.09 + kP4dPerHour * (1e15 / s3) / 3600},
      });
  EXPECT_TRUE(B(r, "egress_under_100k").ok);
  EXPECT_FALSE(B(r, "gpu_hunger_under_10pct").ok);
  EXPECT_FALSE(B(r, "no_drift").evaluated);
  EXPECT_EQ(C(r, "ingestion_speed").display, "100 MB/s");
  EXPECT_EQ(C(r, "egress_cost").display, "$90,000");
  EXPECT_EQ(C(r, "data_entropy").display, "60 % unique");
  EXPECT_EQ(C(r, "data_entropy").title, "Unique Data");
  EXPECT_EQ(C(r, "pipeline_health").display, "2 %");
  EXPECT_FALSE(C(r, "ingestion_speed").ok);
  EXPECT_TRUE(C(r, "egress_cost").ok);
  EXPECT_TRUE(C(r, "data_entropy").ok);
  EXPECT_FALSE(C(r, "pipeline_health").ok);
  EXPECT_FALSE(r.chosen_plan.meets_deadline);
}

// Act I solved: the same petabyte on 5 Snowball Edge devices (an export job from S3).
TEST(GoldenActsTest, ActOneSnowball) {
  const Report r = Act("act1_snowball");
  const double demand = kA100x8 * 250e3;
  const double s3 = 8 * 100e6;
  ExpectAll("act1_snowball",
            {
                {"egress badge", B(r, "egress_under_100k").value, 30'000},
                {"egress card", C(r, "egress_cost").value, 30'000},
                {"hunger badge", B(r, "gpu_hunger_under_10pct").value, 1 - s3 / demand},  // 80.7 %
                {"ingestion card", C(r, "ingestion_speed").value, s3},
                {"pipeline health card", C(r, "pipeline_health").value, s3 / demand},
                {"network", r.waterfall.network_seconds, 0},
                {"plan days", r.chosen_plan.seconds / kDay, (2 * 2e14 / 1.5e9) / kDay + 2},  // 5.09
            });
  EXPECT_EQ(C(r, "egress_cost").display, "$30,000");
  EXPECT_TRUE(r.chosen_plan.meets_deadline);
  EXPECT_EQ(C(r, "pipeline_health").detail.find("deadline"), std::string::npos);
}

// Act II: ResNet-50 on 8x A100 reading the ImageNet archive from a 250 MB/s cloud disk.
TEST(GoldenActsTest, ActTwo) {
  const Report r = Act("act2");
  const double demand = kA100x8 * kImageBytes;   // 1.92 GB/s
  const double gpu = kImageNetImages / kA100x8;  // 77.1 s
  const double io = kImageNetBytes / 250e6;      // 591.6 s
  ExpectAll(
      "act2",
      {
          {"demand", r.feeding_tax.demand_bytes_per_s, demand},
          {"hunger badge", B(r, "gpu_hunger_under_10pct").value, 1 - 250e6 / demand},  // 87.0 %
          {"ingestion card", C(r, "ingestion_speed").value, 250e6},
          {"egress card", C(r, "egress_cost").value, 0},
          {"unique data card", C(r, "data_entropy").value, 1 - 0.02},
          {"pipeline health card", C(r, "pipeline_health").value, 250e6 / demand},
          {"disk io", r.waterfall.disk_io_seconds, io},
          {"gpu math", r.waterfall.gpu_math_seconds, gpu},
          {"stall", r.waterfall.stall_seconds, io - gpu},
          {"serial", r.waterfall.epoch_serial_seconds, io + gpu},
          {"compute joules", r.energy.compute_joules, kImageNetImages * kMacsPerImage * kMacJoules},
          {"board joules", r.energy.gpu_board_joules, 8 * 400 * gpu},                  // 0.247 MJ
          {"move joules", r.energy.move_joules, kImageNetBytes * kDramJoulesPerByte},  // 23.7 J
          {"operand / operation", r.energy.operand_to_operation_ratio, 640e-12 / kMacJoules},
          {"storage a month", r.storage_dollars_per_month, 147.9 * 0.08},  // EBS gp3
          {"idle burn", r.gpu_money.idle_dollars_per_epoch, kP4dPerHour * (io - gpu) / 3600},
          {"idle burn, 90 epochs", r.gpu_money.idle_dollars_per_training_run,
           90 * kP4dPerHour * (io - gpu) / 3600},
      });
  EXPECT_FALSE(B(r, "gpu_hunger_under_10pct").ok);
  EXPECT_EQ(C(r, "ingestion_speed").display, "250 MB/s");
  EXPECT_EQ(C(r, "egress_cost").display, "$0");
  EXPECT_EQ(C(r, "data_entropy").display, "98 % unique");
  EXPECT_EQ(C(r, "pipeline_health").display, "13 %");
  EXPECT_NE(C(r, "ingestion_speed").detail.find("idle GPUs burn $4.68 an epoch"), std::string::npos)
      << C(r, "ingestion_speed").detail;
  EXPECT_NE(C(r, "data_entropy").detail.find("$12 a month in cloud_disk"), std::string::npos)
      << C(r, "data_entropy").detail;
}

TEST(GoldenActsTest, ActTwoOnNvme) {
  const Report r = Act("act2_nvme");
  const double gpu = kImageNetImages / kA100x8;
  ExpectAll("act2_nvme",
            {
                {"hunger badge", B(r, "gpu_hunger_under_10pct").value, 0},
                {"ingestion card", C(r, "ingestion_speed").value, 16e9},
                {"pipeline health card", C(r, "pipeline_health").value, 1},
                {"disk io", r.waterfall.disk_io_seconds, kImageNetBytes / 16e9},  // 9.24 s
                {"overlapped", r.waterfall.epoch_overlapped_seconds, gpu},
                {"stall", r.waterfall.stall_seconds, 0},
                {"storage a month", r.storage_dollars_per_month, 0},  // in the instance price
                {"idle burn", r.gpu_money.idle_dollars_per_epoch, 0},
            });
  EXPECT_TRUE(B(r, "gpu_hunger_under_10pct").ok);
  EXPECT_EQ(C(r, "ingestion_speed").display, "16 GB/s");
  EXPECT_EQ(C(r, "pipeline_health").display, "100 %");
  EXPECT_TRUE(C(r, "pipeline_health").ok);
}

// Act III: the Tiny Pioneer's 10 TB of 20 KB doorbell frames on NVMe, and the drift check.
TEST(GoldenActsTest, ActThree) {
  const Report r = Act("act3");
  ExpectAll("act3", {
                        {"demand", r.feeding_tax.demand_bytes_per_s, kA100x8 * 20e3},
                        {"ingestion card", C(r, "ingestion_speed").value, 16e9},
                        {"unique data card", C(r, "data_entropy").value, 1 - 0.7},
                        {"pipeline health card", C(r, "pipeline_health").value, 1},
                        {"disk io", r.waterfall.disk_io_seconds, 10e12 / 16e9},
                        {"gpu math", r.waterfall.gpu_math_seconds, (10e12 / 20e3) / kA100x8},
                        {"drift badge threshold", B(r, "no_drift").threshold, 0.01 / 4},
                        {"drift badge value", B(r, "no_drift").value, r.drift.p_value},
                    });
  EXPECT_TRUE(B(r, "no_drift").evaluated);
  EXPECT_FALSE(B(r, "no_drift").ok);  // Lakewood drifts
  EXPECT_EQ(C(r, "data_entropy").display, "30 % unique");
  EXPECT_EQ(C(r, "pipeline_health").display, "100 %");
  EXPECT_FALSE(C(r, "pipeline_health").ok);  // GPUs busy, but the inputs drifted
  EXPECT_NE(C(r, "pipeline_health").detail.find("input drift detected"), std::string::npos);
}

}  // namespace
}  // namespace df::factory
