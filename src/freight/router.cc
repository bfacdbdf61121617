#include "freight/router.h"

#include <fmt/format.h>

#include <algorithm>

namespace dryport::freight {
namespace {

// Load conventions (see LoadSpec).
constexpr int64_t kM3PerTeu = 33;
constexpr int64_t kM3PerFeu = 67;
constexpr int64_t kKgPerTeuAssumed = 6000;
constexpr int64_t kVolumetricKgPerM3Numerator = 1000000;  // cm3 per m3
constexpr int64_t kVolumetricCm3PerKg = 6000;             // IATA divisor

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

Result<Load> MakeLoad(const LoadSpec& spec) {
  if (spec.teu < 0 || spec.feu < 0) return Status::InvalidArgument("container counts cannot be negative");
  if (spec.teu > 100000 || spec.feu > 100000) return Status::InvalidArgument("more than 100000 containers");
  if (spec.kg && (*spec.kg <= 0 || *spec.kg > int64_t{10000000})) {
    return Status::InvalidArgument("weight must be 1 kg .. 10,000 t");
  }
  Load load;
  load.cteu = spec.teu * kCteuPerTeu + spec.feu * kCteuPerFeu;
  int128_t volume_milli_m3 = (spec.teu * kM3PerTeu + spec.feu * kM3PerFeu) * 1000;
  if (spec.m3) {
    if (spec.m3->IsNegative() || spec.m3->IsZero()) return Status::InvalidArgument("volume must be positive");
    if (*spec.m3 > Decimal::FromInt(1000000)) return Status::InvalidArgument("volume above 1,000,000 m3");
    // Space in cTEU = ceil(m3 * 100 / 33), exactly.
    const Decimal milli = (*spec.m3 * Decimal::FromInt(1000));
    const int128_t mm3 = milli.Rescaled(0).units() + (milli.FractionDigits() > 0 ? 1 : 0);
    load.cteu += static_cast<int64_t>((mm3 * kCteuPerTeu + kM3PerTeu * 1000 - 1) / (kM3PerTeu * 1000));
    volume_milli_m3 += mm3;
  }
  if (load.cteu == 0 && spec.kg) {
    // Weight or measure: with no volume, 1 t counts as 1 m3.
    load.cteu = CeilDiv(*spec.kg * kCteuPerTeu, kM3PerTeu * 1000);
  }
  if (load.cteu == 0) return Status::InvalidArgument("give the load: TEU, FEU, m3 or kg");
  if (spec.kg) {
    load.kg = *spec.kg;
  } else {
    load.kg = CeilDiv(load.cteu * kKgPerTeuAssumed, kCteuPerTeu);
    load.kg_assumed = true;
  }
  const int64_t volumetric_kg = static_cast<int64_t>(
      (volume_milli_m3 * kVolumetricKgPerM3Numerator / 1000 + kVolumetricCm3PerKg - 1) / kVolumetricCm3PerKg);
  load.chargeable_kg = std::max(load.kg, volumetric_kg);
  return load;
}

Router::Router(const Network& network, const Timetable& timetable) : net_(network), tt_(timetable) {
  svc_mode_bit_.resize(net_.service_count());
  svc_cap_unit_.resize(net_.service_count());
  svc_container_.resize(net_.service_count());
  for (uint32_t i = 0; i < net_.service_count(); ++i) {
    const Service& s = net_.services()[i];
    svc_mode_bit_[i] = ModeBit(s.mode);
    svc_cap_unit_[i] = static_cast<uint8_t>(s.capacity_unit);
    svc_container_[i] = s.capacity_unit == CapacityUnit::kContainer && s.price_basis == PriceBasis::kContainer;
  }
  bags_.resize(net_.node_count());
  is_destination_.assign(net_.node_count(), 0);
  import_applies_.assign(net_.node_count(), 0);
}

int64_t LegCostFor(const Service& svc, const Load& load) {
  switch (svc.price_basis) {
    case PriceBasis::kContainer: return svc.price_micros * load.cteu;
    case PriceBasis::kWeight: return svc.price_micros * load.chargeable_kg;
    case PriceBasis::kShipment: return svc.price_micros;
  }
  return 0;
}

int64_t LegCo2For(const Service& svc, const Load& load) {
  // kg x km x mg/tkm = micrograms; rounded half-up to grams per leg.
  const int128_t ug = static_cast<int128_t>(load.kg) * svc.distance_km * svc.co2_mg_per_tkm;
  return static_cast<int64_t>((ug + 500000) / 1000000);
}

int64_t Router::LegCost(ServiceIdx s, const Load& load) const { return LegCostFor(net_.service(s), load); }

int64_t Router::LegCo2(ServiceIdx s, const Load& load) const { return LegCo2For(net_.service(s), load); }

int64_t Router::LegQuantity(ServiceIdx s, const Load& load) const {
  return net_.service(s).capacity_unit == CapacityUnit::kContainer ? load.cteu : load.kg;
}

bool Router::Fits(uint32_t service, int64_t remaining) const {
  const int64_t need = svc_cap_unit_[service] == static_cast<uint8_t>(CapacityUnit::kContainer) ? query_.load.cteu
                                                                                                  : query_.load.kg;
  return remaining >= need;
}

void Router::Reset() {
  for (uint32_t n : touched_) bags_[n].clear();
  touched_.clear();
  labels_.clear();
  targets_.clear();
  results_.clear();
  stack_.clear();
  scanned_ = 0;
  for (NodeIdx d : query_.destinations) {
    is_destination_[d.value()] = 0;
    import_applies_[d.value()] = 0;
  }
}

bool Router::DominatedByTarget(UtcMinutes arr, int64_t cost, int64_t co2) const {
  for (const Target& t : targets_) {
    if (Dominates(t.delivered, t.cost, t.co2, arr, cost, co2)) return true;
  }
  return false;
}

bool Router::InsertIntoBag(const Label& l) {
  auto& bag = bags_[l.node];
  for (uint32_t e : bag) {
    const Label& o = labels_[e];
    if (Dominates(o.avail, o.cost, o.co2, l.avail, l.cost, l.co2)) return false;
  }
  for (size_t i = 0; i < bag.size();) {
    const Label& o = labels_[bag[i]];
    if (Dominates(l.avail, l.cost, l.co2, o.avail, o.cost, o.co2)) {
      bag[i] = bag.back();
      bag.pop_back();
    } else {
      ++i;
    }
  }
  if (bag.empty()) touched_.push_back(l.node);
  bag.push_back(static_cast<uint32_t>(labels_.size()));
  labels_.push_back(l);
  return true;
}

void Router::AddTarget(uint32_t label_index) {
  const Label& l = labels_[label_index];
  const Node& node = net_.nodes()[l.node];
  const bool imp = import_applies_[l.node] != 0;
  Target t{label_index,
           static_cast<UtcMinutes>(std::min<int64_t>(
               int64_t{l.arr} + tt_.handling(NodeIdx(l.node)) + (imp ? node.import_clearance : 0), kNever - 1)),
           l.cost + (imp ? node.clearance_fee_micros : 0), l.co2};
  if (t.delivered > query_.deadline) return;
  for (const Target& o : targets_) {
    if (Dominates(o.delivered, o.cost, o.co2, t.delivered, t.cost, t.co2)) return;
  }
  for (size_t i = 0; i < targets_.size();) {
    const Target& o = targets_[i];
    if (Dominates(t.delivered, t.cost, t.co2, o.delivered, o.cost, o.co2)) {
      targets_[i] = targets_.back();
      targets_.pop_back();
    } else {
      ++i;
    }
  }
  targets_.push_back(t);
}

void Router::InsertAndRelax(const Label& first) {
  stack_.push_back(first);
  while (!stack_.empty()) {
    const Label l = stack_.back();
    stack_.pop_back();
    if (l.arr > horizon_) continue;
    if (l.parent != kNone && DominatedByTarget(l.arr, l.cost, l.co2)) continue;
    if (!InsertIntoBag(l)) continue;
    const auto index = static_cast<uint32_t>(labels_.size() - 1);
    if (l.parent != kNone && is_destination_[l.node]) AddTarget(index);
    for (ServiceIdx s : net_.OnDemandFrom(NodeIdx(l.node))) {
      if (!Allowed(s.value())) continue;
      const Service& svc = net_.service(s);
      Label next;
      next.leg_dep = l.avail + svc.cutoff;
      const int64_t arr = int64_t{next.leg_dep} + svc.transit + tt_.extra_transit(s);
      if (arr > horizon_) continue;
      next.arr = static_cast<UtcMinutes>(arr);
      next.avail = next.arr + tt_.handling(svc.to);
      next.node = svc.to.value();
      next.parent = index;
      next.how = s.value() | kOnDemandBit;
      next.cost = l.cost + LegCost(s, query_.load);
      next.co2 = l.co2 + LegCo2(s, query_.load);
      stack_.push_back(next);
    }
  }
}

Result<size_t> Router::Search(const RouteQuery& query, std::span<const int64_t> remaining) {
  Reset();
  if (remaining.size() != tt_.size()) {
    return Status::InvalidArgument(
        fmt::format("capacity state has {} departures, the timetable {}", remaining.size(), tt_.size()));
  }
  if (query.origins.empty() || query.destinations.empty()) {
    return Status::InvalidArgument("a route needs an origin and a destination");
  }
  if (query.load.cteu <= 0 || query.load.kg <= 0) return Status::InvalidArgument("the load is empty");
  if (!query.surcharge.empty() && query.surcharge.size() != tt_.size()) {
    return Status::InvalidArgument("surcharges need one entry per departure");
  }
  query_ = query;
  remaining_ = remaining;
  for (NodeIdx n : query_.origins) {
    if (n.value() >= net_.node_count()) return Status::InvalidArgument("origin node out of range");
  }
  for (NodeIdx n : query_.destinations) {
    if (n.value() >= net_.node_count()) return Status::InvalidArgument("destination node out of range");
    is_destination_[n.value()] = 1;
  }
  for (NodeIdx o : query_.origins) {
    if (is_destination_[o.value()]) {
      return Status::InvalidArgument(
          fmt::format("{} is both an origin and a destination of this route", net_.node(o).id));
    }
  }
  // Customs apply when the trip crosses a border: per destination, against
  // the origins' countries; per origin, against the destinations'.
  for (NodeIdx d : query_.destinations) {
    for (NodeIdx o : query_.origins) {
      if (net_.node(o).country != net_.node(d).country) import_applies_[d.value()] = 1;
    }
  }
  const int64_t horizon = std::min<int64_t>(
      int64_t{query_.ready} + query_.max_duration, query_.deadline == kNever ? kNever - 1 : int64_t{query_.deadline});
  horizon_ = static_cast<UtcMinutes>(std::min<int64_t>(horizon, kNever - 1));

  UtcMinutes earliest = kNever;
  for (NodeIdx o : query_.origins) {
    bool exp = false;
    for (NodeIdx d : query_.destinations) exp = exp || net_.node(o).country != net_.node(d).country;
    const Node& n = net_.node(o);
    Label l;
    l.arr = query_.ready;
    l.avail = query_.ready + (exp ? n.export_clearance : 0);
    l.leg_dep = l.avail;
    l.node = o.value();
    l.parent = kNone;
    l.how = kNone;
    l.cost = exp ? n.clearance_fee_micros : 0;
    l.co2 = 0;
    earliest = std::min(earliest, l.avail);
    InsertAndRelax(l);
  }

  const auto dropoffs = tt_.dropoffs();
  const auto deps = tt_.departures();
  const auto arrs = tt_.arrivals();
  const auto froms = tt_.from_nodes();
  const auto tos = tt_.to_nodes();
  const auto services = tt_.services();
  size_t c = static_cast<size_t>(std::lower_bound(dropoffs.begin(), dropoffs.end(), earliest) - dropoffs.begin());
  const size_t n = dropoffs.size();
  for (; c < n; ++c) {
    if (dropoffs[c] > horizon_) break;
    const uint32_t u = froms[c];
    if (bags_[u].empty()) continue;
    ++scanned_;
    const uint32_t s = services[c];
    if (!Allowed(s) || arrs[c] > horizon_ || !Fits(s, remaining[c])) continue;
    scratch_.clear();
    for (uint32_t li : bags_[u]) {
      if (labels_[li].avail <= dropoffs[c]) scratch_.push_back(li);
    }
    if (scratch_.empty()) continue;
    const ServiceIdx sidx(s);
    const int64_t cost =
        LegCost(sidx, query_.load) + (query_.surcharge.empty() ? 0 : query_.surcharge[c] * query_.load.cteu);
    const int64_t co2 = LegCo2(sidx, query_.load);
    const Minutes handling = tt_.handling(NodeIdx(tos[c]));
    for (uint32_t li : scratch_) {
      const Label& from = labels_[li];
      Label next;
      next.arr = arrs[c];
      next.avail = arrs[c] + handling;
      next.leg_dep = deps[c];
      next.node = tos[c];
      next.parent = li;
      next.how = static_cast<uint32_t>(c);
      next.cost = from.cost + cost;
      next.co2 = from.co2 + co2;
      InsertAndRelax(next);
    }
  }

  results_.resize(targets_.size());
  for (uint32_t i = 0; i < targets_.size(); ++i) results_[i] = i;
  std::sort(results_.begin(), results_.end(), [&](uint32_t a, uint32_t b) {
    const Target& x = targets_[a];
    const Target& y = targets_[b];
    if (x.delivered != y.delivered) return x.delivered < y.delivered;
    if (x.cost != y.cost) return x.cost < y.cost;
    return x.co2 < y.co2;
  });
  return results_.size();
}

RouteSummary Router::summary(size_t i) const {
  const Target& t = targets_[results_[i]];
  return {t.delivered, t.cost, t.co2};
}

std::optional<size_t> Router::Cheapest() const {
  std::optional<size_t> best;
  for (size_t i = 0; i < results_.size(); ++i) {
    if (!best || targets_[results_[i]].cost < targets_[results_[*best]].cost) best = i;
  }
  return best;
}

void Router::CollectDepartures(size_t i, std::vector<DepartureIdx>* out) const {
  out->clear();
  for (uint32_t li = targets_[results_[i]].label; labels_[li].parent != kNone; li = labels_[li].parent) {
    if (!(labels_[li].how & kOnDemandBit)) out->push_back(DepartureIdx(labels_[li].how));
  }
  std::reverse(out->begin(), out->end());
}

Itinerary Router::Build(size_t i) const {
  const Target& t = targets_[results_[i]];
  std::vector<uint32_t> chain;
  for (uint32_t li = t.label; li != kNone; li = labels_[li].parent) chain.push_back(li);
  std::reverse(chain.begin(), chain.end());

  Itinerary it;
  it.arrival = t.delivered;
  it.cost_micros = t.cost;
  it.co2_g = t.co2;
  const Label& origin = labels_[chain.front()];
  Stop first;
  first.kind = StopKind::kOrigin;
  first.node = NodeIdx(origin.node);
  first.arrival = origin.arr;
  first.clearance = origin.avail - origin.arr;
  first.fee_micros = origin.cost;
  first.available = origin.avail;
  it.stops.push_back(first);
  for (size_t k = 1; k < chain.size(); ++k) {
    const Label& l = labels_[chain[k]];
    const Label& p = labels_[chain[k - 1]];
    Leg leg;
    leg.from = NodeIdx(p.node);
    leg.to = NodeIdx(l.node);
    if (l.how & kOnDemandBit) {
      leg.service = ServiceIdx(l.how & ~kOnDemandBit);
      leg.remaining = kUnlimited;
    } else {
      leg.service = tt_.service(DepartureIdx(l.how));
      leg.departure = DepartureIdx(l.how);
      leg.remaining = remaining_[l.how];
    }
    leg.departure_time = l.leg_dep;
    leg.arrival_time = l.arr;
    leg.cost_micros = l.cost - p.cost;
    leg.co2_g = l.co2 - p.co2;
    leg.kg = query_.load.kg;
    leg.quantity = LegQuantity(leg.service, query_.load);
    it.stops.back().departure = leg.departure_time;
    it.legs.push_back(leg);
    Stop stop;
    stop.node = leg.to;
    stop.arrival = l.arr;
    stop.handling = tt_.handling(leg.to);
    stop.available = l.avail;
    if (k + 1 == chain.size()) {
      stop.kind = StopKind::kDestination;
      stop.clearance = t.delivered - l.arr - stop.handling;
      stop.fee_micros = t.cost - l.cost;
      stop.available = t.delivered;
      stop.departure = t.delivered;
    }
    it.stops.push_back(stop);
  }
  it.departure = it.legs.empty() ? origin.arr : it.legs.front().departure_time;
  return it;
}

Result<std::vector<Itinerary>> Router::Route(const RouteQuery& query, std::span<const int64_t> remaining) {
  auto n = Search(query, remaining);
  if (!n.ok()) return n.status();
  std::vector<Itinerary> out;
  out.reserve(*n);
  for (size_t i = 0; i < *n; ++i) out.push_back(Build(i));
  return out;
}

std::optional<size_t> PickBest(std::span<const Itinerary> itineraries, UtcMinutes ready, const Weights& weights) {
  std::optional<size_t> best;
  Decimal best_score;
  for (size_t i = 0; i < itineraries.size(); ++i) {
    const Itinerary& it = itineraries[i];
    // Exact: cost + per_day * minutes / 1440 + per_t * grams / 1e6, all
    // scaled by 1440e6 to stay in integers.
    const Decimal score = MicroUsdToDecimal(it.cost_micros) * Decimal::FromInt(int64_t{1440} * 1000000) +
                          weights.usd_per_day * Decimal::FromInt(int64_t{it.arrival} - ready) *
                              Decimal::FromInt(1000000) +
                          weights.usd_per_tonne_co2 * Decimal::FromInt(it.co2_g) * Decimal::FromInt(1440);
    if (!best || score < best_score || (score == best_score && it.arrival < itineraries[*best].arrival)) {
      best = i;
      best_score = score;
    }
  }
  return best;
}

}  // namespace dryport::freight
