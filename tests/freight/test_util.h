// Helpers shared by the freight tests: networks from CSV text, a random
// small-network generator and the brute-force itinerary enumerator the
// router is checked against.
#ifndef DRYPORT_TESTS_FREIGHT_TEST_UTIL_H_
#define DRYPORT_TESTS_FREIGHT_TEST_UTIL_H_

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "freight/network.h"
#include "freight/router.h"
#include "freight/timetable.h"

namespace dryport::freight::testing {

inline constexpr const char* kNodeHeader =
    "id,name,city,type,country,lat,lon,code,utc_offset,handling,export_clearance,import_clearance,"
    "clearance_fee\n";
inline constexpr const char* kServiceHeader =
    "id,from,to,mode,via,days,time,every_weeks,week_phase,transit,cutoff,capacity,capacity_unit,price,"
    "currency,price_unit,distance_km,co2_g_per_tkm\n";

// Loads a network from CSV bodies (headers above are prepended).
Network MustLoad(const std::string& nodes_body, const std::string& services_body);
Result<Network> Load(const std::string& nodes_body, const std::string& services_body,
                     const std::string& fx_csv = "");

UtcMinutes T(const char* iso);  // "2025-10-27T00:00Z" -> minutes

// The criteria vector of an itinerary.
struct Vec {
  UtcMinutes arrival;
  int64_t cost;
  int64_t co2;
  bool operator==(const Vec&) const = default;
  auto operator<=>(const Vec&) const = default;
};
void PrintTo(const Vec& v, std::ostream* os);

// Every itinerary over node-simple paths, by depth-first search over the
// dated departures and on-demand services, with the router's model written
// out independently; returns the non-dominated criteria vectors, sorted.
std::vector<Vec> BruteForcePareto(const Network& net, const Timetable& tt, const RouteQuery& q,
                                  const std::vector<int64_t>& remaining);

// Checks an itinerary against the model from scratch; returns "" if it is
// feasible and its figures add up, else what is wrong.
std::string CheckItinerary(const Network& net, const Timetable& tt, const RouteQuery& q,
                           const std::vector<int64_t>& remaining, const Itinerary& it);

// A random small network as CSV bodies (nodes, services).
struct RandomNetworkText {
  std::string nodes;
  std::string services;
};
RandomNetworkText RandomNetwork(std::mt19937_64& rng, int node_count, int service_count);

}  // namespace dryport::freight::testing

#endif  // DRYPORT_TESTS_FREIGHT_TEST_UTIL_H_
