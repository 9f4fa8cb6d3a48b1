// parse_certificate: the Certificate and TBSCertificate skeleton, names and validity (RFC 5280 4.1).
#include "ft/x509/certificate.h"

#include <cstddef>

#include "extensions.h"
#include "ft/base/reset.h"
#include "ft/der/der.h"
#include "ft/der/time.h"

namespace ft::x509 {

namespace {

// at keeps the code of a failed step and replaces its message with the field being read: the
// code says what was wrong, the message where.
Status at(Status status, [[maybe_unused]] const char* field) {
  if (status.ok()) return status;
  return {status.code(), field};
}

// as_part keeps non_canonical and turns any other failure into the cert_* code of the part.
Status as_part(Status status, Code part_code, const char* field) {
  if (status.ok()) return status;
  return {status.code() == Code::non_canonical ? Code::non_canonical : part_code, field};
}

#define FT_TRY_AT(expr, field) FT_TRY(at((expr), keep_message(field)))

// check_name validates Name ::= SEQUENCE OF RelativeDistinguishedName, RDN ::= SET SIZE (1..MAX)
// OF AttributeTypeAndValue, ATV ::= SEQUENCE { type OID, value ANY }. The bytes are compared
// as a whole later; here only their structure and DER form are checked.
Status check_name(Bytes name) {
  Reader rdns;
  FT_TRY(der::read_only(name, der::kSequence, rdns));
  while (!rdns.empty()) {
    Bytes rdn_contents;
    FT_TRY(der::read(rdns, der::kSet, rdn_contents));
    if (rdn_contents.empty()) return {Code::cert_bad_name, "empty RelativeDistinguishedName"};
    Reader rdn(rdn_contents);
    while (!rdn.empty()) {
      Reader attribute;
      FT_TRY(der::read(rdn, der::kSequence, attribute));
      Bytes type;
      FT_TRY(der::read_oid(attribute, type));
      der::Element value;
      FT_TRY(der::read_any(attribute, value));
      FT_TRY(der::check_element(value.encoded));
      FT_TRY(der::expect_end(attribute));
    }
    FT_TRY(der::check_set_of_order(rdn_contents));
  }
  return {};
}

// parse_validity reads Validity ::= SEQUENCE { notBefore Time, notAfter Time }. Every failure but
// an encoding rule is cert_bad_time (the caller converts).
Status parse_validity(Reader& tbs, Certificate& cert) {
  Reader validity;
  FT_TRY(der::read(tbs, der::kSequence, validity));
  FT_TRY(der::read_time(validity, cert.not_before));
  FT_TRY(der::read_time(validity, cert.not_after));
  return der::expect_end(validity);
}

// read_name reads a Name element and checks its structure; structural failures are cert_bad_name.
Status read_name(Reader& tbs, Bytes& name, [[maybe_unused]] const char* field) {
  FT_TRY_AT(der::read_element(tbs, der::kSequence, name), field);
  return as_part(check_name(name), Code::cert_bad_name, field);
}

// read_version reads the optional [0] EXPLICIT Version (DEFAULT v1, so v1 is never encoded).
Status read_version(Reader& tbs, std::uint8_t& version) {
  version = 1;
  if (!der::next_is(tbs, der::context_constructed(0))) return {};
  Reader wrapper;
  FT_TRY_AT(der::read(tbs, der::context_constructed(0), wrapper), "tbsCertificate.version");
  std::uint64_t value = 0;
  FT_TRY_AT(der::read_uint64(wrapper, value), "tbsCertificate.version");
  FT_TRY_AT(der::expect_end(wrapper), "tbsCertificate.version");
  if (value == 0) return {Code::non_canonical, "tbsCertificate.version: v1 encoded although DER omits its DEFAULT"};
  if (value > 2) return {Code::cert_bad_version, "tbsCertificate.version: not v1, v2 or v3"};
  version = static_cast<std::uint8_t>(value + 1);
  return {};
}

// read_serial reads serialNumber: a canonical INTEGER of at most 20 octets of value (RFC 5280
// 4.1.2.2), i.e. 20 content octets, or 21 when the first is a sign octet.
Status read_serial(Reader& tbs, Bytes& serial) {
  FT_TRY_AT(der::read_integer(tbs, serial), "tbsCertificate.serialNumber");
  const bool sign_octet = serial.size() > 1 && serial[0] == 0x00;
  if (serial.size() > (sign_octet ? 21u : 20u))
    return {Code::too_large, "tbsCertificate.serialNumber: longer than 20 octets"};
  return {};
}

Status parse_tbs(Reader& tbs, Certificate& cert, Bytes& tbs_signature_algorithm) {
  FT_TRY(read_version(tbs, cert.version));
  FT_TRY(read_serial(tbs, cert.serial));
  FT_TRY_AT(der::read_element(tbs, der::kSequence, tbs_signature_algorithm), "tbsCertificate.signature");
  FT_TRY(read_name(tbs, cert.issuer, keep_message("tbsCertificate.issuer: not a DER Name")));
  FT_TRY(as_part(parse_validity(tbs, cert), Code::cert_bad_time,
                 "tbsCertificate.validity: not a SEQUENCE of two DER UTCTime/GeneralizedTime"));
  FT_TRY(read_name(tbs, cert.subject, keep_message("tbsCertificate.subject: not a DER Name")));
  FT_TRY_AT(der::read_element(tbs, der::kSequence, cert.spki), "tbsCertificate.subjectPublicKeyInfo");

  const Status key = parse_spki(cert.spki, cert.key);
  if (key.code() == Code::unsupported_algorithm || key.code() == Code::bad_key) {
    cert.key = PublicKey{};
    cert.key_error = key.error();  // judged by validate_path against the key policy
  } else if (!key.ok()) {
    return at(key, keep_message("tbsCertificate.subjectPublicKeyInfo"));
  }

  // issuerUniqueID [1] and subjectUniqueID [2] (v2 and v3 only; carried but not used), then
  // extensions [3] EXPLICIT (v3 only). One loop, so the three reads share one call site.
  for (unsigned number = 1; number <= 3; ++number) {
    const bool is_extensions = number == 3;
    Bytes contents;
    bool present = false;
    FT_TRY_AT(der::read_optional(tbs, is_extensions ? der::context_constructed(3) : der::context(number), contents,
                                 present),
              "tbsCertificate.uniqueID or extensions");
    if (!present) continue;
    if (cert.version < (is_extensions ? 3 : 2)) {
      return {Code::cert_bad_version, is_extensions ? "tbsCertificate: extensions in a certificate that is not v3"
                                                    : "tbsCertificate: unique identifier in a v1 certificate"};
    }
    if (is_extensions) FT_TRY(parse_extensions(contents, cert));
  }
  FT_TRY_AT(der::expect_end(tbs), "tbsCertificate: elements after the extensions");
  return {};
}

// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }; the
// TBS is parsed afterwards, from cert.tbs.
constexpr der::Field kCertificate[] = {
    {0x30, der::kEnter, 0, "Certificate"},
    {0x30, der::kKeepEncoded, offsetof(Certificate, tbs), "tbsCertificate"},
    {0x30, der::kKeepEncoded, offsetof(Certificate, signature_algorithm), "Certificate.signatureAlgorithm"},
    {0x03, der::kWholeOctets, offsetof(Certificate, signature), "Certificate.signatureValue"},
};

}  // namespace

Result<Certificate> parse_certificate(Bytes der) {
  Certificate cert;
  FT_TRY(parse_certificate(der, cert));
  return cert;
}

Status parse_certificate(Bytes der, Certificate& cert) {
  reset_in_place(cert);
  cert.der = der;
  Reader in(der);
  FT_TRY(der::read_fields(in, kCertificate, &cert));

  Reader tbs;
  FT_TRY_AT(der::read_only(cert.tbs, der::kSequence, tbs), "tbsCertificate");
  Bytes tbs_signature_algorithm;
  FT_TRY(parse_tbs(tbs, cert, tbs_signature_algorithm));

  // RFC 5280 4.1.1.2: the two must be identical; byte equality leaves no room for re-encodings.
  if (!bytes_equal(tbs_signature_algorithm, cert.signature_algorithm)) {
    return {Code::cert_sig_alg_mismatch, "Certificate.signatureAlgorithm differs from tbsCertificate.signature"};
  }
  Result<SigScheme> scheme = signature_scheme_for(cert.signature_algorithm);
  if (scheme.ok()) {
    cert.signature_scheme_known = true;
    cert.signature_scheme = scheme.value();
  } else if (scheme.code() != Code::unsupported_algorithm) {
    return at(Status(scheme.error()), keep_message("Certificate.signatureAlgorithm"));
  }
  return {};
}

Status CertificateList::add(Bytes der) {
  if (count_ == kMaxChain) return {Code::too_large, "certificate list: more than kMaxChain certificates"};
  FT_TRY(parse_certificate(der, items_[count_]));  // a failed parse leaves count_ as it was
  ++count_;
  return {};
}

}  // namespace ft::x509
