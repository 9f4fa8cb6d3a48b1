// parse_certificate: the Certificate and TBSCertificate skeleton, names and validity (RFC 5280 4.1).
#include "ft/x509/certificate.h"

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
  Reader in(name);
  Reader rdns;
  FT_TRY(der::read(in, der::kSequence, rdns));
  FT_TRY(der::expect_end(in));
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

Status parse_validity(Reader& tbs, Certificate& cert) {
  Reader validity;
  FT_TRY(as_part(der::read(tbs, der::kSequence, validity), Code::cert_bad_time, "tbsCertificate.validity"));
  FT_TRY(as_part(der::read_time(validity, cert.not_before), Code::cert_bad_time,
                 "tbsCertificate.validity.notBefore: not a DER UTCTime/GeneralizedTime"));
  FT_TRY(as_part(der::read_time(validity, cert.not_after), Code::cert_bad_time,
                 "tbsCertificate.validity.notAfter: not a DER UTCTime/GeneralizedTime"));
  FT_TRY(as_part(der::expect_end(validity), Code::cert_bad_time, "tbsCertificate.validity: extra elements"));
  return {};
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
  FT_TRY_AT(der::read_element(tbs, der::kSequence, cert.issuer), "tbsCertificate.issuer");
  FT_TRY(as_part(check_name(cert.issuer), Code::cert_bad_name, "tbsCertificate.issuer: not a DER Name"));
  FT_TRY(parse_validity(tbs, cert));
  FT_TRY_AT(der::read_element(tbs, der::kSequence, cert.subject), "tbsCertificate.subject");
  FT_TRY(as_part(check_name(cert.subject), Code::cert_bad_name, "tbsCertificate.subject: not a DER Name"));
  FT_TRY_AT(der::read_element(tbs, der::kSequence, cert.spki), "tbsCertificate.subjectPublicKeyInfo");

  const Status key = parse_spki(cert.spki, cert.key);
  if (key.code() == Code::unsupported_algorithm || key.code() == Code::bad_key) {
    cert.key = PublicKey{};
    cert.key_error = key.error();  // judged by validate_path against the key policy
  } else if (!key.ok()) {
    return at(key, keep_message("tbsCertificate.subjectPublicKeyInfo"));
  }

  // issuerUniqueID [1] and subjectUniqueID [2]: v2 and v3 only; carried but not used.
  for (unsigned tag_number = 1; tag_number <= 2; ++tag_number) {
    Bytes unique_id;
    bool present = false;
    FT_TRY_AT(der::read_optional(tbs, der::context(tag_number), unique_id, present), "tbsCertificate.uniqueID");
    if (present && cert.version < 2)
      return {Code::cert_bad_version, "tbsCertificate: unique identifier in a v1 certificate"};
  }

  Bytes extensions;
  bool has_extensions = false;
  FT_TRY_AT(der::read_optional(tbs, der::context_constructed(3), extensions, has_extensions),
            "tbsCertificate.extensions");
  if (has_extensions) {
    if (cert.version != 3)
      return {Code::cert_bad_version, "tbsCertificate: extensions in a certificate that is not v3"};
    FT_TRY(parse_extensions(extensions, cert));
  }
  FT_TRY_AT(der::expect_end(tbs), "tbsCertificate: elements after the extensions");
  return {};
}

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
  Reader outer;
  FT_TRY_AT(der::read(in, der::kSequence, outer), "Certificate");
  FT_TRY_AT(der::expect_end(in), "Certificate: bytes after the certificate");

  FT_TRY_AT(der::read_element(outer, der::kSequence, cert.tbs), "tbsCertificate");
  FT_TRY_AT(der::read_element(outer, der::kSequence, cert.signature_algorithm), "Certificate.signatureAlgorithm");
  FT_TRY_AT(der::read_octet_aligned_bit_string(outer, cert.signature), "Certificate.signatureValue");
  FT_TRY_AT(der::expect_end(outer), "Certificate: elements after signatureValue");

  Reader tbs;
  {
    Reader whole(cert.tbs);
    FT_TRY_AT(der::read(whole, der::kSequence, tbs), "tbsCertificate");
  }
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
