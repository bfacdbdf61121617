#include "clearance/rule_book.h"

#include <algorithm>
#include <span>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/csv.h"
#include "core/embedded_file.h"
#include "core/time.h"

namespace dryport::clearance {

// Generated from data/clearance/* (tools/embed_files.py).
std::span<const EmbeddedFile> BuiltinRuleFiles();

namespace {

std::string_view FileContent(std::string_view name) {
  for (const auto& f : BuiltinRuleFiles()) {
    if (f.name == name) return f.content;
  }
  throw std::logic_error(fmt::format("built-in clearance data {} is missing", name));
}

Result<Decimal> ParseDecimalField(std::string_view text, std::string_view what) {
  Result<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) return Status::InvalidArgument(fmt::format("{}: '{}' is not a decimal", what, text));
  return d;
}

}  // namespace

RuleBook RuleBook::Builtin() {
  Result<RuleBook> book =
      Parse(FileContent("rulesets.toml"), FileContent("tax_rates.csv"), FileContent("return_codes.csv"));
  if (!book.ok()) throw std::logic_error("built-in clearance rules: " + book.status().message());
  return std::move(book).value();
}

Result<RuleBook> RuleBook::Parse(std::string_view rulesets_toml, std::string_view tax_rates_csv,
                                 std::string_view return_codes_csv) {
  RuleBook book;
  toml::table doc;
  try {
    doc = toml::parse(rulesets_toml, std::string_view("rulesets.toml"));
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("rulesets.toml:{}: {}", e.source().begin.line, e.description()));
  }
  const toml::array* sets = doc["ruleset"].as_array();
  if (sets == nullptr || sets->empty()) return Status::InvalidArgument("rulesets.toml: no [[ruleset]]");
  for (const toml::node& node : *sets) {
    const toml::table* t = node.as_table();
    if (t == nullptr) return Status::InvalidArgument("rulesets.toml: [[ruleset]] must be a table");
    RuleSet rs;
    rs.id = (*t)["id"].value_or(std::string());
    const std::string where = fmt::format("rulesets.toml [[ruleset]] '{}'", rs.id);
    auto text = [&](const char* key) -> Result<std::string> {
      std::optional<std::string> v = (*t)[key].value<std::string>();
      if (!v) return Status::InvalidArgument(fmt::format("{}: {} is missing (a quoted string)", where, key));
      return *v;
    };
    Result<std::string> effective = text("effective");
    if (!effective.ok()) return effective.status();
    std::string compact = *effective;
    compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
    Result<Timestamp> ts = Timestamp::Parse(compact, TimeFormat::kCompactDate);
    if (!ts.ok()) return Status::InvalidArgument(fmt::format("{}: effective: {}", where, ts.status().message()));
    rs.effective_ms = ts->millis();
    for (auto [key, field] : {std::pair{"single_limit", &rs.single_limit}, std::pair{"annual_limit", &rs.annual_limit},
                              std::pair{"tax_factor", &rs.tax_factor},
                              std::pair{"amount_tolerance", &rs.amount_tolerance}}) {
      Result<std::string> v = text(key);
      if (!v.ok()) return v.status();
      Result<Decimal> d = ParseDecimalField(*v, where + ": " + key);
      if (!d.ok()) return d.status();
      *field = *d;
    }
    rs.export_requires_receipt = (*t)["export_requires_receipt"].value_or(true);
    rs.source = (*t)["source"].value_or(std::string());
    book.rule_sets_.push_back(std::move(rs));
  }
  std::sort(book.rule_sets_.begin(), book.rule_sets_.end(),
            [](const RuleSet& a, const RuleSet& b) { return a.effective_ms < b.effective_ms; });

  Result<std::vector<CsvRow>> rates = ParseCsv(tax_rates_csv, "tax_rates.csv", {.hash_comments = true});
  if (!rates.ok()) return rates.status();
  for (size_t i = 1; i < rates->size(); ++i) {  // row 0 is the header
    const CsvRow& row = (*rates)[i];
    if (row.fields.size() < 4) {
      return Status::InvalidArgument(fmt::format("tax_rates.csv:{}: expected hs_prefix,vat_rate,consumption_rate,name", row.line));
    }
    Result<Decimal> vat = ParseDecimalField(row.fields[1], fmt::format("tax_rates.csv:{}: vat_rate", row.line));
    Result<Decimal> ct = ParseDecimalField(row.fields[2], fmt::format("tax_rates.csv:{}: consumption_rate", row.line));
    if (!vat.ok()) return vat.status();
    if (!ct.ok()) return ct.status();
    book.tax_rates_.push_back({row.fields[0], *vat, *ct, row.fields[3]});
  }
  const bool has_default = std::any_of(book.tax_rates_.begin(), book.tax_rates_.end(),
                                       [](const TaxRate& r) { return r.hs_prefix.empty(); });
  if (!has_default) return Status::InvalidArgument("tax_rates.csv: no default row (empty hs_prefix)");

  Result<std::vector<CsvRow>> codes = ParseCsv(return_codes_csv, "return_codes.csv", {.hash_comments = true});
  if (!codes.ok()) return codes.status();
  for (size_t i = 1; i < codes->size(); ++i) {
    const CsvRow& row = (*codes)[i];
    if (row.fields.size() < 4 || (row.fields[1] != "customs" && row.fields[1] != "eport")) {
      return Status::InvalidArgument(fmt::format("return_codes.csv:{}: expected id,customs|eport,code,text", row.line));
    }
    book.codes_.push_back({row.fields[0], row.fields[1] == "customs", row.fields[2], row.fields[3]});
  }
  return book;
}

const RuleSet& RuleBook::At(int64_t ms) const {
  const RuleSet* found = &rule_sets_.front();
  for (const RuleSet& rs : rule_sets_) {
    if (rs.effective_ms <= ms) found = &rs;
  }
  return *found;
}

const TaxRate& RuleBook::RateFor(std::string_view hs_code) const {
  const TaxRate* best = nullptr;
  for (const TaxRate& r : tax_rates_) {
    if (hs_code.starts_with(r.hs_prefix) && (best == nullptr || r.hs_prefix.size() > best->hs_prefix.size())) {
      best = &r;
    }
  }
  return *best;  // the default row matches every code
}

const ReturnCode& RuleBook::Code(std::string_view id) const {
  for (const ReturnCode& c : codes_) {
    if (c.id == id) return c;
  }
  throw std::logic_error(fmt::format("unknown return code id '{}'", id));
}

std::string RuleBook::Info(std::string_view id, std::string_view detail) const {
  const ReturnCode& c = Code(id);
  if (!c.customs) return detail.empty() ? c.text : fmt::format("{}: {}", c.text, detail);
  return detail.empty() ? fmt::format("[Code:{};Desc:{}]", c.code, c.text)
                        : fmt::format("[Code:{};Desc:{}，{}]", c.code, c.text, detail);
}

LineTax ComputeLineTax(const Decimal& dutiable_price, const TaxRate& rate, const Decimal& factor) {
  LineTax tax;
  tax.customs = Decimal();  // tariff 0 within the limits
  // Consumption tax is levied on the price grossed up by its own rate:
  // price / (1 - c) * c; VAT on price plus the (full) consumption tax.
  const Decimal one = Decimal::FromInt(1);
  Decimal ct_full;
  if (!rate.consumption.IsZero()) {
    ct_full = (dutiable_price * rate.consumption).Divide(one - rate.consumption, 10).value();
  }
  tax.consumption = (ct_full * factor).Rounded(2);
  tax.vat = ((dutiable_price + ct_full) * rate.vat * factor).Rounded(2);
  return tax;
}

}  // namespace dryport::clearance
