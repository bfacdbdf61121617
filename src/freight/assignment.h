// Assignment: a batch of shipments (a month of a forwarder's demand) put on
// departures at the least total transport cost, within capacities and
// deadlines.
//
// Method (docs/freight.md has the details and the measurements):
//  1. Flow bound. A time-expanded network: per node a timeline of events
//     (availability after arrivals, drop-offs of departures), holding arcs
//     forward in time, one capacitated arc per departure (capacity = room
//     left, cost = price per 1/100 TEU), on-demand trucking as uncapacitated
//     arcs (exact Pareto closure of truck chains), per destination a
//     delivered timeline (handling + import clearance) feeding one sink per
//     (destination, deadline) group, and a penalty arc per supply group for
//     volume that cannot go. Solved exactly with LEMON's network simplex.
//     Shipments of different origin-destination pairs share one commodity
//     there, and ready times are rounded down / deadlines up to the hour, so
//     the flow is a relaxation: its cost is a lower bound on any plan. Its
//     duals also give a Lagrangian bound without that mixing (FlowBound).
//     Shipments that cannot make their deadline even on empty departures are
//     found first (earliest-arrival search) and kept out of the flow.
//  2. Repair. The flow is decomposed into paths; each shipment (indivisible)
//     takes a path from its own supply group that reaches its own
//     destination by its deadline and still has room, checked by replaying
//     its exact times and that is cheapest for it at the flow's dual prices;
//     the rest are routed cheapest-by-deadline with the duals as surcharges
//     on full departures (shadow prices), then plainly on any room left;
//     last, a local improvement moves each shipment to a cheaper itinerary
//     if the room allows, and retries those still out.
//  3. Unassignable shipments get a reason: no path, no path before the
//     deadline, or no capacity before the deadline.
// A greedy baseline (each shipment in input order takes its cheapest
// feasible itinerary) runs on the same instance for comparison.
//
// Scope: surface container freight. Only services priced and counted per
// container space take part (air and per-kg trucking do not: their capacity
// is in kg, which does not add up with container space in one flow).
// Clearance fees do not depend on the assignment and are reported apart.
//
// Ownership and thread-safety: an Assigner holds references to a Network and
// a Timetable and its own Router; one per thread.
#ifndef DRYPORT_FREIGHT_ASSIGNMENT_H_
#define DRYPORT_FREIGHT_ASSIGNMENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "freight/network.h"
#include "freight/router.h"
#include "freight/timetable.h"

namespace dryport::freight {

struct Shipment {
  std::string id;
  std::vector<NodeIdx> origins;
  std::vector<NodeIdx> destinations;
  UtcMinutes ready = 0;
  UtcMinutes deadline = kNever;
  Load load;
};

// Reads a shipments CSV with header id,from,to,ready,deadline and any of
// teu,feu,m3,kg. from/to are places (city, node id or code); ready is local
// time at the origin, deadline local at the destination (may be empty).
// Every bad row is reported ("file:line: ...").
Result<std::vector<Shipment>> ReadShipmentsCsv(const Network& net, std::string_view text, std::string_view name);

enum class UnassignedReason {
  kNoPath,                   // no itinerary at all (surface containers, within the window)
  kNoPathBeforeDeadline,     // only itineraries that arrive too late, even with every train empty
  kNoCapacityBeforeDeadline  // itineraries exist in time, but their departures are full
};
std::string_view UnassignedReasonText(UnassignedReason r);

struct PlannedLeg {
  ServiceIdx service;
  std::optional<DepartureIdx> departure;  // none for on-demand trucking
  UtcMinutes departure_time = 0;
  UtcMinutes arrival_time = 0;
};

struct ShipmentPlan {
  bool assigned = false;
  UnassignedReason reason = UnassignedReason::kNoPath;  // if not assigned
  std::vector<PlannedLeg> legs;
  NodeIdx origin;
  NodeIdx destination;
  UtcMinutes delivered = 0;
  int64_t transport_micros = 0;  // legs
  int64_t fees_micros = 0;       // clearance fees
  int64_t co2_g = 0;
  bool followed_flow = false;  // took a path of the flow decomposition
};

struct PlanTotals {
  size_t shipments = 0;
  size_t assigned = 0;
  int64_t assigned_cteu = 0;
  int64_t unassigned_cteu = 0;
  int64_t transport_micros = 0;
  int64_t fees_micros = 0;
  int64_t co2_g = 0;
  // The objective: transport + penalty x unassigned volume.
  int64_t objective_micros = 0;
};

// Lower bounds on the objective (transport + penalty x unassigned volume)
// of any plan. Two are computed and the larger is the bound:
//  - the flow: capacities shared, but origin-destination pairs mixed in one
//    commodity;
//  - the Lagrangian one below, from the flow's dual prices (with no full
//    departure it is each shipment's own cheapest, which is then optimal).
// Shipments that cannot make their deadline even on empty departures are
// unmet in both (and in every plan).
struct FlowBound {
  bool solved = false;
  int64_t transport_micros = 0;  // flow cost without the penalty arcs
  int64_t unmet_cteu = 0;        // volume the bound leaves unmet (hopeless + what the flow cannot move)
  int64_t flow_unmet_cteu = 0;   // volume the flow cannot move, hopeless included
  int64_t flow_objective_micros = 0;
  int64_t hopeless_cteu = 0;                // no itinerary by the deadline even on empty departures
  // Lagrangian: the capacity constraints priced with the flow's duals
  // (shadow prices) lambda >= 0: sum over shipments of min(penalty x load,
  // cheapest itinerary at cost + lambda x load) - sum of lambda x room.
  // Valid for any lambda >= 0, and free of the flow's commodity mixing.
  int64_t lagrangian_objective_micros = 0;
  int lagrangian_steps = 0;  // subgradient steps taken from the flow's duals
  int64_t objective_micros = 0;  // the larger of the two: the lower bound
  size_t nodes = 0;
  size_t arcs = 0;
  double build_ms = 0;
  double solve_ms = 0;
};

struct PlanResult {
  std::string method;  // "flow+repair" or "greedy"
  std::vector<ShipmentPlan> shipments;  // in input order
  PlanTotals totals;
  FlowBound bound;               // solved only for the flow method
  size_t followed_flow = 0;      // shipments placed on a decomposed flow path
  size_t rerouted = 0;           // placed by the repair's routing
  size_t improved = 0;           // moved to a cheaper itinerary by the local improvement
  double repair_ms = 0;
  double total_ms = 0;      // wall clock
  double total_cpu_ms = 0;  // this thread's CPU time
  size_t router_queries = 0;
};

struct AssignmentOptions {
  ModeSet modes = ModeBit(Mode::kRail) | ModeBit(Mode::kSea) | ModeBit(Mode::kRoad);
  Minutes max_duration = 120 * kMinutesPerDay;
  // Cost of leaving volume unassigned, per TEU; far above any transport
  // price so that the flow first moves as much volume as it can.
  int64_t penalty_micros_per_teu = int64_t{1000000} * 1000000;
  // The flow's ready/deadline rounding (keeps the bound valid, the network small).
  Minutes time_bucket = 60;
  // Subgradient steps that tighten the Lagrangian bound after the plan is
  // made (each is one priced search per distinct request); -1: 8 for up to
  // 5,000 shipments, none above.
  int lagrangian_steps = -1;
};

class Assigner {
 public:
  Assigner(const Network& network, const Timetable& timetable);

  // Flow bound, then repair. `remaining` is the room left per departure.
  Result<PlanResult> Plan(std::span<const Shipment> shipments, std::span<const int64_t> remaining,
                          const AssignmentOptions& options);
  // The baseline: shipments in input order, each its cheapest feasible
  // itinerary on the room left.
  Result<PlanResult> Greedy(std::span<const Shipment> shipments, std::span<const int64_t> remaining,
                            const AssignmentOptions& options);

 private:
  struct Impl;
  const Network& net_;
  const Timetable& tt_;
};

// The gap of a plan to its lower bound, in micro-USD (>= 0: the bound is
// valid). As a ratio of the bound's transport cost when the plan leaves no
// more volume out than the bound (then the penalty cancels out), else of
// the whole objective.
int64_t GapMicros(const PlanResult& plan);
double GapRatio(const PlanResult& plan);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_ASSIGNMENT_H_
