// The clearance rules as data: rule sets versioned by effective date, import
// tax rates by HS prefix, and the receipt codes dryport answers with. The
// built-in book is data/clearance/*, embedded into the binary.
//
// Thread-safety: immutable after construction; share freely.
#ifndef DRYPORT_CLEARANCE_RULE_BOOK_H_
#define DRYPORT_CLEARANCE_RULE_BOOK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace dryport::clearance {

struct RuleSet {
  std::string id;
  int64_t effective_ms = 0;  // China civil time
  Decimal single_limit;      // CNY per transaction
  Decimal annual_limit;      // CNY per buyer per calendar year
  Decimal tax_factor;        // 0.7: VAT and consumption tax at 70% within the limits
  Decimal amount_tolerance;  // matching tolerance on amounts
  bool export_requires_receipt = true;
  std::string source;
};

struct TaxRate {
  std::string hs_prefix;
  Decimal vat;
  Decimal consumption;
  std::string name;
};

struct ReturnCode {
  std::string id;
  bool customs = true;  // customs: status 100 with [Code:n;Desc:text]; else an E-Port negative status
  std::string code;
  std::string text;
};

class RuleBook {
 public:
  // The book in data/clearance, embedded at build time. Broken built-in data
  // is a build defect: it throws (start-up only).
  static RuleBook Builtin();
  static Result<RuleBook> Parse(std::string_view rulesets_toml, std::string_view tax_rates_csv,
                                std::string_view return_codes_csv);

  // The rule set in force at `ms` (the latest whose effective date is not
  // after it; the earliest for times before every set).
  const RuleSet& At(int64_t ms) const;
  const std::vector<RuleSet>& rule_sets() const { return rule_sets_; }
  // The rate of the longest matching HS prefix.
  const TaxRate& RateFor(std::string_view hs_code) const;
  // A return code by id; an unknown id is a programming error (throws).
  const ReturnCode& Code(std::string_view id) const;
  // The receipt text for a code: "[Code:1313;Desc:订购人购买超过年度限额]" plus
  // an optional detail after the description.
  std::string Info(std::string_view id, std::string_view detail = {}) const;

 private:
  std::vector<RuleSet> rule_sets_;  // by effective date
  std::vector<TaxRate> tax_rates_;
  std::vector<ReturnCode> codes_;
};

// Cross-border e-commerce import tax of one line (customs-rules.md §2):
// tariff 0; consumption tax = price / (1 − c) × c × factor; VAT = (price +
// full consumption tax) × v × factor; each rounded half-up to 0.01 CNY.
struct LineTax {
  Decimal customs;
  Decimal vat;
  Decimal consumption;
};
LineTax ComputeLineTax(const Decimal& dutiable_price, const TaxRate& rate, const Decimal& factor);

}  // namespace dryport::clearance

#endif  // DRYPORT_CLEARANCE_RULE_BOOK_H_
