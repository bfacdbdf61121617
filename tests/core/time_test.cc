#include "core/time.h"

#include <string>

#include <gtest/gtest.h>

namespace dryport {
namespace {

Timestamp P(std::string_view text, TimeFormat format) {
  Result<Timestamp> r = Timestamp::Parse(text, format);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? r.value() : Timestamp();
}

void ExpectInvalid(std::string_view text, TimeFormat format, std::string_view reason) {
  Result<Timestamp> r = Timestamp::Parse(text, format);
  ASSERT_FALSE(r.ok()) << "accepted \"" << text << "\" as "
                       << r->Format(TimeFormat::kCompactMillis);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(reason), std::string::npos)
      << text << ": " << r.status().message();
}

TEST(Time, FormatNames) {
  EXPECT_EQ(TimeFormatName(TimeFormat::kCompactSeconds), "YYYYMMDDhhmmss");
  EXPECT_EQ(TimeFormatName(TimeFormat::kCompactMillis), "yyyyMMddHHmmssSSS");
  EXPECT_EQ(TimeFormatName(TimeFormat::kCompactDate), "YYYYMMDD");
  EXPECT_EQ(TimeFormatName(TimeFormat::kIso8601), "YYYY-MM-DDThh:mm:ss");
}

TEST(Time, RoundTripsEachFormat) {
  // Values from the public samples (appTime, returnTime, ieDate, DXP CreatTime).
  EXPECT_EQ(P("20200106103500", TimeFormat::kCompactSeconds).Format(TimeFormat::kCompactSeconds),
            "20200106103500");
  EXPECT_EQ(P("20200102102522001", TimeFormat::kCompactMillis).Format(TimeFormat::kCompactMillis),
            "20200102102522001");
  EXPECT_EQ(P("20180508", TimeFormat::kCompactDate).Format(TimeFormat::kCompactDate), "20180508");
  EXPECT_EQ(P("2018-09-11T10:26:53", TimeFormat::kIso8601).Format(TimeFormat::kIso8601),
            "2018-09-11T10:26:53");
  // Across formats: the same instant.
  Timestamp t = P("20180911102653", TimeFormat::kCompactSeconds);
  EXPECT_EQ(t, P("2018-09-11T10:26:53", TimeFormat::kIso8601));
  EXPECT_EQ(t.Format(TimeFormat::kCompactMillis), "20180911102653000");
  EXPECT_EQ(t.Format(TimeFormat::kCompactDate), "20180911");
  EXPECT_EQ(P("20180911", TimeFormat::kCompactDate), t.StartOfDay());
}

TEST(Time, EpochIsChinaCivilMidnight) {
  EXPECT_EQ(P("19700101000000", TimeFormat::kCompactSeconds).millis(), 0);
  EXPECT_EQ(P("19700101000000001", TimeFormat::kCompactMillis).millis(), 1);
  EXPECT_EQ(P("19700102", TimeFormat::kCompactDate).millis(), Timestamp::kMillisPerDay);
  Timestamp before = P("19691231235959999", TimeFormat::kCompactMillis);
  EXPECT_EQ(before.millis(), -1);
  EXPECT_EQ(before.year(), 1969);
  EXPECT_EQ(before.Format(TimeFormat::kCompactMillis), "19691231235959999");
  EXPECT_EQ(before.StartOfDay().Format(TimeFormat::kCompactSeconds), "19691231000000");
}

TEST(Time, Fields) {
  Timestamp t = P("20240229235958123", TimeFormat::kCompactMillis);
  EXPECT_EQ(t.year(), 2024);
  EXPECT_EQ(t.month(), 2u);
  EXPECT_EQ(t.day(), 29u);
  EXPECT_EQ(t.hour(), 23u);
  EXPECT_EQ(t.minute(), 59u);
  EXPECT_EQ(t.second(), 58u);
  EXPECT_EQ(t.millisecond(), 123u);
  EXPECT_EQ(t.AddMillis(1877).Format(TimeFormat::kCompactMillis), "20240301000000000");
  EXPECT_EQ(t.AddMillis(-Timestamp::kMillisPerDay).Format(TimeFormat::kCompactDate), "20240228");
  EXPECT_LT(t, t.AddMillis(1));
  Result<Timestamp> civil = Timestamp::FromCivil(2024, 2, 29, 23, 59, 58, 123);
  ASSERT_TRUE(civil.ok());
  EXPECT_EQ(*civil, t);
  EXPECT_FALSE(Timestamp::FromCivil(2023, 2, 29).ok());
  EXPECT_EQ(Timestamp::FromMillis(t.millis()), t);
}

TEST(Time, LeapYears) {
  EXPECT_TRUE(Timestamp::Parse("20240229", TimeFormat::kCompactDate).ok());  // divisible by 4
  EXPECT_TRUE(Timestamp::Parse("20000229", TimeFormat::kCompactDate).ok());  // divisible by 400
  ExpectInvalid("19000229", TimeFormat::kCompactDate,
                "day 29 does not exist in 1900-02");  // by 100, not 400
  ExpectInvalid("20230229", TimeFormat::kCompactDate, "day 29 does not exist in 2023-02");
  EXPECT_EQ(P("20241231", TimeFormat::kCompactDate).millis() -
                P("20240101", TimeFormat::kCompactDate).millis(),
            365 * Timestamp::kMillisPerDay);
}

TEST(Time, RejectsInvalid) {
  ExpectInvalid("20230230120000", TimeFormat::kCompactSeconds, "day 30 does not exist in 2023-02");
  ExpectInvalid("20230431120000", TimeFormat::kCompactSeconds, "day 31");
  ExpectInvalid("20230100120000", TimeFormat::kCompactSeconds, "day 00");
  ExpectInvalid("20231301120000", TimeFormat::kCompactSeconds, "month 13");
  ExpectInvalid("20230001120000", TimeFormat::kCompactSeconds, "month 00");
  ExpectInvalid("20230101240000", TimeFormat::kCompactSeconds, "hour 24");
  ExpectInvalid("20230101126000", TimeFormat::kCompactSeconds, "minute 60");
  ExpectInvalid("20230101120060", TimeFormat::kCompactSeconds, "second 60");
  ExpectInvalid("00000101120000", TimeFormat::kCompactSeconds, "year 0");
  ExpectInvalid("2023010112000", TimeFormat::kCompactSeconds, "expected 14 characters, got 13");
  ExpectInvalid("202301011200000", TimeFormat::kCompactSeconds, "expected 14 characters, got 15");
  ExpectInvalid("", TimeFormat::kCompactDate, "expected 8 characters, got 0");
  ExpectInvalid("20230101120000", TimeFormat::kCompactMillis, "expected 17");
  ExpectInvalid("2023010112000a", TimeFormat::kCompactSeconds, "second has the non-digit 'a'");
  ExpectInvalid("2O230101", TimeFormat::kCompactDate, "year has the non-digit 'O' at position 2");
  ExpectInvalid("2023-1-1", TimeFormat::kCompactDate, "month has the non-digit '-'");
  ExpectInvalid(" 0230101", TimeFormat::kCompactDate, "non-digit");
  ExpectInvalid("+2023010", TimeFormat::kCompactDate, "non-digit");
}

TEST(Time, Iso8601Variants) {
  Timestamp base = P("20180911102600", TimeFormat::kCompactSeconds);
  EXPECT_EQ(P("2018-09-11T10:26", TimeFormat::kIso8601), base);
  EXPECT_EQ(P("2018-09-11T10:26:00.5", TimeFormat::kIso8601), base.AddMillis(500));
  EXPECT_EQ(P("2018-09-11T10:26:00.123", TimeFormat::kIso8601), base.AddMillis(123));
  // Zones convert to China time (UTC+8).
  EXPECT_EQ(P("2018-09-11T02:26:00Z", TimeFormat::kIso8601), base);
  EXPECT_EQ(P("2018-09-11T10:26:00+08:00", TimeFormat::kIso8601), base);
  EXPECT_EQ(P("2018-09-10T21:26:00-05:00", TimeFormat::kIso8601), base);
  ExpectInvalid("2018-09-11 10:26:00", TimeFormat::kIso8601, "'T' expected at position 11");
  ExpectInvalid("2018-09-11T10", TimeFormat::kIso8601, "':' expected at position 14");
  ExpectInvalid("2018-09-11T10:26:00.1234", TimeFormat::kIso8601, "more than 3 fraction digits");
  ExpectInvalid("2018-09-11T10:26:00.", TimeFormat::kIso8601, "no digits after '.'");
  ExpectInvalid("2018-09-11T10:26:00+0800", TimeFormat::kIso8601, "':' expected");
  ExpectInvalid("2018-09-11T10:26:00 ", TimeFormat::kIso8601, "unexpected ' '");
  ExpectInvalid("2018-02-30T10:26:00", TimeFormat::kIso8601, "day 30");
  ExpectInvalid("2018-09-11T24:00:00", TimeFormat::kIso8601, "hour 24");
}

TEST(Time, NowIsChinaTime) {
  Timestamp now = Timestamp::Now();
  EXPECT_GE(now.year(), 2024);
  EXPECT_LT(now.year(), 2200);
}

}  // namespace
}  // namespace dryport
