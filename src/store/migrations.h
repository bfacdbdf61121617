// Versioned schema migrations of the SQLite store.
//
// The schema is the ordered list SqliteMigrations(): step N brings a
// database from version N-1 to N. OpenSqlite applies every step the file
// lacks, each in its own BEGIN IMMEDIATE transaction that also records the
// step in schema_migrations(version, applied_ms, description); a crash
// mid-step leaves the previous version. Two processes opening the same file
// at once serialise on the write lock and re-read the version inside it, so
// a step never runs twice. A file whose version is newer than the list is
// refused (FailedPrecondition) rather than written by a binary that does
// not know its schema.
//
// Rules for adding a step: append only; never edit a released step (files
// in the field already ran it); one step, one purpose; plain SQL that is
// valid inside a transaction.
//
// Thread-safety: the list is immutable static data.
#ifndef DRYPORT_STORE_MIGRATIONS_H_
#define DRYPORT_STORE_MIGRATIONS_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/store.h"

namespace dryport::store {

struct Migration {
  int version = 0;               // 1, 2, 3, ... without gaps
  std::string_view description;  // kept in schema_migrations
  std::string_view sql;          // one or more statements
};

// The steps this binary knows, oldest first.
std::span<const Migration> SqliteMigrations();

// OpenSqlite with an explicit migration list. Tests use it to create a file
// as an older binary (a prefix of SqliteMigrations()) would have. The list
// must number its steps 1..n (InvalidArgument otherwise).
Result<std::unique_ptr<Store>> OpenSqliteWithMigrations(const std::string& path,
                                                        const SqliteOptions& options,
                                                        std::span<const Migration> migrations);

}  // namespace dryport::store

#endif  // DRYPORT_STORE_MIGRATIONS_H_
