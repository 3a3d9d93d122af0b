#include "tests/load/spawned_service.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace df::load {
namespace {

TEST(SpawnedServiceTest, TargetFromTheStartLine) {
  EXPECT_EQ(GrpcTargetFromStartLine(
                "drift-monitor",
                "warming up\ndrift-monitor listening grpc=127.0.0.1:41033 metrics_port=39415 "
                "workers=2\n"),
            "127.0.0.1:41033");
  EXPECT_EQ(GrpcTargetFromStartLine("drift-monitor", "factory-sim listening grpc=1.2.3.4:5\n"),
            std::nullopt);
  EXPECT_EQ(GrpcTargetFromStartLine("drift-monitor", "drift-monitor listening metrics_port=1\n"),
            std::nullopt);
}

TEST(SpawnedServiceTest, ABinaryThatCannotRunIsAnErrorWithItsLog) {
  const std::string dir = ::testing::TempDir();
  absl::StatusOr<std::unique_ptr<SpawnedService>> s =
      SpawnedService::Start("nothing", "/nonexistent/binary", {}, dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.status().message().find("exited at start"), std::string::npos) << s.status();
  std::filesystem::remove(dir + "/nothing.log");
}

}  // namespace
}  // namespace df::load
