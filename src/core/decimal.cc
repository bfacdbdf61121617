#include "core/decimal.h"

#include <array>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

namespace dryport {
namespace {

__extension__ typedef unsigned __int128 uint128_t;

// 10^0 .. 10^38; 10^38 < 2^127 so every entry fits the signed type.
constexpr std::array<int128_t, 39> MakePow10() {
  std::array<int128_t, 39> table{};
  table[0] = 1;
  for (size_t i = 1; i < table.size(); ++i) table[i] = table[i - 1] * 10;
  return table;
}
constexpr std::array<int128_t, 39> kPow10 = MakePow10();

uint128_t Magnitude(int128_t v) {
  // Through unsigned arithmetic so the most negative value has no UB.
  return v < 0 ? uint128_t{0} - static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
}

int DigitCount(uint128_t v) {
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

std::string MagnitudeDigits(uint128_t v) {
  char buf[48];
  int pos = sizeof(buf);
  do {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  return std::string(buf + pos, sizeof(buf) - pos);
}

// num / den rounded half-up (ties away from zero) on magnitudes; den != 0.
uint128_t DivRoundHalfUp(uint128_t num, uint128_t den) {
  uint128_t q = num / den;
  uint128_t r = num % den;
  // r >= den - r  <=>  2r >= den, without overflowing 2r.
  if (r >= den - r) ++q;
  return q;
}

// units / 10^drop rounded half-up, sign preserved; 0 <= drop <= 38.
int128_t DropDigitsRounded(int128_t units, int drop) {
  if (drop == 0) return units;
  uint128_t mag = DivRoundHalfUp(Magnitude(units), static_cast<uint128_t>(kPow10[drop]));
  int128_t res = static_cast<int128_t>(mag);  // smaller than the input magnitude
  return units < 0 ? -res : res;
}

// units * 10^k with overflow detection.
bool ScaleUp(int128_t units, int k, int128_t* out) {
  return !__builtin_mul_overflow(units, kPow10[k], out);
}

void CheckScale(int scale, const char* what) {
  if (scale < 0 || scale > Decimal::kMaxScale) {
    throw std::invalid_argument(
        fmt::format("{}: scale {} outside 0..{}", what, scale, Decimal::kMaxScale));
  }
}

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string Quote(std::string_view text) {
  // Long garbage would swamp the message; 40 characters identify it.
  constexpr size_t kMaxShown = 40;
  if (text.size() <= kMaxShown) return fmt::format("\"{}\"", text);
  return fmt::format("\"{}...\"", text.substr(0, kMaxShown));
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  auto fail = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("{} is not a decimal: {}", Quote(text), why));
  };
  if (s.empty()) return fail("it is empty");

  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::string_view int_part = s;
  std::string_view frac_part;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    int_part = s.substr(0, dot);
    frac_part = s.substr(dot + 1);
  }
  for (std::string_view part : {int_part, frac_part}) {
    for (char c : part) {
      if (c >= '0' && c <= '9') continue;
      if (c == 'e' || c == 'E') return fail("exponent notation is not allowed");
      if (c == '.') return fail("more than one '.'");
      if (c == '+' || c == '-') return fail("misplaced sign");
      if (IsXmlSpace(c)) return fail("whitespace inside the number");
      return fail(fmt::format("unexpected character '{}'", c));
    }
  }
  if (int_part.empty() && frac_part.empty()) return fail("no digits");

  // Leading integer zeros and trailing fraction zeros are not significant.
  while (!int_part.empty() && int_part.front() == '0') int_part.remove_prefix(1);
  size_t written_scale = frac_part.size();
  std::string_view sig_frac = frac_part;
  while (!sig_frac.empty() && sig_frac.back() == '0') sig_frac.remove_suffix(1);

  if (int_part.size() + sig_frac.size() > static_cast<size_t>(kMaxDigits)) {
    return fail(fmt::format("{} significant digits, more than the {} supported",
                            int_part.size() + sig_frac.size(), kMaxDigits));
  }
  if (sig_frac.size() > static_cast<size_t>(kMaxScale)) {
    return fail(
        fmt::format("{} fraction digits, more than the {} supported", sig_frac.size(), kMaxScale));
  }
  // Keep the written scale (1.50 -> 2) as far as the limits allow; dropping
  // trailing zeros beyond that does not change the value.
  size_t scale = written_scale;
  if (scale > static_cast<size_t>(kMaxScale)) scale = kMaxScale;
  if (int_part.size() + scale > static_cast<size_t>(kMaxDigits))
    scale = kMaxDigits - int_part.size();
  if (scale < sig_frac.size()) scale = sig_frac.size();

  int128_t units = 0;
  for (char c : int_part) units = units * 10 + (c - '0');
  for (size_t i = 0; i < scale; ++i) units = units * 10 + (frac_part[i] - '0');
  return Decimal(negative ? -units : units, static_cast<int>(scale));
}

Decimal Decimal::FromInt(int64_t v) { return Decimal(v, 0); }

Decimal Decimal::FromUnits(int128_t units, int scale) {
  CheckScale(scale, "Decimal::FromUnits");
  return Decimal(units, scale);
}

std::string Decimal::ToString() const {
  Decimal n = Normalized();
  std::string digits = MagnitudeDigits(Magnitude(n.units_));
  std::string out;
  if (n.units_ < 0) out += '-';
  if (n.scale_ == 0) return out + digits;
  if (digits.size() <= static_cast<size_t>(n.scale_)) {
    digits.insert(0, static_cast<size_t>(n.scale_) + 1 - digits.size(), '0');
  }
  size_t int_len = digits.size() - static_cast<size_t>(n.scale_);
  out.append(digits, 0, int_len);
  out += '.';
  out.append(digits, int_len);
  return out;
}

std::string Decimal::ToString(int scale) const {
  CheckScale(scale, "Decimal::ToString");
  Decimal r = Rescaled(scale);
  std::string digits = MagnitudeDigits(Magnitude(r.units_));
  if (digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  std::string out;
  if (r.units_ < 0) out += '-';
  size_t int_len = digits.size() - static_cast<size_t>(scale);
  out.append(digits, 0, int_len);
  if (scale > 0) {
    out += '.';
    out.append(digits, int_len);
  }
  return out;
}

Decimal Decimal::Rounded(int scale) const {
  CheckScale(scale, "Decimal::Rounded");
  if (scale >= scale_) return *this;
  return Decimal(DropDigitsRounded(units_, scale_ - scale), scale);
}

Decimal Decimal::Normalized() const {
  int128_t u = units_;
  int s = scale_;
  while (s > 0 && u % 10 == 0) {
    u /= 10;
    --s;
  }
  return Decimal(u, s);
}

Decimal Decimal::Rescaled(int scale) const {
  CheckScale(scale, "Decimal::Rescaled");
  if (scale <= scale_) return Rounded(scale);
  int128_t u;
  if (!ScaleUp(units_, scale - scale_, &u)) {
    throw std::overflow_error(fmt::format("Decimal {} at scale {} overflows", ToString(), scale));
  }
  return Decimal(u, scale);
}

int Decimal::TotalDigits() const {
  Decimal n = Normalized();
  // xs:totalDigits: the value is i x 10^-n with |i| < 10^t and n <= t, so
  // 0.001 needs 3 digits and 1000 needs 4.
  int digits = DigitCount(Magnitude(n.units_));
  return digits > n.scale_ ? digits : n.scale_;
}

int Decimal::FractionDigits() const { return Normalized().scale_; }

bool Decimal::FitsDigits(int total_digits, int fraction_digits) const {
  return TotalDigits() <= total_digits && FractionDigits() <= fraction_digits;
}

Decimal Decimal::operator-() const {
  int128_t neg;
  if (__builtin_sub_overflow(int128_t{0}, units_, &neg)) {
    throw std::overflow_error("Decimal negation overflows");
  }
  return Decimal(neg, scale_);
}

namespace {

// Brings a and b to a common scale. Tries the larger written scale first
// (the documented result scale) and falls back to the normalized operands,
// which are exact too; false only if even those don't fit.
bool Align(const Decimal& a, const Decimal& b, int128_t* ua, int128_t* ub, int* scale) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    Decimal x = attempt == 0 ? a : a.Normalized();
    Decimal y = attempt == 0 ? b : b.Normalized();
    int s = x.scale() > y.scale() ? x.scale() : y.scale();
    if (ScaleUp(x.units(), s - x.scale(), ua) && ScaleUp(y.units(), s - y.scale(), ub)) {
      *scale = s;
      return true;
    }
  }
  return false;
}

bool AddImpl(const Decimal& a, const Decimal& b, bool subtract, Decimal* out) {
  int128_t ua, ub, sum;
  int scale;
  if (!Align(a, b, &ua, &ub, &scale)) return false;
  bool overflow =
      subtract ? __builtin_sub_overflow(ua, ub, &sum) : __builtin_add_overflow(ua, ub, &sum);
  if (overflow) return false;
  *out = Decimal::FromUnits(sum, scale);
  return true;
}

bool MulImpl(const Decimal& a, const Decimal& b, Decimal* out) {
  int128_t product;
  int scale;
  if (!__builtin_mul_overflow(a.units(), b.units(), &product)) {
    scale = a.scale() + b.scale();
  } else {
    // Trailing zeros (1.50000) may be what overflows; the value is the same.
    Decimal x = a.Normalized(), y = b.Normalized();
    if (__builtin_mul_overflow(x.units(), y.units(), &product)) return false;
    scale = x.scale() + y.scale();
  }
  while (scale > Decimal::kMaxScale && product % 10 == 0) {
    product /= 10;
    --scale;
  }
  if (scale > Decimal::kMaxScale) {
    product = DropDigitsRounded(product, scale - Decimal::kMaxScale);
    scale = Decimal::kMaxScale;
  }
  *out = Decimal::FromUnits(product, scale);
  return true;
}

}  // namespace

Decimal operator+(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!AddImpl(a, b, false, &out)) {
    throw std::overflow_error(fmt::format("Decimal {} + {} overflows", a.ToString(), b.ToString()));
  }
  return out;
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!AddImpl(a, b, true, &out)) {
    throw std::overflow_error(fmt::format("Decimal {} - {} overflows", a.ToString(), b.ToString()));
  }
  return out;
}

Decimal operator*(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!MulImpl(a, b, &out)) {
    throw std::overflow_error(fmt::format("Decimal {} * {} overflows", a.ToString(), b.ToString()));
  }
  return out;
}

Decimal& Decimal::operator+=(const Decimal& other) { return *this = *this + other; }
Decimal& Decimal::operator-=(const Decimal& other) { return *this = *this - other; }

Result<Decimal> Decimal::CheckedAdd(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!AddImpl(a, b, false, &out)) {
    return Status::OutOfRange(
        fmt::format("{} + {} overflows the decimal range", a.ToString(), b.ToString()));
  }
  return out;
}

Result<Decimal> Decimal::CheckedSub(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!AddImpl(a, b, true, &out)) {
    return Status::OutOfRange(
        fmt::format("{} - {} overflows the decimal range", a.ToString(), b.ToString()));
  }
  return out;
}

Result<Decimal> Decimal::CheckedMul(const Decimal& a, const Decimal& b) {
  Decimal out;
  if (!MulImpl(a, b, &out)) {
    return Status::OutOfRange(
        fmt::format("{} * {} overflows the decimal range", a.ToString(), b.ToString()));
  }
  return out;
}

Result<Decimal> Decimal::Divide(const Decimal& divisor, int scale) const {
  if (scale < 0 || scale > kMaxScale) {
    return Status::InvalidArgument(
        fmt::format("division scale {} outside 0..{}", scale, kMaxScale));
  }
  if (divisor.IsZero())
    return Status::InvalidArgument(fmt::format("{} / 0: division by zero", ToString()));
  Decimal a = Normalized(), b = divisor.Normalized();
  // a/b * 10^scale = a.units * 10^(b.scale + scale - a.scale) / b.units.
  int e = b.scale_ + scale - a.scale_;
  uint128_t num = Magnitude(a.units_), den = Magnitude(b.units_);
  uint128_t quotient;
  if (e >= 0) {
    if (__builtin_mul_overflow(num, static_cast<uint128_t>(kPow10[e]), &num)) {
      return Status::OutOfRange(
          fmt::format("{} / {} overflows the decimal range", ToString(), divisor.ToString()));
    }
    quotient = DivRoundHalfUp(num, den);
  } else if (__builtin_mul_overflow(den, static_cast<uint128_t>(kPow10[-e]), &den)) {
    quotient = 0;  // den > 2^128 > 2 * num: rounds to zero.
  } else {
    quotient = DivRoundHalfUp(num, den);
  }
  if (quotient >= static_cast<uint128_t>(kPow10[kMaxDigits])) {
    return Status::OutOfRange(
        fmt::format("{} / {} overflows the decimal range", ToString(), divisor.ToString()));
  }
  int128_t q = static_cast<int128_t>(quotient);
  bool negative = (units_ < 0) != (divisor.units_ < 0);
  return Decimal(negative ? -q : q, scale);
}

bool operator==(const Decimal& a, const Decimal& b) { return std::is_eq(a <=> b); }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return a.units_ <=> b.units_;
  // Compare integer parts, then fractions widened to 18 digits: no step can
  // overflow, whatever the scales. Truncation keeps both parts' signs equal
  // to the value's, so the lexicographic order is the numeric order.
  int128_t ia = a.units_ / kPow10[a.scale_], ib = b.units_ / kPow10[b.scale_];
  if (ia != ib) return ia <=> ib;
  int128_t fa = (a.units_ % kPow10[a.scale_]) * kPow10[Decimal::kMaxScale - a.scale_];
  int128_t fb = (b.units_ % kPow10[b.scale_]) * kPow10[Decimal::kMaxScale - b.scale_];
  return fa <=> fb;
}

size_t Decimal::Hash() const {
  Decimal n = Normalized();
  uint128_t u = static_cast<uint128_t>(n.units_);
  uint64_t lo = static_cast<uint64_t>(u), hi = static_cast<uint64_t>(u >> 64);
  // boost::hash_combine-style mixing; the scale keeps 1 and 0.1 apart.
  size_t h = std::hash<uint64_t>{}(lo);
  h ^= std::hash<uint64_t>{}(hi) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= static_cast<size_t>(n.scale_) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::ostream& operator<<(std::ostream& os, const Decimal& d) { return os << d.ToString(); }

}  // namespace dryport
