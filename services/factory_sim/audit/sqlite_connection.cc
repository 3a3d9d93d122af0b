#include "services/factory_sim/audit/sqlite_connection.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace df::factory {

absl::Status SqliteError(absl::string_view location, absl::string_view what, int code,
                         absl::string_view detail) {
  const std::string message = absl::StrCat("audit store ", location, ": ", what, ": ", detail, " (",
                                           sqlite3_errstr(code), ", SQLite code ", code, ")");
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

void SqliteStatement::BindText(int index, absl::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::BindBlob(int index, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::BindInt64(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

absl::StatusOr<bool> SqliteStatement::Step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  return SqliteError(*location_, sqlite3_sql(stmt_), sqlite3_extended_errcode(db),
                     sqlite3_errmsg(db));
}

absl::Status SqliteStatement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  return absl::OkStatus();
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::string_view SqliteStatement::Bytes(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                         int flags,
                                                                         std::string location) {
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    const std::string detail = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return SqliteError(location, "cannot open", code, detail);
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(db, std::move(location)));
}

absl::Status SqliteConnection::Exec(const char* sql, const char* what) {
  char* error = nullptr;
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (code == SQLITE_OK) return absl::OkStatus();
  const std::string detail = error != nullptr ? error : sqlite3_errmsg(db_);
  sqlite3_free(error);
  return SqliteError(location_, what != nullptr ? what : sql, sqlite3_extended_errcode(db_),
                     detail);
}

absl::StatusOr<SqliteStatement> SqliteConnection::Prepare(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  const int code = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
  if (code != SQLITE_OK) {
    return SqliteError(location_, sql, sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
  }
  return SqliteStatement(stmt, &location_);
}

absl::StatusOr<int64_t> SqliteConnection::QueryInt64(const char* sql) {
  absl::StatusOr<SqliteStatement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Int64(0) : 0;
}

}  // namespace df::factory
