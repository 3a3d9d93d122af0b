// The Data Factory model in one include: levers and lever selections, figures, personas and
// scenarios, physics, the report with its consequence log and lever diffs, and the training
// run. No gRPC, no Prometheus, no OpenCV.
//
// Usage:
//   #include "services/factory_sim/model/factory_model.h"
//   df::factory::LeverSelection selection{.base = std::string("act2"), .settings = {"tier=nvme"}};
//   absl::StatusOr<df::factory::Report> report = df::factory::Evaluate(selection);
//
// Thread-safety and failure behaviour: see each header.
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_

#include "services/factory_sim/model/consequence.h"
#include "services/factory_sim/model/drift_check.h"
#include "services/factory_sim/model/feeding_tax_math.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/lever_diff.h"
#include "services/factory_sim/model/lever_selection.h"
#include "services/factory_sim/model/levers.h"
#include "services/factory_sim/model/physics.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/factory_sim/model/training_run.h"

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_FACTORY_MODEL_H_
