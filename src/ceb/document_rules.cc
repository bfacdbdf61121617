// Document-level rules: what the CEB standard requires inside ONE message
// that no XSD can express (sums, numbering, ranges, values fixed by the
// message type, the resident ID check digit). docs/ceb-validation.md lists
// every rule with its source. Rules that need other documents (three-document
// matching, quotas, account-book balances) belong to the clearance engine.
//
// The generated model types differ between the export and import schemas
// (exp::OrderList vs imp::OrderList) but carry the standard's own field
// names, so each rule is written once as a template that asks "does this
// element have qty, price and totalPrice?" (a requires-expression) and so
// applies to every element type of either schema that has them.
//
// A rule says nothing about a value the schema already rejects (absent,
// not a number, not in the closed set): schema.* reports that, and a second
// finding about the same field would only repeat it.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "ceb/codec.h"
#include "ceb/document_rules_id_number.h"
#include "core/decimal.h"
#include "core/time.h"

namespace dryport::ceb {
namespace {

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The value as written, for messages.
std::string_view Shown(const Text& t) { return Trim(t.value); }

// Present with a value: an empty element (<ceb:emsNo/>) names nothing.
bool Given(const Text& t) { return !Shown(t).empty(); }

std::optional<Decimal> AsDecimal(const Text& t) {
  if (!Given(t)) return std::nullopt;
  Result<Decimal> d = Decimal::Parse(t.value);
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::optional<int64_t> AsInt(const Text& t) {
  std::string_view v = Shown(t);
  if (v.starts_with('+')) v.remove_prefix(1);  // xs:int allows a plus sign
  int64_t out = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return out;
}

// Where a finding about `t` points: the field itself, or its parent element
// when the field is absent.
SourcePos At(const Text& t, SourcePos parent) { return t.pos.offset != 0 ? t.pos : parent; }

// Builds paths in the schema validator's style (/CEB311Message/Order[2]/
// OrderList[1]/totalPrice) and collects the findings.
class Checker {
 public:
  Checker(const MessageInfo& info, std::vector<Finding>& out)
      : type_(info.type), side_(info.side), path_("/" + std::string(info.root)), out_(out) {}

  MessageType type() const { return type_; }
  Side side() const { return side_; }

  class Scope {
   public:
    Scope(std::string& path, size_t restore) : path_(path), restore_(restore) {}
    ~Scope() { path_.resize(restore_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::string& path_;
    size_t restore_;
  };

  // `index` is the 1-based position of a repeated element (a std::vector in
  // the model: the XSD lets it occur more than once), 0 for a single one.
  Scope Enter(std::string_view element, size_t index) {
    const size_t restore = path_.size();
    path_ += '/';
    path_ += element;
    if (index > 0) path_ += fmt::format("[{}]", index);
    return Scope(path_, restore);
  }

  // A finding about `field`, a child of the current element.
  void Report(std::string_view rule, std::string_view field, SourcePos at, std::string message) {
    Finding f;
    f.level = Level::kDocument;
    f.severity = Severity::kError;
    f.rule = std::string(rule);
    f.path = path_ + "/" + std::string(field);
    f.message = std::move(message);
    f.offset = at.offset;
    out_.push_back(std::move(f));
  }

 private:
  MessageType type_;
  Side side_;
  std::string path_;
  std::vector<Finding>& out_;
};

// "1, 2, 4" for messages; long lists are cut.
template <class T>
std::string Listed(const std::vector<T>& values, std::string_view separator) {
  constexpr size_t kShown = 12;
  std::string out;
  for (size_t i = 0; i < values.size() && i < kShown; ++i) {
    if (i > 0) out += separator;
    out += fmt::format("{}", values[i]);
  }
  if (values.size() > kShown) out += fmt::format("{}… ({} in all)", separator, values.size());
  return out;
}

// "5 decimals on the wire, 2 in business rules" (customs-rules.md §7 item 1; §3
// "exact equality to 0.01 CNY"): two amounts agree when both, rounded
// half-up to the fen, are equal.
bool SameAmount(const Decimal& a, const Decimal& b) { return a.Rounded(2) == b.Rounded(2); }

// ------------------------------------------------------------ element rules

// doc.negative: every xs:decimal field of the standard is a quantity, price,
// amount, weight or tax, and packNo counts parcels; none can be negative.
// A gift is declared with price 0 (import OrderList.price: "赠品单价填写为“0”").
// The list is every decimal field name of the 2022-05 spec (a test walks
// the spec and checks that each one is covered).
template <class T>
void CheckNotNegative(Checker& c, const T& x) {
  auto check = [&](std::string_view name, const Text& t) {
    const std::optional<Decimal> d = AsDecimal(t);
    if (d && d->IsNegative()) {
      c.Report(
          "doc.negative", name, At(t, x.pos),
          fmt::format("{} is {}; quantities, prices, amounts, weights and taxes are never negative "
                      "(a gift has price 0)",
                      name, Shown(t)));
    }
  };
#define DRYPORT_CEB_AMOUNT(field) \
  if constexpr (requires { x.field; }) check(#field, x.field)
  DRYPORT_CEB_AMOUNT(goodsValue);
  DRYPORT_CEB_AMOUNT(freight);
  DRYPORT_CEB_AMOUNT(discount);
  DRYPORT_CEB_AMOUNT(taxTotal);
  DRYPORT_CEB_AMOUNT(acturalPaid);
  DRYPORT_CEB_AMOUNT(charge);
  DRYPORT_CEB_AMOUNT(amountPaid);
  DRYPORT_CEB_AMOUNT(insuredFee);
  DRYPORT_CEB_AMOUNT(qty);
  DRYPORT_CEB_AMOUNT(qty1);
  DRYPORT_CEB_AMOUNT(qty2);
  DRYPORT_CEB_AMOUNT(price);
  DRYPORT_CEB_AMOUNT(totalPrice);
  DRYPORT_CEB_AMOUNT(grossWeight);
  DRYPORT_CEB_AMOUNT(netWeight);
  DRYPORT_CEB_AMOUNT(weight);
  DRYPORT_CEB_AMOUNT(taxPrice);
  DRYPORT_CEB_AMOUNT(customsTax);
  DRYPORT_CEB_AMOUNT(valueAddedTax);
  DRYPORT_CEB_AMOUNT(consumptionTax);
  DRYPORT_CEB_AMOUNT(packNo);
#undef DRYPORT_CEB_AMOUNT
}

// doc.total-price: a goods line's totalPrice = qty × price (import OrderList
// XSD doc "商品总价，等于单价乘以数量"; ceb-messages.md §7 lists qty, price,
// totalPrice on every order and inventory line), compared to the fen.
template <class L>
void CheckLineTotal(Checker& c, const L& l) {
  const std::optional<Decimal> qty = AsDecimal(l.qty);
  const std::optional<Decimal> price = AsDecimal(l.price);
  const std::optional<Decimal> total = AsDecimal(l.totalPrice);
  if (!qty || !price || !total) return;
  const Result<Decimal> product = Decimal::CheckedMul(*qty, *price);
  if (!product.ok() || SameAmount(*product, *total))
    return;  // overflow: N19,5 is broken, schema says so
  c.Report("doc.total-price", "totalPrice", At(l.totalPrice, l.pos),
           fmt::format("totalPrice {} ≠ qty {} × price {} = {}", Shown(l.totalPrice), Shown(l.qty),
                       Shown(l.price), product->ToString()));
}

// doc.actural-paid: acturalPaid = goodsValue + freight + taxTotal − discount
// (ceb-messages.md §7.2 CEB311; customs-rules.md §3 "Payment amount").
template <class H>
void CheckActuralPaid(Checker& c, const H& h) {
  const std::optional<Decimal> goods = AsDecimal(h.goodsValue);
  const std::optional<Decimal> freight = AsDecimal(h.freight);
  const std::optional<Decimal> tax = AsDecimal(h.taxTotal);
  const std::optional<Decimal> discount = AsDecimal(h.discount);
  const std::optional<Decimal> paid = AsDecimal(h.acturalPaid);
  if (!goods || !freight || !tax || !discount || !paid) return;
  Result<Decimal> sum = Decimal::CheckedAdd(*goods, *freight);
  if (sum.ok()) sum = Decimal::CheckedAdd(*sum, *tax);
  if (sum.ok()) sum = Decimal::CheckedSub(*sum, *discount);
  if (!sum.ok() || SameAmount(*sum, *paid)) return;
  c.Report(
      "doc.actural-paid", "acturalPaid", At(h.acturalPaid, h.pos),
      fmt::format("acturalPaid {} ≠ goodsValue {} + freight {} + taxTotal {} − discount {} = {}",
                  Shown(h.acturalPaid), Shown(h.goodsValue), Shown(h.freight), Shown(h.taxTotal),
                  Shown(h.discount), sum->ToString()));
}

// doc.msg-seq: a split message is number msgSeqNo of msgCount, counted from
// 1 (ceb-messages.md §4 msgCount/msgSeqNo; XSD doc "以1开始的报文顺序号").
template <class H>
void CheckMessageSequence(Checker& c, const H& h) {
  const std::optional<int64_t> count = AsInt(h.msgCount);
  const std::optional<int64_t> seq = AsInt(h.msgSeqNo);
  if (count && *count < 1) {
    c.Report("doc.msg-seq", "msgCount", At(h.msgCount, h.pos),
             fmt::format("msgCount is {}; a message that is not split has msgCount 1", *count));
  }
  if (seq && *seq < 1) {
    c.Report("doc.msg-seq", "msgSeqNo", At(h.msgSeqNo, h.pos),
             fmt::format("msgSeqNo is {}; split messages are numbered from 1", *seq));
  } else if (seq && count && *count >= 1 && *seq > *count) {
    c.Report("doc.msg-seq", "msgSeqNo", At(h.msgSeqNo, h.pos),
             fmt::format("msgSeqNo {} > msgCount {}: message {} of {} cannot exist", *seq, *count,
                         *seq, *count));
  }
}

// doc.time-range: startTime/endTime (CEB701) "填写须成对，结束时间须大于等于开始时间"
// (XSD doc; ceb-messages.md §7.1, §8.5).
template <class H>
void CheckTimeRange(Checker& c, const H& h) {
  const bool has_start = Given(h.startTime);
  const bool has_end = Given(h.endTime);
  if (has_start != has_end) {
    const std::string_view missing = has_start ? "endTime" : "startTime";
    const Text& given = has_start ? h.startTime : h.endTime;
    c.Report("doc.time-range", missing, At(given, h.pos),
             fmt::format("{} is given without {}; a summary time range has both ends or neither",
                         has_start ? "startTime" : "endTime", missing));
    return;
  }
  if (!has_start) return;
  const Result<Timestamp> start = Timestamp::Parse(Shown(h.startTime), TimeFormat::kCompactSeconds);
  const Result<Timestamp> end = Timestamp::Parse(Shown(h.endTime), TimeFormat::kCompactSeconds);
  if (start.ok() && end.ok() && *end < *start) {
    c.Report(
        "doc.time-range", "endTime", At(h.endTime, h.pos),
        fmt::format("endTime {} is before startTime {}; the range must not end before it starts",
                    Shown(h.endTime), Shown(h.startTime)));
  }
}

// doc.weight: the net weight is the gross weight less the packing
// (XSD doc of netWeight "货物的毛重减去外包装材料后的重量"), so it cannot exceed it.
template <class H>
void CheckWeights(Checker& c, const H& h) {
  const std::optional<Decimal> gross = AsDecimal(h.grossWeight);
  const std::optional<Decimal> net = AsDecimal(h.netWeight);
  if (gross && net && *net > *gross) {
    c.Report(
        "doc.weight", "netWeight", At(h.netWeight, h.pos),
        fmt::format(
            "netWeight {} > grossWeight {}; the net weight is the gross weight less the packing",
            Shown(h.netWeight), Shown(h.grossWeight)));
  }
}

// A value the standard fixes for this message although the XSD allows more.
// `known` is the field's closed set in the schema (empty: any value); a
// value outside it is schema.code's finding, not this rule's.
void ExpectValue(Checker& c, SourcePos parent, std::string_view name, const Text& t,
                 std::string_view want, std::initializer_list<std::string_view> known,
                 std::string_view rule, std::string_view why) {
  const std::string_view v = Shown(t);
  if (v.empty() || v == want) return;
  if (known.size() > 0 && std::find(known.begin(), known.end(), v) == known.end()) return;
  c.Report(rule, name, At(t, parent),
           fmt::format("{} is {}; {} must be {} ({})", name, v, name, want, why));
}

// doc.id-type and doc.id-number: buyerIdType/payerIdType "1-身份证,2-其它。
// 限定为身份证，填写“1”" (XSD22-I; ceb-messages.md §5), and an identity card
// number is an 18-character citizen identification number, GB 11643-1999,
// whose last character is the ISO 7064 MOD 11-2 check character.
void CheckIdentity(Checker& c, SourcePos parent, std::string_view type_name, const Text& type,
                   std::string_view number_name, const Text& number) {
  ExpectValue(c, parent, type_name, type, "1", {"1", "2"}, "doc.id-type",
              "限定为身份证, ceb-messages.md §5");
  if (Shown(type) != "1" || !Given(number)) return;
  const std::string problem = internal::ResidentIdProblem(Shown(number));
  if (!problem.empty()) {
    c.Report("doc.id-number", number_name, At(number, parent),
             fmt::format("{} '{}' is not a resident ID number ({} is 1, 身份证): it {}",
                         number_name, Shown(number), type_name, problem));
  }
}

// The ieFlag a message type fixes. Arrival (507) and delivery (711) heads
// may say either, so they are not here.
struct IeFlagRule {
  MessageType type;
  std::string_view want;
  std::string_view why;
};
constexpr IeFlagRule kIeFlagRules[] = {
    {MessageType::kCeb603, "E", "CEB603 is an export inventory, ceb-messages.md §7.1"},
    {MessageType::kCeb621, "I", "CEB621 is an import inventory, ceb-messages.md §7.2"},
    {MessageType::kCeb213, "I",
     "an export return comes in: 出口退货填写I, ceb-messages.md §5 ieFlag"},
    {MessageType::kCeb215, "I",
     "an export return comes in: 出口退货填I, ceb-messages.md §5 ieFlag"},
};

// Every rule about one element's own fields, applied wherever the element
// has the fields it needs.
template <class T>
void CheckElement(Checker& c, const T& x) {
  CheckNotNegative(c, x);
  if constexpr (requires {
                  x.qty;
                  x.price;
                  x.totalPrice;
                })
    CheckLineTotal(c, x);
  if constexpr (requires {
                  x.acturalPaid;
                  x.goodsValue;
                  x.freight;
                  x.taxTotal;
                  x.discount;
                }) {
    CheckActuralPaid(c, x);
  }
  if constexpr (requires {
                  x.msgCount;
                  x.msgSeqNo;
                })
    CheckMessageSequence(c, x);
  if constexpr (requires {
                  x.startTime;
                  x.endTime;
                })
    CheckTimeRange(c, x);
  if constexpr (requires {
                  x.grossWeight;
                  x.netWeight;
                })
    CheckWeights(c, x);
  if constexpr (requires {
                  x.buyerIdType;
                  x.buyerIdNumber;
                }) {
    CheckIdentity(c, x.pos, "buyerIdType", x.buyerIdType, "buyerIdNumber", x.buyerIdNumber);
  }
  if constexpr (requires {
                  x.payerIdType;
                  x.payerIdNumber;
                }) {
    CheckIdentity(c, x.pos, "payerIdType", x.payerIdType, "payerIdNumber", x.payerIdNumber);
  }
  if constexpr (requires { x.logisticsStatus; }) {
    // CEB513 and its receipt 514: "物流签收状态，限定S" (XSD doc; ceb-messages.md
    // §5). The XSD only says "one character"; the official 513 sample's R is
    // a true finding.
    ExpectValue(c, x.pos, "logisticsStatus", x.logisticsStatus, "S", {}, "doc.logistics-status",
                "物流签收状态，限定S, ceb-messages.md §5");
  }
  if constexpr (std::is_same_v<T, imp::OrderHead>) {
    ExpectValue(c, x.pos, "orderType", x.orderType, "I", {"I", "E", "B", "W"}, "doc.order-type",
                "an import order, ceb-messages.md §7.2 CEB311 orderType=I");
  }
  if constexpr (std::is_same_v<T, imp::InvtCancel>) {
    ExpectValue(c, x.pos, "appType", x.appType, "1", {"1", "2", "3"}, "doc.app-type",
                "a revocation is only ever new: 1-新增, ceb-messages.md §5 appType");
  }
  if constexpr (requires { x.ieFlag; }) {
    for (const IeFlagRule& rule : kIeFlagRules) {
      if (rule.type == c.type()) {
        ExpectValue(c, x.pos, "ieFlag", x.ieFlag, rule.want, {"I", "E"}, "doc.ie-flag", rule.why);
      }
    }
  }
  if constexpr (requires { x.packNo; }) {
    // Import waybill and inventory: "单个运单下包裹数，限定为“1”" / "件数为包裹数量，
    // 限定为“1”" (XSD22-I; ceb-messages.md §7.2 packNo (=1)). Export allows more.
    const std::optional<int64_t> n = AsInt(x.packNo);
    if (c.side() == Side::kImport && n && *n != 1 && *n >= 0) {
      c.Report(
          "doc.pack-no", "packNo", At(x.packNo, x.pos),
          fmt::format(
              "packNo is {}; an import waybill or inventory is one parcel: packNo must be 1", *n));
    }
  }
}

// ------------------------------------------------------------- list rules

// Whether gnum numbers this list's own lines 1..n. The XSD documentation of
// gnum says so for every list ("从1开始的递增序号", "从1开始连续序号"; DepartureList
// just "序号") except where gnum points into ANOTHER document: a return's
// lines name the original inventory's lines (InvtRefundList "对应原(申报)清单
// 表体(项)序号"), a summary result's lines name inventory lines
// (SummaryResultList.gnum "清单商品项的序号"; gseqno "汇总结果单的顺序号" numbers
// the result itself). TaxListRd.gnum "商品项号,从1开始连续序号" numbers the tax
// bill's own lines.
template <class L>
inline constexpr bool kGnumNumbersTheList = requires(const L& l) {
  l.gnum;
};
template <>
inline constexpr bool kGnumNumbersTheList<exp::InvtRefundList> = false;
template <>
inline constexpr bool kGnumNumbersTheList<imp::InvtRefundList> = false;
template <>
[[maybe_unused]] inline constexpr bool kGnumNumbersTheList<exp::SummaryResultList> = false;  // kept for the record: clang sees no use

// doc.gnum-sequence: line i carries number i. Reported once per list, at the
// first line that breaks the run, with the whole run in the message.
template <class L, class Get>
void CheckRun(Checker& c, const std::vector<L>& lines, std::string_view list,
              std::string_view field, Get get) {
  std::vector<int64_t> run;
  size_t first_bad = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    const Text& t = get(lines[i]);
    if (!Given(t)) {
      // Absent: schema.required (or, for the derivable gseqno, a warning).
      // The position still counts, so later lines are still judged.
      run.push_back(static_cast<int64_t>(i) + 1);
      continue;
    }
    const std::optional<int64_t> v = AsInt(t);
    if (!v) return;  // not a number: schema.int
    run.push_back(*v);
    if (*v != static_cast<int64_t>(i) + 1 && first_bad == lines.size()) first_bad = i;
  }
  if (first_bad == lines.size()) return;
  const L& line = lines[first_bad];
  const int64_t value = run[first_bad];
  const int64_t want = static_cast<int64_t>(first_bad) + 1;
  std::string what;
  if (std::find(run.begin(), run.begin() + static_cast<ptrdiff_t>(first_bad), value) !=
      run.begin() + static_cast<ptrdiff_t>(first_bad)) {
    what = "repeats an earlier line's number";
  } else if (value > want) {
    what = fmt::format("skips {}", want);
  } else {
    what = "is out of order";
  }
  auto scope = c.Enter(list, first_bad + 1);
  c.Report(
      "doc.gnum-sequence", field, At(get(line), line.pos),
      fmt::format(
          "{} {} on {} line {} {}; the {} lines must be numbered 1..{} in order without gaps or "
          "repeats, they are {}",
          field, value, list, want, what, list, lines.size(), Listed(run, ", ")));
}

template <class L>
void CheckNumbering(Checker& c, const std::vector<L>& lines, std::string_view list) {
  if constexpr (requires(const L& l) { l.gseqno; }) {
    CheckRun(c, lines, list, "gseqno", [](const L& l) -> const Text& { return l.gseqno; });
  } else if constexpr (kGnumNumbersTheList<L>) {
    CheckRun(c, lines, list, "gnum", [](const L& l) -> const Text& { return l.gnum; });
  }
}

template <class L>
void CheckLines(Checker& c, const std::vector<L>& lines, std::string_view list) {
  CheckNumbering(c, lines, list);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto scope = c.Enter(list, i + 1);
    CheckElement(c, lines[i]);
  }
}

// --------------------------------------------------------- document rules

// doc.goods-value: the order's goodsValue is the sum of its lines' totalPrice
// (CEB303/311 OrderHead.goodsValue "商品实际成交价", the lines being the goods
// of the order; ceb-messages.md §7), compared to the fen.
template <class H, class L>
void CheckGoodsValue(Checker& c, const H& h, const std::vector<L>& lines) {
  const std::optional<Decimal> goods = AsDecimal(h.goodsValue);
  if (!goods || lines.empty()) return;
  Decimal sum;
  std::vector<std::string_view> parts;
  for (const L& l : lines) {
    const std::optional<Decimal> total = AsDecimal(l.totalPrice);
    if (!total) return;
    const Result<Decimal> next = Decimal::CheckedAdd(sum, *total);
    if (!next.ok()) return;
    sum = *next;
    parts.push_back(Shown(l.totalPrice));
  }
  if (SameAmount(sum, *goods)) return;
  c.Report("doc.goods-value", "goodsValue", At(h.goodsValue, h.pos),
           fmt::format("goodsValue {} ≠ the sum of the lines' totalPrice {} = {}",
                       Shown(h.goodsValue), Listed(parts, " + "), sum.ToString()));
}

// doc.bonded-fields: what bonded (1210) declarations must carry.
//  - Import inventory (CEB621) with tradeMode 1210: emsNo in the head and
//    itemRecordNo on each line (customs-rules.md §3 table "Bonded (1210)";
//    XSD doc "保税模式必填"), areaCode/areaName (ceb-messages.md §7.2 "required
//    for bonded"; XSD doc "保税模式必填") and country 142 (§5 country
//    "保税进口填写142").
//  - Export inventory (CEB603) from a special zone, tradeMode 1210/1239 (XSD
//    doc "特殊区域出口为1210/1239"): itemRecordNo on each line (§7.1 "required
//    for bonded export"; XSD doc "保税出口模式必填") and iacCode/iacName (XSD doc
//    "特殊区域(出口)模式必填").
void RequireGiven(Checker& c, SourcePos parent, std::string_view name, const Text& t,
                  std::string_view mode, std::string_view why) {
  if (Given(t)) return;
  c.Report("doc.bonded-fields", name, At(t, parent),
           fmt::format("{} is {}; a tradeMode {} declaration must carry it ({})", name,
                       t.present ? "empty" : "missing", mode, why));
}

template <class H, class L>
void CheckBonded(Checker& c, const H& h, std::string_view head_name, const std::vector<L>& lines,
                 std::string_view list) {
  if constexpr (std::is_same_v<H, imp::InventoryHead>) {
    const std::string_view mode = Shown(h.tradeMode);
    if (mode != "1210") return;
    {
      auto scope = c.Enter(head_name, 0);
      RequireGiven(c, h.pos, "emsNo", h.emsNo, mode,
                   "the bonded account book, customs-rules.md §3");
      RequireGiven(c, h.pos, "areaCode", h.areaCode, mode,
                   "the zone warehouse enterprise, ceb-messages.md §7.2");
      RequireGiven(c, h.pos, "areaName", h.areaName, mode,
                   "the zone warehouse enterprise, ceb-messages.md §7.2");
      ExpectValue(c, h.pos, "country", h.country, "142", {}, "doc.bonded-fields",
                  "保税进口填写代码“142”, ceb-messages.md §5 country");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      auto scope = c.Enter(list, i + 1);
      RequireGiven(c, lines[i].pos, "itemRecordNo", lines[i].itemRecordNo, mode,
                   "the account-book item, customs-rules.md §3");
    }
  } else if constexpr (std::is_same_v<H, exp::InventoryHead>) {
    const std::string_view mode = Shown(h.tradeMode);
    if (mode != "1210" && mode != "1239") return;
    {
      auto scope = c.Enter(head_name, 0);
      RequireGiven(c, h.pos, "iacCode", h.iacCode, mode,
                   "the zone enterprise, XSD doc 特殊区域模式必填");
      RequireGiven(c, h.pos, "iacName", h.iacName, mode,
                   "the zone enterprise, XSD doc 特殊区域出口模式必填");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      auto scope = c.Enter(list, i + 1);
      RequireGiven(c, lines[i].pos, "itemRecordNo", lines[i].itemRecordNo, mode,
                   "the account-book item, ceb-messages.md §7.1");
    }
  } else {
    (void)c, (void)h, (void)head_name, (void)lines, (void)list;  // no bonded mode for this document
  }
}

// One business document: a head and its lines.
template <class H, class L>
void CheckDocument(Checker& c, const H& head, std::string_view head_name,
                   const std::vector<L>& lines, std::string_view list) {
  {
    auto scope = c.Enter(head_name, 0);
    CheckElement(c, head);
    if constexpr (
        requires { head.goodsValue; } && requires(const L& l) { l.totalPrice; }) {
      CheckGoodsValue(c, head, lines);
    }
  }
  CheckLines(c, lines, list);
  CheckBonded(c, head, head_name, lines, list);
}

// Repeated head+lines documents (Order, Inventory, Arrival, ...).
template <class D, class H, class L>
void CheckDocuments(Checker& c, const std::vector<D>& docs, std::string_view name, H D::*head,
                    std::string_view head_name, std::vector<L> D::*lines, std::string_view list) {
  for (size_t i = 0; i < docs.size(); ++i) {
    auto scope = c.Enter(name, i + 1);
    CheckDocument(c, docs[i].*head, head_name, docs[i].*lines, list);
  }
}

// Repeated wrappers around a single head (import Payment, Logistics).
template <class D, class H>
void CheckHeads(Checker& c, const std::vector<D>& docs, std::string_view name, H D::*head,
                std::string_view head_name) {
  for (size_t i = 0; i < docs.size(); ++i) {
    auto scope = c.Enter(name, i + 1);
    auto head_scope = c.Enter(head_name, 0);
    CheckElement(c, docs[i].*head);
  }
}

// Repeated flat elements (Receipts, export Logistics, LogisticsStatus, ...).
template <class E>
void CheckEntities(Checker& c, const std::vector<E>& entities, std::string_view name) {
  for (size_t i = 0; i < entities.size(); ++i) {
    auto scope = c.Enter(name, i + 1);
    CheckElement(c, entities[i]);
  }
}

// ------------------------------------------------------------ per message

// Receipts (304, 312, ...) and the other messages without an in-message
// rule beyond their XSD.
template <class M>
void Walk(Checker& /*c*/, const M& /*message*/) {}

void Walk(Checker& c, const exp::CEB213Message& m) {
  CheckDocuments(c, m.invtRefund, "InvtRefund", &exp::InvtRefund::invtRefundHead, "InvtRefundHead",
                 &exp::InvtRefund::invtRefundList, "InvtRefundList");
}
void Walk(Checker& c, const exp::CEB215Message& m) {
  CheckEntities(c, m.invtRefundDetail, "InvtRefundDetail");
}
void Walk(Checker& c, const exp::CEB303Message& m) {
  CheckDocuments(c, m.order, "Order", &exp::Order::orderHead, "OrderHead", &exp::Order::orderList,
                 "OrderList");
}
void Walk(Checker& c, const exp::CEB403Message& m) { CheckEntities(c, m.receipts, "Receipts"); }
void Walk(Checker& c, const exp::CEB505Message& m) { CheckEntities(c, m.logistics, "Logistics"); }
void Walk(Checker& c, const exp::CEB507Message& m) {
  CheckDocuments(c, m.arrival, "Arrival", &exp::Arrival::arrivalHead, "ArrivalHead",
                 &exp::Arrival::arrivalList, "ArrivalList");
}
void Walk(Checker& c, const exp::CEB509Message& m) {
  CheckDocuments(c, m.departure, "Departure", &exp::Departure::departureHead, "DepartureHead",
                 &exp::Departure::departureList, "DepartureList");
}
void Walk(Checker& c, const exp::CEB603Message& m) {
  CheckDocuments(c, m.inventory, "Inventory", &exp::Inventory::inventoryHead, "InventoryHead",
                 &exp::Inventory::inventoryList, "InventoryList");
}
void Walk(Checker& c, const exp::CEB607Message& m) {
  CheckDocuments(c, m.wayBill, "WayBill", &exp::WayBill::wayBillHead, "WayBillHead",
                 &exp::WayBill::wayBillList, "WayBillList");
}
void Walk(Checker& c, const exp::CEB701Message& m) {
  CheckDocuments(c, m.summaryApply, "SummaryApply", &exp::SummaryApply::summaryApplyHead,
                 "SummaryApplyHead", &exp::SummaryApply::summaryApplyList, "SummaryApplyList");
}
void Walk(Checker& c, const exp::CEB792Message& m) {
  CheckDocuments(c, m.summaryResult, "SummaryResult", &exp::SummaryResult::summaryResultHead,
                 "SummaryResultHead", &exp::SummaryResult::summaryResultList, "SummaryResultList");
}
void Walk(Checker& c, const imp::CEB311Message& m) {
  CheckDocuments(c, m.order, "Order", &imp::Order::orderHead, "OrderHead", &imp::Order::orderList,
                 "OrderList");
}
void Walk(Checker& c, const imp::CEB411Message& m) {
  CheckHeads(c, m.payment, "Payment", &imp::Payment::paymentHead, "PaymentHead");
}
void Walk(Checker& c, const imp::CEB511Message& m) {
  CheckHeads(c, m.logistics, "Logistics", &imp::Logistics::logisticsHead, "LogisticsHead");
}
void Walk(Checker& c, const imp::CEB513Message& m) {
  CheckEntities(c, m.logisticsStatus, "LogisticsStatus");
}
void Walk(Checker& c, const imp::CEB514Message& m) {
  CheckEntities(c, m.logisticsStatusReturn, "LogisticsStatusReturn");
}
void Walk(Checker& c, const imp::CEB621Message& m) {
  CheckDocuments(c, m.inventory, "Inventory", &imp::Inventory::inventoryHead, "InventoryHead",
                 &imp::Inventory::inventoryList, "InventoryList");
}
void Walk(Checker& c, const imp::CEB623Message& m) { CheckEntities(c, m.invtCancel, "InvtCancel"); }
void Walk(Checker& c, const imp::CEB625Message& m) {
  CheckDocuments(c, m.invtRefund, "InvtRefund", &imp::InvtRefund::invtRefundHead, "InvtRefundHead",
                 &imp::InvtRefund::invtRefundList, "InvtRefundList");
}
void Walk(Checker& c, const imp::CEB711Message& m) {
  // One Delivery per message (SPEC22 §3.15): not repeated, so no index.
  auto scope = c.Enter("Delivery", 0);
  CheckDocument(c, m.delivery.deliveryHead, "DeliveryHead", m.delivery.deliveryList,
                "DeliveryList");
}
void Walk(Checker& c, const imp::CEB816Message& m) {
  CheckDocuments(c, m.tax, "Tax", &imp::Tax::taxHeadRd, "TaxHeadRd", &imp::Tax::taxListRd,
                 "TaxListRd");
}

}  // namespace

void ValidateDocument(const Message& message, std::vector<Finding>& out) {
  Checker checker(message.info(), out);
  std::visit([&](const auto& body) { Walk(checker, body); }, message.body);
}

}  // namespace dryport::ceb
