// Bad input never stops the engine or harms what is stored: malformed XML,
// a wrong encoding, an unknown message type, a truncated file, an empty
// file, binary garbage, a 100 MB file and a receipt sent as a declaration
// each get a CEB900 receipt or a clear error, are not stored, and change
// nothing. The proof: a clean corpus ingested in two halves with all of that
// in between ends in exactly the documents of an undisturbed run.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ceb/model.h"
#include "clearance/engine.h"
#include "store/store.h"
#include "tests/ceb/xsd_validator.h"
#include "tests/clearance/ingest_test_util.h"

namespace dryport::clearance {
namespace {

struct Db {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Engine> engine;
};

Db Open(const std::string& path) {
  Db db;
  Result<std::unique_ptr<store::Store>> s = store::OpenSqlite(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return db;
  db.store = std::move(s).value();
  EngineOptions options;
  options.clock = ClockMode::kMessage;
  options.risk = RiskConfig::Off();
  options.group_commit.max_delay = std::chrono::microseconds(0);
  Result<std::unique_ptr<Engine>> e = Engine::Open(*db.store, options);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  if (e.ok()) db.engine = std::move(e).value();
  return db;
}

std::map<std::string, std::pair<int, std::string>> Documents(store::Store& store) {
  std::map<std::string, std::pair<int, std::string>> out;
  EXPECT_TRUE(store
                  .ForEachDocument([&](store::DocumentRow&& d) {
                    out[d.kind + "|" + d.key] = {d.status, d.state};
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    traffic::GenOptions gen;
    gen.seed = 11;
    gen.orders = 40;
    gen.export_share = 0;  // the import flow is what this engine build decides
    corpus_ = test::Generate(gen);
    ASSERT_GT(corpus_.files.size(), 100u);
  }

  // A bad input: answered with exactly one CEB900 that names the problem,
  // nothing stored.
  void ExpectCeb900(Engine& engine, store::Store& store, std::string_view bytes, std::string_view what,
                    std::string_view must_mention = {}) {
    SCOPED_TRACE(std::string(what));
    const Result<int64_t> before = store.MaxMessageSeq();
    Result<Outcome> o = engine.Ingest(bytes, what);
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    EXPECT_EQ(o->message_seq, 0);
    EXPECT_FALSE(o->duplicate);
    ASSERT_EQ(o->receipts.size(), 1u);
    const Receipt& r = o->receipts[0];
    EXPECT_EQ(r.type, "CEB900Message");
    const std::string status = test::Field(r.xml, "returnStatus");
    EXPECT_TRUE(status.starts_with("-")) << status;
    const std::string info = test::Field(r.xml, "returnInfo");
    EXPECT_FALSE(info.empty());
    if (!must_mention.empty()) EXPECT_NE(info.find(must_mention), std::string::npos) << info;
    EXPECT_EQ(xsd_.Validate(r.xml, ceb::Side::kImport), "") << r.xml;
    EXPECT_EQ(*store.MaxMessageSeq(), *before) << "a bad input was stored";
  }

  test::TempDir dir_;
  test::Corpus corpus_;
  ceb::XsdValidator xsd_;
};

TEST_F(BadInputTest, BadInputIsAnsweredAndChangesNothing) {
  // The undisturbed run.
  Db clean = Open(dir_.File("clean.db"));
  ASSERT_TRUE(clean.engine);
  for (const auto& f : corpus_.files) ASSERT_TRUE(clean.engine->Ingest(f.bytes, f.name).ok()) << f.name;

  Db db = Open(dir_.File("disturbed.db"));
  ASSERT_TRUE(db.engine);
  const size_t half = corpus_.files.size() / 2;
  std::string a_receipt;  // a CEB312 the engine sent
  std::string an_order;   // a whole CEB311
  for (size_t i = 0; i < half; ++i) {
    Result<Outcome> o = db.engine->Ingest(corpus_.files[i].bytes, corpus_.files[i].name);
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    for (const Receipt& r : o->receipts) {
      if (r.type == "CEB312Message" && a_receipt.empty()) a_receipt = r.xml;
    }
    if (corpus_.files[i].name.find("-CEB311-") != std::string::npos) an_order = corpus_.files[i].bytes;
  }
  ASSERT_FALSE(a_receipt.empty());
  ASSERT_FALSE(an_order.empty());
  const auto documents_at_half = Documents(*db.store);

  // Malformed: an end tag that does not match, and text that is no XML.
  std::string mismatched = an_order;
  const size_t end_tag = mismatched.find("</ceb:orderNo>");
  ASSERT_NE(end_tag, std::string::npos);
  mismatched.insert(end_tag + 13, "X");
  ExpectCeb900(*db.engine, *db.store, mismatched, "mismatched end tag", "line");
  ExpectCeb900(*db.engine, *db.store, "this is not XML at all", "plain text");
  ExpectCeb900(*db.engine, *db.store, "", "an empty file");
  ExpectCeb900(*db.engine, *db.store, std::string("\x00\x01\x02\xff\xfe binary \x89PNG", 18), "binary garbage");
  ExpectCeb900(*db.engine, *db.store, "<?xml version=\"1.0\"?><html><body/></html>", "foreign XML");

  // Truncated at several points, never in the middle of a character.
  for (size_t cut : {an_order.size() / 5, an_order.size() / 2, an_order.size() - 20}) {
    while (cut > 0 && (static_cast<unsigned char>(an_order[cut]) & 0xC0) == 0x80) --cut;
    ExpectCeb900(*db.engine, *db.store, an_order.substr(0, cut), fmt::format("truncated at {}", cut));
  }

  // An unknown message type in the CEB namespace.
  std::string unknown = an_order;
  for (size_t at = unknown.find("CEB311Message"); at != std::string::npos; at = unknown.find("CEB311Message", at)) {
    unknown.replace(at, 13, "CEB399Message");
  }
  ExpectCeb900(*db.engine, *db.store, unknown, "unknown message type");

  // Wrong encoding: declared UTF-8, sent as GB18030 bytes (invalid UTF-8).
  std::string gb = an_order;
  const std::string chinese = "\xE8\xAE\xA2";  // the first byte of 订 in UTF-8 ...
  const size_t zh = gb.find(chinese);
  ASSERT_NE(zh, std::string::npos);
  gb.replace(zh, 3, "\xB6\xA9");  // ... 订 in GB18030
  {
    SCOPED_TRACE("GB18030 bytes declared UTF-8");
    Result<Outcome> o = db.engine->Ingest(gb, "wrong encoding");
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    ASSERT_EQ(o->receipts.size(), 1u);
    EXPECT_EQ(o->message_seq, 0) << "invalid UTF-8 must not be stored";
    EXPECT_EQ(o->receipts[0].type, "CEB900Message");
  }
  // Declared GB2312 and really GB18030 is fine; declared an encoding nobody
  // knows is a format failure.
  std::string unknown_encoding = an_order;
  const size_t decl = unknown_encoding.find("UTF-8");
  ASSERT_NE(decl, std::string::npos);
  unknown_encoding.replace(decl, 5, "KLINGON-8");
  ExpectCeb900(*db.engine, *db.store, unknown_encoding, "unknown encoding");

  // A 100 MB file, written to disk and read back as a gateway would: refused
  // before parsing (the reader's limit is 64 MiB), with a finding that says so.
  {
    const std::string path = dir_.File("huge.xml");
    {
      std::ofstream out(path, std::ios::binary);
      out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:CEB311Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">";
      const std::string chunk(1 << 20, ' ');
      for (int i = 0; i < 100; ++i) out << chunk;
      out << "</ceb:CEB311Message>\n";
    }
    std::ifstream in(path, std::ios::binary);
    const std::string huge((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(huge.size(), 100u << 20);
    ExpectCeb900(*db.engine, *db.store, huge, "a 100 MB file", "bytes");
  }

  // A receipt is no declaration: a clear error, nothing stored.
  {
    const Result<int64_t> before = db.store->MaxMessageSeq();
    Result<Outcome> o = db.engine->Ingest(a_receipt, "a receipt");
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(o.status().message().find("receipt"), std::string::npos) << o.status().message();
    EXPECT_EQ(*db.store->MaxMessageSeq(), *before);
  }

  // Nothing stored changed ...
  EXPECT_EQ(Documents(*db.store), documents_at_half);
  // ... and the engine goes on as if nothing had happened.
  for (size_t i = half; i < corpus_.files.size(); ++i) {
    Result<Outcome> o = db.engine->Ingest(corpus_.files[i].bytes, corpus_.files[i].name);
    ASSERT_TRUE(o.ok()) << corpus_.files[i].name << ": " << o.status().ToString();
  }
  EXPECT_EQ(Documents(*db.store), Documents(*clean.store));
  EXPECT_EQ(*db.store->MaxMessageSeq(), *clean.store->MaxMessageSeq());
  EXPECT_EQ(db.engine->counters().released, clean.engine->counters().released);

  // And a restart (replay) reads everything that was stored.
  db.engine.reset();
  EngineOptions options;
  options.clock = ClockMode::kMessage;
  options.risk = RiskConfig::Off();
  Result<std::unique_ptr<Engine>> reopened = Engine::Open(*db.store, options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->counters().released, clean.engine->counters().released);
}

}  // namespace
}  // namespace dryport::clearance
