#include "tests/load/spawned_service.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace df::load {
namespace {

std::string ReadLog(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Tail(const std::string& text, size_t max_chars = 2000) {
  return text.size() <= max_chars ? text : text.substr(text.size() - max_chars);
}

// True when `pid` exited (and was reaped) within `timeout`.
bool WaitForExit(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  do {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return true;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  return false;
}

}  // namespace

std::optional<std::string> GrpcTargetFromStartLine(absl::string_view name,
                                                   absl::string_view log_text) {
  const std::string prefix = absl::StrCat(name, " listening ");
  for (absl::string_view line : absl::StrSplit(log_text, '\n')) {
    if (!absl::ConsumePrefix(&line, prefix)) continue;
    for (absl::string_view word : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      if (absl::ConsumePrefix(&word, "grpc=") && !word.empty()) return std::string(word);
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<SpawnedService>> SpawnedService::Start(
    const std::string& name, const std::string& binary, const std::vector<std::string>& args,
    const std::string& log_dir) {
  std::vector<std::string> argv = {binary, "--grpc_address=127.0.0.1:0",
                                   "--metrics_address=127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string log_path = absl::StrCat(log_dir, "/", name, ".log");
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) return absl::UnavailableError(absl::StrCat("cannot create ", log_path));
  std::vector<char*> c_argv;
  c_argv.reserve(argv.size() + 1);
  for (std::string& arg : argv) c_argv.push_back(arg.data());
  c_argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    ::execv(binary.c_str(), c_argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (pid < 0) return absl::UnavailableError(absl::StrCat("fork failed starting ", binary));
  std::unique_ptr<SpawnedService> service(new SpawnedService(pid, log_path));
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    const std::string log = ReadLog(log_path);
    if (std::optional<std::string> target = GrpcTargetFromStartLine(name, log)) {
      service->grpc_target_ = *target;
      return service;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      service->pid_ = -1;
      return absl::UnavailableError(absl::StrCat(binary, " exited at start (status ", status,
                                                 "); its log ", log_path, ":\n", Tail(log)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::UnavailableError(absl::StrCat(binary, " printed no '", name,
                                             " listening grpc=...' line within 30 s; its log ",
                                             log_path, ":\n", Tail(ReadLog(log_path))));
}

SpawnedService::~SpawnedService() { Stop(); }

void SpawnedService::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!WaitForExit(pid_, absl::Seconds(10))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

}  // namespace df::load
