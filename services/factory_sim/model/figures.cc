#include "services/factory_sim/model/figures.h"

#include <string_view>
#include <vector>

namespace df::factory {
namespace {

using namespace figures;  // NOLINT(build/namespaces): the constants this file catalogues

constexpr std::string_view kS3Pricing = "aws.amazon.com/s3/pricing (us-east-1, 2024)";
constexpr std::string_view kS3Restore =
    "S3 user guide, \"Restoring an archived object\": retrieval options (2024)";
constexpr std::string_view kEbs = "EC2 user guide \"EBS volume types\"; aws.amazon.com/ebs/pricing";
constexpr std::string_view kEgress =
    "aws.amazon.com/ec2/pricing/on-demand, data transfer out to the internet (2024)";
constexpr std::string_view kSnow =
    "AWS Snowball Edge developer guide; AWS blog \"snow device updates\" (2024). Snowball Edge "
    "is no longer offered to new customers (since 7 Nov 2025 only to existing ones; AWS points "
    "new customers to DataSync or the Data Transfer Terminal): the lab keeps it as its scenario "
    "at 2024 terms";
constexpr std::string_view kSnowPricing =
    "aws.amazon.com/snowball/pricing (2024), on-demand jobs; shipping days not counted";
constexpr std::string_view kSnow80Tb =
    "secondary source on the 80 TB device (discontinued Nov 2024); reference only, see "
    "docs/model.md section 5.4";
constexpr std::string_view kImageNet =
    "image-net.org ILSVRC2012 download page: ILSVRC2012_img_train.tar, 138 GiB = 147.9e9 B; "
    "Russakovsky et al. 2015";
constexpr std::string_view kEc2 = "aws.amazon.com/ec2/pricing/on-demand, us-east-1 Linux (2024)";
constexpr std::string_view kWb =
    "measured: wb-gain-spread (services/factory_sim/calibration) on Debian opencv-doc 4.6.0 "
    "clips, docs/model.md section 5.15";
constexpr std::string_view kDle =
    "NVIDIA DeepLearningExamples, PyTorch resnet50v1.5 README (mixed precision)";
constexpr std::string_view kHorowitz =
    "Horowitz, \"Computing's energy problem\", ISSCC 2014 (45 nm)";
constexpr std::string_view kLab = "lab model assumption (factory-sim), see docs/model.md section 5";

std::vector<Figure> BuildCatalogue() {
  auto f = [](std::string_view id, std::string_view description, double value,
              std::string_view unit, std::string_view source, bool estimate = false) {
    return Figure{std::string(id),   std::string(description), value,
                  std::string(unit), std::string(source),      estimate};
  };
  return {
      // Storage.
      f("s3_standard_dollars_per_gb_month", "S3 Standard storage, first 50 TB",
        kS3StandardDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("s3_standard_next_450tb_dollars_per_gb_month", "S3 Standard storage, next 450 TB",
        kS3StandardNext450TbDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("s3_standard_over_500tb_dollars_per_gb_month", "S3 Standard storage, over 500 TB",
        kS3StandardOver500TbDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("s3_standard_ia_dollars_per_gb_month", "S3 Standard-IA storage",
        kS3StandardIaDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("s3_standard_ia_retrieval_dollars_per_gb", "S3 Standard-IA retrieval",
        kS3StandardIaRetrievalDollarsPerGb, "USD/GB", kS3Pricing),
      f("glacier_instant_dollars_per_gb_month", "S3 Glacier Instant Retrieval storage",
        kGlacierInstantDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("glacier_instant_retrieval_dollars_per_gb", "S3 Glacier Instant Retrieval retrieval",
        kGlacierInstantRetrievalDollarsPerGb, "USD/GB", kS3Pricing),
      f("glacier_flexible_dollars_per_gb_month", "S3 Glacier Flexible Retrieval storage",
        kGlacierFlexibleDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("glacier_flexible_expedited_restore_dollars_per_gb",
        "Glacier Flexible expedited restore (1-5 min)",
        kGlacierFlexibleExpeditedRestoreDollarsPerGb, "USD/GB", kS3Restore),
      f("glacier_flexible_expedited_restore_seconds",
        "Glacier Flexible expedited restore time (upper end of 1-5 min)",
        kGlacierFlexibleExpeditedRestoreSeconds, "s", kS3Restore),
      f("glacier_flexible_standard_restore_dollars_per_gb",
        "Glacier Flexible standard restore (3-5 h)", kGlacierFlexibleStandardRestoreDollarsPerGb,
        "USD/GB", kS3Restore),
      f("glacier_flexible_standard_restore_seconds",
        "Glacier Flexible standard restore time (upper end of 3-5 h)",
        kGlacierFlexibleStandardRestoreSeconds, "s", kS3Restore),
      f("glacier_flexible_bulk_restore_dollars_per_gb", "Glacier Flexible bulk restore (5-12 h)",
        kGlacierFlexibleBulkRestoreDollarsPerGb, "USD/GB", kS3Restore),
      f("glacier_flexible_bulk_restore_seconds",
        "Glacier Flexible bulk restore time (upper end of 5-12 h)",
        kGlacierFlexibleBulkRestoreSeconds, "s", kS3Restore),
      f("glacier_deep_archive_dollars_per_gb_month", "S3 Glacier Deep Archive storage",
        kGlacierDeepArchiveDollarsPerGbMonth, "USD/GB-month", kS3Pricing),
      f("glacier_deep_standard_restore_dollars_per_gb", "Deep Archive standard restore (<= 12 h)",
        kGlacierDeepStandardRestoreDollarsPerGb, "USD/GB", kS3Restore),
      f("glacier_deep_standard_restore_seconds", "Deep Archive standard restore time (<= 12 h)",
        kGlacierDeepStandardRestoreSeconds, "s", kS3Restore),
      f("glacier_deep_bulk_restore_dollars_per_gb", "Deep Archive bulk restore (<= 48 h)",
        kGlacierDeepBulkRestoreDollarsPerGb, "USD/GB", kS3Restore),
      f("glacier_deep_bulk_restore_seconds", "Deep Archive bulk restore time (<= 48 h)",
        kGlacierDeepBulkRestoreSeconds, "s", kS3Restore),
      f("ebs_gp3_dollars_per_gb_month", "EBS gp3 storage", kEbsGp3DollarsPerGbMonth, "USD/GB-month",
        kEbs),
      f("ebs_gp3_baseline_bytes_per_s", "EBS gp3 baseline throughput (125 MiB/s)",
        kEbsGp3BaselineBytesPerS, "B/s", kEbs),
      f("ebs_gp3_baseline_iops", "EBS gp3 baseline IOPS", kEbsGp3BaselineIops, "IOPS", kEbs),
      f("ebs_gp3_max_bytes_per_s", "EBS gp3 maximum throughput (1,000 MiB/s)", kEbsGp3MaxBytesPerS,
        "B/s", kEbs),
      f("ebs_gp3_throughput_dollars_per_mbps_month", "EBS gp3 throughput above 125 MB/s",
        kEbsGp3ThroughputDollarsPerMbpsMonth, "USD/(MB/s)-month", kEbs),
      f("cloud_disk_bytes_per_s", "the seed's standard cloud disk (provisioned gp3 / gp2 max)",
        kCloudDiskBytesPerS, "B/s", "lab design document (seed)"),
      f("nvme_drive_bytes_per_s", "local NVMe instance store, one drive", kNvmeDriveBytesPerS,
        "B/s", "AWS compute blog, \"Amazon EC2 P4d instances deep dive\"", true),
      f("nvme_p4d_raid0_bytes_per_s", "p4d.24xlarge, 8 NVMe drives in RAID-0",
        kNvmeP4dRaid0BytesPerS, "B/s", "AWS compute blog, \"Amazon EC2 P4d instances deep dive\"",
        true),
      f("s3_get_stream_bytes_per_s", "one S3 GET stream", kS3GetStreamBytesPerS, "B/s",
        "S3 user guide, \"Optimizing performance\"", true),
      f("s3_prefix_get_requests_per_s", "S3 GET requests per prefix", kS3PrefixGetRequestsPerS,
        "requests/s", "S3 user guide, \"Optimizing performance\""),
      f("s3_prefix_put_requests_per_s", "S3 PUT requests per prefix", kS3PrefixPutRequestsPerS,
        "requests/s", "S3 user guide, \"Optimizing performance\""),
      // Network and egress.
      f("egress_flat_dollars_per_gb", "flat internet egress (the lab's rate; 1 PB = $90,000)",
        kEgressFlatDollarsPerGb, "USD/GB", "lab design document (seed)"),
      f("egress_free_gb_per_month", "internet egress free each month", kEgressFreeGbPerMonth,
        "GB/month", kEgress),
      f("egress_tier1_dollars_per_gb", "internet egress, first 10 TB/month",
        kEgressTier1DollarsPerGb, "USD/GB", kEgress),
      f("egress_tier1_gb", "size of the first egress tier", kEgressTier1Gb, "GB", kEgress),
      f("egress_tier2_dollars_per_gb", "internet egress, next 40 TB/month",
        kEgressTier2DollarsPerGb, "USD/GB", kEgress),
      f("egress_tier2_gb", "size of the second egress tier", kEgressTier2Gb, "GB", kEgress),
      f("egress_tier3_dollars_per_gb", "internet egress, next 100 TB/month",
        kEgressTier3DollarsPerGb, "USD/GB", kEgress),
      f("egress_tier3_gb", "size of the third egress tier", kEgressTier3Gb, "GB", kEgress),
      f("egress_tier4_dollars_per_gb", "internet egress, beyond 150 TB/month",
        kEgressTier4DollarsPerGb, "USD/GB", kEgress),
      f("ingress_dollars_per_gb", "data transfer in from the internet", kIngressDollarsPerGb,
        "USD/GB", kEgress),
      f("inter_region_dollars_per_gb", "data transfer between AWS regions",
        kInterRegionDollarsPerGb, "USD/GB", kEgress),
      f("s3_export_to_device_dollars_per_gb", "S3 export onto a Snowball device",
        kS3ExportToDeviceDollarsPerGb, "USD/GB", kSnow),
      f("long_haul_link_efficiency", "sustained share of the nominal rate, long-haul bulk copy",
        kLongHaulLinkEfficiency, "ratio", kLab, true),
      f("fiber_link_1gbps_bits_per_s", "fiber link, 1 Gbps nominal", kFiberLink1GbpsBitsPerS,
        "bit/s", "lab lever choice, docs/model.md section 2"),
      f("fiber_link_10gbps_bits_per_s", "fiber link, 10 Gbps nominal", kFiberLink10GbpsBitsPerS,
        "bit/s", "lab lever choice, docs/model.md section 2"),
      f("fiber_link_100gbps_bits_per_s", "fiber link, 100 Gbps nominal", kFiberLink100GbpsBitsPerS,
        "bit/s", "lab lever choice, docs/model.md section 2"),
      f("fiber_signal_meters_per_s", "signal speed in optical fibre (~2/3 c)",
        kFiberSignalMetersPerS, "m/s", "physics (refractive index ~1.47)"),
      f("meters_per_mile", "statute mile", kMetersPerMile, "m", "definition"),
      // Shipping.
      f("snowball_capacity_bytes", "Snowball Edge Storage Optimized usable capacity (210 TB)",
        kSnowballCapacityBytes, "B", kSnow),
      f("snowball_copy_bytes_per_s", "Snowball Edge copy rate (210 TB model, up to)",
        kSnowballCopyBytesPerS, "B/s", kSnow),
      f("snowball_210tb_included_days_on_site",
        "days on site in the 210 TB device's on-demand job fee (the fee itself is unpriced here)",
        kSnowball210TbIncludedDaysOnSite, "days", kSnowPricing, true),
      f("snowball_80tb_capacity_bytes", "Snowball Edge 80 TB model (discontinued Nov 2024)",
        kSnowball80TbCapacityBytes, "B", kSnow),
      f("snowball_job_fee_dollars", "80 TB Snowball Edge job fee, covers 10 days on site",
        kSnowballJobFeeDollars, "USD", kSnow80Tb, true),
      f("snowball_included_days_on_site", "80 TB Snowball Edge: days on site in the job fee",
        kSnowballIncludedDaysOnSite, "days", kSnow80Tb, true),
      f("snowball_extra_day_dollars", "80 TB Snowball Edge: extra day on site",
        kSnowballExtraDayDollars, "USD/day", kSnow80Tb, true),
      f("ship_handling_days", "courier handling per one-way leg", kShipHandlingDays, "days",
        "lab model assumption: 1-2 days each way (AWS Snowball guide)", true),
      f("ship_miles_per_day", "courier distance per day added to a leg", kShipMilesPerDay,
        "miles/day", "lab model assumption: 3,000 miles -> 2 days", true),
      f("snowball_typical_end_to_end_days",
        "Snowball job end to end: ship out 1-2 d, copy, ship back 1-2 d, import",
        kSnowballTypicalEndToEndDays, "days", kSnow, true),
      f("snowmobile_capacity_bytes", "AWS Snowmobile (retired 2024)", kSnowmobileCapacityBytes, "B",
        kSnow),
      f("snowmobile_fill_days", "AWS Snowmobile, time to fill", kSnowmobileFillDays, "days", kSnow,
        true),
      // Compute.
      f("v100_images_per_s", "ResNet-50 training, 1x V100 16 GB", kV100ImagesPerS, "images/s",
        kDle),
      f("v100x8_images_per_s", "ResNet-50 training, 8x V100 16 GB", kV100x8ImagesPerS, "images/s",
        kDle),
      f("a100_images_per_s", "ResNet-50 training, 1x A100 80 GB", kA100ImagesPerS, "images/s",
        kDle),
      f("a100x8_images_per_s", "ResNet-50 training, 8x A100 80 GB", kA100x8ImagesPerS, "images/s",
        kDle),
      f("h100_images_per_s", "ResNet-50 training, 1x H100", kH100ImagesPerS, "images/s",
        "estimate from MLPerf Training v3.0 (8x H100, 13.5 min)", true),
      f("mlperf_v3_8xh100_resnet_minutes", "MLPerf Training v3.0 ResNet-50, 8x H100",
        kMlperfV3EightH100ResNetMinutes, "min", "MLPerf Training v3.0 results"),
      f("resnet50_forward_macs_per_image",
        "ResNet-50 v1.5 forward pass at 224x224, multiply-adds (v1: 3.8 G)",
        kResNet50ForwardMacsPerImage, "MAC",
        "torchvision ResNet-50 model card (4.09 G); He et al. 2016, Table 1 (v1)"),
      f("training_compute_per_forward", "forward + backward compute / forward (backward ~ 2x)",
        kTrainingComputePerForward, "ratio",
        "standard estimate (Kaplan et al. 2020; Amodei & Hernandez 2018, \"AI and Compute\")",
        true),
      f("flop_per_mac", "floating-point operations per multiply-add", kFlopPerMac, "FLOP/MAC",
        "definition"),
      f("resnet50_flops_per_image",
        "ResNet-50 training FLOP per image: 3 x 4.1 G multiply-adds x 2 FLOP each",
        kResNet50FlopsPerImage, "FLOP",
        "derived: resnet50_forward_macs_per_image x training_compute_per_forward x flop_per_mac"),
      f("resnet50_parameters", "ResNet-50 parameters", kResNet50Parameters, "parameters",
        "He et al. 2016"),
      f("resnet50_training_epochs", "epochs of a standard ResNet-50 ImageNet schedule",
        kResNet50TrainingEpochs, "epochs",
        "Goyal et al. 2017; NVIDIA DeepLearningExamples (90 "
        "epochs)"),
      f("bytes_per_fp32", "bytes per FP32 value", kBytesPerFp32, "B", "IEEE 754"),
      f("imagenet_train_images", "ImageNet-1k training images", kImageNetTrainImages, "images",
        "Russakovsky et al. 2015"),
      f("imagenet_bytes", "ImageNet-1k training archive (ILSVRC2012_img_train.tar)", kImageNetBytes,
        "B", kImageNet),
      f("imagenet_mean_jpeg_bytes",
        "ImageNet mean bytes per training image (archive / images, tar headers ~0.4 %)",
        kImageNetMeanJpegBytes, "B", "derived: imagenet_bytes / imagenet_train_images", true),
      f("jpeg_decode_seconds_per_image_core", "CPU JPEG decode per ImageNet image per core",
        kJpegDecodeSecondsPerImageCore, "s", "imread benchmarks (1.2-1.9 ms)", true),
      // GPUs: board power and rental.
      f("v100_board_watts", "V100 SXM2 board power (max TDP)", kV100BoardWatts, "W",
        "NVIDIA V100 datasheet"),
      f("a100_board_watts", "A100 SXM4 board power (max TDP)", kA100BoardWatts, "W",
        "NVIDIA A100 datasheet"),
      f("h100_board_watts", "H100 SXM5 board power (max TDP)", kH100BoardWatts, "W",
        "NVIDIA H100 datasheet"),
      f("gpus_per_instance", "GPUs in each rental instance below", kGpusPerInstance, "GPUs", kEc2),
      f("p3_16xlarge_dollars_per_hour", "p3.16xlarge on demand (8x V100)", kP3x16DollarsPerHour,
        "USD/h", kEc2),
      f("p4d_24xlarge_dollars_per_hour", "p4d.24xlarge on demand (8x A100 40 GB)",
        kP4dx24DollarsPerHour, "USD/h", kEc2),
      f("p5_48xlarge_dollars_per_hour", "p5.48xlarge on demand (8x H100), before the 2025 cut",
        kP5x48DollarsPerHour, "USD/h", kEc2),
      // Energy.
      f("fp32_add_joules", "FP32 add", kFp32AddJoules, "J", kHorowitz),
      f("fp32_mult_joules", "FP32 multiply", kFp32MultJoules, "J", kHorowitz),
      f("sram_64bit_read_joules", "64-bit SRAM read (1 MB)", kSram64BitReadJoules, "J", kHorowitz),
      f("dram_64bit_read_joules", "64-bit DRAM read (1.3-2.6 nJ)", kDram64BitReadJoules, "J",
        kHorowitz),
      f("dram_64bit_read_max_joules", "64-bit DRAM read, upper end", kDram64BitReadMaxJoules, "J",
        kHorowitz),
      f("dram_32bit_access_joules", "32-bit DRAM access: the energy of moving one operand",
        kDram32BitAccessJoules, "J", "Han et al. 2015, after Horowitz ISSCC 2014 (45 nm)"),
      f("internet_2015_kwh_per_gb", "internet transfer energy, 2015", kInternet2015KwhPerGb,
        "kWh/GB", "Aslan et al. 2018"),
      f("internet_2024_kwh_per_gb", "internet transfer energy, 2024 (halving every ~2 years)",
        kInternet2024KwhPerGb, "kWh/GB", "extrapolated from Aslan et al. 2018", true),
      // White balance of real footage (Act III).
      f("wb_vtest_frames", "vtest.avi frames measured", kWbVtestFrames, "frames", kWb),
      f("wb_vtest_ln_gain_g_over_r_sd", "vtest.avi: per-frame sd of ln(G/R)",
        kWbVtestLnGainGOverRSd, "ln ratio", kWb),
      f("wb_vtest_ln_gain_g_over_b_sd", "vtest.avi: per-frame sd of ln(G/B)",
        kWbVtestLnGainGOverBSd, "ln ratio", kWb),
      f("wb_tree_frames", "tree.avi frames measured", kWbTreeFrames, "frames", kWb),
      f("wb_tree_ln_gain_g_over_r_sd", "tree.avi: per-frame sd of ln(G/R)", kWbTreeLnGainGOverRSd,
        "ln ratio", kWb),
      f("wb_tree_ln_gain_g_over_b_sd", "tree.avi: per-frame sd of ln(G/B)", kWbTreeLnGainGOverBSd,
        "ln ratio", kWb),
      f("wb_megamind_frames", "Megamind.avi frames measured (1 black frame left out)",
        kWbMegamindFrames, "frames", kWb),
      f("wb_megamind_ln_gain_g_over_r_sd", "Megamind.avi: per-frame sd of ln(G/R)",
        kWbMegamindLnGainGOverRSd, "ln ratio", kWb),
      f("wb_megamind_ln_gain_g_over_b_sd", "Megamind.avi: per-frame sd of ln(G/B)",
        kWbMegamindLnGainGOverBSd, "ln ratio", kWb),
      f("wb_ln_gain_g_over_r_sd", "pooled within-clip sd of ln(G/R), the three clips",
        kWbLnGainGOverRSd, "ln ratio", kWb),
      f("wb_ln_gain_g_over_b_sd", "pooled within-clip sd of ln(G/B), the three clips",
        kWbLnGainGOverBSd, "ln ratio", kWb),
      // Persona workloads.
      f("cloud_titan_sample_bytes", "Cloud Titan: bytes per sample (ImageNet mean)",
        kCloudTitanSampleBytes, "B", "imagenet_mean_jpeg_bytes", true),
      f("cloud_titan_redundant_fraction", "Cloud Titan: redundant share r of ImageNet",
        kCloudTitanRedundantFraction, "ratio", kLab, true),
      f("cloud_titan_gpus", "Cloud Titan cluster size (8x A100/H100)", kCloudTitanGpus, "GPUs",
        "lab persona definition, docs/model.md section 3"),
      f("edge_guardian_sample_bytes", "Edge Guardian: bytes per 1080p dash-cam JPEG frame",
        kEdgeGuardianSampleBytes, "B", kLab, true),
      f("edge_guardian_redundant_fraction", "Edge Guardian: redundant share r of raw drive video",
        kEdgeGuardianRedundantFraction, "ratio", kLab, true),
      f("mobile_nomad_sample_bytes", "Mobile Nomad: bytes per phone photo", kMobileNomadSampleBytes,
        "B", kLab, true),
      f("mobile_nomad_redundant_fraction", "Mobile Nomad: redundant share r (bursts, copies)",
        kMobileNomadRedundantFraction, "ratio", kLab, true),
      f("tiny_pioneer_sample_bytes", "Tiny Pioneer: bytes per 320x240 doorbell JPEG frame",
        kTinyPioneerSampleBytes, "B", kLab, true),
      f("tiny_pioneer_redundant_fraction", "Tiny Pioneer: redundant share r of doorbell video",
        kTinyPioneerRedundantFraction, "ratio", kLab, true),
      f("edge_guardian_fleet_vehicles", "Edge Guardian fleet size", kEdgeGuardianFleetVehicles,
        "vehicles", "lab persona definition, docs/model.md section 3"),
      f("mobile_nomad_fleet_phones", "Mobile Nomad fleet size", kMobileNomadFleetPhones, "phones",
        "lab persona definition, docs/model.md section 3"),
      f("tiny_pioneer_fleet_doorbells", "Tiny Pioneer fleet size", kTinyPioneerFleetDoorbells,
        "doorbells", "lab persona definition, docs/model.md section 3"),
      f("tiny_pioneer_sram_bytes", "Tiny Pioneer device SRAM (256 KB)", kTinyPioneerSramBytes, "B",
        "lab persona definition, docs/model.md section 3"),
      // Dashboard thresholds.
      f("egress_budget_dollars", "the Egress badge's budget", kEgressBudgetDollars, "USD",
        "lab design document (seed)"),
      f("gpu_hunger_limit_fraction", "the GPU Hunger badge's idle limit", kGpuHungerLimitFraction,
        "ratio", "lab design document (seed)"),
  };
}

}  // namespace

const std::vector<Figure>& FigureCatalogue() {
  static const std::vector<Figure>* const kCatalogue = new std::vector<Figure>(BuildCatalogue());
  return *kCatalogue;
}

const Figure* FindFigure(std::string_view id) {
  for (const Figure& figure : FigureCatalogue()) {
    if (figure.id == id) {
      return &figure;
    }
  }
  return nullptr;
}

}  // namespace df::factory
