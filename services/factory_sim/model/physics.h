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
//   Shipped (Snowball Edge 210 TB): devices = ceil(bytes / 210 TB), filled in parallel with
//            bytes_per_device = bytes / devices; ship (one way) = 1 day + distance / 3,000
//            miles per day (EXTENSION, estimate). The job's direction follows where the data
//            sits, so that its fees and its timeline agree:
//            export (S3 tiers: the data leaves AWS): AWS loads the devices (bytes_per_device /
//              1.5 GB/s), ships them, the cluster's site unloads them (the same);
//              t = load + ship + unload; the devices go back afterwards (job = t + ship);
//              cost = $0.03/GB export fee.
//            import (block tiers: the data sits on a site's own disks): ship empty devices
//              out, copy (bytes_per_device / min(1.5 GB/s, source rate / devices)), ship
//              back, AWS imports (bytes_per_device / 1.5 GB/s); t = job = the four; data in
//              is free.
//            The 210 TB device's job fee has no source: it is listed in `unpriced`, with the
//            days on site beyond the 15 the fee includes.
//   Move compute: only the model weights move (ResNet-50: 25.6 M fp32 parameters = 102.4 MB)
//            over the fiber link; the GPUs are rented where the data sits for one pass over
//            it (one epoch read from the tier, no link): cost = weights egress + gpu_count x
//            the instance price per GPU-hour x that epoch.           (EXTENSION)
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
//   = bytes * (1 - max(r, d)), unique_share = unique_after / stored_after (a ratio of bytes, not
//   an entropy), signal_deleted = bytes * max(0, d - r).
//
// Energy (EnergyOf): the invariant per operand — one 32-bit operand fetched from DRAM (640 pJ)
//   against the FP32 multiply-add that uses it (3.7 + 0.9 pJ): 139x (Horowitz). Then the
//   dataset: moving it once vs. computing one epoch on it.
//   move = bytes crossing the internet * 0.003 kWh/GB (2024 extrapolation)
//          + epoch_bytes * 8 / 32 * 640 pJ (every byte read once from DRAM);
//   compute = images * 3 * 4.1 G multiply-adds * 4.6 pJ (arithmetic only: 56.6 mJ an image);
//   board = gpu_count * board power * t_gpu (what the GPUs draw while computing the epoch).
//   Shipped devices cross no network; the truck's energy is not modelled (no sourced figure).
//
// Money (GpuMoneyOf, TierOptions): the rented GPUs' price per hour (8-GPU instance / 8 per
//   GPU), the dollars the GPUs burn idle per epoch (stall seconds x that price) and over a
//   90-epoch training run; per storage tier, its price per month for the stored bytes, its
//   supply and GPU idle fraction for this workload, and its retrieval fee per epoch.
//
// Thread-safety: pure functions. Failure: none; callers validate levers first (ValidateLevers)
// — inputs outside the lever ranges give unspecified but finite results.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "services/factory_sim/model/levers.h"

namespace df::factory {

// What the GPUs read, as the persona fixes it.
struct Workload {
  double mean_sample_bytes = 0.0;   // bytes per training sample (image / frame), > 0
  double redundant_fraction = 0.0;  // r: share of the raw bytes that is redundant, 0..1
};

struct TransferPlan {
  TransferMethod method = TransferMethod::kFiber;
  std::string label;          // "Fiber 1 Gbps at 80 %", "5x Snowball Edge 210 TB (export)", ...
  double seconds = 0.0;       // until the data is beside the GPUs (what the deadline judges)
  double job_seconds = 0.0;   // until the plan is over (shipped: devices back at AWS)
  double cost_dollars = 0.0;  // everything priced; see `unpriced`
  int64_t devices = 0;        // shipped devices (0 for the network methods)
  double bytes_moved = 0.0;   // bytes that leave the data's site
  double gpu_rental_dollars = 0.0;  // move compute: GPUs rented where the data sits
  bool meets_deadline = false;
  std::string detail;                 // the arithmetic in one line
  std::vector<std::string> unpriced;  // costs the plan has no source for
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
  double move_to_compute_ratio = 0.0;     // 0 when compute_joules is 0
  double joules_per_operand_moved = 0.0;  // a 32-bit DRAM read
  double joules_per_operation = 0.0;      // an FP32 multiply-add
  double operand_to_operation_ratio = 0.0;
  double gpu_board_watts = 0.0;   // gpu_count x board power
  double gpu_board_joules = 0.0;  // x the epoch's GPU math seconds
};

// What the GPUs cost and what they burn waiting.
struct GpuMoney {
  double dollars_per_gpu_hour = 0.0;           // the 8-GPU instance's price / 8
  double dollars_per_hour = 0.0;               // x gpu_count
  double idle_dollars_per_epoch = 0.0;         // x the epoch's stall
  double idle_dollars_per_training_run = 0.0;  // x 90 epochs
};

// One storage tier for this workload and these levers (the tier lever replaced).
struct TierOption {
  StorageTier tier = StorageTier::kLocalNvme;
  double storage_dollars_per_month = 0.0;  // the stored (deduplicated) bytes
  double supply_bytes_per_s = 0.0;
  double gpu_idle_fraction = 0.0;
  double retrieval_dollars_per_epoch = 0.0;  // S3-IA, Glacier Instant; restores for archives
  double restore_seconds = 0.0;
  bool meets_gpu_hunger_target = false;  // idle < the GPU Hunger badge's 10 %
};

struct DedupEffect {
  double stored_bytes = 0.0;          // after the scrubber
  double unique_bytes = 0.0;          // information left
  double unique_share = 0.0;          // unique / stored, 0..1 (the "Unique Data" card)
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

// One plan per method; the chosen method is levers.transfer_method. The workload prices the
// GPUs a move-compute plan rents (one epoch where the data sits).
TransferPlan PlanTransfer(const Levers& levers, const Workload& workload, TransferMethod method);

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

// Price of one GPU of this type for an hour: its 8-GPU instance on demand / 8.
double GpuDollarsPerHour(GpuType gpu);
// Board power of one GPU of this type (watts).
double GpuBoardWatts(GpuType gpu);
GpuMoney GpuMoneyOf(const Levers& levers, const Waterfall& waterfall);
// Every tier, in enum order.
std::vector<TierOption> TierOptions(const Levers& levers, const Workload& workload);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_PHYSICS_H_
