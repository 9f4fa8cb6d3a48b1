// ft/keys/ecdsa_encoding.h — the two encodings of an ECDSA signature: COSE/P1363 r||s (fixed
// size) and X.509/OpenSSL DER Ecdsa-Sig-Value SEQUENCE { r INTEGER, s INTEGER }.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::keys {

// ecdsa_p1363_to_der returns the DER Ecdsa-Sig-Value for r||s (even, non-zero length, each half
// big-endian). nullopt when the length is odd or zero, or r or s is zero.
std::optional<std::vector<std::uint8_t>> ecdsa_p1363_to_der(Bytes r_and_s);

// ecdsa_der_to_p1363 returns r||s with each half left-padded to field_size bytes (32 for P-256,
// 48 for P-384). nullopt when der is not a strict DER Ecdsa-Sig-Value or r/s do not fit.
std::optional<std::vector<std::uint8_t>> ecdsa_der_to_p1363(Bytes der, std::size_t field_size);

}  // namespace ft::keys
