#include "freight/clock.h"

#include <gtest/gtest.h>

namespace dryport::freight {
namespace {

TEST(ClockTest, CivilDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  int y, m, d;
  CivilFromDays(DaysFromCivil(2024, 2, 29), y, m, d);
  EXPECT_EQ(y, 2024);
  EXPECT_EQ(m, 2);
  EXPECT_EQ(d, 29);
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil(2025, 10, 28)), 1);  // a Tuesday
  EXPECT_EQ(WeekdayFromDays(DaysFromCivil(1970, 1, 5)), 0);    // a Monday
}

TEST(ClockTest, ParsesLocalAndZonedTimes) {
  // Local at +08:00: 08:00 in Taiyuan is 00:00Z.
  auto local = ParseIsoTime("2025-10-24T08:00", 8 * 60);
  ASSERT_TRUE(local.ok());
  auto utc = ParseIsoTime("2025-10-24T00:00Z", 8 * 60);
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(*local, *utc);
  EXPECT_EQ(*ParseIsoTime("2025-10-24T01:00+01:00", 0), *utc);
  EXPECT_EQ(*ParseIsoTime("2025-10-24", 0), *utc);
  EXPECT_EQ(*ParseIsoTime("2025-10-24T00:00:59Z", 0), *utc);  // seconds dropped
  EXPECT_EQ(FormatIsoTime(*utc, 8 * 60), "2025-10-24T08:00+08:00");
  EXPECT_EQ(FormatIsoTime(*utc, -6 * 60), "2025-10-23T18:00-06:00");
  EXPECT_EQ(FormatIsoUtc(*utc), "2025-10-24T00:00Z");
}

TEST(ClockTest, RejectsBadTimes) {
  for (const char* bad : {"2025-02-29T00:00", "2025-13-01", "2025-10-24T24:00", "2025-10-24T08", "24-10-2025",
                          "2025-10-24T08:00+8", "2025-10-24T08:00 tomorrow", ""}) {
    EXPECT_FALSE(ParseIsoTime(bad, 0).ok()) << bad;
  }
}

TEST(ClockTest, Durations) {
  EXPECT_EQ(*ParseDuration("18d"), 18 * 1440);
  EXPECT_EQ(*ParseDuration("1d12h"), 36 * 60);
  EXPECT_EQ(*ParseDuration("4h30m"), 270);
  EXPECT_EQ(*ParseDuration("1.5d"), 36 * 60);
  EXPECT_EQ(*ParseDuration("0m"), 0);
  EXPECT_EQ(*ParseDuration("-2h"), -120);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("18").ok());
  EXPECT_FALSE(ParseDuration("3x").ok());
  EXPECT_FALSE(ParseDuration("0.001h").ok());  // not whole minutes
  EXPECT_EQ(FormatDuration(36 * 60), "1d 12h");
  EXPECT_EQ(FormatDuration(270), "4h 30m");
  EXPECT_EQ(FormatDuration(0), "0m");
}

}  // namespace
}  // namespace dryport::freight
