// Thin RAII over the SQLite C API for the store: a connection with a cache
// of prepared statements, a statement guard that binds, steps and resets,
// and the one place where SQLite result codes become Status values.
//
// Thread-safety: a Connection (and every statement it hands out) belongs to
// one thread at a time; the store guards each with a mutex or a pool. The
// connections are opened SQLITE_OPEN_NOMUTEX because that outer locking
// already exists.
#ifndef DRYPORT_STORE_SQLITE_DB_H_
#define DRYPORT_STORE_SQLITE_DB_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <sqlite3.h>

#include "core/status.h"

namespace dryport::store::internal {

// The Status for a failed SQLite call: "<operation> on <path>: <sqlite
// message> (<code name> <extended code>)". SQLITE_CORRUPT and SQLITE_NOTADB
// map to Corruption, a PRIMARY KEY/UNIQUE violation to AlreadyExists,
// SQLITE_CANTOPEN to IOError and so does everything else.
Status SqliteError(int rc, const char* sqlite_message, std::string_view operation,
                   std::string_view path);

// A prepared statement checked out of a Connection's cache. Resets and
// clears its bindings when it goes out of scope, so the next user finds it
// clean and a read statement does not keep its snapshot open.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, std::string_view path) : stmt_(stmt), path_(path) {}
  ~Statement() { Reset(); }
  Statement(Statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), path_(other.path_), bind_rc_(other.bind_rc_) {}
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Ready for the next set of bindings (loops over rows).
  void Reset() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
  }

  // Binding 1-based parameters. Failures (too big, out of memory) are kept
  // and reported by the next Step, so call sites bind without checking.
  void Bind(int i, int64_t v) { Check(sqlite3_bind_int64(stmt_, i, v)); }
  // Bound without a copy: the bytes must live until the statement is done.
  void BindText(int i, std::string_view v);
  void BindBlob(int i, std::string_view v);

  // SQLITE_ROW, SQLITE_DONE, or an error code (with its message kept).
  int Step();
  // Step for statements that return no rows: OK on SQLITE_DONE.
  Status Run(std::string_view operation);
  // The Status for the last failed Step, naming `operation`.
  Status Error(int rc, std::string_view operation) const;

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  // Views into SQLite's buffers; valid until the next Step or reset.
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3_stmt* stmt_;
  std::string_view path_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // flags: SQLITE_OPEN_* (NOMUTEX is added). Sets extended result codes and
  // the busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                  int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more statements that return nothing of interest.
  Status Exec(std::string_view sql, std::string_view operation);
  // A single-value query (PRAGMA journal_mode=WAL, SELECT max(...)): the
  // first column of the first row as text; "" when there is no row or NULL.
  Result<std::string> QueryText(const char* sql, std::string_view operation);

  // The cached prepared statement for `sql` (prepared on first use with
  // SQLITE_PREPARE_PERSISTENT). Only one Statement per sql may be alive at a
  // time; the store's call sites never nest the same one.
  Result<Statement> Prepare(std::string_view sql);

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::map<std::string, sqlite3_stmt*, std::less<>>
      cache_;  // a handful of statements per connection
};

}  // namespace dryport::store::internal

#endif  // DRYPORT_STORE_SQLITE_DB_H_
