#include "freight/network.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/embedded_file.h"
#include "core/csv.h"

namespace dryport::freight {

namespace internal {
// Generated from data/corridors/*.csv by tools/embed_files.py.
std::span<const ::dryport::EmbeddedFile> BuiltinCorridorFiles();
}  // namespace internal

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kRail: return "rail";
    case Mode::kAir: return "air";
    case Mode::kSea: return "sea";
    case Mode::kRoad: return "road";
  }
  return "?";
}

Decimal MicroUsdToDecimal(int64_t micros) { return Decimal::FromUnits(micros, 6).Normalized(); }

std::string FormatMoney(int64_t micros) {
  const Decimal d = MicroUsdToDecimal(micros);
  return d.ToString(std::max(2, d.scale()));
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on ';' (and ',' inside a quoted cell), trimming and dropping empties.
std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ';' || c == ',') {
      if (!Trim(cur).empty()) out.emplace_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) out.emplace_back(Trim(cur));
  return out;
}

// One row of a nodes, services or fx table, from CSV or JSON.
struct Record {
  std::string location;  // "file:line"
  std::map<std::string, std::string> fields;

  std::string_view Get(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? std::string_view() : Trim(it->second);
  }
  bool Has(const std::string& key) const { return !Get(key).empty(); }
};

enum class Table { kNodes, kServices, kFx };

struct Tables {
  std::vector<Record> nodes, services, fx;
  std::vector<Record>& Of(Table t) { return t == Table::kNodes ? nodes : t == Table::kServices ? services : fx; }
};

const std::set<std::string>& KnownColumns(Table t) {
  static const std::set<std::string> kNodes = {
      "id", "name", "city", "type", "country", "lat", "lon", "code", "utc_offset", "handling",
      "export_clearance", "import_clearance", "clearance_fee", "confidence", "tag", "source", "ref", "notes"};
  static const std::set<std::string> kServices = {
      "id", "from", "to", "mode", "via", "days", "time", "every_weeks", "week_phase", "transit", "cutoff",
      "capacity", "capacity_unit", "price", "currency", "price_unit", "distance_km", "co2_g_per_tkm",
      "confidence", "tag", "source", "ref", "notes"};
  static const std::set<std::string> kFx = {"currency", "per_usd", "confidence", "tag", "source", "notes"};
  return t == Table::kNodes ? kNodes : t == Table::kServices ? kServices : kFx;
}

std::string_view TableName(Table t) {
  return t == Table::kNodes ? "nodes" : t == Table::kServices ? "services" : "fx";
}

void ReadCsvFile(const NetworkFile& file, Tables& tables, NetworkReport& report) {
  auto rows = ParseCsv(file.content, file.name);
  if (!rows.ok()) {
    report.errors.push_back(rows.status().message());
    return;
  }
  if (rows->empty()) {
    report.errors.push_back(fmt::format("{}: empty file (a header row is required)", file.name));
    return;
  }
  std::vector<std::string> header;
  for (const auto& h : (*rows)[0].fields) header.push_back(Lower(Trim(h)));
  const std::set<std::string> columns(header.begin(), header.end());
  Table table;
  if (columns.count("from") && columns.count("to")) {
    table = Table::kServices;
  } else if (columns.count("per_usd")) {
    table = Table::kFx;
  } else if (columns.count("id") && (columns.count("type") || columns.count("utc_offset"))) {
    table = Table::kNodes;
  } else {
    report.errors.push_back(fmt::format(
        "{}:1: cannot tell what this CSV holds: a nodes file has id,type,utc_offset,...; a services file "
        "has id,from,to,...; an exchange-rate file has currency,per_usd",
        file.name));
    return;
  }
  if (columns.size() != header.size()) {
    report.errors.push_back(fmt::format("{}:1: a column name appears twice", file.name));
    return;
  }
  for (const auto& h : header) {
    if (!KnownColumns(table).count(h)) {
      report.notes.push_back(fmt::format("{}:1: column '{}' is not used", file.name, h));
    }
  }
  for (size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    Record rec;
    rec.location = fmt::format("{}:{}", file.name, row.line);
    if (row.fields.size() != header.size()) {
      report.errors.push_back(fmt::format("{}: {} fields, the header has {}", rec.location, row.fields.size(),
                                          header.size()));
      continue;
    }
    for (size_t c = 0; c < header.size(); ++c) rec.fields[header[c]] = row.fields[c];
    tables.Of(table).push_back(std::move(rec));
  }
}

std::string JsonCell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ';';
      out += JsonCell(e);
    }
    return out;
  }
  return v.dump();
}

void ReadJsonFile(const NetworkFile& file, Tables& tables, NetworkReport& report) {
  nlohmann::json doc = nlohmann::json::parse(file.content, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    report.errors.push_back(fmt::format("{}: not valid JSON", file.name));
    return;
  }
  if (!doc.is_object()) {
    report.errors.push_back(fmt::format("{}: the top level must be an object with \"nodes\", \"services\" "
                                        "and/or \"fx\" arrays",
                                        file.name));
    return;
  }
  for (const auto& [key, value] : doc.items()) {
    Table table;
    if (key == "nodes") {
      table = Table::kNodes;
    } else if (key == "services") {
      table = Table::kServices;
    } else if (key == "fx") {
      table = Table::kFx;
    } else {
      report.errors.push_back(fmt::format("{}: unknown top-level key \"{}\" (nodes, services, fx)", file.name, key));
      continue;
    }
    if (!value.is_array()) {
      report.errors.push_back(fmt::format("{}: \"{}\" must be an array", file.name, key));
      continue;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      Record rec;
      rec.location = fmt::format("{}:{}[{}]", file.name, key, i);
      if (!value[i].is_object()) {
        report.errors.push_back(fmt::format("{}: must be an object", rec.location));
        continue;
      }
      for (const auto& [k, v] : value[i].items()) {
        const std::string col = Lower(k);
        if (!KnownColumns(table).count(col)) {
          report.notes.push_back(fmt::format("{}: field '{}' is not used", rec.location, k));
        }
        if (v.is_object()) {
          report.errors.push_back(fmt::format("{}: field '{}' must be a string, number or array", rec.location, k));
          continue;
        }
        rec.fields[col] = JsonCell(v);
      }
      tables.Of(table).push_back(std::move(rec));
    }
  }
}

void ReadFiles(std::span<const NetworkFile> files, Tables& tables, NetworkReport& report) {
  for (const auto& f : files) {
    const bool json = f.name.size() >= 5 && Lower(f.name.substr(f.name.size() - 5)) == ".json";
    if (json) {
      ReadJsonFile(f, tables, report);
    } else {
      ReadCsvFile(f, tables, report);
    }
  }
}

// Overlay rows replace base rows with the same key; others are appended.
std::vector<Record> Merge(std::vector<Record> base, std::vector<Record> overlay, const std::string& key_column,
                          Table table, NetworkReport& report) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < base.size(); ++i) index.emplace(std::string(base[i].Get(key_column)), i);
  std::unordered_map<std::string, std::string> seen_overlay;
  for (auto& rec : overlay) {
    const std::string key(rec.Get(key_column));
    if (auto s = seen_overlay.find(key); s != seen_overlay.end() && !key.empty()) {
      report.errors.push_back(fmt::format("{}: duplicate {} id '{}' (also at {})", rec.location,
                                          TableName(table), key, s->second));
      continue;
    }
    seen_overlay.emplace(key, rec.location);
    if (auto it = index.find(key); it != index.end() && !key.empty()) {
      report.notes.push_back(fmt::format("{}: {} '{}' replaces the one at {}", rec.location, TableName(table), key,
                                         base[it->second].location));
      base[it->second] = std::move(rec);
    } else {
      base.push_back(std::move(rec));
    }
  }
  return base;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '#')) return false;
  }
  return true;
}

const std::set<std::string>& KnownNodeTypes() {
  static const std::set<std::string> kTypes = {"rail_terminal", "airport",     "seaport",   "border_gauge_change",
                                               "border_crossing", "bonded_zone", "warehouse", "inland_city",
                                               "mail_hub"};
  return kTypes;
}

const std::set<std::string>& KnownConfidence() {
  static const std::set<std::string> kValues = {"sourced", "derived", "estimate", "conflicting"};
  return kValues;
}

int Levenshtein(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

// Turns validated records into a Network. A class so Network can befriend it.
class NetworkAssembler {
 public:
  explicit NetworkAssembler(NetworkReport& report) : report_(report) {}

  std::optional<Network> Assemble(const Tables& tables) {
    ReadFx(tables.fx);
    for (const auto& rec : tables.nodes) AddNode(rec);
    net_.nodes_.reserve(tables.nodes.size());
    for (const auto& rec : tables.services) AddService(rec);
    CheckZeroTimeCycles();
    if (!report_.errors.empty()) return std::nullopt;
    BuildIndexes();
    report_.node_count = net_.nodes_.size();
    report_.service_count = net_.services_.size();
    return std::move(net_);
  }

 private:
  void Error(const Record& rec, std::string msg) { report_.errors.push_back(rec.location + ": " + msg); }

  Provenance ReadProvenance(const Record& rec) {
    Provenance p;
    p.confidence = std::string(rec.Get("confidence"));
    p.tag = std::string(rec.Get("tag"));
    p.source = std::string(rec.Get("source"));
    p.ref = std::string(rec.Get("ref"));
    p.notes = std::string(rec.Get("notes"));
    p.location = rec.location;
    if (!p.confidence.empty() && !KnownConfidence().count(p.confidence)) {
      Error(rec, fmt::format("confidence '{}' is not one of sourced, derived, estimate, conflicting", p.confidence));
    }
    return p;
  }

  void ReadFx(const std::vector<Record>& rows) {
    fx_["USD"] = Decimal::FromInt(1);
    std::set<std::string> seen;
    for (const auto& rec : rows) {
      const std::string cur(rec.Get("currency"));
      if (cur.size() != 3) {
        Error(rec, fmt::format("currency '{}' is not a 3-letter code", cur));
        continue;
      }
      if (!seen.insert(cur).second) {
        Error(rec, fmt::format("currency {} listed twice", cur));
        continue;
      }
      auto rate = Decimal::Parse(rec.Get("per_usd"));
      if (!rate.ok() || rate->IsNegative() || rate->IsZero()) {
        Error(rec, fmt::format("per_usd '{}' must be a positive decimal", rec.Get("per_usd")));
        continue;
      }
      if (cur == "USD" && *rate != Decimal::FromInt(1)) {
        Error(rec, "USD is the reporting currency; its per_usd must be 1");
        continue;
      }
      fx_[cur] = *rate;
    }
  }

  std::optional<Minutes> Duration(const Record& rec, const std::string& col, Minutes fallback) {
    if (!rec.Has(col)) return fallback;
    auto d = ParseDuration(rec.Get(col));
    if (!d.ok()) {
      Error(rec, fmt::format("{}: {}", col, d.status().message()));
      return std::nullopt;
    }
    return *d;
  }

  void AddNode(const Record& rec) {
    Node n;
    n.id = std::string(rec.Get("id"));
    if (!ValidId(n.id)) {
      Error(rec, fmt::format("node id '{}' must be 1-64 characters of A-Z a-z 0-9 - _ . #", n.id));
      return;
    }
    if (node_index_.count(n.id)) {
      Error(rec, fmt::format("duplicate node id '{}'", n.id));
      return;
    }
    n.name = rec.Has("name") ? std::string(rec.Get("name")) : n.id;
    n.cities = SplitList(rec.Get("city"));
    n.type = std::string(rec.Get("type"));
    if (n.type.empty()) Error(rec, fmt::format("node {}: type is missing", n.id));
    std::string types = n.type;
    std::replace(types.begin(), types.end(), '+', ';');
    for (const auto& t : SplitList(types)) {
      if (!KnownNodeTypes().count(t)) {
        Error(rec, fmt::format("node {}: unknown type '{}'", n.id, t));
      }
      if (t == "border_gauge_change") n.gauge_change = true;
    }
    n.country = std::string(rec.Get("country"));
    if (n.country.empty()) Error(rec, fmt::format("node {}: country is missing", n.id));
    for (const char* col : {"lat", "lon"}) {
      if (!rec.Has(col)) continue;
      auto v = Decimal::Parse(rec.Get(col));
      const double limit = std::string_view(col) == "lat" ? 90 : 180;
      double value = 0;
      if (v.ok()) value = std::strtod(std::string(rec.Get(col)).c_str(), nullptr);
      if (!v.ok() || value < -limit || value > limit) {
        Error(rec, fmt::format("node {}: {} '{}' is not a number in [-{}, {}]", n.id, col, rec.Get(col), limit, limit));
      }
      (std::string_view(col) == "lat" ? n.lat : n.lon) = value;
    }
    n.code = std::string(rec.Get("code"));
    if (!rec.Has("utc_offset")) {
      Error(rec, fmt::format("node {}: utc_offset is missing (e.g. +08:00)", n.id));
    } else if (auto off = ParseUtcOffset(rec.Get("utc_offset")); !off.ok()) {
      Error(rec, fmt::format("node {}: {}", n.id, off.status().message()));
    } else {
      n.utc_offset = *off;
    }
    const auto handling = Duration(rec, "handling", 0);
    const auto exp = Duration(rec, "export_clearance", 0);
    const auto imp = Duration(rec, "import_clearance", 0);
    if (handling) n.handling = *handling;
    if (exp) n.export_clearance = *exp;
    if (imp) n.import_clearance = *imp;
    if (n.handling < 0 || n.export_clearance < 0 || n.import_clearance < 0) {
      Error(rec, fmt::format("node {}: handling and clearance times cannot be negative", n.id));
    }
    if (rec.Has("clearance_fee")) {
      auto fee = Decimal::Parse(rec.Get("clearance_fee"));
      if (!fee.ok() || fee->IsNegative() || fee->FractionDigits() > 6) {
        Error(rec, fmt::format("node {}: clearance_fee '{}' must be a non-negative USD amount", n.id,
                               rec.Get("clearance_fee")));
      } else {
        n.clearance_fee = *fee;
        n.clearance_fee_micros = static_cast<int64_t>((*fee * Decimal::FromInt(1000000)).Rescaled(0).units());
      }
    }
    n.provenance = ReadProvenance(rec);
    node_index_.emplace(n.id, static_cast<uint32_t>(net_.nodes_.size()));
    net_.nodes_.push_back(std::move(n));
  }

  std::optional<NodeIdx> NodeRef(const Record& rec, std::string_view id, std::string_view what) {
    auto it = node_index_.find(std::string(id));
    if (it == node_index_.end()) {
      if (id.empty()) {
        Error(rec, fmt::format("service {}: '{}' is missing", rec.Get("id"), what));
      } else {
        Error(rec, fmt::format("service {}: unknown node '{}' in '{}'", rec.Get("id"), id, what));
      }
      return std::nullopt;
    }
    return NodeIdx(it->second);
  }

  // Converts `amount` in `currency` to micro-USD: other currencies are
  // converted once, rounded half-up to the cent.
  std::optional<int64_t> ToMicroUsd(const Record& rec, const Decimal& amount, std::string_view currency) {
    auto it = fx_.find(std::string(currency));
    if (it == fx_.end()) {
      Error(rec, fmt::format("service {}: no exchange rate for currency '{}' (add it to fx.csv)", rec.Get("id"),
                             currency));
      return std::nullopt;
    }
    Decimal usd = amount;
    if (currency != "USD") {
      auto q = amount.Divide(it->second, 2);
      if (!q.ok()) {
        Error(rec, fmt::format("service {}: {}", rec.Get("id"), q.status().message()));
        return std::nullopt;
      }
      usd = *q;
    }
    if (usd.FractionDigits() > 6) {
      Error(rec, fmt::format("service {}: price {} has more than 6 decimals", rec.Get("id"), amount.ToString()));
      return std::nullopt;
    }
    const int128_t micros = (usd * Decimal::FromInt(1000000)).Rescaled(0).units();
    if (micros > int128_t{1} << 50) {
      Error(rec, fmt::format("service {}: price {} is implausibly large", rec.Get("id"), amount.ToString()));
      return std::nullopt;
    }
    return static_cast<int64_t>(micros);
  }

  void AddService(const Record& rec) {
    Service s;
    s.id = std::string(rec.Get("id"));
    if (!ValidId(s.id)) {
      Error(rec, fmt::format("service id '{}' must be 1-64 characters of A-Z a-z 0-9 - _ . #", s.id));
      return;
    }
    if (service_index_.count(s.id)) {
      Error(rec, fmt::format("duplicate service id '{}'", s.id));
      return;
    }
    bool ok = true;
    const auto from = NodeRef(rec, rec.Get("from"), "from");
    const auto to = NodeRef(rec, rec.Get("to"), "to");
    if (!from || !to) ok = false;
    if (from && to && *from == *to) {
      Error(rec, fmt::format("service {}: from and to are the same node", s.id));
      ok = false;
    }
    const std::string mode = Lower(rec.Get("mode"));
    if (mode == "rail") {
      s.mode = Mode::kRail;
    } else if (mode == "air") {
      s.mode = Mode::kAir;
    } else if (mode == "sea") {
      s.mode = Mode::kSea;
    } else if (mode == "road") {
      s.mode = Mode::kRoad;
    } else {
      Error(rec, fmt::format("service {}: mode '{}' is not rail, air, sea or road", s.id, rec.Get("mode")));
      ok = false;
    }
    for (const auto& v : SplitList(rec.Get("via"))) {
      if (auto n = NodeRef(rec, v, "via")) {
        s.via.push_back(*n);
      } else {
        ok = false;
      }
    }
    // Schedule.
    const std::string days = Lower(rec.Get("days"));
    if (days == "on_demand" || days == "on demand") {
      s.on_demand = true;
    } else if (days.empty()) {
      Error(rec, fmt::format("service {}: 'days' is missing (weekdays such as Tue or Mon;Fri, daily, or "
                             "on_demand)",
                             s.id));
      ok = false;
    } else if (days == "daily") {
      s.weekdays = 0x7F;
    } else {
      static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
      for (const auto& d : SplitList([&] {
             std::string t = days;
             std::replace(t.begin(), t.end(), ' ', ';');
             return t;
           }())) {
        const auto it = std::find(std::begin(kDays), std::end(kDays), d.substr(0, 3));
        if (it == std::end(kDays) || (d.size() > 3 && d.size() < 6)) {
          Error(rec, fmt::format("service {}: '{}' is not a weekday (Mon..Sun)", s.id, d));
          ok = false;
          continue;
        }
        s.weekdays |= static_cast<uint8_t>(1u << (it - std::begin(kDays)));
      }
    }
    if (!s.on_demand) {
      const std::string_view t = rec.Get("time");
      int hh = -1, mm = -1;
      if (t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) &&
          std::isdigit(static_cast<unsigned char>(t[1])) && std::isdigit(static_cast<unsigned char>(t[3])) &&
          std::isdigit(static_cast<unsigned char>(t[4]))) {
        hh = (t[0] - '0') * 10 + (t[1] - '0');
        mm = (t[3] - '0') * 10 + (t[4] - '0');
      }
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59) {
        Error(rec, fmt::format("service {}: time '{}' is not hh:mm (local time at '{}')", s.id, t, rec.Get("from")));
        ok = false;
      } else {
        s.local_time = hh * 60 + mm;
      }
      for (const char* col : {"every_weeks", "week_phase"}) {
        if (!rec.Has(col)) continue;
        const std::string v(rec.Get(col));
        char* end = nullptr;
        const long n = std::strtol(v.c_str(), &end, 10);
        if (*end != '\0' || n < 0 || n > 52) {
          Error(rec, fmt::format("service {}: {} '{}' must be a whole number 0..52", s.id, col, v));
          ok = false;
          continue;
        }
        (std::string_view(col) == "every_weeks" ? s.every_weeks : s.week_phase) = static_cast<int>(n);
      }
      if (s.every_weeks < 1) {
        Error(rec, fmt::format("service {}: every_weeks must be at least 1", s.id));
        ok = false;
      } else if (s.week_phase >= s.every_weeks) {
        Error(rec, fmt::format("service {}: week_phase {} must be below every_weeks {}", s.id, s.week_phase,
                               s.every_weeks));
        ok = false;
      }
    }
    const auto transit = Duration(rec, "transit", kNever);
    const auto cutoff = Duration(rec, "cutoff", 0);
    if (!transit || !cutoff) {
      ok = false;
    } else if (*transit == kNever) {
      Error(rec, fmt::format("service {}: transit is missing", s.id));
      ok = false;
    } else if (*transit < 0) {
      Error(rec, fmt::format("service {}: arrives before it leaves (transit {})", s.id, FormatDuration(*transit)));
      ok = false;
    } else if (*transit == 0 && !s.on_demand) {
      Error(rec, fmt::format("service {}: arrives the minute it leaves; a scheduled service needs a positive "
                             "transit time (only on-demand transfers may take 0m)",
                             s.id));
      ok = false;
    } else if (*cutoff < 0) {
      Error(rec, fmt::format("service {}: cutoff cannot be negative", s.id));
      ok = false;
    } else {
      s.transit = *transit;
      s.cutoff = *cutoff;
    }
    // Capacity.
    const std::string cap_unit = Lower(rec.Get("capacity_unit"));
    if (rec.Has("capacity")) {
      auto cap = Decimal::Parse(rec.Get("capacity"));
      if (!cap.ok()) {
        Error(rec, fmt::format("service {}: capacity '{}' is not a number", s.id, rec.Get("capacity")));
        ok = false;
      } else if (cap->IsNegative()) {
        Error(rec, fmt::format("service {}: negative capacity {}", s.id, rec.Get("capacity")));
        ok = false;
      } else {
        Decimal factor;
        if (cap_unit == "feu") {
          s.capacity_unit = CapacityUnit::kContainer;
          factor = Decimal::FromInt(kCteuPerFeu);
        } else if (cap_unit == "teu") {
          s.capacity_unit = CapacityUnit::kContainer;
          factor = Decimal::FromInt(kCteuPerTeu);
        } else if (cap_unit == "kg") {
          s.capacity_unit = CapacityUnit::kWeight;
          factor = Decimal::FromInt(1);
        } else if (cap_unit == "t") {
          s.capacity_unit = CapacityUnit::kWeight;
          factor = Decimal::FromInt(1000);
        } else {
          Error(rec, fmt::format("service {}: capacity_unit '{}' is not FEU, TEU, kg or t", s.id,
                                 rec.Get("capacity_unit")));
          ok = false;
        }
        if (ok) {
          const Decimal v = *cap * factor;
          if (v.FractionDigits() > 0 || v > Decimal::FromInt(int64_t{1} << 40)) {
            Error(rec, fmt::format("service {}: capacity {} {} is not a whole number of {}", s.id,
                                   rec.Get("capacity"), rec.Get("capacity_unit"),
                                   s.capacity_unit == CapacityUnit::kWeight ? "kg" : "1/100 TEU"));
            ok = false;
          } else {
            s.capacity = static_cast<int64_t>(v.Rescaled(0).units());
          }
        }
      }
    } else if (!cap_unit.empty()) {
      Error(rec, fmt::format("service {}: capacity_unit given without a capacity", s.id));
      ok = false;
    } else {
      s.capacity_unit = CapacityUnit::kContainer;
      s.capacity = kUnlimited;
    }
    // Price.
    const std::string price_unit = Lower(rec.Get("price_unit"));
    const std::string currency(rec.Get("currency").empty() ? "USD" : rec.Get("currency"));
    auto price = Decimal::Parse(rec.Get("price").empty() ? "0" : rec.Get("price"));
    if (!price.ok() || price->IsNegative()) {
      Error(rec, fmt::format("service {}: price '{}' must be a non-negative decimal", s.id, rec.Get("price")));
      ok = false;
    } else if (auto usd = ToMicroUsd(rec, *price, currency)) {
      int64_t divisor = 1;
      if (price_unit == "feu") {
        s.price_basis = PriceBasis::kContainer;
        divisor = kCteuPerFeu;
      } else if (price_unit == "teu") {
        s.price_basis = PriceBasis::kContainer;
        divisor = kCteuPerTeu;
      } else if (price_unit == "kg") {
        s.price_basis = PriceBasis::kWeight;
      } else if (price_unit == "t") {
        s.price_basis = PriceBasis::kWeight;
        divisor = 1000;
      } else if (price_unit == "shipment") {
        s.price_basis = PriceBasis::kShipment;
      } else {
        Error(rec, fmt::format("service {}: price_unit '{}' is not FEU, TEU, kg, t or shipment", s.id,
                               rec.Get("price_unit")));
        ok = false;
      }
      if (ok && *usd % divisor != 0) {
        Error(rec, fmt::format("service {}: price {} {}/{} does not split exactly into 1/100 TEU or kg (use "
                               "whole cents)",
                               s.id, rec.Get("price"), currency, rec.Get("price_unit")));
        ok = false;
      }
      s.price_micros = *usd / divisor;
      s.price_text = fmt::format("{} {}/{}", price->ToString(), currency, rec.Get("price_unit"));
    } else {
      ok = false;
    }
    // Distance and CO2 factor.
    if (rec.Has("distance_km")) {
      const std::string v(rec.Get("distance_km"));
      char* end = nullptr;
      const long km = std::strtol(v.c_str(), &end, 10);
      if (*end != '\0' || km < 0 || km > 100000) {
        Error(rec, fmt::format("service {}: distance_km '{}' must be a whole number 0..100000", s.id, v));
        ok = false;
      } else {
        s.distance_km = static_cast<int32_t>(km);
      }
    }
    if (rec.Has("co2_g_per_tkm")) {
      auto f = Decimal::Parse(rec.Get("co2_g_per_tkm"));
      if (!f.ok() || f->IsNegative() || f->FractionDigits() > 3 || *f > Decimal::FromInt(100000)) {
        Error(rec, fmt::format("service {}: co2_g_per_tkm '{}' must be a decimal 0..100000 with at most 3 "
                               "decimals",
                               s.id, rec.Get("co2_g_per_tkm")));
        ok = false;
      } else {
        s.co2_mg_per_tkm = static_cast<int64_t>((*f * Decimal::FromInt(1000)).Rescaled(0).units());
      }
    }
    s.provenance = ReadProvenance(rec);
    if (!ok) return;
    s.from = *from;
    s.to = *to;
    service_index_.emplace(s.id, static_cast<uint32_t>(net_.services_.size()));
    net_.services_.push_back(std::move(s));
  }

  // A transfer that takes no time at all (an on-demand link with 0 transit
  // and cut-off into a node with no handling) could be followed round a
  // cycle forever; the data must not contain such cycles.
  void CheckZeroTimeCycles() {
    const size_t n = net_.nodes_.size();
    std::vector<std::vector<uint32_t>> zero(n);  // service indices
    for (uint32_t i = 0; i < net_.services_.size(); ++i) {
      const Service& s = net_.services_[i];
      if (s.on_demand && s.transit + s.cutoff + net_.nodes_[s.to.value()].handling == 0) {
        zero[s.from.value()].push_back(i);
      }
    }
    std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
    std::vector<uint32_t> path;    // services on the DFS stack
    std::set<std::string> reported;
    std::function<void(uint32_t)> dfs = [&](uint32_t u) {
      state[u] = 1;
      for (uint32_t si : zero[u]) {
        const uint32_t v = net_.services_[si].to.value();
        path.push_back(si);
        if (state[v] == 1) {
          // The cycle is the suffix of `path` starting at the service leaving v.
          size_t start = path.size() - 1;
          while (start > 0 && net_.services_[path[start]].from.value() != v) --start;
          std::string nodes = net_.nodes_[v].id, services;
          for (size_t k = start; k < path.size(); ++k) {
            const Service& s = net_.services_[path[k]];
            nodes += " -> " + net_.nodes_[s.to.value()].id;
            services += (services.empty() ? "" : ", ") + s.id;
          }
          if (reported.insert(nodes).second) {
            report_.errors.push_back(fmt::format(
                "{}: a cycle of zero-time transfers {} (services {}): give one of them a transit time or the "
                "nodes a handling time",
                net_.services_[path.back()].provenance.location, nodes, services));
          }
        } else if (state[v] == 0) {
          dfs(v);
        }
        path.pop_back();
      }
      state[u] = 2;
    };
    for (uint32_t u = 0; u < n; ++u) {
      if (state[u] == 0) dfs(u);
    }
  }

  void BuildIndexes() {
    for (uint32_t i = 0; i < net_.nodes_.size(); ++i) {
      const Node& n = net_.nodes_[i];
      net_.node_by_id_.emplace(n.id, i);
      std::set<std::string> names;
      names.insert(Lower(n.id));
      if (!n.code.empty()) names.insert(Lower(n.code));
      for (const auto& c : n.cities) names.insert(Lower(c));
      for (const auto& name : names) net_.nodes_by_name_[name].push_back(i);
    }
    for (uint32_t i = 0; i < net_.services_.size(); ++i) net_.service_by_id_.emplace(net_.services_[i].id, i);
    const size_t n = net_.nodes_.size();
    net_.on_demand_begin_.assign(n + 1, 0);
    for (const auto& s : net_.services_) {
      if (s.on_demand) ++net_.on_demand_begin_[s.from.value() + 1];
    }
    for (size_t i = 0; i < n; ++i) net_.on_demand_begin_[i + 1] += net_.on_demand_begin_[i];
    net_.on_demand_services_.resize(net_.on_demand_begin_[n]);
    std::vector<uint32_t> fill(net_.on_demand_begin_.begin(), net_.on_demand_begin_.end() - 1);
    for (uint32_t i = 0; i < net_.services_.size(); ++i) {
      const Service& s = net_.services_[i];
      if (s.on_demand) net_.on_demand_services_[fill[s.from.value()]++] = ServiceIdx(i);
    }
  }

  NetworkReport& report_;
  Network net_;
  std::map<std::string, Decimal> fx_;
  std::unordered_map<std::string, uint32_t> node_index_;
  std::unordered_map<std::string, uint32_t> service_index_;
};

std::optional<NodeIdx> Network::FindNode(std::string_view id) const {
  auto it = node_by_id_.find(std::string(id));
  if (it == node_by_id_.end()) return std::nullopt;
  return NodeIdx(it->second);
}

std::optional<ServiceIdx> Network::FindService(std::string_view id) const {
  auto it = service_by_id_.find(std::string(id));
  if (it == service_by_id_.end()) return std::nullopt;
  return ServiceIdx(it->second);
}

Result<std::vector<NodeIdx>> Network::ResolvePlace(std::string_view place) const {
  const std::string key = Lower(Trim(place));
  if (key.empty()) return Status::InvalidArgument("empty place name");
  if (auto it = nodes_by_name_.find(key); it != nodes_by_name_.end()) {
    // An exact node id wins over a city of the same spelling.
    if (auto id = node_by_id_.find(std::string(Trim(place))); id != node_by_id_.end()) {
      return std::vector<NodeIdx>{NodeIdx(id->second)};
    }
    std::vector<NodeIdx> out;
    for (uint32_t i : it->second) out.emplace_back(i);
    return out;
  }
  std::string best;
  int best_distance = 4;
  for (const auto& [name, ids] : nodes_by_name_) {
    const int d = Levenshtein(key, name);
    if (d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  std::string hint;
  if (!best.empty()) {
    // Show the spelling as the data has it.
    const Node& n = nodes_[nodes_by_name_.at(best).front()];
    std::string shown = best;
    for (const auto& c : n.cities) {
      if (Lower(c) == best) shown = c;
    }
    if (Lower(n.id) == best) shown = n.id;
    hint = fmt::format("; did you mean '{}'?", shown);
  }
  return Status::NotFound(fmt::format("unknown place '{}': no node id, code or city of that name{}", place, hint));
}

Result<Network> LoadNetwork(std::span<const NetworkFile> base, std::span<const NetworkFile> overlay,
                            NetworkReport* report) {
  NetworkReport local;
  NetworkReport& r = report ? *report : local;
  Tables b, o;
  ReadFiles(base, b, r);
  ReadFiles(overlay, o, r);
  Tables merged;
  // Base files are one layer: duplicates inside them are errors too.
  merged.nodes = Merge({}, std::move(b.nodes), "id", Table::kNodes, r);
  merged.services = Merge({}, std::move(b.services), "id", Table::kServices, r);
  merged.fx = Merge({}, std::move(b.fx), "currency", Table::kFx, r);
  merged.nodes = Merge(std::move(merged.nodes), std::move(o.nodes), "id", Table::kNodes, r);
  merged.services = Merge(std::move(merged.services), std::move(o.services), "id", Table::kServices, r);
  merged.fx = Merge(std::move(merged.fx), std::move(o.fx), "currency", Table::kFx, r);
  if (merged.nodes.empty()) r.errors.push_back("the network has no nodes");
  NetworkAssembler assembler(r);
  std::optional<Network> net = assembler.Assemble(merged);
  if (!net || !r.errors.empty()) {
    std::string msg = fmt::format("the network is invalid ({} error{})", r.errors.size(),
                                  r.errors.size() == 1 ? "" : "s");
    for (size_t i = 0; i < r.errors.size() && i < 20; ++i) msg += "\n  " + r.errors[i];
    if (r.errors.size() > 20) msg += fmt::format("\n  ... and {} more", r.errors.size() - 20);
    return Status::InvalidArgument(msg);
  }
  return std::move(*net);
}

std::vector<NetworkFile> BuiltinNetworkFiles() {
  std::vector<NetworkFile> out;
  for (const auto& f : internal::BuiltinCorridorFiles()) {
    out.push_back({"builtin:" + std::string(f.name), std::string(f.content)});
  }
  return out;
}

const Network& BuiltinNetwork() {
  static const Network kNetwork = [] {
    auto files = BuiltinNetworkFiles();
    auto net = LoadNetwork(files, {});
    if (!net.ok()) throw std::logic_error("the built-in network is invalid: " + net.status().message());
    return std::move(*net);
  }();
  return kNetwork;
}

Result<std::vector<NetworkFile>> ReadNetworkFiles(std::span<const std::string> paths) {
  namespace fs = std::filesystem;
  std::vector<NetworkFile> out;
  for (const auto& p : paths) {
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        const std::string ext = Lower(e.path().extension().string());
        if (e.is_regular_file() && (ext == ".csv" || ext == ".json")) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) return Status::NotFound(fmt::format("{}: no .csv or .json files in this folder", p));
    } else {
      files.emplace_back(p);
    }
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      if (!in) return Status::IOError(fmt::format("cannot open {}", f.string()));
      std::ostringstream ss;
      ss << in.rdbuf();
      out.push_back({f.string(), ss.str()});
    }
  }
  return out;
}

}  // namespace dryport::freight
