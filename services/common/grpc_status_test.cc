// ToGrpcStatus carries the code and message over unchanged.
#include "services/common/grpc_status.h"

#include <gtest/gtest.h>

namespace df::server {
namespace {

TEST(GrpcStatusFormat, OkMapsToOk) { EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok()); }

TEST(GrpcStatusFormat, CodeAndMessageCarryOver) {
  const grpc::Status invalid = ToGrpcStatus(absl::InvalidArgumentError("epochs must be 1..1000"));
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message(), "epochs must be 1..1000");
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("x")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(GrpcStatusFormat, NonCanonicalCodeIsUnknown) {
  const absl::Status odd(static_cast<absl::StatusCode>(99), "odd");
  EXPECT_EQ(ToGrpcStatus(odd).error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(ToGrpcStatus(odd).error_message(), "odd");
}

}  // namespace
}  // namespace df::server
