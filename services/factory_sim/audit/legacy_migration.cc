#include "services/factory_sim/audit/legacy_migration.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/factory_sim/audit/legacy_audit_log.h"

namespace df::factory {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("audit file ", path.string(), " cannot be read: ", std::strerror(errno)));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::FailedPreconditionError(
        absl::StrCat("audit file ", path.string(), " cannot be read: ", std::strerror(errno)));
  }
  return bytes;
}

// Whether the store holds exactly `entries`' sequences and times for the session.
absl::StatusOr<bool> AlreadyImported(const AuditStore& store, absl::string_view session_id,
                                     const std::vector<AuditEntry>& entries) {
  size_t next = 0;
  int64_t after = 0;
  while (true) {
    absl::StatusOr<AuditPage> page = store.Page(session_id, after, 1000, 4 << 20);
    if (!page.ok()) return page.status();
    for (const AuditEntry& stored : page->entries) {
      if (next == entries.size() || stored.sequence() != entries[next].sequence() ||
          stored.unix_micros() != entries[next].unix_micros()) {
        return false;
      }
      ++next;
    }
    if (!page->next_after_sequence) return next == entries.size();
    after = *page->next_after_sequence;
  }
}

absl::Status Rename(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "audit file ", from.string(), " cannot be renamed to ", to.string(), ": ", ec.message()));
  }
  const int fd = ::open(from.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LegacyMigrationReport> MigrateLegacyAuditFiles(const std::string& dir,
                                                              AuditStore& store) {
  LegacyMigrationReport report;
  std::error_code ec;
  if (!fs::exists(dir, ec) && !ec) return report;
  std::vector<fs::path> files;
  for (const fs::directory_entry& file : fs::directory_iterator(dir, ec)) {
    const std::string name = file.path().filename().string();
    if (!absl::EndsWith(name, kLegacyAuditSuffix)) continue;
    const std::string session_id = name.substr(0, name.size() - std::strlen(kLegacyAuditSuffix));
    if (!ValidateSessionId(session_id).ok()) continue;
    if (!file.is_regular_file(ec)) {
      return absl::FailedPreconditionError(absl::StrCat("audit file ", file.path().string(),
                                                        " is not a regular file; move it out of ",
                                                        dir, " and restart"));
    }
    files.push_back(file.path());
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("audit directory ", dir, " cannot be listed: ", ec.message()));
  }
  for (const fs::path& path : files) {
    const std::string name = path.filename().string();
    const std::string session_id = name.substr(0, name.size() - std::strlen(kLegacyAuditSuffix));
    absl::StatusOr<std::string> bytes = ReadWholeFile(path);
    if (!bytes.ok()) return bytes.status();
    LegacyAuditLog log = ParseLegacyAuditLog(*bytes);
    for (const LegacyDamage& d : log.damage) {
      report.damage.push_back(absl::StrCat(path.string(), ": ", d.bytes,
                                           " damaged bytes at offset ", d.offset,
                                           " skipped; the intact entries after them are kept"));
    }
    if (log.torn_tail_bytes > 0) {
      report.torn_tails.push_back(absl::StrCat(path.string(), ": an unfinished last record (",
                                               log.torn_tail_bytes,
                                               " bytes, never acknowledged) left out"));
    }
    absl::Status imported = store.Import(session_id, log.entries, log.next_sequence);
    if (absl::IsAlreadyExists(imported)) {
      absl::StatusOr<bool> same = AlreadyImported(store, session_id, log.entries);
      if (!same.ok()) return same.status();
      if (!*same) {
        return absl::FailedPreconditionError(absl::StrCat(
            "audit file ", path.string(), ": ", store.location(), " already holds session '",
            session_id, "' with other entries; move one of them away and restart"));
      }
    } else if (!imported.ok()) {
      return absl::Status(imported.code(),
                          absl::StrCat("importing ", path.string(), ": ", imported.message()));
    } else {
      report.entries += log.entries.size();
    }
    fs::path migrated = path;
    migrated.replace_filename(session_id + kMigratedAuditSuffix);
    if (absl::Status s = Rename(path, migrated); !s.ok()) return s;
    ++report.files;
  }
  return report;
}

}  // namespace df::factory
