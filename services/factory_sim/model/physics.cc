#include "services/factory_sim/model/physics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/factory_sim/model/figures.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

using namespace figures;  // NOLINT(build/namespaces)
using units::FormatDollars;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool IsS3Tier(StorageTier tier) {
  return tier != StorageTier::kLocalNvme && tier != StorageTier::kCloudDisk;
}

double DedupedBytes(const Levers& levers) {
  return levers.dataset_bytes * (1.0 - levers.dedup_fraction);
}

double PropagationSeconds(double distance_miles) {
  return distance_miles * kMetersPerMile / kFiberSignalMetersPerS;
}

// Seconds the fiber link needs for `bytes`, capped by the source's read rate.
double FiberSeconds(const Levers& levers, double bytes) {
  const double rate = std::min(LinkBytesPerS(levers), TransferSourceBytesPerS(levers.storage_tier));
  return bytes / rate + PropagationSeconds(levers.distance_miles);
}

std::string GbpsLabel(double bits_per_s) { return absl::StrFormat("%g Gbps", bits_per_s / 1e9); }

TransferPlan FiberPlan(const Levers& levers, double bytes) {
  TransferPlan plan;
  plan.method = TransferMethod::kFiber;
  plan.label = absl::StrFormat("Fiber %s at %.0f %%", GbpsLabel(levers.link_rate_bits_per_s),
                               levers.link_efficiency * 100);
  plan.bytes_moved = bytes;
  plan.seconds = FiberSeconds(levers, bytes);
  plan.job_seconds = plan.seconds;
  plan.cost_dollars = EgressCostDollars(bytes, levers.pricing_model);
  const bool source_bound = TransferSourceBytesPerS(levers.storage_tier) < LinkBytesPerS(levers);
  plan.detail =
      absl::StrFormat("%.4g B x 8 / (%.4g bit/s x %.2f)%s = %.4g s = %.2f days; egress %s: %s",
                      bytes, levers.link_rate_bits_per_s, levers.link_efficiency,
                      source_bound ? " capped by the source's read rate" : "", plan.seconds,
                      plan.seconds / kSecondsPerDay, PricingModelName(levers.pricing_model),
                      FormatDollars(plan.cost_dollars));
  return plan;
}

TransferPlan ShippedPlan(const Levers& levers, double bytes) {
  TransferPlan plan;
  plan.method = TransferMethod::kShippedDevice;
  plan.devices = static_cast<int64_t>(std::ceil(bytes / kSnowballCapacityBytes));
  plan.devices = std::max<int64_t>(plan.devices, 1);
  plan.bytes_moved = bytes;
  const double devices = static_cast<double>(plan.devices);
  const double bytes_per_device = bytes / devices;
  const double ship_seconds =
      (kShipHandlingDays + levers.distance_miles / kShipMilesPerDay) * kSecondsPerDay;
  const double device_seconds = bytes_per_device / kSnowballCopyBytesPerS;
  // Where the data sits fixes the job's direction, its timeline and its fees together.
  const bool export_job = IsS3Tier(levers.storage_tier);
  double on_site_seconds = 0.0;  // the devices at the customer's site
  if (export_job) {
    // AWS loads the devices from S3, ships them; the cluster's site unloads them.
    on_site_seconds = device_seconds;
    plan.seconds = device_seconds + ship_seconds + device_seconds;
    plan.job_seconds = plan.seconds + ship_seconds;  // the devices go back
    plan.cost_dollars = bytes / kBytesPerGb * kS3ExportToDeviceDollarsPerGb;
    plan.detail = absl::StrFormat(
        "export: AWS loads %.2f d (%s a device at %s) + ship %.1f d + unload %.2f d = "
        "%.2f days to the GPUs (devices back after %.2f days); export fee %s",
        device_seconds / kSecondsPerDay, units::FormatBytes(bytes_per_device),
        units::FormatBytesPerS(kSnowballCopyBytesPerS), ship_seconds / kSecondsPerDay,
        device_seconds / kSecondsPerDay, plan.seconds / kSecondsPerDay,
        plan.job_seconds / kSecondsPerDay, FormatDollars(plan.cost_dollars));
  } else {
    // Empty devices go out to the data's site, come back full, AWS imports them.
    const double copy_rate =
        std::min(kSnowballCopyBytesPerS, TransferSourceBytesPerS(levers.storage_tier) / devices);
    on_site_seconds = bytes_per_device / copy_rate;
    plan.seconds = ship_seconds + on_site_seconds + ship_seconds + device_seconds;
    plan.job_seconds = plan.seconds;
    plan.detail = absl::StrFormat(
        "import: ship %.1f d + copy %.2f d (%s a device at %s) + ship %.1f d + import "
        "%.2f d = %.2f days; data in is free",
        ship_seconds / kSecondsPerDay, on_site_seconds / kSecondsPerDay,
        units::FormatBytes(bytes_per_device), units::FormatBytesPerS(copy_rate),
        ship_seconds / kSecondsPerDay, device_seconds / kSecondsPerDay,
        plan.seconds / kSecondsPerDay);
  }
  plan.label = absl::StrFormat("%dx Snowball Edge 210 TB (%s)", plan.devices,
                               export_job ? "export" : "import");
  plan.unpriced.push_back(absl::StrFormat(
      "%d Snowball Edge 210 TB job fee(s): no source prices the device", plan.devices));
  const double days_on_site = std::ceil(on_site_seconds / kSecondsPerDay);
  if (days_on_site > kSnowball210TbIncludedDaysOnSite) {
    plan.unpriced.push_back(absl::StrFormat(
        "%.0f day(s) on site beyond the %.0f the job fee includes, per device",
        days_on_site - kSnowball210TbIncludedDaysOnSite, kSnowball210TbIncludedDaysOnSite));
  }
  return plan;
}

// One epoch read from the tier where the data sits (no link): what rented GPUs there wait on.
double EpochAtTheDataSeconds(const Levers& levers, const Workload& workload) {
  Levers there = levers;
  there.distance_miles = 0;
  return EpochWaterfall(there, workload).epoch_overlapped_seconds;
}

TransferPlan MoveComputePlan(const Levers& levers, const Workload& workload) {
  TransferPlan plan;
  plan.method = TransferMethod::kMoveCompute;
  plan.label = "Move compute to the data";
  const double weights_bytes = kResNet50Parameters * kBytesPerFp32;
  plan.bytes_moved = weights_bytes;
  plan.seconds = FiberSeconds(levers, weights_bytes);
  plan.job_seconds = plan.seconds;
  const double egress = EgressCostDollars(weights_bytes, levers.pricing_model);
  const double epoch_seconds = EpochAtTheDataSeconds(levers, workload);
  plan.gpu_rental_dollars =
      levers.gpu_count * GpuDollarsPerHour(levers.gpu_type) * epoch_seconds / kSecondsPerHour;
  plan.cost_dollars = egress + plan.gpu_rental_dollars;
  plan.detail = absl::StrFormat(
      "only the model weights (%s) cross the link (egress %s); %d %s GPUs rented where the "
      "data sits for one epoch read from %s (%s at %s per GPU-hour): %s",
      units::FormatBytes(weights_bytes), FormatDollars(egress), levers.gpu_count,
      absl::AsciiStrToUpper(std::string(GpuTypeName(levers.gpu_type))),
      StorageTierName(levers.storage_tier), units::FormatDuration(epoch_seconds),
      FormatDollars(GpuDollarsPerHour(levers.gpu_type)), FormatDollars(plan.gpu_rental_dollars));
  return plan;
}

}  // namespace

bool DataIsRemote(const Levers& levers) { return levers.distance_miles > 0.0; }

double LinkTransferSeconds(double bytes, double rate_bits_per_s, double efficiency) {
  return bytes * 8.0 / (rate_bits_per_s * efficiency);
}

double EgressCostDollars(double bytes, PricingModel pricing) {
  const double gb = std::max(0.0, bytes) / kBytesPerGb;
  if (pricing == PricingModel::kFlat) {
    return gb * kEgressFlatDollarsPerGb;
  }
  struct Segment {
    double upper_gb;
    double dollars_per_gb;
  };
  const std::array<Segment, 5> segments = {{
      {kEgressFreeGbPerMonth, 0.0},
      {kEgressTier1Gb, kEgressTier1DollarsPerGb},
      {kEgressTier1Gb + kEgressTier2Gb, kEgressTier2DollarsPerGb},
      {kEgressTier1Gb + kEgressTier2Gb + kEgressTier3Gb, kEgressTier3DollarsPerGb},
      {kInfinity, kEgressTier4DollarsPerGb},
  }};
  double dollars = 0.0;
  double lower = 0.0;
  for (const Segment& segment : segments) {
    if (gb <= lower) {
      break;
    }
    dollars += (std::min(gb, segment.upper_gb) - lower) * segment.dollars_per_gb;
    lower = segment.upper_gb;
  }
  return dollars;
}

double LinkBytesPerS(const Levers& levers) {
  return levers.link_rate_bits_per_s * levers.link_efficiency / 8.0;
}

namespace {

// The read rate of a block-device tier (local NVMe, cloud disk); nullopt for the
// object-store tiers, whose rate depends on the workload (or is unbounded for a copy).
std::optional<double> BlockDeviceReadBytesPerS(StorageTier tier) {
  switch (tier) {
    case StorageTier::kLocalNvme:
      return kNvmeP4dRaid0BytesPerS;
    case StorageTier::kCloudDisk:
      return kCloudDiskBytesPerS;
    default:
      return std::nullopt;
  }
}

}  // namespace

double TierReadBytesPerS(const Levers& levers, const Workload& workload) {
  if (const std::optional<double> device = BlockDeviceReadBytesPerS(levers.storage_tier)) {
    return *device;
  }
  const double streams = kS3GetStreamBytesPerS * levers.gpu_count;
  const double requests = kS3PrefixGetRequestsPerS * workload.mean_sample_bytes;
  return std::min(streams, requests);
}

double TransferSourceBytesPerS(StorageTier tier) {
  return BlockDeviceReadBytesPerS(tier).value_or(kInfinity);
}

double TrainingImagesPerS(GpuType gpu, int gpu_count) {
  double single = kA100ImagesPerS;
  double scaling8 = kA100x8ImagesPerS / (8 * kA100ImagesPerS);
  if (gpu == GpuType::kV100) {
    single = kV100ImagesPerS;
    scaling8 = kV100x8ImagesPerS / (8 * kV100ImagesPerS);
  } else if (gpu == GpuType::kH100) {
    single = kH100ImagesPerS;  // keeps A100's 8-GPU scaling
  }
  const double n = std::max(1, gpu_count);
  const double scaling = n >= 8 ? scaling8 : 1.0 + (scaling8 - 1.0) * (n - 1.0) / 7.0;
  return n * single * scaling;
}

TransferPlan PlanTransfer(const Levers& levers, const Workload& workload, TransferMethod method) {
  const double bytes = DedupedBytes(levers);
  TransferPlan plan;
  if (!DataIsRemote(levers)) {
    plan.method = method;
    plan.label = std::string(TransferMethodName(method)) + ": nothing to move";
    plan.detail = "distance 0: the data already sits beside the cluster";
  } else if (method == TransferMethod::kFiber) {
    plan = FiberPlan(levers, bytes);
  } else if (method == TransferMethod::kShippedDevice) {
    plan = ShippedPlan(levers, bytes);
  } else {
    plan = MoveComputePlan(levers, workload);
  }
  // The data must be readable before it moves: restore archives, pay retrieval fees.
  const double restore = RestoreSeconds(levers.storage_tier);
  const double retrieval = RetrievalCostDollars(levers.storage_tier, bytes);
  if (restore > 0 || retrieval > 0) {
    plan.seconds += restore;
    plan.job_seconds += restore;
    plan.cost_dollars += retrieval;
    absl::StrAppend(&plan.detail, absl::StrFormat("; + %.0f h restore, $%.0f retrieval from %s",
                                                  restore / kSecondsPerHour, retrieval,
                                                  StorageTierName(levers.storage_tier)));
  }
  plan.meets_deadline = plan.seconds <= levers.deadline_days * kSecondsPerDay;
  return plan;
}

double RestoreSeconds(StorageTier tier) {
  if (tier == StorageTier::kGlacierFlexible) {
    return kGlacierFlexibleStandardRestoreSeconds;
  }
  if (tier == StorageTier::kGlacierDeepArchive) {
    return kGlacierDeepStandardRestoreSeconds;
  }
  return 0.0;
}

double RetrievalCostDollars(StorageTier tier, double bytes) {
  const double gb = std::max(0.0, bytes) / kBytesPerGb;
  switch (tier) {
    case StorageTier::kObjectStoreInfrequent:
      return gb * kS3StandardIaRetrievalDollarsPerGb;
    case StorageTier::kGlacierInstant:
      return gb * kGlacierInstantRetrievalDollarsPerGb;
    case StorageTier::kGlacierFlexible:
      return gb * kGlacierFlexibleStandardRestoreDollarsPerGb;
    case StorageTier::kGlacierDeepArchive:
      return gb * kGlacierDeepStandardRestoreDollarsPerGb;
    default:
      return 0.0;
  }
}

double StorageDollarsPerGbMonth(StorageTier tier) {
  switch (tier) {
    case StorageTier::kLocalNvme:
      return 0.0;
    case StorageTier::kCloudDisk:
      return kEbsGp3DollarsPerGbMonth;
    case StorageTier::kObjectStore:
      return kS3StandardDollarsPerGbMonth;
    case StorageTier::kObjectStoreInfrequent:
      return kS3StandardIaDollarsPerGbMonth;
    case StorageTier::kGlacierInstant:
      return kGlacierInstantDollarsPerGbMonth;
    case StorageTier::kGlacierFlexible:
      return kGlacierFlexibleDollarsPerGbMonth;
    case StorageTier::kGlacierDeepArchive:
      return kGlacierDeepArchiveDollarsPerGbMonth;
  }
  return 0.0;
}

double StorageDollarsPerMonth(StorageTier tier, double bytes) {
  const double gb = std::max(0.0, bytes) / kBytesPerGb;
  if (tier != StorageTier::kObjectStore) {
    return gb * StorageDollarsPerGbMonth(tier);
  }
  constexpr double kFirstGb = 50'000.0;
  constexpr double kNextGb = 450'000.0;
  return std::min(gb, kFirstGb) * kS3StandardDollarsPerGbMonth +
         std::clamp(gb - kFirstGb, 0.0, kNextGb) * kS3StandardNext450TbDollarsPerGbMonth +
         std::max(0.0, gb - kFirstGb - kNextGb) * kS3StandardOver500TbDollarsPerGbMonth;
}

FeedingTax FeedingTaxFor(const Levers& levers, const Workload& workload) {
  FeedingTax tax;
  tax.demand_bytes_per_s =
      TrainingImagesPerS(levers.gpu_type, levers.gpu_count) * workload.mean_sample_bytes;
  tax.supply_bytes_per_s = TierReadBytesPerS(levers, workload);
  if (DataIsRemote(levers) && levers.transfer_method == TransferMethod::kFiber) {
    tax.supply_bytes_per_s = std::min(tax.supply_bytes_per_s, LinkBytesPerS(levers));
  }
  tax.efficiency = std::min(1.0, tax.supply_bytes_per_s / tax.demand_bytes_per_s);
  tax.gpu_idle_fraction = 1.0 - tax.efficiency;
  return tax;
}

Waterfall EpochWaterfall(const Levers& levers, const Workload& workload) {
  const double epoch_bytes = DedupedBytes(levers);
  const double images = epoch_bytes / workload.mean_sample_bytes;
  Waterfall w;
  w.disk_io_seconds = epoch_bytes / TierReadBytesPerS(levers, workload);
  if (DataIsRemote(levers) && levers.transfer_method == TransferMethod::kFiber) {
    w.network_seconds = epoch_bytes / LinkBytesPerS(levers);
  }
  w.gpu_math_seconds = images / TrainingImagesPerS(levers.gpu_type, levers.gpu_count);
  w.epoch_overlapped_seconds = std::max({w.disk_io_seconds, w.network_seconds, w.gpu_math_seconds});
  w.epoch_serial_seconds = w.disk_io_seconds + w.network_seconds + w.gpu_math_seconds;
  w.stall_seconds = w.epoch_overlapped_seconds - w.gpu_math_seconds;
  return w;
}

DedupEffect DedupEffectOf(const Levers& levers, const Workload& workload) {
  const double r = workload.redundant_fraction;
  const double d = levers.dedup_fraction;
  DedupEffect effect;
  effect.stored_bytes = levers.dataset_bytes * (1.0 - d);
  effect.unique_bytes = levers.dataset_bytes * (1.0 - std::max(r, d));
  effect.unique_share = effect.unique_bytes / effect.stored_bytes;
  effect.signal_deleted_bytes = levers.dataset_bytes * std::max(0.0, d - r);
  return effect;
}

Energy EnergyOf(const Levers& levers, const Workload& workload) {
  const double epoch_bytes = DedupedBytes(levers);
  const double images = epoch_bytes / workload.mean_sample_bytes;
  double internet_bytes = 0.0;
  if (DataIsRemote(levers) && levers.transfer_method != TransferMethod::kShippedDevice) {
    internet_bytes = PlanTransfer(levers, workload, levers.transfer_method).bytes_moved;
  }
  const double internet_joules_per_byte = kInternet2024KwhPerGb * kJoulesPerKwh / kBytesPerGb;
  const double dram_joules_per_byte = kDram32BitAccessJoules / kBytesPerFp32;
  const double macs_per_image = kResNet50FlopsPerImage / kFlopPerMac;
  Energy energy;
  energy.joules_per_operand_moved = kDram32BitAccessJoules;
  energy.joules_per_operation = kFp32MultJoules + kFp32AddJoules;
  energy.operand_to_operation_ratio = energy.joules_per_operand_moved / energy.joules_per_operation;
  energy.move_joules =
      internet_bytes * internet_joules_per_byte + epoch_bytes * dram_joules_per_byte;
  energy.compute_joules = images * macs_per_image * energy.joules_per_operation;
  energy.move_to_compute_ratio =
      energy.compute_joules > 0 ? energy.move_joules / energy.compute_joules : 0.0;
  energy.gpu_board_watts = levers.gpu_count * GpuBoardWatts(levers.gpu_type);
  energy.gpu_board_joules =
      energy.gpu_board_watts * images / TrainingImagesPerS(levers.gpu_type, levers.gpu_count);
  return energy;
}

double GpuDollarsPerHour(GpuType gpu) {
  switch (gpu) {
    case GpuType::kV100:
      return kP3x16DollarsPerHour / kGpusPerInstance;
    case GpuType::kA100:
      return kP4dx24DollarsPerHour / kGpusPerInstance;
    case GpuType::kH100:
      return kP5x48DollarsPerHour / kGpusPerInstance;
  }
  return 0.0;
}

double GpuBoardWatts(GpuType gpu) {
  switch (gpu) {
    case GpuType::kV100:
      return kV100BoardWatts;
    case GpuType::kA100:
      return kA100BoardWatts;
    case GpuType::kH100:
      return kH100BoardWatts;
  }
  return 0.0;
}

GpuMoney GpuMoneyOf(const Levers& levers, const Waterfall& waterfall) {
  GpuMoney money;
  money.dollars_per_gpu_hour = GpuDollarsPerHour(levers.gpu_type);
  money.dollars_per_hour = money.dollars_per_gpu_hour * levers.gpu_count;
  money.idle_dollars_per_epoch = money.dollars_per_hour * waterfall.stall_seconds / kSecondsPerHour;
  money.idle_dollars_per_training_run = money.idle_dollars_per_epoch * kResNet50TrainingEpochs;
  return money;
}

std::vector<TierOption> TierOptions(const Levers& levers, const Workload& workload) {
  std::vector<TierOption> options;
  for (StorageTier tier :
       {StorageTier::kLocalNvme, StorageTier::kCloudDisk, StorageTier::kObjectStore,
        StorageTier::kObjectStoreInfrequent, StorageTier::kGlacierInstant,
        StorageTier::kGlacierFlexible, StorageTier::kGlacierDeepArchive}) {
    Levers with_tier = levers;
    with_tier.storage_tier = tier;
    const FeedingTax tax = FeedingTaxFor(with_tier, workload);
    const double stored = DedupedBytes(levers);
    options.push_back({.tier = tier,
                       .storage_dollars_per_month = StorageDollarsPerMonth(tier, stored),
                       .supply_bytes_per_s = tax.supply_bytes_per_s,
                       .gpu_idle_fraction = tax.gpu_idle_fraction,
                       .retrieval_dollars_per_epoch = RetrievalCostDollars(tier, stored),
                       .restore_seconds = RestoreSeconds(tier),
                       .meets_gpu_hunger_target = tax.gpu_idle_fraction < kGpuHungerLimitFraction});
  }
  return options;
}

}  // namespace df::factory
