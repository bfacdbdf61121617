// Private to src/traffic: the plan of a corpus. Generation has two phases:
//  1. BuildPlan decides everything (orders in time order, flows, faults,
//     parties, items, amounts, times, keys, batches, expected outcomes) and
//     the send order of every message (events);
//  2. the generator walks the events in send order and builds each message
//     from the plan (messages.cc).
// Keeping all decisions in phase 1 makes the cross-document consistency a
// property of the data, not of the order in which messages are written.
#ifndef DRYPORT_TRAFFIC_PLAN_H_
#define DRYPORT_TRAFFIC_PLAN_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "traffic/data.h"
#include "traffic/generator.h"
#include "traffic/tax.h"

namespace dryport::traffic::internal {

enum class Flow : uint8_t { kExport, kImportDirect, kImportBonded };
std::string_view FlowName(Flow flow);  // "export-9610", "import-9610", "import-1210"

// The documents of one order. kPayment is the CEB411 payment (import) or the
// CEB403 receipt of payment (export).
enum class Doc : uint8_t { kOrder, kPayment, kWaybill, kInventory, kRevocation, kReturn };

struct Person {
  std::string name, id_number, phone;
  std::string district_code;  // consigneeDistrict
  std::string address;        // full address, province to flat
};

struct Line {
  const Product* product = nullptr;
  int qty = 1;
  Decimal price, total;  // total = qty x price, exactly
};

enum class Outcome : uint8_t { kReleased, kRejected, kRevoked, kReturned, kPending, kInvalid };
std::string_view OutcomeName(Outcome outcome);

struct Expected {
  Outcome outcome = Outcome::kReleased;
  std::string reason;  // the customs code where the reference gives one, else a rule id
  std::string info;    // the receipt text (returnInfo style) or an explanation
};

struct OrderPlan {
  uint32_t index = 0;  // position in time order (0-based)
  Flow flow = Flow::kExport;
  int day = 0;  // 0-based day of the period

  // Business times, ms since 1970-01-01 China civil time.
  int64_t t_order = 0;
  int64_t t_pay_time = 0;  // import payTime / export accountingDate
  int64_t t_payment = 0;   // appTime of the CEB411 / CEB403
  int64_t t_waybill = 0, t_inventory = 0, t_revocation = 0, t_return = 0;

  // Parties.
  const Company* platform = nullptr;  // ebp
  const Company* ebc = nullptr;
  const Company* payment = nullptr;
  const Company* logistics = nullptr;
  const Company* agent = nullptr;
  const Company* zone = nullptr;  // bonded only

  // Keys.
  std::string order_no, logistics_no, pay_no, cop_no, invt_no, bill_no, voyage_no, return_cop_no;

  std::vector<Line> lines;
  Decimal goods_value, freight, insured_fee, discount, tax_total, actural_paid;
  Decimal gross_kg, net_kg;
  ImportTax tax;  // import only

  // Import parties (indexes into Plan::persons).
  int buyer = -1, consignee = -1, payer = -1;
  std::string buyer_reg_no;
  std::string origin_code;  // head country of the CEB621

  // Export.
  const ForeignBuyer* foreign = nullptr;
  bool has_receipt = false;
  bool summary = false;  // statisticsFlag B
  int arrival_batch = -1, summary_batch = -1;

  // Fault (at most one) and how it shows.
  std::optional<FaultKind> fault;
  Doc fault_doc = Doc::kOrder;  // the document that carries it
  int variant = 0;              // kind-specific, see BuildPlan
  std::string fault_detail;     // for the manifest
  std::string payment_amount;   // CEB411 amountPaid / CEB403 charge as sent
  int payer_person = -1;        // buyer-payer-mismatch: who paid
  int scenario = -1;  // over-annual-limit: scenario id (its earlier orders and the trigger)
  bool scenario_trigger = false;
  std::vector<int> returned_lines;  // return: indexes into lines, with returned_qty
  std::vector<int> returned_qty;
  std::string reason_text;                       // revocation / return reason
  std::string return_bill_no, return_voyage_no;  // export return: the way back
  std::string wrong_code;                        // wrong-code: the code sent

  Expected expected;
};

struct ArrivalBatch {
  int day = 0, slot = 0;
  const Company* logistics = nullptr;
  std::vector<uint32_t> orders;
  std::string bill_no, voyage_no, traf_name, plate, arrival_cop_no, departure_cop_no;
  int64_t t_arrival = 0, t_departure = 0;
  int parts = 1;  // messages (msgCount) the lists are split into
};

struct SummaryBatch {
  int day = 0;
  const Company* ebc = nullptr;
  const Company* agent = nullptr;
  std::vector<uint32_t> orders;
  bool by_range = false;
  std::string cop_no;
  int64_t t = 0, range_start = 0, range_end = 0;
  int parts = 1;
};

enum class EventKind : uint8_t {
  kDoc,        // an order's document (doc)
  kResend,     // duplicate: the same bytes sent again
  kNewGuid,    // duplicate: the same business key with a new guid
  kArrival,    // CEB507 part of a batch
  kDeparture,  // CEB509 part of a batch
  kSummary,    // CEB701 part of a summary batch
};

struct Event {
  int64_t key = 0;   // send time (ms); ties keep creation order
  uint32_t seq = 0;  // creation order
  EventKind kind = EventKind::kDoc;
  Doc doc = Doc::kOrder;
  uint32_t ref = 0;   // order or batch index
  uint32_t part = 0;  // 0-based part of a split batch
  int64_t time = 0;   // business time of the message (appTime)
};

struct Plan {
  int64_t day0 = 0;  // midnight of the first day
  std::vector<OrderPlan> orders;
  std::vector<Person> persons;
  std::vector<ArrivalBatch> arrivals;
  std::vector<SummaryBatch> summaries;
  std::vector<Event> events;  // sorted by (key, seq): the send order
  std::array<int, kFaultKindCount> fault_counts{};
};

// Lists of more than this many waybills / lists are split into parts
// (msgCount/msgSeqNo), so a message stays a few hundred kB.
inline constexpr size_t kBatchPartSize = 500;

Status BuildPlan(const GenOptions& options, const TrafficData& data, Plan& plan);

}  // namespace dryport::traffic::internal

#endif  // DRYPORT_TRAFFIC_PLAN_H_
