#include "freight/synthetic.h"

#include <fmt/format.h>

#include <random>

#include "core/csv.h"

namespace dryport::freight {
namespace {

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + Quote(fields[i]);
  return out + "\n";
}

std::string Suffix(const std::string& id, int k) { return k == 0 ? id : fmt::format("{}#{}", id, k); }

std::string SuffixList(const std::string& list, int k) {
  std::string out, cur;
  for (char c : list + ";") {
    if (c == ';') {
      if (!cur.empty()) out += (out.empty() ? "" : ";") + Suffix(cur, k);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

}  // namespace

Result<Network> ScaledBuiltinNetwork(int copies, uint64_t seed) {
  if (copies < 1 || copies > 10000) return Status::InvalidArgument("copies must be 1..10000");
  std::mt19937_64 rng(seed);
  std::string nodes, services, fx;
  for (const auto& f : BuiltinNetworkFiles()) {
    auto rows = ParseCsv(f.content, f.name);
    if (!rows.ok()) return rows.status();
    const auto& header = (*rows)[0].fields;
    const auto col = [&](std::string_view name) {
      for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return i;
      }
      return header.size();
    };
    if (f.name.find("fx") != std::string::npos) {
      fx = f.content;
      continue;
    }
    const bool is_services = col("from") < header.size();
    std::string& out = is_services ? services : nodes;
    out += Join(header);
    for (int k = 0; k < copies; ++k) {
      // Per copy: times shift by whole hours, prices by a factor 80..120 %.
      const int shift_h = k == 0 ? 0 : static_cast<int>(rng() % 48) - 24;
      const int price_pct = k == 0 ? 100 : 80 + static_cast<int>(rng() % 41);
      for (size_t r = 1; r < rows->size(); ++r) {
        std::vector<std::string> v = (*rows)[r].fields;
        v[col("id")] = Suffix(v[col("id")], k);
        if (!is_services) {
          out += Join(v);
          continue;
        }
        v[col("from")] = Suffix(v[col("from")], k);
        v[col("to")] = Suffix(v[col("to")], k);
        v[col("via")] = SuffixList(v[col("via")], k);
        auto price = Decimal::Parse(v[col("price")]);
        if (price.ok() && k > 0) {
          v[col("price")] = (*price * Decimal::FromInt(price_pct)).Divide(Decimal::FromInt(100), 2)->ToString();
        }
        const std::string time = v[col("time")];
        if (k > 0 && time.size() == 5) {
          // Keep the weekday pattern; move the clock within the day.
          const int minutes = ((std::stoi(time.substr(0, 2)) * 60 + std::stoi(time.substr(3, 2)) + shift_h * 60) %
                                   1440 + 1440) % 1440;
          v[col("time")] = fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
        }
        out += Join(v);
      }
    }
  }
  // The ring between copies.
  for (int k = 0; k < copies && copies > 1; ++k) {
    const int n = (k + 1) % copies;
    services += fmt::format("RING-RD-{},{},{},road,,on_demand,,,,12h,0m,,,300,USD,FEU,80,80,estimate,E,,,synthetic\n", k,
                            Suffix("CN-TYZD", k), Suffix("CN-TYZD", n));
    services += fmt::format("RING-RD-{}r,{},{},road,,on_demand,,,,12h,0m,,,300,USD,FEU,80,80,estimate,E,,,synthetic\n",
                            k, Suffix("CN-TYZD", n), Suffix("CN-TYZD", k));
    services += fmt::format(
        "RING-RL-{},{},{},rail,,Mon;Thu,06:00,1,0,1d,12h,43,FEU,400,USD,FEU,300,25,estimate,E,,,synthetic\n", k,
        Suffix("PL-MLZ", k), Suffix("PL-MLZ", n));
  }
  std::vector<NetworkFile> files = {{"nodes.csv", nodes}, {"services.csv", services}, {"fx.csv", fx}};
  return LoadNetwork(files, {});
}

DemandMix ReferenceDemandMix() {
  DemandMix mix;
  mix.origins = {{"CN-TYZD", 40}, {"Qixian", 20}, {"Taiyuan", 15}, {"CN-HMFL", 5},
                 {"CN-DTPW", 5},  {"CN-LFBLC", 5}, {"CN-JCBLC", 5}, {"CN-DTBLC", 5}};
  mix.destinations = {{"Duisburg", 15}, {"Madrid", 10},   {"Rotterdam", 10}, {"Hamburg", 8},     {"Warsaw", 5},
                      {"Paris", 5},     {"Moscow", 10},   {"Minsk", 5},      {"Almaty", 6},      {"Tashkent", 3},
                      {"Los Angeles", 8}, {"Jebel Ali", 5}, {"Singapore", 5}, {"Munich", 2}, {"Novosibirsk", 3}};
  return mix;
}

Result<std::vector<Shipment>> SyntheticDemand(const Network& net, const DemandMix& mix, size_t count,
                                              UtcMinutes start, int ready_weeks, uint64_t seed) {
  if (mix.origins.empty() || mix.destinations.empty()) return Status::InvalidArgument("empty demand mix");
  std::vector<std::vector<NodeIdx>> origins, destinations;
  std::vector<int> ow, dw;
  for (const auto& p : mix.origins) {
    auto n = net.ResolvePlace(p.place);
    if (!n.ok()) return n.status();
    origins.push_back(*n);
    ow.push_back(p.weight);
  }
  for (const auto& p : mix.destinations) {
    auto n = net.ResolvePlace(p.place);
    if (!n.ok()) return n.status();
    destinations.push_back(*n);
    dw.push_back(p.weight);
  }
  std::mt19937_64 rng(seed);
  std::discrete_distribution<size_t> pick_o(ow.begin(), ow.end()), pick_d(dw.begin(), dw.end());
  std::vector<Shipment> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    Shipment s;
    s.id = fmt::format("S{}", i + 1);
    s.origins = origins[pick_o(rng)];
    do {
      s.destinations = destinations[pick_d(rng)];
    } while (s.destinations == s.origins);
    s.ready = start + static_cast<UtcMinutes>(rng() % (static_cast<uint64_t>(ready_weeks) * 7 * 24)) * 60;
    s.deadline = s.ready + static_cast<UtcMinutes>(mix.min_days + rng() % (mix.max_days - mix.min_days + 1)) *
                               kMinutesPerDay;
    LoadSpec spec;
    const int roll = static_cast<int>(rng() % 100);
    if (roll < mix.lcl_percent) {
      const int m3 = 1 + static_cast<int>(rng() % 25);
      spec.m3 = Decimal::FromInt(m3);
      spec.kg = m3 * (150 + static_cast<int64_t>(rng() % 250));
    } else if (roll < mix.lcl_percent + mix.teu_percent) {
      spec.teu = 1;
      spec.kg = 4000 + static_cast<int64_t>(rng() % 14000);
    } else {
      spec.feu = 1;
      spec.kg = 6000 + static_cast<int64_t>(rng() % 18000);
    }
    auto load = MakeLoad(spec);
    if (!load.ok()) return load.status();
    s.load = *load;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace dryport::freight
