#include <fmt/format.h>

#include "clearance/engine_internal.h"
#include "core/time.h"

namespace dryport::clearance::internal {

std::string DocId(std::string_view kind, std::string_view key) {
  std::string id(kind);
  id += '\x1f';
  id += key;
  return id;
}

Doc* Context::Find(std::string_view kind, std::string_view key) {
  auto it = core_.state.docs.find(DocId(kind, key));
  return it == core_.state.docs.end() ? nullptr : &it->second;
}

Doc& Context::Put(Doc doc) {
  std::string id = DocId(doc.kind, doc.key);
  Doc& slot = core_.state.docs[id];
  slot = std::move(doc);
  return slot;
}

namespace {

// What `dryport status` and the API show of a document; the engine itself
// never reads it back (its state is rebuilt by replay).
std::string StateJson(const Doc& d) {
  nlohmann::ordered_json j = {{"status", d.status}, {"message_seq", d.message_seq}};
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("orderNo", d.order_no);
  put("ebpCode", d.ebp);
  put("ebcCode", d.ebc);
  put("agentCode", d.agent);
  put("logisticsCode", d.logistics_code);
  put("logisticsNo", d.logistics_no);
  put("payCode", d.pay_code);
  put("payTransactionId", d.pay_tx);
  put("copNo", d.cop_no);
  put("invtNo", d.invt_no);
  put("tradeMode", d.trade_mode);
  put("buyerName", d.buyer.name);
  if (!d.goods_value.IsZero()) j["goodsValue"] = d.goods_value.ToString();
  if (!d.paid.IsZero()) j["paid"] = d.paid.ToString();
  if (!d.tax_no.empty()) {
    j["taxNo"] = d.tax_no;
    j["vat"] = d.tax_vat.ToString(2);
    j["consumptionTax"] = d.tax_consumption.ToString(2);
  }
  put("riskRule", d.risk_rule);
  return j.dump();
}

}  // namespace

void Context::RecordEvent(std::string_view kind, std::string_view key, int status, std::string_view rule,
                          std::string_view info) {
  if (replaying_) return;
  store::EventRow e;
  e.kind = std::string(kind);
  e.key = std::string(key);
  e.status = status;
  e.rule = std::string(rule);
  e.info = std::string(info);
  e.message_seq = seq_;
  e.at_ms = now_ms_;
  batch_.events.push_back(std::move(e));
}

void Context::SetStatus(Doc& doc, int status, std::string_view rule, std::string_view info) {
  doc.status = status;
  if (replaying_) return;
  RecordEvent(doc.kind, doc.key, status, rule, info);
  store::DocumentRow row;
  row.kind = doc.kind;
  row.key = doc.key;
  row.status = status;
  row.updated_ms = now_ms_;
  row.state = StateJson(doc);
  batch_.documents.push_back(std::move(row));
}

void Context::AddKey(std::string_view name, std::string_view value) {
  if (replaying_ || value.empty()) return;
  batch_.keys.push_back({seq_, std::string(name), std::string(value)});
}

void Context::AddReceipt(const ceb::Message& message, std::string_view key_hint) {
  if (replaying_) return;
  Receipt r;
  r.type = std::string(message.info().root);
  std::string hint(key_hint.substr(0, 60));
  for (char& c : hint) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) c = '_';
  }
  r.file_name = fmt::format("{:010d}-{:03d}-CEB{}-{}.xml", seq_, receipts_.size() + 1, message.info().code, hint);
  r.xml = ceb::WriteXml(message);
  receipts_.push_back(std::move(r));
}

void Context::AddCounter(std::string_view name, std::string_view key, const Decimal& value) {
  if (replaying_) return;
  batch_.counters.push_back({std::string(name), std::string(key), value.ToString()});
}

std::string Context::NextGuid() {
  const int n = ++guid_counter_;
  return fmt::format("{:08X}-{:04X}-4{:03X}-8000-{:012X}", static_cast<uint32_t>(seq_ >> 16),
                     static_cast<uint32_t>(seq_ & 0xFFFF), n & 0xFFF, static_cast<uint64_t>(seq_) * 4096 + n);
}

std::string Context::ReturnTime() const { return Timestamp::FromMillis(now_ms_).Format(TimeFormat::kCompactMillis); }

Decimal Dec(const ceb::Text& text) {
  if (!text.present) return Decimal();
  Result<Decimal> d = Decimal::Parse(text.value);
  return d.ok() ? *d : Decimal();
}

int64_t BusinessMs(const ceb::Text& time14) {
  if (!time14.present || time14.value.size() < 8) return 0;
  Result<Timestamp> t = time14.value.size() >= 14
                            ? Timestamp::Parse(std::string_view(time14.value).substr(0, 14), TimeFormat::kCompactSeconds)
                            : Timestamp::Parse(std::string_view(time14.value).substr(0, 8), TimeFormat::kCompactDate);
  return t.ok() ? t->millis() : 0;
}

std::string FirstError(const std::vector<ceb::Finding>& findings, std::string_view path_prefix) {
  for (const auto& f : findings) {
    if (f.severity != ceb::Severity::kError) continue;
    // A finding belongs to this element, or to no business element at all
    // (the root, BaseTransfer): then it concerns every element.
    const bool mine = f.path == path_prefix || f.path.starts_with(std::string(path_prefix) + "/");
    const bool shared = f.path.find('[') == std::string::npos && f.path.find("Return") == std::string::npos &&
                        (f.path.find("/BaseTransfer") != std::string::npos || f.path.find('/', 1) == std::string::npos);
    if (mine || shared) return fmt::format("{} {}: {}", f.rule, f.path, f.message);
  }
  return {};
}

}  // namespace dryport::clearance::internal
