#include "freight/assignment.h"

#include <fmt/format.h>

#include <algorithm>
#include <time.h>

#include <chrono>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/csv.h"
#include "freight/internal/min_cost_flow.h"

namespace dryport::freight {

std::string_view UnassignedReasonText(UnassignedReason r) {
  switch (r) {
    case UnassignedReason::kNoPath: return "no path";
    case UnassignedReason::kNoPathBeforeDeadline: return "no path before the deadline";
    case UnassignedReason::kNoCapacityBeforeDeadline: return "no capacity before the deadline";
  }
  return "?";
}

int64_t GapMicros(const PlanResult& plan) {
  return plan.bound.solved ? plan.totals.objective_micros - plan.bound.objective_micros : 0;
}

double GapRatio(const PlanResult& plan) {
  if (!plan.bound.solved) return 0;
  int64_t base = plan.bound.objective_micros;
  if (plan.totals.unassigned_cteu == plan.bound.unmet_cteu) {
    // Same volume out: compare transport with the bound's transport part.
    base = plan.bound.objective_micros - plan.totals.objective_micros + plan.totals.transport_micros;
  }
  return base <= 0 ? 0 : static_cast<double>(GapMicros(plan)) / static_cast<double>(base);
}

// ---- Shipments CSV ----------------------------------------------------------

Result<std::vector<Shipment>> ReadShipmentsCsv(const Network& net, std::string_view text, std::string_view name) {
  auto rows = ParseCsv(text, name);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::InvalidArgument(fmt::format("{}: empty file", name));
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < (*rows)[0].fields.size(); ++i) {
    std::string h = (*rows)[0].fields[i];
    for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    col[h] = i;
  }
  for (const char* required : {"id", "from", "to", "ready"}) {
    if (!col.count(required)) {
      return Status::InvalidArgument(
          fmt::format("{}:1: column '{}' is missing (id,from,to,ready,deadline,teu,feu,m3,kg)", name, required));
    }
  }
  std::vector<std::string> errors;
  std::vector<Shipment> out;
  std::unordered_map<std::string, std::vector<NodeIdx>> place_cache;
  const auto place = [&](const std::string& p) -> Result<std::vector<NodeIdx>> {
    if (auto it = place_cache.find(p); it != place_cache.end()) return it->second;
    auto r = net.ResolvePlace(p);
    if (r.ok()) place_cache.emplace(p, *r);
    return r;
  };
  for (size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    const std::string loc = fmt::format("{}:{}", name, row.line);
    const auto get = [&](const char* c) -> std::string {
      auto it = col.find(c);
      return it == col.end() || it->second >= row.fields.size() ? "" : row.fields[it->second];
    };
    if (row.fields.size() != (*rows)[0].fields.size()) {
      errors.push_back(fmt::format("{}: {} fields, the header has {}", loc, row.fields.size(), (*rows)[0].fields.size()));
      continue;
    }
    Shipment s;
    s.id = get("id");
    if (s.id.empty()) errors.push_back(loc + ": id is empty");
    auto from = place(get("from"));
    auto to = place(get("to"));
    if (!from.ok()) errors.push_back(loc + ": from: " + from.status().message());
    if (!to.ok()) errors.push_back(loc + ": to: " + to.status().message());
    if (!from.ok() || !to.ok()) continue;
    s.origins = *from;
    s.destinations = *to;
    auto ready = ParseIsoTime(get("ready"), net.node(s.origins.front()).utc_offset);
    if (!ready.ok()) {
      errors.push_back(loc + ": ready: " + ready.status().message());
      continue;
    }
    s.ready = *ready;
    if (!get("deadline").empty()) {
      auto deadline = ParseIsoTime(get("deadline"), net.node(s.destinations.front()).utc_offset);
      if (!deadline.ok()) {
        errors.push_back(loc + ": deadline: " + deadline.status().message());
        continue;
      }
      if (*deadline <= s.ready) {
        errors.push_back(loc + ": the deadline is not after the ready time");
        continue;
      }
      s.deadline = *deadline;
    }
    LoadSpec spec;
    bool bad = false;
    for (const char* c : {"teu", "feu", "kg"}) {
      const std::string v = get(c);
      if (v.empty()) continue;
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (*end != '\0' || n < 0) {
        errors.push_back(fmt::format("{}: {} '{}' must be a whole number >= 0", loc, c, v));
        bad = true;
        continue;
      }
      if (std::string_view(c) == "teu") spec.teu = n;
      if (std::string_view(c) == "feu") spec.feu = n;
      if (std::string_view(c) == "kg" && n > 0) spec.kg = n;
    }
    if (!get("m3").empty()) {
      auto m3 = Decimal::Parse(get("m3"));
      if (!m3.ok()) {
        errors.push_back(fmt::format("{}: m3 '{}' is not a number", loc, get("m3")));
        bad = true;
      } else if (!m3->IsZero()) {
        spec.m3 = *m3;
      }
    }
    if (bad) continue;
    auto load = MakeLoad(spec);
    if (!load.ok()) {
      errors.push_back(loc + ": " + load.status().message());
      continue;
    }
    s.load = *load;
    out.push_back(std::move(s));
  }
  if (!errors.empty()) {
    std::string msg = fmt::format("{}: {} bad row{}", name, errors.size(), errors.size() == 1 ? "" : "s");
    for (size_t i = 0; i < errors.size() && i < 20; ++i) msg += "\n  " + errors[i];
    if (errors.size() > 20) msg += fmt::format("\n  ... and {} more", errors.size() - 20);
    return Status::InvalidArgument(msg);
  }
  return out;
}

// ---- The assigner ---------------------------------------------------------

namespace {

using SteadyClock = std::chrono::steady_clock;
double MsSince(SteadyClock::time_point t0) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
}

// This thread's CPU time: on a shared machine the wall clock also counts
// other processes' turns.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int64_t FloorTo(int64_t t, int64_t g) { return (t >= 0 ? t / g : (t - g + 1) / g) * g; }

}  // namespace

struct Assigner::Impl {
  const Network& net;
  const Timetable& tt;
  const AssignmentOptions& opt;
  Router router;
  Router reason_router;  // runs on the full timetable capacity
  std::vector<int64_t> full_capacity;
  std::vector<uint8_t> svc_ok;  // service takes part in the assignment
  size_t queries = 0;

  Impl(const Network& n, const Timetable& t, const AssignmentOptions& o)
      : net(n), tt(t), opt(o), router(n, t), reason_router(n, t), full_capacity(t.FullCapacity()) {
    svc_ok.resize(net.service_count());
    for (uint32_t i = 0; i < net.service_count(); ++i) {
      const Service& s = net.services()[i];
      svc_ok[i] = (ModeBit(s.mode) & opt.modes) && s.capacity_unit == CapacityUnit::kContainer &&
                  s.price_basis == PriceBasis::kContainer;
    }
  }

  // Interned sorted node sets (a city's nodes).
  std::map<std::vector<uint32_t>, uint32_t> set_ids;
  std::vector<std::vector<uint32_t>> sets;
  uint32_t Intern(const std::vector<NodeIdx>& nodes) {
    std::vector<uint32_t> v;
    for (NodeIdx n : nodes) v.push_back(n.value());
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    auto [it, inserted] = set_ids.emplace(v, static_cast<uint32_t>(sets.size()));
    if (inserted) sets.push_back(v);
    return it->second;
  }

  bool ExportAt(NodeIdx o, const Shipment& s) const {
    for (NodeIdx d : s.destinations) {
      if (net.node(o).country != net.node(d).country) return true;
    }
    return false;
  }
  bool ImportAt(NodeIdx d, const Shipment& s) const {
    for (NodeIdx o : s.origins) {
      if (net.node(o).country != net.node(d).country) return true;
    }
    return false;
  }

  RouteQuery Query(const Shipment& s) const {
    RouteQuery q;
    q.origins = s.origins;
    q.destinations = s.destinations;
    q.ready = s.ready;
    q.deadline = s.deadline;
    q.load = s.load;
    q.modes = opt.modes;
    q.co2_criterion = false;
    q.container_only = true;
    q.max_duration = opt.max_duration;
    return q;
  }

  // Figures of a shipment on given legs; also fills origin/destination.
  void Price(const Shipment& s, ShipmentPlan& p) const {
    p.transport_micros = 0;
    p.co2_g = 0;
    for (const PlannedLeg& l : p.legs) {
      p.transport_micros += router.LegCost(l.service, s.load);
      p.co2_g += router.LegCo2(l.service, s.load);
    }
    p.fees_micros = (ExportAt(p.origin, s) ? net.node(p.origin).clearance_fee_micros : 0) +
                    (ImportAt(p.destination, s) ? net.node(p.destination).clearance_fee_micros : 0);
  }

  static void Take(const ShipmentPlan& p, int64_t q, std::vector<int64_t>& remaining) {
    for (const PlannedLeg& l : p.legs) {
      if (l.departure) remaining[l.departure->value()] -= q;
    }
  }

  // Cheapest itinerary by the deadline on `view`; fills the plan's legs.
  bool RouteCheapest(const Shipment& s, std::span<const int64_t> view, std::span<const int64_t> surcharge,
                     ShipmentPlan& p) {
    ++queries;
    RouteQuery q = Query(s);
    q.surcharge = surcharge;
    auto n = router.Search(q, view);
    if (!n.ok() || *n == 0) return false;
    const Itinerary it = router.Build(*router.Cheapest());
    p.legs.clear();
    for (const Leg& l : it.legs) p.legs.push_back({l.service, l.departure, l.departure_time, l.arrival_time});
    p.origin = it.stops.front().node;
    p.destination = it.stops.back().node;
    p.delivered = it.arrival;
    return true;
  }

  // Earliest delivery on empty departures, ignoring the deadline (one
  // label per node: fast): tells whether any plan could serve the shipment,
  // and if not, why.
  std::optional<UtcMinutes> EarliestOnEmpty(const Shipment& s) {
    RouteQuery q = Query(s);
    q.deadline = kNever;
    q.cost_criterion = false;
    ++queries;
    auto n = reason_router.Search(q, full_capacity);
    if (!n.ok() || *n == 0) return std::nullopt;
    return reason_router.summary(0).arrival;
  }

  UnassignedReason Reason(const Shipment& s) {
    RouteQuery q = Query(s);
    ++queries;
    auto n = reason_router.Search(q, full_capacity);
    if (n.ok() && *n > 0) return UnassignedReason::kNoCapacityBeforeDeadline;
    q.deadline = kNever;
    ++queries;
    n = reason_router.Search(q, full_capacity);
    if (n.ok() && *n > 0) return UnassignedReason::kNoPathBeforeDeadline;
    return UnassignedReason::kNoPath;
  }

  // Routes shipments (in `order`) one by one, each on its cheapest
  // itinerary by the deadline within the room left, the cost including
  // `surcharge` (shadow prices; may be empty). Caches results per identical
  // request: capacity only shrinks, so a cached cheapest itinerary stays
  // the cheapest while it still fits, and a request that failed keeps
  // failing.
  struct Key {
    uint32_t origins, destinations;
    UtcMinutes ready, deadline;
    int64_t cteu;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      uint64_t h = k.origins * 1000003ull ^ k.destinations * 7919ull;
      h = h * 31 + static_cast<uint32_t>(k.ready);
      h = h * 31 + static_cast<uint32_t>(k.deadline);
      return static_cast<size_t>(h * 31 + static_cast<uint64_t>(k.cteu));
    }
  };
  struct Cached {
    bool found = false;
    ShipmentPlan plan;
  };

  // Requests that found no itinerary on the room left. Capacity only
  // shrinks, and a later ready time, an earlier effective deadline or a
  // larger load only removes options, so a failure answers every request
  // it dominates without a search.
  struct Failure {
    int64_t ready;
    int64_t horizon;  // min(deadline, ready + search window)
    int64_t cteu;
  };
  std::unordered_map<uint64_t, std::vector<Failure>> failures;

  Failure FailureOf(const Shipment& s) const {
    return {s.ready, std::min<int64_t>(s.deadline, int64_t{s.ready} + opt.max_duration), s.load.cteu};
  }
  uint64_t PairKey(const Shipment& s) {
    return uint64_t{Intern(s.origins)} << 32 | Intern(s.destinations);
  }
  bool KnownToFail(const Shipment& s) {
    auto it = failures.find(PairKey(s));
    if (it == failures.end()) return false;
    const Failure f = FailureOf(s);
    for (const Failure& g : it->second) {
      if (g.ready <= f.ready && g.horizon >= f.horizon && g.cteu <= f.cteu) return true;
    }
    return false;
  }
  void AddFailure(const Shipment& s) {
    auto& list = failures[PairKey(s)];
    const Failure f = FailureOf(s);
    std::erase_if(list, [&](const Failure& g) {
      return f.ready <= g.ready && f.horizon >= g.horizon && f.cteu <= g.cteu;
    });
    list.push_back(f);
  }
  bool Hopeless(const Shipment& s) {
    return hopeless.count(Key{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline, s.load.cteu}) > 0;
  }

  void RouteAll(std::span<const Shipment> shipments, const std::vector<uint32_t>& order,
                std::vector<ShipmentPlan>& plans, std::vector<int64_t>& remaining, std::span<const int64_t> surcharge,
                size_t* rerouted) {
    std::unordered_map<Key, Cached, KeyHash> cache;
    const auto fits = [&](const ShipmentPlan& p, int64_t q) {
      for (const PlannedLeg& l : p.legs) {
        if (l.departure && remaining[l.departure->value()] < q) return false;
      }
      return true;
    };
    for (uint32_t i : order) {
      const Shipment& s = shipments[i];
      ShipmentPlan& p = plans[i];
      if (p.assigned) continue;
      const int64_t q = s.load.cteu;
      const Key key{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline, q};
      auto it = cache.find(key);
      if (it != cache.end() && it->second.found && !fits(it->second.plan, q)) {
        cache.erase(it);
        it = cache.end();
      }
      if (it == cache.end()) {
        if (Hopeless(s) || KnownToFail(s)) continue;
        Cached c;
        c.found = RouteCheapest(s, remaining, surcharge, c.plan);
        if (!c.found) AddFailure(s);
        it = cache.emplace(key, std::move(c)).first;
      }
      if (!it->second.found) continue;  // failed with this load: still fails
      p.legs = it->second.plan.legs;
      p.origin = it->second.plan.origin;
      p.destination = it->second.plan.destination;
      p.delivered = it->second.plan.delivered;
      p.assigned = true;
      Price(s, p);
      Take(p, q, remaining);
      if (rerouted) ++*rerouted;
    }
  }

  // Filled by the flow method's prefilter: requests that no plan can serve
  // (and why); every other request left out lacked room.
  std::unordered_map<Key, UnassignedReason, KeyHash> hopeless;
  bool prefiltered = false;

  // L(lambda) = penalty x hopeless + sum over shipments of min(penalty x
  // load, cheapest itinerary at cost + lambda x load on empty departures)
  // - sum of lambda x room: a lower bound for any lambda >= 0 (Lagrangian
  // relaxation of the room constraints). Also returns each request's priced
  // minimum and the load the minimising itineraries put on each departure
  // (the subgradient).
  int64_t Lagrangian(std::span<const Shipment> shipments, const std::vector<uint32_t>& feasible,
                     std::span<const int64_t> lambda, std::span<const int64_t> room, int64_t hopeless_cteu,
                     std::unordered_map<Key, int64_t, KeyHash>* priced, std::vector<int64_t>* usage) {
    const int64_t penalty_per_cteu = opt.penalty_micros_per_teu / kCteuPerTeu;
    int64_t total = hopeless_cteu * penalty_per_cteu;
    for (uint32_t d = 0; d < tt.size(); ++d) total -= lambda[d] * std::max<int64_t>(0, room[d]);
    usage->assign(tt.size(), 0);
    struct Best {
      int64_t value;
      std::vector<DepartureIdx> departures;
    };
    std::unordered_map<Key, Best, KeyHash> cache;
    std::vector<DepartureIdx> deps;
    for (uint32_t i : feasible) {
      const Shipment& s = shipments[i];
      const Key key{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline, s.load.cteu};
      auto it = cache.find(key);
      if (it == cache.end()) {
        Best best{s.load.cteu * penalty_per_cteu, {}};
        RouteQuery q = Query(s);
        q.surcharge = lambda;
        ++queries;
        auto n = reason_router.Search(q, full_capacity);
        if (n.ok() && *n > 0) {
          const size_t c = *reason_router.Cheapest();
          int64_t transport = 0;
          for (const Leg& l : reason_router.Build(c).legs) transport += l.cost_micros;  // includes lambda
          if (transport < best.value) {
            best.value = transport;
            reason_router.CollectDepartures(c, &deps);
            best.departures = deps;
          }
        }
        it = cache.emplace(key, std::move(best)).first;
      }
      total += it->second.value;
      for (DepartureIdx d : it->second.departures) (*usage)[d.value()] += s.load.cteu;
    }
    if (priced) {
      priced->clear();
      for (auto& [k, b] : cache) priced->emplace(k, b.value);
    }
    return total;
  }

  // Local improvement: the shadow prices come from a relaxation and can
  // over-steer. Each assigned shipment in turn gives its room back and takes
  // its cheapest itinerary on the room left if that costs less (it never
  // costs more: the old one is still there); then shipments still out try
  // again on whatever was freed.
  void Improve(std::span<const Shipment> shipments, const std::vector<uint32_t>& order, PlanResult& r,
               std::vector<int64_t>& remaining) {
    for (uint32_t i : order) {
      ShipmentPlan& p = r.shipments[i];
      if (!p.assigned) continue;
      const Shipment& s = shipments[i];
      const int64_t q = s.load.cteu;
      for (const PlannedLeg& l : p.legs) {
        if (l.departure) remaining[l.departure->value()] += q;
      }
      ShipmentPlan alt;
      if (RouteCheapest(s, remaining, {}, alt)) {
        Price(s, alt);
        if (alt.transport_micros < p.transport_micros) {
          alt.assigned = true;
          p = std::move(alt);
          ++r.improved;
        }
      }
      Take(p, q, remaining);
    }
    failures.clear();  // room was freed: earlier failures no longer prove anything
    RouteAll(shipments, order, r.shipments, remaining, {}, &r.rerouted);
  }

  void Finish(std::span<const Shipment> shipments, PlanResult& r) {
    std::unordered_map<Key, UnassignedReason, KeyHash> reasons;
    PlanTotals& t = r.totals;
    t = PlanTotals{};
    t.shipments = shipments.size();
    for (size_t i = 0; i < shipments.size(); ++i) {
      ShipmentPlan& p = r.shipments[i];
      const Shipment& s = shipments[i];
      if (p.assigned) {
        ++t.assigned;
        t.assigned_cteu += s.load.cteu;
        t.transport_micros += p.transport_micros;
        t.fees_micros += p.fees_micros;
        t.co2_g += p.co2_g;
      } else {
        t.unassigned_cteu += s.load.cteu;
        const Key key{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline, s.load.cteu};
        auto it = reasons.find(key);
        if (it == reasons.end()) {
          UnassignedReason reason = UnassignedReason::kNoCapacityBeforeDeadline;
          if (!prefiltered) {
            reason = Reason(s);
          } else if (auto h = hopeless.find(key); h != hopeless.end()) {
            reason = h->second;
          }
          it = reasons.emplace(key, reason).first;
        }
        p.reason = it->second;
      }
    }
    t.objective_micros = t.transport_micros + opt.penalty_micros_per_teu / kCteuPerTeu * t.unassigned_cteu;
  }

  // ---- The flow --------------------------------------------------------

  struct ClosureEntry {
    uint32_t to;
    Minutes duration;  // leaving the node -> arriving at `to` (before its handling)
    int64_t cost;      // per cTEU
    std::vector<uint32_t> services;
  };
  // Pareto set over (duration, cost per cTEU) of on-demand chains from v.
  std::vector<ClosureEntry> Closure(uint32_t v) const {
    struct Lab {
      uint32_t node;
      Minutes dur;
      int64_t cost;
      std::vector<uint32_t> services;
    };
    std::vector<std::vector<Lab>> bags(net.node_count());
    std::vector<Lab> stack;
    stack.push_back({v, 0, 0, {}});
    std::vector<ClosureEntry> out;
    while (!stack.empty()) {
      Lab l = std::move(stack.back());
      stack.pop_back();
      // The label's "leave" time from l.node is dur (+ handling if not v).
      const Minutes leave = l.dur + (l.node == v ? 0 : tt.handling(NodeIdx(l.node)));
      for (ServiceIdx si : net.OnDemandFrom(NodeIdx(l.node))) {
        if (!svc_ok[si.value()]) continue;
        const Service& s = net.service(si);
        if (s.to.value() == v) continue;
        bool visited = false;
        for (uint32_t x : l.services) visited = visited || net.services()[x].from == s.to;
        if (visited) continue;
        Lab n{s.to.value(), leave + s.cutoff + s.transit + tt.extra_transit(si), l.cost + s.price_micros, l.services};
        n.services.push_back(si.value());
        auto& bag = bags[n.node];
        bool dominated = false;
        for (const Lab& o : bag) dominated = dominated || (o.dur <= n.dur && o.cost <= n.cost);
        if (dominated) continue;
        std::erase_if(bag, [&](const Lab& o) { return n.dur <= o.dur && n.cost <= o.cost; });
        bag.push_back(n);
        stack.push_back(std::move(n));
      }
    }
    for (uint32_t w = 0; w < bags.size(); ++w) {
      for (auto& l : bags[w]) out.push_back({w, l.dur, l.cost, std::move(l.services)});
    }
    return out;
  }

  struct Step {
    bool closure;
    uint32_t index;  // departure or closure entry
  };
  enum class ArcKind : uint8_t { kHold, kSupply, kDeparture, kHubOut, kClosure, kSink, kSinkOut, kPenalty };
  struct ArcInfo {
    ArcKind kind;
    uint32_t payload;  // departure index, closure entry index, group
  };

  Result<PlanResult> Plan(std::span<const Shipment> shipments, std::span<const int64_t> remaining_in) {
    const auto t_start = SteadyClock::now();
    const double cpu_start = ThreadCpuMs();
    PlanResult r;
    r.method = "flow+repair";
    r.shipments.resize(shipments.size());
    std::vector<int64_t> remaining(remaining_in.begin(), remaining_in.end());
    const int64_t g = std::max<Minutes>(1, opt.time_bucket);
    const int64_t penalty_per_cteu = opt.penalty_micros_per_teu / kCteuPerTeu;

    // Groups. Supply: (origin set, ready rounded down, export bits).
    // Sink: (destination set, deadline rounded up, import bits).
    struct SupplyKey {
      uint32_t set;
      int64_t t;
      uint64_t bits;
      auto operator<=>(const SupplyKey&) const = default;
    };
    std::map<SupplyKey, uint32_t> supply_ids;
    std::vector<SupplyKey> supplies;
    std::vector<int64_t> supply_amount;
    std::vector<SupplyKey> ship_sink(shipments.size());  // (destination set, deadline, import bits)
    // Which (node, import flag) pairs need a delivered timeline.
    const uint32_t n_nodes = net.node_count();
    std::vector<uint8_t> flags_at(n_nodes, 0);  // bit 0: no import, bit 1: import
    std::vector<uint32_t> ship_supply(shipments.size(), std::numeric_limits<uint32_t>::max());
    int64_t max_time = 0;
    // Shipments that no plan can serve (no itinerary by the deadline even
    // on empty departures) stay out of the flow: they would only let it
    // mix commodities. They count as unmet in the bound as in every plan.
    int64_t hopeless_cteu = 0;
    prefiltered = true;
    std::unordered_map<Key, bool, KeyHash> checked;
    for (size_t i = 0; i < shipments.size(); ++i) {
      const Shipment& s = shipments[i];
      const Key fkey{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline, s.load.cteu};
      auto fit = checked.find(fkey);
      if (fit == checked.end()) {
        const std::optional<UtcMinutes> earliest = EarliestOnEmpty(s);
        const bool ok = earliest && *earliest <= s.deadline;
        if (!ok) {
          hopeless.emplace(fkey, earliest ? UnassignedReason::kNoPathBeforeDeadline : UnassignedReason::kNoPath);
        }
        fit = checked.emplace(fkey, ok).first;
      }
      if (!fit->second) {
        hopeless_cteu += s.load.cteu;
        continue;
      }
      const uint32_t os = Intern(s.origins), ds = Intern(s.destinations);
      uint64_t ebits = 0, ibits = 0;
      for (size_t k = 0; k < sets[os].size() && k < 64; ++k) {
        if (ExportAt(NodeIdx(sets[os][k]), s)) ebits |= uint64_t{1} << k;
      }
      for (size_t k = 0; k < sets[ds].size() && k < 64; ++k) {
        if (ImportAt(NodeIdx(sets[ds][k]), s)) ibits |= uint64_t{1} << k;
      }
      const SupplyKey sk{os, FloorTo(s.ready, g), ebits};
      auto [si, snew] = supply_ids.emplace(sk, static_cast<uint32_t>(supplies.size()));
      if (snew) {
        supplies.push_back(sk);
        supply_amount.push_back(0);
      }
      supply_amount[si->second] += s.load.cteu;
      ship_supply[i] = si->second;
      // No deadline: the router bounds arrivals by the search window, not
      // deliveries; the flow's arrivals are bounded by max_time below.
      const int64_t deadline = s.deadline == kNever ? int64_t{kNever} : -FloorTo(-int64_t{s.deadline}, g);
      ship_sink[i] = {ds, deadline, ibits};
      for (size_t k = 0; k < sets[ds].size(); ++k) {
        const bool imp = k < 64 && (ibits >> k & 1);
        flags_at[sets[ds][k]] |= imp ? 2 : 1;
      }
      max_time = std::max<int64_t>(max_time, int64_t{s.ready} + opt.max_duration);
    }
    const int64_t total_supply = std::accumulate(supply_amount.begin(), supply_amount.end(), int64_t{0});


    const auto t_build = SteadyClock::now();
    // Events per node.
    std::vector<std::vector<int64_t>> times(n_nodes), primary(n_nodes);
    std::vector<std::vector<int64_t>> delivered(2 * n_nodes);  // index node*2 + flag
    const auto deliver = [&](uint32_t node, int64_t arr) {
      for (int f = 0; f < 2; ++f) {
        if (flags_at[node] >> f & 1) {
          delivered[node * 2 + f].push_back(arr + tt.handling(NodeIdx(node)) +
                                            (f ? net.node(NodeIdx(node)).import_clearance : 0));
        }
      }
    };
    std::vector<uint32_t> deps;
    for (uint32_t c = 0; c < tt.size(); ++c) {
      if (!svc_ok[tt.services()[c]] || remaining[c] <= 0 || tt.arrivals()[c] > max_time) continue;
      deps.push_back(c);
      times[tt.from_nodes()[c]].push_back(tt.dropoffs()[c]);
      const uint32_t to = tt.to_nodes()[c];
      const int64_t avail = int64_t{tt.arrivals()[c]} + tt.handling(NodeIdx(to));
      times[to].push_back(avail);
      primary[to].push_back(avail);
      deliver(to, tt.arrivals()[c]);
    }
    for (const SupplyKey& sk : supplies) {
      for (size_t k = 0; k < sets[sk.set].size(); ++k) {
        const uint32_t o = sets[sk.set][k];
        const bool exp = k < 64 && (sk.bits >> k & 1);
        const int64_t t = sk.t + (exp ? net.node(NodeIdx(o)).export_clearance : 0);
        times[o].push_back(t);
        primary[o].push_back(t);
      }
    }
    std::vector<std::vector<ClosureEntry>> closure(n_nodes);
    std::vector<const ClosureEntry*> closure_by_index;
    for (uint32_t v = 0; v < n_nodes; ++v) {
      auto& p = primary[v];
      std::sort(p.begin(), p.end());
      p.erase(std::unique(p.begin(), p.end()), p.end());
      if (p.empty() || net.OnDemandFrom(NodeIdx(v)).empty()) continue;
      closure[v] = Closure(v);
      for (const ClosureEntry& e : closure[v]) {
        for (int64_t t : p) {
          const int64_t arr = t + e.duration;
          if (arr > max_time) continue;
          times[e.to].push_back(arr + tt.handling(NodeIdx(e.to)));
          deliver(e.to, arr);
        }
      }
    }
    // TEN node ids: timelines, delivered timelines, hubs, supplies, sinks, Z.
    std::vector<int32_t> first_id(n_nodes + 1), first_del(2 * n_nodes + 1);
    int32_t next = 0;
    for (uint32_t v = 0; v < n_nodes; ++v) {
      auto& ts = times[v];
      std::sort(ts.begin(), ts.end());
      ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
      first_id[v] = next;
      next += static_cast<int32_t>(ts.size());
    }
    first_id[n_nodes] = next;
    for (uint32_t k = 0; k < 2 * n_nodes; ++k) {
      auto& ts = delivered[k];
      std::sort(ts.begin(), ts.end());
      ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
      first_del[k] = next;
      next += static_cast<int32_t>(ts.size());
    }
    first_del[2 * n_nodes] = next;
    // Sinks: a deadline matters only up to the last delivery event before
    // it at each destination node, so shipments whose deadlines fall
    // between the same events share a sink (exact, and far fewer sinks than
    // distinct deadlines).
    struct SinkKey {
      uint32_t set;
      uint64_t bits;
      std::vector<int32_t> last;  // per node of the set: last delivered event <= deadline, or -1
      auto operator<=>(const SinkKey&) const = default;
    };
    std::map<SinkKey, uint32_t> sink_ids;
    std::vector<const SinkKey*> sinks;
    std::vector<int64_t> sink_amount;
    for (size_t i = 0; i < shipments.size(); ++i) {
      if (ship_supply[i] == std::numeric_limits<uint32_t>::max()) continue;
      const SupplyKey& dk = ship_sink[i];
      SinkKey key{dk.set, dk.bits, {}};
      for (size_t k = 0; k < sets[dk.set].size(); ++k) {
        const uint32_t d = sets[dk.set][k];
        const int f = k < 64 && (dk.bits >> k & 1) ? 1 : 0;
        const auto& ts = delivered[d * 2 + f];
        const auto it = std::upper_bound(ts.begin(), ts.end(), dk.t);
        key.last.push_back(it == ts.begin() ? -1 : first_del[d * 2 + f] + static_cast<int32_t>(it - ts.begin()) - 1);
      }
      auto [pos, inserted] = sink_ids.emplace(std::move(key), static_cast<uint32_t>(sinks.size()));
      if (inserted) {
        sinks.push_back(&pos->first);
        sink_amount.push_back(0);
      }
      sink_amount[pos->second] += shipments[i].load.cteu;
    }
    const int32_t first_hub = next;
    next += static_cast<int32_t>(deps.size());
    const int32_t first_supply = next;
    next += static_cast<int32_t>(supplies.size());
    const int32_t first_sink = next;
    next += static_cast<int32_t>(sinks.size());
    const int32_t z = next++;
    const auto at = [&](uint32_t v, int64_t t) {  // the event at exactly t
      const auto& ts = times[v];
      return first_id[v] + static_cast<int32_t>(std::lower_bound(ts.begin(), ts.end(), t) - ts.begin());
    };
    const auto del_at = [&](uint32_t v, int f, int64_t t) {
      const auto& ts = delivered[v * 2 + f];
      return first_del[v * 2 + f] + static_cast<int32_t>(std::lower_bound(ts.begin(), ts.end(), t) - ts.begin());
    };

    internal::FlowProblem fp;
    fp.node_count = next;
    fp.supply.assign(static_cast<size_t>(next), 0);
    std::vector<ArcInfo> info;
    const int64_t inf = std::max<int64_t>(total_supply, 1);
    const auto arc = [&](int32_t a, int32_t b, int64_t cap, int64_t cost, ArcKind kind, uint32_t payload) {
      fp.arcs.push_back({a, b, cap, cost});
      info.push_back({kind, payload});
    };
    for (uint32_t v = 0; v < n_nodes; ++v) {
      for (int32_t id = first_id[v]; id + 1 < first_id[v + 1]; ++id) arc(id, id + 1, inf, 0, ArcKind::kHold, 0);
    }
    for (uint32_t k = 0; k < 2 * n_nodes; ++k) {
      for (int32_t id = first_del[k]; id + 1 < first_del[k + 1]; ++id) arc(id, id + 1, inf, 0, ArcKind::kHold, 0);
    }
    for (uint32_t i = 0; i < deps.size(); ++i) {
      const uint32_t c = deps[i];
      const uint32_t from = tt.from_nodes()[c], to = tt.to_nodes()[c];
      const int32_t hub = first_hub + static_cast<int32_t>(i);
      arc(at(from, tt.dropoffs()[c]), hub, remaining[c], net.services()[tt.services()[c]].price_micros,
          ArcKind::kDeparture, c);
      arc(hub, at(to, int64_t{tt.arrivals()[c]} + tt.handling(NodeIdx(to))), inf, 0, ArcKind::kHubOut, 0);
      for (int f = 0; f < 2; ++f) {
        if (flags_at[to] >> f & 1) {
          const int64_t d = int64_t{tt.arrivals()[c]} + tt.handling(NodeIdx(to)) +
                            (f ? net.node(NodeIdx(to)).import_clearance : 0);
          arc(hub, del_at(to, f, d), inf, 0, ArcKind::kHubOut, 0);
        }
      }
    }
    for (uint32_t v = 0; v < n_nodes; ++v) {
      for (const ClosureEntry& e : closure[v]) {
        const auto index = static_cast<uint32_t>(closure_by_index.size());
        closure_by_index.push_back(&e);
        for (int64_t t : primary[v]) {
          const int64_t arr = t + e.duration;
          if (arr > max_time) continue;
          arc(at(v, t), at(e.to, arr + tt.handling(NodeIdx(e.to))), inf, e.cost, ArcKind::kClosure, index);
          for (int f = 0; f < 2; ++f) {
            if (flags_at[e.to] >> f & 1) {
              const int64_t d = arr + tt.handling(NodeIdx(e.to)) + (f ? net.node(NodeIdx(e.to)).import_clearance : 0);
              arc(at(v, t), del_at(e.to, f, d), inf, e.cost, ArcKind::kClosure, index);
            }
          }
        }
      }
    }
    for (uint32_t u = 0; u < supplies.size(); ++u) {
      const SupplyKey& sk = supplies[u];
      const int32_t node = first_supply + static_cast<int32_t>(u);
      fp.supply[static_cast<size_t>(node)] = supply_amount[u];
      for (size_t k = 0; k < sets[sk.set].size(); ++k) {
        const uint32_t o = sets[sk.set][k];
        const bool exp = k < 64 && (sk.bits >> k & 1);
        arc(node, at(o, sk.t + (exp ? net.node(NodeIdx(o)).export_clearance : 0)), inf, 0, ArcKind::kSupply, o);
      }
      arc(node, z, inf, penalty_per_cteu, ArcKind::kPenalty, u);
    }
    for (uint32_t gi = 0; gi < sinks.size(); ++gi) {
      const int32_t node = first_sink + static_cast<int32_t>(gi);
      for (int32_t last : sinks[gi]->last) {
        if (last >= 0) arc(last, node, inf, 0, ArcKind::kSink, gi);
      }
      arc(node, z, sink_amount[gi], 0, ArcKind::kSinkOut, gi);
    }
    fp.supply[static_cast<size_t>(z)] = -total_supply;
    r.bound.nodes = static_cast<size_t>(fp.node_count);
    r.bound.arcs = fp.arcs.size();
    r.bound.build_ms = MsSince(t_build);

    const auto t_solve = SteadyClock::now();
    // Network simplex: on this network cost scaling was ~100x slower (the
    // penalty arcs' large costs mean many scaling phases); measured in
    // docs/freight.md.
    const internal::FlowSolution sol = internal::SolveMinCostFlow(fp, internal::FlowAlgorithm::kNetworkSimplex);
    r.bound.solve_ms = MsSince(t_solve);
    if (sol.outcome != internal::FlowSolution::Outcome::kOptimal) {
      // Cannot happen (the penalty arcs make every instance feasible); a bug.
      return Status::Internal("min-cost flow: " + sol.message);
    }
    r.bound.solved = true;
    for (size_t a = 0; a < fp.arcs.size(); ++a) {
      if (info[a].kind == ArcKind::kPenalty) r.bound.unmet_cteu += sol.flow[a];
    }
    r.bound.transport_micros = sol.cost - r.bound.unmet_cteu * penalty_per_cteu;
    r.bound.unmet_cteu += hopeless_cteu;
    r.bound.hopeless_cteu = hopeless_cteu;
    r.bound.flow_objective_micros = r.bound.transport_micros + r.bound.unmet_cteu * penalty_per_cteu;
    r.bound.flow_unmet_cteu = r.bound.unmet_cteu;
    // Shadow prices of the departures' room: LEMON's reduced cost is
    // cost + pi(from) - pi(to), <= 0 on a full arc; its negation is what
    // one more unit of room would save.
    std::vector<int64_t> lambda(tt.size(), 0);
    for (size_t a = 0; a < fp.arcs.size(); ++a) {
      if (info[a].kind != ArcKind::kDeparture || sol.flow[a] < fp.arcs[a].capacity) continue;
      const int64_t reduced = fp.arcs[a].cost + sol.potential[static_cast<size_t>(fp.arcs[a].from)] -
                              sol.potential[static_cast<size_t>(fp.arcs[a].to)];
      lambda[info[a].payload] = std::max<int64_t>(0, -reduced);
    }
    std::vector<uint32_t> feasible;
    for (uint32_t i = 0; i < shipments.size(); ++i) {
      if (ship_supply[i] != std::numeric_limits<uint32_t>::max()) feasible.push_back(i);
    }
    std::vector<int64_t> usage;
    std::unordered_map<Key, int64_t, KeyHash> priced;  // for the decomposition's acceptance test
    r.bound.lagrangian_objective_micros =
        Lagrangian(shipments, feasible, lambda, remaining, hopeless_cteu, &priced, &usage);
    r.bound.objective_micros = std::max(r.bound.flow_objective_micros, r.bound.lagrangian_objective_micros);
    if (r.bound.objective_micros != r.bound.flow_objective_micros) {
      // Another bound wins; it says nothing about volume, so report the
      // hopeless volume as unmet and the rest as transport.
      r.bound.unmet_cteu = hopeless_cteu;
      r.bound.transport_micros = r.bound.objective_micros - hopeless_cteu * penalty_per_cteu;
    }

    // ---- Repair: decompose the flow into paths, give them to shipments.
    const auto t_repair = SteadyClock::now();
    std::vector<int64_t> residual = sol.flow;
    std::vector<int32_t> out_begin(static_cast<size_t>(next) + 1, 0);
    for (const auto& a : fp.arcs) ++out_begin[static_cast<size_t>(a.from) + 1];
    for (size_t i = 0; i < static_cast<size_t>(next); ++i) out_begin[i + 1] += out_begin[i];
    std::vector<uint32_t> out_arcs(fp.arcs.size());
    {
      std::vector<int32_t> fill(out_begin.begin(), out_begin.end() - 1);
      for (uint32_t a = 0; a < fp.arcs.size(); ++a) out_arcs[static_cast<size_t>(fill[static_cast<size_t>(fp.arcs[a].from)]++)] = a;
    }
    struct Path {
      uint32_t origin;
      int64_t amount;
      std::vector<Step> steps;
    };
    std::vector<std::vector<Path>> paths(supplies.size());
    std::vector<int32_t> cursor(out_begin.begin(), out_begin.end() - 1);
    for (uint32_t u = 0; u < supplies.size(); ++u) {
      const int32_t src = first_supply + static_cast<int32_t>(u);
      for (;;) {
        // Walk one path along arcs with residual flow (the TEN is acyclic:
        // every arc but the holding ones moves forward in time).
        std::vector<uint32_t> arcs_on_path;
        int32_t x = src;
        int64_t amount = std::numeric_limits<int64_t>::max();
        while (x != z) {
          int32_t& c = cursor[static_cast<size_t>(x)];
          while (c < out_begin[static_cast<size_t>(x) + 1] && residual[out_arcs[static_cast<size_t>(c)]] == 0) ++c;
          if (c >= out_begin[static_cast<size_t>(x) + 1]) break;
          const uint32_t a = out_arcs[static_cast<size_t>(c)];
          arcs_on_path.push_back(a);
          amount = std::min(amount, residual[a]);
          x = fp.arcs[a].to;
        }
        if (x != z) break;  // no flow left from this supply
        for (uint32_t a : arcs_on_path) residual[a] -= amount;
        if (info[arcs_on_path.front()].kind == ArcKind::kPenalty) continue;
        Path p{info[arcs_on_path.front()].payload, amount, {}};
        for (uint32_t a : arcs_on_path) {
          if (info[a].kind == ArcKind::kDeparture) p.steps.push_back({false, info[a].payload});
          if (info[a].kind == ArcKind::kClosure) p.steps.push_back({true, info[a].payload});
        }
        paths[u].push_back(std::move(p));
      }
    }
    // Shipments of each supply group, larger first, take paths that their
    // exact times, destination and the room left allow.
    std::vector<std::vector<uint32_t>> by_supply(supplies.size());
    for (uint32_t i = 0; i < shipments.size(); ++i) {
      if (ship_supply[i] < supplies.size()) by_supply[ship_supply[i]].push_back(i);
    }
    for (uint32_t u = 0; u < supplies.size(); ++u) {
      auto& list = by_supply[u];
      std::stable_sort(list.begin(), list.end(), [&](uint32_t a, uint32_t b) {
        if (shipments[a].load.cteu != shipments[b].load.cteu) return shipments[a].load.cteu > shipments[b].load.cteu;
        return shipments[a].deadline < shipments[b].deadline;
      });
      for (uint32_t i : list) {
        const Shipment& s = shipments[i];
        for (Path& path : paths[u]) {
          if (path.amount < s.load.cteu) continue;
          ShipmentPlan p;
          if (!Replay(s, path.origin, path.steps, closure_by_index, remaining, p)) continue;
          Price(s, p);
          // Only a path that is cheapest for this shipment at the dual
          // prices (complementary slackness): with several origin-
          // destination pairs in one commodity, an equally cheap total can
          // hide a dearer path for this shipment, which is then left to the
          // shadow-priced routing below.
          int64_t path_priced = p.transport_micros;
          for (const PlannedLeg& l : p.legs) {
            if (l.departure) path_priced += lambda[l.departure->value()] * s.load.cteu;
          }
          const auto pit = priced.find(Key{Intern(s.origins), Intern(s.destinations), s.ready, s.deadline,
                                           s.load.cteu});
          if (pit == priced.end() || path_priced > pit->second) continue;
          path.amount -= s.load.cteu;
          p.assigned = true;
          p.followed_flow = true;
          Take(p, s.load.cteu, remaining);
          r.shipments[i] = std::move(p);
          ++r.followed_flow;
          break;
        }
      }
    }
    // The rest, earliest deadline first: cheapest by the deadline on the
    // room left, steered by the flow's shadow prices: a full departure
    // costs extra what the flow's duals say its room is worth, so a
    // shipment takes it only if it gains more than others would.
    std::vector<int64_t> shadow(tt.size(), 0);
    for (uint32_t d = 0; d < tt.size(); ++d) {
      // Capped below the penalty: a shadow price that large only says "full".
      shadow[d] = std::min(lambda[d], penalty_per_cteu / 2);
    }
    std::vector<uint32_t> order(shipments.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (shipments[a].deadline != shipments[b].deadline) return shipments[a].deadline < shipments[b].deadline;
      return shipments[a].load.cteu > shipments[b].load.cteu;
    });
    RouteAll(shipments, order, r.shipments, remaining, shadow, &r.rerouted);
    // Whoever is still out: plain cheapest on what is left.
    RouteAll(shipments, order, r.shipments, remaining, {}, &r.rerouted);
    Improve(shipments, order, r, remaining);
    r.repair_ms = MsSince(t_repair);
    Finish(shipments, r);

    // Tighten the Lagrangian bound by subgradient steps from the flow's
    // duals (Polyak step towards the plan's objective). A fixed number of
    // steps, so that results do not depend on the machine's speed; by
    // default only for small batches: measured, they tighten the bound on
    // small instances but not on 10,000+ shipments, where the unassigned
    // penalty dwarfs the steps (docs/freight.md).
    const int steps = opt.lagrangian_steps >= 0 ? opt.lagrangian_steps : (feasible.size() <= 5000 ? 8 : 0);
    {
      std::vector<int64_t> lam(lambda.begin(), lambda.end());
      double theta = 1.0;
      int64_t best = r.bound.lagrangian_objective_micros;
      for (int k = 0; k < steps; ++k) {
        double norm2 = 0;
        for (uint32_t d = 0; d < tt.size(); ++d) {
          const double sub = static_cast<double>(usage[d] - std::max<int64_t>(0, remaining_in[d]));
          if (lam[d] > 0 || sub > 0) norm2 += sub * sub;
        }
        const double gap = static_cast<double>(r.totals.objective_micros - best);
        if (norm2 == 0 || gap <= 0) break;
        const double step = theta * gap / norm2;
        for (uint32_t d = 0; d < tt.size(); ++d) {
          const double sub = static_cast<double>(usage[d] - std::max<int64_t>(0, remaining_in[d]));
          lam[d] = std::max<int64_t>(0, lam[d] + static_cast<int64_t>(step * sub));
        }
        const int64_t value = Lagrangian(shipments, feasible, lam, remaining_in, hopeless_cteu, nullptr, &usage);
        if (value > best) {
          best = value;
        } else {
          theta /= 2;
        }
      }
      r.bound.lagrangian_steps = steps;
      r.bound.lagrangian_objective_micros = best;
    }
    r.bound.objective_micros = std::max(r.bound.flow_objective_micros, r.bound.lagrangian_objective_micros);
    if (r.bound.objective_micros != r.bound.flow_objective_micros) {
      r.bound.unmet_cteu = hopeless_cteu;
      r.bound.transport_micros = r.bound.objective_micros - hopeless_cteu * penalty_per_cteu;
    }
    r.router_queries = queries;
    r.total_ms = MsSince(t_start);
    r.total_cpu_ms = ThreadCpuMs() - cpu_start;
    return r;
  }

  // Follows `steps` from `origin` with the shipment's exact times; false if
  // a cut-off is missed, a departure lacks room, the end is not one of its
  // destinations, or it is late.
  bool Replay(const Shipment& s, uint32_t origin, const std::vector<Step>& steps,
              const std::vector<const ClosureEntry*>& closures, const std::vector<int64_t>& remaining,
              ShipmentPlan& p) const {
    if (std::find(s.origins.begin(), s.origins.end(), NodeIdx(origin)) == s.origins.end()) return false;
    const NodeIdx o(origin);
    int64_t avail = int64_t{s.ready} + (ExportAt(o, s) ? net.node(o).export_clearance : 0);
    // As the router: every arrival within the search window and the deadline.
    const int64_t horizon = std::min<int64_t>(int64_t{s.ready} + opt.max_duration, s.deadline);
    int64_t arr = s.ready;
    uint32_t node = origin;
    p.legs.clear();
    for (const Step& st : steps) {
      if (!st.closure) {
        const uint32_t c = st.index;
        if (tt.from_nodes()[c] != node || tt.dropoffs()[c] < avail || remaining[c] < s.load.cteu) return false;
        if (tt.arrivals()[c] > horizon) return false;
        p.legs.push_back({ServiceIdx(tt.services()[c]), DepartureIdx(c), tt.departures()[c], tt.arrivals()[c]});
        node = tt.to_nodes()[c];
        arr = tt.arrivals()[c];
      } else {
        for (uint32_t si : closures[st.index]->services) {
          const Service& svc = net.services()[si];
          if (svc.from.value() != node) return false;
          const int64_t dep = avail + svc.cutoff;
          arr = dep + svc.transit + tt.extra_transit(ServiceIdx(si));
          if (arr > horizon) return false;
          p.legs.push_back({ServiceIdx(si), std::nullopt, static_cast<UtcMinutes>(dep), static_cast<UtcMinutes>(arr)});
          node = svc.to.value();
          avail = arr + tt.handling(svc.to);
        }
        continue;
      }
      avail = arr + tt.handling(NodeIdx(node));
    }
    if (p.legs.empty()) return false;
    const NodeIdx d(node);
    if (std::find(s.destinations.begin(), s.destinations.end(), d) == s.destinations.end()) return false;
    const int64_t delivered = arr + tt.handling(d) + (ImportAt(d, s) ? net.node(d).import_clearance : 0);
    if (delivered > s.deadline) return false;
    p.origin = o;
    p.destination = d;
    p.delivered = static_cast<UtcMinutes>(delivered);
    return true;
  }

  Result<PlanResult> Greedy(std::span<const Shipment> shipments, std::span<const int64_t> remaining_in) {
    const auto t_start = SteadyClock::now();
    const double cpu_start = ThreadCpuMs();
    PlanResult r;
    r.method = "greedy";
    r.shipments.resize(shipments.size());
    std::vector<int64_t> remaining(remaining_in.begin(), remaining_in.end());
    std::vector<uint32_t> order(shipments.size());
    std::iota(order.begin(), order.end(), 0);
    RouteAll(shipments, order, r.shipments, remaining, {}, &r.rerouted);
    r.repair_ms = MsSince(t_start);
    Finish(shipments, r);
    r.router_queries = queries;
    r.total_ms = MsSince(t_start);
    r.total_cpu_ms = ThreadCpuMs() - cpu_start;
    return r;
  }
};

Assigner::Assigner(const Network& network, const Timetable& timetable) : net_(network), tt_(timetable) {}

namespace {
Status CheckInputs(const Timetable& tt, std::span<const Shipment> shipments, std::span<const int64_t> remaining) {
  if (remaining.size() != tt.size()) {
    return Status::InvalidArgument(
        fmt::format("capacity state has {} departures, the timetable {}", remaining.size(), tt.size()));
  }
  for (const Shipment& s : shipments) {
    if (s.origins.empty() || s.destinations.empty() || s.load.cteu <= 0) {
      return Status::InvalidArgument(fmt::format("shipment {}: needs an origin, a destination and a load", s.id));
    }
  }
  return Status::Ok();
}
}  // namespace

Result<PlanResult> Assigner::Plan(std::span<const Shipment> shipments, std::span<const int64_t> remaining,
                                  const AssignmentOptions& options) {
  DRYPORT_RETURN_IF_ERROR(CheckInputs(tt_, shipments, remaining));
  Impl impl(net_, tt_, options);
  return impl.Plan(shipments, remaining);
}

Result<PlanResult> Assigner::Greedy(std::span<const Shipment> shipments, std::span<const int64_t> remaining,
                                    const AssignmentOptions& options) {
  DRYPORT_RETURN_IF_ERROR(CheckInputs(tt_, shipments, remaining));
  Impl impl(net_, tt_, options);
  return impl.Greedy(shipments, remaining);
}

}  // namespace dryport::freight
