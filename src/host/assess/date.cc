#include "ft/assess/date.h"

#include <chrono>
#include <cstdio>

namespace ft::assess {

namespace {

std::chrono::year_month_day to_ymd(const Date& date) {
  return std::chrono::year{date.year} / std::chrono::month{static_cast<unsigned>(date.month)} /
         std::chrono::day{static_cast<unsigned>(date.month_only ? 1 : date.day)};
}

bool all_digits(std::string_view text) {
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int to_int(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

long Date::days_since_epoch() const {
  return static_cast<long>(std::chrono::sys_days{to_ymd(*this)}.time_since_epoch().count());
}

std::string Date::to_string() const {
  char buffer[16];
  if (month_only) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  }
  return buffer;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 7 && text.size() != 10) return std::nullopt;
  if (text[4] != '-' || !all_digits(text.substr(0, 4)) || !all_digits(text.substr(5, 2))) return std::nullopt;
  Date date;
  date.year = to_int(text.substr(0, 4));
  date.month = to_int(text.substr(5, 2));
  if (date.month < 1 || date.month > 12) return std::nullopt;
  if (text.size() == 7) {
    date.month_only = true;
    date.day = 1;
    return date;
  }
  if (text[7] != '-' || !all_digits(text.substr(8, 2))) return std::nullopt;
  date.day = to_int(text.substr(8, 2));
  if (!to_ymd(date).ok()) return std::nullopt;
  return date;
}

long days_between(const Date& from, const Date& to) { return to.days_since_epoch() - from.days_since_epoch(); }

Date today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{now};
  Date date;
  date.year = static_cast<int>(ymd.year());
  date.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  date.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  return date;
}

}  // namespace ft::assess
