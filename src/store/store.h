// The durable store under the clearance engine: every accepted message as
// received, its business keys, the latest state of each business document,
// the append-only history of status changes, the receipts sent, and exact
// decimal counters (quotas, ledgers).
//
// What it offers:
//  - Store: a small storage interface. SQLite (WAL, embedded) implements it
//    today (OpenSqlite); a PostgreSQL backend will implement the same
//    interface later, so callers depend on nothing SQLite-specific.
//  - Batch: the unit of atomicity. Store::Apply writes a whole Batch in one
//    transaction and returns OK only once it is durable; on error nothing of
//    the batch is kept.
//  - GroupCommitWriter: leveldb-style group commit (DBImpl::Write /
//    BuildBatchGroup). Producers on any thread Submit batches; one writer
//    thread merges what is queued into ONE Apply (one transaction, one
//    fsync) and completes every merged submission's future with its result.
//    A future completes OK only after its batch is durable, so an engine that
//    sends a receipt only after its future completed OK never acknowledges a
//    message that a crash could lose.
//
// Sequence numbers: MessageRow::seq is assigned by the caller (the engine),
// strictly increasing, > 0, and is the message's primary key (the store
// checks > 0 and uniqueness, not the order); applying a message whose seq
// exists fails with AlreadyExists and keeps nothing of that batch. EventRow::seq and
// ReceiptRow::seq are assigned by the store, in commit order, and ignored on input.
//
// Errors: values, never exceptions. Every SQLite failure becomes a Status
// naming the operation, SQLite's message and the database file:
// Corruption for a damaged or foreign file, AlreadyExists for a duplicate
// message seq, InvalidArgument for a seq <= 0, FailedPrecondition for a
// database newer than this binary, NotFound for a missing file when
// create_if_missing is off, IOError for everything else (disk full,
// locked, I/O). docs/store.md has the schema and the durability argument.
//
// Thread-safety: a Store is safe to share between threads without external
// locking. Writers are serialised internally (one write connection); reads
// use their own connections and run concurrently with a write (WAL readers
// see the last committed state). Destroying a Store while another thread
// still calls it is a bug. GroupCommitWriter is safe to share; Submit and
// Flush may be called from any thread.
//
// Ownership: OpenSqlite returns the only owner of the Store; a
// GroupCommitWriter borrows its Store, which must outlive it. Callbacks of
// the ForEach* functions receive rows by value (rvalue) and may keep them;
// a callback may call other Store functions (it holds one read connection).
#ifndef DRYPORT_STORE_STORE_H_
#define DRYPORT_STORE_STORE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dryport::store {

// One message as received.
struct MessageRow {
  int64_t seq = 0;     // assigned by the caller (engine), strictly increasing, > 0; PRIMARY KEY
  std::string guid;    // the message's root guid attribute
  std::string type;    // "CEB311Message"
  std::string sender;  // BaseTransfer copCode, or ""
  std::string source;  // file name / API client
  int64_t received_ms = 0;  // wall clock at receipt
  int64_t business_ms = 0;  // the message's own business time (appTime...), 0 if none
  std::string raw;          // exact bytes received; stored zstd-compressed when that saves >= 10%

  friend bool operator==(const MessageRow&, const MessageRow&) = default;
};

// An extracted business key of a message: orderNo, logisticsNo, invtNo,
// copNo, ebpCode, ... Identical (message_seq, name, value) rows are stored
// once.
struct KeyRow {
  int64_t message_seq = 0;
  std::string name;
  std::string value;

  friend bool operator==(const KeyRow&, const KeyRow&) = default;
};

// The latest state of one business document (kind "order", key
// "ebpCode|orderNo", ...); state is JSON text. Upserted by (kind, key).
struct DocumentRow {
  std::string kind;
  std::string key;
  int status = 0;
  int64_t updated_ms = 0;
  std::string state;

  friend bool operator==(const DocumentRow&, const DocumentRow&) = default;
};

// One status change of a document; appended, never updated.
struct EventRow {
  int64_t seq = 0;  // assigned by the store (commit order); ignored on input
  std::string kind;
  std::string key;
  int status = 0;
  std::string rule;  // the rule that moved the document, or ""
  std::string info;
  int64_t message_seq = 0;  // the message that caused it, 0 if none
  int64_t at_ms = 0;

  friend bool operator==(const EventRow&, const EventRow&) = default;
};

// A receipt sent for a message (the XML exactly as sent).
struct ReceiptRow {
  int64_t seq = 0;  // assigned by the store (commit order); ignored on input
  int64_t message_seq = 0;
  std::string type;  // e.g. "CEB312Message"
  std::string name;  // e.g. the receipt's file name
  std::string xml;

  friend bool operator==(const ReceiptRow&, const ReceiptRow&) = default;
};

// An exact counter: value is decimal text stored exactly as given
// (e.g. ("quota", "110101...|2025", "4321.50")); upserted by (name, key).
struct CounterRow {
  std::string name;
  std::string key;
  std::string value;

  friend bool operator==(const CounterRow&, const CounterRow&) = default;
};

// Applied atomically, in this order: messages, keys, documents, events,
// receipts, counters. Within a kind, rows are applied in vector order (so
// the last upsert of a document or counter wins).
struct Batch {
  std::vector<MessageRow> messages;
  std::vector<KeyRow> keys;
  std::vector<DocumentRow> documents;
  std::vector<EventRow> events;
  std::vector<ReceiptRow> receipts;
  std::vector<CounterRow> counters;

  bool empty() const;
  // Moves other's rows behind this batch's rows (group commit). Applying the
  // result equals applying this batch, then other: the tables are
  // independent, and within a table the order is kept.
  void Append(Batch&& other);
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes the batch in one transaction. Returns OK only when the batch is
  // durable (SQLite: WAL with synchronous=FULL, the WAL fsync'd at commit).
  // On error nothing of the batch is kept. An empty batch is a no-op.
  // After an I/O error at commit (the fsync may have failed) every later
  // Apply fails with that error: the state of the file is then unknown, so
  // nothing more may be acknowledged until the store is reopened (leveldb's
  // sticky background error).
  virtual Status Apply(const Batch& batch) = 0;

  // Reads see the last committed state.
  virtual Result<int64_t> MaxMessageSeq() = 0;  // 0 if empty
  // The message with raw decompressed; nullopt if there is none.
  virtual Result<std::optional<MessageRow>> MessageBySeq(int64_t seq) = 0;
  // All messages with that guid, in seq order.
  virtual Result<std::vector<MessageRow>> MessagesByGuid(std::string_view guid) = 0;
  // The seqs of the messages with that key, ascending.
  virtual Result<std::vector<int64_t>> MessagesByKey(std::string_view name,
                                                     std::string_view value) = 0;
  // Every message with seq >= from_seq, in seq order (replay). Stops at the
  // first non-OK Status of fn and returns it. The scan holds one read
  // snapshot: messages committed meanwhile may or may not be seen.
  virtual Status ForEachMessage(int64_t from_seq,
                                const std::function<Status(MessageRow&&)>& fn) = 0;
  // Every document, ordered by (kind, key). Stops like ForEachMessage.
  virtual Status ForEachDocument(const std::function<Status(DocumentRow&&)>& fn) = 0;
  virtual Result<std::optional<DocumentRow>> Document(std::string_view kind,
                                                      std::string_view key) = 0;
  // The events of one document, in seq (commit) order.
  virtual Result<std::vector<EventRow>> Events(std::string_view kind, std::string_view key) = 0;
  // The receipts of one message, in seq order.
  virtual Result<std::vector<ReceiptRow>> ReceiptsForMessage(int64_t message_seq) = 0;
  virtual Result<std::optional<std::string>> Counter(std::string_view name,
                                                     std::string_view key) = 0;
  // Every counter called `name`, ordered by key. Stops like ForEachMessage.
  virtual Status ForEachCounter(std::string_view name,
                                const std::function<Status(CounterRow&&)>& fn) = 0;
  // The newest applied migration (see migrations.h).
  virtual Result<int> SchemaVersion() = 0;
};

struct SqliteOptions {
  // Default: true. When false, a missing file is NotFound.
  bool create_if_missing = true;
  // Default: true. Compress raw message bytes with zstd when that saves at
  // least 10%; reading works either way.
  bool compress = true;
  // Default: 1. On 3 KB CEB XML levels 1-3 compress alike (~2.9x) and
  // level 1 is the quickest of them.
  int zstd_level = 1;
  // Default: 5000. How long a connection waits for another process's lock.
  int busy_timeout_ms = 5000;
  // Default: 4000 pages (16 MB). WAL size that triggers a checkpoint in the
  // committing thread; larger means fewer, longer checkpoints.
  int wal_autocheckpoint_pages = 4000;
};

// Opens (creating if allowed) the SQLite database at path and brings its
// schema to the newest version this binary knows (migrations.h). Fails with
// FailedPrecondition if the file's schema is newer than this binary, with
// Corruption if the file is not a database.
Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                          const SqliteOptions& options = {});

// Group commit (leveldb style), see the file comment.
struct GroupCommitOptions {
  // Default: 4096. A group takes queued submissions until their messages
  // reach this (a submission without messages counts as one). A single
  // larger submission forms a group of its own.
  size_t max_group_messages = 4096;
  // Default: 2 ms. How long the oldest queued submission may wait for more
  // to join its group. Under load groups form while the previous commit
  // runs and nobody waits; 0 never waits.
  std::chrono::microseconds max_delay{2000};
};

class GroupCommitWriter {
 public:
  // `store` must outlive the writer.
  explicit GroupCommitWriter(Store& store, GroupCommitOptions options = {});
  ~GroupCommitWriter();  // applies everything queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Queues the batch; the future completes with the Status of its Apply:
  // OK only once the batch is durable. If a merged group fails, each of its
  // submissions is applied again on its own, so one bad batch (say a
  // duplicate message seq) fails alone and its neighbours still commit.
  // Batches are applied in submission order.
  std::future<Status> Submit(Batch batch);

  // Waits until every batch submitted before the call has been applied.
  // Returns OK, or the error of the most recent failure among the batches
  // submitted since the previous Flush call (each future still carries its
  // own Status).
  Status Flush();

  // Counts a group once its futures are completed; after Flush() returns
  // every earlier submission is counted.
  struct Stats {
    uint64_t groups = 0;    // merged Applys (not counting solo retries after a failed group)
    uint64_t batches = 0;   // submissions completed
    uint64_t messages = 0;  // messages in completed submissions
  };
  Stats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dryport::store

#endif  // DRYPORT_STORE_STORE_H_
