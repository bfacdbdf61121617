// The CBEC import tax the generator puts into taxTotal (customs-rules.md §2).
#include "traffic/tax.h"

#include <gtest/gtest.h>

namespace dryport::traffic {
namespace {

Decimal D(const char* s) { return Decimal::Parse(s).value(); }

const TaxRates kRates = {D("0.13"), D("0.7")};

TEST(ImportTax, NoConsumptionTaxIs9Point1Percent) {
  const TaxLineInput lines[] = {{D("2803.30"), D("0")}};
  const ImportTax tax = ComputeImportTax(lines, D("0"), kRates);
  // 2803.30 x 0.13 x 0.7 = 255.1003 -> 255.10 (the CEB311Message-2.xml sample shows 255.1).
  EXPECT_EQ(tax.total.ToString(2), "255.10");
  EXPECT_EQ(tax.value_added_tax.ToString(2), "255.10");
  EXPECT_TRUE(tax.consumption_tax.IsZero());
  EXPECT_TRUE(tax.customs_tax.IsZero());
}

TEST(ImportTax, HighEndCosmeticsCarryConsumptionTax) {
  // V = 1000, c = 15%: consumption 1000 x 0.15 x 0.7 / 0.85 = 123.529..,
  // VAT 1000 x 0.13 x 0.7 / 0.85 = 107.058..: 230.59, the 23.06% rate.
  const TaxLineInput lines[] = {{D("1000"), D("0.15")}};
  const ImportTax tax = ComputeImportTax(lines, D("0"), kRates);
  EXPECT_EQ(tax.consumption_tax.ToString(2), "123.53");
  EXPECT_EQ(tax.value_added_tax.ToString(2), "107.06");
  EXPECT_EQ(tax.total.ToString(2), "230.59");
}

TEST(ImportTax, FreightIsSharedOverTheLinesAndAddsUp) {
  const TaxLineInput lines[] = {
      {D("100.00"), D("0")}, {D("200.00"), D("0.15")}, {D("33.30"), D("0")}};
  const ImportTax tax = ComputeImportTax(lines, D("10.00"), kRates);
  ASSERT_EQ(tax.lines.size(), 3u);
  Decimal dutiable;
  for (const LineTax& l : tax.lines) dutiable += l.tax_price;
  EXPECT_EQ(dutiable, D("343.30"));                // goods + all of the freight
  EXPECT_EQ(tax.lines[0].tax_price, D("103.00"));  // 10 x 100 / 333.30 = 3.0003 -> 3.00
  EXPECT_EQ(tax.lines[1].tax_price, D("206.00"));  // 6.0006 -> 6.00
  EXPECT_EQ(tax.lines[2].tax_price, D("34.30"));   // the rest: 1.00
  Decimal sum;
  for (const LineTax& l : tax.lines) sum += l.customs_tax + l.value_added_tax + l.consumption_tax;
  EXPECT_EQ(sum, tax.total);
}

}  // namespace
}  // namespace dryport::traffic
