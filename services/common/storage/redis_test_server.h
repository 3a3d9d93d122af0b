// RedisTestServer: a real redis-server for tests, on 127.0.0.1 and a free port, in
// a temporary directory, with the durability the Redis audit store requires
// (appendonly yes, appendfsync always). The binary comes from $DF_REDIS_SERVER
// (set by CMake) or /usr/bin/redis-server.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<RedisTestServer>> redis = RedisTestServer::Start();
//   RedisAuditStore::Open("127.0.0.1", (*redis)->port(), limits);
//   (*redis)->Kill();  (*redis)->Restart();   // a crash, then recovery from its log
//
// Thread-safety: one thread. Failure: Start reports why the server did not come up
// (with its log). The destructor stops the server and removes the directory.
#ifndef DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_TEST_SERVER_H_
#define DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_TEST_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace df::storage {

class RedisTestServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RedisTestServer>> Start();
  RedisTestServer(const RedisTestServer&) = delete;
  RedisTestServer& operator=(const RedisTestServer&) = delete;
  ~RedisTestServer();

  int port() const { return port_; }
  // SIGKILL, as a crash; Restart() then starts it again on the same port and data.
  void Kill();
  [[nodiscard]] absl::Status Restart();

 private:
  RedisTestServer(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}
  [[nodiscard]] absl::Status Launch();
  void Stop(int signal);

  const std::string dir_;
  const int port_;
  pid_t pid_ = -1;
};

}  // namespace df::storage

#endif  // DATA_FACTORY_SERVICES_COMMON_STORAGE_REDIS_TEST_SERVER_H_
