// Property test: on random small networks the router returns exactly the
// Pareto set a brute-force enumerator finds, and every itinerary it returns
// is feasible with figures that add up.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

#include "freight/router.h"
#include "test_util.h"

namespace dryport::freight {
namespace {

using testing::T;

void RunCase(uint64_t seed, bool co2_criterion, int* nonempty) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int node_count = pick(3, 6);
  const auto text = testing::RandomNetwork(rng, node_count, pick(node_count, 3 * node_count));
  auto net = testing::Load(text.nodes, text.services);
  ASSERT_TRUE(net.ok()) << net.status().ToString() << "\n" << text.services;
  const UtcMinutes start = T("2025-10-27T00:00Z");
  auto tt = Timetable::Build(*net, {.start = start, .weeks = 3, .border_queue = 0});
  ASSERT_TRUE(tt.ok());
  // Random remaining capacity: some departures full, some tight.
  std::vector<int64_t> remaining = tt->FullCapacity();
  for (auto& r : remaining) {
    const int roll = pick(0, 5);
    if (roll == 0) r = 0;
    if (roll == 1 && r != kUnlimited) r = r / 2;
  }
  RouteQuery q;
  const int o = pick(0, node_count - 1);
  q.origins = {NodeIdx(static_cast<uint32_t>(o))};
  int d = pick(0, node_count - 2);
  if (d >= o) ++d;
  q.destinations = {NodeIdx(static_cast<uint32_t>(d))};
  if (node_count > 3 && pick(0, 2) == 0) {
    // A second destination (a city with two nodes).
    for (int k = 0; k < node_count; ++k) {
      if (k != o && k != d) {
        q.destinations.push_back(NodeIdx(static_cast<uint32_t>(k)));
        break;
      }
    }
  }
  q.ready = start + pick(0, 7 * 24) * 60;
  if (pick(0, 2) == 0) q.deadline = q.ready + pick(2, 14) * kMinutesPerDay;
  q.max_duration = 16 * kMinutesPerDay;
  q.co2_criterion = co2_criterion;
  LoadSpec spec;
  if (pick(0, 1)) {
    spec.teu = 1;
  } else {
    spec.m3 = Decimal::FromInt(pick(1, 60));
  }
  if (pick(0, 1)) spec.kg = pick(100, 9000);
  q.load = *MakeLoad(spec);
  if (pick(0, 4) == 0) q.modes = kAllModes & ~ModeBit(static_cast<Mode>(pick(0, 3)));

  Router router(*net, *tt);
  auto its = router.Route(q, remaining);
  ASSERT_TRUE(its.ok()) << its.status().ToString();
  std::vector<testing::Vec> got;
  for (const auto& it : *its) {
    EXPECT_EQ(testing::CheckItinerary(*net, *tt, q, remaining, it), "") << "seed " << seed;
    got.push_back({it.arrival, it.cost_micros, co2_criterion ? it.co2_g : 0});
  }
  std::sort(got.begin(), got.end());
  const auto want = testing::BruteForcePareto(*net, *tt, q, remaining);
  ASSERT_EQ(got.size(), want.size()) << "seed " << seed << "\n" << text.nodes << text.services;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i], want[i]) << "seed " << seed << " result " << i;
  }
  // No returned vector dominates another (distinct Pareto points).
  for (size_t i = 0; i < got.size(); ++i) {
    for (size_t j = 0; j < got.size(); ++j) {
      if (i == j) continue;
      const bool dom = got[i].arrival <= got[j].arrival && got[i].cost <= got[j].cost && got[i].co2 <= got[j].co2;
      EXPECT_FALSE(dom) << "seed " << seed;
    }
  }
  if (!got.empty()) ++*nonempty;
  // The router's summaries agree with the built itineraries.
  for (size_t i = 0; i < router.size(); ++i) {
    EXPECT_EQ(router.summary(i).cost_micros, (*its)[i].cost_micros);
  }
}

TEST(RouterPropertyTest, MatchesBruteForceOnRandomNetworks) {
  int nonempty = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    RunCase(seed, /*co2_criterion=*/true, &nonempty);
    if (HasFatalFailure()) return;
  }
  // The generator must actually produce routable cases for the test to mean
  // something.
  EXPECT_GT(nonempty, 150);
}

TEST(RouterPropertyTest, TwoCriteriaMatchesBruteForce) {
  int nonempty = 0;
  for (uint64_t seed = 1001; seed <= 1200; ++seed) {
    RunCase(seed, /*co2_criterion=*/false, &nonempty);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(nonempty, 70);
}

}  // namespace
}  // namespace dryport::freight
