// Timetable expansion: the weekly pattern of every scheduled service rolled
// out over a planning horizon into dated departures, each with its capacity.
//
// Departures are stored as parallel arrays (structure of arrays) sorted by
// drop-off time (departure minus the consolidation cut-off): the order in
// which the router scans them. A departure is named stably across horizons
// and restarts by its key "<service>@<UTC departure>", e.g.
// "R5@2025-10-28T04:51Z"; booking stores keep capacity use under that key.
//
// Ownership and thread-safety: immutable once built; holds a pointer to the
// Network, which must outlive it. Share by const reference between threads.
#ifndef DRYPORT_FREIGHT_TIMETABLE_H_
#define DRYPORT_FREIGHT_TIMETABLE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "freight/clock.h"
#include "freight/network.h"

namespace dryport::freight {

using DepartureIdx = StrongId<struct DepartureIdxTag, uint32_t>;

struct TimetableOptions {
  UtcMinutes start = 0;  // first departure kept (inclusive)
  int weeks = 8;         // horizon length
  // Queue scenario at gauge-change borders (corridors.md A3: default 0-2 d,
  // stress 6-14 d), added to the handling at every gauge-change node and to
  // the transit of a through train once per gauge change on its way.
  Minutes border_queue = 0;
};

class Timetable {
 public:
  static Result<Timetable> Build(const Network& network, const TimetableOptions& options);

  const Network& network() const { return *network_; }
  const TimetableOptions& options() const { return options_; }
  UtcMinutes start() const { return options_.start; }
  UtcMinutes end() const { return end_; }
  uint32_t size() const { return static_cast<uint32_t>(dep_.size()); }

  // Per departure, all of length size().
  std::span<const UtcMinutes> dropoffs() const { return dropoff_; }
  std::span<const UtcMinutes> departures() const { return dep_; }
  std::span<const UtcMinutes> arrivals() const { return arr_; }
  std::span<const uint32_t> services() const { return service_; }  // ServiceIdx values
  std::span<const uint32_t> from_nodes() const { return from_; }
  std::span<const uint32_t> to_nodes() const { return to_; }
  // Capacity of each departure in its service's capacity unit.
  std::span<const int64_t> capacities() const { return capacity_; }

  ServiceIdx service(DepartureIdx d) const { return ServiceIdx(service_[d.value()]); }
  UtcMinutes departure(DepartureIdx d) const { return dep_[d.value()]; }
  UtcMinutes arrival(DepartureIdx d) const { return arr_[d.value()]; }

  // Handling at a node after an arrival, including the border queue.
  Minutes handling(NodeIdx n) const { return handling_[n.value()]; }
  // Extra transit of a service from the border queue scenario.
  Minutes extra_transit(ServiceIdx s) const { return extra_transit_[s.value()]; }

  std::string Key(DepartureIdx d) const;
  std::optional<DepartureIdx> FindKey(std::string_view key) const;
  std::optional<DepartureIdx> Find(ServiceIdx s, UtcMinutes departure) const;

  // A fresh copy of every departure's capacity: the starting point of a
  // capacity state (remaining = capacity - booked).
  std::vector<int64_t> FullCapacity() const { return capacity_; }

 private:
  const Network* network_ = nullptr;
  TimetableOptions options_;
  UtcMinutes end_ = 0;
  std::vector<UtcMinutes> dropoff_, dep_, arr_;
  std::vector<uint32_t> service_, from_, to_;
  std::vector<int64_t> capacity_;
  std::vector<Minutes> handling_;
  std::vector<Minutes> extra_transit_;
};

// Days-since-epoch of Monday 1970-01-05: weeks for every_weeks/week_phase
// are counted from it, so week_phase = ((day - 4) / 7) % every_weeks.
inline constexpr int64_t kWeekZeroMonday = 4;
// The week number of a UTC instant's local date at `offset`.
int64_t WeekNumber(UtcMinutes t, Minutes offset);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_TIMETABLE_H_
