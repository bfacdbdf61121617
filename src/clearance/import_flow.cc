// Import (9610 direct purchase, 1210 bonded): CEB311 order, CEB411 payment,
// CEB511 waybill, CEB621 inventory and what follows from them — matching,
// limits, tax, risk, release — plus revocation (623), returns (625), waybill
// status (513) and the arrival list (711).
// Sources: ceb-messages.md §8.1, §8.4; customs-rules.md §2, §3.
#include <algorithm>

#include <fmt/format.h>

#include "clearance/engine_internal.h"
#include "clearance/risk.h"
#include "core/time.h"

namespace dryport::clearance::internal {
namespace {

namespace imp = ceb::imp;

// ---------------------------------------------------------------- receipts

}  // namespace

void SendImportReceipt(Context& ctx, const Doc& d, int status, std::string_view info) {
  const std::string st = std::to_string(status);
  const std::string time = ctx.ReturnTime();
  auto fill = [&](auto& r) {
    r.guid = d.guid;
    r.returnStatus = st;
    r.returnTime = time;
    r.returnInfo = std::string(info);
  };
  if (d.kind == kOrder) {
    imp::CEB312Message m;
    m.guid = ctx.NextGuid();
    m.version = "1.0";
    auto& r = m.orderReturn.emplace_back();
    fill(r);
    r.ebpCode = d.ebp;
    r.ebcCode = d.ebc;
    r.orderNo = d.order_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.order_no);
  } else if (d.kind == kPayment) {
    imp::CEB412Message m;
    m.guid = ctx.NextGuid();
    m.version = "1.0";
    auto& r = m.paymentReturn.emplace_back();
    fill(r);
    r.payCode = d.pay_code;
    r.payTransactionId = d.pay_tx;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.pay_tx);
  } else if (d.kind == kWaybill) {
    imp::CEB512Message m;
    m.guid = ctx.NextGuid();
    m.version = "1.0";
    auto& r = m.logisticsReturn.emplace_back();
    fill(r);
    r.logisticsCode = d.logistics_code;
    r.logisticsNo = d.logistics_no;
    ctx.AddReceipt(ceb::Message{std::move(m)}, d.logistics_no);
  } else if (d.kind == kInventory || d.kind == kCancel || d.kind == kRefund) {
    auto fill_invt = [&](auto& r) {
      fill(r);
      r.customsCode = d.customs;
      r.ebpCode = d.ebp;
      r.ebcCode = d.ebc;
      r.agentCode = d.agent;
      r.copNo = d.cop_no;
      r.invtNo = d.invt_no;
    };
    if (d.kind == kInventory) {
      imp::CEB622Message m;
      m.guid = ctx.NextGuid();
      m.version = "1.0";
      fill_invt(m.inventoryReturn.emplace_back());
      ctx.AddReceipt(ceb::Message{std::move(m)}, d.order_no);
    } else if (d.kind == kCancel) {
      imp::CEB624Message m;
      m.guid = ctx.NextGuid();
      m.version = "1.0";
      fill_invt(m.invtCancelReturn.emplace_back());
      ctx.AddReceipt(ceb::Message{std::move(m)}, d.invt_no);
    } else {
      imp::CEB626Message m;
      m.guid = ctx.NextGuid();
      m.version = "1.0";
      fill_invt(m.invtRefundReturn.emplace_back());
      ctx.AddReceipt(ceb::Message{std::move(m)}, d.invt_no);
    }
  }
}

namespace {

void SendTax(Context& ctx, const Doc& inv, const std::vector<LineTax>& line_taxes, const std::vector<Decimal>& bases) {
  imp::CEB816Message m;
  m.guid = ctx.NextGuid();
  m.version = "1.0";
  auto& tax = m.tax.emplace_back();
  auto& h = tax.taxHeadRd;
  h.guid = ctx.NextGuid();
  h.returnTime = ctx.ReturnTime();
  h.invtNo = inv.invt_no;
  h.taxNo = inv.tax_no;
  h.customsTax = "0";
  h.valueAddedTax = inv.tax_vat.ToString(2);
  h.consumptionTax = inv.tax_consumption.ToString(2);
  h.status = "1";  // 已生成
  h.assureCode = inv.ebc;
  h.ebcCode = inv.ebc;
  h.logisticsCode = inv.logistics_code;
  h.agentCode = inv.agent;
  h.customsCode = inv.customs;
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    auto& l = tax.taxListRd.emplace_back();
    l.gnum = std::to_string(inv.lines[i].gnum);
    l.gcode = inv.lines[i].hs;
    l.taxPrice = bases[i].ToString(2);
    l.customsTax = line_taxes[i].customs.ToString(2);
    l.valueAddedTax = line_taxes[i].vat.ToString(2);
    l.consumptionTax = line_taxes[i].consumption.ToString(2);
  }
  ctx.AddReceipt(ceb::Message{std::move(m)}, inv.invt_no);
}

void SendTaxVoid(Context& ctx, const Doc& inv) {
  if (inv.tax_no.empty()) return;
  imp::CEB818Message m;
  m.guid = ctx.NextGuid();
  m.version = "1.0";
  auto& h = m.tax.emplace_back().taxHeadStatus;
  h.guid = ctx.NextGuid();
  h.returnTime = ctx.ReturnTime();
  h.invtNo = inv.invt_no;
  h.taxNo = inv.tax_no;
  h.status = "3";  // 作废
  h.assureCode = inv.ebc;
  ctx.AddReceipt(ceb::Message{std::move(m)}, inv.invt_no);
}

// Gives an inventory's quota back (revocation, return abroad).
void ReleaseQuota(Context& ctx, Doc& inv, const Decimal& amount) {
  if (inv.quota_key.empty() || amount.IsZero()) return;
  Decimal& used = ctx.state().quota[inv.quota_key];
  used -= amount;
  inv.quota_amount -= amount;
  ctx.AddCounter("quota", inv.quota_key, used);
}

// ---------------------------------------------------------------- matching

void TryMatch(Context& ctx, Doc& inv);

// An order, payment or waybill arrived: an inventory may have waited for it.
void WakeInventories(Context& ctx, std::string_view order_no) {
  std::vector<std::string> keys;
  for (const std::string& k : ctx.state().waiting) {
    Doc* inv = ctx.Find(kInventory, k);
    if (inv != nullptr && inv->order_no == order_no) keys.push_back(k);
  }
  for (const std::string& k : keys) TryMatch(ctx, *ctx.Find(kInventory, k));
}

// The first consistency rule the four documents break, as (code id, detail);
// empty when they agree. customs-rules.md §3 table, in its order.
std::pair<std::string, std::string> Mismatch(const Context& ctx, const Doc& inv, const Doc& order, const Doc& pay,
                                             const Doc& bill) {
  const Decimal tol = ctx.rules().At(inv.declared_ms).amount_tolerance;
  auto differ = [&](const Decimal& a, const Decimal& b) { return (a - b > tol) || (b - a > tol); };
  if (inv.ebp != order.ebp || inv.ebc != order.ebc) {
    return {"enterprise-mismatch", fmt::format("清单 {}/{} 订单 {}/{}", inv.ebp, inv.ebc, order.ebp, order.ebc)};
  }
  if (bill.order_no != inv.order_no) {
    return {"waybill-mismatch", fmt::format("运单 {} 属于订单 {}", bill.logistics_no, bill.order_no)};
  }
  for (const Doc* d : {&inv, &order, &pay, &bill}) {
    if (!d->currency.empty() && d->currency != "142") {
      return {"currency", fmt::format("{} 币制 {}", d->kind, d->currency)};
    }
  }
  if (differ(order.paid, pay.paid)) {
    return {"amount-mismatch", fmt::format("订单实际支付 {} 支付单 {}", order.paid.ToString(), pay.paid.ToString())};
  }
  if (order.buyer.name != pay.buyer.name || order.buyer.id_number != pay.buyer.id_number) {
    return {"buyer-payer-mismatch", fmt::format("订购人 {} 支付人 {}", order.buyer.name, pay.buyer.name)};
  }
  if (inv.buyer.name != order.buyer.name || inv.buyer.id_number != order.buyer.id_number) {
    return {"inventory-buyer-mismatch", fmt::format("清单订购人 {} 订单订购人 {}", inv.buyer.name, order.buyer.name)};
  }
  if (!order.pay_code.empty() && order.pay_code != pay.pay_code) {
    return {"pay-enterprise-mismatch", fmt::format("订单支付企业 {} 支付单 {}", order.pay_code, pay.pay_code)};
  }
  if (order.consignee.name != bill.consignee.name || order.consignee.telephone != bill.consignee.telephone) {
    return {"consignee-mismatch", fmt::format("订单收货人 {} 运单收货人 {}", order.consignee.name, bill.consignee.name)};
  }
  if (inv.lines.size() != order.lines.size()) {
    return {"items-mismatch", fmt::format("清单 {} 项，订单 {} 项", inv.lines.size(), order.lines.size())};
  }
  for (const Line& il : inv.lines) {
    auto ol = std::find_if(order.lines.begin(), order.lines.end(), [&](const Line& l) { return l.gnum == il.gnum; });
    if (ol == order.lines.end()) return {"items-mismatch", fmt::format("清单第 {} 项在订单中不存在", il.gnum)};
    if (ol->name != il.name || ol->qty != il.qty || differ(ol->price, il.price) || differ(ol->total, il.total)) {
      return {"items-mismatch", fmt::format("第 {} 项 {} ≠ 订单 {}", il.gnum, il.name, ol->name)};
    }
  }
  return {};
}

void Release(Context& ctx, Doc& inv) {
  Move(ctx, inv, kReleased, "released", ctx.rules().Info("released"));
  inv.released_ms = ctx.now_ms();
  ++ctx.core_counters().released;
}

void Accept(Context& ctx, Doc& inv, Doc& order, Doc& pay, Doc& bill) {
  const RuleSet& rs = ctx.rules().At(inv.declared_ms);
  Decimal goods;
  for (const Line& l : inv.lines) goods += l.total;
  const Decimal extra = inv.freight + inv.insured_fee;
  const Decimal dutiable = goods + extra;

  // Limits (customs-rules.md §2): one indivisible item above the single
  // limit may still come in, taxed in full and counted against the year.
  const bool single_item = inv.lines.size() == 1 && inv.lines[0].qty == Decimal::FromInt(1);
  const bool over_single = dutiable > rs.single_limit;
  if (over_single && !single_item) {
    Reject(ctx, inv, "single-limit", fmt::format("{} > {} ({})", dutiable.ToString(2), rs.single_limit.ToString(), rs.id));
    return;
  }
  const int year = Timestamp::FromMillis(ctx.now_ms()).year();
  const std::string quota_key = Key(inv.buyer.id_number, std::to_string(year));
  Decimal& used = ctx.state().quota[quota_key];
  if (used + dutiable > rs.annual_limit) {
    Reject(ctx, inv, "annual-limit",
           fmt::format("{} 年已用 {} + {} > {} ({})", year, used.ToString(2), dutiable.ToString(2),
                       rs.annual_limit.ToString(), rs.id));
    return;
  }
  used += dutiable;
  inv.quota_key = quota_key;
  inv.quota_amount = dutiable;
  ctx.AddCounter("quota", quota_key, used);

  // Customs accepts: the three documents and the inventory reach 120.
  const std::string ok = ctx.rules().Info("logic-ok");
  for (Doc* d : {&order, &pay, &bill}) {
    if (d->status != kAccepted) Move(ctx, *d, kAccepted, "matched", ok);
  }
  inv.invt_no = fmt::format("{}{}I{:09d}", inv.customs.empty() ? "0000" : inv.customs, year,
                            ++ctx.state().invt_serial);
  ctx.state().inventory_by_invt_no[inv.invt_no] = inv.key;
  ctx.AddKey("invtNo", inv.invt_no);
  Move(ctx, inv, kAccepted, "matched", ok);

  // Tax (CEB816): freight and insurance spread over the lines by value; the
  // last line takes the rounding remainder so the bases add up exactly.
  const Decimal factor = over_single ? Decimal::FromInt(1) : rs.tax_factor;
  std::vector<Decimal> bases;
  std::vector<LineTax> taxes;
  Decimal spread;
  for (size_t i = 0; i < inv.lines.size(); ++i) {
    Decimal share;
    if (i + 1 == inv.lines.size()) {
      share = extra - spread;
    } else if (!goods.IsZero()) {
      share = (inv.lines[i].total * extra).Divide(goods, 2).value();
    }
    spread += share;
    bases.push_back(inv.lines[i].total + share);
    taxes.push_back(ComputeLineTax(bases.back(), ctx.rules().RateFor(inv.lines[i].hs), factor));
    inv.tax_vat += taxes.back().vat;
    inv.tax_consumption += taxes.back().consumption;
  }
  inv.tax_no = inv.invt_no + "_0";
  SendTax(ctx, inv, taxes, bases);

  RiskFacts facts;
  facts.key = inv.key;
  facts.enterprises = {inv.ebp, inv.ebc, inv.agent, inv.logistics_code};
  for (const Line& l : inv.lines) facts.hs_codes.push_back(l.hs);
  facts.value = dutiable;
  facts.gross_weight = inv.gross_weight;
  if (std::optional<RiskHit> hit = EvaluateRisk(ctx.options().risk, facts)) {
    inv.risk_rule = hit->rule;
    const std::string info = hit->status == kManualReview ? ctx.rules().Info("manual-review", hit->reason)
                                                          : fmt::format("查验: {}", hit->reason);
    Move(ctx, inv, hit->status, "risk:" + hit->rule, info);
    return;
  }
  Move(ctx, inv, kApproved, "approved", ctx.rules().Info("approved"));
  Release(ctx, inv);
}

void TryMatch(Context& ctx, Doc& inv) {
  Doc* order = ctx.Find(kOrder, Key(inv.ebp, inv.order_no));
  Doc* pay = nullptr;
  if (auto it = ctx.state().payment_by_order.find(Key(inv.ebp, inv.order_no)); it != ctx.state().payment_by_order.end()) {
    pay = ctx.Find(kPayment, it->second);
  }
  Doc* bill = ctx.Find(kWaybill, Key(inv.logistics_code, inv.logistics_no));
  if (!Live(order) || !Live(pay) || !Live(bill)) {
    if (inv.deadline_ms == 0) inv.deadline_ms = ctx.now_ms() + ctx.options().matching_window_ms;
    ctx.state().waiting.insert(inv.key);
    return;
  }
  ctx.state().waiting.erase(inv.key);
  auto [code, detail] = Mismatch(ctx, inv, *order, *pay, *bill);
  if (!code.empty()) {
    Reject(ctx, inv, code, detail);
    return;
  }
  Accept(ctx, inv, *order, *pay, *bill);
}

// ---------------------------------------------------------------- parsing

std::vector<Line> OrderLines(const std::vector<imp::OrderList>& list) {
  std::vector<Line> out;
  for (const auto& l : list) {
    out.push_back({std::atoi(l.gnum.value.c_str()), l.itemName.value, "", Dec(l.qty), Dec(l.price), Dec(l.totalPrice)});
  }
  return out;
}

void HandleOrders(Context& ctx, const imp::CEB311Message& m, const std::vector<ceb::Finding>& findings) {
  for (size_t i = 0; i < m.order.size(); ++i) {
    const auto& h = m.order[i].orderHead;
    Doc d;
    d.kind = kOrder;
    d.key = Key(h.ebpCode.value, h.orderNo.value);
    d.guid = h.guid.value;
    d.ebp = h.ebpCode.value;
    d.ebc = h.ebcCode.value;
    d.order_no = h.orderNo.value;
    d.pay_code = h.payCode.value;
    d.pay_tx = h.payTransactionId.value;
    d.buyer = {h.buyerName.value, h.buyerIdNumber.value, h.buyerTelephone.value};
    d.consignee = {h.consignee.value, "", h.consigneeTelephone.value};
    d.consignee_address = h.consigneeAddress.value;
    d.currency = h.currency.value;
    d.goods_value = Dec(h.goodsValue);
    d.freight = Dec(h.freight);
    d.discount = Dec(h.discount);
    d.tax_total = Dec(h.taxTotal);
    d.paid = Dec(h.acturalPaid);
    d.lines = OrderLines(m.order[i].orderList);
    ctx.AddKey("orderNo", d.order_no);
    ctx.AddKey("ebpCode", d.ebp);
    const std::string error = ElementError(findings, "CEB311Message", "Order", i + 1, m.order.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) WakeInventories(ctx, doc->order_no);
  }
}

void HandlePayments(Context& ctx, const imp::CEB411Message& m, const std::vector<ceb::Finding>& findings) {
  for (size_t i = 0; i < m.payment.size(); ++i) {
    const auto& h = m.payment[i].paymentHead;
    Doc d;
    d.kind = kPayment;
    d.key = Key(h.payCode.value, h.payTransactionId.value);
    d.guid = h.guid.value;
    d.pay_code = h.payCode.value;
    d.pay_tx = h.payTransactionId.value;
    d.order_no = h.orderNo.value;
    d.ebp = h.ebpCode.value;
    d.buyer = {h.payerName.value, h.payerIdNumber.value, h.telephone.value};
    d.paid = Dec(h.amountPaid);
    d.currency = h.currency.value;
    ctx.AddKey("payTransactionId", d.pay_tx);
    ctx.AddKey("orderNo", d.order_no);
    const std::string error = ElementError(findings, "CEB411Message", "Payment", i + 1, m.payment.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) {
      ctx.state().payment_by_order[Key(doc->ebp, doc->order_no)] = doc->key;
      WakeInventories(ctx, doc->order_no);
    }
  }
}

void HandleWaybills(Context& ctx, const imp::CEB511Message& m, const std::vector<ceb::Finding>& findings) {
  for (size_t i = 0; i < m.logistics.size(); ++i) {
    const auto& h = m.logistics[i].logisticsHead;
    Doc d;
    d.kind = kWaybill;
    d.key = Key(h.logisticsCode.value, h.logisticsNo.value);
    d.guid = h.guid.value;
    d.logistics_code = h.logisticsCode.value;
    d.logistics_no = h.logisticsNo.value;
    d.order_no = h.orderNo.value;
    d.consignee = {h.consignee.value, "", h.consigneeTelephone.value};
    d.consignee_address = h.consigneeAddress.value;
    d.currency = h.currency.value;
    d.freight = Dec(h.freight);
    d.gross_weight = Dec(h.weight);
    ctx.AddKey("logisticsNo", d.logistics_no);
    ctx.AddKey("orderNo", d.order_no);
    const std::string error = ElementError(findings, "CEB511Message", "Logistics", i + 1, m.logistics.size());
    if (Doc* doc = Admit(ctx, std::move(d), h.appType, h.appStatus, error)) WakeInventories(ctx, doc->order_no);
  }
}

void HandleInventories(Context& ctx, const imp::CEB621Message& m, const std::vector<ceb::Finding>& findings) {
  for (size_t i = 0; i < m.inventory.size(); ++i) {
    const auto& h = m.inventory[i].inventoryHead;
    Doc d;
    d.kind = kInventory;
    d.key = h.copNo.value.empty() ? Key(h.ebpCode.value, h.orderNo.value) : Key(h.agentCode.value, h.copNo.value);
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
    d.buyer = {h.buyerName.value, h.buyerIdNumber.value, h.buyerTelephone.value};
    d.consignee_address = h.consigneeAddress.value;
    d.currency = h.currency.value;
    d.freight = Dec(h.freight);
    d.insured_fee = Dec(h.insuredFee);
    d.gross_weight = Dec(h.grossWeight);
    for (const auto& l : m.inventory[i].inventoryList) {
      d.lines.push_back({std::atoi(l.gnum.value.c_str()), l.gname.value, l.gcode.value, Dec(l.qty), Dec(l.price),
                         Dec(l.totalPrice)});
      if (l.currency.present && l.currency.value != "142") d.currency = l.currency.value;
    }
    for (const Line& l : d.lines) d.goods_value += l.total;
    ctx.AddKey("orderNo", d.order_no);
    ctx.AddKey("logisticsNo", d.logistics_no);
    ctx.AddKey("copNo", d.cop_no);
    std::string error = ElementError(findings, "CEB621Message", "Inventory", i + 1, m.inventory.size());
    // One live inventory per order (SPEC22 §7: -621004 清单已申报), whether
    // the second one has another copNo or the same one again with a new
    // guid (a staged one, status 1, may still be declared: Admit).
    if (error.empty() && (h.appType.value.empty() || h.appType.value == "1")) {
      auto it = ctx.state().inventory_by_order.find(Key(d.ebp, d.order_no));
      if (it != ctx.state().inventory_by_order.end()) {
        const Doc* other = ctx.Find(kInventory, it->second);
        const int min_status = it->second == d.key ? kDeclared : 1;
        if (other != nullptr && other->status >= min_status && other->status != kRejected) {
          Reject(ctx, d, "inventory-declared", fmt::format("订单 {} 已有清单 {}", d.order_no, other->key));
          continue;
        }
      }
    }
    const int64_t declared = BusinessMs(h.appTime);
    Doc* inv = Admit(ctx, std::move(d), h.appType, h.appStatus, error);
    if (inv == nullptr) continue;
    if (declared) inv->declared_ms = declared;  // the rule set in force at the declaration time
    ctx.state().inventory_by_order[Key(inv->ebp, inv->order_no)] = inv->key;
    TryMatch(ctx, *inv);
  }
}

Doc* FindInventory(Context& ctx, std::string_view invt_no, std::string_view agent, std::string_view cop_no) {
  if (auto it = ctx.state().inventory_by_invt_no.find(std::string(invt_no)); it != ctx.state().inventory_by_invt_no.end()) {
    return ctx.Find(kInventory, it->second);
  }
  return ctx.Find(kInventory, Key(agent, cop_no));
}

void HandleCancels(Context& ctx, const imp::CEB623Message& m, const std::vector<ceb::Finding>& findings) {
  for (size_t i = 0; i < m.invtCancel.size(); ++i) {
    const auto& h = m.invtCancel[i];
    Doc c;
    c.kind = kCancel;
    c.key = Key(h.agentCode.value, h.copNo.value);
    c.guid = h.guid.value;
    c.customs = h.customsCode.value;
    c.ebp = h.ebpCode.value;
    c.ebc = h.ebcCode.value;
    c.agent = h.agentCode.value;
    c.cop_no = h.copNo.value;
    c.invt_no = h.invtNo.value;
    c.order_no = h.orderNo.value;
    ctx.AddKey("invtNo", c.invt_no);
    const std::string error = ElementError(findings, "CEB623Message", "InvtCancel", i + 1, m.invtCancel.size());
    Doc* inv = FindInventory(ctx, h.invtNo.value, h.agentCode.value, h.copNo.value);
    if (error.empty() && inv == nullptr) {
      Reject(ctx, c, "revoke-unknown", h.invtNo.value);
      continue;
    }
    // Before release; for import also after release while the goods have
    // not left the supervised site (no CEB513 delivery yet).
    const bool revocable = inv != nullptr && (inv->status == kDeclared || inv->status == kAccepted ||
                                              inv->status == kManualReview || inv->status == kApproved ||
                                              inv->status == kInspection || (inv->status == kReleased && !inv->delivered));
    if (error.empty() && !revocable) {
      Reject(ctx, c, "revoke-state", fmt::format("清单状态 {}", inv->status));
      continue;
    }
    Doc* cancel = Admit(ctx, std::move(c), h.appType, h.appStatus, error);
    if (cancel == nullptr) continue;
    Move(ctx, *cancel, kAccepted, "revocation", ctx.rules().Info("logic-ok"));
    // The text real CEB624 receipts carry (ceb-messages.md §6.2): the
    // detail follows 审核通过 after an ASCII comma.
    const ReturnCode& approved = ctx.rules().Code("approved");
    Move(ctx, *cancel, kApproved, "revocation",
         fmt::format("[Code:{};Desc:{},撤单申请审核通过,清单已成功撤单]", approved.code, approved.text));
    ctx.state().waiting.erase(inv->key);
    ReleaseQuota(ctx, *inv, inv->quota_amount);
    SendTaxVoid(ctx, *inv);
    ctx.SetStatus(*inv, kRevoked, "revoked", fmt::format("撤销申请 {}", cancel->key));
    ctx.state().inventory_by_order.erase(Key(inv->ebp, inv->order_no));
  }
}

void HandleRefunds(Context& ctx, const imp::CEB625Message& m, const std::vector<ceb::Finding>& findings) {
  constexpr int64_t kRefundWindowMs = 30LL * 24 * 3600 * 1000;  // customs-rules.md §2: apply within 30 days
  for (size_t i = 0; i < m.invtRefund.size(); ++i) {
    const auto& h = m.invtRefund[i].invtRefundHead;
    Doc r;
    r.kind = kRefund;
    r.key = Key(h.agentCode.value, h.copNo.value);
    r.guid = h.guid.value;
    r.customs = h.customsCode.value;
    r.ebp = h.ebpCode.value;
    r.ebc = h.ebcCode.value;
    r.agent = h.agentCode.value;
    r.cop_no = h.copNo.value;
    r.invt_no = h.invtNo.value;
    r.order_no = h.orderNo.value;
    ctx.AddKey("invtNo", r.invt_no);
    const std::string error = ElementError(findings, "CEB625Message", "InvtRefund", i + 1, m.invtRefund.size());
    // By invtNo, else by the agent's copNo as for a revocation: the return
    // names both (ceb-messages.md §8.1), and a sender that never read the
    // CEB622 does not know the number customs assigned.
    Doc* inv = FindInventory(ctx, h.invtNo.value, h.agentCode.value, h.copNo.value);
    if (error.empty()) {
      if (inv == nullptr) {
        Reject(ctx, r, "refund-unknown", h.invtNo.value);
        continue;
      }
      if (inv->status != kReleased && inv->status != kClosed) {
        Reject(ctx, r, "refund-state", fmt::format("清单状态 {}", inv->status));
        continue;
      }
      if (ctx.now_ms() - inv->released_ms > kRefundWindowMs) {
        Reject(ctx, r, "refund-window", "");
        continue;
      }
    }
    // Quantities may not exceed the original lines; the returned value
    // (at the inventory's prices) goes back to the buyer's year.
    Decimal returned;
    std::string too_much;
    if (inv != nullptr) {
      for (const auto& l : m.invtRefund[i].invtRefundList) {
        const int gnum = std::atoi(l.gnum.value.c_str());
        auto orig = std::find_if(inv->lines.begin(), inv->lines.end(), [&](const Line& x) { return x.gnum == gnum; });
        if (orig == inv->lines.end() || Dec(l.qty) > orig->qty) {
          too_much = fmt::format("第 {} 项", gnum);
          break;
        }
        returned += (Dec(l.qty) * orig->price).Rounded(2);
      }
    }
    if (error.empty() && !too_much.empty()) {
      Reject(ctx, r, "refund-qty", too_much);
      continue;
    }
    Doc* refund = Admit(ctx, std::move(r), h.appType, h.appStatus, error);
    if (refund == nullptr) continue;
    Move(ctx, *refund, kAccepted, "return", ctx.rules().Info("logic-ok"));
    Move(ctx, *refund, kApproved, "return", ctx.rules().Info("approved"));
    ReleaseQuota(ctx, *inv, std::min(returned, inv->quota_amount));
  }
}

void HandleWaybillStatus(Context& ctx, const imp::CEB513Message& m) {
  for (const auto& s : m.logisticsStatus) {
    imp::CEB514Message reply;
    reply.guid = ctx.NextGuid();
    reply.version = "1.0";
    auto& r = reply.logisticsStatusReturn.emplace_back();
    r.guid = s.guid.value;
    r.logisticsCode = s.logisticsCode.value;
    r.logisticsNo = s.logisticsNo.value;
    r.logisticsStatus = s.logisticsStatus.value;
    r.returnTime = ctx.ReturnTime();
    Doc* bill = ctx.Find(kWaybill, Key(s.logisticsCode.value, s.logisticsNo.value));
    if (bill == nullptr) {
      r.returnStatus = ctx.rules().Code("modify-unknown").code;
      r.returnInfo = ctx.rules().Info("modify-unknown", s.logisticsNo.value);
    } else {
      r.returnStatus = "120";
      r.returnInfo = ctx.rules().Info("logic-ok");
      // Signed for: the parcel has left the supervised site. The import
      // inventory is closed (899); when exactly customs closes an import
      // list is UNCERTAIN in the reference (ceb-messages.md §8.4).
      if (s.logisticsStatus.value == "S") {
        for (auto& [id, d] : ctx.state().docs) {
          if (d.kind != kInventory || d.logistics_no != bill->logistics_no || d.logistics_code != bill->logistics_code) {
            continue;
          }
          d.delivered = true;
          if (d.status == kReleased) Move(ctx, d, kClosed, "delivered", "结关");
        }
      }
    }
    ctx.AddReceipt(ceb::Message{std::move(reply)}, s.logisticsNo.value);
  }
}

void HandleDelivery(Context& ctx, const imp::CEB711Message& m) {
  const auto& h = m.delivery.deliveryHead;
  imp::CEB712Message reply;
  reply.guid = ctx.NextGuid();
  reply.version = "1.0";
  auto& r = reply.deliveryReturn.emplace_back();
  r.guid = h.guid.value;
  r.customsCode = h.customsCode.value;
  r.operatorCode = h.operatorCode.value;
  r.copNo = h.copNo.value;
  r.rkdNo = fmt::format("{}{:014d}", h.customsCode.value.empty() ? "0000" : h.customsCode.value, ctx.seq());
  r.returnStatus = "120";
  r.returnTime = ctx.ReturnTime();
  r.returnInfo = ctx.rules().Info("logic-ok");
  ctx.AddKey("copNo", h.copNo.value);
  ctx.AddReceipt(ceb::Message{std::move(reply)}, h.copNo.value);
}

}  // namespace

void HandleImport(Context& ctx, const ceb::Message& message, const std::vector<ceb::Finding>& findings) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, imp::CEB311Message>) {
          HandleOrders(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB411Message>) {
          HandlePayments(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB511Message>) {
          HandleWaybills(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB621Message>) {
          HandleInventories(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB623Message>) {
          HandleCancels(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB625Message>) {
          HandleRefunds(ctx, m, findings);
        } else if constexpr (std::is_same_v<T, imp::CEB513Message>) {
          HandleWaybillStatus(ctx, m);
        } else if constexpr (std::is_same_v<T, imp::CEB711Message>) {
          HandleDelivery(ctx, m);
        }
      },
      message.body);
}

void HandleTick(Context& ctx) {
  std::vector<std::string> due;
  for (const std::string& k : ctx.state().waiting) {
    const Doc* d = ctx.Find(kInventory, k);
    if (d != nullptr && d->deadline_ms <= ctx.now_ms()) due.push_back(k);
  }
  for (const std::string& k : due) {
    ctx.state().waiting.erase(k);
    Doc& inv = *ctx.Find(kInventory, k);
    std::string missing;
    if (!Live(ctx.Find(kOrder, Key(inv.ebp, inv.order_no)))) missing += "订单 ";
    if (!ctx.state().payment_by_order.count(Key(inv.ebp, inv.order_no))) missing += "支付单 ";
    if (!Live(ctx.Find(kWaybill, Key(inv.logistics_code, inv.logistics_no)))) missing += "运单 ";
    Reject(ctx, inv, "documents-missing", missing);
  }
}

Status HandleDecision(Context& ctx, const nlohmann::json& body) {
  if (!body.is_object()) return Status::InvalidArgument("a decision is a JSON object");
  const std::string key = body.value("inventory", "");
  const std::optional<Decision> decision = DecisionFromName(body.value("decision", ""));
  const std::string officer = body.value("officer", "");
  if (!decision) return Status::InvalidArgument(fmt::format("unknown decision '{}'", body.value("decision", "")));
  Doc* inv = ctx.Find(kInventory, key);
  if (inv == nullptr) return Status::NotFound(fmt::format("no inventory {}", key));
  if (inv->status != kManualReview && inv->status != kInspection) {
    return Status::FailedPrecondition(
        fmt::format("inventory {} is in status {}, not waiting for a decision (300 or 500)", key, inv->status));
  }
  const std::string rule = fmt::format("officer:{}:{}", officer, DecisionName(*decision));
  switch (*decision) {
    case Decision::kRelease:
      if (inv->status == kManualReview) Move(ctx, *inv, kApproved, rule, ctx.rules().Info("approved"));
      Release(ctx, *inv);
      break;
    case Decision::kDetainClearance:
      Move(ctx, *inv, 501, rule, "扣留移送通关");
      break;
    case Decision::kDetainSmuggling:
      Move(ctx, *inv, 502, rule, "扣留移送缉私");
      break;
    case Decision::kDetainLegal:
      Move(ctx, *inv, 503, rule, "扣留移送法规");
      break;
    case Decision::kDetainOther:
      Move(ctx, *inv, 599, rule, "其它扣留");
      break;
    case Decision::kReturn:
      // Returned abroad: nothing was imported, so no quota and no tax.
      Move(ctx, *inv, kReturnedAbroad, rule, "退运");
      ReleaseQuota(ctx, *inv, inv->quota_amount);
      SendTaxVoid(ctx, *inv);
      break;
  }
  return Status::Ok();
}

}  // namespace dryport::clearance::internal
