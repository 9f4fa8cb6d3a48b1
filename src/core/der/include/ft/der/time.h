// ft/der/time.h — UTCTime and GeneralizedTime in their DER-restricted forms, as seconds since the
// Unix epoch. Pure arithmetic: no OS calls, no time zone database, no leap seconds.
//
// Accepted forms (X.690 11.7/11.8, RFC 5280 4.1.2.5): UTCTime "YYMMDDHHMMSSZ" (YY 50..99 is
// 19YY, 00..49 is 20YY) and GeneralizedTime "YYYYMMDDHHMMSSZ". Missing seconds, local times,
// offsets and fractional seconds are valid BER but not DER -> non_canonical; anything else that is
// not a time (non-digits, month 13, 30 February, second 60) -> malformed.
#pragma once

#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/error.h"

namespace ft::der {

// days_from_civil returns the number of days from 1970-01-01 to the proleptic Gregorian date
// year-month-day (negative before the epoch). month is 1..12, day 1..31; not range-checked. 32-bit
// arithmetic (|year| below one million): no 64-bit division is linked into a Cortex-M build.
constexpr std::int32_t days_from_civil(std::int32_t year, unsigned month, unsigned day) {
  // Howard Hinnant's algorithm: count in 400-year eras starting on 1 March, so the leap day is the
  // last day of the counted year.
  const std::int32_t y = year - (month <= 2 ? 1 : 0);
  const std::int32_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int32_t>(day_of_era) - 719468;
}

// is_leap_year returns true for Gregorian leap years: divisible by 4, and by 400 when divisible by
// 100. Divisible by 100 is divisible by 25 and by 4, and then divisible by 400 is divisible by 16:
// one division instead of three (the masks hold for negative years too, in two's complement).
constexpr bool is_leap_year(std::int32_t year) { return (year & (year % 25 == 0 ? 15 : 3)) == 0; }

// days_in_month returns 28..31 for month 1..12 of year; 0 for another month.
constexpr unsigned days_in_month(std::int32_t year, unsigned month) {
  if (month < 1 || month > 12) return 0;
  if (month == 2) return is_leap_year(year) ? 29 : 28;
  // 31 days, except April, June, September and November (bit m set: month m has 30).
  return (0xa50u >> month) & 1u ? 30 : 31;
}

// parse_utc_time / parse_generalized_time convert the content octets of a UTCTime /
// GeneralizedTime into seconds since 1970-01-01T00:00:00Z.
Status parse_utc_time(Bytes contents, std::int64_t& unix_seconds);
Status parse_generalized_time(Bytes contents, std::int64_t& unix_seconds);

// read_time reads a UTCTime or a GeneralizedTime element (RFC 5280 Time); wrong_type for others.
Status read_time(Reader& in, std::int64_t& unix_seconds);

}  // namespace ft::der
