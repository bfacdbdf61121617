#include "traffic/generator.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

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

double RateOf(const FaultRates& rates, FaultKind kind) {
  return RateOf(const_cast<FaultRates&>(rates), kind);
}

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
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    return Status::InvalidArgument(fmt::format("{}: '{}' is not a number", what, text));
  }
  return value;
}

}  // namespace

Result<FaultRates> ParseFaultRates(std::string_view spec) {
  FaultRates rates;
  std::vector<std::string_view> items = SplitList(spec);
  if (items.empty())
    return Status::InvalidArgument("--faults: empty (use none, default or kind=rate,...)");
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
      for (FaultKind k : kAllFaultKinds)
        kinds += fmt::format("{}{}", kinds.empty() ? "" : ", ", FaultKindName(k));
      return Status::InvalidArgument(fmt::format(
          "--faults: '{}' is not kind=rate (kinds: {}; or none / default first)", item, kinds));
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
      return Status::InvalidArgument(
          fmt::format("--mix: '{}' is not export=, direct= or bonded=<share>", item));
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
  if (o.orders < 0 || o.orders > 10'000'000)
    return Status::InvalidArgument("orders must be between 0 and 10,000,000");
  if (o.days < 1 || o.days > 366) return Status::InvalidArgument("days must be between 1 and 366");
  Result<Timestamp> day = Timestamp::Parse(o.day, TimeFormat::kCompactDate);
  if (!day.ok())
    return Status::InvalidArgument("day must be a date YYYYMMDD: " + day.status().message());
  const double shares[3] = {o.export_share, o.import_direct_share, o.bonded_share};
  double total = 0;
  for (double s : shares) {
    if (!std::isfinite(s) || s < 0)
      return Status::InvalidArgument("the mix shares must be numbers >= 0");
    total += s;
  }
  if (!(total > 0))
    return Status::InvalidArgument("at least one share of the mix must be positive");
  for (FaultKind k : kAllFaultKinds) {
    const double r = RateOf(o.faults, k);
    if (!std::isfinite(r) || r < 0 || r > 1) {
      return Status::InvalidArgument(
          fmt::format("the rate of {} must be in [0, 1], is {}", FaultKindName(k), r));
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
    while (cut > 0 && (static_cast<unsigned char>(bytes[cut]) & 0xC0) == 0x80)
      --cut;  // whole characters
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

// Appends to a JSON object without nlohmann's search for an existing key
// (the keys here are distinct by construction): the manifest of 100,000
// orders has millions of members.
class Obj {
 public:
  explicit Obj(size_t reserve) : j_(nlohmann::ordered_json::object()) {
    j_.get_ref<nlohmann::ordered_json::object_t&>().reserve(reserve);
  }
  Obj& Put(std::string_view key, nlohmann::ordered_json value) {
    j_.get_ref<nlohmann::ordered_json::object_t&>().emplace_back(std::string(key),
                                                                 std::move(value));
    return *this;
  }
  nlohmann::ordered_json Take() { return std::move(j_); }

 private:
  nlohmann::ordered_json j_;
};

nlohmann::ordered_json OptionsJson(const GenOptions& o) {
  Obj faults(kFaultKindCount);
  for (FaultKind k : kAllFaultKinds) faults.Put(FaultKindName(k), RateOf(o.faults, k));
  return Obj(6)
      .Put("seed", o.seed)
      .Put("orders", o.orders)
      .Put("day", o.day)
      .Put("days", o.days)
      .Put("mix", Obj(3)
                      .Put("export", o.export_share)
                      .Put("direct", o.import_direct_share)
                      .Put("bonded", o.bonded_share)
                      .Take())
      .Put("faults", faults.Take())
      .Take();
}

nlohmann::ordered_json OrderJson(const Plan& plan, const OrderPlan& o,
                                 std::vector<std::string>& files) {
  Obj j(11);
  j.Put("orderNo", o.order_no);
  j.Put("flow", internal::FlowName(o.flow));
  j.Put("day", Timestamp::FromMillis(o.t_order).Format(TimeFormat::kCompactDate));
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  names.get_ref<nlohmann::ordered_json::array_t&>().reserve(files.size());
  for (std::string& f : files) names.push_back(std::move(f));
  j.Put("files", std::move(names));
  nlohmann::ordered_json faults = nlohmann::ordered_json::array();
  if (o.fault) faults.push_back(FaultKindName(*o.fault));
  j.Put("faults", std::move(faults));
  if (o.fault) {
    std::string document(DocCode(o, o.fault_doc));
    if (*o.fault == FaultKind::kOverSingleLimit || *o.fault == FaultKind::kOverAnnualLimit)
      document = "";
    Obj detail(5);
    detail.Put("kind", FaultKindName(*o.fault))
        .Put("document", document)
        .Put("detail", o.fault_detail);
    if (*o.fault == FaultKind::kDuplicate) {
      detail.Put("variant", o.variant == 0 ? "same-file" : "same-key-new-guid");
      // What E-Port answers the second copy (ceb-messages.md §9.3), code
      // first: the clearance tests read the first word. The order itself
      // still clears.
      detail.Put("expect", o.variant == 0               ? "ignored: the same message again"
                           : o.fault_doc == Doc::kOrder ? "-301010 已存在相同编号的订单"
                                                        : "-621004 清单已申报");
    }
    j.Put("fault_details", nlohmann::ordered_json::array({detail.Take()}));
  }
  Obj expected(4);
  expected.Put("outcome", internal::OutcomeName(o.expected.outcome))
      .Put("reason", o.expected.reason)
      .Put("info", o.expected.info);
  if (o.expected.outcome == internal::Outcome::kPending)
    expected.Put("then", "rejected after the matching window");
  j.Put("expected", expected.Take());
  if (o.scenario >= 0) {
    j.Put("scenario", Obj(3)
                          .Put("kind", "over-annual-limit")
                          .Put("id", o.scenario)
                          .Put("role", o.scenario_trigger ? "crosses-limit" : "earlier-order")
                          .Take());
  }
  Obj keys(12);
  keys.Put("ebpCode", o.platform->code)
      .Put("ebcCode", o.ebc->code)
      .Put("logisticsCode", o.logistics->code)
      .Put("logisticsNo", o.logistics_no)
      .Put("agentCode", o.agent->code)
      .Put("copNo", o.cop_no)
      .Put("invtNo", o.invt_no);
  Obj amounts(8);
  amounts.Put("goodsValue", o.goods_value.ToString(2)).Put("freight", o.freight.ToString(2));
  if (o.flow == Flow::kExport) {
    keys.Put("statisticsFlag", o.summary ? "B" : "A");
    if (o.has_receipt) {
      keys.Put("payCode", o.payment->code).Put("payNo", o.pay_no);
      amounts.Put("charge", o.payment_amount);
    }
    keys.Put("country", o.foreign->country_code);
  } else {
    const internal::Person& buyer = plan.persons[static_cast<size_t>(o.buyer)];
    keys.Put("payCode", o.payment->code)
        .Put("payTransactionId", o.pay_no)
        .Put("buyerIdNumber", buyer.id_number)
        .Put("buyerName", buyer.name);
    if (o.flow == Flow::kImportBonded) keys.Put("emsNo", o.zone->extra);
    amounts.Put("discount", o.discount.ToString(2))
        .Put("taxTotal", o.tax_total.ToString(2))
        .Put("acturalPaid", o.actural_paid.ToString(2))
        .Put("amountPaid", o.payment_amount)
        .Put("valueAddedTax", o.tax.value_added_tax.ToString(2))
        .Put("consumptionTax", o.tax.consumption_tax.ToString(2));
  }
  j.Put("keys", keys.Take());
  j.Put("amounts", amounts.Take());
  return j.Take();
}

// A message made ready by a worker thread; naming and the sink stay on the
// calling thread, in send order.
struct Prepared {
  std::string type, key, bytes;
};

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
  std::map<uint32_t, std::pair<std::string, std::string>>
      resend;  // order -> (type, bytes) of a file sent twice

  // Messages are built and serialised in parallel, a chunk at a time; each
  // depends only on the plan and its event, so the bytes do not depend on
  // the number of threads.
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  constexpr size_t kChunk = 4096;
  std::vector<Prepared> ready(std::min(total, kChunk));
  for (size_t begin = 0; begin < total; begin += kChunk) {
    const size_t end = std::min(total, begin + kChunk);
    auto work = [&](size_t first) {
      for (size_t i = begin + first; i < end; i += threads) {
        const Event& e = plan.events[i];
        if (e.kind == EventKind::kResend) continue;
        internal::BuiltMessage built = builder.Build(e);
        Prepared& p = ready[i - begin];
        p.type = "CEB" + std::string(built.message.info().code);
        p.key = std::move(built.key);
        p.bytes = ceb::WriteXml(built.message);
        const OrderPlan* o = e.kind == EventKind::kDoc ? &plan.orders[e.ref] : nullptr;
        if (o && o->fault == FaultKind::kMalformedXml && e.doc == o->fault_doc) {
          internal::Rng rng(internal::StreamSeed({options_.seed, 6, e.ref}));
          Break(p.bytes, o->variant, rng);
        }
      }
    };
    {
      std::vector<std::jthread> pool;
      for (size_t t = 1; t < threads && begin + t < end; ++t) pool.emplace_back(work, t);
      work(0);
    }
    for (size_t i = begin; i < end; ++i) {
      const Event& e = plan.events[i];
      Prepared& p = ready[i - begin];
      GeneratedFile file;
      std::string type;
      if (e.kind == EventKind::kResend) {
        const auto& [sent_type, bytes] = resend.at(e.ref);
        type = sent_type;
        file.name = FileName(i + 1, width, type, plan.orders[e.ref].order_no);
        file.bytes = bytes;
      } else {
        const OrderPlan* o = e.kind == EventKind::kDoc ? &plan.orders[e.ref] : nullptr;
        if (o && o->fault == FaultKind::kDuplicate && o->variant == 0 && e.doc == o->fault_doc) {
          resend[e.ref] = {p.type, p.bytes};
        }
        type = std::move(p.type);
        file.name = FileName(i + 1, width, type, p.key);
        file.bytes = std::move(p.bytes);
      }
      for (uint32_t order : builder.OrdersOf(e)) files[order].push_back(file.name);
      ++per_type[type];
      sink(std::move(file));
    }
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
  for (FaultKind k : kAllFaultKinds)
    faults[std::string(FaultKindName(k))] = plan.fault_counts[static_cast<int>(k)];
  counts["faults"] = std::move(faults);
  counts["outcomes"] = outcomes;
  m["counts"] = std::move(counts);
  nlohmann::ordered_json orders = nlohmann::ordered_json::array();
  orders.get_ref<nlohmann::ordered_json::array_t&>().reserve(plan.orders.size());
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
  if (f == nullptr)
    return Status::IOError(
        fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool closed = std::fclose(f) == 0;
  if (written != bytes.size() || !closed) return Status::IOError(path.string() + ": write error");
  return Status::Ok();
}

// Writes files on a thread of its own, so the disk works while the next
// messages are generated. The queue is bounded to keep memory flat.
class BackgroundWriter {
 public:
  explicit BackgroundWriter(std::filesystem::path dir)
      : dir_(std::move(dir)), thread_([this] { Run(); }) {}
  ~BackgroundWriter() { (void)Finish(); }  // the caller has the status from its own Finish()

  void Write(GeneratedFile&& file) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back(std::move(file));
    work_.notify_one();
  }

  // Waits for every queued file; the first error, if any.
  Status Finish() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
      work_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
    return status_;  // a second call returns the same
  }

 private:
  static constexpr size_t kMaxQueued = 4096;

  void Run() {
    while (true) {
      GeneratedFile file;
      {
        std::unique_lock lock(mu_);
        work_.wait(lock, [&] { return done_ || !queue_.empty(); });
        if (queue_.empty()) return;
        file = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
      }
      if (status_.ok())
        status_ = WriteFile(dir_ / file.name, file.bytes);  // after an error, drain only
    }
  }

  std::filesystem::path dir_;
  std::mutex mu_;
  std::condition_variable work_, space_;
  std::deque<GeneratedFile> queue_;
  bool done_ = false;
  Status status_;  // written by the writer thread only, read after join
  std::thread thread_;
};

// manifest.json as people and line tools like it: the options and counts
// pretty-printed, then one order per line.
std::string ManifestText(const nlohmann::ordered_json& m) {
  std::string out = "{\n";
  size_t i = 0;
  for (const auto& [key, value] : m.items()) {
    out += " " + nlohmann::ordered_json(key).dump() + ": ";
    if (key == "orders") {
      out += "[";
      size_t n = 0;
      for (const nlohmann::ordered_json& order : value) {
        out += n++ == 0 ? "\n  " : ",\n  ";
        out += order.dump();
      }
      out += n == 0 ? "]" : "\n ]";
    } else {
      std::string nested = value.dump(1);
      for (size_t at = nested.find('\n'); at != std::string::npos; at = nested.find('\n', at + 2))
        nested.insert(at + 1, " ");
      out += nested;
    }
    out += ++i == m.size() ? "\n" : ",\n";
  }
  return out + "}\n";
}

}  // namespace

Status WriteCorpus(const GenOptions& options, const std::string& out_dir) {
  return WriteCorpus(options, out_dir, nullptr);
}

Status WriteCorpus(const GenOptions& options, const std::string& out_dir,
                   nlohmann::ordered_json* summary) {
  namespace fs = std::filesystem;
  DRYPORT_RETURN_IF_ERROR(ValidateOptions(options));
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec)
    return Status::IOError(
        fmt::format("{}: cannot create the directory: {}", out_dir, ec.message()));
  std::vector<fs::path> previous;
  for (fs::directory_iterator it(out_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "manifest.json" || IsCorpusFile(name)) {
      previous.push_back(it->path());
    } else {
      return Status::FailedPrecondition(fmt::format(
          "{} holds {}, which is not part of a generated corpus: use an empty directory", out_dir,
          name));
    }
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", out_dir, ec.message()));
  for (const fs::path& p : previous) {
    fs::remove(p, ec);
    if (ec) return Status::IOError(fmt::format("{}: cannot remove: {}", p.string(), ec.message()));
  }

  Generator generator(options);
  const fs::path dir(out_dir);
  BackgroundWriter writer(dir);
  const Status generated =
      generator.Generate([&](GeneratedFile&& file) { writer.Write(std::move(file)); });
  const Status written = writer.Finish();
  DRYPORT_RETURN_IF_ERROR(generated);
  DRYPORT_RETURN_IF_ERROR(written);
  DRYPORT_RETURN_IF_ERROR(WriteFile(dir / "manifest.json", ManifestText(generator.manifest())));
  if (summary != nullptr) {
    *summary = {{"options", generator.manifest()["options"]},
                {"counts", generator.manifest()["counts"]}};
  }
  return Status::Ok();
}

}  // namespace dryport::traffic
