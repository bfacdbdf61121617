// Export summary consolidation (summary.h): a hand-computed fixture, the
// consolidation keys one by one, exact totals, and the store contract that
// `dryport summary --month` reads.
#include "clearance/summary.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/time.h"
#include "store/store.h"

namespace dryport::clearance {
namespace {

Decimal D(std::string_view s) { return Decimal::Parse(s).value(); }

ExportLine Line(int gnum, std::string hs, std::string gname, std::string country,
                std::string currency, std::string qty, std::string total,
                std::string item_name = "") {
  ExportLine l;
  l.gnum = gnum;
  l.hs = std::move(hs);
  l.gname = std::move(gname);
  l.item_name = std::move(item_name);
  l.country = std::move(country);
  l.currency = std::move(currency);
  l.unit1 = "035";
  l.qty = D(qty);
  l.qty1 = D("0.5");
  l.price = D("1");
  l.total = D(total);
  return l;
}

ExportList List(std::string invt_no, std::vector<ExportLine> lines, std::string owner = "O1",
                std::string country = "502") {
  ExportList l;
  l.key = "AGENT|" + invt_no;
  l.invt_no = std::move(invt_no);
  l.agent = "AGENT";
  l.ebc = "E1";
  l.ebp = "P1";
  l.owner = std::move(owner);
  l.order_no = "ORD" + l.invt_no;
  l.logistics_no = "LN" + l.invt_no;
  l.customs = "0501";
  l.port = "0501";
  l.country = std::move(country);
  l.traf_mode = "5";
  l.trade_mode = "9610";
  l.statistics_flag = "B";
  l.status = 800;
  l.released_ms = 1000;
  l.gross_weight = D("1.25");
  l.net_weight = D("1");
  l.lines = std::move(lines);
  return l;
}

// L1, L2, L7 share a header (consignor E1, air, country 502, exit 0501,
// 9610); L3 goes to 344; L4-L6 are not summarisable.
std::vector<ExportList> Fixture() {
  std::vector<ExportList> lists;
  lists.push_back(
      List("L1", {Line(1, "7013490000", "玻璃杯", "502", "142", "2", "20.00", "玻璃杯A"),
                  Line(2, "6912001000", "陶瓷碗", "502", "142", "1", "15.50")}));
  lists.push_back(
      List("L2", {Line(1, "7013490000", "玻璃杯", "502", "142", "3", "30.25", "玻璃杯B")}, "O2"));
  lists.push_back(
      List("L3", {Line(1, "7013490000", "玻璃杯", "344", "142", "1", "10")}, "O1", "344"));
  ExportList simplified = List("L4", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "10")});
  simplified.statistics_flag = "A";
  lists.push_back(simplified);
  ExportList summarised = List("L5", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "10")});
  summarised.sum_no = "05012025S000000001";
  lists.push_back(summarised);
  ExportList approved = List("L6", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "10")});
  approved.status = 399;
  lists.push_back(approved);
  // Destination country 304 on one line and a USD line: each its own
  // declaration line.
  ExportList mixed = List("L7", {Line(2, "7013490000", "玻璃杯", "502", "502", "1", "5"),
                                 Line(1, "7013490000", "玻璃杯", "304", "142", "1", "9.99")});
  mixed.status = 899;
  lists.push_back(mixed);
  return lists;
}

TEST(SummaryTest, SummarisableNeedsFlagBReleaseAndNoSummary) {
  const std::vector<ExportList> lists = Fixture();
  std::vector<std::string> yes;
  for (const ExportList& l : lists) {
    if (Summarisable(l)) yes.push_back(l.invt_no);
  }
  EXPECT_EQ(yes, (std::vector<std::string>{"L1", "L2", "L3", "L7"}));
}

TEST(SummaryTest, HandComputedDeclarations) {
  const std::vector<Declaration> decls = Consolidate(Fixture(), SummaryOptions::FromFlags("1", ""));
  ASSERT_EQ(decls.size(), 2u);

  // Headers in order: country 344 before 502.
  EXPECT_EQ(decls[0].header, (DeclarationHeader{"E1", "5", "", "344", "0501", "9610"}));
  EXPECT_EQ(decls[0].invt_nos, std::vector<std::string>{"L3"});
  ASSERT_EQ(decls[0].lines.size(), 1u);
  EXPECT_EQ(decls[0].lines[0].total, D("10"));

  const Declaration& d = decls[1];
  EXPECT_EQ(d.header, (DeclarationHeader{"E1", "5", "", "502", "0501", "9610"}));
  EXPECT_EQ(d.invt_nos, (std::vector<std::string>{"L1", "L2", "L7"}));
  ASSERT_EQ(d.lines.size(), 4u);
  // 1: glasses to 502 in CNY from L1 and L2 (the names differ, itemNameFlag
  // is not 1: they merge by commodity).
  EXPECT_EQ(d.lines[0].seq, 1);
  EXPECT_EQ(d.lines[0].hs, "7013490000");
  EXPECT_EQ(d.lines[0].currency, "142");
  EXPECT_EQ(d.lines[0].country, "502");
  EXPECT_EQ(d.lines[0].name, "玻璃杯");
  EXPECT_EQ(d.lines[0].qty, D("5"));
  EXPECT_EQ(d.lines[0].qty1, D("1.0"));
  EXPECT_EQ(d.lines[0].total, D("50.25"));
  EXPECT_EQ(d.lines[0].items, 2);
  // 2: bowls.
  EXPECT_EQ(d.lines[1].hs, "6912001000");
  EXPECT_EQ(d.lines[1].total, D("15.50"));
  // 3: L7 gnum 1 (destination 304); 4: L7 gnum 2 (USD).
  EXPECT_EQ(d.lines[2].country, "304");
  EXPECT_EQ(d.lines[2].total, D("9.99"));
  EXPECT_EQ(d.lines[3].currency, "502");
  EXPECT_EQ(d.lines[3].total, D("5"));
  // Items by invtNo then gnum, each pointing at its line.
  ASSERT_EQ(d.items.size(), 5u);
  const std::vector<std::tuple<std::string, int, int>> want = {
      {"L1", 1, 1}, {"L1", 2, 2}, {"L2", 1, 1}, {"L7", 1, 3}, {"L7", 2, 4}};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(d.items[i].invt_no, std::get<0>(want[i])) << i;
    EXPECT_EQ(d.items[i].gnum, std::get<1>(want[i])) << i;
    EXPECT_EQ(d.items[i].line, std::get<2>(want[i])) << i;
    EXPECT_EQ(d.items[i].logistics_no, "LN" + d.items[i].invt_no);
  }
  EXPECT_EQ(d.gross_weight, D("3.75"));
}

TEST(SummaryTest, ItemNameFlagSplitsByTheOriginalName) {
  const std::vector<Declaration> decls =
      Consolidate(Fixture(), SummaryOptions::FromFlags("1", "1"));
  ASSERT_EQ(decls.size(), 2u);
  const Declaration& d = decls[1];
  ASSERT_EQ(d.lines.size(), 5u);
  EXPECT_EQ(d.lines[0].name, "玻璃杯A");
  EXPECT_EQ(d.lines[0].total, D("20.00"));
  EXPECT_EQ(d.lines[1].name, "陶瓷碗");  // no itemName: the commodity name
  EXPECT_EQ(d.lines[2].name, "玻璃杯B");
  EXPECT_EQ(d.lines[2].total, D("30.25"));
}

TEST(SummaryTest, SummaryFlag2SplitsByProducer) {
  const std::vector<Declaration> decls = Consolidate(Fixture(), SummaryOptions::FromFlags("2", ""));
  ASSERT_EQ(decls.size(), 3u);
  EXPECT_EQ(decls[0].header.owner, "O1");
  EXPECT_EQ(decls[0].header.country, "344");
  EXPECT_EQ(decls[1].header.owner, "O1");
  EXPECT_EQ(decls[1].invt_nos, (std::vector<std::string>{"L1", "L7"}));
  EXPECT_EQ(decls[2].header.owner, "O2");
  EXPECT_EQ(decls[2].invt_nos, std::vector<std::string>{"L2"});
}

TEST(SummaryTest, EachHeaderKeySeparates) {
  auto two_lists = [](auto change) {
    std::vector<ExportList> lists = {
        List("A", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "1")}),
        List("B", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "1")})};
    change(lists[1]);
    return Consolidate(lists, SummaryOptions{}).size();
  };
  EXPECT_EQ(two_lists([](ExportList&) {}), 1u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.ebc = "E2"; }), 2u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.traf_mode = "3"; }), 2u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.country = "304"; }), 2u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.port = "0502"; }), 2u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.trade_mode = "1210"; }), 2u);
  EXPECT_EQ(two_lists([](ExportList& l) { l.owner = "O9"; }), 1u)
      << "summaryFlag 1: producer does not split";
  EXPECT_EQ(two_lists([](ExportList& l) { l.lines[0].hs = "7013410000"; }), 1u)
      << "a line key, not a header key";
}

TEST(SummaryTest, ExactDecimalTotals) {
  std::vector<ExportList> lists;
  for (int i = 0; i < 10; ++i) {
    lists.push_back(
        List("T" + std::to_string(i), {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "0.1")}));
  }
  lists.push_back(List("U", {Line(1, "7013490000", "玻璃杯", "502", "142", "0.00001", "0.00003")}));
  const std::vector<Declaration> decls = Consolidate(lists, SummaryOptions{});
  ASSERT_EQ(decls.size(), 1u);
  ASSERT_EQ(decls[0].lines.size(), 1u);
  EXPECT_EQ(decls[0].lines[0].total, D("1.00003"));  // no binary floating point
  EXPECT_EQ(decls[0].lines[0].qty, D("10.00001"));
}

TEST(SummaryTest, EveryListInExactlyOneDeclarationWhateverTheOrder) {
  std::vector<ExportList> lists = Fixture();
  lists.push_back(lists[0]);  // the same list twice counts once
  const std::vector<Declaration> forward = Consolidate(lists, SummaryOptions{});
  std::reverse(lists.begin(), lists.end());
  const std::vector<Declaration> backward = Consolidate(lists, SummaryOptions{});
  std::multiset<std::string> seen;
  for (const Declaration& d : forward) seen.insert(d.invt_nos.begin(), d.invt_nos.end());
  EXPECT_EQ(seen, (std::multiset<std::string>{"L1", "L2", "L3", "L7"}));
  ASSERT_EQ(forward.size(), backward.size());
  for (size_t i = 0; i < forward.size(); ++i) {
    EXPECT_EQ(forward[i].header, backward[i].header);
    EXPECT_EQ(forward[i].invt_nos, backward[i].invt_nos);
    ASSERT_EQ(forward[i].lines.size(), backward[i].lines.size());
    for (size_t j = 0; j < forward[i].lines.size(); ++j) {
      EXPECT_EQ(forward[i].lines[j].total, backward[i].lines[j].total);
      EXPECT_EQ(forward[i].lines[j].hs, backward[i].lines[j].hs);
    }
  }
}

TEST(SummaryTest, NothingSummarisableGivesNoDeclaration) {
  std::vector<ExportList> lists = Fixture();
  for (ExportList& l : lists) l.statistics_flag = "A";
  EXPECT_TRUE(Consolidate(lists, SummaryOptions{}).empty());
}

class SummaryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dryport-summary-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqlite((dir_ / "dryport.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Put(const ExportList& l, std::string_view kind = kExportListKind) {
    store::Batch b;
    b.documents.push_back({std::string(kind), l.key, l.status, 0, ExportListToJson(l).dump()});
    ASSERT_TRUE(store_->Apply(b).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SummaryStoreTest, TheMonthsReleasedListsRoundTrip) {
  const auto [from, to] = MonthRange("2025-10").value();
  EXPECT_EQ(from, Timestamp::FromCivil(2025, 10, 1).value().millis());
  EXPECT_EQ(to, Timestamp::FromCivil(2025, 11, 1).value().millis());

  std::vector<ExportList> fixture = Fixture();
  for (size_t i = 0; i < fixture.size(); ++i) {
    fixture[i].released_ms = from + static_cast<int64_t>(i) * Timestamp::kMillisPerDay;
    Put(fixture[i]);
  }
  ExportList november = List("N1", {Line(1, "7013490000", "玻璃杯", "502", "142", "1", "1")});
  november.released_ms = to;  // the first instant of November is not October's
  Put(november);
  Put(List("X1", {}), "export-order");  // another kind is ignored

  Result<std::vector<ExportList>> got = ReleasedExportLists(*store_, from, to);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  std::vector<std::string> nos;
  for (const ExportList& l : *got) nos.push_back(l.invt_no);
  // L6 (399) is not released; L4 (A) and L5 (summarised) are, and
  // Consolidate leaves them out.
  EXPECT_EQ(nos, (std::vector<std::string>{"L1", "L2", "L3", "L4", "L5", "L7"}));

  const ExportList& l1 = (*got)[0];
  EXPECT_EQ(l1.key, fixture[0].key);
  EXPECT_EQ(l1.status, 800);
  EXPECT_EQ(l1.owner, "O1");
  EXPECT_EQ(l1.gross_weight, D("1.25"));
  ASSERT_EQ(l1.lines.size(), 2u);
  EXPECT_EQ(l1.lines[0].item_name, "玻璃杯A");
  EXPECT_EQ(l1.lines[0].total, D("20.00"));
  EXPECT_EQ(l1.lines[0].unit1, "035");

  const std::vector<Declaration> from_store = Consolidate(*got, SummaryOptions{});
  const std::vector<Declaration> direct = Consolidate(fixture, SummaryOptions{});
  ASSERT_EQ(from_store.size(), direct.size());
  for (size_t i = 0; i < direct.size(); ++i) EXPECT_EQ(from_store[i].invt_nos, direct[i].invt_nos);
}

TEST_F(SummaryStoreTest, AStateWithoutLinesIsAnError) {
  store::Batch b;
  b.documents.push_back({std::string(kExportListKind), "A|C", 800, 0, R"({"status":800})"});
  ASSERT_TRUE(store_->Apply(b).ok());
  EXPECT_FALSE(ReleasedExportLists(*store_, 0, INT64_MAX).ok());
}

TEST(SummaryTest, MonthRangeRejectsNonMonths) {
  EXPECT_TRUE(MonthRange("2025-12").ok());
  EXPECT_EQ(MonthRange("2025-12")->second, Timestamp::FromCivil(2026, 1, 1).value().millis());
  EXPECT_FALSE(MonthRange("2025-13").ok());
  EXPECT_FALSE(MonthRange("202512").ok());
  EXPECT_FALSE(MonthRange("").ok());
}

}  // namespace
}  // namespace dryport::clearance
