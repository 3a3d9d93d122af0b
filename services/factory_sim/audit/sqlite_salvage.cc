#include "services/factory_sim/audit/sqlite_salvage.h"

#include <filesystem>
#include <limits>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/factory_sim/audit/audit_record.h"
#include "services/factory_sim/audit/sqlite_audit_store.h"
#include "services/factory_sim/audit/sqlite_connection.h"

namespace df::factory {
namespace {

constexpr int64_t kLastRowid = std::numeric_limits<int64_t>::max();

// The first rowid >= `start` when the table reads from there (nullopt: no more
// rows), or the error that reading it met.
absl::StatusOr<std::optional<int64_t>> FirstReadableRowid(SqliteConnection& db, int64_t start) {
  absl::StatusOr<SqliteStatement> probe =
      db.Prepare("SELECT rowid FROM entries WHERE rowid >= ?1 ORDER BY rowid LIMIT 1");
  if (!probe.ok()) return probe.status();
  probe->BindInt64(1, start);
  absl::StatusOr<bool> row = probe->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return probe->Int64(0);
}

// Where reading can resume after damage met at `cursor`: the smallest probed
// start above it that reads, found by doubling the step, then halving the gap.
std::optional<int64_t> ResumePoint(SqliteConnection& db, int64_t cursor) {
  int64_t failing = cursor;
  for (int64_t step = 1; step > 0 && cursor <= kLastRowid - step; step *= 2) {
    const int64_t start = cursor + step;
    if (!FirstReadableRowid(db, start).ok()) {
      failing = start;
      continue;
    }
    int64_t reads = start;
    while (reads - failing > 1) {
      const int64_t mid = failing + (reads - failing) / 2;
      (FirstReadableRowid(db, mid).ok() ? reads : failing) = mid;
    }
    return reads;
  }
  return std::nullopt;
}

absl::Status CopySessions(SqliteConnection& from, SqliteConnection& into, SalvageReport& report) {
  absl::StatusOr<SqliteStatement> read = from.Prepare(
      "SELECT session_id, next_sequence, entry_count, entry_bytes, levers_sequence FROM sessions");
  absl::StatusOr<SqliteStatement> write =
      into.Prepare("INSERT OR REPLACE INTO sessions VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!write.ok()) return write.status();
  if (!read.ok()) {
    report.sessions_table_complete = false;
    return absl::OkStatus();
  }
  while (true) {
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) report.sessions_table_complete = false;
    if (!row.ok() || !*row) return absl::OkStatus();
    write->Reset();
    write->BindText(1, read->Bytes(0));
    for (int column = 1; column < 5; ++column) write->BindInt64(column + 1, read->Int64(column));
    if (absl::Status s = write->Run(); !s.ok()) return s;
  }
}

absl::Status CopyEntries(SqliteConnection& from, SqliteConnection& into, SalvageReport& report) {
  absl::StatusOr<SqliteStatement> write = into.Prepare(
      "INSERT OR IGNORE INTO entries(session_id, sequence, content_bytes, has_levers, record) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!write.ok()) return write.status();
  int64_t cursor = std::numeric_limits<int64_t>::min();
  while (true) {
    absl::StatusOr<SqliteStatement> read = from.Prepare(
        "SELECT rowid, session_id, sequence, content_bytes, has_levers, record FROM entries "
        "WHERE rowid >= ?1 ORDER BY rowid");
    if (!read.ok()) return read.status();
    read->BindInt64(1, cursor);
    absl::Status damage;
    while (true) {
      absl::StatusOr<bool> row = read->Step();
      if (!row.ok()) damage = row.status();
      if (!row.ok() || !*row) break;
      cursor = read->Int64(0) == kLastRowid ? kLastRowid : read->Int64(0) + 1;
      if (!ParseAuditRecord(read->Bytes(5), read->Int64(2)).ok()) {
        ++report.damaged_records;
        continue;
      }
      write->Reset();
      write->BindText(1, read->Bytes(1));
      for (int column = 2; column < 5; ++column) write->BindInt64(column, read->Int64(column));
      write->BindBlob(5, read->Bytes(5));
      if (absl::Status s = write->Run(); !s.ok()) return s;
      ++report.entries_copied;
    }
    if (damage.ok()) return absl::OkStatus();
    const std::optional<int64_t> resume = ResumePoint(from, cursor);
    report.unreadable.push_back(absl::StrCat(
        "rowids ", cursor, "..", resume ? absl::StrCat(*resume - 1) : std::string("end"), ": ",
        damage.message()));
    if (!resume) return absl::OkStatus();
    cursor = *resume;
  }
}

}  // namespace

absl::StatusOr<SalvageReport> SalvageSqliteAudit(const std::string& from, const std::string& into) {
  SalvageReport report;
  report.from = from;
  report.into = into;
  std::error_code ec;
  if (std::filesystem::exists(into, ec) || ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        "salvage target ", into, " exists already; name a new file (nothing is overwritten)"));
  }
  // Creates the schema in the new file.
  if (absl::Status s = SqliteAuditStore::Open(into, AuditLimits{}).status(); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<SqliteConnection>> source =
      SqliteConnection::Open(absl::StrCat("file:", from, "?mode=ro"),
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, absl::StrCat("sqlite:", from));
  if (!source.ok()) return source.status();
  absl::StatusOr<std::unique_ptr<SqliteConnection>> target =
      SqliteConnection::Open(into, SQLITE_OPEN_READWRITE, absl::StrCat("sqlite:", into));
  if (!target.ok()) return target.status();
  for (const char* sql : {"PRAGMA synchronous=FULL", "BEGIN IMMEDIATE"}) {
    if (absl::Status s = (*target)->Exec(sql); !s.ok()) return s;
  }
  if (absl::Status s = CopySessions(**source, **target, report); !s.ok()) return s;
  if (absl::Status s = CopyEntries(**source, **target, report); !s.ok()) return s;
  if (absl::Status s = (*target)->Exec("COMMIT"); !s.ok()) return s;
  target->reset();
  // Opening rebuilds each session's counts from the entries it has now.
  absl::StatusOr<std::unique_ptr<SqliteAuditStore>> rebuilt =
      SqliteAuditStore::Open(into, AuditLimits{});
  if (!rebuilt.ok()) return rebuilt.status();
  absl::StatusOr<size_t> sessions = (*rebuilt)->SessionCount();
  if (!sessions.ok()) return sessions.status();
  report.sessions = *sessions;
  return report;
}

std::string Describe(const SalvageReport& report) {
  std::string text =
      absl::StrCat("salvaged ", report.entries_copied, " audit entries of ", report.sessions,
                   " sessions from ", report.from, " into ", report.into, "\n");
  if (report.damaged_records > 0) {
    absl::StrAppend(&text, report.damaged_records,
                    " entries whose checksum failed were left out\n");
  }
  for (const std::string& range : report.unreadable) {
    absl::StrAppend(&text, "unreadable, lost: ", range, "\n");
  }
  if (!report.sessions_table_complete) {
    absl::StrAppend(&text,
                    "the sessions table was damaged: sessions not read from it continue after "
                    "their highest salvaged entry\n");
  }
  if (report.unreadable.empty() && report.damaged_records == 0) {
    absl::StrAppend(&text, "nothing was lost\n");
  }
  absl::StrAppend(&text, "start factory-sim with --audit_store=sqlite:", report.into);
  return text;
}

}  // namespace df::factory
