// The serving skeleton's pure parts and its metrics endpoint on a real socket. The
// whole process (flags, start line, signal -> drain) is exercised by the end-to-end
// tests that start the real binaries with port 0 and read the start line back.
#include "services/common/service_main.h"

#include <gtest/gtest.h>

#include "services/common/metrics_endpoint.h"

namespace df::server {
namespace {

TEST(StartLineTest, NamesTheServiceAndBothPorts) {
  EXPECT_EQ(StartLine("drift-monitor", "127.0.0.1:41033", 39415, {{"workers", "2"}}),
            "drift-monitor listening grpc=127.0.0.1:41033 metrics_port=39415 workers=2");
}

TEST(StartLineTest, ValuesWithSpacesOrQuotesAreQuotedSoTheLineSplitsOnSpaces) {
  EXPECT_EQ(StartLine("factory-sim", "127.0.0.1:1", 0,
                      {{"audit_dir", "/tmp/my audit"}, {"note", "say \"hi\""}, {"empty", ""}}),
            "factory-sim listening grpc=127.0.0.1:1 metrics_port=0 "
            "audit_dir=\"/tmp/my audit\" note=\"say \\\"hi\\\"\" empty=\"\"");
}

TEST(MetricsEndpointTest, PortZeroReportsTheBoundPort) {
  auto endpoint = MetricsEndpoint::Start("127.0.0.1:0");
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_GT((*endpoint)->port(), 0);
}

TEST(MetricsEndpointTest, ATakenPortIsUnavailableNamingTheAddress) {
  auto first = MetricsEndpoint::Start("127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string address = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = MetricsEndpoint::Start(address);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(address), std::string::npos);
}

}  // namespace
}  // namespace df::server
