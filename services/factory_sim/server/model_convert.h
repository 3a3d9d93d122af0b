// Field-by-field conversion between the df_factory_model structs and the v1 API
// messages. Pure functions; thread-safe. FromProto rejects an unspecified or
// unknown enum value with INVALID_ARGUMENT naming the lever and its values (the
// numeric ranges are the model's ValidateLevers' business).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_CONVERT_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_CONVERT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "datafactory/factory/v1/factory_sim.pb.h"
#include "services/factory_sim/model/report.h"

namespace df::factory {

namespace v1 = ::datafactory::factory::v1;

[[nodiscard]] absl::StatusOr<Levers> FromProto(const v1::Levers& levers);
v1::Levers ToProto(const Levers& levers);
v1::Persona ToProto(Persona persona);
v1::Waterfall ToProto(const Waterfall& waterfall);
v1::Consequence ToProto(const Consequence& consequence);
v1::Report ToProto(const Report& report);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_SERVER_MODEL_CONVERT_H_
