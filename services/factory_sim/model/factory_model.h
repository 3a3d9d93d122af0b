// The Data Factory model in one include: levers, figures, personas and scenarios, physics,
// the report and the simulated training run. No gRPC, no Prometheus, no OpenCV.
//
// Usage:
//   #include "services/factory_sim/model/factory_model.h"
//   absl::StatusOr<df::factory::Levers> levers = df::factory::ScenarioLevers("act2");
//   absl::StatusOr<df::factory::Report> report = df::factory::Evaluate(*levers);
//
// Thread-safety and failure behaviour: see each header.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_

#include "services/factory_sim/model/drift_check.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/physics.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/factory_sim/model/training_run.h"

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_
