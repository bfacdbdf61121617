// SqliteStore: the Store interface on one SQLite file in WAL mode.
//
// Durability: journal_mode=WAL with synchronous=FULL makes SQLite fsync the
// WAL at every COMMIT, so when Apply returns OK its transaction survives a
// crash of the process or the machine. Each Apply is one BEGIN IMMEDIATE ...
// COMMIT; any failure rolls the whole batch back.
//
// Connections: one write connection under write_mu_ (SQLite allows one
// writer anyway; taking our mutex first keeps threads of this process from
// spinning in busy_timeout), and a pool of read connections, each with its
// own prepared statements and zstd context. In WAL mode readers never block
// the writer nor wait for it.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/migrations.h"
#include "store/raw_codec.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace dryport::store {
namespace {

using internal::Connection;
using internal::RawDecoder;
using internal::RawEncoder;
using internal::Statement;

// --- SQL -------------------------------------------------------------------

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

constexpr std::string_view kInsertMessage =
    "INSERT INTO messages(seq, guid, type, sender, source, received_ms, business_ms, codec, "
    "raw_size, raw) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
// A key repeated within a message is one fact, not an error.
constexpr std::string_view kInsertKey =
    "INSERT OR IGNORE INTO message_keys(name, value, message_seq) VALUES(?1, ?2, ?3)";
constexpr std::string_view kUpsertDocument =
    "INSERT INTO documents(kind, key, status, updated_ms, state) VALUES(?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(kind, key) DO UPDATE SET status = excluded.status, updated_ms = "
    "excluded.updated_ms, "
    "state = excluded.state";
constexpr std::string_view kInsertEvent =
    "INSERT INTO events(kind, key, status, rule, info, message_seq, at_ms) VALUES(?1, ?2, ?3, ?4, "
    "?5, ?6, ?7)";
constexpr std::string_view kInsertReceipt =
    "INSERT INTO receipts(message_seq, type, name, xml) VALUES(?1, ?2, ?3, ?4)";
constexpr std::string_view kUpsertCounter =
    "INSERT INTO counters(name, key, value) VALUES(?1, ?2, ?3) "
    "ON CONFLICT(name, key) DO UPDATE SET value = excluded.value";

constexpr std::string_view kMaxMessageSeq = "SELECT coalesce(max(seq), 0) FROM messages";
constexpr std::string_view kMessageBySeq =
    "SELECT seq, guid, type, sender, source, received_ms, business_ms, codec, raw_size, raw "
    "FROM messages WHERE seq = ?1";
constexpr std::string_view kMessagesByGuid =
    "SELECT seq, guid, type, sender, source, received_ms, business_ms, codec, raw_size, raw "
    "FROM messages WHERE guid = ?1 ORDER BY seq";
constexpr std::string_view kMessagesFrom =
    "SELECT seq, guid, type, sender, source, received_ms, business_ms, codec, raw_size, raw "
    "FROM messages WHERE seq >= ?1 ORDER BY seq";
constexpr std::string_view kMessagesByKey =
    "SELECT message_seq FROM message_keys WHERE name = ?1 AND value = ?2 ORDER BY message_seq";
constexpr std::string_view kAllDocuments =
    "SELECT kind, key, status, updated_ms, state FROM documents ORDER BY kind, key";
constexpr std::string_view kDocument =
    "SELECT kind, key, status, updated_ms, state FROM documents WHERE kind = ?1 AND key = ?2";
constexpr std::string_view kEvents =
    "SELECT seq, kind, key, status, rule, info, message_seq, at_ms FROM events "
    "WHERE kind = ?1 AND key = ?2 ORDER BY seq";
constexpr std::string_view kReceipts =
    "SELECT seq, message_seq, type, name, xml FROM receipts WHERE message_seq = ?1 ORDER BY seq";
constexpr std::string_view kCounter = "SELECT value FROM counters WHERE name = ?1 AND key = ?2";
constexpr std::string_view kCounters =
    "SELECT name, key, value FROM counters WHERE name = ?1 ORDER BY key";

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations("
    "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL, description TEXT NOT NULL) STRICT";
constexpr std::string_view kSchemaVersion =
    "SELECT coalesce(max(version), 0) FROM schema_migrations";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations(version, applied_ms, description) VALUES(?1, ?2, ?3)";

// Idle read connections kept open; more are opened under load and closed
// when returned to a full pool.
constexpr size_t kMaxIdleReaders = 8;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int ToInt(int64_t v) { return static_cast<int>(v); }

// Steps a statement that returns no rows. The description of the operation
// is only formatted on failure: the ingest path runs this for every row.
template <typename Describe>
Status Step(Statement& st, const Describe& describe) {
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return Status::Ok();
  return st.Error(rc, describe());
}

// --- row readers -----------------------------------------------------------

Result<MessageRow> ReadMessage(const Statement& s, RawDecoder& decoder, std::string_view path) {
  MessageRow m;
  m.seq = s.Int(0);
  m.guid = s.Text(1);
  m.type = s.Text(2);
  m.sender = s.Text(3);
  m.source = s.Text(4);
  m.received_ms = s.Int(5);
  m.business_ms = s.Int(6);
  Status st = decoder.Decode(s.Int(7), s.Blob(9), s.Int(8), &m.raw);
  if (!st.ok()) {
    return Status::Corruption(fmt::format("message seq {} in {}: {}", m.seq, path, st.message()));
  }
  return m;
}

DocumentRow ReadDocument(const Statement& s) {
  return {std::string(s.Text(0)), std::string(s.Text(1)), ToInt(s.Int(2)), s.Int(3),
          std::string(s.Text(4))};
}

EventRow ReadEvent(const Statement& s) {
  return {s.Int(0),
          std::string(s.Text(1)),
          std::string(s.Text(2)),
          ToInt(s.Int(3)),
          std::string(s.Text(4)),
          std::string(s.Text(5)),
          s.Int(6),
          s.Int(7)};
}

ReceiptRow ReadReceipt(const Statement& s) {
  return {s.Int(0), s.Int(1), std::string(s.Text(2)), std::string(s.Text(3)),
          std::string(s.Text(4))};
}

// --- connections -------------------------------------------------------------

struct ReadConnection {
  std::unique_ptr<Connection> conn;
  RawDecoder decoder;
};

// Hands out read connections; a lease returns its connection on destruction.
class ReaderPool {
 public:
  ReaderPool(std::string path, int busy_timeout_ms)
      : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<ReadConnection> reader)
        : pool_(pool), reader_(std::move(reader)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (reader_) pool_->Release(std::move(reader_));
    }
    ReadConnection* operator->() const { return reader_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<ReadConnection> reader_;
  };

  Result<Lease> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto reader = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(reader));
      }
    }
    // No CREATE: the writer made the file; query_only guards against a
    // write slipping into the read path.
    auto conn = Connection::Open(path_, SQLITE_OPEN_READWRITE, busy_timeout_ms_);
    if (!conn.ok()) return conn.status();
    DRYPORT_RETURN_IF_ERROR((*conn)->Exec("PRAGMA query_only = 1", "configure read connection"));
    auto reader = std::make_unique<ReadConnection>();
    reader->conn = std::move(conn).value();
    return Lease(this, std::move(reader));
  }

 private:
  void Release(std::unique_ptr<ReadConnection> reader) {
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdleReaders) idle_.push_back(std::move(reader));
  }

  const std::string path_;
  const int busy_timeout_ms_;
  std::mutex mu_;
  std::vector<std::unique_ptr<ReadConnection>> idle_;  // guarded by mu_
};

// --- migrations --------------------------------------------------------------

Status CheckMigrationList(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::InvalidArgument(
          fmt::format("migration #{} has version {}; versions must be 1, 2, 3, ...", i + 1,
                      migrations[i].version));
    }
  }
  return Status::Ok();
}

Result<int> ReadSchemaVersion(Connection& conn) {
  auto s = conn.Prepare(kSchemaVersion);
  if (!s.ok()) return s.status();
  const int rc = s->Step();
  if (rc != SQLITE_ROW) return s->Error(rc, "read schema version");
  return ToInt(s->Int(0));
}

// Brings the file to migrations.size(), one transaction per step. The
// version is read inside the write transaction so that concurrent openers
// serialise and each step runs once.
Status Migrate(Connection& conn, std::span<const Migration> migrations) {
  DRYPORT_RETURN_IF_ERROR(conn.Exec(kCreateMigrationsTable, "create schema_migrations"));
  const int known = static_cast<int>(migrations.size());
  while (true) {
    DRYPORT_RETURN_IF_ERROR(conn.Exec(kBegin, "begin migration"));
    Status s;
    auto version = ReadSchemaVersion(conn);
    bool done = false;
    if (!version.ok()) {
      s = version.status();
    } else if (*version > known) {
      s = Status::FailedPrecondition(fmt::format(
          "database {} has schema version {}, newer than the newest this binary knows ({}); "
          "open it with a newer dryport",
          conn.path(), *version, known));
    } else if (*version == known) {
      done = true;
    } else {
      const Migration& m = migrations[static_cast<size_t>(*version)];
      s = conn.Exec(m.sql, fmt::format("migration {} ({})", m.version, m.description));
      if (s.ok()) {
        auto insert = conn.Prepare(kInsertMigration);
        if (!insert.ok()) {
          s = insert.status();
        } else {
          insert->Bind(1, m.version);
          insert->Bind(2, NowMs());
          insert->BindText(3, m.description);
          s = insert->Run(fmt::format("record migration {}", m.version));
        }
      }
    }
    if (!s.ok()) {
      (void)conn.Exec(kRollback, "rollback migration");
      return s;
    }
    DRYPORT_RETURN_IF_ERROR(conn.Exec(kCommit, "commit migration"));
    if (done) return Status::Ok();
  }
}

// --- the store -----------------------------------------------------------------

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> writer, const SqliteOptions& options)
      : path_(writer->path()),
        writer_(std::move(writer)),
        encoder_(options.compress, options.zstd_level),
        readers_(path_, options.busy_timeout_ms) {}

  Status Apply(const Batch& batch) override;
  Result<int64_t> MaxMessageSeq() override;
  Result<std::optional<MessageRow>> MessageBySeq(int64_t seq) override;
  Result<std::vector<MessageRow>> MessagesByGuid(std::string_view guid) override;
  Result<std::vector<int64_t>> MessagesByKey(std::string_view name,
                                             std::string_view value) override;
  Status ForEachMessage(int64_t from_seq, const std::function<Status(MessageRow&&)>& fn) override;
  Status ForEachDocument(const std::function<Status(DocumentRow&&)>& fn) override;
  Result<std::optional<DocumentRow>> Document(std::string_view kind, std::string_view key) override;
  Result<std::vector<EventRow>> Events(std::string_view kind, std::string_view key) override;
  Result<std::vector<ReceiptRow>> ReceiptsForMessage(int64_t message_seq) override;
  Result<std::optional<std::string>> Counter(std::string_view name, std::string_view key) override;
  Status ForEachCounter(std::string_view name,
                        const std::function<Status(CounterRow&&)>& fn) override;
  Result<int> SchemaVersion() override;

 private:
  Status WriteRows(const Batch& batch);  // inside the transaction; write_mu_ held

  const std::string path_;
  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_
  RawEncoder encoder_;                  // guarded by write_mu_
  Status sticky_error_;                 // guarded by write_mu_
  ReaderPool readers_;
};

Status SqliteStore::Apply(const Batch& batch) {
  // Checked before any SQL: seq 0 would silently become a rowid, and a
  // negative one breaks "strictly increasing, > 0".
  for (const MessageRow& m : batch.messages) {
    if (m.seq <= 0) {
      return Status::InvalidArgument(
          fmt::format("message seq {} (guid {}) must be > 0", m.seq, m.guid));
    }
  }
  std::lock_guard lock(write_mu_);
  if (!sticky_error_.ok()) return sticky_error_;
  if (batch.empty()) return Status::Ok();

  {
    auto begin = writer_->Prepare(kBegin);
    if (!begin.ok()) return begin.status();
    DRYPORT_RETURN_IF_ERROR(begin->Run("begin transaction"));
  }
  Status s = WriteRows(batch);
  if (s.ok()) {
    auto commit = writer_->Prepare(kCommit);
    if (!commit.ok()) {
      s = commit.status();
    } else {
      const int rc = commit->Step();
      if (rc != SQLITE_DONE) {
        s = commit->Error(rc, "commit");
        const int primary = rc & 0xff;
        if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT) {
          // The fsync may have failed after the kernel dropped the dirty
          // pages; later commits could then "succeed" on top of lost
          // frames. Refuse everything until the file is reopened and
          // recovered.
          sticky_error_ = Status::IOError(fmt::format(
              "store {} refuses writes after a failed commit; reopen it: {}", path_, s.message()));
        }
      }
    }
  }
  if (!s.ok() && sqlite3_get_autocommit(writer_->db()) == 0) {
    // SQLite rolls back by itself on most errors; when it has not, do it.
    (void)writer_->Exec(kRollback, "rollback");
  }
  return s;
}

Status SqliteStore::WriteRows(const Batch& batch) {
  if (!batch.messages.empty()) {
    auto st = writer_->Prepare(kInsertMessage);
    if (!st.ok()) return st.status();
    for (const MessageRow& m : batch.messages) {
      const internal::EncodedRaw raw = encoder_.Encode(m.raw);
      st->Reset();
      st->Bind(1, m.seq);
      st->BindText(2, m.guid);
      st->BindText(3, m.type);
      st->BindText(4, m.sender);
      st->BindText(5, m.source);
      st->Bind(6, m.received_ms);
      st->Bind(7, m.business_ms);
      st->Bind(8, static_cast<int64_t>(raw.codec));
      st->Bind(9, static_cast<int64_t>(m.raw.size()));
      st->BindBlob(10, raw.bytes);
      DRYPORT_RETURN_IF_ERROR(
          Step(*st, [&] { return fmt::format("insert message seq {} (guid {})", m.seq, m.guid); }));
    }
  }
  if (!batch.keys.empty()) {
    auto st = writer_->Prepare(kInsertKey);
    if (!st.ok()) return st.status();
    for (const KeyRow& k : batch.keys) {
      st->Reset();
      st->BindText(1, k.name);
      st->BindText(2, k.value);
      st->Bind(3, k.message_seq);
      DRYPORT_RETURN_IF_ERROR(Step(*st, [&] {
        return fmt::format("insert key {}={} of message {}", k.name, k.value, k.message_seq);
      }));
    }
  }
  if (!batch.documents.empty()) {
    auto st = writer_->Prepare(kUpsertDocument);
    if (!st.ok()) return st.status();
    for (const DocumentRow& d : batch.documents) {
      st->Reset();
      st->BindText(1, d.kind);
      st->BindText(2, d.key);
      st->Bind(3, d.status);
      st->Bind(4, d.updated_ms);
      st->BindText(5, d.state);
      DRYPORT_RETURN_IF_ERROR(
          Step(*st, [&] { return fmt::format("upsert document {} {}", d.kind, d.key); }));
    }
  }
  if (!batch.events.empty()) {
    auto st = writer_->Prepare(kInsertEvent);
    if (!st.ok()) return st.status();
    for (const EventRow& e : batch.events) {
      st->Reset();
      st->BindText(1, e.kind);
      st->BindText(2, e.key);
      st->Bind(3, e.status);
      st->BindText(4, e.rule);
      st->BindText(5, e.info);
      st->Bind(6, e.message_seq);
      st->Bind(7, e.at_ms);
      DRYPORT_RETURN_IF_ERROR(
          Step(*st, [&] { return fmt::format("insert event of {} {}", e.kind, e.key); }));
    }
  }
  if (!batch.receipts.empty()) {
    auto st = writer_->Prepare(kInsertReceipt);
    if (!st.ok()) return st.status();
    for (const ReceiptRow& r : batch.receipts) {
      st->Reset();
      st->Bind(1, r.message_seq);
      st->BindText(2, r.type);
      st->BindText(3, r.name);
      st->BindText(4, r.xml);
      DRYPORT_RETURN_IF_ERROR(Step(*st, [&] {
        return fmt::format("insert receipt {} of message {}", r.type, r.message_seq);
      }));
    }
  }
  if (!batch.counters.empty()) {
    auto st = writer_->Prepare(kUpsertCounter);
    if (!st.ok()) return st.status();
    for (const CounterRow& c : batch.counters) {
      st->Reset();
      st->BindText(1, c.name);
      st->BindText(2, c.key);
      st->BindText(3, c.value);
      DRYPORT_RETURN_IF_ERROR(
          Step(*st, [&] { return fmt::format("upsert counter {} {}", c.name, c.key); }));
    }
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::MaxMessageSeq() {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kMaxMessageSeq);
  if (!s.ok()) return s.status();
  const int rc = s->Step();
  if (rc != SQLITE_ROW) return s->Error(rc, "max message seq");
  return s->Int(0);
}

Result<std::optional<MessageRow>> SqliteStore::MessageBySeq(int64_t seq) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kMessageBySeq);
  if (!s.ok()) return s.status();
  s->Bind(1, seq);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) return std::optional<MessageRow>();
  if (rc != SQLITE_ROW) return s->Error(rc, fmt::format("read message seq {}", seq));
  auto m = ReadMessage(*s, (*r)->decoder, path_);
  if (!m.ok()) return m.status();
  return std::optional<MessageRow>(std::move(m).value());
}

Result<std::vector<MessageRow>> SqliteStore::MessagesByGuid(std::string_view guid) {
  std::vector<MessageRow> out;
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kMessagesByGuid);
  if (!s.ok()) return s.status();
  s->BindText(1, guid);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    auto m = ReadMessage(*s, (*r)->decoder, path_);
    if (!m.ok()) return m.status();
    out.push_back(std::move(m).value());
  }
  if (rc != SQLITE_DONE) return s->Error(rc, fmt::format("read messages with guid {}", guid));
  return out;
}

Result<std::vector<int64_t>> SqliteStore::MessagesByKey(std::string_view name,
                                                        std::string_view value) {
  std::vector<int64_t> out;
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kMessagesByKey);
  if (!s.ok()) return s.status();
  s->BindText(1, name);
  s->BindText(2, value);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(s->Int(0));
  if (rc != SQLITE_DONE) {
    return s->Error(rc, fmt::format("read messages with key {}={}", name, value));
  }
  return out;
}

Status SqliteStore::ForEachMessage(int64_t from_seq,
                                   const std::function<Status(MessageRow&&)>& fn) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kMessagesFrom);
  if (!s.ok()) return s.status();
  s->Bind(1, from_seq);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    auto m = ReadMessage(*s, (*r)->decoder, path_);
    if (!m.ok()) return m.status();
    DRYPORT_RETURN_IF_ERROR(fn(std::move(m).value()));
  }
  if (rc != SQLITE_DONE) return s->Error(rc, fmt::format("scan messages from seq {}", from_seq));
  return Status::Ok();
}

Status SqliteStore::ForEachDocument(const std::function<Status(DocumentRow&&)>& fn) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kAllDocuments);
  if (!s.ok()) return s.status();
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) DRYPORT_RETURN_IF_ERROR(fn(ReadDocument(*s)));
  if (rc != SQLITE_DONE) return s->Error(rc, "scan documents");
  return Status::Ok();
}

Result<std::optional<DocumentRow>> SqliteStore::Document(std::string_view kind,
                                                         std::string_view key) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kDocument);
  if (!s.ok()) return s.status();
  s->BindText(1, kind);
  s->BindText(2, key);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) return std::optional<DocumentRow>();
  if (rc != SQLITE_ROW) return s->Error(rc, fmt::format("read document {} {}", kind, key));
  return std::optional<DocumentRow>(ReadDocument(*s));
}

Result<std::vector<EventRow>> SqliteStore::Events(std::string_view kind, std::string_view key) {
  std::vector<EventRow> out;
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kEvents);
  if (!s.ok()) return s.status();
  s->BindText(1, kind);
  s->BindText(2, key);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadEvent(*s));
  if (rc != SQLITE_DONE) return s->Error(rc, fmt::format("read events of {} {}", kind, key));
  return out;
}

Result<std::vector<ReceiptRow>> SqliteStore::ReceiptsForMessage(int64_t message_seq) {
  std::vector<ReceiptRow> out;
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kReceipts);
  if (!s.ok()) return s.status();
  s->Bind(1, message_seq);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) out.push_back(ReadReceipt(*s));
  if (rc != SQLITE_DONE) {
    return s->Error(rc, fmt::format("read receipts of message {}", message_seq));
  }
  return out;
}

Result<std::optional<std::string>> SqliteStore::Counter(std::string_view name,
                                                        std::string_view key) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kCounter);
  if (!s.ok()) return s.status();
  s->BindText(1, name);
  s->BindText(2, key);
  const int rc = s->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return s->Error(rc, fmt::format("read counter {} {}", name, key));
  return std::optional<std::string>(std::string(s->Text(0)));
}

Status SqliteStore::ForEachCounter(std::string_view name,
                                   const std::function<Status(CounterRow&&)>& fn) {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  auto s = (*r)->conn->Prepare(kCounters);
  if (!s.ok()) return s.status();
  s->BindText(1, name);
  int rc;
  while ((rc = s->Step()) == SQLITE_ROW) {
    DRYPORT_RETURN_IF_ERROR(
        fn(CounterRow{std::string(s->Text(0)), std::string(s->Text(1)), std::string(s->Text(2))}));
  }
  if (rc != SQLITE_DONE) return s->Error(rc, fmt::format("scan counters {}", name));
  return Status::Ok();
}

Result<int> SqliteStore::SchemaVersion() {
  auto r = readers_.Acquire();
  if (!r.ok()) return r.status();
  return ReadSchemaVersion(*(*r)->conn);
}

// Sets journal_mode=WAL (persistent in the file) and returns the mode now
// in force. Leaving rollback mode needs an exclusive lock, and SQLite
// reports SQLITE_BUSY for it without calling the busy handler when another
// connection is opening the same new file at that moment; so retry here,
// within the same busy_timeout.
Result<std::string> SwitchToWal(Connection& conn, int busy_timeout_ms) {
  auto current = conn.QueryText("PRAGMA journal_mode", "read journal_mode");
  if (!current.ok() || *current == "wal") return current;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    auto st = conn.Prepare("PRAGMA journal_mode = WAL");
    if (!st.ok()) return st.status();
    const int rc = st->Step();
    if (rc == SQLITE_ROW) return std::string(st->Text(0));
    if (rc != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return st->Error(rc, "set journal_mode=WAL");
    }
    st->Reset();
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteWithMigrations(const std::string& path,
                                                        const SqliteOptions& options,
                                                        std::span<const Migration> migrations) {
  DRYPORT_RETURN_IF_ERROR(CheckMigrationList(migrations));
  if (sqlite3_threadsafe() == 0) {
    return Status::Unsupported(
        "the SQLite library was built without thread support (SQLITE_THREADSAFE=0)");
  }
  std::error_code ec;
  if (!options.create_if_missing && !std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format("no database at {} (create_if_missing is off)", path));
  }
  int flags = SQLITE_OPEN_READWRITE;
  if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  auto opened = Connection::Open(path, flags, options.busy_timeout_ms);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<Connection> conn = std::move(opened).value();

  // The first statement reads the header: a file that is not a database
  // fails here with SQLITE_NOTADB (Corruption).
  auto mode = SwitchToWal(*conn, options.busy_timeout_ms);
  if (!mode.ok()) return mode.status();
  if (*mode != "wal") {
    return Status::Unsupported(fmt::format(
        "{}: SQLite kept journal_mode={} instead of WAL (in-memory database, or a filesystem "
        "without shared memory?)",
        path, *mode));
  }
  DRYPORT_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = FULL", "set synchronous=FULL"));
  DRYPORT_RETURN_IF_ERROR(
      conn->Exec(fmt::format("PRAGMA wal_autocheckpoint = {}", options.wal_autocheckpoint_pages),
                 "set wal_autocheckpoint"));
  // After a checkpoint resets the WAL, truncate it back to this size so one
  // burst (or a long reader) does not leave a huge file behind.
  DRYPORT_RETURN_IF_ERROR(
      conn->Exec("PRAGMA journal_size_limit = 67108864", "set journal_size_limit"));
  // Key and event inserts land on random index leaves (order numbers are not
  // sequential); 32 MiB of page cache keeps the hot ones in memory instead
  // of the default 2 MiB.
  DRYPORT_RETURN_IF_ERROR(conn->Exec("PRAGMA cache_size = -32768", "set cache_size"));
  DRYPORT_RETURN_IF_ERROR(Migrate(*conn, migrations));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(conn), options));
}

Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path, const SqliteOptions& options) {
  return OpenSqliteWithMigrations(path, options, SqliteMigrations());
}

}  // namespace dryport::store
