// `dryport gen`: a deterministic generator of realistic cross-border
// e-commerce traffic for a Shanxi inland port, as CEB messages (2022-05).
//
// Three flows, each order one of them:
//  - export 9610: Shanxi exporters (Qixian glassware, Huairen ceramics, Datong
//    daylily, dried sweet potato, solar modules, ...) selling to buyers abroad:
//    CEB303 order, CEB505 waybill, optional CEB403 receipt of payment, CEB603
//    list; CEB507 arrival and CEB509 departure list several waybills; CEB701
//    summarises the day's statisticsFlag-B lists per exporter;
//  - import 9610 direct purchase and 1210 bonded: consumers in China: CEB311
//    order, CEB411 payment, CEB511 waybill, CEB621 list (signed).
// The documents of one order agree with each other (keys, parties, items,
// amounts, times) and every message is built with the typed model and
// ceb::WriteXml, so it validates against the official XSDs; an order without
// an injected fault produces no validation finding at all. Faults are
// injected on purpose, counted, and each order's expected clearance outcome
// is written to the manifest (docs/traffic.md).
//
// Determinism: the same options give byte-identical files and manifest on
// any machine (own PRNG and distributions, no clock, no unordered iteration).
//
// Thread-safety: a Generator is used by one thread at a time; separate
// Generators are independent.
#ifndef DRYPORT_TRAFFIC_GENERATOR_H_
#define DRYPORT_TRAFFIC_GENERATOR_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dryport::traffic {

// Per kind, the share of the orders the fault applies to that carry it
// (import-only kinds: of the import orders; the others: of all orders). The
// generator injects round(rate x applicable orders) faults of each kind, at
// most one fault per order; the manifest counts what was injected.
struct FaultRates {
  double amount_mismatch = 0, buyer_payer_mismatch = 0, over_single_limit = 0,
         over_annual_limit = 0, missing_document = 0, duplicate = 0, out_of_order = 0,
         revocation = 0, ret = 0, malformed_xml = 0, wrong_code = 0;
  // The mix of `--faults default` (about one order in six carries a fault).
  static FaultRates Default();
};

struct GenOptions {
  uint64_t seed = 1;
  int orders = 1000;  // orders (each is one flow: 3-7 messages)
  double export_share = 0.4, import_direct_share = 0.3, bonded_share = 0.3;
  std::string day = "20251024";  // first business day, YYYYMMDD
  int days = 1;
  FaultRates faults;  // all zero = clean corpus
};

// name like "000123-CEB311-<orderNo>.xml": file-name order = send order.
struct GeneratedFile {
  std::string name;
  std::string bytes;
};

class Generator {
 public:
  explicit Generator(GenOptions options);

  // Produces every file in send order; the manifest is complete when it
  // returns. Errors: invalid options (InvalidArgument), data/traffic that
  // does not load (a build bug). Calling it again generates the same again.
  Status Generate(const std::function<void(GeneratedFile&&)>& sink);
  const nlohmann::ordered_json& manifest() const;

 private:
  GenOptions options_;
  nlohmann::ordered_json manifest_;
};

// Generates into out_dir: the files and manifest.json. Creates out_dir if
// needed. A previous corpus there (manifest.json and NNNNNN-CEB*.xml files)
// is replaced; any other file makes it refuse (FailedPrecondition), so two
// corpora are never mixed and nothing else is deleted.
Status WriteCorpus(const GenOptions& options, const std::string& out_dir);
// The same, and on success sets *summary (if not null) to the manifest's
// "options" and "counts" (what `dryport gen` prints).
Status WriteCorpus(const GenOptions& options, const std::string& out_dir,
                   nlohmann::ordered_json* summary);

// ---- additions: option parsing and names shared with the CLI and tests ----

enum class FaultKind {
  kAmountMismatch,
  kBuyerPayerMismatch,
  kOverSingleLimit,
  kOverAnnualLimit,
  kMissingDocument,
  kDuplicate,
  kOutOfOrder,
  kRevocation,
  kReturn,
  kMalformedXml,
  kWrongCode,
};
inline constexpr int kFaultKindCount = 11;
inline constexpr std::array<FaultKind, kFaultKindCount> kAllFaultKinds = {
    FaultKind::kAmountMismatch,  FaultKind::kBuyerPayerMismatch, FaultKind::kOverSingleLimit,
    FaultKind::kOverAnnualLimit, FaultKind::kMissingDocument,    FaultKind::kDuplicate,
    FaultKind::kOutOfOrder,      FaultKind::kRevocation,         FaultKind::kReturn,
    FaultKind::kMalformedXml,    FaultKind::kWrongCode};

// "amount-mismatch", "buyer-payer-mismatch", "over-single-limit",
// "over-annual-limit", "missing-document", "duplicate", "out-of-order",
// "revocation", "return", "malformed-xml", "wrong-code" (manifest and CLI).
std::string_view FaultKindName(FaultKind kind);
double& RateOf(FaultRates& rates, FaultKind kind);
double RateOf(const FaultRates& rates, FaultKind kind);
// Only import orders can carry it (payment, buyer and limit rules).
bool IsImportOnly(FaultKind kind);

// `--faults`: "none", "default", or "kind=rate,..." (kinds as FaultKindName;
// may start with "default," to change single rates of the default mix).
Result<FaultRates> ParseFaultRates(std::string_view spec);
// `--mix export=0.4,direct=0.3,bonded=0.3`: sets the three shares (missing
// ones become 0); shares are relative weights, at least one positive.
Status ParseMix(std::string_view spec, GenOptions& options);
// The checks Generate makes on options, for callers that want them early.
Status ValidateOptions(const GenOptions& options);

}  // namespace dryport::traffic

#endif  // DRYPORT_TRAFFIC_GENERATOR_H_
