#include "services/factory_sim/audit/sqlite_audit_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"

namespace df::factory {
namespace {

constexpr int64_t kApplicationId = 0x44464154;  // "DFAT": a Data Factory audit trail
constexpr int64_t kSchemaVersion = 1;
constexpr size_t kMaxIdleReaders = 8;
constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxIntegrityFindings = 20;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS entries(
  session_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  content_bytes INTEGER NOT NULL,
  has_levers INTEGER NOT NULL,
  record BLOB NOT NULL,
  UNIQUE(session_id, sequence));
CREATE TABLE IF NOT EXISTS sessions(
  session_id TEXT PRIMARY KEY,
  next_sequence INTEGER NOT NULL,
  entry_count INTEGER NOT NULL,
  entry_bytes INTEGER NOT NULL,
  levers_sequence INTEGER NOT NULL);
)sql";

// `sessions` from `entries`; a session keeps its next sequence if that is higher
// (entries lost to damage never give their numbers back).
constexpr char kRebuildSessions[] = R"sql(
INSERT INTO sessions(session_id, next_sequence, entry_count, entry_bytes, levers_sequence)
  SELECT session_id, max(sequence) + 1, count(*), sum(content_bytes),
         coalesce(max(CASE WHEN has_levers THEN sequence END), 0)
  FROM entries WHERE true GROUP BY session_id
  ON CONFLICT(session_id) DO UPDATE SET
    next_sequence = max(next_sequence, excluded.next_sequence),
    entry_count = excluded.entry_count, entry_bytes = excluded.entry_bytes,
    levers_sequence = excluded.levers_sequence;
UPDATE sessions SET entry_count = 0, entry_bytes = 0, levers_sequence = 0
  WHERE session_id NOT IN (SELECT session_id FROM entries);
)sql";

constexpr char kInsertEntry[] =
    "INSERT INTO entries(session_id, sequence, content_bytes, has_levers, record) "
    "VALUES(?1, ?2, ?3, ?4, ?5)";
constexpr char kUpsertSession[] =
    "INSERT INTO sessions(session_id, next_sequence, entry_count, entry_bytes, levers_sequence) "
    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(session_id) DO UPDATE SET "
    "next_sequence = excluded.next_sequence, entry_count = excluded.entry_count, "
    "entry_bytes = excluded.entry_bytes, levers_sequence = excluded.levers_sequence";

absl::Status Refusal(absl::string_view location, absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("audit store ", location, ": ", why));
}

// What to do about a damaged database file (named in every refusal).
std::string SalvageHint(const std::string& path) {
  return absl::StrCat(
      "the file is left untouched; copy what is readable into a new database with `",
      "factory-sim --audit_salvage_from=", path,
      " --audit_store=sqlite:NEW_PATH` and start on NEW_PATH");
}

void FsyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Checks the header before anything is written: a file of another program or a
// newer schema is refused, a file that is not a database fails to read.
absl::Status CheckOwnership(SqliteConnection& db, const std::string& path) {
  absl::StatusOr<int64_t> app_id = db.QueryInt64("PRAGMA application_id");
  if (!app_id.ok()) {
    return absl::Status(app_id.status().code(),
                        absl::StrCat(app_id.status().message(),
                                     "; if this is a damaged audit database, ", SalvageHint(path)));
  }
  absl::StatusOr<int64_t> tables =
      db.QueryInt64("SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
  if (!tables.ok()) return tables.status();
  if (*app_id != kApplicationId && (*app_id != 0 || *tables != 0)) {
    return Refusal(db.location(), absl::StrCat("is a SQLite database of another program "
                                               "(application_id ",
                                               *app_id, "); choose another path"));
  }
  absl::StatusOr<int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Refusal(db.location(), absl::StrCat("was written by a newer factory-sim (schema ",
                                               *version, "; this one reads ", kSchemaVersion, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckWriteAheadLog(SqliteConnection& db) {
  absl::StatusOr<SqliteStatement> mode = db.Prepare("PRAGMA journal_mode");
  if (!mode.ok()) return mode.status();
  absl::StatusOr<bool> row = mode->Step();
  if (!row.ok()) return row.status();
  if (!*row || mode->Bytes(0) != "wal") {
    return Refusal(db.location(), "cannot keep a write-ahead log here (journal_mode=WAL refused)");
  }
  return absl::OkStatus();
}

// PRAGMA integrity_check's findings (empty when "ok").
std::vector<std::string> IntegrityFindings(SqliteConnection& db) {
  std::vector<std::string> findings;
  absl::StatusOr<SqliteStatement> check =
      db.Prepare(absl::StrCat("PRAGMA integrity_check(", kMaxIntegrityFindings, ")").c_str());
  if (!check.ok()) return {std::string(check.status().message())};
  while (true) {
    absl::StatusOr<bool> row = check->Step();
    if (!row.ok()) {
      findings.emplace_back(row.status().message());
      break;
    }
    if (!*row) break;
    const absl::string_view text = check->Bytes(0);
    if (text != "ok") findings.emplace_back(text);
  }
  return findings;
}

struct SessionRow {
  int64_t next_sequence = 1;
  int64_t entry_count = 0;
  int64_t entry_bytes = 0;
  int64_t levers_sequence = 0;
};

absl::Status InsertEntry(SqliteStatement& insert, absl::string_view session_id,
                         const AuditEntry& entry, size_t content_bytes, bool has_levers) {
  insert.Reset();
  insert.BindText(1, session_id);
  insert.BindInt64(2, entry.sequence());
  insert.BindInt64(3, static_cast<int64_t>(content_bytes));
  insert.BindInt64(4, has_levers ? 1 : 0);
  insert.BindBlob(5, EncodeAuditRecord(entry));
  return insert.Run();
}

absl::Status WriteSession(SqliteStatement& upsert, absl::string_view session_id,
                          const SessionRow& session) {
  upsert.Reset();
  upsert.BindText(1, session_id);
  upsert.BindInt64(2, session.next_sequence);
  upsert.BindInt64(3, session.entry_count);
  upsert.BindInt64(4, session.entry_bytes);
  upsert.BindInt64(5, session.levers_sequence);
  return upsert.Run();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteAuditStore>> SqliteAuditStore::Open(const std::string& path,
                                                                         AuditLimits limits) {
  namespace fs = std::filesystem;
  const std::string location = absl::StrCat("sqlite:", path);
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Refusal(location, absl::StrCat("cannot be read: ", ec.message()));
  }
  const bool created = !fs::exists(status);
  if (!created && !fs::is_regular_file(status)) {
    return Refusal(location, fs::is_directory(status)
                                 ? "is a directory, not a database file"
                                 : "is not a regular file (a database file is needed)");
  }
  const fs::path directory = fs::path(path).parent_path();
  if (created && !directory.empty()) {
    fs::create_directories(directory, ec);
    if (ec) {
      return Refusal(location, absl::StrCat("its directory ", directory.string(),
                                            " cannot be created: ", ec.message()));
    }
  }
  absl::StatusOr<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, location);
  if (!writer.ok()) return writer.status();
  SqliteConnection& db = **writer;
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  if (absl::Status owned = CheckOwnership(db, path); !owned.ok()) return owned;

  std::vector<std::string> damage;
  if (!created) damage = IntegrityFindings(db);
  if (!damage.empty()) {
    // Read-only from here: no statement may write, no checkpoint on close.
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    if (absl::Status s = db.Exec("PRAGMA query_only=1"); !s.ok()) return s;
  } else {
    for (const char* sql : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
      if (absl::Status s = db.Exec(sql); !s.ok()) return s;
    }
    if (absl::Status wal = CheckWriteAheadLog(db); !wal.ok()) return wal;
    const std::string setup = absl::StrCat("BEGIN IMMEDIATE;", kSchema, kRebuildSessions,
                                           "PRAGMA application_id=", kApplicationId,
                                           ";PRAGMA user_version=", kSchemaVersion, ";COMMIT;");
    if (absl::Status s = db.Exec(setup.c_str(), "creating the tables"); !s.ok()) {
      (void)db.Exec("ROLLBACK");
      return s;
    }
    if (created) FsyncDirectory(directory);
  }
  return std::unique_ptr<SqliteAuditStore>(
      new SqliteAuditStore(path, limits, *std::move(writer), std::move(damage)));
}

SqliteAuditStore::SqliteAuditStore(std::string path, AuditLimits limits,
                                   std::unique_ptr<SqliteConnection> writer,
                                   std::vector<std::string> damage)
    : path_(std::move(path)),
      location_(absl::StrCat("sqlite:", path_)),
      limits_(limits),
      damage_(std::move(damage)),
      writer_(std::move(writer)),
      readers_(kMaxIdleReaders, [this] { return OpenReader(); }) {}

SqliteAuditStore::~SqliteAuditStore() {
  readers_.Clear();  // readers close before the writer (the last one checkpoints)
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteAuditStore::OpenReader() const {
  absl::StatusOr<std::unique_ptr<SqliteConnection>> reader =
      SqliteConnection::Open(path_, SQLITE_OPEN_READWRITE, location_);
  if (!reader.ok()) return reader.status();
  sqlite3_busy_timeout((*reader)->get(), kBusyTimeoutMs);
  if (!damage_.empty()) {
    sqlite3_db_config((*reader)->get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  if (absl::Status s = (*reader)->Exec("PRAGMA query_only=1"); !s.ok()) return s;
  return reader;
}

absl::Status SqliteAuditStore::WritableOrWhyNot() const {
  if (!damage_.empty()) {
    return Refusal(location_,
                   absl::StrCat("is damaged (integrity_check: ", damage_.front(),
                                "), so the audit trail is read-only; ", SalvageHint(path_)));
  }
  absl::MutexLock lock(&mu_);
  if (!damaged_at_run_time_.empty()) {
    return Refusal(location_,
                   absl::StrCat("found damaged while running (", damaged_at_run_time_,
                                "), so the audit trail is read-only; restart to check it"));
  }
  return absl::OkStatus();
}

void SqliteAuditStore::NoteIfDamaged(const absl::Status& status) const {
  if (status.code() != absl::StatusCode::kDataLoss) return;
  absl::MutexLock lock(&mu_);
  if (damaged_at_run_time_.empty()) damaged_at_run_time_ = std::string(status.message());
}

std::vector<absl::StatusOr<AuditEntry>> SqliteAuditStore::Append(std::vector<AuditAppend> appends) {
  std::vector<absl::StatusOr<AuditEntry>> results(appends.size(), absl::UnknownError(""));
  absl::Status failed = WritableOrWhyNot();
  if (failed.ok()) {
    absl::MutexLock lock(&writer_mu_);
    failed = AppendInTransaction(appends, results);
    if (!failed.ok()) (void)writer_->Exec("ROLLBACK");
  }
  if (!failed.ok()) {
    NoteIfDamaged(failed);
    for (absl::StatusOr<AuditEntry>& result : results) {
      if (result.ok() || result.status().code() == absl::StatusCode::kUnknown) result = failed;
    }
  }
  return results;
}

absl::Status SqliteAuditStore::AppendInTransaction(
    std::vector<AuditAppend>& appends, std::vector<absl::StatusOr<AuditEntry>>& results) {
  SqliteConnection& db = *writer_;
  if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::StatusOr<SqliteStatement> select = db.Prepare(
      "SELECT next_sequence, entry_count, entry_bytes, levers_sequence FROM sessions "
      "WHERE session_id = ?1");
  absl::StatusOr<SqliteStatement> insert = db.Prepare(kInsertEntry);
  absl::StatusOr<SqliteStatement> upsert = db.Prepare(kUpsertSession);
  for (const absl::Status& s : {select.status(), insert.status(), upsert.status()}) {
    if (!s.ok()) return s;
  }
  absl::flat_hash_map<std::string, SessionRow> rows;  // the sessions this batch touches
  std::optional<int64_t> session_count;
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  for (size_t i = 0; i < appends.size(); ++i) {
    AuditAppend& append = appends[i];
    const size_t bytes = AuditContentBytes(append.entry);
    if (absl::Status s = CheckEntryBytes(limits_, bytes); !s.ok()) {
      results[i] = s;
      continue;
    }
    auto row = rows.find(append.session_id);
    if (row == rows.end()) {
      select->Reset();
      select->BindText(1, append.session_id);
      absl::StatusOr<bool> found = select->Step();
      if (!found.ok()) return found.status();
      if (!*found) {
        if (!session_count) {
          absl::StatusOr<int64_t> count = db.QueryInt64("SELECT count(*) FROM sessions");
          if (!count.ok()) return count.status();
          session_count = *count;
        }
        if (static_cast<size_t>(*session_count) >= limits_.max_sessions) {
          results[i] = SessionsFull(limits_, append.session_id);
          continue;
        }
        ++*session_count;
      }
      SessionRow loaded;
      if (*found) {
        loaded = {select->Int64(0), select->Int64(1), select->Int64(2), select->Int64(3)};
      }
      row = rows.emplace(append.session_id, loaded).first;
    }
    SessionRow& session = row->second;
    if (absl::Status s =
            CheckSessionRoom(limits_, append.session_id, static_cast<size_t>(session.entry_count),
                             static_cast<size_t>(session.entry_bytes), bytes);
        !s.ok()) {
      results[i] = s;
      continue;
    }
    AuditEntry& entry = append.entry;
    entry.set_sequence(session.next_sequence);
    entry.set_unix_micros(now_micros);
    const bool has_levers = LeversOf(entry).has_value();
    if (absl::Status s = InsertEntry(*insert, append.session_id, entry, bytes, has_levers);
        !s.ok()) {
      return s;
    }
    session = {session.next_sequence + 1, session.entry_count + 1,
               session.entry_bytes + static_cast<int64_t>(bytes),
               has_levers ? entry.sequence() : session.levers_sequence};
    results[i] = std::move(entry);
  }
  for (const auto& [session_id, session] : rows) {
    if (session.entry_count == 0) continue;  // a new session whose appends were all refused
    if (absl::Status s = WriteSession(*upsert, session_id, session); !s.ok()) return s;
  }
  return db.Exec("COMMIT");
}

absl::StatusOr<AuditPage> SqliteAuditStore::Page(absl::string_view session_id,
                                                 int64_t after_sequence, size_t max_entries,
                                                 size_t max_bytes) const {
  auto reader = readers_.Acquire();
  if (!reader.status().ok()) return reader.status();
  absl::StatusOr<SqliteStatement> select = reader->Prepare(
      "SELECT sequence, record FROM entries WHERE session_id = ?1 AND sequence > ?2 "
      "ORDER BY sequence LIMIT ?3");
  if (!select.ok()) return select.status();
  max_entries = std::max<size_t>(max_entries, 1);
  select->BindText(1, session_id);
  select->BindInt64(2, after_sequence);
  select->BindInt64(3, static_cast<int64_t>(max_entries) + 1);
  AuditPage page;
  size_t bytes = 0;
  auto cut_short = [&page] { page.next_after_sequence = page.entries.back().sequence(); };
  while (true) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) {
      NoteIfDamaged(row.status());
      if (page.entries.empty()) return row.status();
      cut_short();
      return page;
    }
    if (!*row) return page;
    if (page.entries.size() == max_entries) {
      cut_short();
      return page;
    }
    const int64_t sequence = select->Int64(0);
    absl::StatusOr<AuditEntry> entry = ParseAuditRecord(select->Bytes(1), sequence);
    if (!entry.ok()) {
      if (!page.entries.empty()) {
        cut_short();  // the damaged entry is reported by the next page
        return page;
      }
      return absl::DataLossError(
          absl::StrCat("audit store ", location_, ": session '", session_id, "' entry ", sequence,
                       " is damaged: ", entry.status().message(),
                       "; the entries after it are still "
                       "readable (read on after sequence ",
                       sequence, ", GetAuditTrail page_token \"", sequence, "\")"));
    }
    const size_t size = entry->ByteSizeLong();
    if (!page.entries.empty() && bytes + size > max_bytes) {
      cut_short();
      return page;
    }
    bytes += size;
    page.entries.push_back(*std::move(entry));
  }
}

absl::StatusOr<std::optional<AuditLevers>> SqliteAuditStore::LatestLevers(
    absl::string_view session_id) const {
  auto reader = readers_.Acquire();
  if (!reader.status().ok()) return reader.status();
  absl::StatusOr<SqliteStatement> select = reader->Prepare(
      "SELECT e.sequence, e.record FROM sessions s JOIN entries e "
      "ON e.session_id = s.session_id AND e.sequence = s.levers_sequence "
      "WHERE s.session_id = ?1");
  if (!select.ok()) return select.status();
  select->BindText(1, session_id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) {
    NoteIfDamaged(row.status());
    return row.status();
  }
  if (!*row) return std::nullopt;
  const int64_t sequence = select->Int64(0);
  absl::StatusOr<AuditEntry> entry = ParseAuditRecord(select->Bytes(1), sequence);
  if (!entry.ok()) {
    return absl::DataLossError(absl::StrCat("audit store ", location_, ": session '", session_id,
                                            "' latest levers (entry ", sequence,
                                            ") are damaged: ", entry.status().message()));
  }
  return LeversOf(*entry);
}

absl::StatusOr<size_t> SqliteAuditStore::SessionCount() const {
  auto reader = readers_.Acquire();
  if (!reader.status().ok()) return reader.status();
  absl::StatusOr<int64_t> count = reader->QueryInt64("SELECT count(*) FROM sessions");
  if (!count.ok()) {
    NoteIfDamaged(count.status());
    return count.status();
  }
  return static_cast<size_t>(*count);
}

absl::Status SqliteAuditStore::Import(absl::string_view session_id,
                                      const std::vector<AuditEntry>& entries,
                                      int64_t next_sequence) {
  if (absl::Status s = WritableOrWhyNot(); !s.ok()) return s;
  absl::MutexLock lock(&writer_mu_);
  SqliteConnection& db = *writer_;
  auto import = [&]() -> absl::Status {
    if (absl::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::StatusOr<SqliteStatement> exists =
        db.Prepare("SELECT 1 FROM sessions WHERE session_id = ?1");
    absl::StatusOr<SqliteStatement> insert = db.Prepare(kInsertEntry);
    absl::StatusOr<SqliteStatement> upsert = db.Prepare(kUpsertSession);
    for (const absl::Status& s : {exists.status(), insert.status(), upsert.status()}) {
      if (!s.ok()) return s;
    }
    exists->BindText(1, session_id);
    absl::StatusOr<bool> found = exists->Step();
    if (!found.ok()) return found.status();
    if (*found) {
      return absl::AlreadyExistsError(
          absl::StrCat("audit store ", location_, " already holds session '", session_id, "'"));
    }
    SessionRow session{next_sequence, 0, 0, 0};
    for (const AuditEntry& entry : entries) {
      const size_t bytes = AuditContentBytes(entry);
      const bool has_levers = LeversOf(entry).has_value();
      if (absl::Status s = InsertEntry(*insert, session_id, entry, bytes, has_levers); !s.ok()) {
        return s;
      }
      ++session.entry_count;
      session.entry_bytes += static_cast<int64_t>(bytes);
      if (has_levers) session.levers_sequence = entry.sequence();
    }
    if (absl::Status s = WriteSession(*upsert, session_id, session); !s.ok()) return s;
    return db.Exec("COMMIT");
  };
  absl::Status imported = import();
  if (!imported.ok()) {
    (void)db.Exec("ROLLBACK");
    NoteIfDamaged(imported);
  }
  return imported;
}

}  // namespace df::factory
