// Lever validation (every lever, both edges) and "name=value" parsing.
#include "services/factory_sim/model/levers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"

namespace df::factory {
namespace {

struct OutOfRangeCase {
  std::string lever;
  std::string bad_value;
  std::string range_text;  // must appear in the message
};

void PrintTo(const OutOfRangeCase& c, std::ostream* os) { *os << c.lever << "=" << c.bad_value; }

class LeverRangeTest : public ::testing::TestWithParam<OutOfRangeCase> {};

TEST_P(LeverRangeTest, ErrorNamesTheLeverAndItsRange) {
  const OutOfRangeCase& c = GetParam();
  absl::StatusOr<Levers> levers = ApplyLeverSetting(Levers{}, c.lever, c.bad_value);
  ASSERT_FALSE(levers.ok());
  EXPECT_EQ(levers.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(levers.status().message());
  EXPECT_TRUE(absl::StrContains(message, c.lever)) << message;
  EXPECT_TRUE(absl::StrContains(message, c.range_text)) << message;
}

INSTANTIATE_TEST_SUITE_P(
    EveryLever, LeverRangeTest,
    ::testing::Values(OutOfRangeCase{"dataset_bytes", "0.5MB", "1e6 .. 1e18"},
                      OutOfRangeCase{"dataset_bytes", "2EB", "1e6 .. 1e18"},
                      OutOfRangeCase{"link_rate_bits_per_s", "500kbps", "1e6 .. 4e11"},
                      OutOfRangeCase{"link_rate_bits_per_s", "1Tbps", "1e6 .. 4e11"},
                      OutOfRangeCase{"link_efficiency", "0", "(0, 1]"},
                      OutOfRangeCase{"link_efficiency", "1.01", "(0, 1]"},
                      OutOfRangeCase{"distance_miles", "-1", "0 .. 25000"},
                      OutOfRangeCase{"distance_miles", "25001", "0 .. 25000"},
                      OutOfRangeCase{"deadline_days", "0", "(0, 3650]"},
                      OutOfRangeCase{"deadline_days", "3651", "(0, 3650]"},
                      OutOfRangeCase{"dedup_fraction", "-0.01", "0 .. 0.5"},
                      OutOfRangeCase{"dedup_fraction", "51%", "0 .. 0.5"},
                      OutOfRangeCase{"drift_alpha", "0", "(0, 0.5]"},
                      OutOfRangeCase{"drift_alpha", "0.6", "(0, 0.5]"},
                      OutOfRangeCase{"gpu_count", "0", "1 .. 4096"},
                      OutOfRangeCase{"gpu_count", "4097", "1 .. 4096"},
                      OutOfRangeCase{"persona", "space_cowboy", "cloud_titan"},
                      OutOfRangeCase{"storage_tier", "floppy", "local_nvme"},
                      OutOfRangeCase{"transfer_method", "pigeon", "shipped_device"},
                      OutOfRangeCase{"pricing_model", "free", "flat | tiered"},
                      OutOfRangeCase{"gpu_type", "k80", "v100 | a100 | h100"}),
    [](const ::testing::TestParamInfo<OutOfRangeCase>& param_info) {
      return param_info.param.lever + "_" + std::to_string(param_info.index);
    });

TEST(ValidateLeversTest, DefaultsAreValid) { EXPECT_TRUE(ValidateLevers(Levers{}).ok()); }

TEST(ValidateLeversTest, RangeEdgesAreAccepted) {
  Levers levers;
  levers.dataset_bytes = 1e6;
  levers.link_rate_bits_per_s = 4e11;
  levers.link_efficiency = 1.0;
  levers.distance_miles = 0;
  levers.deadline_days = 3650;
  levers.dedup_fraction = 0.5;
  levers.drift_alpha = 0.5;
  levers.gpu_count = 4096;
  EXPECT_TRUE(ValidateLevers(levers).ok());
}

TEST(ValidateLeversTest, NanIsRejected) {
  Levers levers;
  levers.dedup_fraction = std::nan("");
  const absl::Status status = ValidateLevers(levers);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "dedup_fraction"));
}

TEST(ApplyLeverSettingTest, ByteAndBitRateUnitsShareOneParser) {
  absl::StatusOr<Levers> levers = ApplyLeverSettings(
      Levers{}, std::vector<std::string>{"dataset=140 GB", "link_rate=100 Mbps"});
  ASSERT_TRUE(levers.ok()) << levers.status();
  EXPECT_DOUBLE_EQ(levers->dataset_bytes, 1.4e11);
  EXPECT_DOUBLE_EQ(levers->link_rate_bits_per_s, 1e8);
  levers =
      ApplyLeverSettings(Levers{}, std::vector<std::string>{"dataset=2e12", "link_rate=0.2tbps"});
  ASSERT_TRUE(levers.ok()) << levers.status();
  EXPECT_DOUBLE_EQ(levers->dataset_bytes, 2e12);
  EXPECT_DOUBLE_EQ(levers->link_rate_bits_per_s, 2e11);
  // Each lever accepts only its own units.
  EXPECT_FALSE(ApplyLeverSettings(Levers{}, std::vector<std::string>{"dataset=10gbps"}).ok());
  EXPECT_FALSE(ApplyLeverSettings(Levers{}, std::vector<std::string>{"link_rate=1pb"}).ok());
  EXPECT_FALSE(ApplyLeverSettings(Levers{}, std::vector<std::string>{"dataset=xgb"}).ok());
}

TEST(ApplyLeverSettingTest, ParsesUnitsAliasesAndCase) {
  absl::StatusOr<Levers> levers = ApplyLeverSettings(
      Levers{}, std::vector<std::string>{"dataset=1PB", "Storage_Tier=NVMe", "link_rate=10Gbps",
                                         "dedup=30%", "method=snowball", "gpus=16", "gpu=h100",
                                         "pricing=tiered", "persona=tiny_pioneer", "alpha=0.05",
                                         "distance=3000", "deadline=12.5", "efficiency=0.9"});
  ASSERT_TRUE(levers.ok()) << levers.status();
  EXPECT_DOUBLE_EQ(levers->dataset_bytes, 1e15);
  EXPECT_EQ(levers->storage_tier, StorageTier::kLocalNvme);
  EXPECT_DOUBLE_EQ(levers->link_rate_bits_per_s, 1e10);
  EXPECT_DOUBLE_EQ(levers->dedup_fraction, 0.3);
  EXPECT_EQ(levers->transfer_method, TransferMethod::kShippedDevice);
  EXPECT_EQ(levers->gpu_count, 16);
  EXPECT_EQ(levers->gpu_type, GpuType::kH100);
  EXPECT_EQ(levers->pricing_model, PricingModel::kTiered);
  EXPECT_EQ(levers->persona, Persona::kTinyPioneer);
  EXPECT_DOUBLE_EQ(levers->drift_alpha, 0.05);
  EXPECT_DOUBLE_EQ(levers->distance_miles, 3000);
  EXPECT_DOUBLE_EQ(levers->deadline_days, 12.5);
  EXPECT_DOUBLE_EQ(levers->link_efficiency, 0.9);
}

TEST(ApplyLeverSettingTest, EveryTierAliasParses) {
  const std::vector<std::pair<std::string, StorageTier>> cases = {
      {"nvme", StorageTier::kLocalNvme},
      {"ebs", StorageTier::kCloudDisk},
      {"s3", StorageTier::kObjectStore},
      {"s3_ia", StorageTier::kObjectStoreInfrequent},
      {"glacier_instant", StorageTier::kGlacierInstant},
      {"glacier", StorageTier::kGlacierFlexible},
      {"deep_archive", StorageTier::kGlacierDeepArchive}};
  for (const auto& [text, tier] : cases) {
    absl::StatusOr<Levers> levers = ApplyLeverSetting(Levers{}, "storage_tier", text);
    ASSERT_TRUE(levers.ok()) << text << ": " << levers.status();
    EXPECT_EQ(levers->storage_tier, tier) << text;
  }
}

TEST(ApplyLeverSettingTest, UnknownLeverListsTheLeversWithTheirShortNames) {
  absl::StatusOr<Levers> levers = ApplyLeverSetting(Levers{}, "warp_drive=on");
  ASSERT_FALSE(levers.ok());
  const std::string message(levers.status().message());
  EXPECT_TRUE(absl::StrContains(message, "warp_drive"));
  // Every lever, each with the short names a setting may use.
  for (const char* listed :
       {"storage_tier [tier]", "dataset_bytes [dataset, dataset_size]", "dedup_fraction [dedup]",
        "link_rate_bits_per_s [link_rate]", "drift_alpha [alpha]", "gpu_count [gpus]",
        "firmware_severity [severity]", "persona,"}) {
    EXPECT_TRUE(absl::StrContains(message, listed)) << listed << " in " << message;
  }
}

TEST(ApplyLeverSettingTest, FirmwareSeverityIsAFractionOrAPercentFrom0To20Percent) {
  EXPECT_DOUBLE_EQ(Levers{}.firmware_severity, 0.01);
  absl::StatusOr<Levers> levers = ApplyLeverSetting(Levers{}, "severity=2%");
  ASSERT_TRUE(levers.ok()) << levers.status();
  EXPECT_DOUBLE_EQ(levers->firmware_severity, 0.02);
  EXPECT_TRUE(ApplyLeverSetting(Levers{}, "firmware_severity=0").ok());
  levers = ApplyLeverSetting(Levers{}, "severity=0.3");
  ASSERT_FALSE(levers.ok());
  EXPECT_TRUE(absl::StrContains(levers.status().message(),
                                "lever firmware_severity = 0.3 is out of range; allowed: 0 .. 0.2"))
      << levers.status();
}

TEST(ApplyLeverSettingTest, MissingEqualsAndGarbageNumbersAreRejected) {
  EXPECT_EQ(ApplyLeverSetting(Levers{}, "storage_tier").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<Levers> levers = ApplyLeverSetting(Levers{}, "dedup=lots");
  ASSERT_FALSE(levers.ok());
  EXPECT_TRUE(absl::StrContains(levers.status().message(), "dedup_fraction"));
}

TEST(ApplyLeverSettingTest, SettingsStopAtTheFirstBadOne) {
  absl::StatusOr<Levers> levers = ApplyLeverSettings(
      Levers{}, std::vector<std::string>{"dedup=0.2", "gpu_count=-3", "persona=nobody"});
  ASSERT_FALSE(levers.ok());
  EXPECT_TRUE(absl::StrContains(levers.status().message(), "gpu_count"));
}

TEST(ApplyLeverSettingTest, TheResultIsValidatedOnceAllSettingsAreParsed) {
  // Out of range on its own, brought back by a later setting.
  absl::StatusOr<Levers> levers =
      ApplyLeverSettings(Levers{}, std::vector<std::string>{"gpus=0", "gpus=16"});
  ASSERT_TRUE(levers.ok()) << levers.status();
  EXPECT_EQ(levers->gpu_count, 16);
  // A setting that does not parse is the error when everything before it is in range.
  levers = ApplyLeverSettings(Levers{}, std::vector<std::string>{"gpus=4", "tier=floppy"});
  ASSERT_FALSE(levers.ok());
  EXPECT_TRUE(absl::StrContains(levers.status().message(), "storage_tier")) << levers.status();
}

TEST(LeverHelpTest, OneLinePerLeverWithItsAliasesAndValues) {
  const std::vector<std::string>& help = LeverHelp();
  ASSERT_EQ(help.size(), LeverNames().size());
  for (size_t i = 0; i < help.size(); ++i) {
    EXPECT_TRUE(absl::StartsWith(help[i], LeverNames()[i])) << help[i];
  }
  EXPECT_TRUE(absl::StartsWith(
      help[1], "dataset_bytes [dataset, dataset_size]: 1e6 .. 1e18 bytes (1 MB .. 1 EB); "))
      << help[1];
  EXPECT_TRUE(absl::StartsWith(help[3],
                               "transfer_method [transfer, method]: fiber | shipped_device | "
                               "move_compute | snowball; "))
      << help[3];
  EXPECT_TRUE(absl::StartsWith(help[8], "dedup_fraction [dedup]: 0 .. 0.5; ")) << help[8];
  EXPECT_TRUE(absl::StartsWith(help[0], "persona: cloud_titan | ")) << help[0];
}

TEST(LeverValueTest, EveryLeverRoundTrips) {
  Levers levers;
  levers.persona = Persona::kEdgeGuardian;
  levers.dataset_bytes = 123456789012.0;
  levers.storage_tier = StorageTier::kGlacierDeepArchive;
  levers.transfer_method = TransferMethod::kMoveCompute;
  levers.link_rate_bits_per_s = 2.5e9;
  levers.link_efficiency = 0.731;
  levers.distance_miles = 1234.5;
  levers.deadline_days = 7.25;
  levers.dedup_fraction = 0.125;
  levers.drift_alpha = 0.001;
  levers.pricing_model = PricingModel::kTiered;
  levers.gpu_type = GpuType::kV100;
  levers.gpu_count = 3;
  levers.firmware_severity = 0.075;
  Levers copy;
  for (const std::string& name : LeverNames()) {
    absl::StatusOr<std::string> value = LeverValue(levers, name);
    ASSERT_TRUE(value.ok()) << name;
    absl::StatusOr<Levers> next = ApplyLeverSetting(copy, name, *value);
    ASSERT_TRUE(next.ok()) << name << "=" << *value << ": " << next.status();
    copy = *next;
  }
  EXPECT_EQ(copy, levers);
}

}  // namespace
}  // namespace df::factory
