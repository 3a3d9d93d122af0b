#include "services/factory_sim/server/audit_trail.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/factory_sim/server/audit_record.h"

namespace df::factory {
namespace {

constexpr absl::string_view kSuffix = ".audit";

std::string ErrnoText() { return std::strerror(errno); }

// Writes all of `data` and fsyncs; the file is opened O_APPEND so concurrent
// processes could never interleave inside a record.
absl::Status AppendDurably(const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(absl::StrCat("open ", path, ": ", ErrnoText()));
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = ErrnoText();
      ::close(fd);
      return absl::InternalError(absl::StrCat("write ", path, ": ", error));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const std::string error = ErrnoText();
    ::close(fd);
    return absl::InternalError(absl::StrCat("fsync ", path, ": ", error));
  }
  ::close(fd);
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSessionId(absl::string_view session_id) {
  const bool ok_length = !session_id.empty() && session_id.size() <= 64;
  bool ok_chars = true;
  for (char c : session_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      ok_chars = false;
    }
  }
  if (ok_length && ok_chars) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("session_id '", session_id, "' must be 1..64 characters of [A-Za-z0-9_-]"));
}

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(std::string dir,
                                                             AuditTrailLimits limits) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("audit_dir '", dir, "' cannot be created: ", ec.message()));
  }
  std::unique_ptr<AuditTrail> trail(new AuditTrail(std::move(dir), limits));
  if (absl::Status loaded = trail->LoadAll(); !loaded.ok()) return loaded;
  trail->writer_ = std::thread([t = trail.get()] { t->WriterLoop(); });
  return trail;
}

AuditTrail::AuditTrail(std::string dir, AuditTrailLimits limits)
    : dir_(std::move(dir)), limits_(limits) {}

AuditTrail::~AuditTrail() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
}

absl::Status AuditTrail::LoadAll() {
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = file.path().filename().string();
    if (!absl::EndsWith(name, kSuffix)) continue;
    const std::string session_id = name.substr(0, name.size() - kSuffix.size());
    if (!ValidateSessionId(session_id).ok()) continue;
    if (absl::Status s = LoadFile(file.path().string(), session_id); !s.ok()) return s;
  }
  if (ec) return absl::InternalError(absl::StrCat("listing ", dir_, ": ", ec.message()));
  return absl::OkStatus();
}

absl::Status AuditTrail::LoadFile(const std::string& path, const std::string& session_id) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InternalError(absl::StrCat("cannot read ", path));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ParsedAuditRecords parsed = ParseAuditRecords(bytes);
  std::vector<AuditEntry>& entries = parsed.entries;
  const size_t offset = parsed.intact_bytes;
  if (offset != bytes.size()) {
    // A torn tail from a crash mid-append: drop it so later appends stay aligned.
    std::error_code ec;
    std::filesystem::resize_file(path, offset, ec);
    if (ec) return absl::InternalError(absl::StrCat("truncating ", path, ": ", ec.message()));
  }
  absl::MutexLock lock(&mu_);
  next_sequence_[session_id] = entries.empty() ? 1 : entries.back().sequence() + 1;
  admitted_[session_id] = entries.size();
  sessions_[session_id] = std::move(entries);
  return absl::OkStatus();
}

void AuditTrail::Append(std::string session_id, AuditEntry entry, Done done) {
  if (absl::Status valid = ValidateSessionId(session_id); !valid.ok()) {
    if (done) done(valid);
    return;
  }
  absl::Status admitted;
  {
    absl::MutexLock lock(&mu_);
    admitted = AdmitLocked(session_id);
    if (admitted.ok()) {
      queue_.push_back({std::move(session_id), std::move(entry), std::move(done)});
      return;
    }
  }
  if (done) done(admitted);  // outside the lock: `done` may finish an RPC
}

absl::Status AuditTrail::AdmitLocked(const std::string& session_id) {
  if (queue_.size() >= limits_.max_queued_writes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("audit trail write queue is full (max_queued_writes ",
                     limits_.max_queued_writes, "); retry shortly"));
  }
  auto it = admitted_.find(session_id);
  if (it == admitted_.end()) {
    if (admitted_.size() >= limits_.max_sessions) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "audit trail holds the maximum of ", limits_.max_sessions,
          " sessions (max_sessions); session_id '", session_id, "' cannot start a new one"));
    }
    it = admitted_.emplace(session_id, 0).first;
  }
  if (it->second >= limits_.max_entries_per_session) {
    return absl::ResourceExhaustedError(absl::StrCat("session '", session_id,
                                                     "' has reached max_entries_per_session (",
                                                     limits_.max_entries_per_session, " entries)"));
  }
  ++it->second;
  return absl::OkStatus();
}

void AuditTrail::WriterLoop() {
  while (true) {
    Pending next;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AuditTrail* t)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return t->stopping_ || !t->queue_.empty(); },
          this));
      if (queue_.empty()) return;  // stopping, and everything is written
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    absl::StatusOr<AuditEntry> stored = Store(next.session_id, std::move(next.entry));
    if (next.done) next.done(std::move(stored));
  }
}

absl::StatusOr<AuditEntry> AuditTrail::Store(const std::string& session_id, AuditEntry entry) {
  {
    absl::MutexLock lock(&mu_);
    auto [it, inserted] = next_sequence_.try_emplace(session_id, 1);
    entry.set_sequence(it->second);
  }
  entry.set_unix_micros(absl::ToUnixMicros(absl::Now()));
  const std::string path = absl::StrCat(dir_, "/", session_id, kSuffix);
  if (absl::Status s = AppendDurably(path, FrameAuditRecord(entry.SerializeAsString())); !s.ok()) {
    absl::MutexLock lock(&mu_);
    auto it = admitted_.find(session_id);  // give the slot back
    if (it != admitted_.end() && --it->second == 0 && !sessions_.contains(session_id)) {
      admitted_.erase(it);
    }
    return s;
  }
  absl::MutexLock lock(&mu_);
  next_sequence_[session_id] = entry.sequence() + 1;
  sessions_[session_id].push_back(entry);
  return entry;
}

std::vector<AuditEntry> AuditTrail::Entries(absl::string_view session_id) const {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return {};
  return it->second;
}

AuditPage AuditTrail::EntriesPage(absl::string_view session_id, int64_t after_sequence,
                                  size_t max_entries, size_t max_bytes) const {
  AuditPage page;
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return page;
  const std::vector<AuditEntry>& all = it->second;
  auto e = std::upper_bound(
      all.begin(), all.end(), after_sequence,
      [](int64_t sequence, const AuditEntry& entry) { return sequence < entry.sequence(); });
  size_t bytes = 0;
  for (; e != all.end() && page.entries.size() < max_entries; ++e) {
    const size_t size = e->ByteSizeLong();
    if (!page.entries.empty() && bytes + size > max_bytes) break;
    bytes += size;
    page.entries.push_back(*e);
  }
  if (e != all.end() && !page.entries.empty()) {
    page.next_after_sequence = page.entries.back().sequence();
  }
  return page;
}

std::optional<::datafactory::factory::v1::Levers> AuditTrail::LatestLevers(
    absl::string_view session_id) const {
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return std::nullopt;
  for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
    if (e->has_levers()) return e->levers().levers();
    if (e->has_rationale()) return e->rationale().levers();
  }
  return std::nullopt;
}

size_t AuditTrail::session_count() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace df::factory
