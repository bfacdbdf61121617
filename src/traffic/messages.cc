#include "traffic/messages.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/time.h"
#include "traffic/identity.h"
#include "traffic/random.h"

namespace dryport::traffic::internal {
namespace {

constexpr uint64_t kMessageStream = 4;

std::string Ts(int64_t ms) { return Timestamp::FromMillis(ms).Format(TimeFormat::kCompactSeconds); }
std::string Date8(int64_t ms) { return Timestamp::FromMillis(ms).Format(TimeFormat::kCompactDate); }
std::string Money(const Decimal& d) { return d.ToString(2); }
std::string Num(const Decimal& d) { return d.Normalized().ToString(); }
std::string Int(int64_t v) { return std::to_string(v); }

// At most `n` characters (code points, as the XSD counts them).
std::string Truncate(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return s.substr(0, i);
  }
  return s;
}

// "干黄花菜*2;红薯干*1": what the carrier can see on the parcel.
std::string GoodsInfo(const OrderPlan& o) {
  std::string out;
  for (const Line& l : o.lines) {
    if (!out.empty()) out += ';';
    out += fmt::format("{}*{}", l.product->name, l.qty);
  }
  return Truncate(out, 200);
}

template <typename Transfer>
Transfer TransferOf(const Company& c) {
  Transfer t;
  t.copCode = c.code;
  t.copName = c.name;
  t.dxpMode = "DXP";
  t.dxpId = c.dxp_id;
  return t;
}

// A structurally valid enveloped XML-DSig block with the SM2/SM3 algorithms
// of the 2022 edition (ceb-messages.md §3.4). The generator holds no
// certificate, so digest and signature values are random: the block passes
// the XSDs and the reader, not a signature check.
ceb::RawXml Signature(Rng& rng) {
  ceb::RawXml raw;
  raw.present = true;
  raw.xml = fmt::format(
      "<ds:Signature>\n"
      "\t\t<ds:SignedInfo>\n"
      "\t\t\t<ds:CanonicalizationMethod "
      "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\n"
      "\t\t\t<ds:SignatureMethod "
      "Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"/>\n"
      "\t\t\t<ds:Reference URI=\"\">\n"
      "\t\t\t\t<ds:Transforms>\n"
      "\t\t\t\t\t<ds:Transform "
      "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\n"
      "\t\t\t\t</ds:Transforms>\n"
      "\t\t\t\t<ds:DigestMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"/>\n"
      "\t\t\t\t<ds:DigestValue>{}</ds:DigestValue>\n"
      "\t\t\t</ds:Reference>\n"
      "\t\t</ds:SignedInfo>\n"
      "\t\t<ds:SignatureValue>{}</ds:SignatureValue>\n"
      "\t\t<ds:KeyInfo>\n"
      "\t\t\t<ds:KeyName>{:08x}</ds:KeyName>\n"
      "\t\t</ds:KeyInfo>\n"
      "\t</ds:Signature>",
      RandomBase64(rng, 32), RandomBase64(rng, 64), rng.Next() & 0xFFFFFFFF);
  return raw;
}

Rng MessageRng(uint64_t seed, const Event& e) {
  return Rng(StreamSeed({seed, kMessageStream, static_cast<uint64_t>(e.kind), e.ref,
                         static_cast<uint64_t>(e.doc), e.part}));
}

bool CarriesWrongCode(const OrderPlan& o, const Event& e) {
  return o.fault == FaultKind::kWrongCode && e.kind == EventKind::kDoc && e.doc == o.fault_doc;
}

}  // namespace

std::vector<uint32_t> MessageBuilder::OrdersOf(const Event& e) const {
  const std::vector<uint32_t>* all = nullptr;
  if (e.kind == EventKind::kArrival || e.kind == EventKind::kDeparture) {
    all = &plan_.arrivals[e.ref].orders;
  } else if (e.kind == EventKind::kSummary) {
    all = &plan_.summaries[e.ref].orders;
    if (plan_.summaries[e.ref].by_range) return *all;
  } else {
    return {e.ref};
  }
  const size_t begin = std::min(all->size(), static_cast<size_t>(e.part) * kBatchPartSize);
  const size_t end = std::min(all->size(), begin + kBatchPartSize);
  return std::vector<uint32_t>(all->begin() + static_cast<ptrdiff_t>(begin),
                               all->begin() + static_cast<ptrdiff_t>(end));
}

BuiltMessage MessageBuilder::Build(const Event& e) const {
  switch (e.kind) {
    case EventKind::kArrival:
      return BuildArrival(e);
    case EventKind::kDeparture:
      return BuildDeparture(e);
    case EventKind::kSummary:
      return BuildSummary(e);
    default:
      break;
  }
  const OrderPlan& o = plan_.orders[e.ref];
  return o.flow == Flow::kExport ? BuildExport(e, o) : BuildImport(e, o);
}

// ---------------------------------------------------------------- export

BuiltMessage MessageBuilder::BuildExport(const Event& e, const OrderPlan& o) const {
  const Settings& s = data_.settings;
  Rng rng = MessageRng(seed_, e);
  const std::string message_guid = Uuid(rng);
  const std::string guid = Uuid(rng);
  const std::string app_time = Ts(e.time);
  const bool wrong = CarriesWrongCode(o, e);
  BuiltMessage out;
  out.key = o.order_no;

  switch (e.doc) {
    case Doc::kOrder: {
      ceb::exp::CEB303Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::Order order;
      ceb::exp::OrderHead& h = order.orderHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.orderType = "E";
      h.orderNo = o.order_no;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.goodsValue = Money(o.goods_value);
      h.freight = Money(o.freight);
      h.currency = s.currency;
      h.note = fmt::format("境外买家：{}（{}）", o.foreign->name, o.foreign->city);
      for (size_t i = 0; i < o.lines.size(); ++i) {
        const Line& l = o.lines[i];
        ceb::exp::OrderList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        item.itemNo = l.product->sku;
        item.itemName = l.product->name;
        item.barCode = l.product->barcode;
        item.unit = l.product->unit_code;
        item.currency = s.currency;
        item.qty = Int(l.qty);
        item.price = Money(l.price);
        item.totalPrice = Money(l.total);
        order.orderList.push_back(std::move(item));
      }
      if (wrong) {
        if (o.variant == 1) order.orderList.front().unit = o.wrong_code;
        if (o.variant == 2) h.currency = o.wrong_code;
      }
      m.order.push_back(std::move(order));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.platform);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kPayment: {
      ceb::exp::CEB403Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::Receipts r;
      r.guid = guid;
      r.appType = "1";
      r.appTime = app_time;
      r.appStatus = "2";
      r.ebpCode = o.platform->code;
      r.ebpName = o.platform->name;
      r.ebcCode = o.ebc->code;
      r.ebcName = o.ebc->name;
      r.orderNo = o.order_no;
      r.payCode = o.payment->code;
      r.payName = o.payment->name;
      r.payNo = o.pay_no;
      r.charge = o.payment_amount;
      r.currency = s.currency;
      r.accountingDate = Ts(o.t_pay_time);
      m.receipts.push_back(std::move(r));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.ebc);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kWaybill: {
      ceb::exp::CEB505Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::Logistics l;
      l.guid = guid;
      l.appType = "1";
      l.appTime = app_time;
      l.appStatus = "2";
      l.logisticsCode = o.logistics->code;
      l.logisticsName = o.logistics->name;
      l.logisticsNo = o.logistics_no;
      l.freight = Money(o.freight);
      l.insuredFee = Money(o.insured_fee);
      l.currency = s.currency;
      l.grossWeight = Num(o.gross_kg);
      l.packNo = "1";
      l.goodsInfo = GoodsInfo(o);
      l.ebcCode = o.ebc->code;
      l.ebcName = o.ebc->name;
      l.ebcTelephone = o.ebc->telephone;
      m.logistics.push_back(std::move(l));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.logistics);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kInventory: {
      ceb::exp::CEB603Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::Inventory inv;
      ceb::exp::InventoryHead& h = inv.inventoryHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.customsCode = s.customs_code;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.orderNo = o.order_no;
      h.logisticsCode = o.logistics->code;
      h.logisticsName = o.logistics->name;
      h.logisticsNo = o.logistics_no;
      h.copNo = o.cop_no;
      h.ieFlag = "E";
      h.portCode = s.port_code;
      h.ieDate = Date8(o.t_inventory);
      h.statisticsFlag = o.summary ? "B" : "A";
      h.agentCode = o.agent->code;
      h.agentName = o.agent->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.ownerCode = o.ebc->code;  // the exporter produces what it sells
      h.ownerName = o.ebc->name;
      h.tradeMode = s.trade_mode_export;
      h.trafMode = o.logistics->traf_code;
      h.trafName = o.logistics->traf_code == s.traf_rail ? "中欧班列" : "飞机";
      h.voyageNo = o.voyage_no;
      h.billNo = o.bill_no;
      h.country = o.foreign->country_code;
      h.pOD = o.foreign->pod;
      h.freight = Money(o.freight);
      h.fCurrency = s.currency;
      h.fFlag = "3";  // total amount (the XSD fixes 3)
      h.insuredFee = Money(o.insured_fee);
      h.iCurrency = s.currency;
      h.iFlag = "3";
      h.wrapType = s.wrap_type;
      h.packNo = "1";
      h.grossWeight = Num(o.gross_kg);
      h.netWeight = Num(o.net_kg);
      for (size_t i = 0; i < o.lines.size(); ++i) {
        const Line& l = o.lines[i];
        ceb::exp::InventoryList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        item.itemNo = l.product->sku;
        item.itemName = l.product->name;
        item.gcode = l.product->gcode;
        item.gname = l.product->name;
        item.gmodel = l.product->gmodel;
        item.barCode = l.product->barcode;
        item.country = o.foreign->country_code;
        item.currency = s.currency;
        item.qty = Int(l.qty);
        item.qty1 = Num(l.product->net_kg * Decimal::FromInt(l.qty));
        item.unit = l.product->unit_code;
        item.unit1 = l.product->unit1_code;
        item.price = Money(l.price);
        item.totalPrice = Money(l.total);
        inv.inventoryList.push_back(std::move(item));
      }
      if (wrong) {
        if (o.variant == 0) inv.inventoryList.front().country = o.wrong_code;
        if (o.variant == 1) inv.inventoryList.front().unit = o.wrong_code;
        if (o.variant == 2) inv.inventoryList.front().currency = o.wrong_code;
      }
      m.inventory.push_back(std::move(inv));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.agent);
      m.signature = Signature(rng);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kRevocation: {
      ceb::exp::CEB605Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::InvtCancel c;
      c.guid = guid;
      c.appType = "1";
      c.appTime = app_time;
      c.appStatus = "2";
      c.customsCode = s.customs_code;
      c.copNo = o.cop_no;
      c.invtNo = o.invt_no;
      c.reason = o.reason_text;
      c.agentCode = o.agent->code;
      c.agentName = o.agent->name;
      c.ebcCode = o.ebc->code;
      c.ebcName = o.ebc->name;
      m.invtCancel.push_back(std::move(c));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.agent);
      m.signature = Signature(rng);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kReturn: {
      ceb::exp::CEB213Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::exp::InvtRefund refund;
      ceb::exp::InvtRefundHead& h = refund.invtRefundHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.customsCode = s.customs_code;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.logisticsNo = o.logistics_no;
      h.logisticsCode = o.logistics->code;
      h.logisticsName = o.logistics->name;
      h.coElNo = o.return_cop_no;
      h.invtNo = o.invt_no;
      h.tradeMode = s.trade_mode_export;
      h.agentCode = o.agent->code;
      h.agentName = o.agent->name;
      h.billNo = o.return_bill_no;
      h.ieFlag = "I";  // the goods come back in
      h.trafMode = o.logistics->traf_code;
      h.trafName = o.logistics->traf_code == s.traf_rail ? "中欧班列" : "飞机";
      h.portCode = s.port_code;
      h.reason = o.reason_text;
      h.country = o.foreign->country_code;
      h.voyageNo = o.return_voyage_no;
      for (size_t k = 0; k < o.returned_lines.size(); ++k) {
        const size_t i = static_cast<size_t>(o.returned_lines[k]);
        const Line& l = o.lines[i];
        ceb::exp::InvtRefundList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        item.gcode = l.product->gcode;
        item.gname = l.product->name;
        item.gmodel = l.product->gmodel;
        item.qty = Int(o.returned_qty[k]);
        item.qty1 = Num(l.product->net_kg * Decimal::FromInt(o.returned_qty[k]));
        item.unit = l.product->unit_code;
        item.unit1 = l.product->unit1_code;
        refund.invtRefundList.push_back(std::move(item));
      }
      m.invtRefund.push_back(std::move(refund));
      m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*o.agent);
      out.message.body = std::move(m);
      break;
    }
  }
  return out;
}

BuiltMessage MessageBuilder::BuildArrival(const Event& e) const {
  const ArrivalBatch& b = plan_.arrivals[e.ref];
  const Company& site = *data_.WithRole("site-operator").front();
  Rng rng = MessageRng(seed_, e);
  ceb::exp::CEB507Message m;
  m.guid = Uuid(rng);
  m.version = "1.0";
  ceb::exp::Arrival a;
  ceb::exp::ArrivalHead& h = a.arrivalHead;
  h.guid = Uuid(rng);
  h.appType = "1";
  h.appTime = Ts(e.time);
  h.appStatus = "2";
  h.customsCode = data_.settings.customs_code;
  h.copNo = b.arrival_cop_no;
  h.operatorCode = site.code;
  h.operatorName = site.name;
  h.ieFlag = "E";
  h.trafMode = b.logistics->traf_code;
  h.billNo = b.bill_no;
  h.domesticTrafNo = b.plate;
  h.logisticsCode = b.logistics->code;
  h.logisticsName = b.logistics->name;
  h.msgCount = Int(b.parts);
  h.msgSeqNo = Int(static_cast<int64_t>(e.part) + 1);
  int gnum = 0;
  for (uint32_t index : OrdersOf(e)) {
    ceb::exp::ArrivalList item;
    item.gnum = Int(++gnum);
    item.logisticsNo = plan_.orders[index].logistics_no;
    a.arrivalList.push_back(std::move(item));
  }
  m.arrival.push_back(std::move(a));
  m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(site);
  BuiltMessage out;
  out.key = b.arrival_cop_no;
  out.message.body = std::move(m);
  return out;
}

BuiltMessage MessageBuilder::BuildDeparture(const Event& e) const {
  const ArrivalBatch& b = plan_.arrivals[e.ref];
  Rng rng = MessageRng(seed_, e);
  ceb::exp::CEB509Message m;
  m.guid = Uuid(rng);
  m.version = "1.0";
  ceb::exp::Departure d;
  ceb::exp::DepartureHead& h = d.departureHead;
  h.guid = Uuid(rng);
  h.appType = "1";
  h.appTime = Ts(e.time);
  h.appStatus = "2";
  h.customsCode = data_.settings.customs_code;
  h.copNo = b.departure_cop_no;
  h.logisticsCode = b.logistics->code;
  h.logisticsName = b.logistics->name;
  h.trafMode = b.logistics->traf_code;
  h.trafName = b.traf_name;
  h.voyageNo = b.voyage_no;
  h.billNo = b.bill_no;
  h.leaveTime = Ts(e.time);
  h.msgCount = Int(b.parts);
  h.msgSeqNo = Int(static_cast<int64_t>(e.part) + 1);
  int gnum = 0;
  for (uint32_t index : OrdersOf(e)) {
    ceb::exp::DepartureList item;
    item.gnum = Int(++gnum);
    item.logisticsNo = plan_.orders[index].logistics_no;
    d.departureList.push_back(std::move(item));
  }
  m.departure.push_back(std::move(d));
  m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*b.logistics);
  m.signature = Signature(rng);
  BuiltMessage out;
  out.key = b.departure_cop_no;
  out.message.body = std::move(m);
  return out;
}

BuiltMessage MessageBuilder::BuildSummary(const Event& e) const {
  const SummaryBatch& b = plan_.summaries[e.ref];
  Rng rng = MessageRng(seed_, e);
  ceb::exp::CEB701Message m;
  m.guid = Uuid(rng);
  m.version = "1.0";
  ceb::exp::SummaryApply a;
  ceb::exp::SummaryApplyHead& h = a.summaryApplyHead;
  h.guid = Uuid(rng);
  h.appType = "1";
  h.appTime = Ts(e.time);
  h.appStatus = "2";
  h.customsCode = data_.settings.customs_code;
  h.copNo = b.cop_no;
  h.agentCode = b.agent->code;
  h.agentName = b.agent->name;
  h.ebcCode = b.ebc->code;
  h.ebcName = b.ebc->name;
  h.declAgentCode = b.agent->code;  // the broker also files the customs declaration
  h.declAgentName = b.agent->name;
  if (b.by_range) {
    h.startTime = Ts(b.range_start);
    h.endTime = Ts(b.range_end);
  }
  h.summaryFlag = "1";  // by consignor
  h.itemNameFlag = "1";
  h.msgCount = Int(b.parts);
  h.msgSeqNo = Int(static_cast<int64_t>(e.part) + 1);
  if (!b.by_range) {
    for (uint32_t index : OrdersOf(e)) {
      ceb::exp::SummaryApplyList item;
      item.invtNo = plan_.orders[index].invt_no;
      a.summaryApplyList.push_back(std::move(item));
    }
  }
  m.summaryApply.push_back(std::move(a));
  m.baseTransfer = TransferOf<ceb::exp::BaseTransfer>(*b.agent);
  m.signature = Signature(rng);
  BuiltMessage out;
  out.key = b.cop_no;
  out.message.body = std::move(m);
  return out;
}

// ---------------------------------------------------------------- import

BuiltMessage MessageBuilder::BuildImport(const Event& e, const OrderPlan& o) const {
  const Settings& s = data_.settings;
  Rng rng = MessageRng(seed_, e);
  const std::string message_guid = Uuid(rng);
  const std::string guid = Uuid(rng);
  const std::string app_time = Ts(e.time);
  const bool wrong = CarriesWrongCode(o, e);
  const bool bonded = o.flow == Flow::kImportBonded;
  const Person& buyer = plan_.persons[static_cast<size_t>(o.buyer)];
  const Person& consignee = plan_.persons[static_cast<size_t>(o.consignee)];
  BuiltMessage out;
  out.key = o.order_no;

  switch (e.doc) {
    case Doc::kOrder: {
      ceb::imp::CEB311Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::Order order;
      ceb::imp::OrderHead& h = order.orderHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.orderType = "I";
      h.orderNo = o.order_no;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.goodsValue = Money(o.goods_value);
      h.freight = Money(o.freight);
      h.discount = Money(o.discount);
      h.taxTotal = Money(o.tax_total);
      h.acturalPaid = Money(o.actural_paid);
      h.currency = s.currency;
      h.buyerRegNo = o.buyer_reg_no;
      h.buyerName = buyer.name;
      h.buyerTelephone = buyer.phone;
      h.buyerIdType = s.id_type;
      h.buyerIdNumber = buyer.id_number;
      h.payCode = o.payment->code;
      h.payName = o.payment->name;
      h.payTransactionId = o.pay_no;
      h.consignee = consignee.name;
      h.consigneeTelephone = consignee.phone;
      h.consigneeAddress = consignee.address;
      h.consigneeDistrict = consignee.district_code;
      for (size_t i = 0; i < o.lines.size(); ++i) {
        const Line& l = o.lines[i];
        ceb::imp::OrderList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        item.itemNo = l.product->sku;
        item.itemName = l.product->name;
        item.gmodel = l.product->gmodel;
        item.barCode = l.product->barcode;
        item.unit = l.product->unit_code;
        item.qty = Int(l.qty);
        item.price = Money(l.price);
        item.totalPrice = Money(l.total);
        item.currency = s.currency;
        item.country = l.product->origin_code;
        order.orderList.push_back(std::move(item));
      }
      if (wrong) {
        if (o.variant == 0) order.orderList.front().country = o.wrong_code;
        if (o.variant == 1) order.orderList.front().unit = o.wrong_code;
      }
      m.order.push_back(std::move(order));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.platform);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kPayment: {
      const Person& payer = plan_.persons[static_cast<size_t>(o.payer)];
      ceb::imp::CEB411Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::Payment p;
      ceb::imp::PaymentHead& h = p.paymentHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.payCode = o.payment->code;
      h.payName = o.payment->name;
      h.payTransactionId = o.pay_no;
      h.orderNo = o.order_no;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.payerIdType = s.id_type;
      h.payerIdNumber = payer.id_number;
      h.payerName = payer.name;
      h.telephone = payer.phone;
      h.amountPaid = o.payment_amount;
      h.currency = s.currency;
      h.payTime = Ts(o.t_pay_time);
      m.payment.push_back(std::move(p));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.payment);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kWaybill: {
      ceb::imp::CEB511Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::Logistics l;
      ceb::imp::LogisticsHead& h = l.logisticsHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.logisticsCode = o.logistics->code;
      h.logisticsName = o.logistics->name;
      h.logisticsNo = o.logistics_no;
      if (!o.bill_no.empty()) h.billNo = o.bill_no;
      h.orderNo = o.order_no;
      h.freight = Money(o.freight);
      h.insuredFee = Money(o.insured_fee);
      h.currency = s.currency;
      h.weight = Num(o.gross_kg);
      h.packNo = "1";
      h.goodsInfo = GoodsInfo(o);
      h.consignee = consignee.name;
      h.consigneeAddress = consignee.address;
      h.consigneeTelephone = consignee.phone;
      m.logistics.push_back(std::move(l));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.logistics);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kInventory: {
      ceb::imp::CEB621Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::Inventory inv;
      ceb::imp::InventoryHead& h = inv.inventoryHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.orderNo = o.order_no;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.logisticsNo = o.logistics_no;
      h.logisticsCode = o.logistics->code;
      h.logisticsName = o.logistics->name;
      h.copNo = o.cop_no;
      h.assureCode = o.platform->code;  // the platform guarantees the tax
      if (bonded) h.emsNo = o.zone->extra;
      h.ieFlag = "I";
      h.declTime = Date8(o.t_inventory);
      h.customsCode = s.customs_code;
      h.portCode = s.port_code;
      h.ieDate = Date8(o.t_inventory);
      h.buyerIdType = s.id_type;
      h.buyerIdNumber = buyer.id_number;
      h.buyerName = buyer.name;
      h.buyerTelephone = buyer.phone;
      h.consigneeAddress = consignee.address;
      h.agentCode = o.agent->code;
      h.agentName = o.agent->name;
      if (bonded) {
        h.areaCode = o.zone->code;
        h.areaName = o.zone->name;
      }
      h.tradeMode = bonded ? s.trade_mode_bonded : s.trade_mode_direct;
      h.trafMode = bonded ? s.traf_bonded : s.traf_direct;
      if (!bonded) {
        h.voyageNo = o.voyage_no;
        h.billNo = o.bill_no;
      }
      h.country = o.origin_code;
      h.freight = Money(o.freight);
      h.insuredFee = Money(o.insured_fee);
      h.currency = s.currency;
      h.wrapType = s.wrap_type;
      h.packNo = "1";
      h.grossWeight = Num(o.gross_kg);
      h.netWeight = Num(o.net_kg);
      for (size_t i = 0; i < o.lines.size(); ++i) {
        const Line& l = o.lines[i];
        ceb::imp::InventoryList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        if (bonded) item.itemRecordNo = l.product->item_record_no;
        item.itemNo = l.product->sku;
        item.itemName = l.product->name;
        item.gcode = l.product->gcode;
        item.gname = l.product->name;
        item.gmodel = l.product->gmodel;
        item.barCode = l.product->barcode;
        item.country = l.product->origin_code;
        item.currency = s.currency;
        item.qty = Int(l.qty);
        item.unit = l.product->unit_code;
        item.qty1 = Num(l.product->net_kg * Decimal::FromInt(l.qty));
        item.unit1 = l.product->unit1_code;
        item.price = Money(l.price);
        item.totalPrice = Money(l.total);
        inv.inventoryList.push_back(std::move(item));
      }
      if (wrong) {
        if (o.variant == 0) inv.inventoryList.front().country = o.wrong_code;
        if (o.variant == 1) inv.inventoryList.front().unit = o.wrong_code;
      }
      m.inventory.push_back(std::move(inv));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.agent);
      m.signature = Signature(rng);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kRevocation: {
      ceb::imp::CEB623Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::InvtCancel c;
      c.guid = guid;
      c.appType = "1";  // the only value CEB623 allows
      c.appTime = app_time;
      c.appStatus = "2";
      c.customsCode = s.customs_code;
      c.orderNo = o.order_no;
      c.ebpCode = o.platform->code;
      c.ebpName = o.platform->name;
      c.ebcCode = o.ebc->code;
      c.ebcName = o.ebc->name;
      c.logisticsNo = o.logistics_no;
      c.logisticsCode = o.logistics->code;
      c.logisticsName = o.logistics->name;
      c.copNo = o.cop_no;
      c.invtNo = o.invt_no;
      c.buyerIdType = s.id_type;
      c.buyerIdNumber = buyer.id_number;
      c.buyerName = buyer.name;
      c.buyerTelephone = buyer.phone;
      c.agentCode = o.agent->code;
      c.agentName = o.agent->name;
      c.reason = o.reason_text;
      m.invtCancel.push_back(std::move(c));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.agent);
      m.signature = Signature(rng);
      out.message.body = std::move(m);
      break;
    }
    case Doc::kReturn: {
      ceb::imp::CEB625Message m;
      m.guid = message_guid;
      m.version = "1.0";
      ceb::imp::InvtRefund refund;
      ceb::imp::InvtRefundHead& h = refund.invtRefundHead;
      h.guid = guid;
      h.appType = "1";
      h.appTime = app_time;
      h.appStatus = "2";
      h.customsCode = s.customs_code;
      h.orderNo = o.order_no;
      h.ebpCode = o.platform->code;
      h.ebpName = o.platform->name;
      h.ebcCode = o.ebc->code;
      h.ebcName = o.ebc->name;
      h.logisticsNo = o.logistics_no;
      h.logisticsCode = o.logistics->code;
      h.logisticsName = o.logistics->name;
      h.copNo = o.cop_no;
      h.invtNo = o.invt_no;
      h.buyerIdType = s.id_type;
      h.buyerIdNumber = buyer.id_number;
      h.buyerName = buyer.name;
      h.buyerTelephone = buyer.phone;
      h.agentCode = o.agent->code;
      h.agentName = o.agent->name;
      h.reason = o.reason_text;
      for (size_t k = 0; k < o.returned_lines.size(); ++k) {
        const size_t i = static_cast<size_t>(o.returned_lines[k]);
        const Line& l = o.lines[i];
        ceb::imp::InvtRefundList item;
        item.gnum = Int(static_cast<int64_t>(i) + 1);
        item.gcode = l.product->gcode;
        item.gname = l.product->name;
        item.qty = Int(o.returned_qty[k]);
        item.unit = l.product->unit_code;
        refund.invtRefundList.push_back(std::move(item));
      }
      m.invtRefund.push_back(std::move(refund));
      m.baseTransfer = TransferOf<ceb::imp::BaseTransfer>(*o.agent);
      m.signature = Signature(rng);
      out.message.body = std::move(m);
      break;
    }
  }
  return out;
}

}  // namespace dryport::traffic::internal
