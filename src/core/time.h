// Timestamp: the CEB standard's points in time.
//
// Every time in a CEB message is China civil time (UTC+8; China has had no
// daylight saving since 1991), written without a zone. dryport therefore keeps
// times as naive civil time: milliseconds since 1970-01-01T00:00 *China* time.
// Differences and ordering are exact because the offset never changes.
//
// Formats (ceb-messages.md §4):
//   kCompactSeconds  YYYYMMDDhhmmss     appTime, payTime, logisticsTime, ...
//   kCompactMillis   yyyyMMddHHmmssSSS  returnTime, opDate
//   kCompactDate     YYYYMMDD           ieDate, declTime
//   kIso8601         YYYY-MM-DDThh:mm[:ss[.SSS]] DXP CreatTime/SendTime
//                    (xs:dateTime). Parse also takes 1-3 fraction digits
//                    and an optional zone (Z or +hh:mm / -hh:mm), which it
//                    converts to China time; Format writes
//                    YYYY-MM-DDThh:mm:ss without a zone (milliseconds dropped).
//
// Thread-safety: a value type; safe to copy and share between threads.
#ifndef DRYPORT_CORE_TIME_H_
#define DRYPORT_CORE_TIME_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dryport {

enum class TimeFormat {
  kCompactSeconds,  // YYYYMMDDhhmmss, 14 characters
  kCompactMillis,   // yyyyMMddHHmmssSSS, 17 characters
  kCompactDate,     // YYYYMMDD, 8 characters
  kIso8601,         // YYYY-MM-DDThh:mm[:ss[.SSS]] on parse; YYYY-MM-DDThh:mm:ss on format
};

// The pattern as the standard writes it, e.g. "YYYYMMDDhhmmss".
std::string_view TimeFormatName(TimeFormat format);

class Timestamp {
 public:
  static constexpr int64_t kMillisPerSecond = 1000;
  static constexpr int64_t kMillisPerMinute = 60 * kMillisPerSecond;
  static constexpr int64_t kMillisPerHour = 60 * kMillisPerMinute;
  static constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;
  // China civil time is UTC+8 all year.
  static constexpr int64_t kChinaUtcOffsetMillis = 8 * kMillisPerHour;

  Timestamp() = default;  // 1970-01-01T00:00:00.000 China time

  // Parses `text` in exactly `format`: exact length, digits where digits
  // belong, separators where they belong, and a real calendar date and
  // clock time (no Feb 30, hour < 24, minute and second < 60). Years
  // 0001..9999. Fails with InvalidArgument naming the part that is wrong.
  static Result<Timestamp> Parse(std::string_view text, TimeFormat format);

  // From civil fields; the same checks as Parse.
  static Result<Timestamp> FromCivil(int year, unsigned month, unsigned day, unsigned hour = 0,
                                     unsigned minute = 0, unsigned second = 0,
                                     unsigned millisecond = 0);
  static Timestamp FromMillis(int64_t ms) { return Timestamp(ms); }
  // The system clock read as China civil time.
  static Timestamp Now();

  std::string Format(TimeFormat format) const;

  int64_t millis() const { return millis_; }
  int year() const;
  unsigned month() const;        // 1..12
  unsigned day() const;          // 1..31
  unsigned hour() const;         // 0..23
  unsigned minute() const;       // 0..59
  unsigned second() const;       // 0..59
  unsigned millisecond() const;  // 0..999

  Timestamp AddMillis(int64_t ms) const { return Timestamp(millis_ + ms); }
  // Midnight at the start of this timestamp's day.
  Timestamp StartOfDay() const;

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;

 private:
  explicit Timestamp(int64_t ms) : millis_(ms) {}

  int64_t millis_ = 0;
};

}  // namespace dryport

#endif  // DRYPORT_CORE_TIME_H_
