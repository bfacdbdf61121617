// Versioned migrations: a fresh file gets every step, an old file is
// upgraded in place keeping its data, a newer file is refused, and a failing
// step leaves the previous version intact.
#include "store/migrations.h"

#include <atomic>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/store/test_util.h"

namespace dryport::store {
namespace {

using test::TempDir;
using ::testing::HasSubstr;

struct MigrationRecord {
  int64_t version;
  int64_t applied_ms;
  std::string description;
};

std::vector<MigrationRecord> Recorded(const std::string& path) {
  std::vector<MigrationRecord> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(
          db, "SELECT version, applied_ms, description FROM schema_migrations ORDER BY version", -1,
          &st, nullptr),
      SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back({sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 2))});
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

bool TableExists(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                               -1, &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  const bool exists = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return exists;
}

TEST(Migrations, ListIsNumberedFromOne) {
  const auto list = SqliteMigrations();
  ASSERT_GE(list.size(), 2u);
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].version, static_cast<int>(i) + 1);
    EXPECT_FALSE(list[i].description.empty());
    EXPECT_FALSE(list[i].sql.empty());
  }
}

TEST(Migrations, FreshFileGetsEveryStep) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = OpenSqlite(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, static_cast<int>(SqliteMigrations().size()));
  const auto recorded = Recorded(path);
  ASSERT_EQ(recorded.size(), SqliteMigrations().size());
  for (size_t i = 0; i < recorded.size(); ++i) {
    EXPECT_EQ(recorded[i].version, SqliteMigrations()[i].version);
    EXPECT_EQ(recorded[i].description, SqliteMigrations()[i].description);
    EXPECT_GT(recorded[i].applied_ms, 1'600'000'000'000);  // a real wall-clock time
  }
  // Reopening applies nothing again.
  store->reset();
  auto again = OpenSqlite(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Recorded(path).size(), SqliteMigrations().size());
}

TEST(Migrations, UpgradesAVersionOneFileKeepingItsData) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  const auto v1 = SqliteMigrations().first(1);  // what an older binary knew
  {
    auto old = OpenSqliteWithMigrations(path, {}, v1);
    ASSERT_TRUE(old.ok()) << old.status().ToString();
    EXPECT_EQ(*(*old)->SchemaVersion(), 1);
    EXPECT_FALSE(TableExists(path, "documents"));

    Batch b;
    b.messages = {test::MessageBatch(1).messages[0], test::MessageBatch(2).messages[0]};
    b.keys = {{1, "orderNo", "O1"}};
    b.receipts = {{0, 1, "CEB312Message", "r", "<r/>"}};
    ASSERT_TRUE((*old)->Apply(b).ok());

    // The v1 schema has no documents table: this batch fails after its
    // message and key were written, and must leave neither behind.
    Batch needs_v2;
    needs_v2.messages = {test::MessageBatch(3).messages[0]};
    needs_v2.keys = {{3, "orderNo", "O3"}};
    needs_v2.documents = {{"order", "k", 1, 1, "{}"}};
    Status s = (*old)->Apply(needs_v2);
    EXPECT_EQ(s.code(), StatusCode::kIOError) << s.ToString();
    EXPECT_THAT(s.message(), HasSubstr("no such table: documents"));
    EXPECT_FALSE((*old)->MessageBySeq(3)->has_value());
    EXPECT_TRUE((*old)->MessagesByKey("orderNo", "O3")->empty());
  }

  auto store = OpenSqlite(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
  const auto recorded = Recorded(path);
  ASSERT_EQ(recorded.size(), SqliteMigrations().size());
  EXPECT_EQ(recorded[0].version, 1);
  EXPECT_EQ(recorded[1].version, 2);
  EXPECT_LE(recorded[0].applied_ms, recorded[1].applied_ms);

  // The old rows are still there, byte for byte ...
  auto m = (*store)->MessageBySeq(2);
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ(**m, test::MessageBatch(2).messages[0]);
  EXPECT_EQ((*store)->MessagesByKey("orderNo", "O1")->size(), 1u);
  EXPECT_EQ((*store)->ReceiptsForMessage(1)->size(), 1u);
  // ... and the v2 tables work.
  ASSERT_TRUE((*store)->Apply(test::MessageBatch(3)).ok());
  EXPECT_TRUE((*store)->Document("order", "1105912345|O3")->has_value());
  EXPECT_EQ(**(*store)->Counter("msg", "0000000003"), "3.50");
}

TEST(Migrations, RefusesANewerFile) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    auto store = OpenSqlite(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Apply(test::MessageBatch(1)).ok());
  }
  {  // a future binary's step 99
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "INSERT INTO schema_migrations VALUES(99, 1, 'from the future');"
                           "CREATE TABLE future(x INTEGER)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = OpenSqlite(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr(path));
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 99"));
  EXPECT_THAT(store.status().message(),
              HasSubstr(fmt::format("newest this binary knows ({})", SqliteMigrations().size())));
  // Refused without writing: the file still says 99.
  EXPECT_EQ(Recorded(path).back().version, 99);
  EXPECT_EQ(Recorded(path).size(), SqliteMigrations().size() + 1);
}

TEST(Migrations, FailingStepLeavesThePreviousVersion) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  std::vector<Migration> list(SqliteMigrations().begin(), SqliteMigrations().end());
  const int broken = static_cast<int>(list.size()) + 1;
  list.push_back({broken, "a step that fails half way",
                  "CREATE TABLE half(x INTEGER) STRICT; INSERT INTO no_such_table VALUES(1);"});
  auto store = OpenSqliteWithMigrations(path, {}, list);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIOError) << store.status().ToString();
  EXPECT_THAT(store.status().message(), HasSubstr(fmt::format("migration {}", broken)));
  EXPECT_THAT(store.status().message(), HasSubstr("no such table"));
  EXPECT_FALSE(TableExists(path, "half"));  // the step's first statement was rolled back
  EXPECT_EQ(static_cast<int>(Recorded(path).size()), broken - 1);

  auto current = OpenSqlite(path);  // this binary's list still opens it
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(*(*current)->SchemaVersion(), broken - 1);
}

// Several openers of one new file (threads here; processes behave the
// same, each with its own connection) migrate it once between them. This
// found that switching a new file to WAL can fail with SQLITE_BUSY without
// SQLite waiting busy_timeout (SwitchToWal retries).
TEST(Migrations, ConcurrentOpenersMigrateOnce) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto store = OpenSqlite(path);
      EXPECT_TRUE(store.ok()) << store.status().ToString();
      if (store.ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(Recorded(path).size(), SqliteMigrations().size());
}

TEST(Migrations, RejectsABadList) {
  TempDir dir;
  const Migration gap[] = {{1, "one", "CREATE TABLE a(x INTEGER)"},
                           {3, "three", "CREATE TABLE b(x INTEGER)"}};
  auto store = OpenSqliteWithMigrations(dir.File("s.db"), {}, gap);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(store.status().message(), HasSubstr("version 3"));
}

}  // namespace
}  // namespace dryport::store
