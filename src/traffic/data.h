// The world the traffic generator draws from: data/traffic/*.csv (companies,
// products, names, regions, foreign buyers, settings), embedded into the
// binary at build time, parsed once and checked against the code tables.
//
// Every code a generated message carries (unit, country, currency, customs
// office, transport mode, trade mode, wrap type, id type) is resolved here
// through CodeTables, by code or by its Chinese name, so the generator holds
// no code list of its own; a value missing from its table is a load error.
//
// Thread-safety: a loaded TrafficData is immutable; BuiltinTrafficData() is
// initialised once, thread-safely, and lives until the program ends.
#ifndef DRYPORT_TRAFFIC_DATA_H_
#define DRYPORT_TRAFFIC_DATA_H_

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/code_table.h"
#include "core/decimal.h"
#include "core/embedded_file.h"
#include "core/status.h"

namespace dryport::traffic::internal {

struct Company {
  std::string id, role, code, name, dxp_id, telephone, prefix, extra;
  // Role-specific references, resolved (see data/traffic/README.md).
  const Company* platform = nullptr;     // export-ebc: nullptr = sells on its own shop
  const Company* agent = nullptr;        // export-ebc, import-platform
  const Company* payment = nullptr;      // export-ebc
  std::vector<const Company*> ebcs;      // import-platform
  std::vector<const Company*> payments;  // import-platform
  // Logistics: transport mode code and the prefix of voyage numbers.
  std::string traf_code, voyage_prefix;
};

struct Product {
  std::string sku;
  bool is_export = false;
  const Company* seller = nullptr;  // export only
  std::string name, gmodel, gcode, barcode, item_record_no;
  std::string unit_code, unit1_code, origin_code;
  Decimal net_kg, gross_kg;
  int64_t price_min_jiao = 0, price_max_jiao = 0;  // in 0.1 CNY: prices end in a whole jiao
  int max_qty = 1;
  Decimal consumption_rate;
  bool direct = false, bonded = false;
  double weight = 1;
};

struct Region {
  std::string code, province, city, district;
  std::vector<std::string> streets;
  double weight = 1;
  bool shanxi = false;
};

struct ForeignBuyer {
  std::string name, city, country_code, pod, traf_code;
  double weight = 1;
};

struct Settings {
  std::string customs_code, port_code, currency, home_country, id_type;
  std::string trade_mode_export, trade_mode_direct, trade_mode_bonded;
  std::string traf_direct, traf_bonded, traf_rail, wrap_type;
  Decimal vat_rate, tax_factor, single_limit, annual_limit, clean_basket_max, clean_buyer_cap;
  int annual_prior_orders = 6;
  double export_receipt_share = 0, export_summary_share = 0, summary_by_range_share = 0,
         repeat_buyer_share = 0, consignee_other_share = 0, import_free_freight_share = 0,
         import_discount_share = 0, export_insured_share = 0;
  std::vector<std::string> wrong_country, wrong_currency, wrong_unit;
  std::vector<std::string> revocation_reasons, return_reasons, export_return_reasons;
};

struct TrafficData {
  std::vector<Company> companies;  // never resized after loading: pointers into it are stable
  std::vector<Product> products;
  std::vector<Region> regions;
  std::vector<ForeignBuyer> foreign_buyers;
  std::vector<std::string> surnames, given_male, given_female, communities;
  std::vector<double> surname_weights;
  Settings settings;

  std::vector<const Company*> WithRole(std::string_view role) const;
  const Company* Find(std::string_view id) const;
};

// Parses the files (names as in data/traffic, e.g. "companies.csv") and
// resolves every code through `codes`. Errors name the file, line and value.
Result<std::unique_ptr<TrafficData>> LoadTrafficData(std::span<const EmbeddedFile> files,
                                                     const CodeTables& codes);

// data/traffic as compiled into the binary, checked against
// CodeTables::Builtin(). The error (a build or data bug) is returned to every
// caller.
Result<const TrafficData*> BuiltinTrafficData();

}  // namespace dryport::traffic::internal

#endif  // DRYPORT_TRAFFIC_DATA_H_
