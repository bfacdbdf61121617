// dryport freight: the inland port's corridor network, routing and capacity.
//
// What the module offers (each header documents its part):
//  - network.h    The network as data: nodes and services with mode,
//                 schedule, transit, cut-off, capacity, price, CO2 factor and
//                 the confidence/source of each figure; loaded from the
//                 built-in data/corridors files and/or user CSV or JSON
//                 files (extend or replace), validated with every error
//                 reported as "file:line: ...". Place names resolve to nodes.
//  - timetable.h  The weekly pattern expanded over a horizon (e.g. 8 weeks)
//                 into dated departures with capacities, stable keys.
//  - router.h     Pareto-optimal itineraries over arrival, cost and CO2 for
//                 one shipment, respecting capacity, cut-offs, handling,
//                 gauge changes and customs; itemised legs and stops; the
//                 weighted single best.
//  - booking.h    Booking an itinerary takes capacity on every departure
//                 atomically and durably (SQLite WAL, BEGIN IMMEDIATE);
//                 cancelling gives it back; no over-booking under
//                 concurrency.
//  - assignment.h A batch of shipments assigned to departures at least total
//                 cost within capacities and deadlines: min-cost flow on the
//                 time-expanded network (LEMON network simplex) as a bound,
//                 then per-shipment repair; greedy baseline; reasons for
//                 unassigned shipments.
//  - json.h       The JSON shape shared by the CLI and the API.
//  - synthetic.h  Generated networks and demand for benchmarks and tests.
//
// Ownership and thread-safety in one line: Network and Timetable are
// immutable values shared by const reference; Router and Assigner hold
// per-thread work space (one per thread); booking stores are thread-safe.
// Money is exact (integer micro-USD inside, dryport::Decimal outside).
#ifndef DRYPORT_FREIGHT_FREIGHT_H_
#define DRYPORT_FREIGHT_FREIGHT_H_

#include "freight/assignment.h"
#include "freight/booking.h"
#include "freight/clock.h"
#include "freight/json.h"
#include "freight/network.h"
#include "freight/router.h"
#include "freight/synthetic.h"
#include "freight/timetable.h"

#endif  // DRYPORT_FREIGHT_FREIGHT_H_
