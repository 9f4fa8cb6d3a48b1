// ft/x509/certificate.h — a zero-copy X.509 v3 certificate parser (RFC 5280) for the code-signing
// profile of the verifier core.
//
// parse_certificate checks the encoding (strict DER through ft/der) and the structure, and records
// what path validation needs. Policy decisions (is the key type allowed, is an extension critical
// and unknown, is the signature algorithm supported) are recorded here and judged by
// validate_path (ft/x509/path.h), so one place reports them with a position in the chain.
//
// Everything a Certificate holds is a view into the DER buffer the caller passed; that buffer must
// outlive the Certificate. No heap, no exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/crypto.h"

namespace ft::x509 {

// kMaxChain bounds a certification path: leaf, at most kMaxChain - 2 intermediates, and the anchor
// certificate. Also the capacity of CertificateList.
inline constexpr std::size_t kMaxChain = 6;
inline constexpr std::size_t kMaxIntermediates = kMaxChain - 2;

// kMaxExtensions bounds the extensions of one certificate (duplicates are found by comparing
// each OID with every earlier one).
inline constexpr std::size_t kMaxExtensions = 24;

// KeyUsage bits (RFC 5280 4.2.1.3): bit i of the mask is ASN.1 bit i.
enum KeyUsageBit : std::uint16_t {
  kDigitalSignature = 1u << 0,
  kNonRepudiation = 1u << 1,
  kKeyEncipherment = 1u << 2,
  kDataEncipherment = 1u << 3,
  kKeyAgreement = 1u << 4,
  kKeyCertSign = 1u << 5,
  kCrlSign = 1u << 6,
  kEncipherOnly = 1u << 7,
  kDecipherOnly = 1u << 8,
};

struct BasicConstraints {
  bool present = false;
  bool critical = false;
  bool is_ca = false;
  bool has_path_len = false;
  std::uint32_t path_len = 0;  // pathLenConstraint when has_path_len (values above 2^32-1: too_large)
};

struct KeyUsage {
  bool present = false;
  bool critical = false;
  std::uint16_t bits = 0;  // KeyUsageBit mask; never 0 when present (RFC 5280: at least one bit)
  [[nodiscard]] bool has(KeyUsageBit bit) const { return (bits & bit) != 0; }
};

struct ExtendedKeyUsage {
  bool present = false;
  bool critical = false;
  bool code_signing = false;     // id-kp-codeSigning (1.3.6.1.5.5.7.3.3)
  bool any = false;              // anyExtendedKeyUsage (2.5.29.37.0)
  std::uint8_t other_count = 0;  // other purposes (saturates at 255)
};

// Certificate — the parsed view of one certificate.
struct Certificate {
  Bytes der;                            // the whole certificate
  Bytes tbs;                            // tbsCertificate, header included: the signed bytes
  std::uint8_t version = 0;             // 1, 2 or 3 once parsed (every default here is zero, so
                                        // resetting a certificate is a memset, not code per field)
  Bytes serial;                         // serialNumber content octets (canonical two's complement)
  Bytes signature_algorithm;            // AlgorithmIdentifier TLV (outer and TBS are byte-identical)
  bool signature_scheme_known = false;  // false: an algorithm this core does not verify
  SigScheme signature_scheme{};         // meaningful when signature_scheme_known
  Bytes signature;              // signatureValue without the unused-bits octet
  Bytes issuer;                 // issuer Name TLV, compared byte for byte
  Bytes subject;                // subject Name TLV
  std::int64_t not_before = 0;  // seconds since the Unix epoch
  std::int64_t not_after = 0;
  Bytes spki;       // SubjectPublicKeyInfo TLV
  PublicKey key;    // usable only when key_error.code == Code::ok
  Error key_error;  // unsupported_algorithm (other algorithm or curve) or bad_key
  BasicConstraints basic_constraints;
  KeyUsage key_usage;
  ExtendedKeyUsage ext_key_usage;
  Bytes subject_key_id;    // subjectKeyIdentifier contents (empty when absent)
  Bytes authority_key_id;  // authorityKeyIdentifier keyIdentifier (empty when absent)
  std::uint8_t extension_count = 0;
  bool has_unknown_critical_extension = false;
  Bytes unknown_critical_oid;  // content octets of the first such extension's OID
};

// parse_certificate parses one DER certificate occupying all of der.
//
// Fails with the ft/der code of an encoding violation (truncated, non_canonical, malformed,
// wrong_type, too_large, trailing_data — the message names the field) or with: cert_bad_version
// (version other than v1..v3, or extensions/unique IDs in a version that lacks them),
// cert_sig_alg_mismatch (outer signatureAlgorithm differs from the TBS one), cert_bad_time,
// cert_bad_name, cert_bad_extension (a processed extension is not the structure RFC 5280 gives it,
// or is empty where it must not be), duplicate_key (an extension appears twice). Encoding
// violations inside names, times and extensions stay non_canonical (e.g. a BOOLEAN DEFAULT FALSE
// encoded explicitly); their other failures become the cert_* code of the part. Unsupported key or
// signature algorithms do not fail parsing; see key_error and signature_scheme_known.
Result<Certificate> parse_certificate(Bytes der);
// parse_certificate into out (no copy of the result: for small stacks); same errors. out is
// reset first and is unspecified after a failure.
Status parse_certificate(Bytes der, Certificate& out);

// parse_spki parses a DER SubjectPublicKeyInfo occupying all of spki into a PublicKey viewing it.
//
// Supported: id-ecPublicKey on P-256 / P-384 (named curve, uncompressed point), id-Ed25519 (no
// parameters), rsaEncryption (NULL parameters, RSAPublicKey with positive modulus and exponent).
// Fails with ft/der codes for encoding errors, unsupported_algorithm for other algorithms, curves
// or explicit curve parameters, and bad_key for compressed or wrongly sized points and RSA keys
// without a usable modulus. key is written only on success: a failure leaves it unchanged.
Status parse_spki(Bytes spki, PublicKey& key);
// parse_spki returning the key; the same function (inline, so an image that only uses the form
// above does not keep a second copy).
inline Result<PublicKey> parse_spki(Bytes spki) {
  PublicKey key;
  FT_TRY(parse_spki(spki, key));
  return key;
}

// signature_scheme_for maps a DER AlgorithmIdentifier TLV to the SigScheme that verifies it:
// ecdsa-with-SHA256/384/512 (no parameters), id-Ed25519 (no parameters),
// sha256/384/512WithRSAEncryption (NULL or absent parameters), RSASSA-PSS with SHA-256,
// MGF1-SHA-256, salt length 32 and the default trailer field. unsupported_algorithm otherwise.
// scheme is written only on success: a failure leaves it unchanged.
Status signature_scheme_for(const Bytes& algorithm_identifier, SigScheme& scheme);
// signature_scheme_for returning the scheme; the same function (inline, so an image that only uses
// the form above does not keep a second copy).
inline Result<SigScheme> signature_scheme_for(const Bytes& algorithm_identifier) {
  SigScheme scheme{};
  FT_TRY(signature_scheme_for(algorithm_identifier, scheme));
  return scheme;
}

// CertificateList — up to kMaxChain parsed certificates in caller storage, without heap. The DER
// buffers passed to add must outlive the list.
class CertificateList {
 public:
  // add parses der and appends it; too_large when the list is full; parse errors pass through and
  // leave the list unchanged.
  Status add(const Bytes& der);

  [[nodiscard]] std::size_t size() const { return count_; }
  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] const Certificate& operator[](std::size_t i) const { return items_[i]; }
  [[nodiscard]] std::span<const Certificate> certificates() const {
    return std::span<const Certificate>(items_, count_);
  }

 private:
  Certificate items_[kMaxChain];
  std::size_t count_ = 0;
};

}  // namespace ft::x509
