// oids.h — content octets of the object identifiers the X.509 parser knows (internal header).
// Compared with bytes_equal against what der::read_oid returns.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"

namespace ft::x509::oid {

// Public key algorithms and curves (RFC 5480, RFC 8410, RFC 3279).
inline constexpr std::uint8_t kEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
// The named curves as whole DER elements (identifier and length octets included): ECParameters are
// compared as one element, without reading the OID out of them first.
inline constexpr std::uint8_t kP256Element[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
inline constexpr std::uint8_t kP384Element[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
inline constexpr std::uint8_t kEd25519[] = {0x2b, 0x65, 0x70};
inline constexpr std::uint8_t kRsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

// Signature algorithms (RFC 5758, RFC 4055, RFC 8410).
// ecdsa-with-SHA2 (1.2.840.10045.4.3): ecdsa-with-SHA256, -SHA384 and -SHA512 add the arc 2, 3, 4.
inline constexpr std::uint8_t kEcdsaWithSha2[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03};
inline constexpr std::uint8_t kSha256WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
inline constexpr std::uint8_t kSha384WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c};
inline constexpr std::uint8_t kSha512WithRsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};
inline constexpr std::uint8_t kRsassaPss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
inline constexpr std::uint8_t kMgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};
inline constexpr std::uint8_t kSha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};

// Certificate extensions (RFC 5280 4.2).
inline constexpr std::uint8_t kSubjectKeyIdentifier[] = {0x55, 0x1d, 0x0e};
inline constexpr std::uint8_t kKeyUsage[] = {0x55, 0x1d, 0x0f};
inline constexpr std::uint8_t kBasicConstraints[] = {0x55, 0x1d, 0x13};
inline constexpr std::uint8_t kAuthorityKeyIdentifier[] = {0x55, 0x1d, 0x23};
inline constexpr std::uint8_t kExtKeyUsage[] = {0x55, 0x1d, 0x25};

// Extended key usage purposes.
inline constexpr std::uint8_t kAnyExtendedKeyUsage[] = {0x55, 0x1d, 0x25, 0x00};
inline constexpr std::uint8_t kCodeSigning[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03};

// equals returns true when the OID content octets are the size octets at constant. Out of line
// and without a span for the constant, so a comparison costs a call with four register arguments.
bool equals(const Bytes& oid_contents, const std::uint8_t* constant, std::size_t size);

// is returns true when the OID content octets equal the constant.
template <std::size_t N>
[[gnu::always_inline]] inline bool is(const Bytes& oid_contents, const std::uint8_t (&constant)[N]) {
  return equals(oid_contents, constant, N);
}

}  // namespace ft::x509::oid
