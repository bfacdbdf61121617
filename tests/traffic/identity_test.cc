// Identifier formats of the generated traffic.
#include "traffic/identity.h"

#include <gtest/gtest.h>

namespace dryport::traffic {
namespace {

TEST(IdNumber, CheckCharacterOfTheStandardsExample) {
  // GB 11643-1999's own example number.
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_TRUE(IsValidIdNumber("11010519491231002X"));
  EXPECT_FALSE(IsValidIdNumber("110105194912310021"));
  EXPECT_FALSE(IsValidIdNumber("11010519491331002X"));  // month 13
  EXPECT_FALSE(IsValidIdNumber("1101051949123100X"));
}

TEST(IdNumber, MadeNumbersAreValidAndCarryTheSex) {
  const std::string id = internal::MakeIdNumber("140105", 1988, 2, 29, 123);
  EXPECT_EQ(id.substr(0, 17), "14010519880229123");
  EXPECT_TRUE(IsValidIdNumber(id));
  EXPECT_EQ((id[16] - '0') % 2, 1);  // odd: male
}

TEST(Ean13, CheckDigit) {
  EXPECT_EQ(Ean13CheckDigit("400638133393"), '1');
  EXPECT_EQ(Ean13CheckDigit("692010100010"), '2');
}

TEST(AirWaybill, SerialAndMod7CheckDigit) {
  EXPECT_EQ(internal::AirWaybillNumber("784", 1234567), "784-12345675");
}

TEST(Uuid, UpperCaseVersion4) {
  internal::Rng rng(42);
  const std::string u = internal::Uuid(rng);
  ASSERT_EQ(u.size(), 36u);
  EXPECT_EQ(u[8], '-');
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(std::string("89AB").find(u[19]), std::string::npos);
  for (char c : u) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || c == '-') << u;
}

TEST(Mobile, ElevenDigits) {
  internal::Rng rng(7);
  for (int i = 0; i < 100; ++i) {
    const std::string m = internal::MobileNumber(rng);
    ASSERT_EQ(m.size(), 11u);
    EXPECT_EQ(m[0], '1');
  }
}

}  // namespace
}  // namespace dryport::traffic
