#include "store/sqlite_db.h"

#include <fmt/format.h>

namespace dryport::store::internal {
namespace {

// sqlite3_bind_* treats a null pointer as SQL NULL, which the NOT NULL
// columns reject; an empty std::string_view may carry one.
const char* NonNull(std::string_view v) { return v.data() != nullptr ? v.data() : ""; }

}  // namespace

Status SqliteError(int rc, const char* sqlite_message, std::string_view operation,
                   std::string_view path) {
  std::string msg =
      fmt::format("{} on {}: {} (sqlite code {})", operation, path,
                  sqlite_message != nullptr ? sqlite_message : sqlite3_errstr(rc), rc);
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption(std::move(msg));
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::AlreadyExists(std::move(msg));
      }
      return Status::InvalidArgument(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

void Statement::BindText(int i, std::string_view v) {
  Check(sqlite3_bind_text64(stmt_, i, NonNull(v), v.size(), SQLITE_STATIC, SQLITE_UTF8));
}

void Statement::BindBlob(int i, std::string_view v) {
  Check(sqlite3_bind_blob64(stmt_, i, NonNull(v), v.size(), SQLITE_STATIC));
}

int Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return bind_rc_;
  return sqlite3_step(stmt_);
}

Status Statement::Run(std::string_view operation) {
  const int rc = Step();
  if (rc == SQLITE_DONE) return Status::Ok();
  return Error(rc, operation);
}

Status Statement::Error(int rc, std::string_view operation) const {
  if (rc == SQLITE_ROW) {
    return Status::Internal(fmt::format("{} on {}: returned a row", operation, path_));
  }
  // A bind failure has no message in the connection; sqlite3_errstr names it.
  const char* message = bind_rc_ != SQLITE_OK ? nullptr : sqlite3_errmsg(sqlite3_db_handle(stmt_));
  return SqliteError(rc, message, operation, path_);
}

std::string_view Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string_view Statement::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (p == nullptr) return {};  // a zero-length BLOB comes back as a null pointer
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(rc, db != nullptr ? sqlite3_errmsg(db) : nullptr, "open", path);
    sqlite3_close_v2(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db, path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  // close_v2: a statement leaked by a bug delays the close instead of failing it.
  sqlite3_close_v2(db_);
}

Status Connection::Exec(std::string_view sql, std::string_view operation) {
  const std::string text(sql);  // sqlite3_exec needs a terminated string
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  Status s = SqliteError(rc, err != nullptr ? err : sqlite3_errmsg(db_), operation, path_);
  sqlite3_free(err);
  return s;
}

Result<std::string> Connection::QueryText(const char* sql, std::string_view operation) {
  auto stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  const int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return stmt->Error(rc, operation);
  return std::string(stmt->Text(0));
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, NonNull(sql), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(rc, sqlite3_errmsg(db_), fmt::format("prepare '{}'", sql.substr(0, 40)),
                         path_);
    }
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(it->second, path_);
}

}  // namespace dryport::store::internal
