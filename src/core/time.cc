#include "core/time.h"

#include <chrono>

#include <fmt/format.h>

namespace dryport {
namespace {

namespace chr = std::chrono;

struct Civil {
  int year = 1970;
  unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0;
};

Civil ToCivil(int64_t millis) {
  // floor, not truncation, so times before 1970 land on the right day.
  chr::milliseconds ms{millis};
  chr::sys_days days = chr::floor<chr::days>(chr::sys_time<chr::milliseconds>(ms));
  chr::year_month_day ymd{days};
  int64_t in_day = (ms - days.time_since_epoch()).count();
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.hour = static_cast<unsigned>(in_day / Timestamp::kMillisPerHour);
  c.minute = static_cast<unsigned>(in_day / Timestamp::kMillisPerMinute % 60);
  c.second = static_cast<unsigned>(in_day / Timestamp::kMillisPerSecond % 60);
  c.millisecond = static_cast<unsigned>(in_day % 1000);
  return c;
}

// Checks the fields; returns "" when valid, else what is wrong.
std::string CheckCivil(const Civil& c) {
  if (c.year < 1 || c.year > 9999) return fmt::format("year {} is outside 0001..9999", c.year);
  if (c.month < 1 || c.month > 12) return fmt::format("month {:02} is outside 01..12", c.month);
  chr::year_month_day ymd{chr::year{c.year}, chr::month{c.month}, chr::day{c.day}};
  if (!ymd.ok()) {
    unsigned last = static_cast<unsigned>(chr::year_month_day_last{
        chr::year{c.year}, chr::month_day_last{chr::month{
                               c.month}}}.day());
    return fmt::format("day {:02} does not exist in {:04}-{:02} (it has {} days)", c.day, c.year,
                       c.month, last);
  }
  if (c.hour > 23) return fmt::format("hour {:02} is outside 00..23", c.hour);
  if (c.minute > 59) return fmt::format("minute {:02} is outside 00..59", c.minute);
  if (c.second > 59) return fmt::format("second {:02} is outside 00..59", c.second);
  if (c.millisecond > 999) return fmt::format("millisecond {} is outside 000..999", c.millisecond);
  return {};
}

int64_t FromCivilUnchecked(const Civil& c) {
  chr::sys_days days{chr::year_month_day{chr::year{c.year}, chr::month{c.month}, chr::day{c.day}}};
  return static_cast<int64_t>(days.time_since_epoch().count()) * Timestamp::kMillisPerDay +
         c.hour * Timestamp::kMillisPerHour + c.minute * Timestamp::kMillisPerMinute +
         c.second * Timestamp::kMillisPerSecond + c.millisecond;
}

// Reads fixed-width digits with a field name for the error message.
class Scanner {
 public:
  Scanner(std::string_view text, TimeFormat format) : text_(text), format_(format) {}

  bool Digits(size_t width, const char* field, unsigned* out) {
    if (pos_ + width > text_.size()) return Fail(fmt::format("{} is missing", field));
    unsigned v = 0;
    for (size_t i = 0; i < width; ++i) {
      char ch = text_[pos_ + i];
      if (ch < '0' || ch > '9') {
        return Fail(
            fmt::format("{} has the non-digit '{}' at position {}", field, ch, pos_ + i + 1));
      }
      v = v * 10 + static_cast<unsigned>(ch - '0');
    }
    pos_ += width;
    *out = v;
    return true;
  }
  bool Literal(char expected) {
    if (pos_ >= text_.size() || text_[pos_] != expected) {
      return Fail(pos_ >= text_.size()
                      ? fmt::format("'{}' expected at position {}", expected, pos_ + 1)
                      : fmt::format("'{}' expected at position {}, found '{}'", expected, pos_ + 1,
                                    text_[pos_]));
    }
    ++pos_;
    return true;
  }
  bool AtEnd() const { return pos_ == text_.size(); }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  size_t pos() const { return pos_; }
  void Skip() { ++pos_; }

  bool Fail(std::string why) {
    error_ = Status::InvalidArgument(fmt::format("\"{}\" is not a {} time: {}", text_.substr(0, 40),
                                                 TimeFormatName(format_), why));
    return false;
  }
  const Status& error() const { return error_; }

 private:
  std::string_view text_;
  TimeFormat format_;
  size_t pos_ = 0;
  Status error_;
};

size_t ExpectedLength(TimeFormat format) {
  switch (format) {
    case TimeFormat::kCompactSeconds:
      return 14;
    case TimeFormat::kCompactMillis:
      return 17;
    case TimeFormat::kCompactDate:
      return 8;
    case TimeFormat::kIso8601:
      return 0;  // variable
  }
  return 0;
}

}  // namespace

std::string_view TimeFormatName(TimeFormat format) {
  switch (format) {
    case TimeFormat::kCompactSeconds:
      return "YYYYMMDDhhmmss";
    case TimeFormat::kCompactMillis:
      return "yyyyMMddHHmmssSSS";
    case TimeFormat::kCompactDate:
      return "YYYYMMDD";
    case TimeFormat::kIso8601:
      return "YYYY-MM-DDThh:mm:ss";
  }
  return "?";
}

Result<Timestamp> Timestamp::Parse(std::string_view text, TimeFormat format) {
  Scanner s(text, format);
  size_t expected = ExpectedLength(format);
  if (expected != 0 && text.size() != expected) {
    s.Fail(fmt::format("expected {} characters, got {}", expected, text.size()));
    return s.error();
  }
  Civil c;
  unsigned year = 0;
  int64_t zone_offset_ms = kChinaUtcOffsetMillis;  // no zone: China time
  bool ok = true;
  if (format == TimeFormat::kIso8601) {
    ok = s.Digits(4, "year", &year) && s.Literal('-') && s.Digits(2, "month", &c.month) &&
         s.Literal('-') && s.Digits(2, "day", &c.day) && s.Literal('T') &&
         s.Digits(2, "hour", &c.hour) && s.Literal(':') && s.Digits(2, "minute", &c.minute);
    if (ok && s.Peek(':')) {
      s.Skip();
      ok = s.Digits(2, "second", &c.second);
      if (ok && s.Peek('.')) {
        s.Skip();
        // 1..3 fraction digits are exact in milliseconds; more would be
        // silently cut, so they are refused.
        size_t start = s.pos();
        unsigned scale = 100;
        while (ok && s.pos() < text.size() && text[s.pos()] >= '0' && text[s.pos()] <= '9') {
          if (s.pos() - start == 3) {
            ok = s.Fail("more than 3 fraction digits (milliseconds)");
            break;
          }
          c.millisecond += static_cast<unsigned>(text[s.pos()] - '0') * scale;
          scale /= 10;
          s.Skip();
        }
        if (ok && s.pos() == start) ok = s.Fail("no digits after '.'");
      }
    }
    if (ok && s.Peek('Z')) {
      s.Skip();
      zone_offset_ms = 0;
    } else if (ok && (s.Peek('+') || s.Peek('-'))) {
      int sign = s.Peek('-') ? -1 : 1;
      s.Skip();
      unsigned zh = 0, zm = 0;
      ok = s.Digits(2, "zone hour", &zh) && s.Literal(':') && s.Digits(2, "zone minute", &zm);
      if (ok && (zh > 14 || zm > 59 || (zh == 14 && zm != 0)))
        ok = s.Fail("zone offset outside -14:00..+14:00");
      zone_offset_ms = sign * static_cast<int64_t>(zh * kMillisPerHour + zm * kMillisPerMinute);
    }
    if (ok && !s.AtEnd()) {
      ok = s.Fail(fmt::format("unexpected '{}' at position {}", text[s.pos()], s.pos() + 1));
    }
  } else {
    ok = s.Digits(4, "year", &year) && s.Digits(2, "month", &c.month) && s.Digits(2, "day", &c.day);
    if (ok && format != TimeFormat::kCompactDate) {
      ok = s.Digits(2, "hour", &c.hour) && s.Digits(2, "minute", &c.minute) &&
           s.Digits(2, "second", &c.second);
    }
    if (ok && format == TimeFormat::kCompactMillis) ok = s.Digits(3, "millisecond", &c.millisecond);
  }
  if (!ok) return s.error();
  c.year = static_cast<int>(year);
  if (std::string why = CheckCivil(c); !why.empty()) {
    s.Fail(why);
    return s.error();
  }
  return Timestamp(FromCivilUnchecked(c) + kChinaUtcOffsetMillis - zone_offset_ms);
}

Result<Timestamp> Timestamp::FromCivil(int year, unsigned month, unsigned day, unsigned hour,
                                       unsigned minute, unsigned second, unsigned millisecond) {
  Civil c{year, month, day, hour, minute, second, millisecond};
  if (std::string why = CheckCivil(c); !why.empty()) {
    return Status::InvalidArgument(fmt::format("invalid civil time: {}", why));
  }
  return Timestamp(FromCivilUnchecked(c));
}

Timestamp Timestamp::Now() {
  auto since_epoch =
      chr::duration_cast<chr::milliseconds>(chr::system_clock::now().time_since_epoch());
  return Timestamp(static_cast<int64_t>(since_epoch.count()) + kChinaUtcOffsetMillis);
}

std::string Timestamp::Format(TimeFormat format) const {
  Civil c = ToCivil(millis_);
  switch (format) {
    case TimeFormat::kCompactSeconds:
      return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", c.year, c.month, c.day, c.hour, c.minute,
                         c.second);
    case TimeFormat::kCompactMillis:
      return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}{:03}", c.year, c.month, c.day, c.hour,
                         c.minute, c.second, c.millisecond);
    case TimeFormat::kCompactDate:
      return fmt::format("{:04}{:02}{:02}", c.year, c.month, c.day);
    case TimeFormat::kIso8601:
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour,
                         c.minute, c.second);
  }
  return {};
}

int Timestamp::year() const { return ToCivil(millis_).year; }
unsigned Timestamp::month() const { return ToCivil(millis_).month; }
unsigned Timestamp::day() const { return ToCivil(millis_).day; }
unsigned Timestamp::hour() const { return ToCivil(millis_).hour; }
unsigned Timestamp::minute() const { return ToCivil(millis_).minute; }
unsigned Timestamp::second() const { return ToCivil(millis_).second; }
unsigned Timestamp::millisecond() const { return ToCivil(millis_).millisecond; }

Timestamp Timestamp::StartOfDay() const {
  int64_t days = millis_ / kMillisPerDay;
  if (millis_ % kMillisPerDay < 0) --days;  // floor for times before 1970
  return Timestamp(days * kMillisPerDay);
}

}  // namespace dryport
