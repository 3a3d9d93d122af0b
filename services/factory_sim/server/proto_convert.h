// Field-by-field conversion between the API (datafactory.factory.v1 messages) and the
// df_factory_model types, done once at the edge of each call: a request's lever selection,
// lever change and pace become model values (FromProto), a report, a telemetry sample, a
// rationale's grade, the guided acts and the catalogues become messages (ToProto).
//
// Usage:
//   absl::StatusOr<LeverSelection> selection = FromProto(request.selection(), session_levers);
//   absl::StatusOr<Report> report = Evaluate(*selection);   // resolved and validated once
//   *response.mutable_report() = ToProto(*report);
//
// Thread-safety: pure functions.
// Failure: FromProto returns INVALID_ARGUMENT for an unspecified or unknown enum value
// (naming the lever and its values) and for a pace field out of range (naming the field and
// its range). Lever ranges and settings are not checked here: the model validates them once,
// on the resolved levers.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PROTO_CONVERT_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PROTO_CONVERT_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "datafactory/factory/v1/factory_sim.pb.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/guided_acts.h"
#include "services/factory_sim/model/lever_selection.h"
#include "services/factory_sim/model/rationale_grade.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/factory_sim/model/training_run.h"
#include "services/factory_sim/server/paced_run.h"

namespace df::factory {

namespace v1 = ::datafactory::factory::v1;

[[nodiscard]] absl::StatusOr<Levers> FromProto(const v1::Levers& levers);

// The selection's base — its scenario, else its explicit levers, else `session_levers` (the
// session's latest), else the defaults — and its "name=value" settings.
[[nodiscard]] absl::StatusOr<LeverSelection> FromProto(
    const v1::LeverSelection& selection, const std::optional<v1::Levers>& session_levers);

// A mid-run change: its levers if given, else the levers in force, and its settings.
[[nodiscard]] absl::StatusOr<LeverSelection> FromProto(const v1::LeverChange& change,
                                                       const Levers& in_force);

// RunPace fields of 0 mean "default", except an explicitly set tick_interval_ms of 0, which
// means unpaced. INVALID_ARGUMENT naming the field and its range otherwise.
[[nodiscard]] absl::StatusOr<Pace> FromProto(const v1::RunPace& pace);

v1::Levers ToProto(const Levers& levers);
v1::Persona ToProto(Persona persona);
v1::Waterfall ToProto(const Waterfall& waterfall);
v1::FeedingTax ToProto(const FeedingTax& feeding_tax);
v1::Consequence ToProto(const Consequence& consequence);
v1::TransferPlan ToProto(const TransferPlan& plan);
v1::Energy ToProto(const Energy& energy);
v1::DriftCheck ToProto(const DriftCheck& drift);
v1::Report ToProto(const Report& report);
v1::RationaleGrade ToProto(const RationaleGrade& grade);
v1::Prediction ToProto(const Prediction& prediction);
v1::ListActsResponse ToProto(const std::vector<GuidedAct>& acts);

// Writes every field of `*tick` (coalescing counts 0), reusing its sub-message storage: a
// stream refills the same few messages (tick_outbox.h).
void ToProto(const TelemetrySample& sample, v1::TelemetryTick* tick);

v1::ListScenariosResponse ToProto(const std::vector<Scenario>& scenarios);
v1::ListPersonasResponse ToProto(const std::vector<PersonaInfo>& personas);
v1::GetFigureCatalogueResponse ToProto(const std::vector<Figure>& figures);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_PROTO_CONVERT_H_
