// SqliteConnection and SqliteStatement: the small RAII layer the SQLite audit
// store is written on — one connection, prepared statements, and SQLite's result
// codes turned into absl::Status messages that start with the store's location.
//
// Usage:
//   auto db = SqliteConnection::Open("/x/audit.db", SQLITE_OPEN_READWRITE, "sqlite:/x/audit.db");
//   absl::Status s = (*db)->Exec("PRAGMA synchronous=FULL");
//   auto stmt = (*db)->Prepare("SELECT sequence FROM entries WHERE session_id = ?1");
//   stmt->BindText(1, "alice");
//   while (true) { absl::StatusOr<bool> row = stmt->Step(); ... stmt->Int64(0) ... }
//
// Thread-safety: one thread at a time per connection (opened SQLITE_OPEN_NOMUTEX).
// Failure: Status codes by SQLite result: CORRUPT and NOTADB are DATA_LOSS, BUSY,
// LOCKED and FULL are UNAVAILABLE, anything else INTERNAL; the message names the
// location, what was being done and SQLite's own text.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_CONNECTION_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::factory {

// The status of SQLite result `code` while doing `what` at `location`.
[[nodiscard]] absl::Status SqliteError(absl::string_view location, absl::string_view what, int code,
                                       absl::string_view detail);

class SqliteStatement {
 public:
  SqliteStatement(sqlite3_stmt* stmt, const std::string* location) noexcept
      : stmt_(stmt), location_(location) {}
  SqliteStatement(SqliteStatement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), location_(other.location_) {}
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement() { sqlite3_finalize(stmt_); }

  void BindText(int index, absl::string_view text);
  void BindBlob(int index, absl::string_view bytes);
  void BindInt64(int index, int64_t value);
  // true: a row is ready; false: done.
  [[nodiscard]] absl::StatusOr<bool> Step();
  // Step() expecting no row (INSERT, UPDATE, ...).
  [[nodiscard]] absl::Status Run();
  void Reset();

  int64_t Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  absl::string_view Bytes(int column) const;  // valid until the next Step or Reset

 private:
  sqlite3_stmt* stmt_;
  const std::string* location_;
};

class SqliteConnection {
 public:
  // `flags`: SQLITE_OPEN_* (NOMUTEX is added); `location` prefixes every error.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(
      const std::string& path, int flags, std::string location);
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() { sqlite3_close_v2(db_); }

  // `what` names the work in an error message (default: the SQL itself).
  [[nodiscard]] absl::Status Exec(const char* sql, const char* what = nullptr);
  [[nodiscard]] absl::StatusOr<SqliteStatement> Prepare(const char* sql);
  // The single integer a query like "PRAGMA user_version" returns.
  [[nodiscard]] absl::StatusOr<int64_t> QueryInt64(const char* sql);
  sqlite3* get() { return db_; }
  const std::string& location() const { return location_; }

 private:
  SqliteConnection(sqlite3* db, std::string location) : db_(db), location_(std::move(location)) {}

  sqlite3* db_;
  const std::string location_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_SQLITE_CONNECTION_H_
