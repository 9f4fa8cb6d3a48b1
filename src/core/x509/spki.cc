// parse_spki: SubjectPublicKeyInfo -> PublicKey (RFC 5480, RFC 8410, RFC 3279).
#include <cstddef>

#include "ft/der/der.h"
#include "ft/x509/certificate.h"
#include "oids.h"

namespace ft::x509 {

namespace {

// parse_ec_point checks an uncompressed point 04||X||Y for a curve with coordinate_size bytes.
Status parse_ec_point(Bytes point, std::size_t coordinate_size) {
  if (!point.empty() && (point[0] == 0x02 || point[0] == 0x03)) {
    return {Code::bad_key, "SubjectPublicKeyInfo: compressed EC point (only uncompressed points are accepted)"};
  }
  if (point.size() != 1 + 2 * coordinate_size || point[0] != 0x04) {
    return {Code::bad_key, "SubjectPublicKeyInfo: EC point is not an uncompressed point of the curve's size"};
  }
  return {};
}

// modulus_bits returns the bit length of a positive canonical INTEGER's content octets.
std::uint32_t modulus_bits(Bytes magnitude) {
  if (!magnitude.empty() && magnitude[0] == 0x00) magnitude = magnitude.subspan(1);
  if (magnitude.empty()) return 0;
  std::uint32_t bits = static_cast<std::uint32_t>(magnitude.size() - 1) * 8;
  for (std::uint8_t top = magnitude[0]; top != 0; top = static_cast<std::uint8_t>(top >> 1)) ++bits;
  return bits;
}

bool is_positive(Bytes canonical_integer) {
  return (canonical_integer[0] & 0x80) == 0 && !(canonical_integer.size() == 1 && canonical_integer[0] == 0);
}

// parse_rsa_public_key checks RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
Status parse_rsa_public_key(Bytes der, std::uint32_t& bits) {
  Reader in(der);
  Reader seq;
  FT_TRY(der::read(in, der::kSequence, seq));
  FT_TRY(der::expect_end(in));
  Bytes modulus;
  Bytes exponent;
  FT_TRY(der::read_integer(seq, modulus));
  FT_TRY(der::read_integer(seq, exponent));
  FT_TRY(der::expect_end(seq));
  if (!is_positive(modulus)) return {Code::bad_key, "SubjectPublicKeyInfo: RSA modulus not positive"};
  if (!is_positive(exponent) || (exponent.size() == 1 && exponent[0] == 1) || (exponent.back() & 1) == 0) {
    return {Code::bad_key, "SubjectPublicKeyInfo: RSA public exponent not an odd number above 1"};
  }
  bits = modulus_bits(modulus);
  return {};
}

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
// and AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY DEFINED BY algorithm OPTIONAL }.
struct SpkiFields {
  Bytes algorithm;  // AlgorithmIdentifier contents
  Bytes key_bits;
  Bytes algorithm_oid;
  Bytes parameters;  // empty when absent; else one well-formed element
};
constexpr der::Field kSubjectPublicKeyInfo[] = {
    {0x30, der::kEnter, 0, "SubjectPublicKeyInfo"},
    {0x30, 0, offsetof(SpkiFields, algorithm), "SubjectPublicKeyInfo: algorithm"},
    {0x03, der::kWholeOctets, offsetof(SpkiFields, key_bits), "SubjectPublicKeyInfo: subjectPublicKey"},
};
// The same two rows as signature_scheme_for's table (algorithm.cc), kept apart on purpose: one
// shared AlgorithmIdentifier reader measured 44 B larger in the Cortex-M image (an extra
// read_fields call) and would lose the SubjectPublicKeyInfo context of these messages.
constexpr der::Field kAlgorithmIdentifier[] = {
    {0x06, 0, offsetof(SpkiFields, algorithm_oid), "SubjectPublicKeyInfo: algorithm OID"},
    {0, der::kRest, offsetof(SpkiFields, parameters), "SubjectPublicKeyInfo: algorithm parameters"},
};

}  // namespace

Status parse_spki(Bytes spki, PublicKey& key) {
  Reader in(spki);
  // Every row writes its slot (none is optional) before fields is read.
  Unfilled<SpkiFields> fields_storage;
  SpkiFields& fields = fields_storage.get();
  FT_TRY(der::read_fields(in, kSubjectPublicKeyInfo, &fields));
  Reader algorithm_in(fields.algorithm);
  // Whatever the algorithm, its parameters must be DER before any verdict about support.
  FT_TRY(der::read_fields(algorithm_in, kAlgorithmIdentifier, &fields));
  const Bytes& algorithm_oid = fields.algorithm_oid;
  const Bytes& key_bits = fields.key_bits;
  const Bytes& parameters = fields.parameters;  // compared in place, not through a copy (flash)
  // The verdict goes into locals; key is written once, on success, so a failed parse leaves it as
  // it was (a certificate's key stays the zero PublicKey its reset gave it).
  KeyType type = KeyType::ed25519;
  std::uint32_t bits = 256;

  if (oid::is(algorithm_oid, oid::kEcPublicKey)) {
    // ECParameters: only namedCurve; implicitCurve (NULL) and specifiedCurve are not supported.
    if (parameters.empty()) return Status(make_error(Code::malformed, "SubjectPublicKeyInfo: EC key without curve parameters"));
    // One checked element, so its length octets are minimal: comparing the whole element with a
    // curve's element is comparing the OIDs. The curve picks type and size; one point check
    // follows for both (one inlined copy: flash).
    if (oid::is(parameters, oid::kP256Element)) {
      type = KeyType::ec_p256;
    } else if (oid::is(parameters, oid::kP384Element)) {
      type = KeyType::ec_p384;
      bits = 384;
    } else {
      // Either way unsupported_algorithm; the identifier octet (not empty here) only picks the
      // message: 0x06 is an OBJECT IDENTIFIER, a named curve (what der::next_is on the parameters
      // answers, without a call kept in the image only for this). Without messages no test is
      // left (flash).
      return Status(make_error(Code::unsupported_algorithm,
                               parameters[0] != 0x06 ? "SubjectPublicKeyInfo: EC curve not given as a named curve"
                                                     : "SubjectPublicKeyInfo: EC curve other than P-256 or P-384"));
    }
    FT_TRY(parse_ec_point(key_bits, bits / 8));
  } else if (oid::is(algorithm_oid, oid::kEd25519)) {
    if (!parameters.empty())
      return Status(make_error(Code::malformed, "SubjectPublicKeyInfo: Ed25519 with parameters (RFC 8410: absent)"));
    if (key_bits.size() != 32) return Status(make_error(Code::bad_key, "SubjectPublicKeyInfo: Ed25519 key is not 32 bytes"));
  } else if (config::kRsa && oid::is(algorithm_oid, oid::kRsaEncryption)) {
    // RFC 3279 2.3.1: the parameters MUST be NULL.
    if (parameters.empty())
      return Status(make_error(Code::malformed, "SubjectPublicKeyInfo: rsaEncryption without NULL parameters"));
    Reader algorithm(parameters);
    FT_TRY(der::read_null(algorithm));
    FT_TRY(der::expect_end(algorithm));
    FT_TRY(parse_rsa_public_key(key_bits, bits));
    type = KeyType::rsa;
  } else {
    return Status(make_error(Code::unsupported_algorithm, "SubjectPublicKeyInfo: public key algorithm not supported"));
  }
  key.type = type;
  key.spki = spki;
  key.key = key_bits;
  key.bits = bits;
  return {};
}

}  // namespace ft::x509
