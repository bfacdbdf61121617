// The document-level findings on every public sample, pinned. Each entry
// was checked by hand against the file (the comment says why it is true);
// a sample without an entry must have no document finding at all.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ceb/codec.h"

namespace dryport::ceb {
namespace {

namespace fs = std::filesystem;

using RulePath = std::pair<std::string, std::string>;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path SampleDir() { return fs::path(DRYPORT_SHARED_DIR) / "conformance/public-samples"; }

// "/CEB311Message/Order[%d]/OrderHead/acturalPaid" for d in 1..n.
std::set<RulePath> Each(const std::string& rule, const std::string& pattern, int n) {
  std::set<RulePath> out;
  for (int i = 1; i <= n; ++i) {
    const size_t at = pattern.find("%d");
    out.emplace(rule, pattern.substr(0, at) + std::to_string(i) + pattern.substr(at + 2));
  }
  return out;
}

std::set<RulePath> Union(std::initializer_list<std::set<RulePath>> sets) {
  std::set<RulePath> out;
  for (const auto& s : sets) out.insert(s.begin(), s.end());
  return out;
}

const std::map<std::string, std::set<RulePath>>& Expected() {
  static const std::map<std::string, std::set<RulePath>> m = {
      // Official export order sample: every head says goodsValue
      // 12345678912345.12345 (a digits-facet placeholder) while its one line
      // has totalPrice 2000 (100 × 20).
      {"CEB303Message-1.xml",
       Each("doc.goods-value", "/CEB303Message/Order[%d]/OrderHead/goodsValue", 10)},
      // Official import order sample: in all 6 orders line 2 has qty 200,
      // price 10 but totalPrice 12000 (200 × 10 = 2000); goodsValue 14000 is
      // the sum of the declared totals and acturalPaid 19050 = 14000 + 5000
      // + 50 - 0, so only the line total is wrong.
      {"CEB311Message-1.xml",
       Each("doc.total-price", "/CEB311Message/Order[%d]/OrderList[2]/totalPrice", 6)},
      // Real Xi'an bonded orders: goodsValue agrees with the lines (1780 +
      // 1023.3 = 2803.3; 1145.6 + 1382.7 = 2528.3) but acturalPaid does not:
      // 2803.3 + 0 + 255.1 - 0 = 3058.4 ≠ 2965.28, and 2528.3 + 0 + 230.07 - 0
      // = 2758.37 ≠ 2632.54 (a discount was given but declared as 0).
      {"CEB311Message-2.xml",
       Each("doc.actural-paid", "/CEB311Message/Order[%d]/OrderHead/acturalPaid", 2)},
      // Official import waybill sample: packNo 6000 in all 6 waybills; the
      // XSD says "单个运单下包裹数，限定为“1”".
      {"CEB511Message-1.xml",
       Each("doc.pack-no", "/CEB511Message/Logistics[%d]/LogisticsHead/packNo", 6)},
      // Official waybill-status sample: logisticsStatus R in all 10; the
      // standard allows only S ("物流签收状态，限定S", ceb-messages.md §5, §10.5).
      {"CEB513Message-1.xml",
       Each("doc.logistics-status", "/CEB513Message/LogisticsStatus[%d]/logisticsStatus", 10)},
      // Official export inventory sample: each inventory's one line has qty
      // 100, price 20, totalPrice 200 (100 × 20 = 2000).
      {"CEB603Message-1.xml",
       Each("doc.total-price", "/CEB603Message/Inventory[%d]/InventoryList[1]/totalPrice", 10)},
      // Official import inventory sample, all 10 inventories: packNo 6000
      // ("件数为包裹数量，限定为“1”"); line 1 qty 100 × price 20 = 2000 but
      // totalPrice 20; line 2 qty 200 × price 60 = 12000 but totalPrice 12.
      {"CEB621Message-1.xml",
       Union(
           {Each("doc.pack-no", "/CEB621Message/Inventory[%d]/InventoryHead/packNo", 10),
            Each("doc.total-price", "/CEB621Message/Inventory[%d]/InventoryList[1]/totalPrice", 10),
            Each("doc.total-price", "/CEB621Message/Inventory[%d]/InventoryList[2]/totalPrice",
                 10)})},
  };
  return m;
}

TEST(PublicSamplesDocument, FindingsAreExactlyThePinnedOnes) {
  Reader reader;
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(SampleDir())) {
    if (entry.path().extension() != ".xml") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    const CheckResult check =
        Check(reader, Slurp(entry.path()), CodeTables::Builtin(), /*strict=*/false);
    ASSERT_TRUE(check.message.has_value()) << name;
    std::set<RulePath> actual;
    std::string described;
    for (const Finding& f : check.findings) {
      if (f.level != Level::kDocument) continue;
      actual.emplace(f.rule, f.path);
      described += "  " + f.rule + " " + f.path + " line " + std::to_string(f.line) + ": " +
                   f.message + "\n";
      EXPECT_EQ(f.severity, Severity::kError) << name << " " << f.path;
      EXPECT_GT(f.line, 0) << name << " " << f.path << ": a document finding points at a line";
      EXPECT_FALSE(f.message.empty());
    }
    const auto it = Expected().find(name);
    const std::set<RulePath> expected = it == Expected().end() ? std::set<RulePath>{} : it->second;
    EXPECT_EQ(actual, expected) << name << "\n" << described;
  }
  EXPECT_EQ(files, 47u);
}

}  // namespace
}  // namespace dryport::ceb
