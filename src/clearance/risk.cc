#include "clearance/risk.h"

#include <fstream>
#include <span>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/embedded_file.h"

namespace dryport::clearance {

std::span<const EmbeddedFile> BuiltinRuleFiles();

RiskConfig RiskConfig::Off() {
  RiskConfig c;
  c.enabled = false;
  return c;
}

RiskConfig RiskConfig::Builtin() {
  for (const auto& f : BuiltinRuleFiles()) {
    if (f.name != "risk.toml") continue;
    Result<RiskConfig> c = Parse(f.content, "risk.toml");
    if (!c.ok()) throw std::logic_error("built-in risk rules: " + c.status().message());
    return std::move(c).value();
  }
  throw std::logic_error("built-in risk rules are missing");
}

Result<RiskConfig> RiskConfig::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

Result<RiskConfig> RiskConfig::Parse(std::string_view toml_text, std::string_view file_name) {
  toml::table doc;
  try {
    doc = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}:{}: {}", file_name, e.source().begin.line, e.description()));
  }
  RiskConfig c;
  c.random_inspection_bp = static_cast<int>(doc["random_inspection_bp"].value_or(int64_t{0}));
  if (c.random_inspection_bp < 0 || c.random_inspection_bp > 10000) {
    return Status::InvalidArgument(fmt::format("{}: random_inspection_bp must be 0..10000", file_name));
  }
  c.seed = static_cast<uint64_t>(doc["seed"].value_or(int64_t{0}));
  if (const toml::array* rules = doc["rule"].as_array()) {
    for (const toml::node& node : *rules) {
      const toml::table* t = node.as_table();
      if (t == nullptr) return Status::InvalidArgument(fmt::format("{}: [[rule]] must be a table", file_name));
      RiskRule r;
      r.id = (*t)["id"].value_or(std::string());
      const std::string where = fmt::format("{}: [[rule]] '{}'", file_name, r.id);
      if (r.id.empty()) return Status::InvalidArgument(where + ": id is missing");
      const std::string kind = (*t)["kind"].value_or(std::string());
      if (kind == "enterprise") {
        r.kind = RiskRule::Kind::kEnterprise;
      } else if (kind == "hs_prefix") {
        r.kind = RiskRule::Kind::kHsPrefix;
      } else if (kind == "value_above") {
        r.kind = RiskRule::Kind::kValueAbove;
      } else if (kind == "weight_above") {
        r.kind = RiskRule::Kind::kWeightAbove;
      } else {
        return Status::InvalidArgument(
            fmt::format("{}: kind '{}' is not one of enterprise, hs_prefix, value_above, weight_above", where, kind));
      }
      r.match = (*t)["match"].value_or(std::string());
      if ((r.kind == RiskRule::Kind::kEnterprise || r.kind == RiskRule::Kind::kHsPrefix) && r.match.empty()) {
        return Status::InvalidArgument(where + ": match is missing");
      }
      if (r.kind == RiskRule::Kind::kValueAbove || r.kind == RiskRule::Kind::kWeightAbove) {
        Result<Decimal> th = Decimal::Parse((*t)["threshold"].value_or(std::string()));
        if (!th.ok()) return Status::InvalidArgument(where + ": threshold must be a decimal string");
        r.threshold = *th;
      }
      const std::string action = (*t)["action"].value_or(std::string("review"));
      if (action == "review") {
        r.status = 300;
      } else if (action == "inspect") {
        r.status = 500;
      } else {
        return Status::InvalidArgument(fmt::format("{}: action '{}' is not review or inspect", where, action));
      }
      r.reason = (*t)["reason"].value_or(std::string());
      c.rules.push_back(std::move(r));
    }
  }
  return c;
}

namespace {

// FNV-1a: a stable hash, the same on every machine and run.
uint64_t StableHash(std::string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::optional<RiskHit> EvaluateRisk(const RiskConfig& config, const RiskFacts& facts) {
  if (!config.enabled) return std::nullopt;
  for (const RiskRule& r : config.rules) {
    bool fired = false;
    switch (r.kind) {
      case RiskRule::Kind::kEnterprise:
        for (const auto& e : facts.enterprises) fired = fired || e == r.match;
        break;
      case RiskRule::Kind::kHsPrefix:
        for (const auto& hs : facts.hs_codes) fired = fired || hs.starts_with(r.match);
        break;
      case RiskRule::Kind::kValueAbove:
        fired = facts.value > r.threshold;
        break;
      case RiskRule::Kind::kWeightAbove:
        fired = facts.gross_weight > r.threshold;
        break;
    }
    if (fired) return RiskHit{r.id, r.status, r.reason};
  }
  if (config.random_inspection_bp > 0 &&
      StableHash(facts.key, config.seed) % 10000 < static_cast<uint64_t>(config.random_inspection_bp)) {
    return RiskHit{"random-inspection", 500,
                   fmt::format("random inspection ({} of 10,000)", config.random_inspection_bp)};
  }
  return std::nullopt;
}

}  // namespace dryport::clearance
