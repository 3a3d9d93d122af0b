// The physics and prices of moving and feeding data: the formulas of docs/model.md and the
// extensions the lab needs (each marked EXTENSION).
//
// Inputs: the levers and the workload (bytes per sample, redundant share), which the caller
// takes from the persona once (scenarios.h: PersonaProfile(persona).workload).
//
// Transfer (remote data: distance_miles > 0; at distance 0 nothing has to move):
//   bytes = dataset_bytes * (1 - dedup): the scrubber runs at the source, before moving.
//   Source read rate for a bulk copy (TransferSourceBytesPerS): NVMe 16 GB/s, cloud disk
//   250 MB/s; S3 tiers are not a cap (a bulk copy spreads over prefixes).   (EXTENSION)
//   Fiber:   t = bytes * 8 / min(rate_bps * efficiency, 8 * source_read_bytes_per_s)
//            + distance / (2e8 m/s)                     EXTENSION: the source's read rate caps
//                                                       the link; one-way propagation added.
//            cost = egress(bytes)  [flat: bytes/1e9 * $0.09; tiered: see EgressCostDollars]
//   Shipped: devices = ceil(bytes / 210 TB); per device bytes_per_device = bytes / devices;
//            copy = bytes_per_device / min(1.5 GB/s, source_read_bytes_per_s / devices);
//            t = ship + copy + ship + bytes_per_device / 1.5 GB/s (import at AWS);
//            ship (one way) = 1 day + distance / 3,000 miles per day  (EXTENSION, estimate);
//            cost = devices * ($300 + $30 * max(0, ceil(copy days) - 10))
//                   + $0.03/GB export fee when the data sits in an S3 tier.
//   Move compute: only the model weights move (ResNet-50: 25.6 M fp32 parameters = 102.4 MB)
//            over the fiber link; cost = their egress.               (EXTENSION)
//   Every plan: archive tiers (Glacier Flexible / Deep Archive) first restore the data
//            (standard restore: 5 h / 12 h; $0.01 / $0.02 per GB), S3-IA and Glacier Instant
//            charge their retrieval fee per GB read.                 (EXTENSION)
//   Distance 0: every plan moves nothing (0 s, $0) apart from the restore/retrieval above.
//
// Egress pricing (EgressCostDollars), all bytes billed in one monthly cycle:
//   flat:    GB * $0.09 (the seed: 1 PB = $90,000).
//   tiered:  the first 100 GB free, then $0.09/GB up to 10 TB, $0.085 for the next 40 TB,
//            $0.07 for the next 100 TB, $0.05 beyond 150 TB (tier boundaries in decimal GB;
//            the free 100 GB are carved from the first tier). 1 PB = 1,000,000 GB:
//            9,900*0.09 + 40,000*0.085 + 100,000*0.07 + 850,000*0.05
//            = 891 + 3,400 + 7,000 + 42,500 = $53,791 (the lab's "~$53,800" omits the free
//            100 GB: 900 + 3,400 + 7,000 + 42,500 = $53,800).
//
// Feeding tax (FeedingTaxFor):
//   demand D = images_per_s * workload.mean_sample_bytes;
//   images_per_s = count * single_gpu * scaling(count): scaling(1) = 1, scaling(8) = the
//     measured 8-GPU figure / (8 * single) (V100 0.867, A100 0.841; H100 uses A100's),
//     linear in between, held beyond 8                                  (EXTENSION)
//   supply S = the tier's read rate, and for remote data read over fiber also the link's
//     effective rate: S = min(tier, link);  eta = min(1, S / D);  GPU idle = 1 - eta.
//   Tier read rates: NVMe 16 GB/s (p4d, 8 drives RAID-0); cloud disk 250 MB/s; S3 tiers
//     min(count * 100 MB/s (one GET stream per GPU), 5,500 GET/s * workload.mean_sample_bytes)
//     (EXTENSION); archive tiers read at the S3 rate once restored.
//
// Waterfall of one epoch (EpochWaterfall): epoch_bytes = dataset_bytes * (1 - dedup),
//   images = epoch_bytes / workload.mean_sample_bytes;
//   t_io = epoch_bytes / tier_rate; t_net = epoch_bytes / link_rate_bytes_per_s when the data
//   is remote and read over fiber, i.e. each epoch streams across the link because nothing was
//   copied next to the GPUs (EXTENSION); 0 for shipped devices (the data arrived first) and
//   for moving compute to the data; t_gpu = images / images_per_s;
//   overlapped = max(t_io, t_net, t_gpu); serial = t_io + t_net + t_gpu;
//   stall = overlapped - t_gpu.
//
// Dedup (DedupEffect): the scrubber removes d of the stored bytes; only the redundant share
//   r = workload.redundant_fraction is free to remove: stored_after = bytes * (1 - d), unique_after
//   = bytes * (1 - max(r, d)), entropy = unique_after / stored_after, signal_deleted = bytes *
//   max(0, d - r).
//
// Energy (EnergyOf): moving the dataset once vs. computing one epoch on it.
//   move = bytes crossing the internet * 0.003 kWh/GB (2024 extrapolation)
//          + epoch_bytes * 8 / 32 * 640 pJ (every byte read once from DRAM);
//   compute = images * 12.3 GFLOP * (0.9 + 3.7) pJ / 2 (one FP32 mult-add per 2 FLOP).
//   Shipped devices cross no network; the truck's energy is not modelled (no sourced figure).
//
// Thread-safety: pure functions. Failure: none; callers validate levers first (ValidateLevers)
// — inputs outside the lever ranges give unspecified but finite results.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_

#include <cstdint>
#include <string>

#include "services/factory_sim/model/levers.h"

namespace df::factory {

// What the GPUs read, as the persona fixes it.
struct Workload {
  double mean_sample_bytes = 0.0;   // bytes per training sample (image / frame), > 0
  double redundant_fraction = 0.0;  // r: share of the raw bytes that is redundant, 0..1
};

struct TransferPlan {
  TransferMethod method = TransferMethod::kFiber;
  std::string label;  // "Fiber 1 Gbps at 80 %", "3x Snowball Edge 210 TB", ...
  double seconds = 0.0;
  double cost_dollars = 0.0;
  int64_t devices = 0;       // shipped devices (0 for the network methods)
  double bytes_moved = 0.0;  // bytes that leave the data's site
  bool meets_deadline = false;
  std::string detail;  // the arithmetic in one line
};

struct FeedingTax {
  double demand_bytes_per_s = 0.0;
  double supply_bytes_per_s = 0.0;
  double efficiency = 0.0;         // min(1, supply / demand)
  double gpu_idle_fraction = 0.0;  // 1 - efficiency
};

struct Waterfall {
  double disk_io_seconds = 0.0;
  double network_seconds = 0.0;
  double gpu_math_seconds = 0.0;
  double stall_seconds = 0.0;  // overlapped - gpu math
  double epoch_overlapped_seconds = 0.0;
  double epoch_serial_seconds = 0.0;
};

struct Energy {
  double move_joules = 0.0;
  double compute_joules = 0.0;
  double move_to_compute_ratio = 0.0;  // 0 when compute_joules is 0
};

struct DedupEffect {
  double stored_bytes = 0.0;          // after the scrubber
  double unique_bytes = 0.0;          // information left
  double entropy = 0.0;               // unique / stored, 0..1
  double signal_deleted_bytes = 0.0;  // removed beyond the redundant share
};

// The data sits away from the cluster (distance_miles > 0).
bool DataIsRemote(const Levers& levers);

// bytes * 8 / (rate * efficiency); the lab's formula, no caps, no propagation.
double LinkTransferSeconds(double bytes, double rate_bits_per_s, double efficiency);

// Internet egress for `bytes` leaving the cloud, in one monthly cycle. Never negative.
double EgressCostDollars(double bytes, PricingModel pricing);

// The aggregate read rate of the tier for this workload (bytes/s).
double TierReadBytesPerS(const Levers& levers, const Workload& workload);

// Effective fiber rate in bytes/s: rate * efficiency / 8.
double LinkBytesPerS(const Levers& levers);

// ResNet-50 images/s of gpu_count GPUs of gpu_type.
double TrainingImagesPerS(GpuType gpu, int gpu_count);

// One plan per method; the chosen method is levers.transfer_method.
TransferPlan PlanTransfer(const Levers& levers, TransferMethod method);

// Restore delay before archive data can be read (0 for non-archive tiers).
double RestoreSeconds(StorageTier tier);
// Restore or retrieval fee for reading `bytes` once from the tier.
double RetrievalCostDollars(StorageTier tier, double bytes);
// Storage price per GB-month (0 for local NVMe: part of the instance price); S3 Standard at
// its first-50-TB price.
double StorageDollarsPerGbMonth(StorageTier tier);
// Keeping `bytes` in the tier for a month; S3 Standard with its volume tiers (50 TB / 450 TB).
double StorageDollarsPerMonth(StorageTier tier, double bytes);
// Read rate of the data's site for a bulk copy (bytes/s); +infinity for S3 tiers.
double TransferSourceBytesPerS(StorageTier tier);

FeedingTax FeedingTaxFor(const Levers& levers, const Workload& workload);
Waterfall EpochWaterfall(const Levers& levers, const Workload& workload);
DedupEffect DedupEffectOf(const Levers& levers, const Workload& workload);
Energy EnergyOf(const Levers& levers, const Workload& workload);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_
