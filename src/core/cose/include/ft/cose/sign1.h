// ft/cose/sign1.h — COSE_Sign1 (RFC 9052 §4.2) with the x5chain header (RFC 9360), verified
// through the crypto port. Zero-copy: every span points into the caller's buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/crypto.h"

namespace ft::cose {

inline constexpr std::size_t kMaxX5Chain = 6;
inline constexpr std::size_t kMaxProtectedLabels = 16;  // labels in the protected header bucket
inline constexpr std::uint64_t kTagSign1 = 18;

// COSE algorithm identifiers this verifier knows (IANA COSE Algorithms; all fit int8_t, so a
// table of them stays small — Sign1::alg holds any identifier).
enum class Alg : std::int8_t {
  es256 = -7,
  esp256 = -9,  // fully specified ES256 (P-256 + SHA-256), as used by the public SUIT examples
  es384 = -35,
  esp384 = -51,
  eddsa = -8,
  ed25519 = -19,  // fully specified EdDSA with Ed25519
  ps256 = -37,
};

// Header labels.
inline constexpr std::int64_t kHeaderAlg = 1;
inline constexpr std::int64_t kHeaderCrit = 2;
inline constexpr std::int64_t kHeaderContentType = 3;
inline constexpr std::int64_t kHeaderKid = 4;
inline constexpr std::int64_t kHeaderX5Chain = 33;

// Sign1 — a parsed COSE_Sign1.
struct Sign1 {
  Bytes protected_bstr;      // content of the protected bstr (the encoded header map, or empty)
  Bytes payload;             // attached payload (empty when detached)
  bool payload_detached = false;  // set by parse_sign1: true when the payload is nil
  Bytes signature;
  std::int64_t alg = 0;
  Bytes kid;
  Bytes x5chain[kMaxX5Chain];  // DER certificates, leaf first
  std::size_t x5chain_count = 0;
};

// parse_sign1 parses a COSE_Sign1, tagged (18) or untagged, from exactly `encoded` into out. It
// fails with cose_malformed for a wrong structure, cose_alg_missing when the protected header lacks
// alg, cose_unknown_critical_header for a crit entry this verifier does not understand,
// cose_bad_protected_header when a label (int or text) appears in both buckets, and too_large for
// an x5chain longer than kMaxX5Chain or a protected bucket with more than kMaxProtectedLabels labels.
Status parse_sign1(Bytes encoded, Sign1& out);
// parse_sign1 returning the Sign1; same errors.
Result<Sign1> parse_sign1(Bytes encoded);

// scheme_for_alg maps a COSE alg to the signature scheme it fixes, in scheme;
// cose_alg_not_allowed otherwise (scheme then unchanged).
Status scheme_for_alg(std::int64_t alg, SigScheme& scheme);
// scheme_for_alg returning the scheme; the same function.
inline Result<SigScheme> scheme_for_alg(std::int64_t alg) {
  SigScheme scheme{};
  FT_TRY(scheme_for_alg(alg, scheme));
  return scheme;
}

// sig_structure_size returns the size of the Sig_structure for msg (see write_sig_structure).
std::size_t sig_structure_size(const Sign1& msg, Bytes external_payload);

// write_sig_structure encodes ["Signature1", protected, h'' (external_aad), payload] into out,
// with payload = external_payload when the message is detached, and sets encoded to the encoded
// bytes (a prefix of out); buffer_too_small when out is too small (encoded then unchanged).
Status write_sig_structure(const Sign1& msg, const Bytes& external_payload, const MutableBytes& out, Bytes& encoded);

// verify_sign1 checks msg's signature with key (which must fit msg's alg: key_alg_mismatch
// otherwise) over the Sig_structure, built in scratch. cose_bad_signature when it does not verify.
// (The spans by reference: fewer arguments on the stack at each call, less flash on a device.)
Status verify_sign1(CryptoPort& crypto, const Sign1& msg, const PublicKey& key, const Bytes& external_payload,
                    const MutableBytes& scratch);

}  // namespace ft::cose
