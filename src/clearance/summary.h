// Export summary (汇总申报): turning released export lists into customs
// declarations (报关单), as the engine does for a CEB701 and `dryport
// summary --month YYYY-MM` does from the store.
//
// What it offers:
//  - Consolidate: a pure function from export lists to declarations. Lists
//    merge into one declaration when their header keys agree (consignor,
//    transport mode, producer/seller when asked, country of arrival, exit
//    customs, trade mode); inside a declaration, items merge into one line
//    when they agree on the 10-digit HS code, currency and destination
//    country (and the item name when asked). Totals are exact decimals.
//    Sources: customs-rules.md §1.1 (归并 rules, believed to follow GACC 2018
//    No. 194, not confirmed by a public source), §7 item 5;
//    ceb-messages.md §8.5. docs/clearance-export.md says what is UNCERTAIN.
//  - The store contract: an export list's document state JSON
//    (ExportListToJson / ExportListFromDocument) and ReleasedExportLists,
//    which reads the lists released in a time range from any store::Store
//    without an Engine.
//
// Thread-safety: pure functions; ReleasedExportLists uses the store's own
// thread-safety.
#ifndef DRYPORT_CLEARANCE_SUMMARY_H_
#define DRYPORT_CLEARANCE_SUMMARY_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/decimal.h"
#include "core/status.h"
#include "store/store.h"

namespace dryport::clearance {

// The store kind of an export list (CEB603), also the engine's Doc kind.
inline constexpr std::string_view kExportListKind = "export-inventory";

// One item of an export list (CEB603 InventoryList).
struct ExportLine {
  int gnum = 0;
  std::string hs;     // gcode, 10 digits
  std::string gname;  // the commodity name (商品名称)
  std::string
      item_name;  // itemName: the enterprise's own name, optional (the refund name after summary)
  std::string country;  // final destination country (最终目的国)
  std::string currency;
  std::string unit1;  // legal unit (法定计量单位)
  Decimal qty, qty1, price, total;
};

// A released export list as the summary needs it.
struct ExportList {
  std::string key;  // agentCode|copNo
  std::string invt_no, agent, ebc, ebp, owner, order_no, logistics_no, customs, port, country,
      traf_mode, trade_mode, statistics_flag;
  std::string sum_no;  // the summary that already took it; "" = not summarised
  int status = 0;      // 800 released, 899 closed
  int64_t released_ms = 0;
  Decimal gross_weight, net_weight;
  std::vector<ExportLine> lines;
};

struct SummaryOptions {
  bool by_owner = false;  // CEB701 summaryFlag 2: consignor and producer/seller
  bool by_item_name =
      false;  // CEB701 itemNameFlag 1: items merge only under the same original name
  // Not in the reference's key list: dryport keeps 9610 and 1210 lists
  // apart because a customs declaration has one supervision mode (监管方式).
  bool by_trade_mode = true;

  // From the CEB701 head: summaryFlag "2" and itemNameFlag "1" switch on.
  static SummaryOptions FromFlags(std::string_view summary_flag, std::string_view item_name_flag);
};

// What lists must agree on to share a declaration. `owner` is "" unless
// SummaryOptions::by_owner, `trade_mode` "" unless by_trade_mode.
struct DeclarationHeader {
  std::string ebc, traf_mode, owner, country, port, trade_mode;
  auto operator<=>(const DeclarationHeader&) const = default;
};

// One goods line of a declaration: the items of its lists that merged.
struct DeclarationLine {
  int seq = 0;  // 1..n in the declaration
  std::string hs, currency, country;
  std::string name;   // the original item name (by_item_name) or the commodity name (gname)
  std::string unit1;  // legal unit of the first item (the legal unit follows the HS code)
  Decimal qty, qty1, total;
  int items = 0;  // list items merged into it
};

// One list item and where it went: a CEB792 SummaryResultList row.
struct DeclarationItem {
  std::string invt_no, logistics_no;
  int gnum = 0;
  std::string hs;
  int line = 0;  // DeclarationLine::seq it merged into
};

struct Declaration {
  DeclarationHeader header;
  std::vector<std::string> invt_nos;  // ascending
  std::vector<DeclarationLine> lines;
  std::vector<DeclarationItem> items;  // by invtNo, then gnum
  Decimal gross_weight, net_weight;
};

// A list the summary may take: statisticsFlag B (A is 简化申报 and needs no
// summary, ceb-messages.md §8.5), released (800) or closed (899), and not
// already in a summary.
bool Summarisable(const ExportList& list);

// The declarations the summarisable `lists` consolidate into, ordered by
// header; lists that are not Summarisable are left out, and a list given
// twice (same invtNo) counts once. Deterministic: the result does not depend
// on the order of `lists`.
std::vector<Declaration> Consolidate(const std::vector<ExportList>& lists,
                                     const SummaryOptions& options);

// The document state JSON of an export list (standard field names, decimals
// as exact text). The engine writes it as the store document's `state`.
nlohmann::ordered_json ExportListToJson(const ExportList& list);
// The export list of a store document of kind kExportListKind. Errors:
// InvalidArgument for another kind or a state that is not this JSON.
Result<ExportList> ExportListFromDocument(const store::DocumentRow& row);

// Every export list in the store released (800) or closed (899) with a
// release time in [from_ms, to_ms) (China civil time), ordered by invtNo.
Result<std::vector<ExportList>> ReleasedExportLists(store::Store& store, int64_t from_ms,
                                                    int64_t to_ms);
// "2025-10" -> [first day 00:00, first day of the next month 00:00).
Result<std::pair<int64_t, int64_t>> MonthRange(std::string_view year_month);

}  // namespace dryport::clearance

#endif  // DRYPORT_CLEARANCE_SUMMARY_H_
