// Time for the freight module: minutes since the epoch in UTC, fixed UTC
// offsets per node, ISO 8601 text.
//
// Why not dryport::Timestamp: that type is naive China civil time (the CEB
// standard's convention). Freight timetables span UTC-8 to UTC+8, so the
// router keeps instants as UTC minutes (an int32 covers 1902..2038+ and is
// cheap in the departure arrays) and converts at the edges with the node's
// offset. Offsets are fixed per node; daylight saving is not modelled (an
// hour on a multi-week corridor is below the precision of the figures).
//
// Thread-safety: free functions on values.
#ifndef DRYPORT_FREIGHT_CLOCK_H_
#define DRYPORT_FREIGHT_CLOCK_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/status.h"

namespace dryport::freight {

// An instant: minutes since 1970-01-01T00:00Z.
using UtcMinutes = int32_t;
// A length of time in minutes.
using Minutes = int32_t;

inline constexpr UtcMinutes kNever = std::numeric_limits<UtcMinutes>::max();
inline constexpr Minutes kMinutesPerHour = 60;
inline constexpr Minutes kMinutesPerDay = 24 * 60;
inline constexpr Minutes kMinutesPerWeek = 7 * kMinutesPerDay;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil); and back.
int64_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(int64_t days, int& year, int& month, int& day);
// ISO weekday 0 = Monday .. 6 = Sunday of a day number.
int WeekdayFromDays(int64_t days);

// Parses "YYYY-MM-DD", "YYYY-MM-DDThh:mm" or "YYYY-MM-DDThh:mm:ss", with an
// optional zone "Z" or "+hh:mm"/"-hh:mm". Without a zone the text is local
// time at `default_offset` (the origin node's offset). Seconds are dropped.
Result<UtcMinutes> ParseIsoTime(std::string_view text, Minutes default_offset);

// "2025-10-28T12:51+08:00" (local time at `offset`, ISO 8601 with offset).
std::string FormatIsoTime(UtcMinutes t, Minutes offset);
// "2025-10-28T04:51Z".
std::string FormatIsoUtc(UtcMinutes t);
// "+08:00".
std::string FormatUtcOffset(Minutes offset);
// Parses "+08:00", "-06:00", "Z"/"+00:00".
Result<Minutes> ParseUtcOffset(std::string_view text);

// Durations as the data files write them: one or more <number><unit> with
// unit d, h or m ("18d", "1d12h", "4h30m", "1.5d", "0m"). A leading '-' is
// read (so that validation can say "arrives before it leaves"). Fractions
// must come out to whole minutes.
Result<Minutes> ParseDuration(std::string_view text);
// "18d", "1d 12h", "4h 30m", "0m".
std::string FormatDuration(Minutes m);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_CLOCK_H_
