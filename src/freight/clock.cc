#include "freight/clock.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace dryport::freight {
namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t days, int& year, int& month, int& day) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

int WeekdayFromDays(int64_t days) {
  // 1970-01-01 was a Thursday (ISO weekday index 3).
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

Result<Minutes> ParseUtcOffset(std::string_view text) {
  if (text == "Z" || text == "z") return Minutes{0};
  int hh = 0, mm = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':' ||
      !ParseDigits(text, 1, 2, hh) || !ParseDigits(text, 4, 2, mm) || hh > 14 || mm > 59) {
    return Status::InvalidArgument(fmt::format("bad UTC offset '{}': expected +hh:mm, -hh:mm or Z", text));
  }
  const Minutes m = hh * 60 + mm;
  return text[0] == '-' ? -m : m;
}

Result<UtcMinutes> ParseIsoTime(std::string_view text, Minutes default_offset) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("bad time '{}': {} (expected YYYY-MM-DD[Thh:mm[:ss]][Z|+hh:mm])", text, why));
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ParseDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !ParseDigits(text, 5, 2, month) || text[7] != '-' || !ParseDigits(text, 8, 2, day)) {
    return bad("the date is not YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return bad("no such day in that month");
  size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    if (!ParseDigits(text, pos + 1, 2, hour) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, minute)) {
      return bad("the clock time is not hh:mm");
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!ParseDigits(text, pos + 1, 2, second)) return bad("the seconds are not ss");
      pos += 3;
    }
    if (hour > 23 || minute > 59 || second > 59) return bad("clock time out of range");
  }
  Minutes offset = default_offset;
  if (pos < text.size()) {
    auto parsed = ParseUtcOffset(text.substr(pos));
    if (!parsed.ok()) return bad("trailing text is not a zone");
    offset = *parsed;
  }
  const int64_t minutes = DaysFromCivil(year, month, day) * kMinutesPerDay + hour * 60 + minute - offset;
  if (minutes < std::numeric_limits<UtcMinutes>::min() + 1 || minutes >= kNever) {
    return bad("out of the supported range (1902..2038)");
  }
  return static_cast<UtcMinutes>(minutes);
}

std::string FormatUtcOffset(Minutes offset) {
  const char sign = offset < 0 ? '-' : '+';
  const int a = std::abs(offset);
  return fmt::format("{}{:02}:{:02}", sign, a / 60, a % 60);
}

namespace {
std::string FormatLocal(UtcMinutes t, Minutes offset) {
  const int64_t local = static_cast<int64_t>(t) + offset;
  int64_t days = local / kMinutesPerDay;
  int64_t rem = local % kMinutesPerDay;
  if (rem < 0) {
    rem += kMinutesPerDay;
    --days;
  }
  int y = 0, m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}", y, m, d, rem / 60, rem % 60);
}
}  // namespace

std::string FormatIsoTime(UtcMinutes t, Minutes offset) { return FormatLocal(t, offset) + FormatUtcOffset(offset); }

std::string FormatIsoUtc(UtcMinutes t) { return FormatLocal(t, 0) + "Z"; }

Result<Minutes> ParseDuration(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("bad duration '{}': {} (e.g. 18d, 1d12h, 4h30m)", text, why));
  };
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  if (pos >= text.size()) return bad("empty");
  // Exact arithmetic in 1/1000 minutes so "1.5d" and "4.5h" stay exact.
  int64_t total_milli = 0;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    int64_t whole = 0, frac = 0, frac_scale = 1;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      whole = whole * 10 + (text[pos++] - '0');
      if (++digits > 9) return bad("number too long");
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (frac_scale >= 1000) return bad("more than 3 decimals");
        frac = frac * 10 + (text[pos++] - '0');
        frac_scale *= 10;
        ++digits;
      }
    }
    if (digits == 0) return bad("a number is missing");
    if (pos >= text.size()) return bad("the unit (d, h or m) is missing");
    int64_t unit = 0;
    switch (text[pos]) {
      case 'd': unit = kMinutesPerDay; break;
      case 'h': unit = kMinutesPerHour; break;
      case 'm': unit = 1; break;
      default: return bad("unknown unit");
    }
    ++pos;
    total_milli += whole * unit * 1000 + frac * unit * 1000 / frac_scale;
    if (frac * unit * 1000 % frac_scale != 0) return bad("not a whole number of minutes");
    if (total_milli > int64_t{3650} * kMinutesPerDay * 1000) return bad("longer than 10 years");
  }
  if (total_milli % 1000 != 0) return bad("not a whole number of minutes");
  const auto m = static_cast<Minutes>(total_milli / 1000);
  return negative ? -m : m;
}

std::string FormatDuration(Minutes m) {
  if (m == 0) return "0m";
  std::string out = m < 0 ? "-" : "";
  int64_t a = std::abs(static_cast<int64_t>(m));
  const int64_t d = a / kMinutesPerDay, h = a % kMinutesPerDay / 60, mi = a % 60;
  auto add = [&](int64_t v, char unit) {
    if (v == 0) return;
    if (out.size() > (m < 0 ? 1u : 0u)) out += ' ';
    out += fmt::format("{}{}", v, unit);
  };
  add(d, 'd');
  add(h, 'h');
  add(mi, 'm');
  return out;
}

}  // namespace dryport::freight
