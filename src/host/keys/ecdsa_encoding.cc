#include "ft/keys/ecdsa_encoding.h"

#include <algorithm>

namespace ft::keys {

namespace {

void append_length(std::vector<std::uint8_t>& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xff) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(length));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
  }
}

// append_integer writes an unsigned big-endian value as a minimal, positive DER INTEGER.
void append_integer(std::vector<std::uint8_t>& out, Bytes value) {
  std::size_t start = 0;
  while (start < value.size() && value[start] == 0) ++start;
  const Bytes digits = value.subspan(start);
  const bool needs_pad = (digits[0] & 0x80) != 0;
  out.push_back(0x02);
  append_length(out, digits.size() + (needs_pad ? 1 : 0));
  if (needs_pad) out.push_back(0x00);
  out.insert(out.end(), digits.begin(), digits.end());
}

bool is_zero(Bytes value) {
  for (std::uint8_t b : value) {
    if (b != 0) return false;
  }
  return true;
}

// get_length reads a DER length: short form, or long form with the minimal number of bytes.
bool get_length(Reader& reader, std::size_t& length) {
  std::uint8_t first = 0;
  if (!reader.get_u8(first)) return false;
  if (first < 0x80) {
    length = first;
    return true;
  }
  const std::size_t count = first & 0x7f;
  if (count == 0 || count > 2) return false;
  std::uint64_t value = 0;
  if (!reader.get_be(count, value)) return false;
  if (value < 0x80 || (count == 2 && value <= 0xff)) return false;  // not minimal
  length = static_cast<std::size_t>(value);
  return true;
}

// get_positive_integer reads a DER INTEGER that is minimal and positive; out views its digits
// without the sign-padding zero.
bool get_positive_integer(Reader& reader, Bytes& out) {
  std::uint8_t tag = 0;
  std::size_t length = 0;
  Bytes content;
  if (!reader.get_u8(tag) || tag != 0x02 || !get_length(reader, length) || length == 0 ||
      !reader.get_bytes(length, content)) {
    return false;
  }
  if ((content[0] & 0x80) != 0) return false;  // negative
  if (content[0] == 0x00) {
    if (content.size() == 1 || (content[1] & 0x80) == 0) return false;  // zero or padded needlessly
    content = content.subspan(1);
  }
  out = content;
  return true;
}

}  // namespace

std::optional<std::vector<std::uint8_t>> ecdsa_p1363_to_der(Bytes r_and_s) {
  if (r_and_s.empty() || r_and_s.size() % 2 != 0) return std::nullopt;
  const std::size_t half = r_and_s.size() / 2;
  const Bytes r = r_and_s.first(half);
  const Bytes s = r_and_s.subspan(half);
  if (is_zero(r) || is_zero(s)) return std::nullopt;
  std::vector<std::uint8_t> body;
  append_integer(body, r);
  append_integer(body, s);
  std::vector<std::uint8_t> der;
  der.push_back(0x30);
  append_length(der, body.size());
  der.insert(der.end(), body.begin(), body.end());
  return der;
}

std::optional<std::vector<std::uint8_t>> ecdsa_der_to_p1363(Bytes der, std::size_t field_size) {
  Reader outer(der);
  std::uint8_t tag = 0;
  std::size_t length = 0;
  Bytes sequence;
  if (!outer.get_u8(tag) || tag != 0x30 || !get_length(outer, length) ||
      !outer.get_bytes(length, sequence) || !outer.empty()) {
    return std::nullopt;
  }
  Reader inner(sequence);
  Bytes r;
  Bytes s;
  if (!get_positive_integer(inner, r) || !get_positive_integer(inner, s) || !inner.empty()) {
    return std::nullopt;
  }
  if (r.size() > field_size || s.size() > field_size) return std::nullopt;
  std::vector<std::uint8_t> out(2 * field_size, 0);
  std::copy(r.begin(), r.end(), out.begin() + static_cast<std::ptrdiff_t>(field_size - r.size()));
  std::copy(s.begin(), s.end(), out.end() - static_cast<std::ptrdiff_t>(s.size()));
  return out;
}

}  // namespace ft::keys
