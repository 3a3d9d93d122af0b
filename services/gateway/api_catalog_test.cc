#include "services/gateway/api_catalog.h"

#include <gtest/gtest.h>

#include "datafactory/drift/v1/drift_monitor.pb.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::gateway {
namespace {

const google::protobuf::ServiceDescriptor* FactorySim() {
  return datafactory::factory::v1::EvaluateRequest::descriptor()->file()->FindServiceByName(
      "FactorySim");
}
const google::protobuf::ServiceDescriptor* DriftMonitor() {
  return datafactory::drift::v1::Frame::descriptor()->file()->FindServiceByName("DriftMonitor");
}

TEST(HttpPrefix, DropsTheFirstPackageComponent) {
  EXPECT_EQ(HttpPrefix("datafactory.factory.v1"), "/api/factory/v1");
  EXPECT_EQ(HttpPrefix("solo"), "/api/solo");
}

TEST(ApiCatalog, EveryMethodOfBothServicesWithItsKindAndTypes) {
  const ApiCatalog catalog =
      ApiCatalog::Build({{"factory-sim", FactorySim()}, {"drift-monitor", DriftMonitor()}});
  EXPECT_EQ(catalog.methods().size(),
            static_cast<size_t>(FactorySim()->method_count() + DriftMonitor()->method_count()));
  EXPECT_TRUE(catalog.conflicts().empty());

  const ApiMethod* evaluate = catalog.Find("/api/factory/v1/Evaluate");
  ASSERT_NE(evaluate, nullptr);
  EXPECT_EQ(evaluate->grpc_path, "/datafactory.factory.v1.FactorySim/Evaluate");
  EXPECT_EQ(evaluate->backend, "factory-sim");
  EXPECT_EQ(evaluate->kind, CallKind::kUnary);
  EXPECT_EQ(evaluate->input->full_name(), "datafactory.factory.v1.EvaluateRequest");
  EXPECT_EQ(evaluate->output->full_name(), "datafactory.factory.v1.EvaluateResponse");

  const ApiMethod* telemetry = catalog.Find("/api/factory/v1/StreamTelemetry");
  ASSERT_NE(telemetry, nullptr);
  EXPECT_TRUE(telemetry->streams_responses());
  EXPECT_FALSE(telemetry->takes_more_requests());

  const ApiMethod* ingest = catalog.Find("/api/drift/v1/Ingest");
  ASSERT_NE(ingest, nullptr);
  EXPECT_EQ(ingest->kind, CallKind::kBidiStreaming);
  EXPECT_EQ(ingest->backend, "drift-monitor");
  EXPECT_TRUE(ingest->takes_more_requests());

  EXPECT_EQ(catalog.Find("/api/factory/v1/Nope"), nullptr);
  EXPECT_EQ(catalog.Find("/api/factory/v1"), nullptr);
}

TEST(ApiCatalog, ASecondServiceWithTheSameMethodNamesIsAConflictNotAnOverwrite) {
  const ApiCatalog catalog = ApiCatalog::Build({{"first", FactorySim()}, {"second", FactorySim()}});
  EXPECT_EQ(catalog.methods().size(), static_cast<size_t>(FactorySim()->method_count()));
  EXPECT_EQ(catalog.conflicts().size(), static_cast<size_t>(FactorySim()->method_count()));
  EXPECT_EQ(catalog.Find("/api/factory/v1/Evaluate")->backend, "first");
}

}  // namespace
}  // namespace df::gateway
