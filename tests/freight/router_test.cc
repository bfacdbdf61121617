// The router on small hand-built networks whose Pareto sets are worked out
// by hand in the comments, then on the built-in corridors.
#include "freight/router.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace dryport::freight {
namespace {

using testing::T;

// A origin, B transfer (12 h handling), C destination; all UTC, one country.
// 2025-10-27 is a Monday.
//  AIR  A->C Mon 12:00, 6 h,  $5000/TEU, 1000 km x 500 g/tkm
//  R1   A->B Mon 09:00, 1 d,  $300/TEU,  600 km x 25
//  R2   B->C Wed 09:00, 1 d,  $300/TEU,  600 km x 25
//  RD   A->B on demand, 1 d,  $400/TEU,  500 km x 80
//  SEA  A->C Tue 00:00, 10 d, $200/TEU, 3000 km x 10
// A 1 TEU, 10 t load ready Mon 00:00:
//  AIR       arrives Mon 18:00, $5000, 10 t x 1000 km x 500 g = 5000 kg
//  R1+R2     B at Tue 09:00, ready Tue 21:00, R2 Wed 09:00 -> Thu 09:00,
//            $600, 2 x 10 x 600 x 25 g = 300 kg
//  RD+R2     also Thu 09:00 but $700 and 400 + 150 = 550 kg: dominated
//  SEA       Tue 00:00 + 10 d = Fri 2025-11-07 00:00, $200, 300 kg
const char* kNodes =
    "A,A,Alpha,rail_terminal,XX,0,0,,+00:00,0m,0m,0m,0\n"
    "B,B,Beta,rail_terminal,XX,0,0,,+00:00,12h,0m,0m,0\n"
    "C,C,Gamma,rail_terminal,XX,0,0,,+00:00,0m,0m,0m,0\n";
const char* kServices =
    "AIR,A,C,air,,Mon,12:00,1,0,6h,0m,,,5000,USD,TEU,1000,500\n"
    "R1,A,B,rail,,Mon,09:00,1,0,1d,0m,1,TEU,300,USD,TEU,600,25\n"
    "R2,B,C,rail,,Wed,09:00,1,0,1d,0m,,,300,USD,TEU,600,25\n"
    "RD,A,B,road,,on_demand,,,,1d,0m,,,400,USD,TEU,500,80\n"
    "SEA,A,C,sea,,Tue,00:00,1,0,10d,0m,,,200,USD,TEU,3000,10\n";

constexpr int64_t kUsd = 1000000;

RouteQuery Query(const Network& net, const char* from, const char* to, UtcMinutes ready) {
  RouteQuery q;
  q.origins = *net.ResolvePlace(from);
  q.destinations = *net.ResolvePlace(to);
  q.ready = ready;
  q.load = *MakeLoad({.teu = 1, .kg = 10000});
  return q;
}

std::vector<testing::Vec> Vecs(const std::vector<Itinerary>& its) {
  std::vector<testing::Vec> out;
  for (const auto& it : its) out.push_back({it.arrival, it.cost_micros, it.co2_g});
  return out;
}

TEST(RouterTest, HandComputedParetoSet) {
  Network net = testing::MustLoad(kNodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 2});
  ASSERT_TRUE(tt.ok());
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  auto its = router.Route(Query(net, "Alpha", "Gamma", T("2025-10-27T00:00Z")), cap);
  ASSERT_TRUE(its.ok()) << its.status().ToString();
  const std::vector<testing::Vec> want = {
      {T("2025-10-27T18:00Z"), 5000 * kUsd, 5000000},
      {T("2025-10-30T09:00Z"), 600 * kUsd, 300000},
      {T("2025-11-07T00:00Z"), 200 * kUsd, 300000},
  };
  EXPECT_EQ(Vecs(*its), want);
  // The rail itinerary itemised: two legs, a 12 h handling at B, then a
  // wait until Wednesday's departure.
  const Itinerary& rail = (*its)[1];
  ASSERT_EQ(rail.legs.size(), 2u);
  EXPECT_EQ(net.service(rail.legs[0].service).id, "R1");
  EXPECT_EQ(net.service(rail.legs[1].service).id, "R2");
  EXPECT_EQ(rail.departure, T("2025-10-27T09:00Z"));
  EXPECT_EQ(rail.stops[1].arrival, T("2025-10-28T09:00Z"));
  EXPECT_EQ(rail.stops[1].handling, 12 * 60);
  EXPECT_EQ(rail.stops[1].available, T("2025-10-28T21:00Z"));
  EXPECT_EQ(rail.stops[1].departure, T("2025-10-29T09:00Z"));
  EXPECT_EQ(rail.legs[0].cost_micros, 300 * kUsd);
  EXPECT_EQ(rail.legs[0].co2_g, 150000);
  EXPECT_EQ(rail.legs[0].remaining, 100);  // 1 TEU = 100 cTEU left on R1
}

TEST(RouterTest, FullDepartureIsSkipped) {
  Network net = testing::MustLoad(kNodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 1});
  ASSERT_TRUE(tt.ok());
  auto cap = tt->FullCapacity();
  const auto r1 = tt->Find(*net.FindService("R1"), T("2025-10-27T09:00Z"));
  ASSERT_TRUE(r1.has_value());
  cap[r1->value()] = 99;  // 0.99 TEU left: a 1 TEU load does not fit
  Router router(net, *tt);
  auto its = router.Route(Query(net, "A", "C", T("2025-10-27T00:00Z")), cap);
  ASSERT_TRUE(its.ok());
  // Without R1 the road + R2 itinerary is no longer dominated.
  const std::vector<testing::Vec> want = {
      {T("2025-10-27T18:00Z"), 5000 * kUsd, 5000000},
      {T("2025-10-30T09:00Z"), 700 * kUsd, 550000},
      {T("2025-11-07T00:00Z"), 200 * kUsd, 300000},
  };
  EXPECT_EQ(Vecs(*its), want);
  EXPECT_EQ(net.service((*its)[1].legs[0].service).id, "RD");
  EXPECT_FALSE((*its)[1].legs[0].departure.has_value());
}

TEST(RouterTest, CutoffIsInclusiveAndBinding) {
  // R2 with a 12 h cut-off: drop-off Tue 21:00 = B ready time: still made.
  std::string services = kServices;
  services.replace(services.find("R2,B,C,rail,,Wed,09:00,1,0,1d,0m"), 32, "R2,B,C,rail,,Wed,09:00,1,0,1d,12h");
  Network net = testing::MustLoad(kNodes, services);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 1});
  ASSERT_TRUE(tt.ok());
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  auto its = router.Route(Query(net, "A", "C", T("2025-10-27T00:00Z")), cap);
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 3u);
  EXPECT_EQ((*its)[1].cost_micros, 600 * kUsd);
  // 13 h: R1 arrives too late for the cut-off; the truck (ready Tue 12:00)
  // still makes it.
  services.replace(services.find("1d,12h"), 6, "1d,13h");
  Network net2 = testing::MustLoad(kNodes, services);
  auto tt2 = Timetable::Build(net2, {.start = T("2025-10-27T00:00Z"), .weeks = 1});
  Router router2(net2, *tt2);
  auto cap2 = tt2->FullCapacity();
  auto its2 = router2.Route(Query(net2, "A", "C", T("2025-10-27T00:00Z")), cap2);
  ASSERT_TRUE(its2.ok());
  ASSERT_EQ(its2->size(), 3u);
  EXPECT_EQ((*its2)[1].cost_micros, 700 * kUsd);
}

TEST(RouterTest, DeadlineAndModes) {
  Network net = testing::MustLoad(kNodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 1});
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  RouteQuery q = Query(net, "A", "C", T("2025-10-27T00:00Z"));
  q.deadline = T("2025-10-29T00:00Z");
  auto its = router.Route(q, cap);
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 1u);
  EXPECT_EQ(net.service((*its)[0].legs[0].service).id, "AIR");
  q.deadline = kNever;
  q.modes = kAllModes & ~ModeBit(Mode::kAir) & ~ModeBit(Mode::kSea);
  its = router.Route(q, cap);
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 1u);
  EXPECT_EQ((*its)[0].cost_micros, 600 * kUsd);
}

TEST(RouterTest, CustomsAtBothEndsWhenInternational) {
  // C in another country: export 12 h + $75 at A, import 36 h + $75 at C.
  const std::string nodes =
      "A,A,Alpha,rail_terminal,XX,0,0,,+00:00,0m,12h,36h,75\n"
      "B,B,Beta,rail_terminal,XX,0,0,,+00:00,12h,12h,36h,75\n"
      "C,C,Gamma,rail_terminal,YY,0,0,,+00:00,0m,12h,36h,75\n";
  Network net = testing::MustLoad(nodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 2});
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  auto its = router.Route(Query(net, "A", "C", T("2025-10-27T00:00Z")), cap);
  ASSERT_TRUE(its.ok());
  // AIR: ready Mon 12:00 = drop-off, arrives Mon 18:00, cleared Wed 06:00.
  // The export clearance makes Monday's R1 (09:00) unreachable, so:
  // RD+R2: truck Mon 12:00 -> Tue 12:00, B ready Wed 00:00, R2 Wed 09:00
  //        -> Thu 09:00, cleared Fri 21:00; $400+300+150, 550 kg.
  // R1+R2 a week later: Thu Nov 6 09:00 + 36 h = Nov 7 21:00; $750, 300 kg.
  // SEA: Nov 7 00:00 + 36 h = Nov 8 12:00; $350, 300 kg.
  const std::vector<testing::Vec> want = {
      {T("2025-10-29T06:00Z"), 5150 * kUsd, 5000000},
      {T("2025-10-31T21:00Z"), 850 * kUsd, 550000},
      {T("2025-11-07T21:00Z"), 750 * kUsd, 300000},
      {T("2025-11-08T12:00Z"), 350 * kUsd, 300000},
  };
  EXPECT_EQ(Vecs(*its), want);
  const Itinerary& air = (*its)[0];
  EXPECT_EQ(air.stops.front().clearance, 12 * 60);
  EXPECT_EQ(air.stops.front().fee_micros, 75 * kUsd);
  EXPECT_EQ(air.stops.back().clearance, 36 * 60);
  EXPECT_EQ(air.stops.back().fee_micros, 75 * kUsd);
}

TEST(RouterTest, BorderQueueDelaysGaugeChanges) {
  // G is a gauge-change border; T1 runs A->C through it, T2 ends there.
  const std::string nodes =
      "A,A,,rail_terminal,XX,0,0,,+00:00,0m,0m,0m,0\n"
      "G,G,,border_gauge_change,XX/YY,0,0,,+00:00,12h,0m,0m,0\n"
      "C,C,,rail_terminal,XX,0,0,,+00:00,0m,0m,0m,0\n";
  const std::string services =
      "T1,A,C,rail,G,Mon,00:00,1,0,10d,0m,,,1000,USD,TEU,100,25\n"
      "T2,A,G,rail,,Mon,00:00,1,0,5d,0m,,,300,USD,TEU,100,25\n"
      "T3,G,C,rail,,Mon;Thu;Sun,00:00,1,0,2d,0m,,,300,USD,TEU,100,25\n";
  Network net = testing::MustLoad(nodes, services);
  for (const auto& [queue, t1_arrival, t2_arrival] :
       std::vector<std::tuple<Minutes, const char*, const char*>>{
           // No queue: T1 Nov 6; T2 at G Sat 00:00 + 12 h, T3 Sun -> Tue Nov 4.
           {0, "2025-11-06T00:00Z", "2025-11-04T00:00Z"},
           // 2 d queue: T1 Nov 8; at G ready Mon 12:00, T3 Thu -> Sat Nov 8.
           {2 * kMinutesPerDay, "2025-11-08T00:00Z", "2025-11-08T00:00Z"}}) {
    auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 2, .border_queue = queue});
    ASSERT_TRUE(tt.ok());
    Router router(net, *tt);
    auto cap = tt->FullCapacity();
    auto its = router.Route(Query(net, "A", "C", T("2025-10-27T00:00Z")), cap);
    ASSERT_TRUE(its.ok());
    bool saw_t1 = false, saw_t2 = false;
    for (const auto& it : *its) {
      const std::string& first = net.service(it.legs[0].service).id;
      if (first == "T1") {
        saw_t1 = true;
        EXPECT_EQ(it.arrival, T(t1_arrival)) << queue;
      } else {
        saw_t2 = true;
        EXPECT_EQ(it.arrival, T(t2_arrival)) << queue;
      }
    }
    EXPECT_TRUE(saw_t1 || queue > 0);  // with the queue T2+T3 may dominate T1
    EXPECT_TRUE(saw_t2);
  }
}

TEST(RouterTest, LoadConventions) {
  auto teu = MakeLoad({.teu = 1});
  ASSERT_TRUE(teu.ok());
  EXPECT_EQ(teu->cteu, 100);
  EXPECT_EQ(teu->kg, 6000);
  EXPECT_TRUE(teu->kg_assumed);
  EXPECT_EQ(teu->chargeable_kg, 6000);  // volumetric 33 m3 / 6000 cm3/kg = 5500 kg
  auto feu = MakeLoad({.feu = 1, .kg = 2000});
  EXPECT_EQ(feu->cteu, 200);
  EXPECT_EQ(feu->chargeable_kg, 11167);  // 67 m3 -> ceil(11166.67)
  // 40 cases of glassware, 6.2 m3, 900 kg: ceil(620 / 33) = 19 cTEU.
  auto lcl = MakeLoad({.m3 = *Decimal::Parse("6.2"), .kg = 900});
  EXPECT_EQ(lcl->cteu, 19);
  EXPECT_EQ(lcl->chargeable_kg, 1034);  // ceil(6.2 m3 * 166.67)
  auto by_weight = MakeLoad({.kg = 3300});
  EXPECT_EQ(by_weight->cteu, 10);  // 3.3 t = 3.3 m3 = 0.1 TEU
  EXPECT_FALSE(MakeLoad({}).ok());
  EXPECT_FALSE(MakeLoad({.teu = -1}).ok());
}

TEST(RouterTest, WeightedChoice) {
  Network net = testing::MustLoad(kNodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 2});
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  const UtcMinutes ready = T("2025-10-27T00:00Z");
  auto its = *router.Route(Query(net, "A", "C", ready), cap);
  ASSERT_EQ(its.size(), 3u);
  // Cost only: SEA. $50/day: AIR 5000+37.5, RAIL 600+162.5=762.5,
  // SEA 200+550=750 -> SEA. $100/day: RAIL 925 < SEA 1300 -> RAIL.
  EXPECT_EQ(PickBest(its, ready, {}), 2u);
  EXPECT_EQ(PickBest(its, ready, {Decimal::FromInt(50), Decimal()}), 2u);
  EXPECT_EQ(PickBest(its, ready, {Decimal::FromInt(100), Decimal()}), 1u);
  // $5000/day: AIR 5000+1250 < RAIL 600+16250.
  EXPECT_EQ(PickBest(its, ready, {Decimal::FromInt(5000), Decimal()}), 0u);
}

TEST(RouterTest, RejectsOriginThatIsDestination) {
  Network net = testing::MustLoad(kNodes, kServices);
  auto tt = Timetable::Build(net, {.start = T("2025-10-27T00:00Z"), .weeks = 1});
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  RouteQuery q = Query(net, "A", "A", T("2025-10-27T00:00Z"));
  EXPECT_FALSE(router.Route(q, cap).ok());
  // The router is reusable after an error.
  EXPECT_TRUE(router.Route(Query(net, "A", "C", T("2025-10-27T00:00Z")), cap).ok());
}

// Taiyuan -> Madrid on the built-in corridors, the question.
TEST(RouterTest, TaiyuanToMadridBuiltin) {
  const Network& net = BuiltinNetwork();
  auto origins = net.ResolvePlace("Taiyuan");
  ASSERT_TRUE(origins.ok());
  EXPECT_EQ(origins->size(), 4u);  // Zhongding, Huanghouyuan, Wusu airport, mail exchange
  auto ready = ParseIsoTime("2025-10-24T08:00", 8 * 60);
  auto tt = Timetable::Build(net, {.start = *ready, .weeks = 8});
  ASSERT_TRUE(tt.ok());
  Router router(net, *tt);
  auto cap = tt->FullCapacity();
  RouteQuery q;
  q.origins = *origins;
  q.destinations = *net.ResolvePlace("Madrid");
  q.ready = *ready;
  q.load = *MakeLoad({.teu = 1});
  auto its = router.Route(q, cap);
  ASSERT_TRUE(its.ok());
  ASSERT_GE(its->size(), 3u);
  for (const auto& it : *its) {
    EXPECT_EQ(testing::CheckItinerary(net, *tt, q, cap, it), "");
  }
  // Fastest: the Saturday freighter TYN->CGN. Ready Fri 08:00 +08, export
  // clearance 12 h -> Fri 20:00, which misses the 1 d cut-off of Sat
  // 25 Oct 02:00, so Sat 1 Nov 02:00 +08 (Oct 31 18:00Z) + 12 h = Nov 1
  // 06:00Z at CGN; 1 d handling, 2 d truck -> Nov 4 06:00Z at Madrid; 1 d
  // handling + 36 h import -> Nov 6 18:00Z.
  // Cost for 1 TEU at the assumed 6 t: 6000 kg x $3.20 + 6000 x $0.25 +
  // $75 + $75 = $20,850. CO2: 6 t x 7900 km x 550 g + 6 x 1800 x 80 g
  // = 26,070 + 864 = 26,934 kg.
  const Itinerary& fastest = its->front();
  EXPECT_EQ(fastest.arrival, T("2025-11-06T18:00Z"));
  EXPECT_EQ(fastest.cost_micros, int64_t{20850} * kUsd);
  EXPECT_EQ(fastest.co2_g, 26934000);
  ASSERT_EQ(fastest.legs.size(), 2u);
  EXPECT_EQ(net.service(fastest.legs[0].service).id, "X-TYN-CGN");
  // The cheapest is rail-sea through Tianjin; some itinerary is rail via
  // Alashankou or Erenhot.
  auto cheapest = std::min_element(its->begin(), its->end(),
                                   [](const auto& a, const auto& b) { return a.cost_micros < b.cost_micros; });
  bool via_tianjin = false;
  for (const auto& leg : cheapest->legs) via_tianjin = via_tianjin || net.node(leg.to).id == "CN-TJP";
  EXPECT_TRUE(via_tianjin);
  bool rail_europe = false;
  for (const auto& it : *its) {
    for (const auto& leg : it.legs) {
      const auto& id = net.service(leg.service).id;
      rail_europe = rail_europe || id == "R1" || id == "R7" || id == "R2";
    }
  }
  EXPECT_TRUE(rail_europe);
}

}  // namespace
}  // namespace dryport::freight
