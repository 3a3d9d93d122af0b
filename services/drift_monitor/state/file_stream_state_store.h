// FileStreamStateStore: each stream's state in a file of one directory
// (drift-monitor --state_dir), `<stream id>.state`.
//
// A save writes `.<stream id>.state.tmp`, fsyncs it, renames it over the stream's
// file and fsyncs the directory, so after a crash at any point the file holds the
// old record or the new one, never a mixture; a leftover temporary file is removed
// by the next LoadAll. A file whose record is damaged (core/stream_state_record.h)
// is renamed to `<name>.damaged` (`<name>.<n>.damaged` when that exists), never
// deleted, and reported.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<FileStreamStateStore>> store =
//       FileStreamStateStore::Open("/var/lib/drift-monitor");
//
// Thread-safety: one thread at a time. Failure: Open fails with the path and the
// system's reason when the directory cannot be created, read or written; Save,
// Remove and LoadAll return the failing path and errno text.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_FILE_STREAM_STATE_STORE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_FILE_STREAM_STATE_STORE_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "services/drift_monitor/state/stream_state_store.h"

namespace df::drift {

inline constexpr absl::string_view kStateFileSuffix = ".state";

class FileStreamStateStore final : public StreamStateStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FileStreamStateStore>> Open(
      std::string directory);
  ~FileStreamStateStore() override;
  FileStreamStateStore(const FileStreamStateStore&) = delete;
  FileStreamStateStore& operator=(const FileStreamStateStore&) = delete;

  const std::string& location() const override { return location_; }
  [[nodiscard]] absl::Status Save(const StreamSnapshot& snapshot) override;
  [[nodiscard]] absl::Status Remove(const std::string& stream_id) override;
  [[nodiscard]] absl::StatusOr<LoadedStreamStates> LoadAll() override;

  // The file of `stream_id`.
  std::string PathOf(const std::string& stream_id) const;

 private:
  FileStreamStateStore(std::string directory, int directory_fd);
  // Writes `bytes` to `path` through a temporary file, atomically and durably.
  absl::Status WriteAtomically(const std::string& path, const std::string& bytes);
  absl::Status SyncDirectory();
  // Renames a damaged file aside; returns its new path ("" if that failed).
  std::string SetAside(const std::string& path);

  const std::string directory_;
  const std::string location_;
  const int directory_fd_;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_STATE_FILE_STREAM_STATE_STORE_H_
