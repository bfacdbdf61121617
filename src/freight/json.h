// The JSON shape of routing results, shared by the CLI (`dryport route
// --json`) and the HTTP API. Public interface: the keys
//   {"itineraries": [{"departure", "arrival", "cost": {"amount", "currency"},
//     "co2_kg", "legs": [{"from", "to", "mode", "service", "departure",
//     "arrival", "cost", "co2_kg"}]}]}
// are stable; further keys may be added. Times are ISO 8601 local to the
// node with its UTC offset; amounts are exact decimal strings in USD.
//
// Thread-safety: pure functions.
#ifndef DRYPORT_FREIGHT_JSON_H_
#define DRYPORT_FREIGHT_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "freight/assignment.h"
#include "freight/router.h"
#include "freight/timetable.h"

namespace dryport::freight {

nlohmann::json MoneyJson(int64_t micros);
// Container space in TEU ("1.00") or weight in kg, by the service's unit.
nlohmann::json CapacityJson(CapacityUnit unit, int64_t amount);
nlohmann::json ItineraryJson(const Timetable& tt, const Itinerary& it);
nlohmann::json LoadJson(const Load& load);

struct RouteResponse {
  const RouteQuery* query = nullptr;
  std::span<const Itinerary> itineraries;
  std::optional<size_t> best;
  Weights weights;
};
nlohmann::json RouteResponseJson(const Timetable& tt, const RouteResponse& response);

// One shipment of a plan: {"shipment", "assigned", and either "itinerary"
// (the route shape: departure, arrival, cost, co2_kg, legs) or "reason"}.
nlohmann::json ShipmentPlanJson(const Timetable& tt, const Shipment& s, const ShipmentPlan& p);
// {"plan": [...], "totals": {...}, "bound": {...}} of a plan result.
nlohmann::json PlanResultJson(const Timetable& tt, std::span<const Shipment> shipments, const PlanResult& r);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_JSON_H_
