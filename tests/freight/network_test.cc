// Loading and validating network files: the built-in data against the
// reference dataset, user overlays, the JSON form, and bad input.
#include "freight/network.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/csv.h"
#include "freight/timetable.h"
#include "test_util.h"

namespace dryport::freight {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(NetworkTest, BuiltinLoads) {
  const Network& net = BuiltinNetwork();
  EXPECT_EQ(net.node_count(), 49u);
  EXPECT_GE(net.service_count(), 60u);
  const Service& r5 = net.service(*net.FindService("R5"));
  EXPECT_EQ(r5.weekdays, 1u << 1);  // Tuesday
  EXPECT_EQ(r5.local_time, 12 * 60 + 51);
  EXPECT_EQ(r5.capacity, 50 * kCteuPerFeu);
  EXPECT_EQ(r5.price_micros, int64_t{5500} * 1000000 / kCteuPerFeu);
  EXPECT_EQ(r5.co2_mg_per_tkm, 25000);
  // CNY prices are converted once, rounded to the cent: 3250 / 7.2 = 451.39.
  const Service& rs1 = net.service(*net.FindService("RS1"));
  EXPECT_EQ(rs1.price_micros * kCteuPerFeu, int64_t{451390000});
  EXPECT_EQ(rs1.price_text, "3250 CNY/FEU");
}

// Every node of the reference dataset is in data/corridors with the same
// position and provenance; every reference service that is a link between
// two nodes has a counterpart (ref column) with the same end points.
TEST(NetworkTest, BuiltinFollowsTheReferenceDataset) {
  const std::string shared = DRYPORT_SHARED_DIR;
  const std::string ref_nodes = ReadFile(shared + "/reference/corridors-nodes.csv");
  const std::string ref_services = ReadFile(shared + "/reference/corridors-services.csv");
  if (ref_nodes.empty() || ref_services.empty()) GTEST_SKIP() << "reference dataset not found under " << shared;
  const Network& net = BuiltinNetwork();
  auto rows = ParseCsv(ref_nodes, "corridors-nodes.csv");
  ASSERT_TRUE(rows.ok());
  ASSERT_GT(rows->size(), 40u);
  for (size_t i = 1; i < rows->size(); ++i) {
    const auto& f = (*rows)[i].fields;
    auto n = net.FindNode(f[0]);
    ASSERT_TRUE(n.has_value()) << f[0];
    const Node& node = net.node(*n);
    EXPECT_DOUBLE_EQ(node.lat, std::stod(f[4])) << f[0];
    EXPECT_DOUBLE_EQ(node.lon, std::stod(f[5])) << f[0];
    EXPECT_EQ(node.country, f[3]) << f[0];
    EXPECT_EQ(node.provenance.confidence, f[8]) << f[0];
    EXPECT_EQ(node.provenance.tag, f[9]) << f[0];
  }
  auto srows = ParseCsv(ref_services, "corridors-services.csv");
  ASSERT_TRUE(srows.ok());
  std::multimap<std::string, const Service*> by_ref;
  for (const auto& s : net.services()) by_ref.emplace(s.provenance.ref, &s);
  int linked = 0;
  for (size_t i = 1; i < srows->size(); ++i) {
    const auto& f = (*srows)[i].fields;
    const auto from = net.FindNode(f[1]);
    const auto to = net.FindNode(f[2]);
    if (!from || !to) continue;  // X1, X2, RD3, W1: node figures or expanded rows
    ++linked;
    auto [lo, hi] = by_ref.equal_range(f[0]);
    ASSERT_NE(lo, hi) << "no service for reference row " << f[0];
    EXPECT_EQ(lo->second->from, *from) << f[0];
    EXPECT_EQ(lo->second->to, *to) << f[0];
    EXPECT_EQ(lo->second->provenance.confidence, f[10]) << f[0];
  }
  EXPECT_GE(linked, 30);
  // The expanded rows are there too.
  EXPECT_GE(by_ref.count("RD3"), 10u);
  EXPECT_EQ(by_ref.count("W1"), 5u);
}

TEST(NetworkTest, ResolvesPlaces) {
  const Network& net = BuiltinNetwork();
  EXPECT_EQ(net.ResolvePlace("madrid")->size(), 2u);  // rail terminal + warehouse
  EXPECT_EQ(net.ResolvePlace("太原")->size(), 4u);
  auto by_id = net.ResolvePlace("CN-TYZD");
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ(net.node((*by_id)[0]).id, "CN-TYZD");
  auto by_code = net.ResolvePlace("TYN");
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(net.node((*by_code)[0]).id, "CN-TYN");
  auto unknown = net.ResolvePlace("Madird");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("did you mean 'Madrid'"), std::string::npos)
      << unknown.status().message();
  EXPECT_FALSE(net.ResolvePlace("Atlantis").ok());
}

const char* kGoodNodes =
    "A,A,Alpha,rail_terminal,XX,1,2,,+00:00,0m,0m,0m,0\n"
    "B,B,Beta,seaport,XX,1,2,,+08:00,1d,12h,36h,75\n";

std::string ErrorOf(const std::string& nodes, const std::string& services, const std::string& fx = "") {
  auto net = testing::Load(nodes, services, fx);
  return net.ok() ? "" : net.status().message();
}

TEST(NetworkTest, BadInputGetsClearErrors) {
  const auto has = [](const std::string& msg, const std::string& what) {
    return msg.find(what) != std::string::npos;
  };
  // Negative capacity, with the file and line.
  std::string e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,1,0,2d,0m,-5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "services.csv:2: service S: negative capacity -5")) << e;
  // A service that arrives before it leaves.
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,1,0,-1d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "arrives before it leaves")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,1,0,0m,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "needs a positive transit")) << e;
  // Unknown node.
  e = ErrorOf(kGoodNodes, "S,A,Z,rail,,Mon,10:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "unknown node 'Z' in 'to'")) << e;
  // A cycle of zero-time transfers (A and C have no handling).
  const std::string nodes3 = std::string(kGoodNodes) + "C,C,Gamma,rail_terminal,XX,1,2,,+00:00,0m,0m,0m,0\n";
  e = ErrorOf(nodes3,
              "T1,A,C,road,,on_demand,,,,0m,0m,,,0,USD,FEU,0,0\n"
              "T2,C,A,road,,on_demand,,,,0m,0m,,,0,USD,FEU,0,0\n");
  EXPECT_TRUE(has(e, "a cycle of zero-time transfers")) << e;
  EXPECT_TRUE(has(e, "T1") && has(e, "T2")) << e;
  // Zero-time transfers without a cycle are fine.
  EXPECT_EQ(ErrorOf(nodes3, "T1,A,C,road,,on_demand,,,,0m,0m,,,0,USD,FEU,0,0\n"), "");
  // Unknown currency, mode, weekday, unit; duplicate id; bad offset.
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,1,0,2d,0m,5,FEU,100,GBP,FEU,10,25\n");
  EXPECT_TRUE(has(e, "no exchange rate for currency 'GBP'")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,zeppelin,,Mon,10:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "mode 'zeppelin'")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mnday,10:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "'mnday' is not a weekday")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,1,0,2d,0m,5,wagons,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "capacity_unit 'wagons'")) << e;
  e = ErrorOf(kGoodNodes,
              "S,A,B,rail,,Mon,10:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n"
              "S,B,A,rail,,Mon,10:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "duplicate services id 'S'")) << e;
  e = ErrorOf("A,A,Alpha,rail_terminal,XX,1,2,,+8,0m,0m,0m,0\n", "");
  EXPECT_TRUE(has(e, "bad UTC offset '+8'")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,25:00,1,0,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "time '25:00'")) << e;
  e = ErrorOf(kGoodNodes, "S,A,B,rail,,Mon,10:00,2,2,2d,0m,5,FEU,100,USD,FEU,10,25\n");
  EXPECT_TRUE(has(e, "week_phase 2 must be below every_weeks 2")) << e;
  // Every error is reported, not only the first.
  NetworkReport report;
  std::vector<NetworkFile> files = {
      {"n.csv", std::string(testing::kNodeHeader) + kGoodNodes},
      {"s.csv", std::string(testing::kServiceHeader) +
                    "S1,A,B,rail,,Mon,10:00,1,0,2d,0m,-1,FEU,100,USD,FEU,10,25\n"
                    "S2,A,Q,rail,,Mon,10:00,1,0,2d,0m,1,FEU,100,USD,FEU,10,25\n"}};
  EXPECT_FALSE(LoadNetwork(files, {}, &report).ok());
  EXPECT_EQ(report.errors.size(), 2u);
}

TEST(NetworkTest, MalformedFiles) {
  std::vector<NetworkFile> files = {{"x.csv", "foo,bar\n1,2\n"}};
  auto net = LoadNetwork(files, {});
  ASSERT_FALSE(net.ok());
  EXPECT_NE(net.status().message().find("cannot tell what this CSV holds"), std::string::npos);
  files = {{"n.csv", std::string(testing::kNodeHeader) + "\"A,unterminated\n"}};
  net = LoadNetwork(files, {});
  ASSERT_FALSE(net.ok());
  EXPECT_NE(net.status().message().find("unterminated quoted field"), std::string::npos);
  files = {{"n.json", "{\"nodes\": [1, 2"}};
  EXPECT_FALSE(LoadNetwork(files, {}).ok());
}

TEST(NetworkTest, OverlayExtendsAndReplaces) {
  auto base = BuiltinNetworkFiles();
  // Replace R5's capacity and add a node and a service.
  std::vector<NetworkFile> overlay = {
      {"mine.csv", std::string(testing::kServiceHeader) +
                       "R5,CN-TYZD,BY-MSQ,rail,CN-EHT,Tue,12:51,1,0,12d,1d,30,FEU,5500,USD,FEU,8300,25\n"
                       "MY1,CN-TYZD,XX-NEW,rail,,Fri,10:00,1,0,5d,1d,10,FEU,1000,USD,FEU,2000,25\n"},
      {"mine-nodes.json",
       R"({"nodes": [{"id": "XX-NEW", "name": "New terminal", "city": ["Newtown", "Neustadt"],
          "type": "rail_terminal", "country": "KZ", "utc_offset": "+05:00", "handling": "1d"}]})"}};
  NetworkReport report;
  auto net = LoadNetwork(base, overlay, &report);
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  EXPECT_EQ(net->node_count(), BuiltinNetwork().node_count() + 1);
  EXPECT_EQ(net->service_count(), BuiltinNetwork().service_count() + 1);
  EXPECT_EQ(net->service(*net->FindService("R5")).capacity, 30 * kCteuPerFeu);
  EXPECT_EQ(net->ResolvePlace("Neustadt")->size(), 1u);
  bool noted = false;
  for (const auto& n : report.notes) noted = noted || n.find("'R5' replaces") != std::string::npos;
  EXPECT_TRUE(noted);
  // Replacing the base entirely: only the overlay.
  std::vector<NetworkFile> only = {overlay[1]};
  auto alone = LoadNetwork({}, only);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->node_count(), 1u);
}

TEST(NetworkTest, JsonFormMatchesCsv) {
  const std::string json = R"({
    "fx": [{"currency": "CNY", "per_usd": "7.2"}],
    "nodes": [
      {"id": "A", "type": "rail_terminal", "country": "CN", "utc_offset": "+08:00", "handling": "1d",
       "export_clearance": "12h", "import_clearance": "36h", "clearance_fee": 75},
      {"id": "B", "type": "rail_terminal+seaport", "country": "DE", "utc_offset": "+01:00"}],
    "services": [
      {"id": "S", "from": "A", "to": "B", "mode": "rail", "via": [], "days": ["Mon", "Thu"], "time": "12:00",
       "transit": "18d", "cutoff": "1d", "capacity": 43, "capacity_unit": "FEU", "price": "3250",
       "currency": "CNY", "price_unit": "FEU", "distance_km": 10000, "co2_g_per_tkm": 25}]})";
  std::vector<NetworkFile> files = {{"net.json", json}};
  auto net = LoadNetwork(files, {});
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  const Service& s = net->service(ServiceIdx(0));
  EXPECT_EQ(s.weekdays, 0b1001u);
  EXPECT_EQ(s.capacity, 43 * kCteuPerFeu);
  EXPECT_EQ(s.price_micros * kCteuPerFeu, int64_t{451390000});
  EXPECT_EQ(s.transit, 18 * kMinutesPerDay);
  EXPECT_EQ(net->node(NodeIdx(0)).clearance_fee_micros, 75000000);
}

TEST(NetworkTest, TimetableExpansion) {
  const Network& net = BuiltinNetwork();
  // Monday 2025-10-27 00:00 +08:00, 8 weeks.
  const UtcMinutes start = *ParseIsoTime("2025-10-27T00:00", 8 * 60);
  auto tt = Timetable::Build(net, {.start = start, .weeks = 8});
  ASSERT_TRUE(tt.ok());
  int r5 = 0, r4 = 0, a1 = 0, rs1 = 0;
  for (uint32_t i = 0; i < tt->size(); ++i) {
    const Service& s = net.services()[tt->services()[i]];
    EXPECT_GE(tt->departures()[i], start);
    EXPECT_LT(tt->departures()[i], tt->end());
    EXPECT_EQ(tt->arrivals()[i] - tt->departures()[i], s.transit);
    EXPECT_EQ(tt->dropoffs()[i], tt->departures()[i] - s.cutoff);
    if (i > 0) {
      EXPECT_LE(tt->dropoffs()[i - 1], tt->dropoffs()[i]);
    }
    r5 += s.id == "R5";
    r4 += s.id == "R4";
    a1 += s.id == "A1";
    rs1 += s.id == "RS1";
  }
  EXPECT_EQ(r5, 8);   // weekly
  EXPECT_EQ(r4, 4);   // fortnightly
  EXPECT_EQ(a1, 16);  // Mon and Fri
  EXPECT_EQ(rs1, 40); // Mon-Fri
  // Tuesday's train: 2025-10-28 12:51 Taiyuan time = 04:51Z.
  auto d = tt->FindKey("R5@2025-10-28T04:51Z");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(tt->Key(*d), "R5@2025-10-28T04:51Z");
  EXPECT_EQ(FormatIsoTime(tt->departure(*d), 8 * 60), "2025-10-28T12:51+08:00");
  EXPECT_EQ(tt->capacities()[d->value()], 50 * kCteuPerFeu);
  EXPECT_FALSE(tt->FindKey("R5@2025-10-29T04:51Z").has_value());
  // Week phases: R4 runs in even weeks since 1970-01-05.
  for (uint32_t i = 0; i < tt->size(); ++i) {
    const Service& s = net.services()[tt->services()[i]];
    if (s.id == "R4") {
      EXPECT_EQ(WeekNumber(tt->departures()[i], 8 * 60) % 2, 0);
    }
  }
}

}  // namespace
}  // namespace dryport::freight
