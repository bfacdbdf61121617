// Private to src/clearance: the engine's in-memory state and the context
// every message handler works in.
#ifndef DRYPORT_CLEARANCE_ENGINE_INTERNAL_H_
#define DRYPORT_CLEARANCE_ENGINE_INTERNAL_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "clearance/engine.h"
#include "core/decimal.h"
#include "store/store.h"

namespace dryport::clearance::internal {

// Document kinds (store::DocumentRow::kind, and `dryport status` output).
inline constexpr const char* kOrder = "order";
inline constexpr const char* kPayment = "payment";
inline constexpr const char* kWaybill = "waybill";
inline constexpr const char* kInventory = "inventory";
inline constexpr const char* kCancel = "cancel";
inline constexpr const char* kRefund = "refund";

// Status values (ceb-messages.md §6.1).
inline constexpr int kStaged = 1;
inline constexpr int kDeclared = 2;
inline constexpr int kRejected = 100;
inline constexpr int kAccepted = 120;
inline constexpr int kManualReview = 300;
inline constexpr int kApproved = 399;
inline constexpr int kInspection = 500;
inline constexpr int kReturnedAbroad = 700;
inline constexpr int kReleased = 800;
inline constexpr int kClosed = 899;
// dryport's own terminal marks, never sent as a returnStatus.
inline constexpr int kDeleted = -3;   // appType 3
inline constexpr int kRevoked = -2;   // CEB623/605 accepted

struct Line {
  int gnum = 0;
  std::string name;   // order itemName / inventory gname
  std::string hs;     // inventory gcode
  Decimal qty;
  Decimal price;
  Decimal total;
};

struct Party {
  std::string name;
  std::string id_number;
  std::string telephone;
};

// One business document as the engine needs it for matching and rules.
struct Doc {
  bool export_side = false;
  std::string kind;
  std::string key;
  int status = 0;
  int64_t message_seq = 0;  // the message that declared it
  std::string guid;         // the business element's guid
  int64_t declared_ms = 0;
  int64_t released_ms = 0;

  // Enterprise codes and links.
  std::string ebp, ebc, agent, customs, order_no, logistics_code, logistics_no, pay_code, pay_tx, cop_no,
      invt_no, trade_mode, ems_no;
  Party buyer;      // order buyer / payment payer / inventory buyer
  Party consignee;  // order and waybill consignee
  std::string consignee_address;
  std::string currency;
  Decimal goods_value, freight, discount, tax_total, paid, insured_fee, gross_weight;
  std::vector<Line> lines;

  // Inventory only.
  int64_t deadline_ms = 0;         // while waiting for documents
  Decimal quota_amount;            // what it counted against the buyer's year
  std::string quota_key;           // buyerId|year
  Decimal tax_vat, tax_consumption;
  std::string tax_no;
  std::string risk_rule;
  bool delivered = false;          // CEB513 S on its waybill

  // Export only (export_flow.cc, summary.cc). The CEB603 head fields the
  // summary consolidates by (customs-rules.md §1.1, §7 item 5), and the
  // numbers and links the later export messages carry.
  std::string country;          // 603 head: country of arrival (运抵国)
  std::string port;             // 603 head portCode: the exit customs
  std::string traf_mode;        // 603 head trafMode (607 fills it when the 603 left it empty)
  std::string owner;            // 603 head ownerCode: the producer/seller (生产销售单位)
  std::string statistics_flag;  // 603 head: A simplified, B summarised later
  std::string pre_no;           // E-Port's 18-character number, echoed by most export receipts
  std::string bill_no;          // master bill: 603 head, or bound by a CEB607; 507/607 head
  std::string operator_code;    // 507/215: the supervised-site operator
  std::string msg_seq_no;       // 507/509/607/701: which part of a split message, echoed by its receipt
  std::string sum_no;           // 701 sumNo; on an export list: the summary that took it ("" = not yet)
  std::vector<std::string> refs;  // 701: the invtNos it lists
  Decimal net_weight;
  int64_t arrived_ms = 0;  // export waybill: a CEB507 listed it (the goods are at the site)
  // Per lines[i] of an export list (parallel to `lines`, which holds gname
  // in `name`): the CEB603 itemName (the refund name after summary),
  // destination country, currency, legal quantity and legal unit. On an
  // export order, line_currencies holds the OrderList currency.
  std::vector<std::string> line_item_names, line_countries, line_currencies, line_units1;
  std::vector<Decimal> line_qty1;
};

// Everything the engine knows; a pure function of the accepted messages.
struct State {
  std::map<std::string, Doc> docs;                      // kind + '\x1f' + key
  std::map<std::string, std::string> payment_by_order;  // ebp|orderNo -> payment key
  std::map<std::string, std::string> waybill_by_order;  // ebp|orderNo -> waybill key (informational)
  std::map<std::string, std::string> inventory_by_order;  // ebp|orderNo -> live inventory key
  std::map<std::string, std::string> inventory_by_invt_no;
  std::set<std::string> waiting;                        // inventory keys waiting for documents
  std::map<std::string, Decimal> quota;                 // buyerId|year -> used CNY
  std::unordered_map<std::string, std::vector<std::pair<int64_t, uint64_t>>> guids;  // guid -> (seq, bytes hash)
  int64_t invt_serial = 0;
  int64_t last_business_ms = 0;
};

std::string DocId(std::string_view kind, std::string_view key);

// The engine's private half (engine.cc).
struct EngineCore {
  store::Store& store;
  EngineOptions options;
  State state;
  int64_t next_seq = 1;
  Engine::Counters counters;
};

// What one message's processing produces.
class Context {
 public:
  Context(EngineCore& core, int64_t seq, int64_t now_ms, bool replaying)
      : core_(core), seq_(seq), now_ms_(now_ms), replaying_(replaying) {}

  State& state() { return core_.state; }
  const EngineOptions& options() const { return core_.options; }
  const RuleBook& rules() const { return core_.options.rules; }
  int64_t seq() const { return seq_; }
  int64_t now_ms() const { return now_ms_; }
  bool replaying() const { return replaying_; }

  Doc* Find(std::string_view kind, std::string_view key);
  Doc& Put(Doc doc);
  // Moves a document to `status` (monotonic guard is the caller's), records
  // the event and the document's new state for the store.
  void SetStatus(Doc& doc, int status, std::string_view rule, std::string_view info);
  // Records an event without touching the document's stored state: an
  // E-Port rejection of a declaration that never became a document (a
  // duplicate key must not overwrite the live document of that key).
  void RecordEvent(std::string_view kind, std::string_view key, int status, std::string_view rule,
                   std::string_view info);
  Engine::Counters& core_counters() { return core_.counters; }
  void AddKey(std::string_view name, std::string_view value);
  void AddReceipt(const ceb::Message& message, std::string_view key_hint);
  void AddCounter(std::string_view name, std::string_view key, const Decimal& value);

  store::Batch& batch() { return batch_; }
  std::vector<Receipt>& receipts() { return receipts_; }
  // A receipt element guid: deterministic (seq, running number), upper-case UUID form.
  std::string NextGuid();
  std::string ReturnTime() const;  // yyyyMMddHHmmssSSS of now

 private:
  EngineCore& core_;
  int64_t seq_;
  int64_t now_ms_;
  bool replaying_;
  store::Batch batch_;
  std::vector<Receipt> receipts_;
  int guid_counter_ = 0;
};

// Message handlers (import_flow.cc, export_flow.cc). Each takes the decoded
// message and its findings (errors already reported per business element).
void HandleImport(Context& ctx, const ceb::Message& message, const std::vector<ceb::Finding>& findings);
void HandleExport(Context& ctx, const ceb::Message& message, const std::vector<ceb::Finding>& findings);
void HandleTick(Context& ctx);
Status HandleDecision(Context& ctx, const nlohmann::json& decision);

// Helpers shared by the flows (flow_common.cc).
std::string Key(std::string_view a, std::string_view b);  // "a|b"
bool Live(const Doc* d);  // declared or accepted: usable for matching
// The first error among the findings of one business element
// (`/CEB311Message/Order[2]`; the reader writes `/CEB311Message/Order`
// when there is only one), or "".
std::string ElementError(const std::vector<ceb::Finding>& findings, std::string_view root, std::string_view element,
                         size_t index, size_t count);
// Answers a document's sender with its current status (by side and kind).
void SendReceipt(Context& ctx, const Doc& d, int status, std::string_view info);
void SendImportReceipt(Context& ctx, const Doc& d, int status, std::string_view info);
void SendExportReceipt(Context& ctx, const Doc& d, int status, std::string_view info);
// Moves a document and answers its sender (status > 0).
void Move(Context& ctx, Doc& d, int status, std::string_view rule, const std::string& info);
// Rejects by a return code (data/clearance/return_codes.csv): a customs code
// moves the document to 100; an E-Port code only answers (negative status).
void Reject(Context& ctx, Doc& d, std::string_view code_id, std::string_view detail);
// Format, appType (1 new / 2 modify / 3 delete), appStatus (1 staged / 2
// declared) and duplicate keys. Returns the stored document when it was
// accepted as declared (status 2), else nullptr (already answered).
Doc* Admit(Context& ctx, Doc incoming, const ceb::Text& app_type, const ceb::Text& app_status,
           const std::string& error);
Decimal Dec(const ceb::Text& text);  // 0 when absent or not a decimal (validation reported it)
int64_t BusinessMs(const ceb::Text& time14);  // YYYYMMDDhhmmss -> ms, 0 if absent/invalid
// Errors among `findings` under `path_prefix` (or outside every business
// element); the first one's text, or "" when there is none.
std::string FirstError(const std::vector<ceb::Finding>& findings, std::string_view path_prefix);

}  // namespace dryport::clearance::internal

#endif  // DRYPORT_CLEARANCE_ENGINE_INTERNAL_H_
