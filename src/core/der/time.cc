#include "ft/der/time.h"

#include "ft/der/der.h"

namespace ft::der {

namespace {

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }

// looks_like_ber_time returns true when text uses only characters of some BER time form (digits,
// 'Z', offsets, fractions): such a value is a time, just not in its DER form.
bool looks_like_ber_time(Bytes text) {
  for (const std::uint8_t c : text) {
    if (!is_digit(c) && c != 'Z' && c != '+' && c != '-' && c != '.' && c != ',') return false;
  }
  return !text.empty();
}

// digits returns the decimal value of text[at, at+count); the caller checked they are digits.
unsigned digits(Bytes text, std::size_t at, std::size_t count) {
  unsigned value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value * 10 + static_cast<unsigned>(text[at + i] - '0');
  return value;
}

// parse_fixed parses "<year digits>MMDDHHMMSSZ" of exactly the expected size; year_digits is 2 or 4.
Status parse_fixed(Bytes text, std::size_t year_digits, const char* wrong_form, std::int64_t& unix_seconds) {
  const std::size_t expected = year_digits + 11;
  if (text.size() != expected || text.back() != 'Z') {
    if (looks_like_ber_time(text)) return {Code::non_canonical, wrong_form};
    return {Code::malformed, "DER: time value is not a time"};
  }
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (!is_digit(text[i])) return {Code::malformed, "DER: time value with a non-digit"};
  }
  std::int64_t year = digits(text, 0, year_digits);
  if (year_digits == 2) year += year >= 50 ? 1900 : 2000;  // RFC 5280 4.1.2.5.1
  const unsigned month = digits(text, year_digits, 2);
  const unsigned day = digits(text, year_digits + 2, 2);
  const unsigned hour = digits(text, year_digits + 4, 2);
  const unsigned minute = digits(text, year_digits + 6, 2);
  const unsigned second = digits(text, year_digits + 8, 2);
  if (month < 1 || month > 12) return {Code::malformed, "DER: time value with month outside 1..12"};
  if (day < 1 || day > days_in_month(year, month))
    return {Code::malformed, "DER: time value with a day the month lacks"};
  if (hour > 23 || minute > 59 || second > 59)
    return {Code::malformed, "DER: time value with hour, minute or second out of range"};
  unix_seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return {};
}

}  // namespace

Status parse_utc_time(Bytes contents, std::int64_t& unix_seconds) {
  return parse_fixed(contents, 2, "DER: UTCTime not in the form YYMMDDHHMMSSZ", unix_seconds);
}

Status parse_generalized_time(Bytes contents, std::int64_t& unix_seconds) {
  return parse_fixed(contents, 4, "DER: GeneralizedTime not in the form YYYYMMDDHHMMSSZ", unix_seconds);
}

Status read_time(Reader& in, std::int64_t& unix_seconds) {
  Reader probe = in;
  Element element;
  FT_TRY(read_any(probe, element));
  std::int64_t value = 0;
  if (element.tag == kUtcTime) {
    FT_TRY(parse_utc_time(element.contents, value));
  } else if (element.tag == kGeneralizedTime) {
    FT_TRY(parse_generalized_time(element.contents, value));
  } else {
    return {Code::wrong_type, "DER: expected UTCTime or GeneralizedTime"};
  }
  unix_seconds = value;
  in = probe;
  return {};
}

}  // namespace ft::der
