// The SQLite store: every row kind round trips, batches are atomic, upserts
// and event order behave, errors are the documented Status codes.
#include "store/store.h"

#include <atomic>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/store/test_util.h"

namespace dryport::store {
namespace {

using test::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<Store> MustOpen(const std::string& path, const SqliteOptions& options = {}) {
  auto s = OpenSqlite(path, options);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

// One value straight from the file, bypassing the store.
int64_t QueryInt(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  int64_t v = -1;
  if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

MessageRow Msg(int64_t seq, std::string raw, std::string guid = "") {
  MessageRow m;
  m.seq = seq;
  m.guid = guid.empty() ? fmt::format("G{}", seq) : std::move(guid);
  m.type = "CEB311Message";
  m.sender = "1105910159";
  m.source = "in/order-1.xml";
  m.received_ms = 1'760'000'000'123 + seq;
  m.business_ms = 1'759'999'000'000;
  m.raw = std::move(raw);
  return m;
}

std::vector<int64_t> AllSeqs(Store& store) {
  std::vector<int64_t> seqs;
  Status s = store.ForEachMessage(0, [&](MessageRow&& m) {
    seqs.push_back(m.seq);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return seqs;
}

TEST(SqliteStore, MessagesRoundTripByteExact) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = MustOpen(path);
  ASSERT_TRUE(store);

  const std::string xml = test::OrderXml(7);  // compressible: stored as zstd
  const std::string gbk =
      "<?xml version=\"1.0\" encoding=\"GBK\"?><a>\xD6\xD0\xB9\xFA</a>";  // not UTF-8
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);  // NULs, 0xFF, ...
  binary += std::string("\0\0tail", 6);
  const std::string tiny = "<x/>";  // zstd cannot save 10% of four bytes: stored as is

  Batch b;
  b.messages = {Msg(1, xml), Msg(2, gbk), Msg(3, binary), Msg(4, tiny), Msg(5, "")};
  b.messages[3].sender = "";
  b.messages[3].business_ms = 0;
  ASSERT_TRUE(store->Apply(b).ok());

  for (const MessageRow& want : b.messages) {
    auto got = store->MessageBySeq(want.seq);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ASSERT_TRUE(got->has_value()) << want.seq;
    EXPECT_EQ(**got, want) << want.seq;
    EXPECT_EQ((*got)->raw.size(), want.raw.size());
  }
  // The codec column says what happened: the XML was compressed, the
  // four-byte and empty messages were not, raw_size is the original size.
  EXPECT_EQ(QueryInt(path, "SELECT codec FROM messages WHERE seq = 1"), 1);
  EXPECT_LT(QueryInt(path, "SELECT length(raw) FROM messages WHERE seq = 1"),
            static_cast<int64_t>(xml.size() * 9 / 10));
  EXPECT_EQ(QueryInt(path, "SELECT raw_size FROM messages WHERE seq = 1"),
            static_cast<int64_t>(xml.size()));
  EXPECT_EQ(QueryInt(path, "SELECT codec FROM messages WHERE seq = 4"), 0);
  EXPECT_EQ(QueryInt(path, "SELECT codec FROM messages WHERE seq = 5"), 0);

  auto missing = store->MessageBySeq(99);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto max = store->MaxMessageSeq();
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(*max, 5);
}

TEST(SqliteStore, CompressionOffStoresAsIs) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  SqliteOptions options;
  options.compress = false;
  auto store = MustOpen(path, options);
  ASSERT_TRUE(store);
  Batch b;
  b.messages = {Msg(1, test::OrderXml(1))};
  ASSERT_TRUE(store->Apply(b).ok());
  EXPECT_EQ(QueryInt(path, "SELECT codec FROM messages WHERE seq = 1"), 0);
  EXPECT_EQ(QueryInt(path, "SELECT length(raw) FROM messages WHERE seq = 1"),
            static_cast<int64_t>(b.messages[0].raw.size()));
  auto got = store->MessageBySeq(1);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->raw, b.messages[0].raw);

  // A store that compresses reads the uncompressed rows, and vice versa.
  store.reset();
  store = MustOpen(path);
  Batch c;
  c.messages = {Msg(2, test::OrderXml(2))};
  ASSERT_TRUE(store->Apply(c).ok());
  store.reset();
  store = MustOpen(path, options);
  auto two = store->MessageBySeq(2);
  ASSERT_TRUE(two.ok() && two->has_value());
  EXPECT_EQ((*two)->raw, c.messages[0].raw);
}

TEST(SqliteStore, GuidAndKeyLookups) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch b;
  b.messages = {Msg(10, "a", "GUID-A"), Msg(11, "b", "GUID-B"), Msg(12, "a again", "GUID-A")};
  b.keys = {{10, "orderNo", "O1"},
            {11, "orderNo", "O2"},
            {12, "orderNo", "O1"},
            {12, "logisticsNo", "L1"},
            {12, "logisticsNo", "L1"}};  // repeated: one fact
  ASSERT_TRUE(store->Apply(b).ok());

  auto by_guid = store->MessagesByGuid("GUID-A");
  ASSERT_TRUE(by_guid.ok());
  ASSERT_EQ(by_guid->size(), 2u);
  EXPECT_EQ((*by_guid)[0].seq, 10);
  EXPECT_EQ((*by_guid)[1].seq, 12);
  EXPECT_EQ((*by_guid)[1].raw, "a again");
  EXPECT_TRUE(store->MessagesByGuid("nope")->empty());
  EXPECT_TRUE(store->MessagesByGuid(std::string_view())->empty());

  auto o1 = store->MessagesByKey("orderNo", "O1");
  ASSERT_TRUE(o1.ok());
  EXPECT_THAT(*o1, ElementsAre(10, 12));
  EXPECT_THAT(*store->MessagesByKey("logisticsNo", "L1"), ElementsAre(12));
  EXPECT_TRUE(store->MessagesByKey("logisticsNo", "O1")->empty());  // name matters, not just value
}

TEST(SqliteStore, BatchIsAtomic) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = MustOpen(path);
  ASSERT_TRUE(store);
  Batch first;
  first.messages = {Msg(1, "one")};
  ASSERT_TRUE(store->Apply(first).ok());

  // The second message repeats seq 1: the PRIMARY KEY stops the batch after
  // its first message, keys... were not even reached. Nothing may remain.
  Batch bad;
  bad.messages = {Msg(2, "two"), Msg(1, "one again"), Msg(3, "three")};
  bad.keys = {{2, "orderNo", "O2"}};
  bad.documents = {{"order", "E|O2", 1, 5, "{}"}};
  bad.events = {{0, "order", "E|O2", 1, "r", "", 2, 5}};
  bad.receipts = {{0, 2, "CEB312Message", "r2", "<r/>"}};
  bad.counters = {{"quota", "k", "1.00"}};
  Status s = store->Apply(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("seq 1"));  // the operation
  EXPECT_THAT(s.message(), HasSubstr(path));     // the file
  EXPECT_THAT(s.message(),
              HasSubstr("UNIQUE constraint failed: messages.seq"));  // SQLite's message

  EXPECT_THAT(AllSeqs(*store), ElementsAre(1));
  EXPECT_FALSE(store->MessageBySeq(2)->has_value());
  EXPECT_TRUE(store->MessagesByKey("orderNo", "O2")->empty());
  EXPECT_FALSE(store->Document("order", "E|O2")->has_value());
  EXPECT_TRUE(store->Events("order", "E|O2")->empty());
  EXPECT_TRUE(store->ReceiptsForMessage(2)->empty());
  EXPECT_FALSE(store->Counter("quota", "k")->has_value());

  // A seq repeated inside one batch is refused the same way, and the store
  // keeps working afterwards. (A failure after the later kinds were written
  // is covered in migrations_test: a v1 file has no documents table.)
  Batch dup;
  dup.messages = {Msg(5, "five"), Msg(5, "five twice")};
  dup.counters = {{"quota", "k", "2.00"}};
  EXPECT_EQ(store->Apply(dup).code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(store->MessageBySeq(5)->has_value());

  Batch good;
  good.messages = {Msg(2, "two")};
  ASSERT_TRUE(store->Apply(good).ok());
  EXPECT_THAT(AllSeqs(*store), ElementsAre(1, 2));
}

TEST(SqliteStore, RejectsSeqZeroAndNegative) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch b;
  b.messages = {Msg(1, "x"), Msg(0, "unset seq")};
  EXPECT_EQ(store->Apply(b).code(), StatusCode::kInvalidArgument);
  b.messages[1].seq = -4;
  EXPECT_EQ(store->Apply(b).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(AllSeqs(*store).empty());
  EXPECT_TRUE(store->Apply(Batch{}).ok());  // empty: a no-op
}

TEST(SqliteStore, DocumentsUpsert) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch a;
  a.documents = {{"order", "E1|O1", 1, 100, R"({"v":1})"}, {"inventory", "E1|I1", 1, 100, "{}"}};
  ASSERT_TRUE(store->Apply(a).ok());
  Batch b;  // updates O1 twice in one batch: the later row wins
  b.documents = {{"order", "E1|O1", 2, 200, R"({"v":2})"},
                 {"order", "E1|O1", 3, 300, R"({"v":3,"中":"文"})"},
                 {"order", "E1|O0", 1, 150, "{}"}};
  ASSERT_TRUE(store->Apply(b).ok());

  auto o1 = store->Document("order", "E1|O1");
  ASSERT_TRUE(o1.ok() && o1->has_value());
  EXPECT_EQ(**o1, (DocumentRow{"order", "E1|O1", 3, 300, R"({"v":3,"中":"文"})"}));
  EXPECT_FALSE(store->Document("order", "E1|I1")->has_value());  // kind is part of the key

  std::vector<DocumentRow> all;
  ASSERT_TRUE(store
                  ->ForEachDocument([&](DocumentRow&& d) {
                    all.push_back(std::move(d));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(all.size(), 3u);  // upserted, not duplicated
  EXPECT_EQ(all[0].kind + " " + all[0].key, "inventory E1|I1");
  EXPECT_EQ(all[1].kind + " " + all[1].key, "order E1|O0");
  EXPECT_EQ(all[2].kind + " " + all[2].key, "order E1|O1");

  // A callback's error stops the scan and comes back unchanged.
  int calls = 0;
  Status s = store->ForEachDocument([&](DocumentRow&&) {
    ++calls;
    return Status::OutOfRange("enough");
  });
  EXPECT_EQ(s.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(calls, 1);
}

TEST(SqliteStore, EventsAppendInCommitOrder) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch a;
  a.events = {{0, "order", "K", 1, "accept", "first", 1, 10},
              {0, "order", "OTHER", 9, "", "", 0, 10},
              {0, "order", "K", 2, "check", "second", 1, 20}};
  ASSERT_TRUE(store->Apply(a).ok());
  Batch b;
  b.events = {{777 /* ignored */, "order", "K", 1, "back", "third: status may go back", 2, 5}};
  ASSERT_TRUE(store->Apply(b).ok());

  auto events = store->Events("order", "K");
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].info, "first");
  EXPECT_EQ((*events)[1].info, "second");
  EXPECT_EQ((*events)[2].info, "third: status may go back");
  EXPECT_EQ((*events)[2].rule, "back");
  EXPECT_EQ((*events)[2].message_seq, 2);
  EXPECT_EQ((*events)[2].at_ms, 5);  // order is commit order, not at_ms
  EXPECT_LT((*events)[0].seq, (*events)[1].seq);
  EXPECT_LT((*events)[1].seq, (*events)[2].seq);
  EXPECT_NE((*events)[2].seq, 777);  // the store assigns seq
  EXPECT_EQ(store->Events("order", "OTHER")->size(), 1u);
  EXPECT_TRUE(store->Events("waybill", "K")->empty());
}

TEST(SqliteStore, ReceiptsPerMessage) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch b;
  b.receipts = {{0, 5, "CEB312Message", "r1.xml", "<a>回执</a>"},
                {0, 6, "CEB312Message", "x.xml", "<b/>"},
                {0, 5, "CEB312Message", "r2.xml", "<c/>"}};
  ASSERT_TRUE(store->Apply(b).ok());
  auto r = store->ReceiptsForMessage(5);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "r1.xml");
  EXPECT_EQ((*r)[0].xml, "<a>回执</a>");
  EXPECT_EQ((*r)[0].message_seq, 5);
  EXPECT_EQ((*r)[0].type, "CEB312Message");
  EXPECT_EQ((*r)[1].name, "r2.xml");
  EXPECT_LT((*r)[0].seq, (*r)[1].seq);
  EXPECT_TRUE(store->ReceiptsForMessage(7)->empty());
}

TEST(SqliteStore, CountersKeepExactText) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  // Values a REAL column would change: trailing zeros, more digits than a
  // double holds, negative zero.
  const std::vector<CounterRow> rows = {{"quota", "110101199001011234|2025", "4321.50"},
                                        {"quota", "110101199001011234|2024", "0.10"},
                                        {"quota", "A|2025", "12345678901234567890.123456789"},
                                        {"ledger", "A", "-0.00"}};
  Batch b;
  b.counters = rows;
  ASSERT_TRUE(store->Apply(b).ok());
  for (const CounterRow& c : rows) {
    auto v = store->Counter(c.name, c.key);
    ASSERT_TRUE(v.ok() && v->has_value()) << c.key;
    EXPECT_EQ(**v, c.value);
  }
  Batch up;
  up.counters = {{"quota", "A|2025", "1.000"}};
  ASSERT_TRUE(store->Apply(up).ok());
  EXPECT_EQ(**store->Counter("quota", "A|2025"), "1.000");
  EXPECT_FALSE(store->Counter("ledger", "A|2025")->has_value());

  std::vector<CounterRow> quota;
  ASSERT_TRUE(store
                  ->ForEachCounter("quota",
                                   [&](CounterRow&& c) {
                                     quota.push_back(std::move(c));
                                     return Status::Ok();
                                   })
                  .ok());
  ASSERT_EQ(quota.size(), 3u);  // not the ledger row
  EXPECT_EQ(quota[0], (CounterRow{"quota", "110101199001011234|2024", "0.10"}));
  EXPECT_EQ(quota[1], (CounterRow{"quota", "110101199001011234|2025", "4321.50"}));
  EXPECT_EQ(quota[2], (CounterRow{"quota", "A|2025", "1.000"}));
}

TEST(SqliteStore, ForEachMessageFromSeqInOrder) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  Batch b;
  for (int64_t seq : {5, 1, 9, 3, 7}) b.messages.push_back(Msg(seq, fmt::format("raw {}", seq)));
  ASSERT_TRUE(store->Apply(b).ok());
  std::vector<int64_t> seen;
  ASSERT_TRUE(store
                  ->ForEachMessage(5,
                                   [&](MessageRow&& m) {
                                     EXPECT_EQ(m.raw, fmt::format("raw {}", m.seq));
                                     seen.push_back(m.seq);
                                     // A callback may read (and write) the store.
                                     EXPECT_TRUE(store->MessageBySeq(m.seq)->has_value());
                                     return Status::Ok();
                                   })
                  .ok());
  EXPECT_THAT(seen, ElementsAre(5, 7, 9));
  seen.clear();
  Status s = store->ForEachMessage(0, [&](MessageRow&& m) {
    seen.push_back(m.seq);
    return m.seq == 3 ? Status::Internal("stop") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_THAT(seen, ElementsAre(1, 3));
}

TEST(SqliteStore, ReopenKeepsEverything) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store);
    for (int64_t seq = 1; seq <= 50; ++seq) ASSERT_TRUE(store->Apply(test::MessageBatch(seq)).ok());
  }
  SqliteOptions existing;
  existing.create_if_missing = false;
  auto store = MustOpen(path, existing);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->MaxMessageSeq(), 50);
  for (int64_t seq = 1; seq <= 50; ++seq) {
    const Batch want = test::MessageBatch(seq);
    auto m = store->MessageBySeq(seq);
    ASSERT_TRUE(m.ok() && m->has_value());
    EXPECT_EQ(**m, want.messages[0]);
    EXPECT_THAT(*store->MessagesByKey("orderNo", want.keys[0].value), ElementsAre(seq));
    auto doc = store->Document(want.documents[0].kind, want.documents[0].key);
    ASSERT_TRUE(doc.ok() && doc->has_value());
    EXPECT_EQ(**doc, want.documents[0]);
    auto events = store->Events(want.events[0].kind, want.events[0].key);
    ASSERT_EQ(events->size(), 1u);
    EventRow e = (*events)[0];
    e.seq = 0;
    EXPECT_EQ(e, want.events[0]);
    auto receipts = store->ReceiptsForMessage(seq);
    ASSERT_EQ(receipts->size(), 1u);
    ReceiptRow r = (*receipts)[0];
    r.seq = 0;
    EXPECT_EQ(r, want.receipts[0]);
    EXPECT_EQ(**store->Counter("msg", want.counters[0].key), want.counters[0].value);
  }
}

TEST(SqliteStore, OpenErrors) {
  TempDir dir;
  SqliteOptions existing;
  existing.create_if_missing = false;
  auto missing = OpenSqlite(dir.File("absent.db"), existing);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir.File("absent.db")));

  const std::string garbage = dir.File("garbage.db");
  {
    std::ofstream out(garbage, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out << "this is not an SQLite file ";
  }
  auto bad = OpenSqlite(garbage);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption) << bad.status().ToString();
  EXPECT_THAT(bad.status().message(), HasSubstr(garbage));
  EXPECT_THAT(bad.status().message(), HasSubstr("not a database"));

  auto in_dir = OpenSqlite(dir.File("no/such/dir/x.db"));
  ASSERT_FALSE(in_dir.ok());
  EXPECT_EQ(in_dir.status().code(), StatusCode::kIOError) << in_dir.status().ToString();
  EXPECT_THAT(in_dir.status().message(), HasSubstr("open"));
}

TEST(SqliteStore, DamagedRawIsCorruption) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  auto store = MustOpen(path);
  ASSERT_TRUE(store);
  Batch b;
  b.messages = {Msg(1, test::OrderXml(1)), Msg(2, "plain")};
  ASSERT_TRUE(store->Apply(b).ok());
  ExecSql(
      path,
      "UPDATE messages SET raw = x'28b52ffd0000deadbeef' WHERE seq = 1");  // a broken zstd frame
  ExecSql(path, "UPDATE messages SET raw_size = 3 WHERE seq = 2");         // size disagrees
  for (int64_t seq : {1, 2}) {
    auto m = store->MessageBySeq(seq);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(m.status().message(), HasSubstr(fmt::format("seq {}", seq)));
  }
  EXPECT_EQ(store->ForEachMessage(0, [](MessageRow&&) { return Status::Ok(); }).code(),
            StatusCode::kCorruption);
}

// A damaged page (not the header) surfaces as SQLITE_CORRUPT -> Corruption.
TEST(SqliteStore, DamagedPageIsCorruption) {
  TempDir dir;
  const std::string path = dir.File("s.db");
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store);
    Batch b;
    for (int64_t seq = 1; seq <= 200; ++seq) b.messages.push_back(Msg(seq, std::string(500, 'x')));
    ASSERT_TRUE(store->Apply(b).ok());
  }  // last close checkpoints: everything is in the main file now
  const int64_t root = QueryInt(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'messages'");
  ASSERT_GT(root, 1);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * 4096);
    const std::string junk(4096, '\xA5');  // the table's root page becomes nonsense
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto store = OpenSqlite(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();  // schema pages are intact
  Status s = (*store)->ForEachMessage(0, [](MessageRow&&) { return Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr(path));
}

// WAL: reads run while a writer commits, and see only whole batches.
TEST(SqliteStore, ReadsRunDuringWrites) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int64_t seq = 1; seq <= 300; seq += 3) {
      Batch b;  // three messages and their keys, atomically
      for (int64_t s = seq; s < seq + 3; ++s) {
        b.messages.push_back(Msg(s, "r"));
        b.keys.push_back({s, "orderNo", fmt::format("O{}", s)});
      }
      EXPECT_TRUE(store->Apply(b).ok());
    }
    done = true;
  });
  int64_t last = 0;
  int reads = 0;
  while (!done || reads == 0) {
    auto max = store->MaxMessageSeq();
    ASSERT_TRUE(max.ok()) << max.status().ToString();
    EXPECT_GE(*max, last);
    EXPECT_EQ(*max % 3, 0) << "saw half a batch";
    if (*max > 0) {
      EXPECT_THAT(*store->MessagesByKey("orderNo", fmt::format("O{}", *max)), ElementsAre(*max));
    }
    last = *max;
    ++reads;
  }
  writer.join();
  EXPECT_EQ(*store->MaxMessageSeq(), 300);
}

TEST(SqliteStore, BatchAppendKeepsOrder) {
  Batch a = test::MessageBatch(1);
  Batch b = test::MessageBatch(2);
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(Batch{}.empty());
  Batch c;
  c.counters = {{"n", "k", "1"}};
  EXPECT_FALSE(c.empty());
  a.Append(std::move(b));
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].seq, 1);
  EXPECT_EQ(a.messages[1].seq, 2);
  EXPECT_EQ(a.keys.size(), 4u);
  EXPECT_EQ(a.keys[2].message_seq, 2);
  EXPECT_EQ(a.counters.size(), 2u);
  Batch empty;
  empty.Append(std::move(a));
  EXPECT_EQ(empty.messages.size(), 2u);
  EXPECT_EQ(empty.receipts.size(), 2u);
}

}  // namespace
}  // namespace dryport::store
