// BuildPlan: every decision of a corpus, made before any message is built.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "core/time.h"
#include "traffic/identity.h"
#include "traffic/plan.h"
#include "traffic/random.h"

namespace dryport::traffic::internal {

std::string_view FlowName(Flow flow) {
  switch (flow) {
    case Flow::kExport:
      return "export-9610";
    case Flow::kImportDirect:
      return "import-9610";
    case Flow::kImportBonded:
      return "import-1210";
  }
  return "?";
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kReleased:
      return "released";
    case Outcome::kRejected:
      return "rejected";
    case Outcome::kRevoked:
      return "revoked";
    case Outcome::kReturned:
      return "returned";
    case Outcome::kPending:
      return "pending";
    case Outcome::kInvalid:
      return "invalid";
  }
  return "?";
}

namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Each order may have at most this many units on one line when a basket is
// pushed towards a target amount (over-limit faults and annual scenarios).
constexpr int kLargeQtyCap = 20;
// Attempts at drawing a basket inside its target range before giving up.
constexpr int kBasketAttempts = 50;

Decimal FromJiao(int64_t jiao) { return Decimal::FromUnits(static_cast<int128_t>(jiao) * 10, 2); }
Decimal Fen(int64_t fen) { return Decimal::FromUnits(fen, 2); }

std::string Date8(int64_t ms) { return Timestamp::FromMillis(ms).Format(TimeFormat::kCompactDate); }

// Round-half-up count of `rate` x `n`.
size_t CountOf(double rate, size_t n) {
  return static_cast<size_t>(std::floor(rate * static_cast<double>(n) + 0.5));
}

struct Scenario {
  int person = -1;
  std::vector<uint32_t> priors;  // in time order
  uint32_t trigger = 0;
  Decimal prior_goods;  // sum of goodsValue of the priors
  Decimal prior_paid;   // sum of acturalPaid of the priors
};

struct BuyerState {
  Decimal total;  // sum of goodsValue + freight + taxTotal over its orders so far
};

class Planner {
 public:
  Planner(const GenOptions& options, const TrafficData& data, Plan& plan)
      : o_(options),
        d_(data),
        s_(data.settings),
        p_(plan),
        rng_(StreamSeed({options.seed, kPlanStream})) {}

  Status Run() {
    Result<Timestamp> day0 = Timestamp::Parse(o_.day, TimeFormat::kCompactDate);
    if (!day0.ok()) return Status::InvalidArgument("day: " + day0.status().message());
    p_.day0 = day0->millis();
    PrepareProducts();
    PlaceOrders();
    AssignFlows();
    AssignFaults();
    for (OrderPlan& o : p_.orders) DRYPORT_RETURN_IF_ERROR(Fill(o));
    for (OrderPlan& o : p_.orders) Decide(o);
    BuildBatches();
    BuildEvents();
    return Status::Ok();
  }

 private:
  static constexpr uint64_t kPlanStream = 1;
  static constexpr uint64_t kOrderStream = 2;
  static constexpr uint64_t kBatchStream = 3;
  static constexpr uint64_t kCounterStream = 5;

  // ------------------------------------------------------------ set-up

  void PrepareProducts() {
    for (const Product& p : d_.products) {
      if (p.is_export) {
        export_by_seller_[p.seller].push_back(&p);
      } else {
        if (p.direct) direct_by_origin_[p.origin_code].push_back(&p);
        if (p.bonded) bonded_.push_back(&p);
      }
    }
    for (const Company* c : d_.WithRole("export-ebc")) {
      if (export_by_seller_.count(c)) exporters_.push_back(c);
    }
    export_carriers_ = d_.WithRole("export-logistics");
    import_platforms_ = d_.WithRole("import-platform");
    direct_carrier_ = d_.WithRole("import-direct-logistics").front();
    bonded_carrier_ = d_.WithRole("import-bonded-logistics").front();
    zone_ = d_.WithRole("zone-warehouse").front();
    for (const Company* c : exporters_) {
      double w = 0;
      for (const Product* p : export_by_seller_[c]) w += p->weight;
      exporter_weights_.push_back(w);
    }
    for (const ForeignBuyer& b : d_.foreign_buyers) foreign_weights_.push_back(b.weight);
  }

  // Orders spread evenly over the days, each at a random second between
  // 07:00 and 17:00 (the latest documents of the day then still fit before
  // midnight, see the time bounds in FillExport/FillImport).
  void PlaceOrders() {
    const size_t n = static_cast<size_t>(o_.orders);
    struct Placed {
      int64_t t;
      size_t i;
      int day;
    };
    std::vector<Placed> placed;
    placed.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const int day = static_cast<int>(i * static_cast<size_t>(o_.days) / n);
      const int64_t t = p_.day0 + day * kDay + rng_.Int(7 * 3600, 17 * 3600) * kSecond;
      placed.push_back({t, i, day});
    }
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      return std::tie(a.t, a.i) < std::tie(b.t, b.i);
    });
    p_.orders.resize(n);
    for (size_t k = 0; k < n; ++k) {
      p_.orders[k].index = static_cast<uint32_t>(k);
      p_.orders[k].t_order = placed[k].t;
      p_.orders[k].day = placed[k].day;
    }
  }

  // Exact shares (largest remainder), in random order.
  void AssignFlows() {
    const size_t n = p_.orders.size();
    const double total = o_.export_share + o_.import_direct_share + o_.bonded_share;
    const double shares[3] = {o_.export_share / total, o_.import_direct_share / total,
                              o_.bonded_share / total};
    size_t counts[3];
    double rest[3];
    size_t given = 0;
    for (int f = 0; f < 3; ++f) {
      const double exact = shares[f] * static_cast<double>(n);
      counts[f] = static_cast<size_t>(std::floor(exact));
      rest[f] = exact - std::floor(exact);
      given += counts[f];
    }
    while (given < n) {
      int best = 0;
      for (int f = 1; f < 3; ++f) {
        if (rest[f] > rest[best]) best = f;
      }
      ++counts[best];
      rest[best] = -1;
      ++given;
    }
    std::vector<Flow> flows;
    flows.reserve(n);
    for (int f = 0; f < 3; ++f) flows.insert(flows.end(), counts[f], static_cast<Flow>(f));
    rng_.Shuffle(flows);
    for (size_t i = 0; i < n; ++i) p_.orders[i].flow = flows[i];
  }

  // ------------------------------------------------------------ faults

  bool IsImport(const OrderPlan& o) const { return o.flow != Flow::kExport; }

  void AssignFaults() {
    const size_t n = p_.orders.size();
    std::vector<bool> used(n, false);
    std::vector<uint32_t> imports;
    for (const OrderPlan& o : p_.orders) {
      if (IsImport(o)) imports.push_back(o.index);
    }

    // Over the annual limit: a scenario takes k earlier import orders of one
    // buyer (released) and the order that crosses the limit (rejected).
    const size_t k = static_cast<size_t>(s_.annual_prior_orders);
    const size_t want = CountOf(o_.faults.over_annual_limit, imports.size());
    std::vector<uint32_t> candidates = imports;
    rng_.Shuffle(candidates);
    for (uint32_t c : candidates) {
      if (scenarios_.size() >= want) break;
      if (used[c]) continue;
      std::vector<uint32_t> earlier;
      for (uint32_t i : imports) {
        if (i >= c) break;
        if (!used[i]) earlier.push_back(i);
      }
      if (earlier.size() < k) continue;
      for (size_t j = 0; j < k; ++j)
        std::swap(earlier[j], earlier[j + rng_.Index(earlier.size() - j)]);
      earlier.resize(k);
      std::sort(earlier.begin(), earlier.end());
      Scenario sc;
      sc.priors = earlier;
      sc.trigger = c;
      const int id = static_cast<int>(scenarios_.size());
      for (uint32_t i : earlier) {
        used[i] = true;
        p_.orders[i].scenario = id;
      }
      used[c] = true;
      p_.orders[c].scenario = id;
      p_.orders[c].scenario_trigger = true;
      p_.orders[c].fault = FaultKind::kOverAnnualLimit;
      scenarios_.push_back(std::move(sc));
    }
    p_.fault_counts[static_cast<int>(FaultKind::kOverAnnualLimit)] =
        static_cast<int>(scenarios_.size());

    for (FaultKind kind : kAllFaultKinds) {
      if (kind == FaultKind::kOverAnnualLimit) continue;
      const bool import_only = IsImportOnly(kind);
      const size_t applicable = import_only ? imports.size() : n;
      const size_t count = CountOf(RateOf(o_.faults, kind), applicable);
      if (count == 0) continue;
      std::vector<uint32_t> pool;
      for (const OrderPlan& o : p_.orders) {
        if (!used[o.index] && (!import_only || IsImport(o))) pool.push_back(o.index);
      }
      rng_.Shuffle(pool);
      const size_t take = std::min(count, pool.size());
      for (size_t j = 0; j < take; ++j) {
        used[pool[j]] = true;
        p_.orders[pool[j]].fault = kind;
      }
      p_.fault_counts[static_cast<int>(kind)] = static_cast<int>(take);
    }
  }

  // ------------------------------------------------------------ people

  const std::string& PickSurname(Rng& rng) { return d_.surnames[rng.Weighted(d_.surname_weights)]; }

  std::string GivenName(Rng& rng, bool male) {
    const std::vector<std::string>& chars = male ? d_.given_male : d_.given_female;
    std::string name = chars[rng.Index(chars.size())];
    if (rng.Chance(0.6)) name += chars[rng.Index(chars.size())];
    return name;
  }

  const Region& PickRegion(Rng& rng) {
    if (region_weights_.empty()) {
      for (const Region& r : d_.regions) region_weights_.push_back(r.weight);
    }
    return d_.regions[rng.Weighted(region_weights_)];
  }

  std::string Address(Rng& rng, const Region& r) {
    const std::string& street = r.streets[rng.Index(r.streets.size())];
    const std::string& community = d_.communities[rng.Index(d_.communities.size())];
    return fmt::format("{}{}{}{}{}号{}{}号楼{}单元{}{:02}室", r.province, r.city, r.district,
                       street, rng.Int(1, 399), community, rng.Int(1, 28), rng.Int(1, 4),
                       rng.Int(1, 28), rng.Int(1, 4));
  }

  // A consumer with a valid identity number; `home` is where they live.
  int NewPerson(Rng& rng, const Region& home, const std::string& address,
                const std::string* surname, int64_t at) {
    Person person;
    const bool male = rng.Chance(0.45);
    person.name = (surname ? *surname : PickSurname(rng)) + GivenName(rng, male);
    // Most people live where they were registered; some moved (the area code
    // of the identity number is the place of first registration).
    const Region& born = rng.Chance(0.75) ? home : PickRegion(rng);
    const Timestamp now = Timestamp::FromMillis(at);
    const int year = now.year() - static_cast<int>(rng.Int(19, 62));
    const int seq = static_cast<int>(rng.Int(0, 499)) * 2 + (male ? 1 : 0);
    person.id_number = MakeIdNumber(born.code, year, static_cast<unsigned>(rng.Int(1, 12)),
                                    static_cast<unsigned>(rng.Int(1, 28)), seq);
    person.phone = MobileNumber(rng);
    person.district_code = home.code;
    person.address = address;
    p_.persons.push_back(std::move(person));
    return static_cast<int>(p_.persons.size()) - 1;
  }

  int NewConsumer(Rng& rng, int64_t at) {
    const Region& home = PickRegion(rng);
    return NewPerson(rng, home, Address(rng, home), nullptr, at);
  }

  // Someone of the same household: same address, often the same surname.
  int NewRelative(Rng& rng, int of, int64_t at) {
    const Person& base = p_.persons[static_cast<size_t>(of)];
    const Region* home = &d_.regions.front();
    for (const Region& r : d_.regions) {
      if (r.code == base.district_code) home = &r;
    }
    const std::string surname = rng.Chance(0.5) ? SurnameOf(base.name) : PickSurname(rng);
    const std::string address = base.address;
    return NewPerson(rng, *home, address, &surname, at);
  }

  std::string SurnameOf(const std::string& name) {
    for (const std::string& s : d_.surnames) {
      if (name.starts_with(s)) return s;
    }
    return name.substr(0, 3);
  }

  // ------------------------------------------------------------ baskets

  Decimal RandomPrice(Rng& rng, const Product& p, int64_t max_jiao = INT64_MAX) {
    return FromJiao(rng.Int(p.price_min_jiao, std::min(p.price_max_jiao, max_jiao)));
  }

  static Decimal Total(const std::vector<Line>& lines) {
    Decimal sum = Fen(0);
    for (const Line& l : lines) sum += l.total;
    return sum;
  }

  static int64_t Jiao(const Decimal& d) {
    return static_cast<int64_t>((d * Decimal::FromInt(10)).Rescaled(0).units());
  }

  // Lines from `pool` whose goods value lies in [lo, hi] with at least
  // `min_units` units; an empty vector when the draw missed.
  std::vector<Line> TryBasket(Rng& rng, const std::vector<const Product*>& pool, const Decimal& lo,
                              const Decimal& hi, int min_units, bool large) {
    std::vector<double> weights;
    for (const Product* p : pool) weights.push_back(p->weight);
    std::vector<Line> lines;
    auto has = [&](const Product* p) {
      return std::any_of(lines.begin(), lines.end(), [&](const Line& l) { return l.product == p; });
    };
    auto set_qty = [](Line& l, int qty) {
      l.qty = qty;
      l.total = l.price * Decimal::FromInt(qty);
    };
    const size_t want_lines = std::min(pool.size(), rng.Weighted({0.55, 0.3, 0.15}) + 1);
    while (lines.size() < want_lines) {
      const Product* p = pool[rng.Weighted(weights)];
      if (has(p)) continue;
      Line l;
      l.product = p;
      l.price = RandomPrice(rng, *p);
      set_qty(l, static_cast<int>(rng.Int(1, rng.Int(1, p->max_qty))));
      lines.push_back(l);
    }
    // Too much: fewer units, then fewer lines, then a cheaper product.
    while (Total(lines) > hi) {
      auto most = std::max_element(lines.begin(), lines.end(),
                                   [](const Line& a, const Line& b) { return a.qty < b.qty; });
      if (most->qty > 1) {
        set_qty(*most, most->qty - 1);
      } else if (lines.size() > 1) {
        lines.erase(std::max_element(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
          return a.total < b.total;
        }));
      } else {
        const Product* cheapest =
            *std::min_element(pool.begin(), pool.end(), [](const Product* a, const Product* b) {
              return a->price_min_jiao < b->price_min_jiao;
            });
        if (lines.front().product == cheapest &&
            lines.front().price == FromJiao(cheapest->price_min_jiao))
          break;
        lines.front().product = cheapest;
        lines.front().price = FromJiao(cheapest->price_min_jiao);
        set_qty(lines.front(), 1);
      }
    }
    // Too little: one more unit of a line that still fits, or a new line.
    auto units = [&] {
      int u = 0;
      for (const Line& l : lines) u += l.qty;
      return u;
    };
    while (Total(lines) < lo || units() < min_units) {
      const int64_t room = Jiao(hi - Total(lines));
      std::vector<size_t> fits;
      for (size_t i = 0; i < lines.size(); ++i) {
        const int cap = large ? kLargeQtyCap : lines[i].product->max_qty;
        if (lines[i].qty < cap && Jiao(lines[i].price) <= room) fits.push_back(i);
      }
      if (!fits.empty()) {
        Line& l = lines[fits[rng.Index(fits.size())]];
        set_qty(l, l.qty + 1);
        continue;
      }
      std::vector<const Product*> fresh;
      for (const Product* p : pool) {
        if (!has(p) && p->price_min_jiao <= room) fresh.push_back(p);
      }
      if (fresh.empty() || lines.size() >= 99) return {};
      Line l;
      l.product = fresh[rng.Index(fresh.size())];
      l.price = RandomPrice(rng, *l.product, room);
      set_qty(l, 1);
      lines.push_back(l);
    }
    const Decimal total = Total(lines);
    if (total < lo || total > hi || units() < min_units) return {};
    return lines;
  }

  Result<std::vector<Line>> Basket(Rng& rng, const std::vector<const Product*>& pool,
                                   const Decimal& lo, const Decimal& hi, int min_units,
                                   bool large) {
    for (int attempt = 0; attempt < kBasketAttempts; ++attempt) {
      std::vector<Line> lines = TryBasket(rng, pool, lo, hi, min_units, large);
      if (!lines.empty()) return lines;
    }
    return Status::Internal(
        fmt::format("no basket of the products in [{}, {}] CNY", lo.ToString(2), hi.ToString(2)));
  }

  // Can `pool` reach `lo` CNY at minimum prices with large quantities?
  static bool CanReach(const std::vector<const Product*>& pool, const Decimal& lo) {
    Decimal max = Fen(0);
    for (const Product* p : pool)
      max += FromJiao(p->price_min_jiao) * Decimal::FromInt(kLargeQtyCap);
    return max >= lo;
  }

  // ------------------------------------------------------------ numbers

  bool IsRail(const Company& logistics) const { return logistics.traf_code == s_.traf_rail; }

  // The next number of a series (one per issuer and kind of number). A
  // series starts at a seed-dependent point of [lo, hi), as if issued by a
  // busy system, and counts up, so numbers are unique.
  uint64_t Next(const std::string& series, uint64_t lo, uint64_t hi) {
    auto it = counters_.find(series);
    if (it == counters_.end()) {
      Rng rng(StreamSeed({o_.seed, kCounterStream, HashString(series)}));
      it = counters_
               .emplace(series, static_cast<uint64_t>(rng.Int(static_cast<int64_t>(lo),
                                                              static_cast<int64_t>(hi) - 1)))
               .first;
    }
    return it->second++;
  }

  std::string OrderNumber(const OrderPlan& o) {
    const std::string& prefix = o.platform->prefix;  // an exporter's own shop has its own prefix
    return fmt::format("{}{}{:08}", prefix, Date8(o.t_order),
                       Next("order:" + o.platform->id, 10000000, 60000000));
  }

  std::string ImportCopNo(const Company& agent) {
    return fmt::format("{}{:010X}", agent.code,
                       Next("cop:" + agent.id, 0x1000000000, 0x7000000000));
  }

  // The number customs will give the list: 4-digit office, 4-digit year,
  // I/E, 9-digit serial (ceb-messages.md §4). The generator predicts it so
  // revocations, returns and summaries can name the list.
  std::string InvtNo(bool is_import, int64_t declared) {
    return fmt::format("{}{:04}{}{:09}", s_.customs_code, Timestamp::FromMillis(declared).year(),
                       is_import ? "I" : "E",
                       Next(is_import ? "invt:I" : "invt:E", 100000000, 500000000));
  }

  // A UPU S10 parcel number: 2 letters, 8 digits, check digit, "CN".
  std::string S10(const std::string& letters, uint64_t serial) {
    static constexpr int kWeights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    const std::string digits = fmt::format("{:08}", serial % 100000000);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * kWeights[i];
    int check = 11 - sum % 11;
    if (check == 10) check = 0;
    if (check == 11) check = 5;
    return fmt::format("{}{}{}CN", letters, digits, check);
  }

  std::string ExportWaybillNumber(const Company& logistics) {
    // One service indicator per exporting logistics firm: LA, LB, ...
    const size_t at = static_cast<size_t>(
        std::find(export_carriers_.begin(), export_carriers_.end(), &logistics) -
        export_carriers_.begin());
    const std::string letters = {'L', static_cast<char>('A' + static_cast<int>(at % 26))};
    return S10(letters, Next("waybill:" + logistics.id, 10000000, 80000000));
  }

  std::string ImportWaybillNumber(const Company& logistics) {
    if (logistics.role == "import-bonded-logistics") {
      return fmt::format("{}{:013}", logistics.prefix,
                         Next("waybill:" + logistics.id, 1000000000000, 8000000000000));
    }
    // The air courier's express numbers: 13 digits starting with 9.
    return fmt::format("9{:012}", Next("waybill:" + logistics.id, 100000000000, 800000000000));
  }

  // ------------------------------------------------------------ orders

  Status Fill(OrderPlan& o) {
    Rng rng(StreamSeed({o_.seed, kOrderStream, o.index}));
    return o.flow == Flow::kExport ? FillExport(o, rng) : FillImport(o, rng);
  }

  Status FillExport(OrderPlan& o, Rng& rng) {
    o.ebc = exporters_[rng.Weighted(exporter_weights_)];
    o.platform = o.ebc->platform ? o.ebc->platform : o.ebc;
    o.agent = o.ebc->agent;
    o.payment = o.ebc->payment;
    o.foreign = &d_.foreign_buyers[rng.Weighted(foreign_weights_)];
    std::vector<const Company*> carriers;
    for (const Company* c : export_carriers_) {
      if (c->traf_code == o.foreign->traf_code) carriers.push_back(c);
    }
    if (carriers.empty()) carriers = export_carriers_;
    o.logistics = carriers[rng.Index(carriers.size())];

    Result<std::vector<Line>> lines =
        Basket(rng, export_by_seller_[o.ebc], Fen(0), s_.single_limit, 1, false);
    if (!lines.ok()) return lines.status();
    o.lines = std::move(lines.value());
    o.goods_value = Total(o.lines);
    Weigh(o, rng);
    // International shipping: a base fee plus a rate per kg (air dearer than rail).
    const bool air = !IsRail(*o.logistics);
    const Decimal per_kg = air ? Decimal::FromInt(45) : Decimal::FromInt(18);
    const Decimal base = air ? Decimal::FromInt(28) : Decimal::FromInt(15);
    o.freight = (base + per_kg * o.gross_kg).Rescaled(2);
    o.insured_fee = Fen(0);
    if (rng.Chance(s_.export_insured_share)) {
      o.insured_fee = std::max(Fen(100), (o.goods_value * Decimal::FromUnits(3, 3)).Rescaled(2));
    }
    o.has_receipt = rng.Chance(s_.export_receipt_share);
    o.summary = rng.Chance(s_.export_summary_share);

    // Times (bounds: t_order <= 17:00, receipt <= +50 min, waybill <= +150
    // min, list <= +40 min, so every list is declared by 21:00, before the
    // evening arrival at 21:15).
    o.t_pay_time = o.t_order + rng.Int(1, 30) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_payment = o.t_pay_time + rng.Int(1, 20) * kMinute + rng.Int(0, 59) * kSecond;
    const int64_t before_waybill = o.has_receipt ? o.t_payment : o.t_order;
    o.t_waybill = before_waybill + rng.Int(30, 149) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_inventory = o.t_waybill + rng.Int(5, 39) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_revocation = o.t_inventory + rng.Int(2, 13) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_return = ReturnTime(o, rng, true);

    o.order_no = OrderNumber(o);
    o.logistics_no = ExportWaybillNumber(*o.logistics);
    o.pay_no = fmt::format("{}{}{:010}", o.payment->prefix, Date8(o.t_pay_time),
                           Next("pay:" + o.payment->id, 1000000000, 8000000000));
    o.cop_no = fmt::format("{}{}{:08}", o.agent->code, Date8(o.t_inventory),
                           Next("cop:E:" + o.agent->id, 100000, 5000000));
    o.invt_no = InvtNo(false, o.t_inventory);
    o.payment_amount = (o.goods_value + o.freight).ToString(2);

    if (o.fault) DRYPORT_RETURN_IF_ERROR(ShapeFault(o, rng));
    return Status::Ok();
  }

  // Import: the platform, its e-commerce enterprise, payment company and
  // broker; the basket; the consumer; amounts and tax; times; keys.
  Status FillImport(OrderPlan& o, Rng& rng) {
    o.platform = import_platforms_[rng.Index(import_platforms_.size())];
    o.ebc = o.platform->ebcs[rng.Index(o.platform->ebcs.size())];
    o.payment = o.platform->payments[rng.Index(o.platform->payments.size())];
    o.agent = o.platform->agent;
    const bool direct = o.flow == Flow::kImportDirect;
    o.logistics = direct ? direct_carrier_ : bonded_carrier_;
    if (!direct) o.zone = zone_;

    const bool over_single = o.fault == FaultKind::kOverSingleLimit;
    const bool in_scenario = o.scenario >= 0;
    std::vector<const Product*> pool;
    Decimal lo = Fen(0), hi = s_.clean_basket_max;
    int min_units = 1;
    if (over_single) {
      // Clearly over the limit, and more than one unit so the exception for
      // a single indivisible item (customs-rules.md §2) does not apply.
      lo = s_.single_limit + Decimal::FromInt(300);
      hi = s_.single_limit + Decimal::FromInt(4000);
      min_units = 2;
    } else if (in_scenario) {
      Scenario& sc = scenarios_[static_cast<size_t>(o.scenario)];
      if (!o.scenario_trigger) {
        // Six orders of 3,680-3,900 CNY at 9.1% tax: 22,080-23,400 of goods,
        // at most 25,529 paid: under the annual limit by any measure.
        lo = Decimal::FromInt(3680);
        hi = Decimal::FromInt(3900);
      } else {
        // The order whose goods value pushes the buyer's total over the limit,
        // itself under the single limit (4,500 + 9.1% < 5,000).
        lo = std::max(Decimal::FromInt(2000),
                      s_.annual_limit - sc.prior_goods + Decimal::FromInt(150));
        hi = Decimal::FromInt(4500);
        if (lo > hi)
          return Status::Internal("annual-limit scenario: the earlier orders are too small");
      }
    }
    const bool large = over_single || in_scenario;
    if (direct) {
      // A direct purchase ships from one country: draw the origin first.
      std::vector<std::string> origins;
      for (const auto& [origin, products] : direct_by_origin_) {
        std::vector<const Product*> usable = Usable(products, in_scenario);
        if (!usable.empty() && (!large || CanReach(usable, lo))) origins.push_back(origin);
      }
      if (origins.empty())
        return Status::Internal("no origin country can fill a direct-purchase basket");
      o.origin_code = origins[rng.Index(origins.size())];
      pool = Usable(direct_by_origin_[o.origin_code], in_scenario);
    } else {
      o.origin_code = s_.home_country;
      pool = Usable(bonded_, in_scenario);
    }
    Result<std::vector<Line>> lines = Basket(rng, pool, lo, hi, min_units, large);
    if (!lines.ok()) return lines.status();
    o.lines = std::move(lines.value());
    o.goods_value = Total(o.lines);
    Weigh(o, rng);

    // Freight and discount only for everyday orders: the limit scenarios
    // keep their arithmetic plain.
    o.freight = Fen(0);
    o.discount = Fen(0);
    o.insured_fee = Fen(0);
    if (!large) {
      if (!rng.Chance(s_.import_free_freight_share)) o.freight = FromJiao(rng.Int(8, 25) * 10);
      if (rng.Chance(s_.import_discount_share)) {
        const int64_t max_coupon =
            std::max<int64_t>(1, Jiao(o.goods_value) / 50 / 5);  // at most 20% of the goods
        o.discount = FromJiao(std::min<int64_t>(rng.Int(1, 10), max_coupon) * 50);
      }
    }
    std::vector<TaxLineInput> tax_in;
    for (const Line& l : o.lines) tax_in.push_back({l.total, l.product->consumption_rate});
    o.tax = ComputeImportTax(tax_in, o.freight, {s_.vat_rate, s_.tax_factor});
    o.tax_total = o.tax.total;
    o.actural_paid = (o.goods_value + o.freight + o.tax_total - o.discount).Rescaled(2);
    if (!over_single && o.actural_paid > s_.single_limit) {
      return Status::Internal("clean_basket_max lets an order exceed single_limit");
    }

    // Times (bounds: t_order <= 17:00; payment <= +12 min; waybill <= +120
    // min; list <= +45 min: every list by 20:00).
    o.t_pay_time = o.t_order + rng.Int(20, 600) * kSecond;
    o.t_payment = o.t_pay_time + rng.Int(5, 120) * kSecond;
    o.t_waybill = o.t_payment + rng.Int(10, 119) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_inventory = o.t_waybill + rng.Int(2, 44) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_revocation = o.t_inventory + rng.Int(10, 89) * kMinute + rng.Int(0, 59) * kSecond;
    o.t_return = ReturnTime(o, rng, false);

    // The consumer.
    BuyerFor(o, rng);
    o.consignee =
        rng.Chance(s_.consignee_other_share) ? NewRelative(rng, o.buyer, o.t_order) : o.buyer;
    o.payer = o.buyer;
    o.buyer_reg_no = fmt::format(
        "{}_{:010}", Lower(o.platform->prefix),
        Mix64(o_.seed ^ Mix64(static_cast<uint64_t>(o.buyer)) ^ HashString(o.platform->id)) %
            10000000000ull);

    o.order_no = OrderNumber(o);
    o.logistics_no = ImportWaybillNumber(*o.logistics);
    o.pay_no = fmt::format("{}{}{:016}", o.payment->prefix, Date8(o.t_pay_time),
                           Next("pay:" + o.payment->id, 1000000000000000, 8000000000000000));
    o.cop_no = ImportCopNo(*o.agent);
    o.invt_no = InvtNo(true, o.t_inventory);
    if (direct) {
      const auto& [bill, voyage] = DirectFlight(o.day, o.origin_code);
      o.bill_no = bill;
      o.voyage_no = voyage;
    }
    o.payment_amount = o.actural_paid.ToString(2);

    if (in_scenario) {
      Scenario& sc = scenarios_[static_cast<size_t>(o.scenario)];
      if (!o.scenario_trigger) {
        sc.prior_goods += o.goods_value;
        sc.prior_paid += o.actural_paid;
        if (sc.prior_paid > s_.annual_limit)
          return Status::Internal("annual-limit scenario too large");
      } else if (sc.prior_goods + o.goods_value <= s_.annual_limit) {
        return Status::Internal("annual-limit scenario does not cross the limit");
      }
    }
    if (o.fault) DRYPORT_RETURN_IF_ERROR(ShapeFault(o, rng));
    return Status::Ok();
  }

  // Scenario orders use products without consumption tax, so the tax of
  // their goods is 9.1% and the arithmetic of the limit holds (see above).
  static std::vector<const Product*> Usable(const std::vector<const Product*>& products,
                                            bool plain_tax_only) {
    std::vector<const Product*> out;
    for (const Product* p : products) {
      if (!plain_tax_only || p->consumption_rate.IsZero()) out.push_back(p);
    }
    return out;
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  // Net weight = sum of the units' net weights; gross adds the parcel.
  void Weigh(OrderPlan& o, Rng& rng) {
    o.net_kg = Decimal();
    o.gross_kg = Decimal();
    for (const Line& l : o.lines) {
      o.net_kg += l.product->net_kg * Decimal::FromInt(l.qty);
      o.gross_kg += l.product->gross_kg * Decimal::FromInt(l.qty);
    }
    o.gross_kg += Fen(rng.Int(10, 40));
    o.net_kg = o.net_kg.Normalized();
    o.gross_kg = o.gross_kg.Normalized();
  }

  // The buyer: a returning consumer whose orders stay well under the annual
  // limit, or a new one. Scenario orders share their scenario's buyer.
  void BuyerFor(OrderPlan& o, Rng& rng) {
    const Decimal spend = o.goods_value + o.freight + o.tax_total;
    if (o.scenario >= 0) {
      Scenario& sc = scenarios_[static_cast<size_t>(o.scenario)];
      if (sc.person < 0) sc.person = NewConsumer(rng, o.t_order);
      o.buyer = sc.person;
      return;
    }
    // Orders rejected for the buyer's own limits get a buyer of their own.
    const bool plain = !o.fault || (*o.fault != FaultKind::kOverSingleLimit);
    if (plain && !repeat_buyers_.empty() && rng.Chance(s_.repeat_buyer_share)) {
      const int candidate = repeat_buyers_[rng.Index(repeat_buyers_.size())];
      BuyerState& state = buyer_state_[candidate];
      if (state.total + spend <= s_.clean_buyer_cap) {
        state.total += spend;
        o.buyer = candidate;
        return;
      }
    }
    o.buyer = NewConsumer(rng, o.t_order);
    if (plain) {
      buyer_state_[o.buyer].total = spend;
      repeat_buyers_.push_back(o.buyer);
    }
  }

  // The consolidated inbound flight of the day from a country: master air
  // waybill and flight number, shared by that day's parcels.
  const std::pair<std::string, std::string>& DirectFlight(int day, const std::string& origin) {
    auto key = std::make_pair(day, origin);
    auto it = flights_.find(key);
    if (it != flights_.end()) return it->second;
    const Company& carrier = *direct_carrier_;
    Rng rng(StreamSeed({o_.seed, kBatchStream, static_cast<uint64_t>(day), HashString(origin), 1}));
    std::string bill =
        AirWaybillNumber(carrier.prefix, static_cast<uint32_t>(rng.Int(1000000, 9999999)));
    std::string voyage = fmt::format("{}{}", carrier.voyage_prefix, rng.Int(801, 999));
    return flights_.emplace(key, std::make_pair(std::move(bill), std::move(voyage))).first->second;
  }

  // A return: on a later day of the period when there is one (within a week),
  // else late on the same day, after the list was released (and, for an
  // export, after departure and the day's summary at 23:45-23:49).
  int64_t ReturnTime(const OrderPlan& o, Rng& rng, bool is_export) {
    const int last = o_.days - 1;
    if (o.day < last) {
      const int later = o.day + static_cast<int>(rng.Int(1, std::min(7, last - o.day)));
      return p_.day0 + later * kDay + rng.Int(9 * 3600, 20 * 3600) * kSecond;
    }
    if (is_export)
      return p_.day0 + o.day * kDay + (23 * 3600 + 52 * 60) * kSecond + rng.Int(0, 419) * kSecond;
    return o.t_inventory + rng.Int(120, 179) * kMinute + rng.Int(0, 59) * kSecond;
  }

  // ------------------------------------------------------------ faults, per order

  std::vector<Doc> SentDocs(const OrderPlan& o) const {
    std::vector<Doc> docs = {Doc::kOrder};
    if (o.flow != Flow::kExport || o.has_receipt) docs.push_back(Doc::kPayment);
    docs.push_back(Doc::kWaybill);
    docs.push_back(Doc::kInventory);
    return docs;
  }

  Status ShapeFault(OrderPlan& o, Rng& rng) {
    switch (*o.fault) {
      case FaultKind::kAmountMismatch: {
        o.fault_doc = Doc::kPayment;
        Decimal paid;
        if (o.tax_total.IsZero() || rng.Chance(0.3)) {
          o.variant = 1;  // a different amount: the payment system's rounding or a stale cart
          paid = o.actural_paid + FromJiao(rng.Int(1, 500));
        } else {
          o.variant = 0;  // the payment left out the tax collected in advance
          paid = o.actural_paid - o.tax_total;
        }
        o.payment_amount = paid.ToString(2);
        o.fault_detail = fmt::format("amountPaid {} != acturalPaid {}", o.payment_amount,
                                     o.actural_paid.ToString(2));
        break;
      }
      case FaultKind::kBuyerPayerMismatch: {
        o.fault_doc = Doc::kPayment;
        const int relative = NewRelative(rng, o.buyer, o.t_order);
        if (rng.Chance(0.3)) {
          o.variant = 1;  // the buyer's name, somebody else's identity number
          Person payer = p_.persons[static_cast<size_t>(relative)];
          payer.name = p_.persons[static_cast<size_t>(o.buyer)].name;
          p_.persons.push_back(payer);
          o.payer = static_cast<int>(p_.persons.size()) - 1;
        } else {
          o.variant = 0;  // a family member paid
          o.payer = relative;
        }
        const Person& payer = p_.persons[static_cast<size_t>(o.payer)];
        const Person& buyer = p_.persons[static_cast<size_t>(o.buyer)];
        o.fault_detail = fmt::format("payer {} {} != buyer {} {}", payer.name, payer.id_number,
                                     buyer.name, buyer.id_number);
        break;
      }
      case FaultKind::kOverSingleLimit:
        o.fault_doc = Doc::kOrder;
        o.fault_detail = fmt::format("goodsValue {} + freight {} > {} per transaction",
                                     o.goods_value.ToString(2), o.freight.ToString(2),
                                     s_.single_limit.ToString(0));
        break;
      case FaultKind::kOverAnnualLimit: {
        o.fault_doc = Doc::kOrder;
        const Scenario& sc = scenarios_[static_cast<size_t>(o.scenario)];
        o.fault_detail =
            fmt::format("buyer {} reaches {} CNY of goods this year ({} earlier orders: {}) > {}",
                        p_.persons[static_cast<size_t>(o.buyer)].id_number,
                        (sc.prior_goods + o.goods_value).ToString(2), sc.priors.size(),
                        sc.prior_goods.ToString(2), s_.annual_limit.ToString(0));
        break;
      }
      case FaultKind::kMissingDocument:
        o.variant = o.flow == Flow::kExport ? 1 : static_cast<int>(rng.Int(0, 1));
        o.fault_doc = o.variant == 0 ? Doc::kPayment : Doc::kWaybill;
        o.fault_detail =
            o.variant == 0 ? "the payment (CEB411) is never sent" : "the waybill is never sent";
        break;
      case FaultKind::kDuplicate: {
        o.variant = static_cast<int>(rng.Int(0, 1));
        if (o.variant == 0) {
          const std::vector<Doc> docs = SentDocs(o);
          o.fault_doc = docs[rng.Index(docs.size())];
          o.fault_detail = "the same file is sent twice";
        } else {
          o.fault_doc = rng.Chance(0.5) ? Doc::kOrder : Doc::kInventory;
          o.fault_detail = "the same business key is declared again with a new guid";
        }
        break;
      }
      case FaultKind::kOutOfOrder:
        o.fault_doc = Doc::kInventory;
        o.fault_detail = "the list is sent before its order, payment and waybill";
        break;
      case FaultKind::kRevocation:
        o.fault_doc = Doc::kRevocation;
        o.reason_text = s_.revocation_reasons[rng.Index(s_.revocation_reasons.size())];
        o.fault_detail = "the list is revoked: " + o.reason_text;
        break;
      case FaultKind::kReturn: {
        o.fault_doc = Doc::kReturn;
        const std::vector<std::string>& reasons =
            o.flow == Flow::kExport ? s_.export_return_reasons : s_.return_reasons;
        o.reason_text = reasons[rng.Index(reasons.size())];
        // Import returns may be partial (customs-rules.md §2): the first k
        // lines (so the returned gnums stay 1..k, matching the list's), some
        // with fewer units. An export parcel comes back whole.
        const size_t k =
            o.flow == Flow::kExport
                ? o.lines.size()
                : static_cast<size_t>(rng.Int(1, static_cast<int64_t>(o.lines.size())));
        for (size_t i = 0; i < k; ++i) {
          o.returned_lines.push_back(static_cast<int>(i));
          const int qty = o.lines[i].qty;
          o.returned_qty.push_back(o.flow == Flow::kExport ? qty
                                                           : static_cast<int>(rng.Int(1, qty)));
        }
        if (o.flow == Flow::kExport) {
          // The parcel comes back on its carrier's next service.
          o.return_cop_no = fmt::format("{}R{}{:06}", o.agent->code, Date8(o.t_return),
                                        Next("return:" + o.agent->id, 100000, 500000));
          o.return_bill_no =
              IsRail(*o.logistics)
                  ? fmt::format("{}{}R{}", o.logistics->prefix, Date8(o.t_return), rng.Int(1, 9))
                  : AirWaybillNumber(o.logistics->prefix,
                                     static_cast<uint32_t>(rng.Int(1000000, 9999999)));
          o.return_voyage_no =
              fmt::format("{}{}", o.logistics->voyage_prefix,
                          IsRail(*o.logistics) ? rng.Int(8001, 8999) : rng.Int(6001, 6999));
        }
        o.fault_detail = "goods returned after release: " + o.reason_text;
        break;
      }
      case FaultKind::kMalformedXml: {
        const std::vector<Doc> docs = SentDocs(o);
        o.fault_doc = docs[rng.Index(docs.size())];
        o.variant = rng.Chance(0.6) ? 0 : 1;
        o.fault_detail =
            o.variant == 0 ? "the file is truncated" : "an end tag does not match its start tag";
        break;
      }
      case FaultKind::kWrongCode: {
        o.fault_doc = rng.Chance(0.5) ? Doc::kOrder : Doc::kInventory;
        // The field: 0 an item's country, 1 an item's unit, 2 the currency.
        // An export order line has no country; import currency is fixed to
        // 142 by the XSD itself, so a wrong one would fail the XSD too.
        if (o.flow == Flow::kExport) {
          o.variant = static_cast<int>(rng.Int(o.fault_doc == Doc::kOrder ? 1 : 0, 2));
        } else {
          o.variant = static_cast<int>(rng.Int(0, 1));
        }
        const std::vector<std::string>& wrong = o.variant == 0   ? s_.wrong_country
                                                : o.variant == 1 ? s_.wrong_unit
                                                                 : s_.wrong_currency;
        if (wrong.empty())
          return Status::InvalidArgument("data/traffic/settings.csv: no wrong codes to inject");
        o.wrong_code = wrong[rng.Index(wrong.size())];
        break;
      }
    }
    return Status::Ok();
  }

  // The expected clearance outcome (customs-rules.md §2-3, ceb-messages.md §6, §8).
  void Decide(OrderPlan& o) {
    Expected& e = o.expected;
    e = {Outcome::kReleased, "2600", "[Code:2600;Desc:放行]"};
    if (!o.fault) return;
    switch (*o.fault) {
      case FaultKind::kAmountMismatch:
        // The reference names no receipt code for this check.
        e = {Outcome::kRejected, "match.amount-paid", "订单实际支付金额与支付单支付金额不一致"};
        break;
      case FaultKind::kBuyerPayerMismatch:
        e = {Outcome::kRejected, "1327",
             "[Code:1327;Desc:订单购买人与支付单支付人名字或身份证号码不一致]"};
        break;
      case FaultKind::kOverSingleLimit:
        e = {Outcome::kRejected, "-621005", "超过跨境电商单次交易限值 (E-Port -621005)"};
        break;
      case FaultKind::kOverAnnualLimit:
        e = {Outcome::kRejected, "1313", "[Code:1313;Desc:订购人购买超过年度限额]"};
        break;
      case FaultKind::kMissingDocument:
        e = {Outcome::kPending, o.variant == 0 ? "match.missing-payment" : "match.missing-waybill",
             o.variant == 0 ? "支付单未到：清单等待三单对碰，超过对碰时限后退单"
                            : "运单未到：清单等待对碰，超过对碰时限后退单"};
        break;
      case FaultKind::kDuplicate:
      case FaultKind::kOutOfOrder:
        break;  // the order itself clears
      case FaultKind::kRevocation:
        e = {Outcome::kRevoked, "2300",
             "[Code:2300;Desc:审核通过,撤单申请审核通过,清单已成功撤单]"};
        break;
      case FaultKind::kReturn:
        e = {Outcome::kReturned, "return.approved", "退货申请审核通过 (399)"};
        break;
      case FaultKind::kMalformedXml:
        e = {Outcome::kInvalid, "CEB900", "报文格式校验错误: " + o.fault_detail};
        break;
      case FaultKind::kWrongCode: {
        static constexpr std::string_view kFields[] = {"country", "unit", "currency"};
        e = {Outcome::kRejected, "schema.code",
             fmt::format("{} '{}' 不在海关参数表中", kFields[o.variant], o.wrong_code)};
        o.fault_detail =
            fmt::format("{} '{}' is not in data/codes", kFields[o.variant], o.wrong_code);
        break;
      }
    }
  }

  // ------------------------------------------------------------ export batches

  static bool ClearsExport(const OrderPlan& o) {
    return o.flow == Flow::kExport &&
           (o.expected.outcome == Outcome::kReleased || o.expected.outcome == Outcome::kReturned);
  }

  // One truck to the supervised site per carrier and half-day: the morning
  // lists (declared before 12:00) arrive at 12:30 and leave at 15:30, the
  // rest at 21:15 and 22:45. The day's statisticsFlag-B lists are summarised
  // per exporter at 23:45.
  void BuildBatches() {
    std::map<std::tuple<int, int, std::string>, int> arrival_of;
    std::map<std::pair<int, std::string>, int> summary_of;
    const Company* site = d_.WithRole("site-operator").front();
    for (OrderPlan& o : p_.orders) {
      if (!ClearsExport(o)) continue;
      const int64_t midday = p_.day0 + o.day * kDay + 12 * kHour;
      const int slot = o.t_inventory < midday ? 0 : 1;
      const auto key = std::make_tuple(o.day, slot, o.logistics->id);
      auto it = arrival_of.find(key);
      if (it == arrival_of.end()) {
        ArrivalBatch b;
        b.day = o.day;
        b.slot = slot;
        b.logistics = o.logistics;
        Rng rng(StreamSeed({o_.seed, kBatchStream, static_cast<uint64_t>(o.day),
                            static_cast<uint64_t>(slot), HashString(o.logistics->id), 2}));
        const int64_t day_start = p_.day0 + o.day * kDay;
        b.t_arrival = day_start +
                      (slot == 0 ? 12 * kHour + 30 * kMinute : 21 * kHour + 15 * kMinute) +
                      rng.Int(0, 20 * 60) * kSecond;
        b.t_departure = day_start +
                        (slot == 0 ? 15 * kHour + 30 * kMinute : 22 * kHour + 45 * kMinute) +
                        rng.Int(0, 20 * 60) * kSecond;
        if (IsRail(*o.logistics)) {
          b.bill_no = fmt::format("{}{}{:02}", o.logistics->prefix, Date8(day_start), slot + 1);
          b.voyage_no = fmt::format("{}{}", o.logistics->voyage_prefix, rng.Int(8001, 8999));
          b.traf_name = "中欧班列";
        } else {
          b.bill_no = AirWaybillNumber(o.logistics->prefix,
                                       static_cast<uint32_t>(rng.Int(1000000, 9999999)));
          b.voyage_no = fmt::format("{}{}", o.logistics->voyage_prefix, rng.Int(6001, 6999));
          b.traf_name = fmt::format("B-{}", rng.Int(1000, 9999));  // aircraft registration
        }
        static constexpr std::string_view kPlateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        b.plate = fmt::format("晋A{}{:04}", kPlateLetters[rng.Index(kPlateLetters.size())],
                              rng.Int(0, 9999));
        const std::string date = Date8(day_start);
        b.arrival_cop_no =
            fmt::format("{}A{}{:04}", site->code, date, Next("arrival:" + date, 1, 2));
        b.departure_cop_no = fmt::format("{}D{}{:04}", o.logistics->code, date,
                                         Next("departure:" + o.logistics->id + date, 1, 2));
        p_.arrivals.push_back(std::move(b));
        it = arrival_of.emplace(key, static_cast<int>(p_.arrivals.size()) - 1).first;
      }
      ArrivalBatch& batch = p_.arrivals[static_cast<size_t>(it->second)];
      batch.orders.push_back(o.index);
      o.arrival_batch = it->second;
      o.bill_no = batch.bill_no;
      o.voyage_no = batch.voyage_no;
    }
    for (ArrivalBatch& b : p_.arrivals)
      b.parts = static_cast<int>((b.orders.size() + kBatchPartSize - 1) / kBatchPartSize);

    for (OrderPlan& o : p_.orders) {
      if (!ClearsExport(o) || !o.summary) continue;
      const auto key = std::make_pair(o.day, o.ebc->id);
      auto it = summary_of.find(key);
      if (it == summary_of.end()) {
        SummaryBatch b;
        b.day = o.day;
        b.ebc = o.ebc;
        b.agent = o.ebc->agent;
        Rng rng(StreamSeed(
            {o_.seed, kBatchStream, static_cast<uint64_t>(o.day), HashString(o.ebc->id), 3}));
        const int64_t day_start = p_.day0 + o.day * kDay;
        b.t = day_start + 23 * kHour + 45 * kMinute + rng.Int(0, 240) * kSecond;
        b.by_range = rng.Chance(s_.summary_by_range_share);
        b.range_start = day_start;
        b.range_end = b.t - kMinute;
        const std::string date = Date8(day_start);
        b.cop_no = fmt::format("{}S{}{:04}", b.agent->code, date,
                               Next("summary:" + b.agent->id + date, 1, 2));
        p_.summaries.push_back(std::move(b));
        it = summary_of.emplace(key, static_cast<int>(p_.summaries.size()) - 1).first;
      }
      p_.summaries[static_cast<size_t>(it->second)].orders.push_back(o.index);
      o.summary_batch = it->second;
    }
    for (SummaryBatch& b : p_.summaries) {
      b.parts = b.by_range
                    ? 1
                    : static_cast<int>((b.orders.size() + kBatchPartSize - 1) / kBatchPartSize);
    }
    // Export lists not on a truck (rejected, revoked, pending) still name the
    // day's bill of their carrier: the broker declares it in advance.
    for (OrderPlan& o : p_.orders) {
      if (o.flow != Flow::kExport || o.arrival_batch >= 0) continue;
      Rng rng(StreamSeed({o_.seed, kBatchStream, o.index, 4}));
      const bool rail = IsRail(*o.logistics);
      o.bill_no = rail ? fmt::format("{}{}{:02}", o.logistics->prefix, Date8(o.t_order), 2)
                       : AirWaybillNumber(o.logistics->prefix,
                                          static_cast<uint32_t>(rng.Int(1000000, 9999999)));
      o.voyage_no = fmt::format("{}{}", o.logistics->voyage_prefix,
                                rng.Int(rail ? 8001 : 6001, rail ? 8999 : 6999));
    }
  }

  // ------------------------------------------------------------ send order

  void Add(int64_t key, EventKind kind, Doc doc, uint32_t ref, uint32_t part, int64_t time) {
    Event e;
    e.key = key;
    e.seq = static_cast<uint32_t>(p_.events.size());
    e.kind = kind;
    e.doc = doc;
    e.ref = ref;
    e.part = part;
    e.time = time;
    p_.events.push_back(e);
  }

  static int64_t DocTime(const OrderPlan& o, Doc doc) {
    switch (doc) {
      case Doc::kOrder:
        return o.t_order;
      case Doc::kPayment:
        return o.t_payment;
      case Doc::kWaybill:
        return o.t_waybill;
      case Doc::kInventory:
        return o.t_inventory;
      case Doc::kRevocation:
        return o.t_revocation;
      case Doc::kReturn:
        return o.t_return;
    }
    return o.t_order;
  }

  void BuildEvents() {
    for (const OrderPlan& o : p_.orders) {
      Rng rng(StreamSeed({o_.seed, kOrderStream, o.index, 9}));
      const FaultKind fault = o.fault.value_or(FaultKind::kAmountMismatch);
      const bool has_fault = o.fault.has_value();
      for (Doc doc : SentDocs(o)) {
        if (has_fault && fault == FaultKind::kMissingDocument && doc == o.fault_doc) continue;
        int64_t key = DocTime(o, doc);
        if (has_fault && fault == FaultKind::kOutOfOrder && doc == Doc::kInventory) {
          key = o.t_order - rng.Int(1, 600) * kSecond;
        }
        Add(key, EventKind::kDoc, doc, o.index, 0, DocTime(o, doc));
      }
      if (has_fault && fault == FaultKind::kRevocation) {
        Add(o.t_revocation, EventKind::kDoc, Doc::kRevocation, o.index, 0, o.t_revocation);
      }
      if (has_fault && fault == FaultKind::kReturn) {
        Add(o.t_return, EventKind::kDoc, Doc::kReturn, o.index, 0, o.t_return);
      }
      if (has_fault && fault == FaultKind::kDuplicate) {
        const int64_t original = DocTime(o, o.fault_doc);
        if (o.variant == 0) {
          const int64_t at = original + rng.Int(30, 1200) * kSecond;
          Add(at, EventKind::kResend, o.fault_doc, o.index, 0, original);
        } else {
          const int64_t at = original + rng.Int(5, 60) * kMinute;
          Add(at, EventKind::kNewGuid, o.fault_doc, o.index, 0, at);
        }
      }
    }
    for (size_t b = 0; b < p_.arrivals.size(); ++b) {
      const ArrivalBatch& batch = p_.arrivals[b];
      for (int part = 0; part < batch.parts; ++part) {
        Add(batch.t_arrival, EventKind::kArrival, Doc::kOrder, static_cast<uint32_t>(b),
            static_cast<uint32_t>(part), batch.t_arrival);
      }
      for (int part = 0; part < batch.parts; ++part) {
        Add(batch.t_departure, EventKind::kDeparture, Doc::kOrder, static_cast<uint32_t>(b),
            static_cast<uint32_t>(part), batch.t_departure);
      }
    }
    for (size_t b = 0; b < p_.summaries.size(); ++b) {
      const SummaryBatch& batch = p_.summaries[b];
      for (int part = 0; part < batch.parts; ++part) {
        Add(batch.t, EventKind::kSummary, Doc::kOrder, static_cast<uint32_t>(b),
            static_cast<uint32_t>(part), batch.t);
      }
    }
    std::sort(p_.events.begin(), p_.events.end(), [](const Event& a, const Event& b) {
      return std::tie(a.key, a.seq) < std::tie(b.key, b.seq);
    });
  }

  const GenOptions& o_;
  const TrafficData& d_;
  const Settings& s_;
  Plan& p_;
  Rng rng_;
  std::map<const Company*, std::vector<const Product*>> export_by_seller_;
  std::vector<const Company*> exporters_, export_carriers_, import_platforms_;
  const Company* direct_carrier_ = nullptr;
  const Company* bonded_carrier_ = nullptr;
  const Company* zone_ = nullptr;
  std::vector<double> exporter_weights_, foreign_weights_;
  std::map<std::string, std::vector<const Product*>> direct_by_origin_;
  std::vector<const Product*> bonded_;
  std::vector<double> region_weights_;
  std::vector<Scenario> scenarios_;
  std::map<int, BuyerState> buyer_state_;
  std::vector<int> repeat_buyers_;
  std::map<std::pair<int, std::string>, std::pair<std::string, std::string>> flights_;
  std::map<std::string, uint64_t> counters_;
};

}  // namespace

Status BuildPlan(const GenOptions& options, const TrafficData& data, Plan& plan) {
  plan = Plan();
  return Planner(options, data, plan).Run();
}

}  // namespace dryport::traffic::internal
