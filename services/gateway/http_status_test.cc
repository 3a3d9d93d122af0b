#include "services/gateway/http_status.h"

#include <gtest/gtest.h>

namespace df::gateway {
namespace {

TEST(HttpStatusOf, TheDocumentedTable) {
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnknown), 500);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kOutOfRange), 400);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kInternal), 500);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusOf(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusOf(static_cast<absl::StatusCode>(99)), 500);
}

TEST(ErrorJson, KeepsTheMessageEscapedForJson) {
  EXPECT_EQ(
      ErrorJson(absl::InvalidArgumentError("lever \"dedup\" = 0.6\tout\\of\nrange")),
      R"({"code":3,"status":"INVALID_ARGUMENT","message":"lever \"dedup\" = 0.6\u0009out\\of\u000arange"})");
  EXPECT_EQ(ErrorJson(absl::OkStatus()), R"({"code":0,"status":"OK","message":""})");
}

TEST(SseEvent, OneDataFieldPerLine) {
  EXPECT_EQ(SseEvent("message", R"({"a":1})"), "event: message\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(SseEvent("x", "a\nb"), "event: x\ndata: a\ndata: b\n\n");
}

}  // namespace
}  // namespace df::gateway
