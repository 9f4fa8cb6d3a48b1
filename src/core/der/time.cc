#include "ft/der/time.h"

#include "ft/der/der.h"

namespace ft::der {

namespace {

bool is_digit(std::uint8_t c) { return c >= '0' && c <= '9'; }

// The messages for a valid BER time that is not in its DER form.
constexpr const char* kUtcTimeForm = keep_message("DER: UTCTime not in the form YYMMDDHHMMSSZ");
constexpr const char* kGeneralizedTimeForm = keep_message("DER: GeneralizedTime not in the form YYYYMMDDHHMMSSZ");

// looks_like_ber_time returns true when text uses only characters of some BER time form (digits,
// 'Z', offsets, fractions): such a value is a time, just not in its DER form.
bool looks_like_ber_time(const Bytes& text) {
  for (const std::uint8_t c : text) {
    if (!is_digit(c) && c != 'Z' && c != '+' && c != '-' && c != '.' && c != ',') return false;
  }
  return !text.empty();
}

// parse_fixed parses "<year digits>MMDDHHMMSSZ" of exactly the expected size; year_digits is 2 or 4.
Status parse_fixed(const Bytes& text, std::size_t year_digits, const char* wrong_form, std::int64_t& unix_seconds) {
  if (text.size() != year_digits + 11 || text.back() != 'Z') {
    if (looks_like_ber_time(text)) return {Code::non_canonical, wrong_form};
    return {Code::malformed, "DER: time value is not a time"};
  }
  // year, month, day, hour, minute, second: the year has year_digits digits, the others two.
  unsigned field[6];
  const std::uint8_t* digits = text.data();
  for (std::size_t i = 0; i < 6; ++i) {
    unsigned value = 0;
    for (std::size_t n = i == 0 ? year_digits : 2; n > 0; --n) {
      const unsigned digit = *digits++ - static_cast<unsigned>('0');
      if (digit > 9) return {Code::malformed, "DER: time value with a non-digit"};
      value = value * 10 + digit;
    }
    field[i] = value;
  }
  auto year = static_cast<std::int32_t>(field[0]);
  if (year_digits == 2) year += year >= 50 ? 1900 : 2000;  // RFC 5280 4.1.2.5.1
  const unsigned month = field[1];
  const unsigned day = field[2];
  if (month < 1 || month > 12) return {Code::malformed, "DER: time value with month outside 1..12"};
  if (day < 1 || day > days_in_month(year, month))
    return {Code::malformed, "DER: time value with a day the month lacks"};
  if (field[3] > 23 || field[4] > 59 || field[5] > 59)
    return {Code::malformed, "DER: time value with hour, minute or second out of range"};
  unix_seconds =
      std::int64_t{days_from_civil(year, month, day)} * 86400 + ((field[3] * 60 + field[4]) * 60 + field[5]);
  return {};
}

}  // namespace

Status parse_utc_time(Bytes contents, std::int64_t& unix_seconds) {
  return parse_fixed(contents, 2, kUtcTimeForm, unix_seconds);
}

Status parse_generalized_time(Bytes contents, std::int64_t& unix_seconds) {
  return parse_fixed(contents, 4, kGeneralizedTimeForm, unix_seconds);
}

Status read_time(Reader& in, std::int64_t& unix_seconds) {
  Reader probe = in;
  Unfilled<Element> element_storage;  // written by the read below before any use
  Element& element = element_storage.get();
  FT_TRY(read_any(probe, element));
  const bool utc = element.tag == kUtcTime;
  if (!utc && element.tag != kGeneralizedTime) return {Code::wrong_type, "DER: expected UTCTime or GeneralizedTime"};
  // parse_fixed writes unix_seconds only when it succeeds.
  FT_TRY(parse_fixed(element.contents, utc ? 2 : 4, utc ? kUtcTimeForm : kGeneralizedTimeForm, unix_seconds));
  in = probe;
  return {};
}

}  // namespace ft::der
