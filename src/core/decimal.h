// Decimal: an exact decimal number for money, quantities and weights.
//
// The CEB standard types amounts as N19,5 (xs:decimal, totalDigits 19,
// fractionDigits 5). Binary floating point cannot represent 0.1 exactly, and
// customs checks compare sums to the fen, so every amount in dryport is a
// Decimal: value = units / 10^scale with a 128-bit integer `units` and a
// scale of 0..18 decimals.
//
// Arithmetic is exact (+, -, * keep every digit). Rounding happens only where
// asked for (Rounded, ToString(scale), Divide) and is always half-up, ties
// away from zero, as customs duty calculation rounds.
//
// Real values have at most 38 significant digits (Parse enforces it), so the
// operators throw std::overflow_error only on a broken invariant; use
// CheckedAdd / CheckedMul where the operands come from untrusted arithmetic.
//
// Thread-safety: a value type; safe to copy and share between threads.
#ifndef DRYPORT_CORE_DECIMAL_H_
#define DRYPORT_CORE_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dryport {

// -Wpedantic warns on the __int128 extension; the typedef says we mean it.
__extension__ typedef __int128 int128_t;

class Decimal {
 public:
  // Largest scale a Decimal carries; 10^18 still fits int64 comfortably and
  // leaves 20 integer digits inside the 38 that __int128 holds.
  static constexpr int kMaxScale = 18;
  // Most significant digits Parse accepts (10^38 - 1 < 2^127).
  static constexpr int kMaxDigits = 38;

  Decimal() = default;  // 0

  // Parses the xs:decimal lexical form: optional surrounding XML whitespace
  // (space, tab, CR, LF), an optional sign, digits with an optional '.' and
  // fraction, at least one digit, no exponent. Keeps the scale as written
  // ("1.50" has scale 2). Leading zeros and trailing fraction zeros are
  // allowed and don't count as significant digits. Fails (InvalidArgument,
  // message says why) on anything else, on more than 38 significant digits
  // and on more than 18 fraction digits that are not trailing zeros.
  static Result<Decimal> Parse(std::string_view text);

  static Decimal FromInt(int64_t v);
  // (12345, 2) is 123.45. Throws std::invalid_argument for scale outside
  // 0..18 (a bug in the caller).
  static Decimal FromUnits(int128_t units, int scale);

  // Canonical form: no exponent, no '+', no leading zeros, trailing fraction
  // zeros removed: "0", "-1.5", "100", "0.001".
  std::string ToString() const;
  // Exactly `scale` decimals (0..18), rounding half-up (ties away from zero):
  // Decimal(1.005).ToString(2) == "1.01", ToString(0) has no '.'. A scale
  // outside 0..18 throws std::invalid_argument (here and in Rounded/Rescaled).
  std::string ToString(int scale) const;

  // Rounded half-up (ties away from zero) to at most `scale` decimals; the
  // result carries min(scale(), scale) decimals.
  Decimal Rounded(int scale) const;
  // Same value with trailing fraction zeros removed (1.500 -> 1.5).
  Decimal Normalized() const;
  // Same value carried at exactly `scale` decimals, rounding half-up if that
  // is fewer than now.
  Decimal Rescaled(int scale) const;

  int scale() const { return scale_; }
  // Significant digits as xs:totalDigits counts them: leading zeros and
  // trailing fraction zeros don't count; 0 counts as 1 digit.
  int TotalDigits() const;
  // Fraction digits as xs:fractionDigits counts them (trailing zeros don't).
  int FractionDigits() const;
  // The XSD facet check, e.g. FitsDigits(19, 5) for N19,5.
  bool FitsDigits(int total_digits, int fraction_digits) const;

  bool IsZero() const { return units_ == 0; }
  bool IsNegative() const { return units_ < 0; }

  Decimal operator-() const;
  friend Decimal operator+(const Decimal& a, const Decimal& b);  // exact; scale = max
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  // Exact; scale = sum of scales. If that exceeds 18 the trailing zeros are
  // dropped first; if still too big the product is rounded half-up to 18.
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& other);
  Decimal& operator-=(const Decimal& other);

  // this / divisor rounded half-up to `scale` (0..18) decimals. Division by
  // zero or a quotient that overflows -> error.
  Result<Decimal> Divide(const Decimal& divisor, int scale) const;

  // Like + and * but report overflow of the 128-bit range as OutOfRange
  // instead of throwing.
  static Result<Decimal> CheckedAdd(const Decimal& a, const Decimal& b);
  static Result<Decimal> CheckedSub(const Decimal& a, const Decimal& b);
  static Result<Decimal> CheckedMul(const Decimal& a, const Decimal& b);

  // By value, across scales: 1.50 == 1.5.
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

  int128_t units() const { return units_; }

  // Hash consistent with ==: equal values hash equally whatever their scale.
  size_t Hash() const;

 private:
  Decimal(int128_t units, int scale) : units_(units), scale_(scale) {}

  int128_t units_ = 0;
  int scale_ = 0;
};

// Writes ToString(); for test output and logs.
std::ostream& operator<<(std::ostream& os, const Decimal& d);

}  // namespace dryport

template <>
struct std::hash<dryport::Decimal> {
  size_t operator()(const dryport::Decimal& d) const noexcept { return d.Hash(); }
};

#endif  // DRYPORT_CORE_DECIMAL_H_
