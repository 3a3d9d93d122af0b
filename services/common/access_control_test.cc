// AccessControl on client metadata: no token configured lets everything through; a
// configured token refuses a missing, malformed or wrong one, and never names it.
#include "services/common/access_control.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace df::server {
namespace {

using Metadata = std::multimap<grpc::string_ref, grpc::string_ref>;

constexpr char kToken[] = "s3cret-token-0123456789";

AccessControl WithToken() {
  absl::StatusOr<AccessControl> access = AccessControl::WithToken(kToken);
  EXPECT_TRUE(access.ok()) << access.status();
  return *access;
}

TEST(AccessControlTest, WithoutATokenEveryCallIsAllowed) {
  const AccessControl open;
  EXPECT_FALSE(open.requires_token());
  EXPECT_TRUE(open.AuthorizeChange(Metadata{}, "Ingest").ok());
}

TEST(AccessControlTest, TheRightBearerTokenIsAllowed) {
  const std::string value = std::string("Bearer ") + kToken;
  const Metadata metadata = {{"authorization", value}};
  EXPECT_TRUE(WithToken().AuthorizeChange(metadata, "Ingest").ok());
}

TEST(AccessControlTest, AMissingTokenIsUnauthenticatedNamingTheCall) {
  const absl::Status status = WithToken().AuthorizeChange(Metadata{}, "SetStreamConfig");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(status.message().find("SetStreamConfig changes state"), std::string::npos);
  EXPECT_NE(status.message().find("--token_file"), std::string::npos);
}

TEST(AccessControlTest, ANonBearerAuthorizationIsUnauthenticated) {
  const Metadata metadata = {{"authorization", "Basic dXNlcjpwYXNz"}};
  EXPECT_EQ(WithToken().AuthorizeChange(metadata, "Ingest").code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AccessControlTest, AnotherTokenIsPermissionDeniedAndNeitherTokenIsNamed) {
  for (const std::string token : {"s3cret-token-0123456780", "s3cret-token-012345678", "x"}) {
    const std::string value = "Bearer " + token;
    const Metadata metadata = {{"authorization", value}};
    const absl::Status status = WithToken().AuthorizeChange(metadata, "LiveRun");
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << token;
    EXPECT_EQ(status.message().find(kToken), std::string::npos);
    EXPECT_EQ(status.message().find(token), std::string::npos);
  }
}

TEST(AccessControlTest, ShortOrUnprintableTokensAreRefusedWithoutNamingThem) {
  for (const std::string token : {"short", "has a space in the middle", "tab\tinside-0123456"}) {
    const absl::StatusOr<AccessControl> access = AccessControl::WithToken(token);
    ASSERT_FALSE(access.ok()) << token;
    EXPECT_EQ(access.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(access.status().message().find(token), std::string::npos);
  }
}

}  // namespace
}  // namespace df::server
