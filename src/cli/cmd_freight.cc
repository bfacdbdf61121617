// dryport route | plan | network check | book | cancel, and `bench route`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "freight/freight.h"

namespace dryport::cli {
namespace {

using namespace dryport::freight;  // NOLINT(google-build-using-namespace): this file is the freight CLI

// Options every freight command shares.
struct NetworkOptions {
  std::vector<std::string> files;  // user network files or folders (overlay)
  bool replace = false;            // use only `files`
  int weeks = 8;
  std::string border_queue = "0m";

  void Add(CLI::App* cmd) {
    cmd->add_option("--network", files,
                    "Extra network files or folders (CSV or JSON, see data/corridors/README.md); rows with a "
                    "built-in id replace it");
    cmd->add_flag("--replace-network", replace, "Use only the --network files, not the built-in corridors");
    cmd->add_option("--weeks", weeks, "Planning horizon in weeks")->check(CLI::Range(1, 104));
    cmd->add_option("--border-queue", border_queue,
                    "Extra queue at every gauge-change border, e.g. 2d (corridors.md A3 scenario)");
  }
};

// A loaded network, or the exit code that says why not (message printed).
struct Loaded {
  std::unique_ptr<Network> net;
  int exit_code = kExitOk;
};

Loaded LoadNetworkOrExplain(const NetworkOptions& opt) {
  Loaded out;
  std::vector<NetworkFile> overlay;
  if (!opt.files.empty()) {
    auto files = ReadNetworkFiles(opt.files);
    if (!files.ok()) {
      std::cerr << "dryport: " << files.status().message() << "\n";
      out.exit_code = kExitUsage;
      return out;
    }
    overlay = std::move(*files);
  }
  if (opt.replace && overlay.empty()) {
    std::cerr << "dryport: --replace-network needs --network files\n";
    out.exit_code = kExitUsage;
    return out;
  }
  std::vector<NetworkFile> base;
  if (!opt.replace) base = BuiltinNetworkFiles();
  auto net = LoadNetwork(base, overlay);
  if (!net.ok()) {
    std::cerr << "dryport: " << net.status().message() << "\n";
    out.exit_code = kExitInvalid;
    return out;
  }
  out.net = std::make_unique<Network>(std::move(*net));
  return out;
}

Result<Minutes> ParseQueue(const std::string& text) {
  auto q = ParseDuration(text);
  if (!q.ok()) return q.status();
  if (*q < 0) return Status::InvalidArgument("--border-queue cannot be negative");
  return *q;
}

// "12,345.50" for tables.
std::string Grouped(int64_t micros) {
  const std::string plain = Decimal::FromUnits(micros, 6).ToString(2);
  const size_t dot = plain.find('.');
  std::string head = plain.substr(0, dot), out;
  const bool neg = !head.empty() && head[0] == '-';
  if (neg) head.erase(0, 1);
  for (size_t i = 0; i < head.size(); ++i) {
    if (i > 0 && (head.size() - i) % 3 == 0) out += ',';
    out += head[i];
  }
  return (neg ? "-" : "") + out + plain.substr(dot);
}

std::string Kg(int64_t grams) { return fmt::format("{:.1f}", static_cast<double>(grams) / 1000.0); }

std::string Capacity(CapacityUnit unit, int64_t v) {
  if (v >= kUnlimited) return "no limit";
  return unit == CapacityUnit::kContainer ? Decimal::FromUnits(v, 2).ToString(2) + " TEU" : fmt::format("{} kg", v);
}

std::string LoadText(const Load& load) {
  return fmt::format("{} TEU of space, {} kg{}", Decimal::FromUnits(load.cteu, 2).ToString(2), load.kg,
                     load.kg_assumed ? " (weight assumed at 6 t/TEU; give --kg)" : "");
}

void PrintItinerary(const Timetable& tt, const Itinerary& it, size_t index, bool best) {
  const Network& net = tt.network();
  const auto at = [&](NodeIdx n, UtcMinutes t) { return FormatIsoTime(t, net.node(n).utc_offset); };
  fmt::print("#{}{}  delivered {}  ({} door to door)  ${}  {} kg CO2\n", index + 1, best ? " [best]" : "",
             at(it.stops.back().node, it.arrival), FormatDuration(it.arrival - it.stops.front().arrival),
             Grouped(it.cost_micros), Kg(it.co2_g));
  for (size_t k = 0; k < it.stops.size(); ++k) {
    const Stop& st = it.stops[k];
    const Node& n = net.node(st.node);
    std::string what;
    if (st.kind == StopKind::kOrigin) {
      what = st.clearance > 0 ? fmt::format("export clearance {}, fee ${}", FormatDuration(st.clearance),
                                            Grouped(st.fee_micros))
                              : "domestic: no export clearance";
    } else {
      what = fmt::format("{} {}", n.gauge_change ? "gauge change" : "handling", FormatDuration(st.handling));
      if (st.kind == StopKind::kDestination && st.clearance > 0) {
        what += fmt::format(", import clearance {}, fee ${}", FormatDuration(st.clearance), Grouped(st.fee_micros));
      }
    }
    fmt::print("    {:<9} {}  ({})\n", n.id, what, n.name);
    if (k == it.legs.size()) break;
    const Leg& leg = it.legs[k];
    const Service& s = net.service(leg.service);
    std::string via;
    for (NodeIdx v : s.via) via += (via.empty() ? " via " : ",") + net.node(v).id;
    fmt::print("      {:<4} {:<13} {} -> {}  ${}  {} kg CO2 ({} km){}\n", ModeName(s.mode), s.id,
               at(leg.from, leg.departure_time), at(leg.to, leg.arrival_time), Grouped(leg.cost_micros),
               Kg(leg.co2_g), s.distance_km, via);
    if (leg.departure) {
      fmt::print("           room before booking: {} of {}   [{}]\n", Capacity(s.capacity_unit, leg.remaining),
                 Capacity(s.capacity_unit, tt.capacities()[leg.departure->value()]), s.provenance.confidence);
    } else {
      fmt::print("           on demand   [{}]\n", s.provenance.confidence);
    }
  }
}

// Shared by route and book.
struct RouteOptions {
  std::string from, to, ready, deadline;
  int64_t teu = 0, feu = 0;
  std::string m3;
  int64_t kg = 0;
  std::string db;
  std::string weights = "day=100,co2_t=80";
  std::string modes = "rail,air,sea,road";
  int max_days = 120;
  bool json = false;

  void Add(CLI::App* cmd) {
    cmd->add_option("--from", from, "Origin: city, node id or code (e.g. Taiyuan, CN-TYZD, TYN)")->required();
    cmd->add_option("--to", to, "Destination: city, node id or code")->required();
    cmd->add_option("--ready", ready, "Ready at the origin, ISO 8601 local time (e.g. 2025-10-24T08:00)")->required();
    cmd->add_option("--deadline", deadline, "Delivered and cleared by (ISO 8601, local at the destination)");
    cmd->add_option("--teu", teu, "Twenty-foot containers")->check(CLI::Range(0, 100000));
    cmd->add_option("--feu", feu, "Forty-foot containers")->check(CLI::Range(0, 100000));
    cmd->add_option("--m3", m3, "Loose cargo volume in m3 (LCL: a share of a TEU)");
    cmd->add_option("--kg", kg, "Gross weight in kg (default 6 t per TEU)")->check(CLI::Range(0, 10000000));
    cmd->add_option("--db", db, "Booking store (SQLite): route on the capacity still free");
    cmd->add_option("--weights", weights,
                    "Weighted best: day=USD per day, co2_t=USD per tonne CO2 (cost counts 1 per USD)");
    cmd->add_option("--modes", modes, "Allowed modes, comma-separated");
    cmd->add_option("--max-days", max_days, "Search window after ready")->check(CLI::Range(1, 365));
    cmd->add_flag("--json", json, "Print JSON (the API's shape)");
  }
};

Result<Weights> ParseWeights(const std::string& text) {
  Weights w;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(pos, end - pos);
    const size_t eq = item.find('=');
    if (eq == std::string::npos) return Status::InvalidArgument(fmt::format("--weights: '{}' is not key=value", item));
    auto v = Decimal::Parse(item.substr(eq + 1));
    if (!v.ok() || v->IsNegative()) {
      return Status::InvalidArgument(fmt::format("--weights: '{}' needs a non-negative number", item));
    }
    const std::string key = item.substr(0, eq);
    if (key == "day") {
      w.usd_per_day = *v;
    } else if (key == "co2_t") {
      w.usd_per_tonne_co2 = *v;
    } else {
      return Status::InvalidArgument(fmt::format("--weights: unknown key '{}' (day, co2_t)", key));
    }
    pos = end + 1;
  }
  return w;
}

Result<ModeSet> ParseModes(const std::string& text) {
  ModeSet set = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    const std::string m = text.substr(pos, end - pos);
    bool found = false;
    for (int i = 0; i < kModeCount; ++i) {
      if (ModeName(static_cast<Mode>(i)) == m) {
        set |= ModeBit(static_cast<Mode>(i));
        found = true;
      }
    }
    if (!found) return Status::InvalidArgument(fmt::format("--modes: '{}' is not rail, air, sea or road", m));
    pos = end + 1;
  }
  return set;
}

// Everything a route query needs, built from the options; or an exit code.
struct Prepared {
  Loaded loaded;
  std::optional<Timetable> tt;
  RouteQuery query;
  Weights weights;
  std::unique_ptr<SqliteBookingStore> store;
  std::vector<int64_t> remaining;
  int exit_code = kExitOk;
};

std::unique_ptr<Prepared> Prepare(const NetworkOptions& nopt, const RouteOptions& ropt) {
  auto p = std::make_unique<Prepared>();
  const auto fail = [&](int code, const std::string& msg) {
    std::cerr << "dryport: " << msg << "\n";
    p->exit_code = code;
    return std::move(p);
  };
  auto queue = ParseQueue(nopt.border_queue);
  if (!queue.ok()) return fail(kExitUsage, queue.status().message());
  auto weights = ParseWeights(ropt.weights);
  if (!weights.ok()) return fail(kExitUsage, weights.status().message());
  p->weights = *weights;
  auto modes = ParseModes(ropt.modes);
  if (!modes.ok()) return fail(kExitUsage, modes.status().message());
  p->loaded = LoadNetworkOrExplain(nopt);
  if (!p->loaded.net) {
    p->exit_code = p->loaded.exit_code;
    return p;
  }
  const Network& net = *p->loaded.net;
  auto origins = net.ResolvePlace(ropt.from);
  if (!origins.ok()) return fail(kExitInvalid, "--from: " + origins.status().message());
  auto destinations = net.ResolvePlace(ropt.to);
  if (!destinations.ok()) return fail(kExitInvalid, "--to: " + destinations.status().message());
  auto ready = ParseIsoTime(ropt.ready, net.node(origins->front()).utc_offset);
  if (!ready.ok()) return fail(kExitUsage, "--ready: " + ready.status().message());
  LoadSpec spec{.teu = ropt.teu, .feu = ropt.feu};
  if (!ropt.m3.empty()) {
    auto m3 = Decimal::Parse(ropt.m3);
    if (!m3.ok()) return fail(kExitUsage, "--m3: " + m3.status().message());
    spec.m3 = *m3;
  }
  if (ropt.kg > 0) spec.kg = ropt.kg;
  auto load = MakeLoad(spec);
  if (!load.ok()) return fail(kExitUsage, load.status().message());
  RouteQuery& q = p->query;
  q.origins = *origins;
  q.destinations = *destinations;
  q.ready = *ready;
  q.load = *load;
  q.modes = *modes;
  q.max_duration = ropt.max_days * kMinutesPerDay;
  if (!ropt.deadline.empty()) {
    auto deadline = ParseIsoTime(ropt.deadline, net.node(destinations->front()).utc_offset);
    if (!deadline.ok()) return fail(kExitUsage, "--deadline: " + deadline.status().message());
    q.deadline = *deadline;
  }
  auto tt = Timetable::Build(net, {.start = q.ready, .weeks = nopt.weeks, .border_queue = *queue});
  if (!tt.ok()) return fail(kExitUsage, tt.status().message());
  p->tt.emplace(std::move(*tt));
  p->remaining = p->tt->FullCapacity();
  if (!ropt.db.empty()) {
    auto store = SqliteBookingStore::Open(ropt.db);
    if (!store.ok()) return fail(kExitUsage, store.status().message());
    p->store = std::move(*store);
    auto remaining = RemainingCapacity(*p->tt, *p->store);
    if (!remaining.ok()) return fail(kExitInvalid, remaining.status().message());
    p->remaining = std::move(*remaining);
  }
  return p;
}

void RunRoute(const NetworkOptions& nopt, const RouteOptions& ropt, ExitCode& exit_code) {
  auto p = Prepare(nopt, ropt);
  if (p->exit_code != kExitOk) {
    exit_code.value = p->exit_code;
    return;
  }
  const Network& net = *p->loaded.net;
  Router router(net, *p->tt);
  auto its = router.Route(p->query, p->remaining);
  if (!its.ok()) {
    std::cerr << "dryport: " << its.status().message() << "\n";
    exit_code.value = kExitInvalid;
    return;
  }
  const auto best = PickBest(*its, p->query.ready, p->weights);
  if (ropt.json) {
    RouteResponse r{&p->query, *its, best, p->weights};
    std::cout << RouteResponseJson(*p->tt, r).dump(2) << "\n";
    return;
  }
  const auto names = [&](const std::vector<NodeIdx>& v) {
    std::string s;
    for (NodeIdx n : v) s += (s.empty() ? "" : ", ") + net.node(n).id;
    return s;
  };
  fmt::print("{} -> {}\n", ropt.from, ropt.to);
  fmt::print("  from {}\n  to   {}\n", names(p->query.origins), names(p->query.destinations));
  fmt::print("  ready {}, {}\n", FormatIsoTime(p->query.ready, net.node(p->query.origins.front()).utc_offset),
             LoadText(p->query.load));
  if (its->empty()) {
    fmt::print("\nNo itinerary within {} days{}.\n", ropt.max_days, ropt.deadline.empty() ? "" : " and the deadline");
    return;
  }
  fmt::print("\n{} Pareto-optimal itineraries (none is faster, cheaper and lower in CO2 than another):\n\n",
             its->size());
  fmt::print(" #  {:<22}  {:<22}  {:>6}  {:>12}  {:>10}  {}\n", "departs", "delivered", "days", "cost USD", "CO2 kg",
             "route");
  for (size_t i = 0; i < its->size(); ++i) {
    const Itinerary& it = (*its)[i];
    std::string route = net.node(it.stops.front().node).id;
    for (const Leg& leg : it.legs) {
      route += fmt::format(" -{}:{}-> {}", ModeName(net.service(leg.service).mode), net.service(leg.service).id,
                           net.node(leg.to).id);
    }
    fmt::print("{:>2}{} {:<22}  {:<22}  {:>6.1f}  {:>12}  {:>10}  {}\n", i + 1, best && *best == i ? "*" : " ",
               FormatIsoTime(it.departure, net.node(it.stops.front().node).utc_offset),
               FormatIsoTime(it.arrival, net.node(it.stops.back().node).utc_offset),
               static_cast<double>(it.arrival - p->query.ready) / kMinutesPerDay, Grouped(it.cost_micros),
               Kg(it.co2_g), route);
  }
  fmt::print("\n* best by cost + ${}/day + ${}/t CO2 (--weights)\n\n", p->weights.usd_per_day.ToString(),
             p->weights.usd_per_tonne_co2.ToString());
  for (size_t i = 0; i < its->size(); ++i) {
    PrintItinerary(*p->tt, (*its)[i], i, best && *best == i);
    fmt::print("\n");
  }
  fmt::print("Figures are approximate (public sources and estimates, data/corridors/README.md); not a quote.\n");
}

void RunNetworkCheck(const std::vector<std::string>& files, bool replace, bool json, ExitCode& exit_code) {
  std::vector<NetworkFile> overlay;
  if (!files.empty()) {
    auto read = ReadNetworkFiles(files);
    if (!read.ok()) {
      std::cerr << "dryport: " << read.status().message() << "\n";
      exit_code.value = kExitUsage;
      return;
    }
    overlay = std::move(*read);
  }
  std::vector<NetworkFile> base;
  if (!replace) base = BuiltinNetworkFiles();
  NetworkReport report;
  auto net = LoadNetwork(base, overlay, &report);
  if (json) {
    std::cout << nlohmann::json{{"ok", report.ok()},
                                {"errors", report.errors},
                                {"notes", report.notes},
                                {"nodes", report.node_count},
                                {"services", report.service_count}}
                     .dump(2)
              << "\n";
  } else {
    for (const auto& n : report.notes) fmt::print("note: {}\n", n);
    for (const auto& e : report.errors) fmt::print("error: {}\n", e);
    if (report.ok()) {
      fmt::print("OK: {} nodes, {} services ({}{})\n", report.node_count, report.service_count,
                 replace ? "" : "built-in corridors", files.empty() ? "" : (replace ? "your files" : " + your files"));
    } else {
      fmt::print("INVALID: {} error{}\n", report.errors.size(), report.errors.size() == 1 ? "" : "s");
    }
  }
  if (!report.ok()) exit_code.value = kExitInvalid;
}

void RunBook(const NetworkOptions& nopt, const RouteOptions& ropt, const std::string& reference, int pick,
             ExitCode& exit_code) {
  if (ropt.db.empty()) {
    std::cerr << "dryport: book needs --db FILE\n";
    exit_code.value = kExitUsage;
    return;
  }
  auto p = Prepare(nopt, ropt);
  if (p->exit_code != kExitOk) {
    exit_code.value = p->exit_code;
    return;
  }
  Router router(*p->loaded.net, *p->tt);
  auto its = router.Route(p->query, p->remaining);
  if (!its.ok() || its->empty()) {
    std::cerr << "dryport: " << (its.ok() ? "no itinerary with room" : its.status().message()) << "\n";
    exit_code.value = kExitInvalid;
    return;
  }
  size_t index = *PickBest(*its, p->query.ready, p->weights);
  if (pick > 0) {
    if (static_cast<size_t>(pick) > its->size()) {
      std::cerr << fmt::format("dryport: --pick {}: there are {} itineraries\n", pick, its->size());
      exit_code.value = kExitUsage;
      return;
    }
    index = static_cast<size_t>(pick - 1);
  }
  const Itinerary& it = (*its)[index];
  BookingRequest req = MakeBookingRequest(*p->tt, it, reference);
  if (req.legs.empty()) {
    fmt::print("Itinerary #{} is on-demand trucking only: nothing to reserve.\n", index + 1);
    return;
  }
  auto id = p->store->Book(req);
  if (!id.ok()) {
    std::cerr << "dryport: refused: " << id.status().message() << "\n";
    exit_code.value = id.status().code() == StatusCode::kIOError ? kExitUsage : kExitInvalid;
    return;
  }
  if (ropt.json) {
    nlohmann::json legs = nlohmann::json::array();
    for (const auto& l : req.legs) {
      legs.push_back({{"departure_key", l.departure_key}, {"amount", CapacityJson(l.unit, l.amount)}});
    }
    std::cout << nlohmann::json{{"booking", reference}, {"id", *id}, {"reserved", legs},
                                {"itinerary", ItineraryJson(*p->tt, it)}}
                     .dump(2)
              << "\n";
    return;
  }
  fmt::print("Booked {} (id {}) on itinerary #{}:\n", reference, *id, index + 1);
  for (const auto& l : req.legs) fmt::print("  {}  {}\n", l.departure_key, Capacity(l.unit, l.amount));
  PrintItinerary(*p->tt, it, index, false);
}

void RunCancel(const std::string& db, const std::string& reference, ExitCode& exit_code) {
  auto store = SqliteBookingStore::Open(db);
  if (!store.ok()) {
    std::cerr << "dryport: " << store.status().message() << "\n";
    exit_code.value = kExitUsage;
    return;
  }
  auto rec = (*store)->Get(reference);
  const Status s = (*store)->Cancel(reference);
  if (!s.ok()) {
    std::cerr << "dryport: " << s.message() << "\n";
    exit_code.value = kExitInvalid;
    return;
  }
  fmt::print("Cancelled {}; capacity given back:\n", reference);
  if (rec.ok()) {
    for (const auto& l : rec->legs) fmt::print("  {}  {}\n", l.departure_key, Capacity(l.unit, l.amount));
  }
}

std::string Teu(int64_t cteu) { return Decimal::FromUnits(cteu, 2).ToString(2); }

void PrintPlanTotals(const char* title, const PlanResult& r) {
  const PlanTotals& t = r.totals;
  fmt::print("{}: {} of {} shipments assigned ({} TEU), {} out ({} TEU)\n", title, t.assigned, t.shipments,
             Teu(t.assigned_cteu), t.shipments - t.assigned, Teu(t.unassigned_cteu));
  fmt::print("  transport ${}  + clearance fees ${}  = ${};  {} t CO2;  {:.0f} ms ({:.0f} ms CPU)\n",
             Grouped(t.transport_micros), Grouped(t.fees_micros), Grouped(t.transport_micros + t.fees_micros),
             Kg(t.co2_g / 1000), r.total_ms, r.total_cpu_ms);
}

void PrintBound(const PlanResult& r) {
  const FlowBound& b = r.bound;
  fmt::print("  lower bound ${}: flow ${} ({} TEU it cannot move; {} nodes, {} arcs, built in {:.0f} ms, network "
             "simplex {:.0f} ms), Lagrangian at its duals ${}\n",
             Grouped(b.objective_micros), Grouped(b.flow_objective_micros), Teu(b.flow_unmet_cteu), b.nodes, b.arcs,
             b.build_ms, b.solve_ms, Grouped(b.lagrangian_objective_micros));
  fmt::print("  gap to the bound: ${} ({:.3f}%{}); {} shipments on decomposed flow paths, {} routed at shadow "
             "prices\n",
             Grouped(GapMicros(r)), 100 * GapRatio(r),
             r.totals.unassigned_cteu == b.unmet_cteu ? " of transport" : " of the objective", r.followed_flow,
             r.rerouted);
}

void RunPlanCommand(const std::string& path, const NetworkOptions& nopt, const std::string& start_text, bool json,
                    bool greedy_only, ExitCode& exit_code) {
  auto queue = ParseQueue(nopt.border_queue);
  if (!queue.ok()) {
    std::cerr << "dryport: " << queue.status().message() << "\n";
    exit_code.value = kExitUsage;
    return;
  }
  Loaded loaded = LoadNetworkOrExplain(nopt);
  if (!loaded.net) {
    exit_code.value = loaded.exit_code;
    return;
  }
  const Network& net = *loaded.net;
  std::vector<std::string> paths = {path};
  auto files = ReadNetworkFiles(paths);  // reads the file as text
  if (!files.ok()) {
    std::cerr << "dryport: " << files.status().message() << "\n";
    exit_code.value = kExitUsage;
    return;
  }
  auto shipments = ReadShipmentsCsv(net, files->front().content, path);
  if (!shipments.ok()) {
    std::cerr << "dryport: " << shipments.status().message() << "\n";
    exit_code.value = kExitInvalid;
    return;
  }
  if (shipments->empty()) {
    std::cerr << "dryport: " << path << ": no shipments\n";
    exit_code.value = kExitInvalid;
    return;
  }
  UtcMinutes start = kNever;
  for (const auto& s : *shipments) start = std::min(start, s.ready);
  if (!start_text.empty()) {
    auto t = ParseIsoTime(start_text, 8 * 60);
    if (!t.ok()) {
      std::cerr << "dryport: --start: " << t.status().message() << "\n";
      exit_code.value = kExitUsage;
      return;
    }
    start = *t;
  }
  auto tt = Timetable::Build(net, {.start = start, .weeks = nopt.weeks, .border_queue = *queue});
  if (!tt.ok()) {
    std::cerr << "dryport: " << tt.status().message() << "\n";
    exit_code.value = kExitUsage;
    return;
  }
  Assigner assigner(net, *tt);
  const auto cap = tt->FullCapacity();
  auto greedy = assigner.Greedy(*shipments, cap, {});
  std::optional<Result<PlanResult>> plan;
  if (!greedy_only) plan.emplace(assigner.Plan(*shipments, cap, {}));
  if (!greedy.ok() || (plan && !plan->ok())) {
    std::cerr << "dryport: " << (greedy.ok() ? (*plan).status() : greedy.status()).message() << "\n";
    exit_code.value = kExitInvalid;
    return;
  }
  const PlanResult& chosen = plan ? (*plan).value() : *greedy;
  if (json) {
    nlohmann::json out = PlanResultJson(*tt, *shipments, chosen);
    out["greedy"] = {{"objective", MoneyJson(greedy->totals.objective_micros)},
                     {"transport", MoneyJson(greedy->totals.transport_micros)},
                     {"assigned", greedy->totals.assigned},
                     {"unassigned_teu", Teu(greedy->totals.unassigned_cteu)},
                     {"timing_ms", greedy->total_ms}};
    out["horizon"] = {{"start", FormatIsoUtc(tt->start())}, {"end", FormatIsoUtc(tt->end())}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  fmt::print("{} shipments from {}; horizon {} .. {} ({} weeks)\n\n", shipments->size(), path,
             FormatIsoUtc(tt->start()), FormatIsoUtc(tt->end()), nopt.weeks);
  fmt::print("{:<14} {:<9} {:<9} {:>7}  {:<22} {:>11}  {}\n", "shipment", "from", "to", "TEU", "delivered", "cost USD",
             "route / reason");
  for (size_t i = 0; i < shipments->size(); ++i) {
    const Shipment& s = (*shipments)[i];
    const ShipmentPlan& p = chosen.shipments[i];
    if (!p.assigned) {
      fmt::print("{:<14} {:<9} {:<9} {:>7}  {:<22} {:>11}  not assigned: {}\n", s.id, net.node(s.origins[0]).id,
                 net.node(s.destinations[0]).id, Teu(s.load.cteu), "-", "-", UnassignedReasonText(p.reason));
      continue;
    }
    std::string route;
    for (const PlannedLeg& l : p.legs) {
      const Service& svc = net.service(l.service);
      route += (route.empty() ? "" : " > ") + svc.id;
      if (l.departure) route += "@" + FormatIsoTime(l.departure_time, net.node(svc.from).utc_offset).substr(0, 10);
    }
    fmt::print("{:<14} {:<9} {:<9} {:>7}  {:<22} {:>11}  {}\n", s.id, net.node(p.origin).id, net.node(p.destination).id,
               Teu(s.load.cteu), FormatIsoTime(p.delivered, net.node(p.destination).utc_offset),
               Grouped(p.transport_micros + p.fees_micros), route);
  }
  fmt::print("\n");
  PrintPlanTotals(plan ? "Plan (flow + repair)" : "Greedy", chosen);
  if (plan) {
    PrintBound(chosen);
    PrintPlanTotals("Greedy baseline (input order, cheapest each)", *greedy);
  }
  fmt::print("Unassigned volume costs ${} per TEU in the objective.\n",
             Grouped(AssignmentOptions{}.penalty_micros_per_teu));
}

// ---- bench route ----------------------------------------------------------

struct LatencyStats {
  size_t queries = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0, mean_us = 0, qps = 0;
  double mean_results = 0;
};

LatencyStats Stats(std::vector<double> us, double total_results) {
  LatencyStats s;
  s.queries = us.size();
  std::sort(us.begin(), us.end());
  const auto q = [&](double f) { return us[std::min(us.size() - 1, static_cast<size_t>(f * us.size()))]; };
  s.p50_us = q(0.50);
  s.p90_us = q(0.90);
  s.p99_us = q(0.99);
  s.max_us = us.back();
  double sum = 0;
  for (double v : us) sum += v;
  s.mean_us = sum / us.size();
  s.qps = 1e6 / s.mean_us;
  s.mean_results = total_results / us.size();
  return s;
}

double ThreadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Times Search + Build of every result, as `dryport route` does: wall clock
// and this thread's CPU time (on a shared machine the wall clock also counts
// other processes' turns).
std::pair<LatencyStats, LatencyStats> TimeQueries(const Network& net, const Timetable& tt,
                                                  const std::vector<RouteQuery>& queries) {
  Router router(net, tt);
  const auto cap = tt.FullCapacity();
  for (size_t i = 0; i < std::min<size_t>(queries.size(), 50); ++i) (void)router.Route(queries[i], cap);  // warm up
  std::vector<double> wall, cpu;
  wall.reserve(queries.size());
  cpu.reserve(queries.size());
  double results = 0;
  for (const auto& q : queries) {
    const double c0 = ThreadCpuUs();
    const auto t0 = std::chrono::steady_clock::now();
    auto its = router.Route(q, cap);
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(ThreadCpuUs() - c0);
    wall.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    if (its.ok()) results += static_cast<double>(its->size());
  }
  return {Stats(std::move(wall), results), Stats(std::move(cpu), results)};
}

long PeakRssKb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

nlohmann::json StatsJson(const LatencyStats& s) {
  return {{"queries", s.queries}, {"p50_us", s.p50_us}, {"p90_us", s.p90_us}, {"p99_us", s.p99_us},
          {"max_us", s.max_us},   {"mean_us", s.mean_us}, {"queries_per_s", s.qps}, {"mean_pareto_size", s.mean_results}};
}

void PrintStats(const char* title, const LatencyStats& s) {
  fmt::print("  {:<34} p50 {:8.1f} us  p90 {:8.1f} us  p99 {:8.1f} us  max {:8.1f} us  {:9.0f} queries/s  "
             "{:.1f} itineraries/query\n",
             title, s.p50_us, s.p90_us, s.p99_us, s.max_us, s.qps, s.mean_results);
}

void RunRouteBenchCommand(bool json, int query_count, int shipment_count, ExitCode& exit_code) {
  const auto fail = [&](const Status& st) {
    std::cerr << "dryport: " << st.message() << "\n";
    exit_code.value = kExitInvalid;
  };
  const Network& ref = BuiltinNetwork();
  const UtcMinutes start = *ParseIsoTime("2025-10-27T00:00", 8 * 60);
  auto tt = Timetable::Build(ref, {.start = start, .weeks = 8});
  if (!tt.ok()) return fail(tt.status());
  std::mt19937_64 rng(42);
  // Reference: shipments from the demand mix (Shanxi origins, all the
  // network's destinations), ready in the first two weeks.
  auto demand = SyntheticDemand(ref, ReferenceDemandMix(), static_cast<size_t>(query_count), start, 2, 11);
  if (!demand.ok()) return fail(demand.status());
  std::vector<RouteQuery> ref_queries;
  for (const auto& s : *demand) {
    RouteQuery q;
    q.origins = s.origins;
    q.destinations = s.destinations;
    q.ready = s.ready;
    q.load = s.load;
    ref_queries.push_back(std::move(q));
  }
  const auto [ref_stats, ref_cpu] = TimeQueries(ref, *tt, ref_queries);

  // 100x: the corridors copied 100 times and joined in a ring.
  constexpr int kCopies = 100;
  const auto t_gen = std::chrono::steady_clock::now();
  auto big = ScaledBuiltinNetwork(kCopies, 5);
  if (!big.ok()) return fail(big.status());
  auto big_tt = Timetable::Build(*big, {.start = start, .weeks = 8});
  if (!big_tt.ok()) return fail(big_tt.status());
  const double gen_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_gen).count();
  const char* kFrom[] = {"CN-TYZD", "CN-QX", "CN-TYN", "CN-HMFL", "CN-DTPW", "CN-LFBLC"};
  const char* kTo[] = {"DE-DUI", "ES-MAD", "NL-RTM", "RU-MOW", "BY-MSQ", "KZ-ALA", "US-LAX", "DE-HAM", "WH-ES"};
  std::vector<RouteQuery> big_queries;
  const auto id = [](const char* base, int k) { return k == 0 ? std::string(base) : fmt::format("{}#{}", base, k); };
  for (int i = 0; i < query_count; ++i) {
    const int a = static_cast<int>(rng() % kCopies);
    const int b = (a + static_cast<int>(rng() % 3)) % kCopies;  // same copy or one of the next two
    RouteQuery q;
    q.origins = {*big->FindNode(id(kFrom[rng() % std::size(kFrom)], a))};
    q.destinations = {*big->FindNode(id(kTo[rng() % std::size(kTo)], b))};
    q.ready = start + static_cast<UtcMinutes>(rng() % (14 * 24)) * 60;
    q.load = (*demand)[static_cast<size_t>(i)].load;
    big_queries.push_back(std::move(q));
  }
  const auto [big_stats, big_cpu] = TimeQueries(*big, *big_tt, big_queries);

  // Assignment of N shipments over 8 weeks on the reference network.
  nlohmann::json assign_json;
  std::optional<PlanResult> plan_result, greedy_result;
  long rss_before = 0, rss_after = 0;
  if (shipment_count > 0) {
    auto month = SyntheticDemand(ref, ReferenceDemandMix(), static_cast<size_t>(shipment_count), start, 6, 3);
    if (!month.ok()) return fail(month.status());
    rss_before = PeakRssKb();
    Assigner assigner(ref, *tt);
    const auto cap = tt->FullCapacity();
    auto plan = assigner.Plan(*month, cap, {});
    if (!plan.ok()) return fail(plan.status());
    rss_after = PeakRssKb();
    auto greedy = assigner.Greedy(*month, cap, {});
    if (!greedy.ok()) return fail(greedy.status());
    plan_result = std::move(*plan);
    greedy_result = std::move(*greedy);
  }

  if (json) {
    nlohmann::json out = {
        {"machine_note", "single thread; figures for this machine only"},
        {"reference", {{"nodes", ref.node_count()}, {"services", ref.service_count()}, {"departures", tt->size()},
                       {"route", StatsJson(ref_stats)}, {"route_cpu", StatsJson(ref_cpu)}}},
        {"scaled_100x", {{"nodes", big->node_count()}, {"services", big->service_count()},
                         {"departures", big_tt->size()}, {"generate_ms", gen_ms}, {"route", StatsJson(big_stats)},
                         {"route_cpu", StatsJson(big_cpu)},
                         {"p99_ratio_to_reference", big_stats.p99_us / ref_stats.p99_us},
                         {"cpu_p99_ratio_to_reference", big_cpu.p99_us / ref_cpu.p99_us}}},
    };
    if (plan_result) {
      const PlanResult& p = *plan_result;
      out["assignment"] = {
          {"shipments", shipment_count},
          {"weeks", 8},
          {"time_ms", p.total_ms},
          {"cpu_ms", p.total_cpu_ms},
          {"flow", {{"nodes", p.bound.nodes}, {"arcs", p.bound.arcs}, {"build_ms", p.bound.build_ms},
                    {"solve_ms", p.bound.solve_ms}}},
          {"repair_ms", p.repair_ms},
          {"router_queries", p.router_queries},
          {"peak_rss_mb", static_cast<double>(rss_after) / 1024.0},
          {"peak_rss_growth_mb", static_cast<double>(rss_after - rss_before) / 1024.0},
          {"assigned", p.totals.assigned},
          {"unassigned_teu", Teu(p.totals.unassigned_cteu)},
          {"transport", MoneyJson(p.totals.transport_micros)},
          {"objective", MoneyJson(p.totals.objective_micros)},
          {"bound", MoneyJson(p.bound.objective_micros)},
          {"flow_bound", MoneyJson(p.bound.flow_objective_micros)},
          {"lagrangian_bound", MoneyJson(p.bound.lagrangian_objective_micros)},
          {"flow_unmet_teu", Teu(p.bound.flow_unmet_cteu)},
          {"gap", MoneyJson(GapMicros(p))},
          {"gap_ratio", GapRatio(p)},
          {"greedy", {{"time_ms", greedy_result->total_ms}, {"cpu_ms", greedy_result->total_cpu_ms},
                      {"assigned", greedy_result->totals.assigned},
                      {"unassigned_teu", Teu(greedy_result->totals.unassigned_cteu)},
                      {"transport", MoneyJson(greedy_result->totals.transport_micros)},
                      {"objective_over_plan", static_cast<double>(greedy_result->totals.objective_micros) /
                                                  static_cast<double>(p.totals.objective_micros)}}}};
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  fmt::print("dryport bench route (one thread; figures for this machine)\n\n");
  fmt::print("Route queries (Search + build every Pareto itinerary):\n");
  fmt::print("  reference network: {} nodes, {} services, {} dated departures in 8 weeks\n", ref.node_count(),
             ref.service_count(), tt->size());
  PrintStats("reference (wall clock)", ref_stats);
  PrintStats("reference (CPU time)", ref_cpu);
  fmt::print("  100x network: {} nodes, {} services, {} departures (generated in {:.0f} ms)\n", big->node_count(),
             big->service_count(), big_tt->size(), gen_ms);
  PrintStats("100x (wall clock)", big_stats);
  PrintStats("100x (CPU time)", big_cpu);
  fmt::print("  p99 ratio 100x / reference: {:.0f}x wall, {:.0f}x CPU;  goal p99 < 1 ms on the reference: {}\n",
             big_stats.p99_us / ref_stats.p99_us, big_cpu.p99_us / ref_cpu.p99_us,
             ref_stats.p99_us < 1000 ? "met" : "NOT met");
  if (plan_result) {
    const PlanResult& p = *plan_result;
    fmt::print("\nAssignment: {} shipments over 8 weeks on the reference network\n", shipment_count);
    fmt::print("  time {:.0f} ms wall, {:.0f} ms CPU (flow: build {:.0f} ms, network simplex {:.0f} ms; repair {:.0f} "
               "ms; {} router queries)\n",
               p.total_ms, p.total_cpu_ms, p.bound.build_ms, p.bound.solve_ms, p.repair_ms, p.router_queries);
    fmt::print("  peak RSS {:.0f} MB (+{:.0f} MB during the assignment)\n", static_cast<double>(rss_after) / 1024.0,
               static_cast<double>(rss_after - rss_before) / 1024.0);
    PrintPlanTotals("  plan", p);
    PrintBound(p);
    PrintPlanTotals("  greedy baseline", *greedy_result);
    fmt::print("  greedy objective / plan objective: {:.4f};  goal < 10 s: {}\n",
               static_cast<double>(greedy_result->totals.objective_micros) /
                   static_cast<double>(p.totals.objective_micros),
               p.total_ms < 10000 ? "met" : (p.total_cpu_ms < 10000 ? "met in CPU time, NOT in wall time" : "NOT met"));
  }
}

}  // namespace

void RegisterFreightCommands(CLI::App& app, ExitCode& exit_code) {
  // route
  {
    auto* cmd = app.add_subcommand("route", "Pareto-optimal itineraries (arrival, cost, CO2) for one shipment");
    auto nopt = std::make_shared<NetworkOptions>();
    auto ropt = std::make_shared<RouteOptions>();
    nopt->Add(cmd);
    ropt->Add(cmd);
    cmd->callback([nopt, ropt, &exit_code] { RunRoute(*nopt, *ropt, exit_code); });
  }
  // network check
  {
    auto* network = app.add_subcommand("network", "The corridor network");
    network->require_subcommand(1);
    auto* check = network->add_subcommand("check", "Validate network files (with the built-in corridors)");
    auto files = std::make_shared<std::vector<std::string>>();
    auto replace = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    check->add_option("files", *files, "CSV/JSON network files or folders");
    check->add_flag("--replace", *replace, "Check the files alone, without the built-in corridors");
    check->add_flag("--json", *json, "Print JSON");
    check->callback([files, replace, json, &exit_code] { RunNetworkCheck(*files, *replace, *json, exit_code); });
  }
  // plan
  {
    auto* cmd = app.add_subcommand("plan", "Assign a batch of shipments to departures at least total cost");
    auto nopt = std::make_shared<NetworkOptions>();
    auto shipments = std::make_shared<std::string>();
    auto start = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto greedy = std::make_shared<bool>(false);
    nopt->Add(cmd);
    cmd->add_option("--shipments", *shipments,
                    "CSV: id,from,to,ready,deadline,teu,feu,m3,kg (see docs/freight.md)")
        ->required();
    cmd->add_option("--start", *start, "Horizon start (default: the earliest ready time)");
    cmd->add_flag("--json", *json, "Print JSON");
    cmd->add_flag("--greedy", *greedy, "Only the greedy baseline (for comparison)");
    cmd->callback([=, &exit_code] { RunPlanCommand(*shipments, *nopt, *start, *json, *greedy, exit_code); });
  }
  // book / cancel
  {
    auto* cmd = app.add_subcommand("book", "Route a shipment and book it on the chosen itinerary's departures");
    auto nopt = std::make_shared<NetworkOptions>();
    auto ropt = std::make_shared<RouteOptions>();
    auto reference = std::make_shared<std::string>();
    auto pick = std::make_shared<int>(0);
    nopt->Add(cmd);
    ropt->Add(cmd);
    cmd->add_option("--ref", *reference, "Your booking reference (unique)")->required();
    cmd->add_option("--pick", *pick, "Book itinerary #N of the Pareto set (default: the weighted best)");
    cmd->callback([=, &exit_code] { RunBook(*nopt, *ropt, *reference, *pick, exit_code); });
    auto* cancel = app.add_subcommand("cancel", "Cancel a booking and give its capacity back");
    auto db = std::make_shared<std::string>();
    auto ref = std::make_shared<std::string>();
    cancel->add_option("--db", *db, "Booking store (SQLite)")->required();
    cancel->add_option("--ref", *ref, "Booking reference")->required();
    cancel->callback([=, &exit_code] { RunCancel(*db, *ref, exit_code); });
  }
}

void RegisterRouteBench(CLI::App& bench, ExitCode& exit_code) {
  auto* cmd = bench.add_subcommand("route", "Route queries per second, p50/p99; assignment of 100,000 shipments");
  auto json = std::make_shared<bool>(false);
  auto queries = std::make_shared<int>(2000);
  auto shipments = std::make_shared<int>(100000);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->add_option("--queries", *queries, "Queries per network")->check(CLI::Range(10, 1000000));
  cmd->add_option("--shipments", *shipments, "Shipments in the assignment run")->check(CLI::Range(0, 10000000));
  cmd->callback([=, &exit_code] { RunRouteBenchCommand(*json, *queries, *shipments, exit_code); });
}

}  // namespace dryport::cli
