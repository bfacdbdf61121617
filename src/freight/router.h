// Multi-criteria routing on dated departures.
//
// For a shipment (origin place, destination place, ready time, load,
// optional deadline) the router returns every Pareto-optimal itinerary over
// (arrival, total cost, CO2): none of them is beaten on all three by another
// feasible itinerary, and every non-dominated criteria vector is present once.
//
// Algorithm: multi-criteria label setting over the departures in drop-off
// order (a McCSA-style connection scan). Each node keeps a Pareto bag of
// labels (available-from time, cost, CO2); a departure extends every label of
// its origin node that is available by the drop-off (departure - cut-off) and
// fits the remaining capacity; on-demand trucking is relaxed the moment a
// label is created. Labels are pruned against the destination's bag (all
// three criteria only grow along a path). Because every scheduled departure
// arrives after it leaves, a label is final when it is created.
//
// Model, per itinerary:
//  origin:      ready + export clearance (if the trip is international);
//               first drop-off >= that;
//  transfer:    arrival + handling(node) (+ border queue at gauge changes)
//               <= next drop-off (departure - the service's cut-off);
//  destination: delivered = arrival + handling + import clearance.
//  Costs: per-leg price x quantity + clearance fees at both ends.
//  CO2 (ISO 14083 / GLEC style): per leg, weight t x distance km x factor.
//
// Ownership and thread-safety: a Router holds references to a Network and a
// Timetable (which must outlive it) and its own reusable work space, so one
// Router serves one thread; make one per thread. Search does not allocate
// once its buffers have grown to the network's size.
#ifndef DRYPORT_FREIGHT_ROUTER_H_
#define DRYPORT_FREIGHT_ROUTER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "freight/network.h"
#include "freight/timetable.h"

namespace dryport::freight {

// What a shipment occupies and weighs.
struct Load {
  int64_t cteu = 0;           // container space, 1/100 TEU
  int64_t kg = 0;             // actual weight: CO2 and air payload
  int64_t chargeable_kg = 0;  // air price basis: max(kg, volume / 6000 cm3 per kg)
  bool kg_assumed = false;    // weight filled in at 6 t per TEU (no --kg given)
};

// A load as a user states it. Conventions (docs/freight.md): 1 TEU holds
// 33 m3 and 1 FEU 67 m3 (internal volumes), an FEU occupies 2 TEU of train
// or ship space; a loose load's space is its volume share of a TEU (or, with
// no volume, 1 t = 1 m3); weight, if not given, is 6 t per TEU (12 t per
// FEU, corridors.md A5).
struct LoadSpec {
  int64_t teu = 0;
  int64_t feu = 0;
  std::optional<Decimal> m3 = std::nullopt;
  std::optional<int64_t> kg = std::nullopt;
};
Result<Load> MakeLoad(const LoadSpec& spec);

// The price and CO2 of one leg on service `s` for `load`: price x quantity
// by the service's price basis; CO2 = t x km x factor, rounded half-up to
// the gram per leg.
int64_t LegCostFor(const Service& s, const Load& load);
int64_t LegCo2For(const Service& s, const Load& load);

struct RouteQuery {
  std::vector<NodeIdx> origins;       // e.g. every node of a city
  std::vector<NodeIdx> destinations;  // delivered at any of them
  UtcMinutes ready = 0;
  UtcMinutes deadline = kNever;  // delivered (cleared) by then
  Load load;
  ModeSet modes = kAllModes;
  // false: Pareto over arrival and cost only (CO2 still summed). The
  // assignment uses this for its cheapest-by-the-deadline searches.
  bool co2_criterion = true;
  // false with co2_criterion false: earliest arrival only (one label per
  // node); the assignment's feasibility test.
  bool cost_criterion = true;
  Minutes max_duration = 120 * kMinutesPerDay;  // search window after `ready`
  // Only services whose capacity and price are both per container space
  // (the assignment's flow unit); excludes per-kg air and trucking.
  bool container_only = false;
  // Optional steering price per departure, in micro-USD per cTEU, added to
  // the searched cost (the assignment's shadow prices of full departures).
  // Empty: none. Results then report cost including it.
  std::span<const int64_t> surcharge;
};

struct Leg {
  ServiceIdx service;
  std::optional<DepartureIdx> departure;  // none for on-demand services
  NodeIdx from;
  NodeIdx to;
  UtcMinutes departure_time = 0;
  UtcMinutes arrival_time = 0;
  int64_t cost_micros = 0;
  int64_t co2_g = 0;
  int64_t kg = 0;          // weight moved (CO2 basis)
  int64_t quantity = 0;    // capacity used, in the service's capacity unit
  int64_t remaining = 0;   // capacity left before this shipment (kUnlimited on demand)
};

enum class StopKind { kOrigin, kTransfer, kDestination };

struct Stop {
  StopKind kind = StopKind::kTransfer;
  NodeIdx node;
  UtcMinutes arrival = 0;    // at the node (the ready time at the origin)
  Minutes handling = 0;      // unloading / gauge change / port handling
  Minutes clearance = 0;     // export (origin) or import (destination) clearance
  int64_t fee_micros = 0;    // clearance fee
  UtcMinutes available = 0;  // arrival + handling + clearance
  UtcMinutes departure = 0;  // of the next leg; the delivery time at the destination
};

struct Itinerary {
  UtcMinutes departure = 0;  // first leg leaves
  UtcMinutes arrival = 0;    // delivered and cleared at the destination
  int64_t cost_micros = 0;   // legs + fees
  int64_t co2_g = 0;
  std::vector<Leg> legs;
  std::vector<Stop> stops;  // legs.size() + 1: origin, transfers, destination
};

// The criteria of one result, without building the itinerary.
struct RouteSummary {
  UtcMinutes arrival = 0;
  int64_t cost_micros = 0;
  int64_t co2_g = 0;
};

class Router {
 public:
  Router(const Network& network, const Timetable& timetable);

  // Searches the Pareto set and returns its size. `remaining` holds the
  // capacity left on each departure (timetable.size() entries, in each
  // service's unit) and must stay valid until Build is done with the results.
  Result<size_t> Search(const RouteQuery& query, std::span<const int64_t> remaining);

  // Results of the last Search, ordered by arrival, then cost, then CO2.
  size_t size() const { return results_.size(); }
  RouteSummary summary(size_t i) const;
  Itinerary Build(size_t i) const;
  // The scheduled departures used by result i, in travel order.
  void CollectDepartures(size_t i, std::vector<DepartureIdx>* out) const;
  // The index of the cheapest result (ties: earlier arrival), if any.
  std::optional<size_t> Cheapest() const;

  // Search + Build for every result.
  Result<std::vector<Itinerary>> Route(const RouteQuery& query, std::span<const int64_t> remaining);

  // Work done by the last Search (for benchmarks).
  size_t labels_created() const { return labels_.size(); }
  size_t departures_scanned() const { return scanned_; }

  // The price and CO2 of one leg for `load` (also used by the assignment).
  int64_t LegCost(ServiceIdx s, const Load& load) const;
  int64_t LegCo2(ServiceIdx s, const Load& load) const;
  // Capacity a load takes on a service, in the service's unit.
  int64_t LegQuantity(ServiceIdx s, const Load& load) const;

 private:
  struct Label {
    UtcMinutes avail;  // may leave the node from here
    UtcMinutes arr;    // arrived at the node
    UtcMinutes leg_dep;
    uint32_t node;
    uint32_t parent;  // kNone at the origin
    uint32_t how;     // departure index, or service index | kOnDemandBit
    int64_t cost;
    int64_t co2;
  };
  struct Target {
    uint32_t label;
    UtcMinutes delivered;
    int64_t cost;
    int64_t co2;
  };
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr uint32_t kOnDemandBit = 0x80000000u;

  void Reset();
  void InsertAndRelax(const Label& first);
  bool InsertIntoBag(const Label& l);
  bool DominatedByTarget(UtcMinutes arr, int64_t cost, int64_t co2) const;
  void AddTarget(uint32_t label_index);
  bool Fits(uint32_t service, int64_t remaining) const;
  // a is at least as good as b on every criterion in use.
  bool Dominates(UtcMinutes ta, int64_t ca, int64_t ea, UtcMinutes tb, int64_t cb, int64_t eb) const {
    return ta <= tb && (!query_.cost_criterion || ca <= cb) && (!query_.co2_criterion || ea <= eb);
  }
  bool Allowed(uint32_t service) const {
    return (svc_mode_bit_[service] & query_.modes) && (!query_.container_only || svc_container_[service]);
  }

  const Network& net_;
  const Timetable& tt_;
  // Per service, copied into flat arrays for the scan.
  std::vector<uint8_t> svc_mode_bit_;
  std::vector<uint8_t> svc_cap_unit_;
  std::vector<uint8_t> svc_container_;  // priced and counted per container space

  // Query state.
  RouteQuery query_;
  std::span<const int64_t> remaining_;
  UtcMinutes horizon_ = 0;  // labels arriving later are useless
  std::vector<Label> labels_;
  std::vector<std::vector<uint32_t>> bags_;
  std::vector<uint32_t> touched_;
  std::vector<uint8_t> is_destination_;
  std::vector<uint8_t> import_applies_;
  std::vector<Target> targets_;
  std::vector<uint32_t> results_;  // indices into targets_, sorted
  std::vector<Label> stack_;
  std::vector<uint32_t> scratch_;
  size_t scanned_ = 0;
};

// The single best itinerary by a weighted sum: cost (USD) + usd_per_day x
// door-to-door days + usd_per_tonne_co2 x tonnes CO2. With non-negative
// weights the optimum is always one of the Pareto set, so choosing from it
// is exact. Ties go to the earlier arrival.
struct Weights {
  Decimal usd_per_day;
  Decimal usd_per_tonne_co2;
};
std::optional<size_t> PickBest(std::span<const Itinerary> itineraries, UtcMinutes ready, const Weights& weights);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_ROUTER_H_
