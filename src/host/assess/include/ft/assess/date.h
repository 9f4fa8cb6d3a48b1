// ft/assess/date.h — calendar dates for deadlines, with the precision the source gave.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ft::assess {

// Date — a civil date. A source that names only a month ("2026-06") gives month precision; such a
// date compares and counts as the first day of that month, the earliest day it can mean.
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  bool month_only = false;

  // days_since_epoch returns days since 1970-01-01 (negative before it).
  [[nodiscard]] long days_since_epoch() const;
  // to_string returns "YYYY-MM-DD", or "YYYY-MM" for month precision.
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Date&, const Date&) = default;
};

// parse_date accepts "YYYY-MM-DD" (a real calendar day) or "YYYY-MM"; nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);

// days_between returns to - from in days.
long days_between(const Date& from, const Date& to);

// today_utc returns the current UTC date.
Date today_utc();

}  // namespace ft::assess
