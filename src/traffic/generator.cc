#include "traffic/generator.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "ceb/codec.h"
#include "core/time.h"
#include "traffic/data.h"
#include "traffic/messages.h"
#include "traffic/plan.h"
#include "traffic/random.h"

namespace dryport::traffic {

using internal::Doc;
using internal::Event;
using internal::EventKind;
using internal::Flow;
using internal::OrderPlan;
using internal::Plan;

FaultRates FaultRates::Default() {
  FaultRates r;
  r.amount_mismatch = 0.02;
  r.buyer_payer_mismatch = 0.02;
  r.over_single_limit = 0.01;
  r.over_annual_limit = 0.005;  // each one also takes 6 released orders of its buyer
  r.missing_document = 0.02;
  r.duplicate = 0.02;
  r.out_of_order = 0.02;
  r.revocation = 0.01;
  r.ret = 0.01;
  r.malformed_xml = 0.005;
  r.wrong_code = 0.01;
  return r;
}

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kAmountMismatch:
      return "amount-mismatch";
    case FaultKind::kBuyerPayerMismatch:
      return "buyer-payer-mismatch";
    case FaultKind::kOverSingleLimit:
      return "over-single-limit";
    case FaultKind::kOverAnnualLimit:
      return "over-annual-limit";
    case FaultKind::kMissingDocument:
      return "missing-document";
    case FaultKind::kDuplicate:
      return "duplicate";
    case FaultKind::kOutOfOrder:
      return "out-of-order";
    case FaultKind::kRevocation:
      return "revocation";
    case FaultKind::kReturn:
      return "return";
    case FaultKind::kMalformedXml:
      return "malformed-xml";
    case FaultKind::kWrongCode:
      return "wrong-code";
  }
  return "?";
}

double& RateOf(FaultRates& r, FaultKind kind) {
  switch (kind) {
    case FaultKind::kAmountMismatch:
      return r.amount_mismatch;
    case FaultKind::kBuyerPayerMismatch:
      return r.buyer_payer_mismatch;
    case FaultKind::kOverSingleLimit:
      return r.over_single_limit;
    case FaultKind::kOverAnnualLimit:
      return r.over_annual_limit;
    case FaultKind::kMissingDocument:
      return r.missing_document;
    case FaultKind::kDuplicate:
      return r.duplicate;
    case FaultKind::kOutOfOrder:
      return r.out_of_order;
    case FaultKind::kRevocation:
      return r.revocation;
    case FaultKind::kReturn:
      return r.ret;
    case FaultKind::kMalformedXml:
      return r.malformed_xml;
    case FaultKind::kWrongCode:
      return r.wrong_code;
  }
  return r.wrong_code;
}

double RateOf(const FaultRates& rates, FaultKind kind) { return RateOf(const_cast<FaultRates&>(rates), kind); }

bool IsImportOnly(FaultKind kind) {
  return kind == FaultKind::kAmountMismatch || kind == FaultKind::kBuyerPayerMismatch ||
         kind == FaultKind::kOverSingleLimit || kind == FaultKind::kOverAnnualLimit;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const size_t comma = s.find(',');
    out.push_back(Trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

Result<double> ParseNumber(std::string_view text, std::string_view what) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
    return Status::InvalidArgument(fmt::format("{}: '{}' is not a number", what, text));
  }
  return value;
}

}  // namespace

Result<FaultRates> ParseFaultRates(std::string_view spec) {
  FaultRates rates;
  std::vector<std::string_view> items = SplitList(spec);
  if (items.empty()) return Status::InvalidArgument("--faults: empty (use none, default or kind=rate,...)");
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string_view item = items[i];
    if (i == 0 && item == "none") continue;
    if (i == 0 && item == "default") {
      rates = FaultRates::Default();
      continue;
    }
    const size_t eq = item.find('=');
    const std::string_view name = Trim(item.substr(0, eq));
    std::optional<FaultKind> kind;
    for (FaultKind k : kAllFaultKinds) {
      if (FaultKindName(k) == name) kind = k;
    }
    if (eq == std::string_view::npos || !kind) {
      std::string kinds;
      for (FaultKind k : kAllFaultKinds) kinds += fmt::format("{}{}", kinds.empty() ? "" : ", ", FaultKindName(k));
      return Status::InvalidArgument(
          fmt::format("--faults: '{}' is not kind=rate (kinds: {}; or none / default first)", item, kinds));
    }
    Result<double> rate = ParseNumber(Trim(item.substr(eq + 1)), fmt::format("--faults {}", name));
    if (!rate.ok()) return rate.status();
    RateOf(rates, *kind) = rate.value();
  }
  return rates;
}

Status ParseMix(std::string_view spec, GenOptions& options) {
  double shares[3] = {0, 0, 0};
  static constexpr std::string_view kNames[3] = {"export", "direct", "bonded"};
  for (std::string_view item : SplitList(spec)) {
    const size_t eq = item.find('=');
    const std::string_view name = Trim(item.substr(0, eq));
    int which = -1;
    for (int f = 0; f < 3; ++f) {
      if (kNames[f] == name) which = f;
    }
    if (eq == std::string_view::npos || which < 0) {
      return Status::InvalidArgument(fmt::format("--mix: '{}' is not export=, direct= or bonded=<share>", item));
    }
    Result<double> share = ParseNumber(Trim(item.substr(eq + 1)), fmt::format("--mix {}", name));
    if (!share.ok()) return share.status();
    shares[which] = share.value();
  }
  options.export_share = shares[0];
  options.import_direct_share = shares[1];
  options.bonded_share = shares[2];
  return ValidateOptions(options);
}

Status ValidateOptions(const GenOptions& o) {
  if (o.orders < 0 || o.orders > 10'000'000) return Status::InvalidArgument("orders must be between 0 and 10,000,000");
  if (o.days < 1 || o.days > 366) return Status::InvalidArgument("days must be between 1 and 366");
  Result<Timestamp> day = Timestamp::Parse(o.day, TimeFormat::kCompactDate);
  if (!day.ok()) return Status::InvalidArgument("day must be a date YYYYMMDD: " + day.status().message());
  const double shares[3] = {o.export_share, o.import_direct_share, o.bonded_share};
  double total = 0;
  for (double s : shares) {
    if (!std::isfinite(s) || s < 0) return Status::InvalidArgument("the mix shares must be numbers >= 0");
    total += s;
  }
  if (!(total > 0)) return Status::InvalidArgument("at least one share of the mix must be positive");
  for (FaultKind k : kAllFaultKinds) {
    const double r = RateOf(o.faults, k);
    if (!std::isfinite(r) || r < 0 || r > 1) {
      return Status::InvalidArgument(fmt::format("the rate of {} must be in [0, 1], is {}", FaultKindName(k), r));
    }
  }
  return Status::Ok();
}

namespace {

std::string_view DocCode(const OrderPlan& o, Doc doc) {
  const bool ex = o.flow == Flow::kExport;
  switch (doc) {
    case Doc::kOrder:
      return ex ? "CEB303" : "CEB311";
    case Doc::kPayment:
      return ex ? "CEB403" : "CEB411";
    case Doc::kWaybill:
      return ex ? "CEB505" : "CEB511";
    case Doc::kInventory:
      return ex ? "CEB603" : "CEB621";
    case Doc::kRevocation:
      return ex ? "CEB605" : "CEB623";
    case Doc::kReturn:
      return ex ? "CEB213" : "CEB625";
  }
  return "?";
}

// The malformed-xml fault on a message's bytes: cut short (variant 0), or an
// end tag renamed so it no longer matches its start tag (variant 1). Either
// way no XML parser can read it.
void Break(std::string& bytes, int variant, internal::Rng& rng) {
  if (variant == 0) {
    size_t cut = bytes.size() * static_cast<size_t>(rng.Int(30, 85)) / 100;
    while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    bytes.resize(cut);
    return;
  }
  const size_t from = bytes.size() * static_cast<size_t>(rng.Int(30, 70)) / 100;
  const size_t at = bytes.find("</ceb:", from);
  const size_t end = at == std::string::npos ? at : bytes.find('>', at);
  if (end == std::string::npos) {
    bytes.resize(bytes.size() / 2);
    return;
  }
  bytes.insert(end, "_");
}

std::string FileName(size_t seq, int width, std::string_view type, std::string_view key) {
  return fmt::format("{:0{}}-{}-{}.xml", seq, width, type, key);
}

nlohmann::ordered_json OptionsJson(const GenOptions& o) {
  nlohmann::ordered_json j;
  j["seed"] = o.seed;
  j["orders"] = o.orders;
  j["day"] = o.day;
  j["days"] = o.days;
  j["mix"] = {{"export", o.export_share}, {"direct", o.import_direct_share}, {"bonded", o.bonded_share}};
  nlohmann::ordered_json faults = nlohmann::ordered_json::object();
  for (FaultKind k : kAllFaultKinds) faults[std::string(FaultKindName(k))] = RateOf(o.faults, k);
  j["faults"] = std::move(faults);
  return j;
}

nlohmann::ordered_json OrderJson(const Plan& plan, const OrderPlan& o, std::vector<std::string>& files) {
  nlohmann::ordered_json j;
  j["orderNo"] = o.order_no;
  j["flow"] = internal::FlowName(o.flow);
  j["day"] = Timestamp::FromMillis(o.t_order).Format(TimeFormat::kCompactDate);
  j["files"] = std::move(files);
  nlohmann::ordered_json faults = nlohmann::ordered_json::array();
  if (o.fault) {
    faults.push_back(FaultKindName(*o.fault));
    j["faults"] = std::move(faults);
    std::string document(DocCode(o, o.fault_doc));
    if (*o.fault == FaultKind::kOverSingleLimit || *o.fault == FaultKind::kOverAnnualLimit) document = "";
    nlohmann::ordered_json detail = {{"kind", FaultKindName(*o.fault)}, {"document", document}, {"detail", o.fault_detail}};
    if (*o.fault == FaultKind::kDuplicate) {
      detail["variant"] = o.variant == 0 ? "same-file" : "same-key-new-guid";
      detail["expect"] = o.variant == 0 ? "ignored: the same message again"
                         : o.fault_doc == Doc::kOrder ? "-301010 已存在相同编号的订单"
                                                      : "-621004 清单已申报";
    }
    j["fault_details"] = nlohmann::ordered_json::array({std::move(detail)});
  } else {
    j["faults"] = std::move(faults);
  }
  j["expected"] = {{"outcome", internal::OutcomeName(o.expected.outcome)},
                   {"reason", o.expected.reason},
                   {"info", o.expected.info}};
  if (o.expected.outcome == internal::Outcome::kPending) j["expected"]["then"] = "rejected after the matching window";
  if (o.scenario >= 0) {
    j["scenario"] = {{"kind", "over-annual-limit"},
                     {"id", o.scenario},
                     {"role", o.scenario_trigger ? "crosses-limit" : "earlier-order"}};
  }
  nlohmann::ordered_json keys = {{"ebpCode", o.platform->code},      {"ebcCode", o.ebc->code},
                                 {"logisticsCode", o.logistics->code}, {"logisticsNo", o.logistics_no},
                                 {"agentCode", o.agent->code},        {"copNo", o.cop_no},
                                 {"invtNo", o.invt_no}};
  nlohmann::ordered_json amounts = {{"goodsValue", o.goods_value.ToString(2)}, {"freight", o.freight.ToString(2)}};
  if (o.flow == Flow::kExport) {
    keys["statisticsFlag"] = o.summary ? "B" : "A";
    if (o.has_receipt) {
      keys["payCode"] = o.payment->code;
      keys["payNo"] = o.pay_no;
      amounts["charge"] = o.payment_amount;
    }
    keys["country"] = o.foreign->country_code;
  } else {
    const internal::Person& buyer = plan.persons[static_cast<size_t>(o.buyer)];
    keys["payCode"] = o.payment->code;
    keys["payTransactionId"] = o.pay_no;
    keys["buyerIdNumber"] = buyer.id_number;
    keys["buyerName"] = buyer.name;
    if (o.flow == Flow::kImportBonded) keys["emsNo"] = o.zone->extra;
    amounts["discount"] = o.discount.ToString(2);
    amounts["taxTotal"] = o.tax_total.ToString(2);
    amounts["acturalPaid"] = o.actural_paid.ToString(2);
    amounts["amountPaid"] = o.payment_amount;
    amounts["valueAddedTax"] = o.tax.value_added_tax.ToString(2);
    amounts["consumptionTax"] = o.tax.consumption_tax.ToString(2);
  }
  j["keys"] = std::move(keys);
  j["amounts"] = std::move(amounts);
  return j;
}

}  // namespace

Generator::Generator(GenOptions options) : options_(std::move(options)) {}

const nlohmann::ordered_json& Generator::manifest() const { return manifest_; }

Status Generator::Generate(const std::function<void(GeneratedFile&&)>& sink) {
  manifest_ = nlohmann::ordered_json();
  DRYPORT_RETURN_IF_ERROR(ValidateOptions(options_));
  Result<const internal::TrafficData*> data = internal::BuiltinTrafficData();
  if (!data.ok()) return data.status();
  Plan plan;
  DRYPORT_RETURN_IF_ERROR(internal::BuildPlan(options_, *data.value(), plan));
  const internal::MessageBuilder builder(options_.seed, *data.value(), plan);

  const size_t total = plan.events.size();
  const int width = std::max<int>(6, static_cast<int>(std::to_string(total).size()));
  std::vector<std::vector<std::string>> files(plan.orders.size());
  std::map<std::string, int64_t> per_type;
  std::map<uint32_t, std::pair<std::string, std::string>> resend;  // order -> (type, bytes) of a file sent twice

  for (size_t i = 0; i < total; ++i) {
    const Event& e = plan.events[i];
    GeneratedFile file;
    std::string type;
    std::string key;
    if (e.kind == EventKind::kResend) {
      const auto& [sent_type, bytes] = resend.at(e.ref);
      type = sent_type;
      key = plan.orders[e.ref].order_no;
      file.bytes = bytes;
    } else {
      internal::BuiltMessage built = builder.Build(e);
      type = "CEB" + std::string(built.message.info().code);
      key = std::move(built.key);
      file.bytes = ceb::WriteXml(built.message);
      if (e.kind == EventKind::kDoc) {
        const OrderPlan& o = plan.orders[e.ref];
        if (o.fault == FaultKind::kMalformedXml && e.doc == o.fault_doc) {
          internal::Rng rng(internal::StreamSeed({options_.seed, 6, e.ref}));
          Break(file.bytes, o.variant, rng);
        }
        if (o.fault == FaultKind::kDuplicate && o.variant == 0 && e.doc == o.fault_doc) {
          resend[e.ref] = {type, file.bytes};
        }
      }
    }
    file.name = FileName(i + 1, width, type, key);
    for (uint32_t order : builder.OrdersOf(e)) files[order].push_back(file.name);
    ++per_type[type];
    sink(std::move(file));
  }

  // The manifest.
  nlohmann::ordered_json m;
  m["generator"] = "dryport gen";
  m["edition"] = "CEB 2022-05";
  m["options"] = OptionsJson(options_);
  std::map<std::string, int64_t> flows, outcomes;
  for (const OrderPlan& o : plan.orders) {
    ++flows[std::string(internal::FlowName(o.flow))];
    ++outcomes[std::string(internal::OutcomeName(o.expected.outcome))];
  }
  nlohmann::ordered_json counts;
  counts["orders"] = plan.orders.size();
  counts["files"] = total;
  counts["flows"] = flows;
  counts["messages"] = per_type;
  nlohmann::ordered_json faults = nlohmann::ordered_json::object();
  for (FaultKind k : kAllFaultKinds) faults[std::string(FaultKindName(k))] = plan.fault_counts[static_cast<int>(k)];
  counts["faults"] = std::move(faults);
  counts["outcomes"] = outcomes;
  m["counts"] = std::move(counts);
  nlohmann::ordered_json orders = nlohmann::ordered_json::array();
  for (const OrderPlan& o : plan.orders) orders.push_back(OrderJson(plan, o, files[o.index]));
  m["orders"] = std::move(orders);
  manifest_ = std::move(m);
  return Status::Ok();
}

namespace {

// NNNNNN-CEBnnn-<key>.xml, as FileName writes them.
bool IsCorpusFile(const std::string& name) {
  size_t digits = 0;
  while (digits < name.size() && name[digits] >= '0' && name[digits] <= '9') ++digits;
  return digits >= 6 && name.compare(digits, 4, "-CEB") == 0 && name.size() > digits + 8 &&
         name.ends_with(".xml");
}

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError(fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool closed = std::fclose(f) == 0;
  if (written != bytes.size() || !closed) return Status::IOError(path.string() + ": write error");
  return Status::Ok();
}

}  // namespace

Status WriteCorpus(const GenOptions& options, const std::string& out_dir) {
  return WriteCorpus(options, out_dir, nullptr);
}

Status WriteCorpus(const GenOptions& options, const std::string& out_dir, nlohmann::ordered_json* summary) {
  namespace fs = std::filesystem;
  DRYPORT_RETURN_IF_ERROR(ValidateOptions(options));
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Status::IOError(fmt::format("{}: cannot create the directory: {}", out_dir, ec.message()));
  std::vector<fs::path> previous;
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "manifest.json" || IsCorpusFile(name)) {
      previous.push_back(it->path());
    } else {
      return Status::FailedPrecondition(fmt::format(
          "{} holds {}, which is not part of a generated corpus: use an empty directory", out_dir, name));
    }
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", out_dir, ec.message()));
  for (const fs::path& p : previous) {
    fs::remove(p, ec);
    if (ec) return Status::IOError(fmt::format("{}: cannot remove: {}", p.string(), ec.message()));
  }

  Generator generator(options);
  Status write_status;
  const fs::path dir(out_dir);
  DRYPORT_RETURN_IF_ERROR(generator.Generate([&](GeneratedFile&& file) {
    if (write_status.ok()) write_status = WriteFile(dir / file.name, file.bytes);
  }));
  DRYPORT_RETURN_IF_ERROR(write_status);
  DRYPORT_RETURN_IF_ERROR(WriteFile(dir / "manifest.json", generator.manifest().dump(1) + "\n"));
  if (summary != nullptr) {
    *summary = {{"options", generator.manifest()["options"]}, {"counts", generator.manifest()["counts"]}};
  }
  return Status::Ok();
}

}  // namespace dryport::traffic
