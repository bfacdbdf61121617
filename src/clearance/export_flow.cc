// Export (9610 retail export; 1210 special-zone export): CEB303 order,
// CEB403 receipt of payment, CEB505 waybill and CEB603 list, and what follows
// from them: matching (order + waybill since 2024-12-15, plus the receipt of
// payment before), acceptance (120, invtNo) and approval (399), the
// master-bill binding (607), release on arrival (507 -> 800), closure on
// departure (509 -> 899), revocation (605), returns (213, 215) and the
// summary (701 -> 702 and 792).
// Sources: ceb-messages.md §6, §7.1, §8.2-§8.5; customs-rules.md §1, §2
// ("Exports: returns"), §3, §7 item 5. docs/clearance-export.md describes
// the flow as implemented and what is UNCERTAIN.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "clearance/engine_internal.h"
#include "clearance/summary.h"
#include "core/time.h"

namespace dryport::clearance::internal {
namespace {

namespace exp = ceb::exp;
using Findings = std::vector<ceb::Finding>;

// Export document kinds (store::DocumentRow::kind). None equals an import
// kind, so an export and an import document with the same key never meet.
constexpr const char* kExportOrder = "export-order";
constexpr const char* kExportReceipt = "export-receipt";
constexpr const char* kExportWaybill = "export-waybill";
constexpr std::string_view kExportInventory = kExportListKind;  // "export-inventory"
constexpr const char* kArrival = "arrival";
constexpr const char* kDeparture = "departure";
constexpr const char* kWaybillBill = "waybill-bill";
constexpr const char* kExportCancel = "export-cancel";
constexpr const char* kExportRefund = "export-refund";
constexpr const char* kExportTally = "export-tally";
constexpr const char* kSummary = "summary";

// A CEB792 carries at most 100 SummaryResult (XSD22-E CEB792Message).
constexpr size_t kResultsPerMessage = 100;
// returnInfo is at most 1000 characters in every export receipt (XSD22-E).
constexpr size_t kReturnInfoChars = 1000;

// Return codes of the export flow that data/clearance/return_codes.csv does
// not carry yet. All are dryport's choice (uncertain=1): the reference names
// the rules but gives no code. They are looked up here first, then in the
// rule book; moving them into the CSV makes this table unnecessary.
struct LocalCode {
  std::string_view id;
  bool customs;  // customs: 100 with [Code:n;Desc:text]; else the negative E-Port code
  std::string_view code;
  std::string_view text;
};
constexpr LocalCode kExportCodes[] = {
    {"export-currency-mismatch", true, "1334", "订单与清单币制不一致"},
    {"bill-unknown", true, "1335", "总分单所列运单或清单不存在"},
    {"tally-unknown", true, "1336", "理货明细单没有对应的退货申请"},
    {"summary-invalid", true, "1337", "汇总申请所列清单不符合汇总条件"},
    {"summary-empty", true, "1338", "没有可汇总的出口清单"},
    {"export-inventory-declared", false, "-603004", "该订单已申报出口清单"},
    {"export-revoke-unknown", false, "-605001", "撤销申请对应的出口清单不存在"},
    {"export-revoke-state", false, "-605005", "清单状态不允许撤销"},
    {"export-refund-unknown", false, "-213001", "退货申请对应的出口清单不存在"},
    {"export-refund-state", false, "-213002", "出口清单未放行，不能申请退货"},
    {"export-refund-window", false, "-213003", "超过出口放行后1年的退货申请时限"},
    {"export-refund-qty", false, "-213004", "退货数量超过原清单数量"},
};

// Rejects like Reject (flow_common.cc), with the local codes first. A
// customs code moves the document to 100, so it is only used on documents
// already admitted; an E-Port code only answers.
void ExportReject(Context& ctx, Doc& d, std::string_view id, std::string_view detail) {
  const auto* local = std::find_if(std::begin(kExportCodes), std::end(kExportCodes),
                                   [&](const LocalCode& c) { return c.id == id; });
  if (local == std::end(kExportCodes)) {
    Reject(ctx, d, id, detail);
    return;
  }
  if (local->customs) {
    Move(ctx, d, kRejected, id,
         detail.empty() ? fmt::format("[Code:{};Desc:{}]", local->code, local->text)
                        : fmt::format("[Code:{};Desc:{}，{}]", local->code, local->text, detail));
  } else {
    const std::string info =
        detail.empty() ? std::string(local->text) : fmt::format("{}: {}", local->text, detail);
    // As Reject does: a stored document ends with the negative code as its
    // terminal mark; of a declaration never stored only the event is kept.
    const int status = std::stoi(std::string(local->code));
    if (ctx.Find(d.kind, d.key) == &d) {
      ctx.SetStatus(d, status, id, info);
    } else {
      ctx.RecordEvent(d.kind, d.key, status, id, info);
    }
    SendReceipt(ctx, d, status, info);
  }
  ++ctx.core_counters().rejected;
}

// ---------------------------------------------------------------- helpers

// At most `n` characters (code points, as the XSD's maxLength counts them).
std::string Clip(std::string_view s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n)
      return std::string(s.substr(0, i));
  }
  return std::string(s);
}

// "a, b, c" with long lists cut: receipt texts stay readable and short.
std::string Listed(const std::vector<std::string>& values) {
  constexpr size_t kShown = 10;
  std::string out;
  for (size_t i = 0; i < values.size() && i < kShown; ++i) {
    if (i > 0) out += ", ";
    out += values[i];
  }
  if (values.size() > kShown) out += fmt::format(" … (共 {} 项)", values.size());
  return out;
}

// msgSeqNo / msgCount as the receipts need them: an xs:int of up to 9
// digits. A message that is not split may leave them empty ("未拆分的不填");
// it is part 1 of 1.
std::string PartNo(const ceb::Text& t) {
  const std::string& v = t.value;
  const bool digits = !v.empty() && v.size() <= 9 &&
                      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits && std::stoll(v) > 0 ? std::to_string(std::stoll(v)) : "1";
}

template <class T>
T At(const std::vector<T>& v, size_t i) {
  return i < v.size() ? v[i] : T();
}

// Every number dryport assigns as E-Port or customs (preNo, invtNo, sumNo,
// declSeqNo) takes the next value of one running serial, State::invt_serial:
// unique, and a pure function of the message log.
int64_t NextSerial(Context& ctx) { return ++ctx.state().invt_serial; }

// preNo, 18 characters: B + YYYYMMDD + 9-digit serial (ceb-messages.md §8.3,
// "B + date + serial").
std::string NewPreNo(Context& ctx) {
  return fmt::format("B{}{:09d}",
                     Timestamp::FromMillis(ctx.now_ms()).Format(TimeFormat::kCompactDate),
                     NextSerial(ctx) % 1000000000);
}

// 18 characters: 4-digit customs + 4-digit year + one letter + 9-digit
// serial. For invtNo the XSD says so ("4位关区+4位年+1位进出口标记+9位流水号",
// letter E); sumNo (S) and declSeqNo (D) only need 18 characters and follow
// the same pattern by dryport's choice.
std::string CustomsNumber(Context& ctx, const std::string& customs, char letter) {
  return fmt::format("{}{}{}{:09d}", customs.size() == 4 ? customs : "0000",
                     Timestamp::FromMillis(ctx.now_ms()).year(), letter,
                     NextSerial(ctx) % 1000000000);
}

// The waiting export lists share State::waiting with the import inventories.
// An entry is DocId(kExportInventory, key): it contains '\x1f', so it never
// equals an import key ("agentCode|copNo"), and import_flow's lookups
// (Find(kInventory, entry)) pass over it.
std::string WaitId(std::string_view key) { return DocId(kExportInventory, key); }

std::vector<std::string> WaitingLists(Context& ctx) {
  const std::string prefix = WaitId("");
  std::vector<std::string> keys;
  const auto& waiting = ctx.state().waiting;
  for (auto it = waiting.lower_bound(prefix); it != waiting.end() && it->starts_with(prefix);
       ++it) {
    keys.push_back(it->substr(prefix.size()));
  }
  return keys;
}

// State::inventory_by_invt_no maps an export invtNo to DocId(kExportInventory,
// key) for the same reason: import's lookups resolve it to no import
// inventory. State::inventory_by_order holds DocId(kExportInventory,
// ebcCode|orderNo) -> list key.
Doc* FindExportList(Context& ctx, const std::string& invt_no) {
  if (invt_no.empty()) return nullptr;
  auto it = ctx.state().inventory_by_invt_no.find(invt_no);
  const std::string prefix = WaitId("");
  if (it == ctx.state().inventory_by_invt_no.end() || !it->second.starts_with(prefix))
    return nullptr;
  return ctx.Find(kExportInventory, std::string_view(it->second).substr(prefix.size()));
}

std::string OrderIndex(const Doc& inv) {
  return DocId(kExportInventory, Key(inv.ebc, inv.order_no));
}

// The accepted list a waybill was declared on (set at acceptance).
Doc* ListOfWaybill(Context& ctx, const Doc& bill) { return FindExportList(ctx, bill.invt_no); }

// Every document of one kind, in key order: the docs map is ordered by
// kind + '\x1f' + key.
template <class F>
void ForEachOfKind(Context& ctx, std::string_view kind, F f) {
  const std::string prefix = DocId(kind, "");
  auto& docs = ctx.state().docs;
  for (auto it = docs.lower_bound(prefix); it != docs.end() && it->first.starts_with(prefix); ++it)
    f(it->second);
}

bool Released(const Doc& d) { return d.status == kReleased || d.status == kClosed; }

// Returns may be applied for within one year of the export release
// (customs-rules.md §2 "Exports: returns"): the same civil date and time a
// year later (29 February -> 28 February).
int64_t OneYearAfter(int64_t ms) {
  const Timestamp t = Timestamp::FromMillis(ms);
  const unsigned day = t.month() == 2 && t.day() == 29 ? 28 : t.day();
  Result<Timestamp> next = Timestamp::FromCivil(t.year() + 1, t.month(), day, t.hour(), t.minute(),
                                                t.second(), t.millisecond());
  return next.ok() ? next->millis() : ms + 365 * Timestamp::kMillisPerDay;
}

ExportList ToExportList(const Doc& d) {
  ExportList l;
  l.key = d.key;
  l.invt_no = d.invt_no;
  l.agent = d.agent;
  l.ebc = d.ebc;
  l.ebp = d.ebp;
  l.owner = d.owner;
  l.order_no = d.order_no;
  l.logistics_no = d.logistics_no;
  l.customs = d.customs;
  l.port = d.port;
  l.country = d.country;
  l.traf_mode = d.traf_mode;
  l.trade_mode = d.trade_mode;
  l.statistics_flag = d.statistics_flag;
  l.sum_no = d.sum_no;
  l.status = d.status;
  l.released_ms = d.released_ms;
  l.gross_weight = d.gross_weight;
  l.net_weight = d.net_weight;
  for (size_t i = 0; i < d.lines.size(); ++i) {
    const Line& x = d.lines[i];
    l.lines.push_back({x.gnum, x.hs, x.name, At(d.line_item_names, i), At(d.line_countries, i),
                       At(d.line_currencies, i), At(d.line_units1, i), x.qty, At(d.line_qty1, i),
                       x.price, x.total});
  }
  return l;
}

// The E-Port number of a declaration: kept when it modifies one already
// known, else a new one.
std::string PreNoFor(Context& ctx, std::string_view kind, std::string_view key) {
  const Doc* existing = ctx.Find(kind, key);
  return existing != nullptr && existing->status >= kStaged && !existing->pre_no.empty()
             ? existing->pre_no
             : NewPreNo(ctx);
}

}  // namespace

// ---------------------------------------------------------------- receipts

void SendExportReceipt(Context& ctx, const Doc& d, int status, std::string_view info) {
  const std::string st = std::to_string(status);
  const std::string time = ctx.ReturnTime();
  const std::string text = Clip(info, kReturnInfoChars);
  const std::string guid = d.guid.size() == 36 ? d.guid : ctx.NextGuid();
  auto fill = [&](auto& r) {
    r.guid = guid;
    r.returnStatus = st;
    r.returnTime = time;
    r.returnInfo = text;
  };
  auto message = [&](auto m) {
    m.guid = ctx.NextGuid();
    m.version = "1.0";
    return m;
  };
  const std::string seq_no = d.msg_seq_no.empty() ? "1" : d.msg_seq_no;
  if (d.kind == kExportOrder) {
    auto m = message(exp::CEB304Message{});
    auto& r = m.orderReturn.emplace_back();
    fill(r);
    r.ebpCode = d.ebp;
    r.ebcCode = d.ebc;
    r.orderNo = d.order_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.order_no);
  } else if (d.kind == kExportReceipt) {
    auto m = message(exp::CEB404Message{});
    auto& r = m.receiptsReturn.emplace_back();
    fill(r);
    r.ebcCode = d.ebc;
    r.orderNo = d.order_no;
    if (!d.pay_tx.empty()) r.payNo = d.pay_tx;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.order_no);
  } else if (d.kind == kExportWaybill) {
    auto m = message(exp::CEB506Message{});
    auto& r = m.logisticsReturn.emplace_back();
    fill(r);
    r.logisticsCode = d.logistics_code;
    r.logisticsNo = d.logistics_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.logistics_no);
  } else if (d.kind == kExportInventory) {
    auto m = message(exp::CEB604Message{});
    auto& r = m.inventoryReturn.emplace_back();
    fill(r);
    r.agentCode = d.agent;
    r.copNo = d.cop_no;
    r.preNo = d.pre_no;
    r.invtNo = d.invt_no;
    r.ebcCode = d.ebc;
    r.ebpCode = d.ebp;
    r.orderNo = d.order_no;
    // Mandatory, one character: a list refused before it was read properly
    // may have none; B is the flag that asks for more of the customs.
    r.statisticsFlag = d.statistics_flag.size() == 1 ? d.statistics_flag : "B";
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.order_no);
  } else if (d.kind == kExportCancel) {
    auto m = message(exp::CEB606Message{});
    auto& r = m.invtCancelReturn.emplace_back();
    fill(r);
    r.agentCode = d.agent;
    r.copNo = d.cop_no;
    r.preNo = d.pre_no;
    r.invtNo = d.invt_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.invt_no);
  } else if (d.kind == kWaybillBill) {
    auto m = message(exp::CEB608Message{});
    auto& r = m.wayBillReturn.emplace_back();
    fill(r);
    r.agentCode = d.agent;
    r.logisticsCode = d.logistics_code;
    r.copNo = d.cop_no;
    r.preNo = d.pre_no;
    r.billNo = d.bill_no;
    r.msgSeqNo = seq_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.bill_no);
  } else if (d.kind == kArrival) {
    auto m = message(exp::CEB508Message{});
    auto& r = m.arrivalReturn.emplace_back();
    fill(r);
    r.operatorCode = d.operator_code;
    r.logisticsCode = d.logistics_code;
    r.preNo = d.pre_no;
    r.copNo = d.cop_no;
    r.billNo = d.bill_no;
    r.msgSeqNo = seq_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.cop_no);
  } else if (d.kind == kDeparture) {
    auto m = message(exp::CEB510Message{});
    auto& r = m.departureReturn.emplace_back();
    fill(r);
    r.logisticsCode = d.logistics_code;
    r.copNo = d.cop_no;
    r.preNo = d.pre_no;
    r.msgSeqNo = seq_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.cop_no);
  } else if (d.kind == kExportRefund) {
    auto m = message(exp::CEB214Message{});
    auto& r = m.refundReturn.emplace_back();
    fill(r);
    if (!d.ebp.empty()) r.ebpCode = d.ebp;
    if (!d.ebc.empty()) r.ebcCode = d.ebc;
    r.agentCode = d.agent;
    r.coElNo = d.cop_no;
    r.preNo = d.pre_no;
    r.invtNo = d.invt_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.invt_no);
  } else if (d.kind == kExportTally) {
    auto m = message(exp::CEB216Message{});
    auto& r = m.invtRefundDetailReturn.emplace_back();
    fill(r);
    r.operatorCode = d.operator_code;
    r.logisticsCode = d.logistics_code;
    r.logisticsNo = d.logistics_no;
    r.coElNo = d.cop_no;
    r.preNo = d.pre_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.logistics_no);
  } else if (d.kind == kSummary) {
    auto m = message(exp::CEB702Message{});
    auto& r = m.summaryReturn.emplace_back();
    fill(r);
    r.agentCode = d.agent;
    r.ebcCode = d.ebc;
    r.copNo = d.cop_no;
    r.preNo = d.pre_no;
    if (!d.sum_no.empty()) r.sumNo = d.sum_no;  // optional, but exactly 18 characters when present
    r.msgSeqNo = seq_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.cop_no);
  }
}

namespace {

// ---------------------------------------------------------------- matching

void TryMatch(Context& ctx, Doc& inv);

// An order, receipt of payment or waybill arrived: export lists may have
// waited for it.
void WakeLists(Context& ctx, const Doc& doc) {
  for (const std::string& key : WaitingLists(ctx)) {
    Doc* inv = ctx.Find(kExportInventory, key);
    if (inv == nullptr) continue;
    const bool by_order =
        doc.kind != kExportWaybill && inv->ebc == doc.ebc && inv->order_no == doc.order_no;
    const bool by_bill = doc.kind == kExportWaybill && inv->logistics_code == doc.logistics_code &&
                         inv->logistics_no == doc.logistics_no;
    if (by_order || by_bill) TryMatch(ctx, *inv);
  }
}

// Before 2024-12-15 the receipt of payment (收款单) was the third document;
// since then order + waybill suffice (customs-rules.md §1.1, §3). Judged by
// the rule set in force at the list's declaration time (its appTime).
bool ReceiptRequired(const Context& ctx, const Doc& inv) {
  return ctx.rules().At(inv.declared_ms).export_requires_receipt;
}

// The first rule the documents break, as (code id, detail); empty when they
// agree. Order: enterprises, items, currency, waybill (the brief of the
// export flow, after customs-rules.md §3's table).
std::pair<std::string, std::string> Mismatch(const Context& ctx, const Doc& inv, const Doc& order,
                                             const Doc& bill) {
  const Decimal tol = ctx.rules().At(inv.declared_ms).amount_tolerance;
  auto differ = [&](const Decimal& a, const Decimal& b) { return (a - b > tol) || (b - a > tol); };
  if (inv.ebp != order.ebp || inv.ebc != order.ebc) {
    return {"enterprise-mismatch",
            fmt::format("清单 {}/{} 订单 {}/{}", inv.ebp, inv.ebc, order.ebp, order.ebc)};
  }
  // Items 1:1 by gnum: "gnum ... 与清单的商品项关联对应" (XSD22-E OrderList).
  if (inv.lines.size() != order.lines.size()) {
    return {"items-mismatch",
            fmt::format("清单 {} 项，订单 {} 项", inv.lines.size(), order.lines.size())};
  }
  for (const Line& il : inv.lines) {
    auto ol = std::find_if(order.lines.begin(), order.lines.end(),
                           [&](const Line& l) { return l.gnum == il.gnum; });
    if (ol == order.lines.end())
      return {"items-mismatch", fmt::format("清单第 {} 项在订单中不存在", il.gnum)};
    if (ol->name != il.name) {
      return {"items-mismatch",
              fmt::format("第 {} 项 商品名称 {} ≠ 订单 {}", il.gnum, il.name, ol->name)};
    }
    if (ol->qty != il.qty) {
      return {"items-mismatch", fmt::format("第 {} 项 数量 {} ≠ 订单 {}", il.gnum,
                                            il.qty.ToString(), ol->qty.ToString())};
    }
    if (differ(ol->price, il.price)) {
      return {"items-mismatch", fmt::format("第 {} 项 单价 {} ≠ 订单 {}", il.gnum,
                                            il.price.ToString(), ol->price.ToString())};
    }
    if (differ(ol->total, il.total)) {
      return {"items-mismatch", fmt::format("第 {} 项 总价 {} ≠ 订单 {}", il.gnum,
                                            il.total.ToString(), ol->total.ToString())};
    }
  }
  // Currency: export amounts need not be CNY (unlike import), but the list
  // must state them in the order's currency.
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    const std::string currency = At(inv.line_currencies, i);
    auto ol = std::find_if(order.lines.begin(), order.lines.end(),
                           [&](const Line& l) { return l.gnum == inv.lines[i].gnum; });
    const std::string order_line_currency =
        At(order.line_currencies, static_cast<size_t>(ol - order.lines.begin()));
    if (currency != order.currency ||
        (!order_line_currency.empty() && currency != order_line_currency)) {
      return {"export-currency-mismatch", fmt::format("第 {} 项 清单币制 {} 订单币制 {}",
                                                      inv.lines[i].gnum, currency, order.currency)};
    }
  }
  // The waybill was found by the list's logisticsCode + logisticsNo; its
  // consignor (optional in CEB505) must be the list's.
  if (!bill.ebc.empty() && bill.ebc != inv.ebc) {
    return {"waybill-mismatch",
            fmt::format("运单 {} 收发货人 {} 清单 {}", bill.logistics_no, bill.ebc, inv.ebc)};
  }
  return {};
}

// Whether a receipt of payment agrees with its order: the same platform and
// currency. Its amount (charge) is not compared: the reference does not say
// what it must equal (goodsValue, or goodsValue + freight). UNCERTAIN.
std::string ReceiptMismatch(const Doc& order, const Doc& receipt) {
  if (receipt.ebp != order.ebp)
    return fmt::format("收款单电商平台 {} 订单 {}", receipt.ebp, order.ebp);
  if (receipt.currency != order.currency) {
    return fmt::format("收款单币制 {} 订单币制 {}", receipt.currency, order.currency);
  }
  return {};
}

void Release(Context& ctx, Doc& inv) {
  inv.released_ms = ctx.now_ms();  // before the move, so the stored state carries it
  Move(ctx, inv, kReleased, "released", ctx.rules().Info("released"));
  ++ctx.core_counters().released;
}

void Accept(Context& ctx, Doc& inv, Doc& order, Doc& bill, Doc* receipt) {
  // The CRS mock's order: order, waybill, list 120, list 399, then the
  // receipt of payment 120 (ceb-messages.md §8.2).
  const std::string ok = ctx.rules().Info("logic-ok");
  for (Doc* d : {&order, &bill}) {
    if (d->status != kAccepted) Move(ctx, *d, kAccepted, "matched", ok);
  }
  inv.invt_no = CustomsNumber(ctx, inv.customs, 'E');
  ctx.state().inventory_by_invt_no[inv.invt_no] = WaitId(inv.key);
  ctx.AddKey("invtNo", inv.invt_no);
  bill.invt_no = inv.invt_no;
  if (inv.bill_no.empty()) inv.bill_no = bill.bill_no;  // a CEB607 bound the waybill first
  Move(ctx, inv, kAccepted, "matched", ok);
  Move(ctx, inv, kApproved, "approved", ctx.rules().Info("approved"));
  if (receipt != nullptr && receipt->status != kAccepted)
    Move(ctx, *receipt, kAccepted, "matched", ok);
  // The goods may already be at the site (CEB507 before approval).
  if (bill.arrived_ms != 0) Release(ctx, inv);
}

void TryMatch(Context& ctx, Doc& inv) {
  if (inv.status != kDeclared) {  // deleted, revoked or rejected meanwhile
    ctx.state().waiting.erase(WaitId(inv.key));
    return;
  }
  Doc* order = ctx.Find(kExportOrder, Key(inv.ebc, inv.order_no));
  Doc* bill = ctx.Find(kExportWaybill, Key(inv.logistics_code, inv.logistics_no));
  Doc* receipt = ctx.Find(kExportReceipt, Key(inv.ebc, inv.order_no));
  const bool need_receipt = ReceiptRequired(ctx, inv);
  if (!Live(order) || !Live(bill) || (need_receipt && !Live(receipt))) {
    if (inv.deadline_ms == 0) inv.deadline_ms = ctx.now_ms() + ctx.options().matching_window_ms;
    ctx.state().waiting.insert(WaitId(inv.key));
    return;
  }
  ctx.state().waiting.erase(WaitId(inv.key));
  auto [code, detail] = Mismatch(ctx, inv, *order, *bill);
  if (code.empty() && need_receipt) {
    if (std::string why = ReceiptMismatch(*order, *receipt); !why.empty()) {
      code = "enterprise-mismatch";
      detail = std::move(why);
      if (receipt->ebp == order->ebp) code = "export-currency-mismatch";
    }
  }
  if (!code.empty()) {
    ExportReject(ctx, inv, code, detail);
    return;
  }
  // A receipt sent although no longer required is answered when it agrees.
  if (!Live(receipt) || !ReceiptMismatch(*order, *receipt).empty()) receipt = nullptr;
  Accept(ctx, inv, *order, *bill, receipt);
}

// ---------------------------------------------------------------- parsing

void HandleOrders(Context& ctx, const exp::CEB303Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.order.size(); ++i) {
    const auto& h = m.order[i].orderHead;
    Doc d;
    d.export_side = true;
    d.kind = kExportOrder;
    d.key = Key(h.ebcCode.value,
                h.orderNo.value);  // CRS mock getByOrderNoAndEbcCode (ceb-messages.md §8.2)
    d.guid = h.guid.value;
    d.ebp = h.ebpCode.value;
    d.ebc = h.ebcCode.value;
    d.order_no = h.orderNo.value;
    d.currency = h.currency.value;
    d.goods_value = Dec(h.goodsValue);
    d.freight = Dec(h.freight);
    for (const auto& l : m.order[i].orderList) {
      d.lines.push_back({std::atoi(l.gnum.value.c_str()), l.itemName.value, "", Dec(l.qty),
                         Dec(l.price), Dec(l.totalPrice)});
      d.line_currencies.push_back(l.currency.value);
    }
    ctx.AddKey("orderNo", d.order_no);
    ctx.AddKey("ebcCode", d.ebc);
    const std::string error =
        ElementError(findings, "CEB303Message", "Order", i + 1, m.order.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) WakeLists(ctx, *doc);
  }
}

void HandleReceipts(Context& ctx, const exp::CEB403Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.receipts.size(); ++i) {
    const auto& h = m.receipts[i];
    Doc d;
    d.export_side = true;
    d.kind = kExportReceipt;
    d.key = Key(h.ebcCode.value, h.orderNo.value);  // CRS mock getByEbcCodeAndOrderNo
    d.guid = h.guid.value;
    d.ebp = h.ebpCode.value;
    d.ebc = h.ebcCode.value;
    d.order_no = h.orderNo.value;
    d.pay_code = h.payCode.value;
    d.pay_tx = h.payNo.value;
    d.paid = Dec(h.charge);
    d.currency = h.currency.value;
    ctx.AddKey("orderNo", d.order_no);
    ctx.AddKey("payNo", d.pay_tx);
    const std::string error =
        ElementError(findings, "CEB403Message", "Receipts", i + 1, m.receipts.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) WakeLists(ctx, *doc);
  }
}

void HandleWaybills(Context& ctx, const exp::CEB505Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.logistics.size(); ++i) {
    const auto& h = m.logistics[i];
    Doc d;
    d.export_side = true;
    d.kind = kExportWaybill;
    d.key = Key(h.logisticsCode.value, h.logisticsNo.value);
    d.guid = h.guid.value;
    d.logistics_code = h.logisticsCode.value;
    d.logistics_no = h.logisticsNo.value;
    d.ebc = h.ebcCode.value;
    d.currency = h.currency.value;
    d.freight = Dec(h.freight);
    d.insured_fee = Dec(h.insuredFee);
    d.gross_weight = Dec(h.grossWeight);
    // A modification keeps what later messages recorded on the waybill.
    if (const Doc* old = ctx.Find(kExportWaybill, d.key);
        old != nullptr && old->status >= kStaged) {
      d.arrived_ms = old->arrived_ms;
      d.bill_no = old->bill_no;
    }
    ctx.AddKey("logisticsNo", d.logistics_no);
    const std::string error =
        ElementError(findings, "CEB505Message", "Logistics", i + 1, m.logistics.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) WakeLists(ctx, *doc);
  }
}

void HandleInventories(Context& ctx, const exp::CEB603Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.inventory.size(); ++i) {
    const auto& h = m.inventory[i].inventoryHead;
    Doc d;
    d.export_side = true;
    d.kind = std::string(kExportInventory);
    d.key = Key(h.agentCode.value, h.copNo.value);
    d.guid = h.guid.value;
    d.ebp = h.ebpCode.value;
    d.ebc = h.ebcCode.value;
    d.agent = h.agentCode.value;
    d.customs = h.customsCode.value;
    d.order_no = h.orderNo.value;
    d.logistics_code = h.logisticsCode.value;
    d.logistics_no = h.logisticsNo.value;
    d.cop_no = h.copNo.value;
    d.trade_mode = h.tradeMode.value;
    d.ems_no = h.emsNo.value;
    d.country = h.country.value;
    d.port = h.portCode.value;
    d.traf_mode = h.trafMode.value;
    d.owner = h.ownerCode.value;
    d.statistics_flag = h.statisticsFlag.value;
    d.bill_no = h.billNo.value;
    d.freight = Dec(h.freight);
    d.insured_fee = Dec(h.insuredFee);
    d.gross_weight = Dec(h.grossWeight);
    d.net_weight = Dec(h.netWeight);
    for (const auto& l : m.inventory[i].inventoryList) {
      d.lines.push_back({std::atoi(l.gnum.value.c_str()), l.gname.value, l.gcode.value, Dec(l.qty),
                         Dec(l.price), Dec(l.totalPrice)});
      d.line_item_names.push_back(l.itemName.value);
      d.line_countries.push_back(l.country.value);
      d.line_currencies.push_back(l.currency.value);
      d.line_units1.push_back(l.unit1.value);
      d.line_qty1.push_back(Dec(l.qty1));
      d.goods_value += Dec(l.totalPrice);
    }
    if (!d.line_currencies.empty()) d.currency = d.line_currencies.front();
    d.pre_no = PreNoFor(ctx, d.kind, d.key);
    ctx.AddKey("orderNo", d.order_no);
    ctx.AddKey("logisticsNo", d.logistics_no);
    ctx.AddKey("copNo", d.cop_no);
    const std::string error =
        ElementError(findings, "CEB603Message", "Inventory", i + 1, m.inventory.size());
    // One live list per order, as for import (SPEC22 §7: -621004 清单已申报).
    if (error.empty() && (h.appType.value.empty() || h.appType.value == "1")) {
      auto it = ctx.state().inventory_by_order.find(OrderIndex(d));
      if (it != ctx.state().inventory_by_order.end() && it->second != d.key) {
        const Doc* other = ctx.Find(kExportInventory, it->second);
        if (other != nullptr && other->status > 0 && other->status != kRejected) {
          ExportReject(ctx, d, "export-inventory-declared",
                       fmt::format("订单 {} 已有清单 {}", d.order_no, other->key));
          continue;
        }
      }
    }
    const int64_t declared = BusinessMs(h.appTime);
    Doc* inv = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (inv == nullptr) continue;
    if (declared) inv->declared_ms = declared;  // the rule set in force at the declaration time
    ctx.state().inventory_by_order[OrderIndex(*inv)] = inv->key;
    TryMatch(ctx, *inv);
  }
}

// ---------------------------------------------------------------- transport

// The waybills a CEB507/509 names: its list, or — an arrival list "允许为空"
// — every list declared on its master bill.
std::vector<Doc*> WaybillsOf(Context& ctx, const std::string& logistics_code,
                             const std::string& bill_no,
                             const std::vector<std::string>& logistics_nos,
                             std::vector<std::string>& unknown) {
  std::vector<Doc*> bills;
  if (logistics_nos.empty()) {
    if (bill_no.empty()) return bills;
    ForEachOfKind(ctx, kExportInventory, [&](Doc& inv) {
      if (inv.bill_no != bill_no || inv.logistics_code != logistics_code) return;
      if (Doc* b = ctx.Find(kExportWaybill, Key(inv.logistics_code, inv.logistics_no)))
        bills.push_back(b);
    });
    return bills;
  }
  for (const std::string& no : logistics_nos) {
    Doc* b = ctx.Find(kExportWaybill, Key(logistics_code, no));
    if (b == nullptr) {
      unknown.push_back(no);
    } else {
      bills.push_back(b);
    }
  }
  return bills;
}

// CEB507: the goods are at the supervised site. The CRS mock answers 508 with
// 399 and releases the bill (ceb-messages.md §8.2); dryport releases every
// approved list on a waybill it names (604 with 800). A list approved later
// is released at approval. Each part of a split 507 is judged on its own.
void HandleArrivals(Context& ctx, const exp::CEB507Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.arrival.size(); ++i) {
    const auto& h = m.arrival[i].arrivalHead;
    Doc d;
    d.export_side = true;
    d.kind = kArrival;
    d.msg_seq_no = PartNo(h.msgSeqNo);
    d.key = Key(Key(h.operatorCode.value, h.copNo.value), d.msg_seq_no);
    d.guid = h.guid.value;
    d.customs = h.customsCode.value;
    d.operator_code = h.operatorCode.value;
    d.logistics_code = h.logisticsCode.value;
    d.cop_no = h.copNo.value;
    d.bill_no = h.billNo.value;
    d.traf_mode = h.trafMode.value;
    d.pre_no = PreNoFor(ctx, d.kind, d.key);
    std::vector<std::string> nos;
    for (const auto& l : m.arrival[i].arrivalList) {
      nos.push_back(l.logisticsNo.value);
      ctx.AddKey("logisticsNo", l.logisticsNo.value);
    }
    ctx.AddKey("copNo", d.cop_no);
    ctx.AddKey("billNo", d.bill_no);
    const std::string error =
        ElementError(findings, "CEB507Message", "Arrival", i + 1, m.arrival.size());
    Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (doc == nullptr) continue;
    std::vector<std::string> unknown;
    std::vector<Doc*> to_release;
    const std::vector<Doc*> bills =
        WaybillsOf(ctx, doc->logistics_code, doc->bill_no, nos, unknown);
    for (Doc* b : bills) {
      if (b->arrived_ms == 0) b->arrived_ms = ctx.now_ms();
      Doc* inv = ListOfWaybill(ctx, *b);
      if (inv != nullptr && inv->status == kApproved &&
          std::find(to_release.begin(), to_release.end(), inv) == to_release.end()) {
        to_release.push_back(inv);
      }
    }
    std::string note = fmt::format("运抵 {} 票，放行 {} 票", bills.size(), to_release.size());
    if (!unknown.empty()) note += fmt::format("；未申报的运单 {}", Listed(unknown));
    Move(ctx, *doc, kApproved, "arrival", ctx.rules().Info("approved", note));
    for (Doc* inv : to_release) Release(ctx, *inv);
  }
}

// CEB509: the goods left the country. The CRS mock answers 510 with 399 and
// closes every list on the bill (604 with 899, ceb-messages.md §8.2).
void HandleDepartures(Context& ctx, const exp::CEB509Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.departure.size(); ++i) {
    const auto& h = m.departure[i].departureHead;
    Doc d;
    d.export_side = true;
    d.kind = kDeparture;
    d.msg_seq_no = PartNo(h.msgSeqNo);
    d.key = Key(Key(h.logisticsCode.value, h.copNo.value), d.msg_seq_no);
    d.guid = h.guid.value;
    d.customs = h.customsCode.value;
    d.logistics_code = h.logisticsCode.value;
    d.cop_no = h.copNo.value;
    d.bill_no = h.billNo.value;
    d.traf_mode = h.trafMode.value;
    d.pre_no = PreNoFor(ctx, d.kind, d.key);
    std::vector<std::string> nos;
    for (const auto& l : m.departure[i].departureList) {
      nos.push_back(l.logisticsNo.value);
      ctx.AddKey("logisticsNo", l.logisticsNo.value);
    }
    ctx.AddKey("copNo", d.cop_no);
    ctx.AddKey("billNo", d.bill_no);
    const std::string error =
        ElementError(findings, "CEB509Message", "Departure", i + 1, m.departure.size());
    Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (doc == nullptr) continue;
    std::vector<std::string> unknown;
    std::vector<Doc*> to_close;
    size_t not_released = 0;
    const std::vector<Doc*> bills =
        WaybillsOf(ctx, doc->logistics_code, doc->bill_no, nos, unknown);
    for (Doc* b : bills) {
      Doc* inv = ListOfWaybill(ctx, *b);
      if (inv != nullptr && inv->status == kReleased) {
        if (std::find(to_close.begin(), to_close.end(), inv) == to_close.end())
          to_close.push_back(inv);
      } else {
        ++not_released;  // left without release: reported, not closed
      }
    }
    std::string note = fmt::format("离境 {} 票，结关 {} 票", bills.size(), to_close.size());
    if (not_released > 0) note += fmt::format("；{} 票未放行", not_released);
    if (!unknown.empty()) note += fmt::format("；未申报的运单 {}", Listed(unknown));
    Move(ctx, *doc, kApproved, "departure", ctx.rules().Info("approved", note));
    for (Doc* inv : to_close) Move(ctx, *inv, kClosed, "departed", "结关");
  }
}

// CEB607 清单总分单: binds a master bill (vehicle, voyage) to waybills or
// lists declared earlier (ceb-messages.md §7.1). Answered 2, then 120 once
// every waybill it names is known, else 100.
void HandleWayBills(Context& ctx, const exp::CEB607Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.wayBill.size(); ++i) {
    const auto& h = m.wayBill[i].wayBillHead;
    Doc d;
    d.export_side = true;
    d.kind = kWaybillBill;
    d.msg_seq_no = PartNo(h.msgSeqNo);
    d.key = Key(Key(h.agentCode.value, h.copNo.value), d.msg_seq_no);
    d.guid = h.guid.value;
    d.customs = h.customsCode.value;
    d.agent = h.agentCode.value;
    d.logistics_code = h.logisticsCode.value;
    d.cop_no = h.copNo.value;
    d.bill_no = h.billNo.value;
    d.traf_mode = h.trafMode.value;
    d.gross_weight = Dec(h.grossWeight);
    d.pre_no = PreNoFor(ctx, d.kind, d.key);
    ctx.AddKey("copNo", d.cop_no);
    ctx.AddKey("billNo", d.bill_no);
    for (const auto& l : m.wayBill[i].wayBillList) {
      ctx.AddKey("logisticsNo", l.logisticsNo.value);
      ctx.AddKey("invtNo", l.invtNo.value);
    }
    const std::string error =
        ElementError(findings, "CEB607Message", "WayBill", i + 1, m.wayBill.size());
    Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (doc == nullptr) continue;
    std::vector<Doc*> bills;
    std::vector<std::string> unknown;
    for (const auto& l : m.wayBill[i].wayBillList) {
      Doc* inv = FindExportList(ctx, l.invtNo.value);
      Doc* b = ctx.Find(kExportWaybill, Key(doc->logistics_code, l.logisticsNo.value));
      if (b == nullptr && inv != nullptr)
        b = ctx.Find(kExportWaybill, Key(inv->logistics_code, inv->logistics_no));
      if (b == nullptr || (!l.invtNo.empty() && inv == nullptr)) {
        unknown.push_back(l.invtNo.empty() ? l.logisticsNo.value : l.invtNo.value);
      } else {
        bills.push_back(b);
      }
    }
    if (!unknown.empty()) {
      ExportReject(ctx, *doc, "bill-unknown", Listed(unknown));
      continue;
    }
    for (Doc* b : bills) {
      b->bill_no = doc->bill_no;
      if (Doc* inv = ListOfWaybill(ctx, *b)) {
        inv->bill_no = doc->bill_no;
        if (inv->traf_mode.empty()) inv->traf_mode = doc->traf_mode;
      }
    }
    Move(ctx, *doc, kAccepted, "bound",
         ctx.rules().Info("logic-ok",
                          fmt::format("提运单 {} 绑定 {} 票运单", doc->bill_no, bills.size())));
  }
}

// ---------------------------------------------------------------- exceptions

// CEB605: revocation of a list not yet released (status below 800).
void HandleCancels(Context& ctx, const exp::CEB605Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.invtCancel.size(); ++i) {
    const auto& h = m.invtCancel[i];
    Doc c;
    c.export_side = true;
    c.kind = kExportCancel;
    c.key = Key(h.agentCode.value, h.copNo.value);
    c.guid = h.guid.value;
    c.customs = h.customsCode.value;
    c.agent = h.agentCode.value;
    c.ebc = h.ebcCode.value;
    c.cop_no = h.copNo.value;
    c.invt_no = h.invtNo.value;
    c.pre_no = PreNoFor(ctx, c.kind, c.key);
    ctx.AddKey("invtNo", c.invt_no);
    ctx.AddKey("copNo", c.cop_no);
    const std::string error =
        ElementError(findings, "CEB605Message", "InvtCancel", i + 1, m.invtCancel.size());
    // By invtNo; a list still waiting has none yet, so also by agentCode +
    // copNo (the list's own copNo), as import_flow does for CEB623.
    Doc* inv = FindExportList(ctx, h.invtNo.value);
    if (inv == nullptr) inv = ctx.Find(kExportInventory, Key(h.agentCode.value, h.copNo.value));
    if (error.empty() && inv == nullptr) {
      ExportReject(ctx, c, "export-revoke-unknown", h.invtNo.value);
      continue;
    }
    const bool revocable =
        inv != nullptr && inv->status > 0 && inv->status < kReleased && inv->status != kRejected;
    if (error.empty() && !revocable) {
      ExportReject(ctx, c, "export-revoke-state", fmt::format("清单状态 {}", inv->status));
      continue;
    }
    Doc* cancel = Admit(ctx, std::move(c), h.appType, h.appStatus, error);
    if (cancel == nullptr) continue;
    if (cancel->invt_no.empty()) cancel->invt_no = inv->invt_no;
    Move(ctx, *cancel, kAccepted, "revocation", ctx.rules().Info("logic-ok"));
    // The text real CEB624 receipts carry (ceb-messages.md §6.2), as
    // import_flow.cc writes it: the detail after 审核通过 and an ASCII comma.
    const ReturnCode& approved = ctx.rules().Code("approved");
    Move(ctx, *cancel, kApproved, "revocation",
         fmt::format("[Code:{};Desc:{},撤单申请审核通过,清单已成功撤单]", approved.code,
                     approved.text));
    ctx.state().waiting.erase(WaitId(inv->key));
    ctx.SetStatus(*inv, kRevoked, "revoked", fmt::format("撤销申请 {}", cancel->key));
    ctx.state().inventory_by_order.erase(OrderIndex(*inv));
  }
}

// CEB213: return of exported goods, within one year of the release
// (customs-rules.md §2 "Exports: returns"). Answered 2 and 120; released
// (800) once the goods are tallied back in (CEB215). RefundReturn has no 399
// in its value list (XSD22-E).
void HandleRefunds(Context& ctx, const exp::CEB213Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.invtRefund.size(); ++i) {
    const auto& h = m.invtRefund[i].invtRefundHead;
    Doc r;
    r.export_side = true;
    r.kind = kExportRefund;
    r.key = Key(h.agentCode.value, h.coElNo.value);
    r.guid = h.guid.value;
    r.customs = h.customsCode.value;
    r.ebp = h.ebpCode.value;
    r.ebc = h.ebcCode.value;
    r.agent = h.agentCode.value;
    r.cop_no = h.coElNo.value;
    r.invt_no = h.invtNo.value;
    r.logistics_code = h.logisticsCode.value;
    r.logistics_no = h.logisticsNo.value;
    r.bill_no = h.billNo.value;
    r.trade_mode = h.tradeMode.value;
    r.pre_no = PreNoFor(ctx, r.kind, r.key);
    ctx.AddKey("invtNo", r.invt_no);
    ctx.AddKey("copNo", r.cop_no);
    ctx.AddKey("logisticsNo", r.logistics_no);
    const std::string error =
        ElementError(findings, "CEB213Message", "InvtRefund", i + 1, m.invtRefund.size());
    if (error.empty()) {
      // By invtNo, else by the original waybill ("可以与原出口运单号一致",
      // XSD22-E InvtRefundHead.logisticsNo) of the same consignor: a sender
      // that never read the CEB604 does not know the number customs assigned.
      const Doc* inv = FindExportList(ctx, h.invtNo.value);
      if (inv == nullptr) {
        if (const Doc* bill =
                ctx.Find(kExportWaybill, Key(h.logisticsCode.value, h.logisticsNo.value))) {
          inv = ListOfWaybill(ctx, *bill);
          if (inv != nullptr && inv->ebc != h.ebcCode.value) inv = nullptr;
        }
        if (inv != nullptr) r.invt_no = inv->invt_no;  // the 214 names the list
      }
      if (inv == nullptr) {
        ExportReject(ctx, r, "export-refund-unknown", h.invtNo.value);
        continue;
      }
      if (!Released(*inv)) {
        ExportReject(ctx, r, "export-refund-state", fmt::format("清单状态 {}", inv->status));
        continue;
      }
      if (ctx.now_ms() > OneYearAfter(inv->released_ms)) {
        ExportReject(
            ctx, r, "export-refund-window",
            fmt::format("放行于 {}",
                        Timestamp::FromMillis(inv->released_ms).Format(TimeFormat::kCompactDate)));
        continue;
      }
      std::string too_much;
      for (const auto& l : m.invtRefund[i].invtRefundList) {
        const int gnum = std::atoi(l.gnum.value.c_str());
        auto orig = std::find_if(inv->lines.begin(), inv->lines.end(),
                                 [&](const Line& x) { return x.gnum == gnum; });
        if (orig == inv->lines.end() || Dec(l.qty) > orig->qty) {
          too_much = fmt::format("第 {} 项", gnum);
          break;
        }
      }
      if (!too_much.empty()) {
        ExportReject(ctx, r, "export-refund-qty", too_much);
        continue;
      }
    }
    Doc* refund = Admit(ctx, std::move(r), h.appType, h.appStatus, error);
    if (refund == nullptr) continue;
    Move(ctx, *refund, kAccepted, "return", ctx.rules().Info("logic-ok"));
  }
}

// CEB215 理货明细单: the returned goods are back at the site. Answered 2 and
// 399; the return application it belongs to (by invtNo, else by waybill) is
// released (214 with 800). The order 213 -> 215 -> release is dryport's
// reading of the message names and value lists: UNCERTAIN.
void HandleTallies(Context& ctx, const exp::CEB215Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.invtRefundDetail.size(); ++i) {
    const auto& h = m.invtRefundDetail[i];
    Doc t;
    t.export_side = true;
    t.kind = kExportTally;
    t.key = Key(h.operatorCode.value, h.coElNo.value);
    t.guid = h.guid.value;
    t.customs = h.customsCode.value;
    t.operator_code = h.operatorCode.value;
    t.logistics_code = h.logisticsCode.value;
    t.logistics_no = h.logisticsNo.value;
    t.cop_no = h.coElNo.value;
    t.invt_no = h.invtNo.value;
    t.bill_no = h.billNo.value;
    t.pre_no = PreNoFor(ctx, t.kind, t.key);
    ctx.AddKey("invtNo", t.invt_no);
    ctx.AddKey("copNo", t.cop_no);
    ctx.AddKey("logisticsNo", t.logistics_no);
    const std::string error = ElementError(findings, "CEB215Message", "InvtRefundDetail", i + 1,
                                           m.invtRefundDetail.size());
    Doc* tally = Admit(ctx, std::move(t), h.appType, h.appStatus, error);
    if (tally == nullptr) continue;
    std::vector<Doc*> refunds;
    ForEachOfKind(ctx, kExportRefund, [&](Doc& r) {
      if (r.status != kAccepted) return;
      const bool by_invt = !tally->invt_no.empty() && r.invt_no == tally->invt_no;
      const bool by_bill = tally->invt_no.empty() && r.logistics_code == tally->logistics_code &&
                           r.logistics_no == tally->logistics_no;
      if (by_invt || by_bill) refunds.push_back(&r);
    });
    if (refunds.empty()) {
      ExportReject(ctx, *tally, "tally-unknown",
                   tally->invt_no.empty() ? tally->logistics_no : tally->invt_no);
      continue;
    }
    Move(ctx, *tally, kApproved, "tally", ctx.rules().Info("approved"));
    for (Doc* r : refunds) Move(ctx, *r, kReleased, "returned", ctx.rules().Info("released"));
  }
}

// ---------------------------------------------------------------- summary

std::string Weight(const Decimal& d) { return d.Rounded(5).Normalized().ToString(); }

// The declaration's goods lines, for the 792's free-text note (the 792 has
// no element for them): "1 7013490000/502/502 玻璃杯 qty 12 total 345.60; ...".
std::string LinesNote(const Declaration& decl) {
  std::string out;
  for (const DeclarationLine& l : decl.lines) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {}/{}/{} {} qty {} total {}", l.seq, l.hs, l.currency, l.country, l.name,
                       l.qty.Normalized().ToString(), l.total.ToString());
  }
  return Clip(out, 1000);
}

// One CEB792 per 100 declarations, each SummaryResult one declaration with
// its own declSeqNo (ceb-messages.md §8.5: declSeqNo maps one-to-one to an
// export customs declaration).
void SendResults(Context& ctx, const exp::SummaryApplyHead& h, const std::string& sum_no,
                 const std::vector<Declaration>& decls) {
  const size_t messages = (decls.size() + kResultsPerMessage - 1) / kResultsPerMessage;
  for (size_t k = 0; k < messages; ++k) {
    exp::CEB792Message msg;
    msg.guid = ctx.NextGuid();
    msg.version = "1.0";
    for (size_t j = k * kResultsPerMessage;
         j < std::min(decls.size(), (k + 1) * kResultsPerMessage); ++j) {
      const Declaration& decl = decls[j];
      auto& result = msg.summaryResult.emplace_back();
      auto& rh = result.summaryResultHead;
      rh.guid = ctx.NextGuid();
      rh.customsCode = h.customsCode.value;
      rh.sumNo = sum_no;
      rh.opDate = ctx.ReturnTime();
      rh.declSeqNo = CustomsNumber(ctx, h.customsCode.value, 'D');
      // "具体返回值由海关确定": no value is public. dryport's 0 = no customs
      // declaration filed yet (decTmpNo/decPreNo/entryId come later).
      rh.decState = "0";
      rh.agentCode = h.agentCode.value;
      rh.agentName = h.agentName.value;
      rh.ebcCode = h.ebcCode.value;
      rh.ebcName = h.ebcName.value;
      rh.declAgentCode = h.declAgentCode.value;
      rh.declAgentName = h.declAgentName.value;
      rh.grossWeight = Weight(decl.gross_weight);
      rh.netWeight = Weight(decl.net_weight);
      rh.msgCount = std::to_string(messages);
      rh.msgSeqNo = std::to_string(k + 1);
      rh.note = LinesNote(decl);
      ctx.AddKey("declSeqNo", rh.declSeqNo.value);
      // gseqno numbers the result's own rows 1..n ("汇总结果单的顺序号";
      // document_rules.cc checks it so).
      int gseqno = 0;
      for (const DeclarationItem& item : decl.items) {
        auto& row = result.summaryResultList.emplace_back();
        row.invtNo = item.invt_no;
        row.logisticsNo = item.logistics_no;
        row.gseqno = std::to_string(++gseqno);
        row.gnum = std::to_string(item.gnum);
        row.gcode = item.hs;
      }
    }
    ctx.AddReceipt(ceb::Message{std::move(msg)}, sum_no);
  }
}

// Judges a whole summary application (all its parts are in).
void Summarise(Context& ctx, const exp::SummaryApplyHead& h, const std::vector<Doc*>& parts) {
  const std::string ebc = h.ebcCode.value;
  const std::string customs = h.customsCode.value;
  std::vector<Doc*> lists;
  std::vector<std::string> problems;
  const bool by_range = !h.startTime.empty() && !h.endTime.empty();
  if (by_range) {
    // "如指定时间范围将忽略表体数据": every list of the consignor released in
    // the range and not yet summarised.
    const int64_t start = BusinessMs(h.startTime);
    const int64_t end = BusinessMs(h.endTime);
    ForEachOfKind(ctx, kExportInventory, [&](Doc& inv) {
      if (inv.ebc != ebc || inv.customs != customs || !Released(inv)) return;
      if (inv.released_ms < start || inv.released_ms > end) return;
      if (Summarisable(ToExportList(inv))) lists.push_back(&inv);
    });
  } else {
    std::set<std::string> seen;
    for (const Doc* p : parts) {
      for (const std::string& invt_no : p->refs) {
        if (!seen.insert(invt_no).second) continue;
        Doc* inv = FindExportList(ctx, invt_no);
        if (inv == nullptr) {
          problems.push_back(fmt::format("{} 不存在", invt_no));
        } else if (inv->ebc != ebc || inv->customs != customs) {
          problems.push_back(fmt::format("{} 收发货人或关区不符", invt_no));
        } else if (!Released(*inv)) {
          problems.push_back(fmt::format("{} 未放行", invt_no));
        } else if (inv->statistics_flag != "B") {
          problems.push_back(
              fmt::format("{} 非汇总申报清单(statisticsFlag {})", invt_no, inv->statistics_flag));
        } else if (!inv->sum_no.empty()) {
          problems.push_back(fmt::format("{} 已汇总({})", invt_no, inv->sum_no));
        } else {
          lists.push_back(inv);
        }
      }
    }
  }
  if (!problems.empty() || lists.empty()) {
    const std::string detail = !problems.empty() ? Listed(problems)
                               : by_range
                                   ? fmt::format("{} 至 {}", h.startTime.value, h.endTime.value)
                                   : std::string();
    for (Doc* p : parts)
      ExportReject(ctx, *p, problems.empty() ? "summary-empty" : "summary-invalid", detail);
    return;
  }
  const std::string sum_no = CustomsNumber(ctx, customs, 'S');
  std::vector<ExportList> xs;
  for (const Doc* inv : lists) xs.push_back(ToExportList(*inv));
  const std::vector<Declaration> decls =
      Consolidate(xs, SummaryOptions::FromFlags(h.summaryFlag.value, h.itemNameFlag.value));
  ctx.AddKey("sumNo", sum_no);
  for (Doc* p : parts) {
    p->sum_no = sum_no;
    Move(ctx, *p, kAccepted, "summary", ctx.rules().Info("logic-ok"));
    Move(ctx, *p, kApproved, "summary",
         ctx.rules().Info("approved", fmt::format("汇总申请编号 {}，清单 {} 张，报关单 {} 份",
                                                  sum_no, lists.size(), decls.size())));
  }
  for (Doc* inv : lists) {
    inv->sum_no = sum_no;
    // Same status: an event, and the stored state now names the summary.
    ctx.SetStatus(*inv, inv->status, "summarised", fmt::format("汇总申请编号 {}", sum_no));
  }
  SendResults(ctx, h, sum_no, decls);
}

// CEB701. A split application (msgCount > 1) is judged when its last part is
// in: every part is kept as its own document (agentCode|copNo|msgSeqNo).
void HandleSummaries(Context& ctx, const exp::CEB701Message& m, const Findings& findings) {
  for (size_t i = 0; i < m.summaryApply.size(); ++i) {
    const auto& h = m.summaryApply[i].summaryApplyHead;
    const std::string base = Key(h.agentCode.value, h.copNo.value);
    Doc d;
    d.export_side = true;
    d.kind = kSummary;
    d.msg_seq_no = PartNo(h.msgSeqNo);
    d.key = Key(base, d.msg_seq_no);
    d.guid = h.guid.value;
    d.customs = h.customsCode.value;
    d.agent = h.agentCode.value;
    d.ebc = h.ebcCode.value;
    d.cop_no = h.copNo.value;
    d.pre_no = PreNoFor(ctx, d.kind, d.key);
    for (const auto& l : m.summaryApply[i].summaryApplyList) {
      d.refs.push_back(l.invtNo.value);
      ctx.AddKey("invtNo", l.invtNo.value);
    }
    ctx.AddKey("copNo", d.cop_no);
    ctx.AddKey("ebcCode", d.ebc);
    const std::string error =
        ElementError(findings, "CEB701Message", "SummaryApply", i + 1, m.summaryApply.size());
    Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (doc == nullptr) continue;
    const int64_t count = std::stoll(PartNo(h.msgCount));
    std::vector<Doc*> parts;
    for (int64_t k = 1; k <= count; ++k) {
      Doc* p = ctx.Find(kSummary, Key(base, std::to_string(k)));
      if (p == nullptr || p->status != kDeclared) break;  // a part is missing: wait for it
      parts.push_back(p);
    }
    if (static_cast<int64_t>(parts.size()) == count) Summarise(ctx, h, parts);
  }
}

}  // namespace

// ---------------------------------------------------------------- entry points

void HandleExport(Context& ctx, const ceb::Message& message,
                  const std::vector<ceb::Finding>& findings) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, exp::CEB303Message>) {
          HandleOrders(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB403Message>) {
          HandleReceipts(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB505Message>) {
          HandleWaybills(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB603Message>) {
          HandleInventories(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB507Message>) {
          HandleArrivals(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB509Message>) {
          HandleDepartures(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB607Message>) {
          HandleWayBills(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB605Message>) {
          HandleCancels(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB213Message>) {
          HandleRefunds(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB215Message>) {
          HandleTallies(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, exp::CEB701Message>) {
          HandleSummaries(ctx, m, findings);
        }
      },
      message.body);
}

// For the lead to wire (declared in engine_internal.h once wired):
// Engine::Tick asks ExportTickDue to decide whether a tick is due, and
// HandleTick calls HandleExportTick, so waiting export lists expire like
// import inventories.
bool ExportTickDue(Context& ctx) {
  for (const std::string& key : WaitingLists(ctx)) {
    const Doc* d = ctx.Find(kExportInventory, key);
    if (d != nullptr && d->deadline_ms <= ctx.now_ms()) return true;
  }
  return false;
}

void HandleExportTick(Context& ctx) {
  for (const std::string& key : WaitingLists(ctx)) {
    Doc* inv = ctx.Find(kExportInventory, key);
    if (inv == nullptr || inv->status != kDeclared) {
      ctx.state().waiting.erase(WaitId(key));
      continue;
    }
    if (inv->deadline_ms > ctx.now_ms()) continue;
    ctx.state().waiting.erase(WaitId(key));
    std::string missing;
    auto note = [&](const Doc* d, std::string_view name) {
      if (Live(d)) return;
      if (!missing.empty()) missing += "、";
      missing += name;
    };
    note(ctx.Find(kExportOrder, Key(inv->ebc, inv->order_no)), "订单");
    note(ctx.Find(kExportWaybill, Key(inv->logistics_code, inv->logistics_no)), "运单");
    if (ReceiptRequired(ctx, *inv))
      note(ctx.Find(kExportReceipt, Key(inv->ebc, inv->order_no)), "收款单");
    ExportReject(ctx, *inv, "documents-missing", "未收到" + missing);
  }
}

// The export fields of a document's stored state (context.cc StateJson
// merges them in): an export list's full ExportListToJson, which
// `dryport summary --month` reads back (summary.h); other export documents
// their E-Port and customs numbers.
nlohmann::ordered_json ExportStateJson(const Doc& d) {
  if (d.kind == kExportInventory) return ExportListToJson(ToExportList(d));
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("preNo", d.pre_no);
  put("billNo", d.bill_no);
  put("sumNo", d.sum_no);
  put("msgSeqNo", d.msg_seq_no);
  return j;
}

}  // namespace dryport::clearance::internal
