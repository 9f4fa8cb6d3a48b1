#include "strict_der.h"

namespace ft::mbedtls_port {

namespace {
constexpr std::uint8_t kTagInteger = 0x02;
constexpr std::uint8_t kTagSequence = 0x30;
}  // namespace

bool read_der_element(Reader& reader, std::uint8_t tag, Bytes& contents) {
  Reader r = reader;
  std::uint8_t actual_tag = 0;
  std::uint8_t first = 0;
  if (!r.get_u8(actual_tag) || actual_tag != tag || !r.get_u8(first)) return false;
  std::uint64_t length = first;
  if (first & 0x80) {
    std::size_t count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than 4 length bytes is beyond any input we accept.
    if (count == 0 || count > 4 || !r.get_be(count, length)) return false;
    // Minimal: long form only from 128 on, and no leading zero length byte.
    if (length < 0x80 || (length >> (8 * (count - 1))) == 0) return false;
  }
  if (!r.get_bytes(static_cast<std::size_t>(length), contents)) return false;
  reader = r;
  return true;
}

bool read_der_positive_integer(Reader& reader, Bytes& magnitude) {
  Reader r = reader;
  Bytes value;
  if (!read_der_element(r, kTagInteger, value) || value.empty()) return false;
  if (value[0] & 0x80) return false;  // negative
  if (value.size() > 1 && value[0] == 0x00) {
    if ((value[1] & 0x80) == 0) return false;  // a zero byte that is not needed for the sign
    value = value.subspan(1);
  }
  magnitude = value;
  reader = r;
  return true;
}

bool parse_ecdsa_der_signature(Bytes signature, Bytes& r, Bytes& s) {
  Reader outer(signature);
  Bytes body;
  if (!read_der_element(outer, kTagSequence, body) || !outer.empty()) return false;
  Reader fields(body);
  return read_der_positive_integer(fields, r) && read_der_positive_integer(fields, s) && fields.empty();
}

bool parse_rsa_public_key(Bytes der, Bytes& modulus, Bytes& exponent) {
  Reader outer(der);
  Bytes body;
  if (!read_der_element(outer, kTagSequence, body) || !outer.empty()) return false;
  Reader fields(body);
  return read_der_positive_integer(fields, modulus) && read_der_positive_integer(fields, exponent) &&
         fields.empty();
}

}  // namespace ft::mbedtls_port
