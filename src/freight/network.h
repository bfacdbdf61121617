// The freight network as data: nodes (terminals, ports, airports, border
// crossings, bonded zones, warehouses, shipper doors) and services (weekly
// trains, sailings and flights; on-demand trucking), loaded from CSV or JSON
// files and validated.
//
// Units inside the module (why: exact integer arithmetic in the hot loops):
//  - time: UtcMinutes / Minutes (clock.h);
//  - container space: cTEU = 1/100 TEU (an FEU is 200 cTEU, the trade's
//    2 TEU); less-than-container loads are a volume share of a TEU;
//  - weight: kg;
//  - money: micro-USD (int64). Every price is converted to USD once, at
//    load time, with the rate in fx.csv rounded to the cent; the public
//    figures are dryport::Decimal (MicroUsdToDecimal);
//  - CO2: grams, from tonne-km x factor (ISO 14083 / GLEC style), with the
//    factor in mg per tonne-km.
//
// Ownership and thread-safety: a Network is an immutable value once built;
// share it by const reference between threads. Loading functions are pure.
#ifndef DRYPORT_FREIGHT_NETWORK_H_
#define DRYPORT_FREIGHT_NETWORK_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/strong_id.h"
#include "freight/clock.h"

namespace dryport::freight {

using NodeIdx = StrongId<struct NodeIdxTag, uint32_t>;
using ServiceIdx = StrongId<struct ServiceIdxTag, uint32_t>;

// Public interface names (JSON "mode"): rail|air|sea|road.
enum class Mode : uint8_t { kRail = 0, kAir = 1, kSea = 2, kRoad = 3 };
inline constexpr int kModeCount = 4;
std::string_view ModeName(Mode mode);
// Bit set of modes, bit i = Mode(i).
using ModeSet = uint8_t;
inline constexpr ModeSet kAllModes = 0x0F;
inline constexpr ModeSet ModeBit(Mode m) { return static_cast<ModeSet>(1u << static_cast<unsigned>(m)); }

// What a service's capacity is counted in.
enum class CapacityUnit : uint8_t {
  kContainer,  // cTEU (1/100 TEU)
  kWeight,     // kg
};
// What a service's price is per.
enum class PriceBasis : uint8_t {
  kContainer,  // per cTEU
  kWeight,     // per chargeable kg
  kShipment,   // flat per shipment
};

inline constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max() / 4;
inline constexpr int64_t kCteuPerTeu = 100;
inline constexpr int64_t kCteuPerFeu = 200;

// Where a figure comes from (corridors.md legend): confidence is one of
// sourced|derived|estimate|conflicting; tag keeps the original letters
// (S, D, E, C, X); source lists S-n/U-n keys; ref names the reference row.
struct Provenance {
  std::string confidence;
  std::string tag;
  std::string source;
  std::string ref;
  std::string notes;
  std::string location;  // "file:line" it was read from
};

struct Node {
  std::string id;
  std::string name;
  std::vector<std::string> cities;  // names a user may type for this node
  std::string type;                 // e.g. "rail_terminal+seaport"
  bool gauge_change = false;        // type includes border_gauge_change
  std::string country;              // ISO 3166 alpha-2; "CN/MN" for a border
  double lat = 0;                   // display only
  double lon = 0;
  std::string code;  // UN/LOCODE or IATA
  Minutes utc_offset = 0;
  // After every arrival: unloading, gate-in, gauge change, port handling.
  Minutes handling = 0;
  // At the origin / destination of an international itinerary.
  Minutes export_clearance = 0;
  Minutes import_clearance = 0;
  Decimal clearance_fee;             // USD per declaration
  int64_t clearance_fee_micros = 0;  // the same in micro-USD
  Provenance provenance;
};

struct Service {
  std::string id;
  NodeIdx from;
  NodeIdx to;
  Mode mode = Mode::kRail;
  std::vector<NodeIdx> via;  // stops inside the transit time (gauge changes)
  bool on_demand = false;    // trucking: leaves whenever the load is ready
  uint8_t weekdays = 0;      // bit 0 = Monday; scheduled services only
  Minutes local_time = 0;    // departure time of day, local at `from`
  int every_weeks = 1;       // 2 = fortnightly, 4 = four-weekly
  int week_phase = 0;        // runs in weeks w with w % every_weeks == phase
  Minutes transit = 0;       // departure to arrival
  Minutes cutoff = 0;        // consolidation cut-off before departure
  CapacityUnit capacity_unit = CapacityUnit::kContainer;
  int64_t capacity = kUnlimited;  // per departure, in capacity_unit
  PriceBasis price_basis = PriceBasis::kContainer;
  int64_t price_micros = 0;  // micro-USD per basis unit
  std::string price_text;    // the price as written, e.g. "3250 CNY/FEU"
  int32_t distance_km = 0;
  int64_t co2_mg_per_tkm = 0;
  Provenance provenance;
};

// A network file: the name decides the format (".json" or CSV); a CSV file's
// header says whether it holds nodes, services or exchange rates.
struct NetworkFile {
  std::string name;
  std::string content;
};

class Network {
 public:
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Service>& services() const { return services_; }
  const Node& node(NodeIdx i) const { return nodes_[i.value()]; }
  const Service& service(ServiceIdx i) const { return services_[i.value()]; }
  uint32_t node_count() const { return static_cast<uint32_t>(nodes_.size()); }
  uint32_t service_count() const { return static_cast<uint32_t>(services_.size()); }
  // The reporting currency of every cost.
  std::string_view currency() const { return "USD"; }

  std::optional<NodeIdx> FindNode(std::string_view id) const;
  std::optional<ServiceIdx> FindService(std::string_view id) const;

  // Resolves what a user typed: a node id ("CN-TYZD"), a UN/LOCODE or IATA
  // code ("TYN"), or a city name ("Taiyuan", "太原", case-insensitive) that
  // may match several nodes. NotFound with a suggestion otherwise.
  Result<std::vector<NodeIdx>> ResolvePlace(std::string_view place) const;

  // On-demand services leaving a node (the router relaxes these at once).
  std::span<const ServiceIdx> OnDemandFrom(NodeIdx n) const {
    return {on_demand_services_.data() + on_demand_begin_[n.value()],
            on_demand_services_.data() + on_demand_begin_[n.value() + 1]};
  }

 private:
  friend class NetworkAssembler;

  std::vector<Node> nodes_;
  std::vector<Service> services_;
  std::unordered_map<std::string, uint32_t> node_by_id_;
  std::unordered_map<std::string, uint32_t> service_by_id_;
  std::unordered_map<std::string, std::vector<uint32_t>> nodes_by_name_;  // lower-case city/code
  std::vector<uint32_t> on_demand_begin_;  // CSR over nodes
  std::vector<ServiceIdx> on_demand_services_;
};

// The outcome of reading and validating network files: every problem found,
// not only the first, each prefixed with "file:line:".
struct NetworkReport {
  std::vector<std::string> errors;
  std::vector<std::string> notes;  // e.g. "services.csv:12: R1 replaces the built-in R1"
  size_t node_count = 0;
  size_t service_count = 0;
  bool ok() const { return errors.empty(); }
};

// Reads `base` then `overlay`: an overlay row with the id of a base row
// replaces it, other rows extend the network. Pass an empty base to use only
// the overlay. `report`, if given, receives every error and note.
Result<Network> LoadNetwork(std::span<const NetworkFile> base, std::span<const NetworkFile> overlay,
                            NetworkReport* report = nullptr);

// The network compiled into the binary from data/corridors/.
std::vector<NetworkFile> BuiltinNetworkFiles();
// BuiltinNetworkFiles() loaded; the built-in data is tested, so a failure is
// a bug (it throws std::logic_error).
const Network& BuiltinNetwork();

// Reads files from disk; a directory contributes its *.csv and *.json files.
Result<std::vector<NetworkFile>> ReadNetworkFiles(std::span<const std::string> paths);

// Money in the public interface.
Decimal MicroUsdToDecimal(int64_t micros);
// "1234.50": exact, at least 2 decimals, more only if the value needs them.
std::string FormatMoney(int64_t micros);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_NETWORK_H_
