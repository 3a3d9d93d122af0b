#include "services/drift_monitor/state/file_stream_state_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/stream_state_record.h"

namespace df::drift {
namespace {

namespace fs = std::filesystem;

constexpr absl::string_view kTempSuffix = ".tmp";
constexpr absl::string_view kDamagedSuffix = ".damaged";

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// Reads a whole file; at most kMaxStreamStateRecordBytes + 1 bytes (a larger file
// is damaged anyway, and the parser says so).
absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  std::string bytes;
  char buffer[1 << 16];
  while (bytes.size() <= kMaxStreamStateRecordBytes) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = Errno("cannot read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileStreamStateStore>> FileStreamStateStore::Open(
    std::string directory) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("state dir ", directory, ": cannot create it: ", error.message()));
  }
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("state dir: cannot open", directory);
  std::unique_ptr<FileStreamStateStore> store(new FileStreamStateStore(std::move(directory), fd));
  // Writable? A probe through the same path a save takes.
  const std::string probe = absl::StrCat(store->directory_, "/.probe", kTempSuffix);
  if (absl::Status s = store->WriteAtomically(probe, "probe"); !s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("state dir ", store->directory_, " is not writable: ", s.message()));
  }
  if (::unlink(probe.c_str()) != 0) return Errno("state dir: cannot remove", probe);
  return store;
}

FileStreamStateStore::FileStreamStateStore(std::string directory, int directory_fd)
    : directory_(std::move(directory)),
      location_(absl::StrCat("state dir ", directory_)),
      directory_fd_(directory_fd) {}

FileStreamStateStore::~FileStreamStateStore() { ::close(directory_fd_); }

std::string FileStreamStateStore::PathOf(const std::string& stream_id) const {
  return absl::StrCat(directory_, "/", stream_id, kStateFileSuffix);
}

absl::Status FileStreamStateStore::SyncDirectory() {
  if (::fsync(directory_fd_) != 0) return Errno("cannot fsync the directory", directory_);
  return absl::OkStatus();
}

absl::Status FileStreamStateStore::WriteAtomically(const std::string& path,
                                                   const std::string& bytes) {
  const fs::path target(path);
  const std::string temp =
      (target.parent_path() / absl::StrCat(".", target.filename().string(), kTempSuffix)).string();
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", temp);
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = Errno("cannot write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return error;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status error = Errno("cannot fsync", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  }
  if (::close(fd) != 0) return Errno("cannot close", temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) return Errno("cannot rename onto", path);
  return SyncDirectory();
}

absl::Status FileStreamStateStore::Save(const StreamSnapshot& snapshot) {
  absl::Status s =
      WriteAtomically(PathOf(snapshot.stream_id), SerializeStreamStateRecord(snapshot));
  if (!s.ok()) return absl::UnavailableError(absl::StrCat(location_, ": ", s.message()));
  return absl::OkStatus();
}

absl::Status FileStreamStateStore::Remove(const std::string& stream_id) {
  const std::string path = PathOf(stream_id);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return Errno(absl::StrCat(location_, ": cannot remove"), path);
  }
  return SyncDirectory();
}

std::string FileStreamStateStore::SetAside(const std::string& path) {
  std::string aside = absl::StrCat(path, kDamagedSuffix);
  for (int n = 1; fs::exists(aside) && n < 1000; ++n) {
    aside = absl::StrCat(path, ".", n, kDamagedSuffix);
  }
  if (::rename(path.c_str(), aside.c_str()) != 0) return "";
  (void)SyncDirectory();  // the rename is kept or not; the file is reported either way
  return aside;
}

absl::StatusOr<LoadedStreamStates> FileStreamStateStore::LoadAll() {
  LoadedStreamStates loaded;
  std::error_code error;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_, error)) {
    files.push_back(entry.path());
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat(location_, ": cannot list: ", error.message()));
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string name = file.filename().string();
    if (absl::StartsWith(name, ".") && absl::EndsWith(name, kTempSuffix)) {
      ::unlink(file.c_str());  // a save that never got renamed: not state
      continue;
    }
    if (!absl::EndsWith(name, kStateFileSuffix)) continue;  // *.damaged, anything else
    const std::string stored_as = name.substr(0, name.size() - kStateFileSuffix.size());
    absl::StatusOr<std::string> bytes = ReadFile(file.string());
    absl::StatusOr<StreamSnapshot> snapshot =
        bytes.ok() ? ReadStreamStateRecord(*bytes, stored_as) : bytes.status();
    if (snapshot.ok()) {
      loaded.streams.push_back(*std::move(snapshot));
      continue;
    }
    DamagedStreamState& damaged = loaded.damaged.emplace_back();
    damaged.where = file.string();
    damaged.reason = std::string(snapshot.status().message());
    damaged.moved_to = SetAside(file.string());
  }
  return loaded;
}

}  // namespace df::drift
