// The figure catalogue: every constant the formulas use is there, with unit and source.
#include "services/factory_sim/model/figures.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace df::factory {
namespace {

using namespace figures;  // NOLINT(build/namespaces)

TEST(FigureCatalogueTest, IdsAreUniqueAndEveryFigureHasUnitAndSource) {
  std::set<std::string> ids;
  for (const Figure& f : FigureCatalogue()) {
    EXPECT_TRUE(ids.insert(f.id).second) << "duplicate " << f.id;
    EXPECT_FALSE(f.unit.empty()) << f.id;
    EXPECT_FALSE(f.source.empty()) << f.id;
    EXPECT_FALSE(f.description.empty()) << f.id;
    EXPECT_GE(f.value, 0.0) << f.id;
  }
  EXPECT_GE(FigureCatalogue().size(), 60u);
}

TEST(FigureCatalogueTest, TheModelsConstantsAreCatalogued) {
  const std::vector<std::pair<std::string, double>> used = {
      {"s3_standard_dollars_per_gb_month", kS3StandardDollarsPerGbMonth},
      {"s3_standard_ia_retrieval_dollars_per_gb", kS3StandardIaRetrievalDollarsPerGb},
      {"glacier_instant_retrieval_dollars_per_gb", kGlacierInstantRetrievalDollarsPerGb},
      {"glacier_flexible_standard_restore_seconds", kGlacierFlexibleStandardRestoreSeconds},
      {"glacier_deep_standard_restore_dollars_per_gb", kGlacierDeepStandardRestoreDollarsPerGb},
      {"ebs_gp3_dollars_per_gb_month", kEbsGp3DollarsPerGbMonth},
      {"cloud_disk_bytes_per_s", kCloudDiskBytesPerS},
      {"nvme_p4d_raid0_bytes_per_s", kNvmeP4dRaid0BytesPerS},
      {"s3_get_stream_bytes_per_s", kS3GetStreamBytesPerS},
      {"s3_prefix_get_requests_per_s", kS3PrefixGetRequestsPerS},
      {"egress_flat_dollars_per_gb", kEgressFlatDollarsPerGb},
      {"egress_free_gb_per_month", kEgressFreeGbPerMonth},
      {"egress_tier4_dollars_per_gb", kEgressTier4DollarsPerGb},
      {"s3_export_to_device_dollars_per_gb", kS3ExportToDeviceDollarsPerGb},
      {"long_haul_link_efficiency", kLongHaulLinkEfficiency},
      {"snowball_capacity_bytes", kSnowballCapacityBytes},
      {"snowball_copy_bytes_per_s", kSnowballCopyBytesPerS},
      {"snowball_job_fee_dollars", kSnowballJobFeeDollars},
      {"snowball_extra_day_dollars", kSnowballExtraDayDollars},
      {"ship_miles_per_day", kShipMilesPerDay},
      {"a100x8_images_per_s", kA100x8ImagesPerS},
      {"h100_images_per_s", kH100ImagesPerS},
      {"resnet50_flops_per_image", kResNet50FlopsPerImage},
      {"imagenet_mean_jpeg_bytes", kImageNetMeanJpegBytes},
      {"dram_32bit_access_joules", kDram32BitAccessJoules},
      {"internet_2024_kwh_per_gb", kInternet2024KwhPerGb},
      {"tiny_pioneer_redundant_fraction", kTinyPioneerRedundantFraction},
      {"egress_budget_dollars", kEgressBudgetDollars},
  };
  for (const auto& [id, value] : used) {
    const Figure* f = FindFigure(id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_DOUBLE_EQ(f->value, value) << id;
  }
  EXPECT_EQ(FindFigure("no_such_figure"), nullptr);
}

// Numeric literals in `source`, outside comments, string and character literals
// (digits inside identifiers such as kDram64BitReadJoules do not count).
std::vector<std::string> NumericLiterals(const std::string& source) {
  std::vector<std::string> found;
  size_t i = 0;
  while (i < source.size()) {
    const char c = source[i];
    if (source.compare(i, 2, "//") == 0) {
      i = source.find('\n', i);
      if (i == std::string::npos) break;
    } else if (source.compare(i, 2, "/*") == 0) {
      i = source.find("*/", i + 2);
      if (i == std::string::npos) break;
      i += 2;
    } else if (c == '"' || c == '\'') {
      for (++i; i < source.size() && source[i] != c; ++i) {
        if (source[i] == '\\') ++i;
      }
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < source.size() &&
             (std::isalnum(static_cast<unsigned char>(source[i])) || source[i] == '_')) {
        ++i;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      const size_t start = i;
      while (i < source.size() &&
             (std::isalnum(static_cast<unsigned char>(source[i])) || source[i] == '.')) {
        ++i;
      }
      found.push_back(source.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return found;
}

TEST(FigureCatalogueTest, TheCatalogueHoldsNoLiteralFigures) {
  EXPECT_EQ(NumericLiterals("f(\"a 1 b\", kA1, 0.5) // 7"), std::vector<std::string>{"0.5"});
  std::ifstream in(std::string(DF_MODEL_SOURCE_DIR) + "/figures.cc");
  ASSERT_TRUE(in) << "cannot read figures.cc";
  const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(NumericLiterals(source), std::vector<std::string>{})
      << "every figure's value must be a k... constant from figures.h";
}

TEST(FigureCatalogueTest, NamedFiguresMatchTheirConstants) {
  const std::vector<std::pair<std::string, double>> named = {
      {"glacier_flexible_expedited_restore_dollars_per_gb",
       kGlacierFlexibleExpeditedRestoreDollarsPerGb},
      {"glacier_flexible_expedited_restore_seconds", kGlacierFlexibleExpeditedRestoreSeconds},
      {"glacier_flexible_bulk_restore_seconds", kGlacierFlexibleBulkRestoreSeconds},
      {"glacier_deep_bulk_restore_dollars_per_gb", kGlacierDeepBulkRestoreDollarsPerGb},
      {"glacier_deep_bulk_restore_seconds", kGlacierDeepBulkRestoreSeconds},
      {"ebs_gp3_baseline_iops", kEbsGp3BaselineIops},
      {"ebs_gp3_max_bytes_per_s", kEbsGp3MaxBytesPerS},
      {"fiber_link_100gbps_bits_per_s", kFiberLink100GbpsBitsPerS},
      {"snowball_80tb_capacity_bytes", kSnowball80TbCapacityBytes},
      {"mlperf_v3_8xh100_resnet_minutes", kMlperfV3EightH100ResNetMinutes},
      {"dram_64bit_read_max_joules", kDram64BitReadMaxJoules},
      {"cloud_titan_gpus", kCloudTitanGpus},
  };
  for (const auto& [id, value] : named) {
    const Figure* f = FindFigure(id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_DOUBLE_EQ(f->value, value) << id;
  }
  EXPECT_DOUBLE_EQ(kGlacierDeepBulkRestoreSeconds, 48 * 3600.0);
  EXPECT_DOUBLE_EQ(kEbsGp3MaxBytesPerS, 1000.0 * 1024 * 1024);
}

TEST(FigureCatalogueTest, DerivedFiguresFollowFromTheirParts) {
  // ResNet-50 training: 3 x 4.1 G multiply-adds x 2 FLOP = 24.6 GFLOP an image (not 12.3).
  EXPECT_DOUBLE_EQ(kResNet50FlopsPerImage, 24.6e9);
  EXPECT_DOUBLE_EQ(FindFigure("resnet50_flops_per_image")->value, 24.6e9);
  // ImageNet: the training archive over its images, about 115 KB an image.
  EXPECT_NEAR(kImageNetMeanJpegBytes, 115'441, 1);
  EXPECT_DOUBLE_EQ(FindFigure("imagenet_bytes")->value, 147.9e9);
  EXPECT_DOUBLE_EQ(FindFigure("cloud_titan_sample_bytes")->value, kImageNetMeanJpegBytes);
}

// Act III draws its frames with the pooled within-clip spread of the three measured clips:
// sqrt(sum (n_i - 1) s_i^2 / sum (n_i - 1)) over the catalogued per-clip figures.
TEST(FigureCatalogueTest, ActThreesSpreadIsThePooledMeasurement) {
  struct Clip {
    double n, sd_r, sd_b;
  };
  const Clip clips[] = {{kWbVtestFrames, kWbVtestLnGainGOverRSd, kWbVtestLnGainGOverBSd},
                        {kWbTreeFrames, kWbTreeLnGainGOverRSd, kWbTreeLnGainGOverBSd},
                        {kWbMegamindFrames, kWbMegamindLnGainGOverRSd, kWbMegamindLnGainGOverBSd}};
  double dof = 0, ss_r = 0, ss_b = 0;
  for (const Clip& c : clips) {
    dof += c.n - 1;
    ss_r += (c.n - 1) * c.sd_r * c.sd_r;
    ss_b += (c.n - 1) * c.sd_b * c.sd_b;
  }
  // The per-clip figures are rounded to 5 decimals; the pooled ones agree to that.
  EXPECT_NEAR(std::sqrt(ss_r / dof), kWbLnGainGOverRSd, 2e-5);
  EXPECT_NEAR(std::sqrt(ss_b / dof), kWbLnGainGOverBSd, 2e-5);
  for (const char* id : {"wb_ln_gain_g_over_r_sd", "wb_ln_gain_g_over_b_sd",
                         "wb_vtest_ln_gain_g_over_r_sd", "wb_megamind_frames"}) {
    const Figure* f = FindFigure(id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_NE(f->source.find("wb-gain-spread"), std::string::npos) << id;
  }
}

TEST(FigureCatalogueTest, SnowballSourcesSayTheServiceIsClosedToNewCustomers) {
  EXPECT_NE(FindFigure("snowball_capacity_bytes")->source.find("no longer offered to new"),
            std::string::npos);
  // The 80 TB device's fees are catalogued as its own, for reference.
  EXPECT_NE(FindFigure("snowball_job_fee_dollars")->description.find("80 TB"), std::string::npos);
  EXPECT_DOUBLE_EQ(FindFigure("snowball_210tb_included_days_on_site")->value, 15);
}

TEST(FigureCatalogueTest, EstimatesAreMarked) {
  EXPECT_TRUE(FindFigure("h100_images_per_s")->estimate);
  EXPECT_TRUE(FindFigure("internet_2024_kwh_per_gb")->estimate);
  EXPECT_TRUE(FindFigure("snowball_job_fee_dollars")->estimate);
  EXPECT_FALSE(FindFigure("egress_flat_dollars_per_gb")->estimate);
  EXPECT_FALSE(FindFigure("a100x8_images_per_s")->estimate);
}

}  // namespace
}  // namespace df::factory
