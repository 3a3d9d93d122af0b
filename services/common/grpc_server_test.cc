// GrpcServer over real loopback channels: health checking is on, a bad or taken
// address is a clear error, and shutdown turns health NOT_SERVING before it
// refuses new calls.
#include "services/common/grpc_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace df::server {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

grpc::Status Check(Health::Stub& stub, HealthCheckResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return stub.Check(&context, HealthCheckRequest(), response);
}

TEST(GrpcServerTest, ServesHealthOnTheBoundPort) {
  auto server = GrpcServer::Start("127.0.0.1:0", {});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_GT((*server)->port(), 0);
  auto stub =
      Health::NewStub(grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  HealthCheckResponse response;
  ASSERT_TRUE(Check(*stub, &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
}

TEST(GrpcServerTest, HealthAnswersForEachNamedServiceAndNotForOthers) {
  GrpcServerOptions options;
  options.health_service_names = {"datafactory.test.v1.Example"};
  auto server = GrpcServer::Start("127.0.0.1:0", {}, options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub =
      Health::NewStub(grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service("datafactory.test.v1.Example");
  HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  grpc::ClientContext unknown_context;
  request.set_service("datafactory.test.v1.Unknown");
  EXPECT_EQ(stub->Check(&unknown_context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(GrpcServerTest, MalformedAddressIsAnErrorNamingIt) {
  auto server = GrpcServer::Start("no-port-here", {});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(server.status().message().find("no-port-here"), std::string::npos);
}

TEST(GrpcServerTest, AddressInUseIsUnavailable) {
  auto first = GrpcServer::Start("127.0.0.1:0", {});
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = GrpcServer::Start((*first)->target(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
}

TEST(GrpcServerTest, ShutdownShowsNotServingDuringTheGraceThenRefusesCalls) {
  GrpcServerOptions options;
  options.not_serving_grace = absl::Seconds(3);
  auto server = GrpcServer::Start("127.0.0.1:0", {}, options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub =
      Health::NewStub(grpc::CreateChannel((*server)->target(), grpc::InsecureChannelCredentials()));
  HealthCheckResponse response;
  ASSERT_TRUE(Check(*stub, &response).ok());

  absl::Notification done;
  std::thread shutdown([&] {
    (*server)->Shutdown(absl::Seconds(1));
    done.Notify();
  });
  // Poll until a probe sees NOT_SERVING or the shutdown completes without it.
  bool saw_not_serving = false;
  while (!done.HasBeenNotified() && !saw_not_serving) {
    saw_not_serving =
        Check(*stub, &response).ok() && response.status() == HealthCheckResponse::NOT_SERVING;
    if (!saw_not_serving) absl::SleepFor(absl::Milliseconds(10));
  }
  shutdown.join();
  EXPECT_TRUE(saw_not_serving);
  EXPECT_FALSE(Check(*stub, &response).ok());
}

}  // namespace
}  // namespace df::server
