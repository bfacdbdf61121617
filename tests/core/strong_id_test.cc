#include "core/strong_id.h"

#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_set>

#include <gtest/gtest.h>

namespace dryport {
namespace {

using OrderNo = StrongId<struct OrderNoTag>;
using WaybillNo = StrongId<struct WaybillNoTag>;
using ItemSeq = StrongId<struct ItemSeqTag, int64_t>;

// The point of the type: no implicit conversions in or between kinds.
static_assert(!std::is_convertible_v<std::string, OrderNo>);
static_assert(!std::is_convertible_v<OrderNo, WaybillNo>);
static_assert(!std::is_convertible_v<OrderNo, std::string>);
static_assert(std::is_constructible_v<OrderNo, std::string>);
static_assert(!std::is_constructible_v<WaybillNo, OrderNo>);

TEST(StrongId, ValueAndComparisons) {
  OrderNo a("ORD001"), b("ORD002"), a2(std::string("ORD001"));
  EXPECT_EQ(a.value(), "ORD001");
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_GT(b, a);
  EXPECT_EQ(OrderNo().value(), "");
  EXPECT_EQ(ItemSeq(3).value(), 3);
  EXPECT_LT(ItemSeq(2), ItemSeq(10));  // compares as the Rep (numbers), not text
  std::string moved = OrderNo("X9").value();
  EXPECT_EQ(moved, "X9");
}

TEST(StrongId, HashAndContainers) {
  std::unordered_set<OrderNo> set{OrderNo("A"), OrderNo("B"), OrderNo("A")};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.count(OrderNo("B")));
  EXPECT_EQ(std::hash<OrderNo>{}(OrderNo("A")), std::hash<std::string>{}("A"));
  std::set<ItemSeq> ordered{ItemSeq(3), ItemSeq(1), ItemSeq(2)};
  EXPECT_EQ(ordered.begin()->value(), 1);
  std::ostringstream os;
  os << OrderNo("ORD7");
  EXPECT_EQ(os.str(), "ORD7");
}

}  // namespace
}  // namespace dryport
