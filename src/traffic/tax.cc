#include "traffic/tax.h"

#include <stdexcept>

namespace dryport::traffic {
namespace {

// a / b rounded half-up to the fen. b is (1 - c) > 0 for every real rate, so a
// failure is a broken invariant (a rate of 1 or more in the data).
Decimal DivideToFen(const Decimal& a, const Decimal& b) {
  Result<Decimal> q = a.Divide(b, 2);
  if (!q.ok()) throw std::logic_error("import tax: " + q.status().message());
  return q.value();
}

}  // namespace

ImportTax ComputeImportTax(std::span<const TaxLineInput> lines, const Decimal& freight,
                           const TaxRates& rates) {
  ImportTax tax;
  Decimal goods;
  for (const TaxLineInput& line : lines) goods += line.total_price;

  const Decimal one = Decimal::FromInt(1);
  Decimal freight_left = freight;
  for (size_t i = 0; i < lines.size(); ++i) {
    const TaxLineInput& in = lines[i];
    Decimal share = freight_left;
    if (i + 1 < lines.size()) {
      share = DivideToFen(freight * in.total_price, goods);
      freight_left -= share;
    }
    LineTax out;
    out.tax_price = in.total_price + share;
    const Decimal keep = one - in.consumption_rate;
    out.customs_tax = Decimal::FromUnits(0, 2);
    out.consumption_tax =
        DivideToFen(out.tax_price * in.consumption_rate * rates.factor, keep).Rescaled(2);
    out.value_added_tax = DivideToFen(out.tax_price * rates.vat * rates.factor, keep).Rescaled(2);
    tax.customs_tax += out.customs_tax;
    tax.consumption_tax += out.consumption_tax;
    tax.value_added_tax += out.value_added_tax;
    tax.lines.push_back(out);
  }
  tax.customs_tax = tax.customs_tax.Rescaled(2);
  tax.consumption_tax = tax.consumption_tax.Rescaled(2);
  tax.value_added_tax = tax.value_added_tax.Rescaled(2);
  tax.total = (tax.customs_tax + tax.consumption_tax + tax.value_added_tax).Rescaled(2);
  return tax;
}

}  // namespace dryport::traffic
