#include "test_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace dryport::freight::testing {

Result<Network> Load(const std::string& nodes_body, const std::string& services_body, const std::string& fx_csv) {
  std::vector<NetworkFile> files = {{"nodes.csv", std::string(kNodeHeader) + nodes_body},
                                    {"services.csv", std::string(kServiceHeader) + services_body}};
  if (!fx_csv.empty()) files.push_back({"fx.csv", fx_csv});
  return LoadNetwork(files, {});
}

Network MustLoad(const std::string& nodes_body, const std::string& services_body) {
  auto net = Load(nodes_body, services_body);
  if (!net.ok()) ADD_FAILURE() << net.status().ToString();
  return std::move(net).value();
}

UtcMinutes T(const char* iso) {
  auto t = ParseIsoTime(iso, 0);
  if (!t.ok()) ADD_FAILURE() << t.status().ToString();
  return t.ok() ? *t : 0;
}

void PrintTo(const Vec& v, std::ostream* os) {
  *os << "{" << FormatIsoUtc(v.arrival) << ", $" << FormatMoney(v.cost) << ", " << v.co2 << " g}";
}

namespace {

struct Enumerator {
  const Network& net;
  const Timetable& tt;
  const RouteQuery& q;
  const std::vector<int64_t>& remaining;
  std::vector<Vec> found;
  std::vector<char> visited;
  std::vector<char> is_dest;
  std::vector<char> import_at;
  UtcMinutes horizon;

  int64_t Cost(const Service& s) const {
    switch (s.price_basis) {
      case PriceBasis::kContainer: return s.price_micros * q.load.cteu;
      case PriceBasis::kWeight: return s.price_micros * q.load.chargeable_kg;
      case PriceBasis::kShipment: return s.price_micros;
    }
    return 0;
  }
  int64_t Co2(const Service& s) const {
    const int128_t ug = static_cast<int128_t>(q.load.kg) * s.distance_km * s.co2_mg_per_tkm;
    return static_cast<int64_t>((ug + 500000) / 1000000);
  }
  bool Fits(const Service& s, int64_t rem) const {
    return rem >= (s.capacity_unit == CapacityUnit::kContainer ? q.load.cteu : q.load.kg);
  }

  // At node u, arrived at `arr`, may leave from `avail`.
  void Visit(uint32_t u, UtcMinutes arr, UtcMinutes avail, int64_t cost, int64_t co2, bool at_origin) {
    if (!at_origin && is_dest[u]) {
      const Node& n = net.nodes()[u];
      const bool imp = import_at[u];
      const int64_t delivered = int64_t{arr} + tt.handling(NodeIdx(u)) + (imp ? n.import_clearance : 0);
      if (delivered <= q.deadline) {
        found.push_back({static_cast<UtcMinutes>(delivered), cost + (imp ? n.clearance_fee_micros : 0), co2});
      }
    }
    for (uint32_t d = 0; d < tt.size(); ++d) {
      if (tt.from_nodes()[d] != u) continue;
      const Service& s = net.services()[tt.services()[d]];
      const uint32_t v = tt.to_nodes()[d];
      if (visited[v] || tt.dropoffs()[d] < avail || tt.arrivals()[d] > horizon) continue;
      if (!(ModeBit(s.mode) & q.modes) || !Fits(s, remaining[d])) continue;
      visited[v] = 1;
      Visit(v, tt.arrivals()[d], tt.arrivals()[d] + tt.handling(NodeIdx(v)), cost + Cost(s), co2 + Co2(s), false);
      visited[v] = 0;
    }
    for (uint32_t si = 0; si < net.service_count(); ++si) {
      const Service& s = net.services()[si];
      if (!s.on_demand || s.from.value() != u || !(ModeBit(s.mode) & q.modes)) continue;
      const uint32_t v = s.to.value();
      const int64_t a = int64_t{avail} + s.cutoff + s.transit + tt.extra_transit(ServiceIdx(si));
      if (visited[v] || a > horizon) continue;
      visited[v] = 1;
      Visit(v, static_cast<UtcMinutes>(a), static_cast<UtcMinutes>(a + tt.handling(NodeIdx(v))), cost + Cost(s),
            co2 + Co2(s), false);
      visited[v] = 0;
    }
  }
};

bool Dominates(const Vec& a, const Vec& b, bool co2) {
  return a.arrival <= b.arrival && a.cost <= b.cost && (!co2 || a.co2 <= b.co2);
}

}  // namespace

std::vector<Vec> BruteForcePareto(const Network& net, const Timetable& tt, const RouteQuery& q,
                                  const std::vector<int64_t>& remaining) {
  Enumerator e{net, tt, q, remaining, {}, {}, {}, {}, 0};
  e.visited.assign(net.node_count(), 0);
  e.is_dest.assign(net.node_count(), 0);
  e.import_at.assign(net.node_count(), 0);
  for (NodeIdx d : q.destinations) {
    e.is_dest[d.value()] = 1;
    for (NodeIdx o : q.origins) {
      if (net.node(o).country != net.node(d).country) e.import_at[d.value()] = 1;
    }
  }
  e.horizon = static_cast<UtcMinutes>(
      std::min<int64_t>(int64_t{q.ready} + q.max_duration, q.deadline == kNever ? kNever - 1 : q.deadline));
  for (NodeIdx o : q.origins) {
    bool exp = false;
    for (NodeIdx d : q.destinations) exp = exp || net.node(o).country != net.node(d).country;
    const Node& n = net.node(o);
    e.visited[o.value()] = 1;
    e.Visit(o.value(), q.ready, q.ready + (exp ? n.export_clearance : 0), exp ? n.clearance_fee_micros : 0, 0, true);
    e.visited[o.value()] = 0;
  }
  std::vector<Vec> pareto;
  for (const Vec& v : e.found) {
    bool dominated = false;
    for (const Vec& w : e.found) {
      if (Dominates(w, v, q.co2_criterion) && !Dominates(v, w, q.co2_criterion)) dominated = true;
    }
    if (!dominated) pareto.push_back(q.co2_criterion ? v : Vec{v.arrival, v.cost, 0});
  }
  std::sort(pareto.begin(), pareto.end());
  pareto.erase(std::unique(pareto.begin(), pareto.end()), pareto.end());
  return pareto;
}

std::string CheckItinerary(const Network& net, const Timetable& tt, const RouteQuery& q,
                           const std::vector<int64_t>& remaining, const Itinerary& it) {
  if (it.legs.empty()) return "no legs";
  if (it.stops.size() != it.legs.size() + 1) return "stops do not frame the legs";
  const auto in = [](const std::vector<NodeIdx>& v, NodeIdx n) { return std::find(v.begin(), v.end(), n) != v.end(); };
  if (!in(q.origins, it.stops.front().node)) return "does not start at an origin";
  if (!in(q.destinations, it.stops.back().node)) return "does not end at a destination";
  const Node& origin = net.node(it.stops.front().node);
  const Node& dest = net.node(it.stops.back().node);
  bool exp = false, imp = false;
  for (NodeIdx d : q.destinations) exp = exp || origin.country != net.node(d).country;
  for (NodeIdx o : q.origins) imp = imp || net.node(o).country != dest.country;
  UtcMinutes avail = q.ready + (exp ? origin.export_clearance : 0);
  int64_t cost = exp ? origin.clearance_fee_micros : 0;
  int64_t co2 = 0;
  UtcMinutes arr = q.ready;
  for (size_t k = 0; k < it.legs.size(); ++k) {
    const Leg& leg = it.legs[k];
    const Service& s = net.service(leg.service);
    if (leg.from != it.stops[k].node || leg.to != it.stops[k + 1].node) return fmt::format("leg {} misplaced", k);
    if (s.from != leg.from || s.to != leg.to) return fmt::format("leg {} is not its service's link", k);
    if (!(ModeBit(s.mode) & q.modes)) return fmt::format("leg {} uses a forbidden mode", k);
    if (s.on_demand) {
      if (leg.departure) return "an on-demand leg with a dated departure";
      if (leg.departure_time != avail + s.cutoff) return fmt::format("on-demand leg {} leaves at the wrong time", k);
      if (leg.arrival_time != leg.departure_time + s.transit + tt.extra_transit(leg.service)) {
        return fmt::format("on-demand leg {} arrives at the wrong time", k);
      }
    } else {
      if (!leg.departure) return "a scheduled leg without a departure";
      const uint32_t d = leg.departure->value();
      if (tt.services()[d] != leg.service.value()) return fmt::format("leg {} departure of another service", k);
      if (tt.dropoffs()[d] < avail) return fmt::format("leg {} misses the cut-off", k);
      if (leg.departure_time != tt.departures()[d] || leg.arrival_time != tt.arrivals()[d]) {
        return fmt::format("leg {} times differ from the timetable", k);
      }
      const int64_t need = s.capacity_unit == CapacityUnit::kContainer ? q.load.cteu : q.load.kg;
      if (remaining[d] < need) return fmt::format("leg {} over capacity", k);
    }
    const int64_t leg_cost = s.price_basis == PriceBasis::kContainer ? s.price_micros * q.load.cteu
                             : s.price_basis == PriceBasis::kWeight  ? s.price_micros * q.load.chargeable_kg
                                                                     : s.price_micros;
    if (leg.cost_micros != leg_cost) return fmt::format("leg {} cost {} != {}", k, leg.cost_micros, leg_cost);
    const int64_t leg_co2 = static_cast<int64_t>(
        (static_cast<int128_t>(q.load.kg) * s.distance_km * s.co2_mg_per_tkm + 500000) / 1000000);
    if (leg.co2_g != leg_co2) return fmt::format("leg {} CO2 {} != {}", k, leg.co2_g, leg_co2);
    cost += leg_cost;
    co2 += leg_co2;
    arr = leg.arrival_time;
    avail = arr + tt.handling(leg.to);
  }
  const int64_t delivered = int64_t{arr} + tt.handling(it.stops.back().node) +
                            (imp ? dest.import_clearance : 0);
  cost += imp ? dest.clearance_fee_micros : 0;
  if (it.arrival != delivered) return fmt::format("delivered {} != {}", it.arrival, delivered);
  if (it.arrival > q.deadline) return "after the deadline";
  if (it.cost_micros != cost) return fmt::format("total cost {} != {}", it.cost_micros, cost);
  if (it.co2_g != co2) return fmt::format("total CO2 {} != {}", it.co2_g, co2);
  return "";
}

RandomNetworkText RandomNetwork(std::mt19937_64& rng, int node_count, int service_count) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomNetworkText out;
  static constexpr const char* kHandling[] = {"0m", "6h", "12h", "1d"};
  static constexpr const char* kOffsets[] = {"+00:00", "+08:00", "-05:00"};
  for (int i = 0; i < node_count; ++i) {
    out.nodes += fmt::format("N{},Node {},City{},rail_terminal,{},0,0,,{},{},{},{},{}\n", i, i, i % 3,
                             pick(0, 2) == 0 ? "BB" : "AA", kOffsets[pick(0, 2)], kHandling[pick(0, 3)],
                             pick(0, 1) ? "12h" : "0m", pick(0, 1) ? "1d" : "0m", pick(0, 1) ? "25" : "0");
  }
  static constexpr const char* kModes[] = {"rail", "sea", "air", "road"};
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr int kFactors[] = {10, 25, 80, 550};
  for (int i = 0; i < service_count; ++i) {
    const int from = pick(0, node_count - 1);
    int to = pick(0, node_count - 2);
    if (to >= from) ++to;
    const int mode = pick(0, 3);
    const bool on_demand = pick(0, 3) == 0;
    std::string days, time, every, phase, cap, cap_unit, price_unit;
    if (on_demand) {
      days = "on_demand";
    } else {
      const int first = pick(0, 6);
      days = kDays[first];
      if (pick(0, 1)) days += std::string(";") + kDays[(first + pick(1, 6)) % 7];
      time = fmt::format("{:02}:{:02}", pick(0, 23), pick(0, 1) * 30);
      every = pick(0, 3) == 0 ? "2" : "1";
      phase = every == "2" ? std::to_string(pick(0, 1)) : "0";
      const int c = pick(0, 3);
      if (c > 0) {
        cap = std::to_string(mode == 2 ? c * 4000 : c);
        cap_unit = mode == 2 ? "kg" : "TEU";
      }
    }
    price_unit = mode == 2 ? "kg" : (pick(0, 1) ? "TEU" : "FEU");
    const std::string price = mode == 2 ? fmt::format("{}.{}", pick(1, 4), pick(0, 9)) : std::to_string(pick(1, 40) * 25);
    const std::string transit = on_demand ? fmt::format("{}h", pick(1, 8) * 6) : fmt::format("{}h", pick(1, 24) * 6);
    const std::string cutoff = pick(0, 2) == 0 ? "0m" : (pick(0, 1) ? "6h" : "1d");
    out.services += fmt::format("S{},N{},N{},{},,{},{},{},{},{},{},{},{},{},USD,{},{},{}\n", i, from, to, kModes[mode],
                                days, time, every, phase, transit, cutoff, cap, cap_unit, price, price_unit,
                                pick(1, 30) * 100, kFactors[mode]);
  }
  return out;
}

}  // namespace dryport::freight::testing
