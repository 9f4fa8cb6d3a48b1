// strict_der.h — the few DER elements the mbed TLS port must read itself (an ECDSA-Sig-Value, an
// RSAPublicKey, the outer SubjectPublicKeyInfo length), because mbed TLS 2.28's ASN.1 reader
// tolerates non-minimal lengths and integer padding. Private to ft_port_mbedtls.
#pragma once

#include <cstdint>

#include "ft/base/bytes.h"

namespace ft::mbedtls_port {

// read_der_element takes one DER element with the given single-byte tag off reader and returns its
// contents. False (reader unchanged) on another tag, a truncated element, a length that is not
// in its minimal form, or a length beyond 2^32.
[[nodiscard]] bool read_der_element(Reader& reader, std::uint8_t tag, Bytes& contents);

// read_der_positive_integer takes one INTEGER and returns its magnitude without the sign byte.
// False (reader unchanged) unless the encoding is minimal and the value is zero or positive.
// Zero comes back as one 0x00 byte.
[[nodiscard]] bool read_der_positive_integer(Reader& reader, Bytes& magnitude);

// parse_ecdsa_der_signature splits a DER Ecdsa-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) into
// the magnitudes of r and s; false for anything else, including trailing bytes.
[[nodiscard]] bool parse_ecdsa_der_signature(Bytes signature, Bytes& r, Bytes& s);

// parse_rsa_public_key splits a DER RSAPublicKey (SEQUENCE { modulus, publicExponent }); false for
// anything else, including trailing bytes.
[[nodiscard]] bool parse_rsa_public_key(Bytes der, Bytes& modulus, Bytes& exponent);

}  // namespace ft::mbedtls_port
