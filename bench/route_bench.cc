// Google Benchmark: route queries on the built-in corridors and on the
// generated 100x network, and the assignment of a batch of shipments. The
// same measurements, with p50/p99 and the greedy baseline, are printed by
// `dryport bench route`; this program is for perf/callgrind runs and
// comparisons between commits.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "freight/freight.h"

namespace dryport::freight {
namespace {

UtcMinutes Start() { return *ParseIsoTime("2025-10-27T00:00", 8 * 60); }

std::vector<RouteQuery> Queries(const Network& net, size_t n) {
  auto demand = SyntheticDemand(net, ReferenceDemandMix(), n, Start(), 2, 11);
  std::vector<RouteQuery> out;
  for (const auto& s : *demand) {
    RouteQuery q;
    q.origins = s.origins;
    q.destinations = s.destinations;
    q.ready = s.ready;
    q.load = s.load;
    out.push_back(std::move(q));
  }
  return out;
}

void BM_RouteReference(benchmark::State& state) {
  const Network& net = BuiltinNetwork();
  const Timetable tt = *Timetable::Build(net, {.start = Start(), .weeks = 8});
  const auto cap = tt.FullCapacity();
  const auto queries = Queries(net, 1000);
  Router router(net, tt);
  size_t i = 0, results = 0;
  for (auto _ : state) {
    auto its = router.Route(queries[i++ % queries.size()], cap);
    results += its.ok() ? its->size() : 0;
    benchmark::DoNotOptimize(its);
  }
  state.counters["itineraries/query"] = benchmark::Counter(static_cast<double>(results), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_RouteReference);

void BM_Route100x(benchmark::State& state) {
  static const auto net = std::make_unique<Network>(*ScaledBuiltinNetwork(100, 5));
  static const Timetable tt = *Timetable::Build(*net, {.start = Start(), .weeks = 8});
  const auto cap = tt.FullCapacity();
  // The reference queries moved to random copies of the network.
  const auto base = Queries(BuiltinNetwork(), 500);
  std::vector<RouteQuery> queries;
  for (size_t k = 0; k < base.size(); ++k) {
    const int a = static_cast<int>(k * 37 % 100), b = (a + static_cast<int>(k % 3)) % 100;
    const auto move = [&](NodeIdx n, int copy) {
      const std::string& id = BuiltinNetwork().node(n).id;
      return *net->FindNode(copy == 0 ? id : id + "#" + std::to_string(copy));
    };
    RouteQuery q = base[k];
    for (auto& n : q.origins) n = move(n, a);
    for (auto& n : q.destinations) n = move(n, b);
    queries.push_back(std::move(q));
  }
  Router router(*net, tt);
  size_t i = 0;
  for (auto _ : state) {
    auto its = router.Route(queries[i++ % queries.size()], cap);
    benchmark::DoNotOptimize(its);
  }
}
BENCHMARK(BM_Route100x)->Unit(benchmark::kMicrosecond);

void BM_Assign(benchmark::State& state) {
  const Network& net = BuiltinNetwork();
  const Timetable tt = *Timetable::Build(net, {.start = Start(), .weeks = 8});
  const auto cap = tt.FullCapacity();
  const auto shipments = *SyntheticDemand(net, ReferenceDemandMix(), static_cast<size_t>(state.range(0)), Start(), 6, 3);
  Assigner assigner(net, tt);
  double gap = 0;
  for (auto _ : state) {
    auto plan = assigner.Plan(shipments, cap, {});
    gap = GapRatio(*plan);
    benchmark::DoNotOptimize(plan);
  }
  state.counters["gap_%"] = 100 * gap;
}
BENCHMARK(BM_Assign)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace dryport::freight

BENCHMARK_MAIN();
