// lab-gateway: the Data Factory lab in the browser. Serves the page and a JSON/HTTP
// API transcoded from the factory-sim and drift-monitor gRPC APIs (http_api.h).
//
//   lab-gateway --http_address=127.0.0.1:8080 --factory_sim=127.0.0.1:50051
//               --drift_monitor=127.0.0.1:50061
//
// Once listening it prints "lab-gateway listening http=HOST:PORT factory_sim=...
// drift_monitor=..." on stdout (port 0 picks a free port); on SIGINT or SIGTERM it
// ends every open stream (each page gets its "end" event), stops and exits 0.
#include <google/protobuf/descriptor.h>

#include <cstdio>
#include <map>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/common/channel_flags.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/command_line.h"
#include "services/common/grpc_server.h"
#include "services/gateway/http_api.h"

ABSL_FLAG(std::string, http_address, "127.0.0.1:8080",
          "HTTP listen address host:port; port 0 picks a free port");
ABSL_FLAG(std::string, factory_sim, "127.0.0.1:50051", "factory-sim's gRPC address host:port");
ABSL_FLAG(std::string, drift_monitor, "127.0.0.1:50061", "drift-monitor's gRPC address host:port");
ABSL_FLAG(size_t, max_page_streams, 32,
          "most streaming calls (live runs, camera streams, ...) open through the gateway at "
          "once; past it a new one is HTTP 429");
ABSL_FLAG(size_t, max_request_kib, 1024, "largest JSON request body, KiB; past it HTTP 413");
ABSL_FLAG(size_t, max_frame_kib, 8192,
          "largest binary request body (a camera frame), KiB; past it HTTP 413");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(10),
          "deadline of a unary call to a backend (past it HTTP 504)");

namespace {

constexpr char kName[] = "lab-gateway";

int Fail(absl::string_view message) {
  std::fprintf(stderr, "%s: %.*s\n", kName, static_cast<int>(message.size()), message.data());
  return 1;
}

// Sockets that refuse a second server on the same port (no SO_REUSEPORT sharing).
void ExclusiveSocketOptions(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

}  // namespace

int main(int argc, char** argv) {
  df::server::BlockShutdownSignals();
  df::cli::CommandLineSpec spec;
  spec.program = kName;
  spec.usage = absl::StrCat(
      "the Data Factory lab in the browser: the page and a JSON/HTTP API over factory-sim and "
      "drift-monitor\n\nOnce serving it prints '",
      kName, " listening http=HOST:PORT ...' on stdout.");
  spec.help_folders = {"services/gateway/", "clients/common/"};
  spec.usage_exit_code = 1;
  if (!df::cli::ParseCommandLineOrExit({argv, argv + argc}, spec).empty()) {
    return df::cli::UsageError("takes no positional arguments");
  }
  const std::string address = absl::GetFlag(FLAGS_http_address);
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return Fail(absl::StrCat("--http_address must be host:port, got '", address, "'"));
  }
  const std::string host = address.substr(0, colon);
  const std::map<std::string, std::string> backend_targets = {
      {"factory-sim", absl::GetFlag(FLAGS_factory_sim)},
      {"drift-monitor", absl::GetFlag(FLAGS_drift_monitor)}};
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels;
  for (const auto& [backend, target] : backend_targets) {
    if (target.empty()) return Fail(absl::StrCat("the address of ", backend, " is empty"));
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = df::client::ChannelFromFlags(target);
    if (!channel.ok()) return Fail(channel.status().message());
    channels.emplace(backend, *std::move(channel));
  }
  const size_t max_streams = absl::GetFlag(FLAGS_max_page_streams);
  if (max_streams < 1) return Fail("--max_page_streams must be >= 1");

  df::gateway::HttpApiOptions options;
  options.max_json_bytes = absl::GetFlag(FLAGS_max_request_kib) * 1024;
  options.max_frame_bytes = absl::GetFlag(FLAGS_max_frame_kib) * 1024;
  options.call_timeout = absl::GetFlag(FLAGS_call_timeout);
  if (options.call_timeout <= absl::ZeroDuration()) return Fail("--call_timeout must be > 0");

  // The APIs exposed: every method of these services (from the generated descriptors).
  const google::protobuf::ServiceDescriptor* factory_sim =
      datafactory::factory::v1::EvaluateRequest::descriptor()->file()->FindServiceByName(
          "FactorySim");
  const google::protobuf::ServiceDescriptor* drift_monitor =
      datafactory::drift::v1::Frame::descriptor()->file()->FindServiceByName("DriftMonitor");
  if (factory_sim == nullptr || drift_monitor == nullptr) return Fail("a service is missing");
  const df::gateway::ApiCatalog catalog = df::gateway::ApiCatalog::Build(
      {{"factory-sim", factory_sim}, {"drift-monitor", drift_monitor}});
  for (const std::string& conflict : catalog.conflicts()) {
    std::fprintf(stderr, "%s: warning: %s\n", kName, conflict.c_str());
  }
  df::gateway::Backends backends(channels);
  df::gateway::PageStreams streams(max_streams);
  df::gateway::HttpApi api(catalog, backends, streams, options);

  httplib::Server server;
  server.set_socket_options(ExclusiveSocketOptions);
  // Headers and body go out in separate writes: without it, Nagle's algorithm and the
  // client's delayed ACK hold every small reply for ~40 ms.
  server.set_tcp_nodelay(true);
  // A page makes a request per lever move and camera frame: keep its connections open.
  server.set_keep_alive_max_count(1000);
  // Each open event stream holds a worker thread; the rest serve requests.
  server.new_task_queue = [max_streams] { return new httplib::ThreadPool(max_streams + 16); };
  // Bodies past the bounds get the JSON 413 of HttpApi; past this one, httplib's own.
  server.set_payload_max_length(std::max(options.max_json_bytes, options.max_frame_bytes) +
                                (size_t{1} << 20));
  api.Register(server);
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Fail(absl::StrCat("cannot listen on ", address));
  std::thread listener([&server] { server.listen_after_bind(); });

  std::printf("%s listening http=%s:%d factory_sim=%s drift_monitor=%s\n", kName, host.c_str(),
              bound, absl::GetFlag(FLAGS_factory_sim).c_str(),
              absl::GetFlag(FLAGS_drift_monitor).c_str());
  std::fflush(stdout);

  const int signal = df::server::WaitForShutdownSignal();
  std::printf("%s: signal %d, ending %zu open streams\n", kName, signal, streams.open_count());
  std::fflush(stdout);
  streams.CloseAll();
  server.stop();
  listener.join();
  std::printf("%s: stopped\n", kName);
  std::fflush(stdout);
  return 0;
}
