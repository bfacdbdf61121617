#include "core/decimal.h"

#include <stdexcept>
#include <string>
#include <unordered_set>

#include <gtest/gtest.h>

namespace dryport {
namespace {

Decimal D(std::string_view text) {
  Result<Decimal> r = Decimal::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? r.value() : Decimal();
}

__extension__ typedef unsigned __int128 uint128_t;
// Max value of the signed 128-bit range, for overflow tests.
constexpr int128_t kMaxUnits = static_cast<int128_t>(~uint128_t{0} >> 1);

TEST(DecimalParse, AcceptsLexicalForms) {
  struct Case {
    const char* text;
    const char* canonical;
    int scale;
  };
  const Case cases[] = {
      {"0", "0", 0},
      {"-0", "0", 0},
      {"+1", "1", 0},
      {"1.50", "1.5", 2},
      {".5", "0.5", 1},
      {"5.", "5", 0},
      {"-.25", "-0.25", 2},
      {"007.100", "7.1", 3},
      {"100", "100", 0},
      {"0.001", "0.001", 3},
      {" 12.3\t", "12.3", 1},
      {"\r\n-4\n", "-4", 0},
      {"99999999999999.99999", "99999999999999.99999", 5},
      {"12345678901234567890123456789012345678", "12345678901234567890123456789012345678", 0},
  };
  for (const Case& c : cases) {
    Result<Decimal> r = Decimal::Parse(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
    EXPECT_EQ(r->ToString(), c.canonical) << c.text;
    EXPECT_EQ(r->scale(), c.scale) << c.text;
  }
}

TEST(DecimalParse, RejectsInvalidFormsWithReason) {
  struct Case {
    const char* text;
    const char* reason;  // a substring the message must contain
  };
  const Case cases[] = {
      {"", "empty"},
      {"   ", "empty"},
      {".", "no digits"},
      {"-", "no digits"},
      {"+.", "no digits"},
      {"1e5", "exponent"},
      {"1E-2", "exponent"},
      {"--1", "sign"},
      {"+-1", "sign"},
      {"1-", "sign"},
      {"1.2.3", "'.'"},
      {"1 000", "whitespace"},
      {"1,5", "','"},
      {"abc", "'a'"},
      {"0x10", "'x'"},
      {"\xC2\xA0"
       "1",
       "unexpected character"},  // NBSP is not XML whitespace
      {"123456789012345678901234567890123456789", "39 significant digits"},
      {"0.1234567890123456789", "19 fraction digits"},
  };
  for (const Case& c : cases) {
    Result<Decimal> r = Decimal::Parse(c.text);
    ASSERT_FALSE(r.ok()) << "accepted \"" << c.text << "\" as " << r->ToString();
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos)
        << "\"" << c.text << "\": " << r.status().message();
  }
}

TEST(DecimalParse, InsignificantZerosDoNotCountTowardsLimits) {
  // 38 significant digits with leading zeros and many trailing zeros.
  std::string text = "000" + std::string(38, '9') + "." + std::string(30, '0');
  Result<Decimal> r = Decimal::Parse(text);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ToString(), std::string(38, '9'));
  EXPECT_EQ(r->scale(), 0);  // no room for the written zeros
  Result<Decimal> small = Decimal::Parse("1.5" + std::string(25, '0'));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->scale(), Decimal::kMaxScale);
  EXPECT_EQ(small->ToString(), "1.5");
}

TEST(DecimalFormat, Canonical) {
  EXPECT_EQ(Decimal().ToString(), "0");
  EXPECT_EQ(Decimal::FromInt(-42).ToString(), "-42");
  EXPECT_EQ(Decimal::FromUnits(12345, 2).ToString(), "123.45");
  EXPECT_EQ(Decimal::FromUnits(-15, 1).ToString(), "-1.5");
  EXPECT_EQ(Decimal::FromUnits(1000, 1).ToString(), "100");
  EXPECT_EQ(Decimal::FromUnits(-5, 3).ToString(), "-0.005");
  EXPECT_EQ(Decimal::FromUnits(0, 5).ToString(), "0");
  EXPECT_EQ(Decimal::FromInt(INT64_MIN).ToString(), "-9223372036854775808");
  EXPECT_THROW(Decimal::FromUnits(1, 19), std::invalid_argument);
  EXPECT_THROW(Decimal::FromUnits(1, -1), std::invalid_argument);
}

TEST(DecimalFormat, FixedScaleRoundsHalfUp) {
  EXPECT_EQ(D("1.005").ToString(2), "1.01");
  EXPECT_EQ(D("1.004").ToString(2), "1.00");
  EXPECT_EQ(D("-1.005").ToString(2), "-1.01");
  EXPECT_EQ(D("2.5").ToString(0), "3");
  EXPECT_EQ(D("-2.5").ToString(0), "-3");
  EXPECT_EQ(D("0.4").ToString(0), "0");
  EXPECT_EQ(D("-0.4").ToString(0), "0");  // no negative zero
  EXPECT_EQ(D("-0.004").ToString(2), "0.00");
  EXPECT_EQ(D("7").ToString(3), "7.000");
  EXPECT_EQ(D("0.5").ToString(5), "0.50000");
  EXPECT_EQ(D("-0.05").ToString(2), "-0.05");
  EXPECT_EQ(D("9.995").ToString(2), "10.00");
}

TEST(DecimalArithmetic, AddSubExact) {
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  EXPECT_EQ((D("0.1") + D("0.2")).ToString(), "0.3");
  EXPECT_EQ((D("1.50") + D("2.125")).scale(), 3);
  EXPECT_EQ((D("1.50") + D("2.125")).ToString(), "3.625");
  EXPECT_EQ((D("1") - D("1.000001")).ToString(), "-0.000001");
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum += D("0.01");
  EXPECT_EQ(sum, Decimal::FromInt(10));
  sum -= D("10.00");
  EXPECT_TRUE(sum.IsZero());
  EXPECT_FALSE(sum.IsNegative());
  EXPECT_TRUE((-D("3")).IsNegative());
  EXPECT_EQ((-D("-3.5")).ToString(), "3.5");
}

TEST(DecimalArithmetic, MulExact) {
  Decimal p = D("1.5") * D("0.25");
  EXPECT_EQ(p.ToString(), "0.375");
  EXPECT_EQ(p.scale(), 3);
  EXPECT_EQ((D("-12.34") * D("100")).ToString(), "-1234");
  // 19-digit by 19-digit (N19,5 by N19,5) stays exact.
  EXPECT_EQ((D("99999999999999.99999") * D("99999999999999.99999")).ToString(),
            "9999999999999999998000000000.0000000001");
  // Scale sum over 18: trailing zeros dropped, value exact.
  Decimal a = D("0.1000000000");  // scale 10
  EXPECT_EQ((a * a).ToString(), "0.01");
  EXPECT_LE((a * a).scale(), Decimal::kMaxScale);
  // Still over 18 after that: rounded half-up to 18.
  Decimal third = D("0.333333333333333333");
  EXPECT_EQ((third * third).ToString(), "0.111111111111111111");
  EXPECT_EQ((D("0.000000000000000005") * D("0.1")).ToString(), "0.000000000000000001");
  EXPECT_EQ((D("-0.000000000000000005") * D("0.1")).ToString(), "-0.000000000000000001");
}

TEST(DecimalRounding, HalfUpAwayFromZero) {
  EXPECT_EQ(D("2.345").Rounded(2), D("2.35"));
  EXPECT_EQ(D("2.344").Rounded(2), D("2.34"));
  EXPECT_EQ(D("-2.345").Rounded(2), D("-2.35"));
  EXPECT_EQ(D("-2.344").Rounded(2), D("-2.34"));
  EXPECT_EQ(D("0.5").Rounded(0), D("1"));
  EXPECT_EQ(D("-0.5").Rounded(0), D("-1"));
  EXPECT_EQ(D("1.4999999").Rounded(0), D("1"));
  EXPECT_EQ(D("1.25").Rounded(5).scale(), 2);  // never adds decimals
  EXPECT_EQ(D("123.456").Rounded(1).scale(), 1);
  EXPECT_EQ(D("99.95").Rounded(1).ToString(), "100");
}

TEST(DecimalDivide, RoundsHalfUpToScale) {
  EXPECT_EQ(D("1").Divide(D("3"), 5)->ToString(), "0.33333");
  EXPECT_EQ(D("2").Divide(D("3"), 5)->ToString(), "0.66667");
  EXPECT_EQ(D("-2").Divide(D("3"), 2)->ToString(), "-0.67");
  EXPECT_EQ(D("2").Divide(D("-3"), 2)->ToString(), "-0.67");
  EXPECT_EQ(D("-2").Divide(D("-3"), 2)->ToString(), "0.67");
  EXPECT_EQ(D("1").Divide(D("8"), 2)->ToString(), "0.13");  // 0.125 tie
  EXPECT_EQ(D("-1").Divide(D("8"), 2)->ToString(), "-0.13");
  EXPECT_EQ(D("10").Divide(D("4"), 0)->ToString(), "3");
  EXPECT_EQ(D("100.00").Divide(D("0.25"), 2)->ToString(), "400");
  EXPECT_EQ(D("100.00").Divide(D("0.25"), 2)->scale(), 2);
  EXPECT_EQ(D("0.001").Divide(D("1000"), 2)->ToString(), "0");
  EXPECT_EQ(D("1").Divide(D("1" + std::string(30, '0')), 0)->ToString(), "0");
  Result<Decimal> by_zero = D("1").Divide(D("0.00"), 2);
  ASSERT_FALSE(by_zero.ok());
  EXPECT_NE(by_zero.status().message().find("division by zero"), std::string::npos);
  EXPECT_FALSE(D("1").Divide(D("3"), 19).ok());
  EXPECT_FALSE(D(std::string(30, '9')).Divide(D("0.000001"), 18).ok());
}

TEST(DecimalDigits, TotalAndFractionDigits) {
  EXPECT_EQ(D("0").TotalDigits(), 1);
  EXPECT_EQ(D("1000").TotalDigits(), 4);
  EXPECT_EQ(D("001.2300").TotalDigits(), 3);
  EXPECT_EQ(D("001.2300").FractionDigits(), 2);
  EXPECT_EQ(D("0.001").TotalDigits(), 3);
  EXPECT_EQ(D("-12.5").TotalDigits(), 3);
  EXPECT_EQ(D("5.000").FractionDigits(), 0);
}

TEST(DecimalDigits, FitsN19_5Edges) {
  EXPECT_TRUE(D("99999999999999.99999").FitsDigits(19, 5));    // 19 digits, 5 decimals
  EXPECT_FALSE(D("999999999999999.99999").FitsDigits(19, 5));  // 20 digits
  EXPECT_TRUE(D("9999999999999999999").FitsDigits(19, 5));     // 19 integer digits
  EXPECT_FALSE(D("10000000000000000000").FitsDigits(19, 5));   // 20 integer digits
  EXPECT_TRUE(D("1.12345").FitsDigits(19, 5));                 // 5 decimals
  EXPECT_FALSE(D("1.123456").FitsDigits(19, 5));               // 6 decimals
  EXPECT_TRUE(D("1.123450000").FitsDigits(19, 5));             // trailing zeros don't count
  EXPECT_TRUE(D("-0099999999999999.999990").FitsDigits(19, 5));
}

TEST(DecimalOverflow, CheckedReportsOperatorThrows) {
  Decimal big = Decimal::FromUnits(kMaxUnits, 0);
  Result<Decimal> sum = Decimal::CheckedAdd(big, Decimal::FromInt(1));
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().code(), StatusCode::kOutOfRange);
  EXPECT_THROW(big + Decimal::FromInt(1), std::overflow_error);
  EXPECT_THROW(-big - Decimal::FromInt(2), std::overflow_error);
  EXPECT_FALSE(Decimal::CheckedSub(-big, Decimal::FromInt(2)).ok());

  Decimal e20 = D("1" + std::string(20, '0'));
  Result<Decimal> product = Decimal::CheckedMul(e20, e20);
  ASSERT_FALSE(product.ok());
  EXPECT_EQ(product.status().code(), StatusCode::kOutOfRange);
  EXPECT_THROW(e20 * e20, std::overflow_error);

  // Aligning scales overflows unless trailing zeros are dropped first.
  Decimal wide = D(std::string(30, '9'));
  Result<Decimal> ok_sum = Decimal::CheckedAdd(wide, D("1.000000000000000000"));
  ASSERT_TRUE(ok_sum.ok()) << ok_sum.status().ToString();
  EXPECT_EQ(ok_sum->ToString(), "1" + std::string(30, '0'));
  EXPECT_TRUE(Decimal::CheckedMul(D("2.50"), D("4")).ok());
  EXPECT_EQ(Decimal::CheckedMul(D("2.50"), D("4"))->ToString(), "10");
}

TEST(DecimalCompare, AcrossScales) {
  EXPECT_EQ(D("1.50"), D("1.5"));
  EXPECT_EQ(D("-0.0"), D("0"));
  EXPECT_NE(D("1.5"), D("1.05"));
  EXPECT_LT(D("1.05"), D("1.5"));
  EXPECT_LT(D("-1.5"), D("-1.2"));
  EXPECT_LT(D("-2.1"), D("-1.5"));
  EXPECT_LT(D("-0.5"), D("0.3"));
  EXPECT_LT(D("-1"), D("-0.99"));
  EXPECT_GT(D("10"), D("9.999999999999999999"));
  EXPECT_TRUE((D("2.000") <=> D("2")) == std::strong_ordering::equal);
  // Huge integer vs scale 18 must not overflow.
  EXPECT_GT(D(std::string(38, '9')), D("0.000000000000000001"));
  EXPECT_LT(-D(std::string(38, '9')), D("-0.000000000000000001"));
  std::unordered_set<Decimal> set{D("1.5"), D("1.50"), D("1.500")};
  EXPECT_EQ(set.size(), 1u);
}

}  // namespace
}  // namespace dryport
