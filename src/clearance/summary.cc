// Export summary consolidation and its store contract (summary.h).
#include "clearance/summary.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "core/time.h"

namespace dryport::clearance {
namespace {

constexpr int kReleased = 800;
constexpr int kClosed = 899;

// The key items merge by inside one declaration.
using LineKey =
    std::tuple<std::string, std::string, std::string, std::string>;  // hs, currency, country, name

std::string OriginalName(const ExportLine& l) {
  // itemName is optional in CEB603 (XSD22-E); without it the commodity name
  // is the only name the list has.
  return l.item_name.empty() ? l.gname : l.item_name;
}

Decimal ParseDecimal(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return Decimal();
  Result<Decimal> d = Decimal::Parse(j[key].get<std::string>());
  return d.ok() ? *d : Decimal();
}

std::string Str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

SummaryOptions SummaryOptions::FromFlags(std::string_view summary_flag,
                                         std::string_view item_name_flag) {
  SummaryOptions o;
  o.by_owner = summary_flag == "2";
  o.by_item_name = item_name_flag == "1";
  return o;
}

bool Summarisable(const ExportList& list) {
  return list.statistics_flag == "B" && (list.status == kReleased || list.status == kClosed) &&
         list.sum_no.empty() && !list.invt_no.empty();
}

std::vector<Declaration> Consolidate(const std::vector<ExportList>& lists,
                                     const SummaryOptions& options) {
  // By invtNo, so the result does not depend on the input order (and a list
  // given twice counts once).
  std::map<std::string, const ExportList*> by_invt_no;
  for (const ExportList& l : lists) {
    if (Summarisable(l)) by_invt_no.emplace(l.invt_no, &l);
  }

  std::map<DeclarationHeader, Declaration> declarations;
  std::map<DeclarationHeader, std::map<LineKey, size_t>> line_index;
  for (const auto& [invt_no, list] : by_invt_no) {
    DeclarationHeader header{
        list->ebc,     list->traf_mode, options.by_owner ? list->owner : std::string(),
        list->country, list->port,      options.by_trade_mode ? list->trade_mode : std::string()};
    Declaration& decl = declarations[header];
    decl.header = header;
    decl.invt_nos.push_back(invt_no);
    decl.gross_weight += list->gross_weight;
    decl.net_weight += list->net_weight;

    std::vector<const ExportLine*> lines;
    for (const ExportLine& l : list->lines) lines.push_back(&l);
    std::stable_sort(lines.begin(), lines.end(),
                     [](const ExportLine* a, const ExportLine* b) { return a->gnum < b->gnum; });
    for (const ExportLine* l : lines) {
      // With itemNameFlag 1 the original name splits lines; otherwise items
      // merge by the commodity classification (HS code), and the line is
      // named by its first item's commodity name (the reference's
      // "商品综合分类名" table is not available: UNCERTAIN).
      const std::string name = options.by_item_name ? OriginalName(*l) : l->gname;
      LineKey key{l->hs, l->currency, l->country, options.by_item_name ? name : std::string()};
      auto [it, inserted] = line_index[header].emplace(key, decl.lines.size());
      if (inserted) {
        DeclarationLine line;
        line.seq = static_cast<int>(decl.lines.size()) + 1;
        line.hs = l->hs;
        line.currency = l->currency;
        line.country = l->country;
        line.name = name;
        line.unit1 = l->unit1;
        decl.lines.push_back(std::move(line));
      }
      DeclarationLine& line = decl.lines[it->second];
      line.qty += l->qty;
      line.qty1 += l->qty1;
      line.total += l->total;
      ++line.items;
      decl.items.push_back({invt_no, list->logistics_no, l->gnum, l->hs, line.seq});
    }
  }

  std::vector<Declaration> out;
  out.reserve(declarations.size());
  for (auto& [header, decl] : declarations) out.push_back(std::move(decl));
  return out;
}

nlohmann::ordered_json ExportListToJson(const ExportList& list) {
  nlohmann::ordered_json j = {{"status", list.status},
                              {"invtNo", list.invt_no},
                              {"agentCode", list.agent},
                              {"ebcCode", list.ebc},
                              {"ebpCode", list.ebp},
                              {"ownerCode", list.owner},
                              {"orderNo", list.order_no},
                              {"logisticsNo", list.logistics_no},
                              {"customsCode", list.customs},
                              {"portCode", list.port},
                              {"country", list.country},
                              {"trafMode", list.traf_mode},
                              {"tradeMode", list.trade_mode},
                              {"statisticsFlag", list.statistics_flag},
                              {"sumNo", list.sum_no},
                              {"releasedMs", list.released_ms},
                              {"grossWeight", list.gross_weight.ToString()},
                              {"netWeight", list.net_weight.ToString()}};
  nlohmann::ordered_json lines = nlohmann::ordered_json::array();
  for (const ExportLine& l : list.lines) {
    lines.push_back({{"gnum", l.gnum},
                     {"gcode", l.hs},
                     {"gname", l.gname},
                     {"itemName", l.item_name},
                     {"country", l.country},
                     {"currency", l.currency},
                     {"unit1", l.unit1},
                     {"qty", l.qty.ToString()},
                     {"qty1", l.qty1.ToString()},
                     {"price", l.price.ToString()},
                     {"totalPrice", l.total.ToString()}});
  }
  j["lines"] = std::move(lines);
  return j;
}

Result<ExportList> ExportListFromDocument(const store::DocumentRow& row) {
  if (row.kind != kExportListKind) {
    return Status::InvalidArgument(
        fmt::format("document {} {} is not an export list", row.kind, row.key));
  }
  const nlohmann::json j = nlohmann::json::parse(row.state, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("lines") || !j["lines"].is_array()) {
    return Status::InvalidArgument(fmt::format(
        "export list {}: the document state has no lines (written before the export state JSON?)",
        row.key));
  }
  ExportList l;
  l.key = row.key;
  l.status = row.status;
  l.invt_no = Str(j, "invtNo");
  l.agent = Str(j, "agentCode");
  l.ebc = Str(j, "ebcCode");
  l.ebp = Str(j, "ebpCode");
  l.owner = Str(j, "ownerCode");
  l.order_no = Str(j, "orderNo");
  l.logistics_no = Str(j, "logisticsNo");
  l.customs = Str(j, "customsCode");
  l.port = Str(j, "portCode");
  l.country = Str(j, "country");
  l.traf_mode = Str(j, "trafMode");
  l.trade_mode = Str(j, "tradeMode");
  l.statistics_flag = Str(j, "statisticsFlag");
  l.sum_no = Str(j, "sumNo");
  l.released_ms = j.contains("releasedMs") && j["releasedMs"].is_number_integer()
                      ? j["releasedMs"].get<int64_t>()
                      : 0;
  l.gross_weight = ParseDecimal(j, "grossWeight");
  l.net_weight = ParseDecimal(j, "netWeight");
  for (const nlohmann::json& x : j["lines"]) {
    if (!x.is_object())
      return Status::InvalidArgument(
          fmt::format("export list {}: a line is not an object", row.key));
    ExportLine line;
    line.gnum = x.contains("gnum") && x["gnum"].is_number_integer() ? x["gnum"].get<int>() : 0;
    line.hs = Str(x, "gcode");
    line.gname = Str(x, "gname");
    line.item_name = Str(x, "itemName");
    line.country = Str(x, "country");
    line.currency = Str(x, "currency");
    line.unit1 = Str(x, "unit1");
    line.qty = ParseDecimal(x, "qty");
    line.qty1 = ParseDecimal(x, "qty1");
    line.price = ParseDecimal(x, "price");
    line.total = ParseDecimal(x, "totalPrice");
    l.lines.push_back(std::move(line));
  }
  return l;
}

Result<std::vector<ExportList>> ReleasedExportLists(store::Store& store, int64_t from_ms,
                                                    int64_t to_ms) {
  std::vector<ExportList> out;
  Status s = store.ForEachDocument([&](store::DocumentRow&& row) -> Status {
    if (row.kind != kExportListKind || (row.status != kReleased && row.status != kClosed))
      return Status::Ok();
    Result<ExportList> list = ExportListFromDocument(row);
    if (!list.ok()) return list.status();
    if (list->released_ms >= from_ms && list->released_ms < to_ms) out.push_back(std::move(*list));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  std::sort(out.begin(), out.end(),
            [](const ExportList& a, const ExportList& b) { return a.invt_no < b.invt_no; });
  return out;
}

Result<std::pair<int64_t, int64_t>> MonthRange(std::string_view year_month) {
  const Status invalid =
      Status::InvalidArgument(fmt::format("'{}' is not a month YYYY-MM", year_month));
  if (year_month.size() != 7 || year_month[4] != '-') return invalid;
  Result<Timestamp> start =
      Timestamp::Parse(fmt::format("{}{}01", year_month.substr(0, 4), year_month.substr(5, 2)),
                       TimeFormat::kCompactDate);
  if (!start.ok()) return invalid;
  const int year = start->year();
  const unsigned month = start->month();
  Result<Timestamp> end =
      month == 12 ? Timestamp::FromCivil(year + 1, 1, 1) : Timestamp::FromCivil(year, month + 1, 1);
  if (!end.ok()) return end.status();
  return std::make_pair(start->millis(), end->millis());
}

}  // namespace dryport::clearance
