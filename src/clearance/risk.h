// Risk selection: configurable rules (TOML) that send an inventory to manual
// review (300) or inspection (500) before release.
//
// Thread-safety: immutable after loading; Evaluate is a pure function.
#ifndef DRYPORT_CLEARANCE_RISK_H_
#define DRYPORT_CLEARANCE_RISK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace dryport::clearance {

struct RiskRule {
  enum class Kind { kEnterprise, kHsPrefix, kValueAbove, kWeightAbove };
  std::string id;
  Kind kind = Kind::kEnterprise;
  std::string match;  // enterprise code or HS prefix
  Decimal threshold;  // value (CNY) or weight (kg)
  int status = 300;   // 300 review, 500 inspect
  std::string reason;
};

struct RiskConfig {
  bool enabled = true;
  std::vector<RiskRule> rules;
  int random_inspection_bp = 0;  // basis points of 10,000
  uint64_t seed = 0;

  static RiskConfig Off();
  static RiskConfig Builtin();  // data/clearance/risk.toml
  static Result<RiskConfig> Parse(std::string_view toml_text, std::string_view file_name);
  static Result<RiskConfig> Load(const std::string& path);
};

// What risk selection looks at in one inventory.
struct RiskFacts {
  std::string key;                      // the inventory's key: drives the random draw
  std::vector<std::string> enterprises;  // ebp, ebc, agent, logistics codes
  std::vector<std::string> hs_codes;
  Decimal value;
  Decimal gross_weight;
};

struct RiskHit {
  std::string rule;
  int status = 300;
  std::string reason;
};

// The first rule that fires, in file order, then the random draw.
std::optional<RiskHit> EvaluateRisk(const RiskConfig& config, const RiskFacts& facts);

}  // namespace dryport::clearance

#endif  // DRYPORT_CLEARANCE_RISK_H_
