// The levers a student moves in the Data Factory lab, their ranges and their parsing.
//
// Purpose: one plain struct (`Levers`) holding every input of the model, the validation
// that names the bad lever and its allowed range, and the "name=value" settings the CLI's
// `--set` and mid-run lever changes use ("storage_tier=nvme", "dedup=0.3",
// "dataset_bytes=1PB", "link_rate=10Gbps").
//
// Usage:
//   df::factory::Levers levers = df::factory::Scenarios()[1].levers;   // act2
//   absl::StatusOr<Levers> nvme = df::factory::ApplyLeverSetting(levers, "storage_tier", "nvme");
//   absl::Status ok = df::factory::ValidateLevers(*nvme);
//
// Ranges (inclusive unless stated):
//   dataset_bytes          1e6 .. 1e18 (1 MB .. 1 EB)
//   link_rate_bits_per_s   1e6 .. 4e11 (1 Mbps .. 400 Gbps)
//   link_efficiency        (0, 1]      sustained share of the nominal link rate
//   distance_miles         0 .. 25,000 (0: the data sits beside the cluster)
//   deadline_days          (0, 3650]
//   dedup_fraction         0 .. 0.5
//   drift_alpha            (0, 0.5]
//   gpu_count              1 .. 4096
//
// Thread-safety: everything here is a pure function or plain data.
// Failure: ValidateLevers / ApplyLeverSetting return InvalidArgument with a message naming
// the lever and its allowed range (or the accepted names for an enum lever).
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_LEVERS_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_LEVERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace df::factory {

enum class Persona { kCloudTitan, kEdgeGuardian, kMobileNomad, kTinyPioneer };

// Where the training data is read from (and, for remote data, where it sits).
enum class StorageTier {
  kLocalNvme,              // instance-store NVMe beside the GPUs
  kCloudDisk,              // network block disk (the seed's 250 MB/s "standard cloud disk")
  kObjectStore,            // S3 Standard
  kObjectStoreInfrequent,  // S3 Standard-IA (retrieval fee per GB read)
  kGlacierInstant,         // S3 Glacier Instant Retrieval (retrieval fee per GB read)
  kGlacierFlexible,        // S3 Glacier Flexible Retrieval (restore before reading)
  kGlacierDeepArchive,     // S3 Glacier Deep Archive (restore before reading)
};

enum class TransferMethod { kFiber, kShippedDevice, kMoveCompute };

enum class PricingModel {
  kFlat,    // $0.09/GB, the lab's rate
  kTiered,  // AWS 2024 internet egress tiers
};

enum class GpuType { kV100, kA100, kH100 };

struct Levers {
  Persona persona = Persona::kCloudTitan;
  double dataset_bytes = 140e9;  // ImageNet-1k
  StorageTier storage_tier = StorageTier::kCloudDisk;
  TransferMethod transfer_method = TransferMethod::kFiber;
  double link_rate_bits_per_s = 1e9;
  double link_efficiency = 0.8;  // sustained share of the nominal rate, (0, 1]
  double distance_miles = 0.0;   // 0: the data already sits beside the cluster
  double deadline_days = 10.0;
  double dedup_fraction = 0.0;  // share of the stored bytes the scrubber removes, 0..0.5
  double drift_alpha = 0.01;    // K-S significance level (family-wise, see drift_check.h)
  PricingModel pricing_model = PricingModel::kFlat;
  GpuType gpu_type = GpuType::kA100;
  int gpu_count = 8;

  friend bool operator==(const Levers&, const Levers&) = default;
};

// OK, or InvalidArgument naming the first lever out of range and its allowed range.
[[nodiscard]] absl::Status ValidateLevers(const Levers& levers);

// Applies one "name=value" setting and validates the result. Names (aliases in brackets):
//   persona (cloud_titan | edge_guardian | mobile_nomad | tiny_pioneer)
//   dataset_bytes [dataset, dataset_size]: a number of bytes or with a decimal unit suffix
//       (B, KB, MB, GB, TB, PB, EB), e.g. "1PB", "140GB", "1.4e11"
//   storage_tier [tier]: nvme | local_nvme | cloud_disk | disk | ebs | object_store | s3 |
//       object_store_infrequent | s3_ia | glacier_instant | glacier_flexible | glacier |
//       glacier_deep_archive | deep_archive
//   transfer_method [transfer, method]: fiber | shipped_device | snowball | move_compute
//   link_rate_bits_per_s [link_rate]: bits/s, or with a suffix bps, Kbps, Mbps, Gbps
//   link_efficiency [efficiency], distance_miles [distance], deadline_days [deadline],
//   dedup_fraction [dedup]: 0..0.5 or a percentage "30%",
//   drift_alpha [alpha], pricing_model [pricing]: flat | tiered,
//   gpu_type [gpu]: v100 | a100 | h100, gpu_count [gpus]
// Names and enum values are case-insensitive.
[[nodiscard]] absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view name,
                                                       std::string_view value);

// One "name=value" string (as `--set` takes it). InvalidArgument when there is no '='.
[[nodiscard]] absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view setting);

// Applies settings in order; stops at the first error.
[[nodiscard]] absl::StatusOr<Levers> ApplyLeverSettings(Levers levers,
                                                        absl::Span<const std::string> settings);

// The canonical lever names, in the order of the struct.
const std::vector<std::string>& LeverNames();

// Canonical lower-case names, as ApplyLeverSetting accepts them ("local_nvme", "fiber", ...).
std::string_view PersonaName(Persona persona);
std::string_view StorageTierName(StorageTier tier);
std::string_view TransferMethodName(TransferMethod method);
std::string_view PricingModelName(PricingModel pricing);
std::string_view GpuTypeName(GpuType gpu);

// The value of a lever as ApplyLeverSetting would accept it back (e.g. "1e+15", "local_nvme").
[[nodiscard]] absl::StatusOr<std::string> LeverValue(const Levers& levers, std::string_view name);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_LEVERS_H_
