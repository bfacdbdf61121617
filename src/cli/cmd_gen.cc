// dryport gen: a deterministic corpus of Shanxi cross-border traffic
// (src/traffic, docs/traffic.md).
#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "traffic/generator.h"

namespace dryport::cli {
namespace {

struct GenCliOptions {
  std::string out;
  uint64_t seed = 1;
  int orders = 1000;
  int days = 1;
  std::string day = "20251024";
  std::string mix;  // empty: the generator's default mix
  std::string faults = "none";
};

// "CEB303 400, CEB403 207, ..." from {"CEB303": 400, ...}; entries with 0 left out.
std::string Listed(const nlohmann::ordered_json& counts) {
  std::string out;
  for (const auto& [name, n] : counts.items()) {
    if (n.get<int64_t>() == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, n.get<int64_t>());
  }
  return out.empty() ? "none" : out;
}

int ExitFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kIOError:
    case StatusCode::kNotFound:
      return kExitUsage;
    default:
      return kExitInvalid;
  }
}

int RunGen(const GenCliOptions& opt) {
  traffic::GenOptions options;
  options.seed = opt.seed;
  options.orders = opt.orders;
  options.days = opt.days;
  options.day = opt.day;
  if (!opt.mix.empty()) {
    if (Status s = traffic::ParseMix(opt.mix, options); !s.ok()) {
      std::cerr << "dryport gen: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  Result<traffic::FaultRates> faults = traffic::ParseFaultRates(opt.faults);
  if (!faults.ok()) {
    std::cerr << "dryport gen: " << faults.status().message() << "\n";
    return kExitUsage;
  }
  options.faults = faults.value();
  if (Status s = traffic::ValidateOptions(options); !s.ok()) {
    std::cerr << "dryport gen: " << s.message() << "\n";
    return kExitUsage;
  }

  const auto start = std::chrono::steady_clock::now();
  nlohmann::ordered_json summary;
  if (Status s = traffic::WriteCorpus(options, opt.out, &summary); !s.ok()) {
    std::cerr << "dryport gen: " << s.message() << "\n";
    return ExitFor(s);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const nlohmann::ordered_json& counts = summary["counts"];
  std::cout << fmt::format(
      "dryport gen: {} orders (seed {}, from {}, {} day{}) -> {}: {} files in {:.1f} s\n",
      counts["orders"].get<int64_t>(), opt.seed, opt.day, opt.days, opt.days == 1 ? "" : "s",
      opt.out, counts["files"].get<int64_t>(), seconds);
  std::cout << "  flows:    " << Listed(counts["flows"]) << "\n";
  std::cout << "  messages: " << Listed(counts["messages"]) << "\n";
  std::cout << "  faults:   " << Listed(counts["faults"]) << "\n";
  std::cout << "  expected: " << Listed(counts["outcomes"]) << "\n";
  std::cout << "  manifest: " << opt.out
            << "/manifest.json (each order's files, faults and expected outcome)\n";
  return kExitOk;
}

}  // namespace

void RegisterGenCommand(CLI::App& app, ExitCode& exit_code) {
  auto opt = std::make_shared<GenCliOptions>();
  CLI::App* gen = app.add_subcommand("gen",
                                     "Generate deterministic, realistic CEB traffic of a Shanxi "
                                     "inland port: 9610 exports, 9610 direct and\n"
                                     "1210 bonded imports, with optional injected faults, and "
                                     "DIR/manifest.json with each order's expected\n"
                                     "outcome (docs/traffic.md). Exit 0: written; 1: refused (DIR "
                                     "holds other files); 2: usage or I/O error.");
  gen->add_option("--out", opt->out,
                  "Output directory (created; a previous corpus in it is replaced)")
      ->required();
  gen->add_option("--seed", opt->seed, "Seed: the same options give the same bytes")
      ->capture_default_str();
  gen->add_option("--orders", opt->orders, "Number of orders (each one flow of 3-7 messages)")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000'000));
  gen->add_option("--days", opt->days, "Number of business days")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  gen->add_option("--day", opt->day, "First business day, YYYYMMDD")->capture_default_str();
  gen->add_option("--mix", opt->mix,
                  "Shares of the flows, e.g. export=0.4,direct=0.3,bonded=0.3 (the default)");
  gen->add_option("--faults", opt->faults,
                  "none, default, or kind=rate,... (amount-mismatch, buyer-payer-mismatch, "
                  "over-single-limit,\n"
                  "over-annual-limit, missing-document, duplicate, out-of-order, revocation, "
                  "return, malformed-xml,\n"
                  "wrong-code); 'default,kind=rate' changes one rate of the default mix")
      ->capture_default_str();
  gen->callback([opt, &exit_code] { exit_code.value = RunGen(*opt); });
}

}  // namespace dryport::cli
