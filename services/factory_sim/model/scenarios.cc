#include "services/factory_sim/model/scenarios.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/factory_sim/model/figures.h"

namespace df::factory {
namespace {

using namespace figures;  // NOLINT(build/namespaces)

Levers CloudTitanLevers() {
  Levers levers;
  levers.persona = Persona::kCloudTitan;
  levers.dataset_bytes = kImageNetBytes;
  levers.storage_tier = StorageTier::kCloudDisk;
  levers.transfer_method = TransferMethod::kFiber;
  levers.distance_miles = 0;
  levers.gpu_type = GpuType::kA100;
  levers.gpu_count = static_cast<int>(kCloudTitanGpus);
  return levers;
}

Levers EdgeGuardianLevers() {
  Levers levers;
  levers.persona = Persona::kEdgeGuardian;
  levers.dataset_bytes = 1e15;  // 10,000 vehicles x 100 GB of raw video
  levers.storage_tier = StorageTier::kObjectStore;
  levers.transfer_method = TransferMethod::kFiber;
  levers.link_rate_bits_per_s = kFiberLink1GbpsBitsPerS;
  levers.link_efficiency = kLongHaulLinkEfficiency;
  levers.distance_miles = 3'000;
  levers.deadline_days = 10;
  return levers;
}

Levers MobileNomadLevers() {
  Levers levers;
  levers.persona = Persona::kMobileNomad;
  levers.dataset_bytes = 100e12;
  levers.storage_tier = StorageTier::kObjectStore;
  levers.transfer_method = TransferMethod::kFiber;
  levers.link_rate_bits_per_s = kFiberLink10GbpsBitsPerS;
  levers.distance_miles = 0;
  levers.deadline_days = 30;
  return levers;
}

Levers TinyPioneerLevers() {
  Levers levers;
  levers.persona = Persona::kTinyPioneer;
  levers.dataset_bytes = 10e12;
  levers.storage_tier = StorageTier::kLocalNvme;
  levers.transfer_method = TransferMethod::kFiber;
  levers.distance_miles = 0;
  levers.drift_alpha = 0.01;
  return levers;
}

std::vector<PersonaInfo> BuildPersonas() {
  return {
      {Persona::kCloudTitan,
       "Cloud Titan",
       "cluster of 8x A100/H100, TCO-bound",
       "p4d-class GPU servers with local NVMe",
       "ResNet-50 on ImageNet-1k (147.9 GB, 115 KB an image)",
       {kCloudTitanSampleBytes, kCloudTitanRedundantFraction},
       CloudTitanLevers()},
      {Persona::kEdgeGuardian,
       "Edge Guardian",
       "fleet of 10,000 vehicles",
       "Jetson-class edge computers",
       "perception model on 1 PB of raw dash-cam video",
       {kEdgeGuardianSampleBytes, kEdgeGuardianRedundantFraction},
       EdgeGuardianLevers()},
      {Persona::kMobileNomad,
       "Mobile Nomad",
       "1e8 phones",
       "smartphone SoCs",
       "vision model on 100 TB of phone photos",
       {kMobileNomadSampleBytes, kMobileNomadRedundantFraction},
       MobileNomadLevers()},
      {Persona::kTinyPioneer,
       "Tiny Pioneer",
       "1e7 smart doorbells",
       "microcontroller-class, 256 KB SRAM",
       "person detector on 10 TB of doorbell frames",
       {kTinyPioneerSampleBytes, kTinyPioneerRedundantFraction},
       TinyPioneerLevers()},
  };
}

std::vector<Scenario> BuildScenarios() {
  Levers act1 = EdgeGuardianLevers();
  Levers act1_snowball = act1;
  act1_snowball.transfer_method = TransferMethod::kShippedDevice;
  Levers act2 = CloudTitanLevers();
  Levers act2_nvme = act2;
  act2_nvme.storage_tier = StorageTier::kLocalNvme;
  Levers act3 = TinyPioneerLevers();
  return {
      {"act1", "Act I: the physics of data gravity",
       "1 PB of raw video 3,000 miles from the cluster, deadline in 10 days, a 1 Gbps fiber "
       "link at 80 % efficiency. The network takes months; try transfer_method=snowball.",
       act1},
      {"act2", "Act II: the feeding tax",
       "ResNet-50 on 8x A100 (16,621 images/s) reading ImageNet (147.9 GB) from a 250 MB/s "
       "cloud disk: the GPUs starve. Find the bottleneck; try storage_tier=nvme.",
       act2},
      {"act3", "Act III: the drift detector",
       "Smart doorbells in Lakewood (a firmware update changed their white balance by 1 %) and "
       "Fairview (the control city, no update). A K-S test on per-frame white-balance features "
       "finds Lakewood at alpha = 0.01 and misses it below 0.0062; try alpha and "
       "firmware_severity.",
       act3},
      {"act1_snowball", "Act I, solved: ship the petabyte",
       "Act I with Snowball Edge devices: the data is beside the GPUs in about 5 days (the "
       "devices are back at AWS after about 7), within the deadline.",
       act1_snowball},
      {"act2_nvme", "Act II, solved: local NVMe",
       "Act II with the data on local NVMe (16 GB/s): the feeding tax drops to zero.", act2_nvme},
  };
}

}  // namespace

const std::vector<PersonaInfo>& Personas() {
  static const std::vector<PersonaInfo>* const kPersonas =
      new std::vector<PersonaInfo>(BuildPersonas());
  return *kPersonas;
}

const PersonaInfo& PersonaProfile(Persona persona) {
  for (const PersonaInfo& info : Personas()) {
    if (info.persona == persona) {
      return info;
    }
  }
  return Personas().front();  // unreachable for valid levers (ValidateLevers checks)
}

const std::vector<Scenario>& Scenarios() {
  static const std::vector<Scenario>* const kScenarios =
      new std::vector<Scenario>(BuildScenarios());
  return *kScenarios;
}

const Scenario* FindScenario(std::string_view name) {
  for (const Scenario& scenario : Scenarios()) {
    if (scenario.name == name) {
      return &scenario;
    }
  }
  return nullptr;
}

absl::StatusOr<Levers> ScenarioLevers(std::string_view name) {
  if (const Scenario* scenario = FindScenario(name); scenario != nullptr) {
    return scenario->levers;
  }
  std::string known;
  for (const Scenario& scenario : Scenarios()) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", scenario.name);
  }
  return absl::NotFoundError(
      absl::StrCat("unknown scenario \"", std::string(name), "\"; known: ", known));
}

}  // namespace df::factory
