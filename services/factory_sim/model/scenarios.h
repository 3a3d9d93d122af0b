// The personas (who is training, at what scale, on what data) and the named scenarios (the
// lab's three acts and a few more) of the Data Factory.
//
// Purpose: a persona fixes the workload the levers act on — the mean bytes per training sample
// and the redundant share r of its raw data (the part a dedup scrubber may remove without
// deleting signal) — plus its default levers. A scenario is a named lever setting whose
// report reproduces a result of the lab (docs/model.md):
//   act1  1 PB of raw video in S3 3,000 miles away, 10-day deadline, 1 Gbps fiber (~116 days
//         at 80 % efficiency; a Snowball export has the data at the GPUs in ~5 days)
//   act2  ResNet-50 on 8x A100 reading a 250 MB/s cloud disk (GPUs ~87 % idle; set
//         storage_tier=nvme and the feeding tax drops to zero)
//   act3  the Tiny Pioneer doorbells: a 1 % firmware white-balance change in Lakewood, none
//         in Fairview (the control city); the K-S check flags Lakewood at alpha = 0.01, not
//         below 0.0062
//   act1_snowball, act2_nvme  the fixed versions of act1 and act2
//
// Usage:
//   const df::factory::Scenario* s = df::factory::FindScenario("act2");
//   df::factory::Levers levers = s->levers;
//
// Thread-safety: the tables are built once (thread-safe statics) and never change.
// Failure: FindScenario returns nullptr for an unknown name; ScenarioLevers returns NotFound
// listing the known names.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_SCENARIOS_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_SCENARIOS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/physics.h"

namespace df::factory {

struct PersonaInfo {
  Persona persona = Persona::kCloudTitan;
  std::string name;                  // "Cloud Titan"
  std::string scale;                 // "cluster of 8x A100/H100"
  std::string hardware;              // what it stands for
  std::string workload_description;  // the default workload in words
  Workload workload;                 // what the physics reads: bytes per sample, redundant share
  Levers default_levers;
};

struct Scenario {
  std::string name;  // act1 | act2 | act3 | act1_snowball | act2_nvme
  std::string title;
  std::string description;
  Levers levers;
};

// The four personas, in enum order.
const std::vector<PersonaInfo>& Personas();
const PersonaInfo& PersonaProfile(Persona persona);

const std::vector<Scenario>& Scenarios();
const Scenario* FindScenario(std::string_view name);
// The scenario's levers, or NotFound naming the known scenarios.
[[nodiscard]] absl::StatusOr<Levers> ScenarioLevers(std::string_view name);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_SCENARIOS_H_
