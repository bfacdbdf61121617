#include "freight/timetable.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace dryport::freight {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

}  // namespace

int64_t WeekNumber(UtcMinutes t, Minutes offset) {
  const int64_t day = FloorDiv(static_cast<int64_t>(t) + offset, kMinutesPerDay);
  return FloorDiv(day - kWeekZeroMonday, 7);
}

Result<Timetable> Timetable::Build(const Network& network, const TimetableOptions& options) {
  if (options.weeks < 1 || options.weeks > 104) {
    return Status::InvalidArgument(fmt::format("planning horizon of {} weeks: use 1..104", options.weeks));
  }
  if (options.border_queue < 0) return Status::InvalidArgument("the border queue cannot be negative");
  Timetable tt;
  tt.network_ = &network;
  tt.options_ = options;
  const int64_t end = static_cast<int64_t>(options.start) + int64_t{options.weeks} * kMinutesPerWeek;
  if (end >= kNever - 400 * int64_t{kMinutesPerDay}) return Status::OutOfRange("the horizon ends after 2037");
  tt.end_ = static_cast<UtcMinutes>(end);

  tt.handling_.resize(network.node_count());
  for (uint32_t i = 0; i < network.node_count(); ++i) {
    const Node& n = network.nodes()[i];
    tt.handling_[i] = n.handling + (n.gauge_change ? options.border_queue : 0);
  }
  tt.extra_transit_.assign(network.service_count(), 0);

  struct Dep {
    UtcMinutes dropoff, dep, arr;
    uint32_t service;
  };
  std::vector<Dep> deps;
  for (uint32_t si = 0; si < network.service_count(); ++si) {
    const Service& s = network.services()[si];
    Minutes extra = 0;
    for (NodeIdx v : s.via) {
      if (network.node(v).gauge_change) extra += options.border_queue;
    }
    tt.extra_transit_[si] = extra;
    if (s.on_demand) continue;
    const Minutes offset = network.node(s.from).utc_offset;
    // Local dates that can hold a departure inside [start, end).
    const int64_t first_day = FloorDiv(static_cast<int64_t>(options.start) + offset, kMinutesPerDay) - 1;
    const int64_t last_day = FloorDiv(end + offset, kMinutesPerDay) + 1;
    for (int64_t day = first_day; day <= last_day; ++day) {
      if (!(s.weekdays >> WeekdayFromDays(day) & 1)) continue;
      int64_t week = FloorDiv(day - kWeekZeroMonday, 7) % s.every_weeks;
      if (week < 0) week += s.every_weeks;
      if (week != s.week_phase) continue;
      const int64_t dep = day * kMinutesPerDay + s.local_time - offset;
      if (dep < options.start || dep >= end) continue;
      const int64_t arr = dep + s.transit + extra;
      deps.push_back({static_cast<UtcMinutes>(dep - s.cutoff), static_cast<UtcMinutes>(dep),
                      static_cast<UtcMinutes>(std::min<int64_t>(arr, kNever - 1)), si});
    }
  }
  std::sort(deps.begin(), deps.end(), [&](const Dep& a, const Dep& b) {
    if (a.dropoff != b.dropoff) return a.dropoff < b.dropoff;
    if (a.dep != b.dep) return a.dep < b.dep;
    return network.services()[a.service].id < network.services()[b.service].id;
  });
  const size_t n = deps.size();
  tt.dropoff_.resize(n);
  tt.dep_.resize(n);
  tt.arr_.resize(n);
  tt.service_.resize(n);
  tt.from_.resize(n);
  tt.to_.resize(n);
  tt.capacity_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Service& s = network.services()[deps[i].service];
    tt.dropoff_[i] = deps[i].dropoff;
    tt.dep_[i] = deps[i].dep;
    tt.arr_[i] = deps[i].arr;
    tt.service_[i] = deps[i].service;
    tt.from_[i] = s.from.value();
    tt.to_[i] = s.to.value();
    tt.capacity_[i] = s.capacity;
  }
  return tt;
}

std::string Timetable::Key(DepartureIdx d) const {
  return network_->services()[service_[d.value()]].id + "@" + FormatIsoUtc(dep_[d.value()]);
}

std::optional<DepartureIdx> Timetable::Find(ServiceIdx s, UtcMinutes departure) const {
  const Service& svc = network_->service(s);
  const UtcMinutes dropoff = departure - svc.cutoff;
  auto it = std::lower_bound(dropoff_.begin(), dropoff_.end(), dropoff);
  for (size_t i = static_cast<size_t>(it - dropoff_.begin()); i < dropoff_.size() && dropoff_[i] == dropoff; ++i) {
    if (service_[i] == s.value() && dep_[i] == departure) return DepartureIdx(static_cast<uint32_t>(i));
  }
  return std::nullopt;
}

std::optional<DepartureIdx> Timetable::FindKey(std::string_view key) const {
  const size_t at = key.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto s = network_->FindService(key.substr(0, at));
  if (!s) return std::nullopt;
  auto t = ParseIsoTime(key.substr(at + 1), 0);
  if (!t.ok()) return std::nullopt;
  return Find(*s, *t);
}

}  // namespace dryport::freight
