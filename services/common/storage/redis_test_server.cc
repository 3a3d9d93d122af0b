#include "services/common/storage/redis_test_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/storage/redis_connection.h"

namespace df::storage {
namespace {

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string RedisBinary() {
  const char* from_env = std::getenv("DF_REDIS_SERVER");
  return from_env != nullptr && *from_env != '\0' ? from_env : "/usr/bin/redis-server";
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisTestServer>> RedisTestServer::Start() {
  absl::Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string dir =
        absl::StrCat(std::filesystem::temp_directory_path().string(), "/df-redis-test-", ::getpid(),
                     "-", attempt, "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir);
    std::unique_ptr<RedisTestServer> server(new RedisTestServer(std::move(dir), FreePort()));
    last = server->Launch();
    if (last.ok()) return server;
  }
  return last;
}

RedisTestServer::~RedisTestServer() {
  Stop(SIGTERM);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

absl::Status RedisTestServer::Launch() {
  const std::string binary = RedisBinary();
  const std::string log = dir_ + "/redis.log";
  const std::vector<std::string> args = {binary,
                                         "--port",
                                         absl::StrCat(port_),
                                         "--bind",
                                         "127.0.0.1",
                                         "--dir",
                                         dir_,
                                         "--appendonly",
                                         "yes",
                                         "--appendfsync",
                                         "always",
                                         "--save",
                                         "",
                                         "--daemonize",
                                         "no",
                                         "--logfile",
                                         log};
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::setpgid(0, 0);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  if (pid < 0) return absl::InternalError("fork failed");
  pid_ = pid;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream in(log);
      return absl::UnavailableError(
          absl::StrCat(binary, " on port ", port_,
                       " exited at start: ", std::string(std::istreambuf_iterator<char>(in), {})));
    }
    auto redis = RedisConnection::Connect("127.0.0.1", port_, "test", absl::Seconds(1));
    if (redis.ok()) {
      absl::StatusOr<RedisReply> pong = (*redis)->Command({"PING"});
      if (pong.ok() && ReplyText(**pong) == "PONG") return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  Stop(SIGKILL);
  return absl::DeadlineExceededError(absl::StrCat(binary, " did not answer PING within 20 s"));
}

void RedisTestServer::Stop(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisTestServer::Kill() { Stop(SIGKILL); }

absl::Status RedisTestServer::Restart() {
  Stop(SIGTERM);
  return Launch();
}

}  // namespace df::storage
