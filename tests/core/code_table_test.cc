#include "core/code_table.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace dryport {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kSamplesDir = fs::path(DRYPORT_SHARED_DIR) / "conformance" / "public-samples";

const CodeTable& Table(std::string_view name) {
  const CodeTable* t = CodeTables::Builtin().Find(name);
  if (t == nullptr) throw std::runtime_error("no builtin table " + std::string(name));
  return *t;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- the builtin tables -----------------------------------------------------

// Expected code shape per table.
const std::map<std::string, std::string> kShapes = {
    {"country", "[0-9]{3}"},        {"currency", "[0-9]{3}"}, {"customs", "[0-9]{4}"},
    {"hs_chapter", "[0-9]{2}"},     {"id_type", "[0-9]"},     {"trade_mode", "[0-9]{4}"},
    {"transport_mode", "[0-9A-Z]"}, {"unit", "[0-9]{3}"},     {"wrap_type", "[0-9]"},
};

TEST(CodeTablesBuiltin, HasExactlyTheExpectedTables) {
  std::vector<std::string> expected;
  for (const auto& [name, shape] : kShapes) expected.push_back(name);
  EXPECT_EQ(CodeTables::Builtin().names(), expected);
  EXPECT_EQ(CodeTables::Builtin().Find("nonexistent"), nullptr);
}

TEST(CodeTablesBuiltin, EveryTableIsWellFormed) {
  for (const auto& [name, shape] : kShapes) {
    SCOPED_TRACE(name);
    const CodeTable* table = CodeTables::Builtin().Find(name);
    ASSERT_NE(table, nullptr);
    EXPECT_EQ(table->name(), name);
    EXPECT_FALSE(table->entries().empty());
    EXPECT_FALSE(table->title().empty());
    EXPECT_FALSE(table->source().empty());
    std::regex re(shape);
    std::set<std::string> seen;
    for (const CodeEntry& e : table->entries()) {
      EXPECT_TRUE(std::regex_match(e.code, re))
          << "code \"" << e.code << "\" does not match " << shape;
      EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
      EXPECT_FALSE(e.name_zh.empty()) << e.code;
      EXPECT_FALSE(e.name_en.empty()) << e.code;
      EXPECT_EQ(table->Find(e.code), &e);
    }
  }
}

TEST(CodeTablesBuiltin, EmbeddedCopyMatchesDataFolder) {
  // Catches a stale or lossy embedding: the build copy must equal the files.
  Result<CodeTables> disk = CodeTables::LoadDir(std::string(DRYPORT_DATA_DIR) + "/codes");
  ASSERT_TRUE(disk.ok()) << disk.status().ToString();
  ASSERT_EQ(disk->names(), CodeTables::Builtin().names());
  for (const std::string& name : disk->names()) {
    const CodeTable& a = *disk->Find(name);
    const CodeTable& b = *CodeTables::Builtin().Find(name);
    EXPECT_EQ(a.title(), b.title());
    EXPECT_EQ(a.source(), b.source());
    EXPECT_EQ(a.uncertain_note(), b.uncertain_note());
    ASSERT_EQ(a.entries().size(), b.entries().size()) << name;
    for (size_t i = 0; i < a.entries().size(); ++i) {
      EXPECT_EQ(a.entries()[i].code, b.entries()[i].code);
      EXPECT_EQ(a.entries()[i].name_zh, b.entries()[i].name_zh);
      EXPECT_EQ(a.entries()[i].name_en, b.entries()[i].name_en);
      EXPECT_EQ(a.entries()[i].uncertain, b.entries()[i].uncertain);
    }
  }
}

TEST(CodeTablesBuiltin, SameObjectFromEveryThread) {
  const CodeTables* first = &CodeTables::Builtin();
  std::vector<const CodeTables*> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &CodeTables::Builtin(); });
  }
  for (std::thread& t : threads) t.join();
  for (const CodeTables* p : seen) EXPECT_EQ(p, first);
}

TEST(CodeTablesBuiltin, KeyContent) {
  const CodeTable& currency = Table("currency");
  for (const char* code : {"110", "116", "133", "142", "300", "303", "344", "502"}) {
    EXPECT_TRUE(currency.Contains(code)) << code;
  }
  EXPECT_EQ(currency.Find("142")->name_zh, "人民币");
  EXPECT_FALSE(currency.Find("142")->uncertain);
  EXPECT_TRUE(currency.Find("502")->uncertain);
  EXPECT_TRUE(currency.uncertain());

  const CodeTable& country = Table("country");
  EXPECT_GE(country.entries().size(), 60u);
  // All 27 EU states, then the other partners the brief names.
  for (const char* code :
       {"315", "301", "316", "351", "108", "352", "302", "334", "318", "305", "304",
        "310", "321", "306", "307", "335", "336", "308", "324", "309", "327", "311",
        "328", "353", "350", "312", "330", "344", "145", "340", "502", "303", "116",
        "133", "132", "136", "141", "122", "601", "110", "121", "143", "142"}) {
    EXPECT_TRUE(country.Contains(code)) << code;
  }
  EXPECT_EQ(country.Find("142")->name_zh, "中国");
  EXPECT_FALSE(country.Find("142")->uncertain);
  EXPECT_TRUE(country.uncertain());

  const CodeTable& unit = Table("unit");
  for (const char* code : {"001", "006", "007", "011", "035", "036", "095", "096", "120", "125",
                           "136", "140", "142"}) {
    ASSERT_TRUE(unit.Contains(code)) << code;
    EXPECT_FALSE(unit.Find(code)->uncertain) << code;  // confirmed by ceb-messages.md §5
  }
  EXPECT_EQ(unit.Find("035")->name_zh, "千克");

  EXPECT_TRUE(Table("customs").Contains("0500"));
  EXPECT_EQ(Table("trade_mode").entries().size(), 5u);
  EXPECT_EQ(Table("transport_mode").entries().size(), 18u);
  EXPECT_FALSE(Table("transport_mode").uncertain());
  EXPECT_TRUE(Table("wrap_type").uncertain());
  EXPECT_EQ(Table("id_type").Find("1")->name_zh, "身份证");

  const CodeTable& hs = Table("hs_chapter");
  ASSERT_EQ(hs.entries().size(), 97u);
  for (int i = 1; i <= 97; ++i) {
    char code[3] = {static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10), 0};
    EXPECT_TRUE(hs.Contains(code)) << code;
  }
  EXPECT_EQ(hs.Find("85")->name_zh.substr(0, 6), "电机");
}

TEST(CodeTablesBuiltin, PlaceholdersAreAbsent) {
  for (const std::string& name : CodeTables::Builtin().names()) {
    EXPECT_FALSE(Table(name).Contains("aaa")) << name;
    EXPECT_FALSE(Table(name).Contains("AAA")) << name;
  }
  EXPECT_FALSE(Table("trade_mode").Contains("0101"));
  EXPECT_FALSE(Table("country").Contains("001"));
}

// --- the public samples -----------------------------------------------------

// Element local name -> table its value comes from.
const std::map<std::string, std::string> kFieldTables = {
    {"currency", "currency"},
    {"country", "country"},
    {"unit", "unit"},
    {"unit1", "unit"},
    {"unit2", "unit"},
    {"customsCode", "customs"},
    {"portCode", "customs"},
    {"iePort", "customs"},
    {"ieport", "customs"},
    {"trafMode", "transport_mode"},
    {"tradeMode", "trade_mode"},
    {"wrapType", "wrap_type"},
    {"buyerIdType", "id_type"},
    {"payerIdType", "id_type"},
};

struct SampleValue {
  std::string file, field, table, value;
};

std::vector<SampleValue> ScanSample(const fs::path& path) {
  std::vector<SampleValue> out;
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_file(path.c_str());
  EXPECT_TRUE(parsed) << path << ": " << parsed.description();
  struct Walker : pugi::xml_tree_walker {
    std::vector<SampleValue>* out;
    std::string file;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() != pugi::node_element) return true;
      std::string name = node.name();
      if (size_t colon = name.find(':'); colon != std::string::npos) name = name.substr(colon + 1);
      std::string value = node.child_value();
      if (value.empty()) return true;  // optional field left empty
      if (auto it = kFieldTables.find(name); it != kFieldTables.end()) {
        out->push_back({file, name, it->second, value});
      } else if (name == "gcode") {
        out->push_back({file, name, "hs_chapter", value.substr(0, 2)});
      }
      return true;
    }
  } walker;
  walker.out = &out;
  walker.file = path.filename().string();
  doc.traverse(walker);
  return out;
}

// The files SOURCES.md marks "**invalid**" (schema-invalid, some with
// placeholder values).
std::set<std::string> InvalidSamples() {
  std::set<std::string> invalid;
  std::istringstream in(ReadFile(kSamplesDir / "SOURCES.md"));
  std::regex row(R"(^\| (CEB[0-9]+Message-[0-9]+\.xml) \|.*\*\*invalid\*\*)");
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, m, row)) invalid.insert(m[1]);
  }
  return invalid;
}

std::vector<fs::path> SampleFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kSamplesDir)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CodeTablesSamples, EveryCodeInTheValidSamplesIsKnown) {
  ASSERT_TRUE(fs::is_directory(kSamplesDir)) << kSamplesDir;
  std::set<std::string> invalid = InvalidSamples();
  EXPECT_EQ(invalid.size(), 13u) << "SOURCES.md lists 13 invalid samples";
  EXPECT_TRUE(invalid.count("CEB303Message-1.xml"));  // the `aaa` file
  size_t checked_files = 0, checked_values = 0;
  for (const fs::path& path : SampleFiles()) {
    if (invalid.count(path.filename().string())) continue;
    ++checked_files;
    for (const SampleValue& v : ScanSample(path)) {
      ++checked_values;
      EXPECT_TRUE(Table(v.table).Contains(v.value))
          << v.file << ": " << v.field << " \"" << v.value << "\" is not in table " << v.table;
    }
  }
  EXPECT_EQ(checked_files, 34u);  // ceb-messages.md §11: 34 of 47 are valid
  EXPECT_GT(checked_values, 200u);
}

TEST(CodeTablesSamples, InvalidSamplesHoldOnlyTheKnownPlaceholders) {
  // The invalid samples are mostly real data too; every code in them must be
  // known except the placeholders of ceb-messages.md §10 item 5 (and the
  // country 001 that sits beside them in CEB603Message-1.xml).
  const std::set<std::pair<std::string, std::string>> placeholders = {
      {"currency", "aaa"}, {"unit", "aaa"}, {"tradeMode", "0101"}, {"country", "001"}};
  std::set<std::pair<std::string, std::string>> placeholders_seen;
  for (const fs::path& path : SampleFiles()) {
    for (const SampleValue& v : ScanSample(path)) {
      if (placeholders.count({v.field, v.value})) {
        placeholders_seen.insert({v.field, v.value});
        EXPECT_FALSE(Table(v.table).Contains(v.value)) << v.field << " " << v.value;
        continue;
      }
      EXPECT_TRUE(Table(v.table).Contains(v.value))
          << v.file << ": " << v.field << " \"" << v.value << "\" is not in table " << v.table;
    }
  }
  EXPECT_EQ(placeholders_seen, placeholders);  // the scan really sees them
}

// --- parsing ----------------------------------------------------------------

TEST(CodeTableParse, Rfc4180AndComments) {
  const std::string csv =
      "\xEF\xBB\xBF# title: Test table\r\n"
      "# source: line one\r\n"
      "# source: line two\r\n"
      "# note: ignored\r\n"
      "\r\n"
      "code,name_zh,name_en,uncertain\r\n"
      "A1,甲,\"Comma, inside\",0\r\n"
      "B2,乙,\"He said \"\"hi\"\"\",1\r\n"
      "C3,\"多\n行\",Multi-line,0\r\n"
      "\r\n"
      "D4,,English only,0";  // no final line end
  Result<CodeTables> tables = CodeTables::ParseCsv("test", csv, "test.csv");
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  const CodeTable* t = tables->Find("test");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->title(), "Test table");
  EXPECT_EQ(t->source(), "line one line two");
  EXPECT_FALSE(t->uncertain());
  ASSERT_EQ(t->entries().size(), 4u);
  EXPECT_EQ(t->Find("A1")->name_en, "Comma, inside");
  EXPECT_EQ(t->Find("B2")->name_en, "He said \"hi\"");
  EXPECT_TRUE(t->Find("B2")->uncertain);
  EXPECT_EQ(t->Find("C3")->name_zh, "多\n行");
  EXPECT_EQ(t->Find("D4")->line, 12);  // the multi-line field and blank line count
  EXPECT_EQ(t->Find("D4")->name_zh, "");
  EXPECT_FALSE(t->Contains("a1"));  // case-sensitive
  EXPECT_EQ(t->Find(""), nullptr);
}

TEST(CodeTableParse, WholeTableUncertain) {
  Result<CodeTables> tables = CodeTables::ParseCsv(
      "t", "# uncertain: not verified\ncode,name_zh,name_en,uncertain\n1,一,one,0\n");
  ASSERT_TRUE(tables.ok());
  EXPECT_TRUE(tables->Find("t")->uncertain());
  EXPECT_EQ(tables->Find("t")->uncertain_note(), "not verified");
}

void ExpectCsvError(std::string_view csv, std::string_view expected) {
  Result<CodeTables> r = CodeTables::ParseCsv("t", csv, "dir/t.csv");
  ASSERT_FALSE(r.ok()) << "accepted:\n" << csv;
  EXPECT_THAT(r.status().message(), HasSubstr(std::string(expected)));
}

TEST(CodeTableParse, ErrorsNameFileLineAndProblem) {
  const std::string header = "code,name_zh,name_en,uncertain\n";
  ExpectCsvError("# title: x\ncode,name,uncertain\n1,a,0\n",
                 "dir/t.csv:2: header must be \"code,name_zh,name_en,uncertain\", found "
                 "\"code,name,uncertain\"");
  ExpectCsvError("# title: only comments\n", "dir/t.csv:2: missing header line");
  ExpectCsvError(header, "dir/t.csv:2: the table has no entries");
  ExpectCsvError("# c\n" + header + "142,人民币,CNY,0\n110,港币,HKD,0\n142,again,again,0\n",
                 "dir/t.csv:5: duplicate code \"142\" (first on line 3)");
  ExpectCsvError(header + "1,a,b\n", "dir/t.csv:2: expected 4 fields");
  ExpectCsvError(header + "1,a,b,0,extra\n", "found 5");
  ExpectCsvError(header + "1,a,b,yes\n", "dir/t.csv:2: uncertain must be 0 or 1, found \"yes\"");
  ExpectCsvError(header + ",a,b,0\n", "dir/t.csv:2: empty code");
  ExpectCsvError(header + "1 2,a,b,0\n", "dir/t.csv:2: code \"1 2\" contains ' '");
  ExpectCsvError(header + "1,,,0\n", "dir/t.csv:2: code \"1\" has neither name_zh nor name_en");
  ExpectCsvError(header + "1,a,b,0\n2,\"open,b,0\n", "dir/t.csv:3: quoted field is not closed");
  ExpectCsvError(header + "1,\"a\"x,b,0\n", "dir/t.csv:2: unexpected 'x' after a closing quote");
  ExpectCsvError(header + "1,a\"b,c,0\n", "dir/t.csv:2: '\"' inside an unquoted field");
  ExpectCsvError(header + "1,a,b,0\n2,\xC8\xCB\xC3\xF1\xB1\xD2,CNY,0\n",  // 人民币 in GBK
                 "dir/t.csv:3: not valid UTF-8");
  Result<CodeTables> bad_name = CodeTables::ParseCsv("bad name", header + "1,a,b,0\n");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_THAT(bad_name.status().message(), HasSubstr("table name"));
}

// --- LoadDir ----------------------------------------------------------------

class LoadDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dryport_code_tables_" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }
  fs::path dir_;
};

TEST_F(LoadDirTest, LoadsEveryCsv) {
  Write("currency.csv", "# title: c\ncode,name_zh,name_en,uncertain\n142,人民币,CNY,0\n");
  Write("unit.csv", "code,name_zh,name_en,uncertain\n035,千克,kg,0\n");
  Write("README.md", "not a table");
  Result<CodeTables> tables = CodeTables::LoadDir(dir_.string());
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  EXPECT_EQ(tables->names(), (std::vector<std::string>{"currency", "unit"}));
  EXPECT_TRUE(tables->Find("currency")->Contains("142"));
  EXPECT_EQ(tables->Find("country"), nullptr);
}

TEST_F(LoadDirTest, BadHeaderNamesFileAndLine) {
  Write("unit.csv", "# title: u\n# source: s\ncode;name_zh;name_en;uncertain\n035;千克;kg;0\n");
  Result<CodeTables> tables = CodeTables::LoadDir(dir_.string());
  ASSERT_FALSE(tables.ok());
  EXPECT_THAT(tables.status().message(),
              HasSubstr((dir_ / "unit.csv").string() + ":3: header must be"));
}

TEST_F(LoadDirTest, DuplicateCodeNamesFileAndLine) {
  Write("country.csv",
        "code,name_zh,name_en,uncertain\n142,中国,China,0\n116,日本,Japan,1\n116,日本,Japan,1\n");
  Result<CodeTables> tables = CodeTables::LoadDir(dir_.string());
  ASSERT_FALSE(tables.ok());
  EXPECT_THAT(tables.status().message(), HasSubstr((dir_ / "country.csv").string() +
                                                   ":4: duplicate code \"116\" (first on line 3)"));
}

TEST_F(LoadDirTest, MissingOrEmptyFolder) {
  Result<CodeTables> empty = CodeTables::LoadDir(dir_.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(empty.status().message(), HasSubstr("no .csv"));
  Result<CodeTables> missing = CodeTables::LoadDir((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("nope"));
}

}  // namespace
}  // namespace dryport
