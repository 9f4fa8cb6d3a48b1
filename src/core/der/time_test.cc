#include "ft/der/time.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "ft/der/der.h"

namespace ft::der {
namespace {

Bytes text(const char* s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s), std::strlen(s)); }

TEST(DaysFromCivil, KnownDates) {
  static_assert(days_from_civil(1970, 1, 1) == 0);
  static_assert(days_from_civil(1970, 1, 2) == 1);
  static_assert(days_from_civil(1969, 12, 31) == -1);
  static_assert(days_from_civil(2000, 3, 1) == 11017);
  // 2038-01-19 (the 32-bit time_t limit) is day 24855.
  EXPECT_EQ(days_from_civil(2038, 1, 19), 24855);
  EXPECT_EQ(days_from_civil(1950, 1, 1), -7305);
  EXPECT_EQ(days_from_civil(9999, 12, 31), 2932896);
  EXPECT_EQ(days_from_civil(0, 1, 1), -719528);
}

TEST(DaysFromCivil, ConsecutiveDaysAcrossYears) {
  // Walking day by day from 1600 to 2400 must advance the count by one each time.
  std::int64_t expected = days_from_civil(1600, 1, 1);
  for (std::int32_t y = 1600; y < 2400; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= days_in_month(y, m); ++d) {
        ASSERT_EQ(days_from_civil(y, m, d), expected) << y << "-" << m << "-" << d;
        ++expected;
      }
    }
  }
}

TEST(Leap, Rules) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_FALSE(is_leap_year(2023));
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2100, 2), 28u);
  EXPECT_EQ(days_in_month(2024, 13), 0u);
}

// is_leap_year tests divisibility by 25 and masks instead of % 4, % 100 and % 400: it must agree
// with the textbook rule on every year the parsers can produce and on negative years.
TEST(Leap, AgreesWithTheTextbookRule) {
  for (std::int32_t year = -2000; year <= 10000; ++year) {
    const bool textbook = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    ASSERT_EQ(is_leap_year(year), textbook) << year;
  }
}

TEST(UtcTime, DerForm) {
  std::int64_t t = 0;
  ASSERT_TRUE(parse_utc_time(text("700101000000Z"), t).ok());
  EXPECT_EQ(t, 0);
  ASSERT_TRUE(parse_utc_time(text("491231235959Z"), t).ok());  // 2049
  EXPECT_EQ(t, 2524607999);
  ASSERT_TRUE(parse_utc_time(text("500101000000Z"), t).ok());  // 1950
  EXPECT_EQ(t, -631152000);
  ASSERT_TRUE(parse_utc_time(text("240229120000Z"), t).ok());
  EXPECT_EQ(t, 1709208000);
}

TEST(UtcTime, BerFormsAreNonCanonical) {
  std::int64_t t = 0;
  EXPECT_EQ(parse_utc_time(text("7001010000Z"), t).code(), Code::non_canonical);        // no seconds
  EXPECT_EQ(parse_utc_time(text("700101000000+0100"), t).code(), Code::non_canonical);  // offset
  EXPECT_EQ(parse_utc_time(text("700101000000"), t).code(), Code::non_canonical);       // local
}

TEST(UtcTime, NotATime) {
  std::int64_t t = 0;
  EXPECT_EQ(parse_utc_time(text("70010100000aZ"), t).code(), Code::malformed);
  EXPECT_EQ(parse_utc_time(text("701301000000Z"), t).code(), Code::malformed);  // month 13
  EXPECT_EQ(parse_utc_time(text("700001000000Z"), t).code(), Code::malformed);  // month 0
  EXPECT_EQ(parse_utc_time(text("230229000000Z"), t).code(), Code::malformed);  // not leap
  EXPECT_EQ(parse_utc_time(text("700100000000Z"), t).code(), Code::malformed);  // day 0
  EXPECT_EQ(parse_utc_time(text("700101240000Z"), t).code(), Code::malformed);
  EXPECT_EQ(parse_utc_time(text("700101006000Z"), t).code(), Code::malformed);
  EXPECT_EQ(parse_utc_time(text("700101000060Z"), t).code(), Code::malformed);  // leap second
  EXPECT_EQ(parse_utc_time(text("hello world!Z"), t).code(), Code::malformed);
  EXPECT_EQ(parse_utc_time(text(""), t).code(), Code::malformed);
}

TEST(GeneralizedTime, DerForm) {
  std::int64_t t = 0;
  ASSERT_TRUE(parse_generalized_time(text("20500101000000Z"), t).ok());
  EXPECT_EQ(t, 2524608000);
  ASSERT_TRUE(parse_generalized_time(text("99991231235959Z"), t).ok());
  EXPECT_EQ(t, 253402300799);
  ASSERT_TRUE(parse_generalized_time(text("19000101000000Z"), t).ok());
  EXPECT_EQ(t, -2208988800);
  EXPECT_EQ(parse_generalized_time(text("20500101000000.5Z"), t).code(), Code::non_canonical);
  EXPECT_EQ(parse_generalized_time(text("205001010000Z"), t).code(), Code::non_canonical);
  EXPECT_EQ(parse_generalized_time(text("20500101000000"), t).code(), Code::non_canonical);
  EXPECT_EQ(parse_generalized_time(text("21000229000000Z"), t).code(), Code::malformed);
}

TEST(ReadTime, ChoosesByTag) {
  const std::vector<std::uint8_t> utc = {0x17, 0x0d, '2', '6', '0', '6', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'};
  Reader in{Bytes(utc)};
  std::int64_t t = 0;
  ASSERT_TRUE(read_time(in, t).ok());
  EXPECT_EQ(t, days_from_civil(2026, 6, 1) * 86400);
  EXPECT_TRUE(in.empty());

  const std::vector<std::uint8_t> octets = {0x04, 0x01, 0x00};
  Reader in2{Bytes(octets)};
  EXPECT_EQ(read_time(in2, t).code(), Code::wrong_type);
  EXPECT_EQ(in2.remaining(), 3u);

  const std::vector<std::uint8_t> bad = {0x18, 0x02, '2', '0'};
  Reader in3{Bytes(bad)};
  EXPECT_EQ(read_time(in3, t).code(), Code::non_canonical);
  EXPECT_EQ(in3.remaining(), 4u);
}

}  // namespace
}  // namespace ft::der
