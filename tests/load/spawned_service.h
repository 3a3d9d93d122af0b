// SpawnedService: one of our service binaries started as a child process on
// 127.0.0.1 with free ports (--grpc_address=127.0.0.1:0 --metrics_address=127.0.0.1:0),
// found through its start line "<name> listening grpc=HOST:PORT metrics_port=N ..."
// (services/common/service_main.h), as tests/harness/processes.py does for the Python
// tests. Its stdout and stderr go to <log_dir>/<name>.log.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<SpawnedService>> dm = SpawnedService::Start(
//       "drift-monitor", "build/release/services/drift_monitor/drift-monitor", {}, "/tmp/x");
//   (*dm)->grpc_target();  (*dm)->pid();
//   // the destructor sends SIGTERM, waits up to 10 s, then SIGKILL
//
// The child gets SIGKILL if the load program dies first (PR_SET_PDEATHSIG), so a
// crashed run leaves no server behind.
// Thread-safety: one owner. Failure: Start() returns UNAVAILABLE with the log's tail
// when the binary exits or prints no start line within 30 s.
#ifndef DATA_FACTORY_TESTS_LOAD_SPAWNED_SERVICE_H_
#define DATA_FACTORY_TESTS_LOAD_SPAWNED_SERVICE_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::load {

// The gRPC target ("HOST:PORT") on `name`'s start line in `log_text`, if it has one.
std::optional<std::string> GrpcTargetFromStartLine(absl::string_view name,
                                                   absl::string_view log_text);

class SpawnedService {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SpawnedService>> Start(
      const std::string& name, const std::string& binary, const std::vector<std::string>& args,
      const std::string& log_dir);
  ~SpawnedService();
  SpawnedService(const SpawnedService&) = delete;
  SpawnedService& operator=(const SpawnedService&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& grpc_target() const { return grpc_target_; }
  const std::string& log_path() const { return log_path_; }

 private:
  SpawnedService(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  void Stop();

  pid_t pid_;
  std::string log_path_;
  std::string grpc_target_;
};

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_SPAWNED_SERVICE_H_
