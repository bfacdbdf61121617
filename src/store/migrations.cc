#include "store/migrations.h"

#include <array>

namespace dryport::store {
namespace {

// Indexes are few on purpose: each one is another B-tree written per row in
// the ingest path. Tables whose only lookup is their key are WITHOUT ROWID,
// so the key *is* the table (one B-tree instead of table plus index).
constexpr std::array<Migration, 2> kMigrations = {{
    {1, "message log: messages as received, their business keys, receipts sent",
     R"sql(
CREATE TABLE messages(
  seq INTEGER PRIMARY KEY,        -- the engine's sequence number (rowid: appends in order)
  guid TEXT NOT NULL,
  type TEXT NOT NULL,
  sender TEXT NOT NULL,
  source TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  business_ms INTEGER NOT NULL,
  codec INTEGER NOT NULL,         -- 0 = raw as is, 1 = zstd frame
  raw_size INTEGER NOT NULL,      -- bytes before compression
  raw BLOB NOT NULL
) STRICT;
CREATE INDEX messages_guid ON messages(guid);

-- Lookup is by (name, value); the key is the whole row, so the table is its own index.
CREATE TABLE message_keys(
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  message_seq INTEGER NOT NULL,
  PRIMARY KEY(name, value, message_seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE receipts(
  seq INTEGER PRIMARY KEY,        -- assigned by SQLite: max + 1, rows are never deleted
  message_seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  xml TEXT NOT NULL
) STRICT;
CREATE INDEX receipts_message_seq ON receipts(message_seq);
)sql"},

    {2,
     "clearance state: documents (latest state), events (append-only history), counters (exact "
     "decimal text)",
     R"sql(
CREATE TABLE documents(
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  status INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  state TEXT NOT NULL,            -- JSON
  PRIMARY KEY(kind, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE events(
  seq INTEGER PRIMARY KEY,        -- assigned by SQLite: max + 1, rows are never deleted
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  status INTEGER NOT NULL,
  rule TEXT NOT NULL,
  info TEXT NOT NULL,
  message_seq INTEGER NOT NULL,
  at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX events_kind_key_seq ON events(kind, key, seq);

-- TEXT, not REAL: money and quotas must stay exact decimals.
CREATE TABLE counters(
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(name, key)
) STRICT, WITHOUT ROWID;
)sql"},
}};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kMigrations; }

}  // namespace dryport::store
