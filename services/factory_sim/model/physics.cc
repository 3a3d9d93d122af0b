#include "services/factory_sim/model/physics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>

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
  const double copy_rate =
      std::min(kSnowballCopyBytesPerS, TransferSourceBytesPerS(levers.storage_tier) / devices);
  const double copy_seconds = bytes_per_device / copy_rate;
  const double ship_seconds =
      (kShipHandlingDays + levers.distance_miles / kShipMilesPerDay) * kSecondsPerDay;
  const double import_seconds = bytes_per_device / kSnowballCopyBytesPerS;
  plan.seconds = ship_seconds + copy_seconds + ship_seconds + import_seconds;
  const double days_on_site = std::ceil(copy_seconds / kSecondsPerDay);
  const double extra_days = std::max(0.0, days_on_site - kSnowballIncludedDaysOnSite);
  const double device_fees =
      devices * (kSnowballJobFeeDollars + kSnowballExtraDayDollars * extra_days);
  const double export_fees =
      IsS3Tier(levers.storage_tier) ? bytes / kBytesPerGb * kS3ExportToDeviceDollarsPerGb : 0.0;
  plan.cost_dollars = device_fees + export_fees;
  plan.label = absl::StrFormat("%dx Snowball Edge 210 TB", plan.devices);
  plan.detail = absl::StrFormat(
      "ship %.1f d + copy %.2f d (%.3g B/device at %.3g B/s) + ship %.1f d + import %.2f d = "
      "%.2f days; fees $%.0f devices + $%.0f export",
      ship_seconds / kSecondsPerDay, copy_seconds / kSecondsPerDay, bytes_per_device, copy_rate,
      ship_seconds / kSecondsPerDay, import_seconds / kSecondsPerDay, plan.seconds / kSecondsPerDay,
      device_fees, export_fees);
  return plan;
}

TransferPlan MoveComputePlan(const Levers& levers) {
  TransferPlan plan;
  plan.method = TransferMethod::kMoveCompute;
  plan.label = "Move compute to the data";
  const double weights_bytes = kResNet50Parameters * kBytesPerFp32;
  plan.bytes_moved = weights_bytes;
  plan.seconds = FiberSeconds(levers, weights_bytes);
  plan.cost_dollars = EgressCostDollars(weights_bytes, levers.pricing_model);
  plan.detail = absl::StrFormat(
      "the training runs where the data sits; only the model weights (%.4g B) cross the link",
      weights_bytes);
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

TransferPlan PlanTransfer(const Levers& levers, TransferMethod method) {
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
    plan = MoveComputePlan(levers);
  }
  // The data must be readable before it moves: restore archives, pay retrieval fees.
  const double restore = RestoreSeconds(levers.storage_tier);
  const double retrieval = RetrievalCostDollars(levers.storage_tier, bytes);
  if (restore > 0 || retrieval > 0) {
    plan.seconds += restore;
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
  effect.entropy = effect.unique_bytes / effect.stored_bytes;
  effect.signal_deleted_bytes = levers.dataset_bytes * std::max(0.0, d - r);
  return effect;
}

Energy EnergyOf(const Levers& levers, const Workload& workload) {
  const double epoch_bytes = DedupedBytes(levers);
  const double images = epoch_bytes / workload.mean_sample_bytes;
  double internet_bytes = 0.0;
  if (DataIsRemote(levers) && levers.transfer_method != TransferMethod::kShippedDevice) {
    internet_bytes = PlanTransfer(levers, levers.transfer_method).bytes_moved;
  }
  const double internet_joules_per_byte = kInternet2024KwhPerGb * kJoulesPerKwh / kBytesPerGb;
  const double dram_joules_per_byte = kDram32BitAccessJoules / 4.0;
  const double joules_per_flop = (kFp32AddJoules + kFp32MultJoules) / 2.0;
  Energy energy;
  energy.move_joules =
      internet_bytes * internet_joules_per_byte + epoch_bytes * dram_joules_per_byte;
  energy.compute_joules = images * kResNet50FlopsPerImage * joules_per_flop;
  energy.move_to_compute_ratio =
      energy.compute_joules > 0 ? energy.move_joules / energy.compute_joules : 0.0;
  return energy;
}

}  // namespace df::factory
