// Generated networks and demand, for benchmarks and tests (deterministic
// for a seed).
//
// Thread-safety: pure functions.
#ifndef DRYPORT_FREIGHT_SYNTHETIC_H_
#define DRYPORT_FREIGHT_SYNTHETIC_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "freight/assignment.h"
#include "freight/network.h"
#include "freight/timetable.h"

namespace dryport::freight {

// The built-in corridors copied `copies` times (node and service ids get a
// "#k" suffix for k > 0; departure times shift by a few hours and prices by
// up to +-20 % per copy), the copies joined in a ring by trucking between
// their Zhongding terminals and rail between their Malaszewicze borders, so
// that itineraries can cross copies.
Result<Network> ScaledBuiltinNetwork(int copies, uint64_t seed);

struct DemandPlace {
  std::string place;  // city, node id or code
  int weight = 1;
};
struct DemandMix {
  std::vector<DemandPlace> origins;
  std::vector<DemandPlace> destinations;
  int lcl_percent = 75;   // loose cargo of 1..25 m3
  int teu_percent = 18;   // one TEU; the rest one FEU
  int min_days = 20;      // deadline = ready + min..max days
  int max_days = 70;
};
// Shanxi origins and the built-in network's destinations.
DemandMix ReferenceDemandMix();

// `count` shipments ready (on the hour) during the first `ready_weeks`
// weeks after `start`.
Result<std::vector<Shipment>> SyntheticDemand(const Network& net, const DemandMix& mix, size_t count,
                                              UtcMinutes start, int ready_weeks, uint64_t seed);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_SYNTHETIC_H_
