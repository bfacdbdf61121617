// The cross-border e-commerce retail import tax (跨境电商综合税) the way the
// generator computes taxTotal of a CEB311 order: the amount the CEB816 tax
// bill for the order's list would show.
//
// Rules (customs-rules.md §2; 财关税〔2016〕18号 and 〔2018〕49号):
//  - dutiable price (完税价格) of a line = its totalPrice plus its share of the
//    order's freight (insurance is 0 in generated orders); non-cash discounts
//    do NOT lower it (goodsValue "含非现金抵扣金额");
//  - customs duty 0;
//  - consumption tax = 70% of the statutory amount: V / (1 - c) x c x 0.7;
//  - VAT = 70% of the statutory amount on (V + statutory consumption tax):
//    V / (1 - c) x 0.13 x 0.7;
//  which together are the reference's combined rate
//  [(c + 0.13) / (1 - c)] x 70% (9.1% without consumption tax).
// Where the reference is unclear we chose, and the docs say so:
//  - the freight is split over the lines in proportion to their totalPrice,
//    each share rounded half-up to the fen, the last line taking the rest so
//    the shares add up to the freight exactly;
//  - each tax of each line is rounded once, half-up to 2 decimals (general
//    customs practice; customs-rules.md §2 marks CBEC rounding ❓);
//  - taxTotal = sum over lines of (customs + consumption + VAT).
// All arithmetic is exact (Decimal); the only rounding is the one above.
#ifndef DRYPORT_TRAFFIC_TAX_H_
#define DRYPORT_TRAFFIC_TAX_H_

#include <span>
#include <vector>

#include "core/decimal.h"

namespace dryport::traffic {

struct TaxRates {
  Decimal vat;     // 0.13
  Decimal factor;  // 0.7: the share of the statutory tax collected
};

struct TaxLineInput {
  Decimal total_price;       // the line's totalPrice (qty x price)
  Decimal consumption_rate;  // 0, or e.g. 0.15 for high-end cosmetics
};

// One line of the CEB816 TaxListRd.
struct LineTax {
  Decimal tax_price;  // 完税价格
  Decimal customs_tax, value_added_tax, consumption_tax;
};

struct ImportTax {
  std::vector<LineTax> lines;
  Decimal customs_tax, value_added_tax, consumption_tax;
  Decimal total;  // = taxTotal of the order
};

// `lines` must not be empty and their totals must add up to more than 0.
ImportTax ComputeImportTax(std::span<const TaxLineInput> lines, const Decimal& freight,
                           const TaxRates& rates);

}  // namespace dryport::traffic

#endif  // DRYPORT_TRAFFIC_TAX_H_
