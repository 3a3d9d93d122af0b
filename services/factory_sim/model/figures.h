// Every figure the Data Factory model uses: value, unit, source, and whether it is an
// estimate (docs/model.md is the reference list, with every formula).
//
// Purpose: the constants live here and only here. The formulas (physics.h) use the `k...`
// constants below; FigureCatalogue() returns the same values with their sources, so a client
// can show "where does this number come from". A test checks that every constant appears in
// the catalogue with the same value.
//
// Units: bytes are decimal (1 GB = 1e9 B, 1 PB = 1e15 B); rates in bytes/s unless the name
// says bits; money in USD (us-east-1, 2024 list prices); energy in joules.
//
// Usage:
//   for (const df::factory::Figure& f : df::factory::FigureCatalogue()) Print(f.id, f.value);
//   const Figure* f = df::factory::FindFigure("egress_flat_dollars_per_gb");
//
// Thread-safety: FigureCatalogue() builds its table once (thread-safe static) and never
// changes it. Failure: FindFigure returns nullptr for an unknown id.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_FIGURES_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_FIGURES_H_

#include <string>
#include <string_view>
#include <vector>

namespace df::factory {

struct Figure {
  std::string id;  // snake_case, stable
  std::string description;
  double value = 0.0;
  std::string unit;
  std::string source;
  bool estimate = false;  // approximate, secondary source or extrapolated
};

// All figures, in a fixed order (storage, network, shipping, compute, energy, model).
const std::vector<Figure>& FigureCatalogue();

// The figure with this id, or nullptr.
const Figure* FindFigure(std::string_view id);

namespace figures {

inline constexpr double kBytesPerGb = 1e9;
inline constexpr double kSecondsPerDay = 86'400.0;
inline constexpr double kSecondsPerHour = 3'600.0;
inline constexpr double kJoulesPerKwh = 3.6e6;

// --- Storage, USD per GB-month and read rates --------------------------------------------
inline constexpr double kS3StandardDollarsPerGbMonth = 0.023;  // first 50 TB
inline constexpr double kS3StandardNext450TbDollarsPerGbMonth = 0.022;
inline constexpr double kS3StandardOver500TbDollarsPerGbMonth = 0.021;
inline constexpr double kS3StandardIaDollarsPerGbMonth = 0.0125;
inline constexpr double kS3StandardIaRetrievalDollarsPerGb = 0.01;
inline constexpr double kGlacierInstantDollarsPerGbMonth = 0.004;
inline constexpr double kGlacierInstantRetrievalDollarsPerGb = 0.03;
inline constexpr double kGlacierFlexibleDollarsPerGbMonth = 0.0036;
inline constexpr double kGlacierFlexibleStandardRestoreDollarsPerGb = 0.01;
inline constexpr double kGlacierFlexibleStandardRestoreSeconds = 5 * kSecondsPerHour;  // 3-5 h
inline constexpr double kGlacierFlexibleExpeditedRestoreDollarsPerGb = 0.03;
inline constexpr double kGlacierFlexibleExpeditedRestoreSeconds = 5 * 60.0;  // 1-5 min
inline constexpr double kGlacierFlexibleBulkRestoreDollarsPerGb = 0.0;
inline constexpr double kGlacierFlexibleBulkRestoreSeconds = 12 * kSecondsPerHour;  // 5-12 h
inline constexpr double kGlacierDeepArchiveDollarsPerGbMonth = 0.00099;
inline constexpr double kGlacierDeepStandardRestoreDollarsPerGb = 0.02;
inline constexpr double kGlacierDeepStandardRestoreSeconds = 12 * kSecondsPerHour;  // <= 12 h
inline constexpr double kGlacierDeepBulkRestoreDollarsPerGb = 0.0025;
inline constexpr double kGlacierDeepBulkRestoreSeconds = 48 * kSecondsPerHour;  // <= 48 h
inline constexpr double kEbsGp3DollarsPerGbMonth = 0.08;
inline constexpr double kEbsGp3BaselineBytesPerS = 125.0 * 1024 * 1024;  // 125 MiB/s
inline constexpr double kEbsGp3BaselineIops = 3'000.0;
inline constexpr double kEbsGp3MaxBytesPerS = 1000.0 * 1024 * 1024;   // 1,000 MiB/s
inline constexpr double kEbsGp3ThroughputDollarsPerMbpsMonth = 0.04;  // above 125 MB/s
inline constexpr double kCloudDiskBytesPerS = 250e6;                  // the seed's disk
inline constexpr double kNvmeDriveBytesPerS = 2.7e9;
inline constexpr double kNvmeP4dRaid0BytesPerS = 16e9;  // 8 drives, RAID-0
inline constexpr double kS3GetStreamBytesPerS = 100e6;  // one GET stream
inline constexpr double kS3PrefixGetRequestsPerS = 5'500.0;
inline constexpr double kS3PrefixPutRequestsPerS = 3'500.0;

// --- Network and egress ------------------------------------------------------------------
inline constexpr double kEgressFlatDollarsPerGb = 0.09;  // the seed's flat rate
inline constexpr double kEgressFreeGbPerMonth = 100.0;
inline constexpr double kEgressTier1DollarsPerGb = 0.09;  // first 10 TB
inline constexpr double kEgressTier1Gb = 10'000.0;
inline constexpr double kEgressTier2DollarsPerGb = 0.085;  // next 40 TB
inline constexpr double kEgressTier2Gb = 40'000.0;
inline constexpr double kEgressTier3DollarsPerGb = 0.07;  // next 100 TB
inline constexpr double kEgressTier3Gb = 100'000.0;
inline constexpr double kEgressTier4DollarsPerGb = 0.05;  // beyond 150 TB
inline constexpr double kInterRegionDollarsPerGb = 0.02;
inline constexpr double kIngressDollarsPerGb = 0.0;
inline constexpr double kS3ExportToDeviceDollarsPerGb = 0.03;
inline constexpr double kLongHaulLinkEfficiency = 0.8;
inline constexpr double kFiberSignalMetersPerS = 2.0e8;  // light in glass, ~2/3 c
inline constexpr double kMetersPerMile = 1'609.344;
inline constexpr double kFiberLink1GbpsBitsPerS = 1e9;  // the link_rate lever's choices
inline constexpr double kFiberLink10GbpsBitsPerS = 10e9;
inline constexpr double kFiberLink100GbpsBitsPerS = 100e9;

// --- Shipping (Snowball family; no longer offered to new customers, see figures.cc) ------
inline constexpr double kSnowballCapacityBytes = 210e12;          // Storage Optimized 210 TB usable
inline constexpr double kSnowballCopyBytesPerS = 1.5e9;           // 210 TB model, up to
inline constexpr double kSnowball210TbIncludedDaysOnSite = 15.0;  // in the on-demand job fee
// The discontinued 80 TB model (Nov 2024), whose fees the lab first applied to the 210 TB
// device: reference only. The 210 TB device's own job fee has no source here: the shipped
// plan lists it as unpriced (physics.h).
inline constexpr double kSnowball80TbCapacityBytes = 80e12;
inline constexpr double kSnowballJobFeeDollars = 300.0;  // 80 TB, covers 10 days on site
inline constexpr double kSnowballIncludedDaysOnSite = 10.0;
inline constexpr double kSnowballExtraDayDollars = 30.0;
inline constexpr double kShipHandlingDays = 1.0;     // one-way, plus distance below
inline constexpr double kShipMilesPerDay = 3'000.0;  // 3,000 mi one-way -> 2 days
inline constexpr double kSnowmobileCapacityBytes = 100e15;
inline constexpr double kSnowmobileFillDays = 10.0;
inline constexpr double kSnowballTypicalEndToEndDays = 7.0;

// --- Compute (ResNet-50 training throughput, images/s) -----------------------------------
inline constexpr double kV100ImagesPerS = 1'200.0;
inline constexpr double kV100x8ImagesPerS = 8'322.0;
inline constexpr double kA100ImagesPerS = 2'470.0;
inline constexpr double kA100x8ImagesPerS = 16'621.0;
inline constexpr double kH100ImagesPerS = 7'000.0;               // estimate
inline constexpr double kMlperfV3EightH100ResNetMinutes = 13.5;  // the H100 estimate's basis
inline constexpr double kResNet50ForwardMacsPerImage = 4.1e9;    // v1.5 at 224x224
inline constexpr double kTrainingComputePerForward = 3.0;        // forward + backward (2x)
inline constexpr double kFlopPerMac = 2.0;                       // a multiply and an add
inline constexpr double kResNet50FlopsPerImage =
    kTrainingComputePerForward * kResNet50ForwardMacsPerImage * kFlopPerMac;  // 24.6 GFLOP
inline constexpr double kResNet50Parameters = 25.6e6;
inline constexpr double kResNet50TrainingEpochs = 90.0;  // a standard ImageNet schedule
inline constexpr double kBytesPerFp32 = 4.0;
inline constexpr double kImageNetTrainImages = 1'281'167.0;
inline constexpr double kImageNetBytes = 147.9e9;  // ILSVRC2012_img_train.tar
inline constexpr double kImageNetMeanJpegBytes = kImageNetBytes / kImageNetTrainImages;  // 115 KB
inline constexpr double kJpegDecodeSecondsPerImageCore = 1.5e-3;  // 1.2-1.9 ms

// --- GPUs: board power and rental (8-GPU instances, us-east-1 on-demand, 2024) -----------
inline constexpr double kV100BoardWatts = 300.0;  // SXM2, max TDP
inline constexpr double kA100BoardWatts = 400.0;  // SXM4, max TDP
inline constexpr double kH100BoardWatts = 700.0;  // SXM5, max TDP
inline constexpr double kGpusPerInstance = 8.0;
inline constexpr double kP3x16DollarsPerHour = 24.48;     // p3.16xlarge, 8x V100
inline constexpr double kP4dx24DollarsPerHour = 32.7726;  // p4d.24xlarge, 8x A100
inline constexpr double kP5x48DollarsPerHour = 98.32;     // p5.48xlarge, 8x H100

// --- Energy (Horowitz ISSCC 2014, 45 nm; Aslan et al. 2018) ------------------------------
inline constexpr double kFp32AddJoules = 0.9e-12;
inline constexpr double kFp32MultJoules = 3.7e-12;
inline constexpr double kSram64BitReadJoules = 100e-12;
inline constexpr double kDram64BitReadJoules = 1.3e-9;  // 1.3-2.6 nJ
inline constexpr double kDram64BitReadMaxJoules = 2.6e-9;
inline constexpr double kDram32BitAccessJoules = 640e-12;  // Han et al. 2015
inline constexpr double kInternet2015KwhPerGb = 0.06;
inline constexpr double kInternet2024KwhPerGb = 0.003;  // extrapolated, halving every ~2 y

// --- White balance of real footage (Act III): per-frame standard deviation of ln(G/R) and
// ln(G/B), drift-monitor's grey-world gains, measured by services/factory_sim/calibration
// (wb-gain-spread) on Debian's opencv-doc 4.6.0 clips; frames darker than luma 16 left out.
inline constexpr double kWbVtestFrames = 795.0;
inline constexpr double kWbVtestLnGainGOverRSd = 0.00479;
inline constexpr double kWbVtestLnGainGOverBSd = 0.00542;
inline constexpr double kWbTreeFrames = 68.0;
inline constexpr double kWbTreeLnGainGOverRSd = 0.00778;
inline constexpr double kWbTreeLnGainGOverBSd = 0.00897;
inline constexpr double kWbMegamindFrames = 269.0;
inline constexpr double kWbMegamindLnGainGOverRSd = 0.06195;
inline constexpr double kWbMegamindLnGainGOverBSd = 0.02998;
// Pooled within-clip deviations of the three clips (the tool's "pooled" line): the spread
// Act III draws its frames with.
inline constexpr double kWbLnGainGOverRSd = 0.03051;
inline constexpr double kWbLnGainGOverBSd = 0.01545;

// --- Persona workloads (lab assumptions: bytes per training sample, redundant share r) ----
inline constexpr double kCloudTitanSampleBytes = kImageNetMeanJpegBytes;
inline constexpr double kCloudTitanRedundantFraction = 0.02;  // ImageNet: few duplicates
inline constexpr double kCloudTitanGpus = 8.0;                // 8x A100/H100
inline constexpr double kEdgeGuardianSampleBytes = 250e3;     // 1080p dash-cam JPEG frame
inline constexpr double kEdgeGuardianRedundantFraction = 0.40;
inline constexpr double kMobileNomadSampleBytes = 3e6;  // phone photo
inline constexpr double kMobileNomadRedundantFraction = 0.20;
inline constexpr double kTinyPioneerSampleBytes = 20e3;        // 320x240 doorbell JPEG frame
inline constexpr double kTinyPioneerRedundantFraction = 0.70;  // a static porch, frame to frame
inline constexpr double kEdgeGuardianFleetVehicles = 1e4;
inline constexpr double kMobileNomadFleetPhones = 1e8;
inline constexpr double kTinyPioneerFleetDoorbells = 1e7;
inline constexpr double kTinyPioneerSramBytes = 256.0 * 1024;

// --- Thresholds of the dashboard ---------------------------------------------------------
inline constexpr double kEgressBudgetDollars = 100'000.0;
inline constexpr double kGpuHungerLimitFraction = 0.10;

}  // namespace figures
}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_FIGURES_H_
