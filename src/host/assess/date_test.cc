#include "ft/assess/date.h"

#include <gtest/gtest.h>

namespace ft::assess {
namespace {

TEST(Date, ParsesDaysAndMonths) {
  const auto day = parse_date("2027-12-11");
  ASSERT_TRUE(day);
  EXPECT_EQ(day->year, 2027);
  EXPECT_EQ(day->month, 12);
  EXPECT_EQ(day->day, 11);
  EXPECT_FALSE(day->month_only);
  EXPECT_EQ(day->to_string(), "2027-12-11");

  const auto month = parse_date("2026-06");
  ASSERT_TRUE(month);
  EXPECT_TRUE(month->month_only);
  EXPECT_EQ(month->to_string(), "2026-06");
  // A month-only date counts as its first day, the earliest it can mean.
  EXPECT_EQ(days_between(*parse_date("2026-06-01"), *month), 0);
}

TEST(Date, RejectsWhatIsNoCalendarDay) {
  for (const char* bad : {"", "2026", "2026-13", "2026-00-10", "2026-02-30", "2025-02-29", "26-01-01", "2026-1-01",
                          "2026-01-1x", "2026/01/01", "2026-01-01T00"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
  EXPECT_TRUE(parse_date("2024-02-29"));
}

TEST(Date, CountsDays) {
  EXPECT_EQ(days_between(*parse_date("2026-11-27"), *parse_date("2027-12-11")), 379);
  EXPECT_EQ(days_between(*parse_date("2026-09-11"), *parse_date("2026-09-10")), -1);
  EXPECT_EQ(parse_date("1970-01-02")->days_since_epoch(), 1);
}

}  // namespace
}  // namespace ft::assess
