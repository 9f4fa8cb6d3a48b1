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

// check_name validates Name ::= SEQUENCE OF RelativeDistinguishedName, RDN ::= SET SIZE (1..MAX)
// OF AttributeTypeAndValue, ATV ::= SEQUENCE { type OID, value ANY }. The bytes are compared
// as a whole later; here only their structure and DER form are checked.
Status check_name(Bytes name) {
  Unfilled<Reader> rdns_storage;  // written by the read below before any use
  Reader& rdns = rdns_storage.get();
  FT_TRY(der::read_only(name, der::kSequence, rdns));
  while (!rdns.empty()) {
    Unfilled<Bytes> rdn_storage;  // written by the read below before any use
    Bytes& rdn_contents = rdn_storage.get();
    FT_TRY(der::read(rdns, der::kSet, rdn_contents));
    if (rdn_contents.empty()) return {Code::cert_bad_name, "empty RelativeDistinguishedName"};
    Reader rdn(rdn_contents);
    while (!rdn.empty()) {
      Unfilled<Reader> attribute_storage;  // written by the read below before any use
      Reader& attribute = attribute_storage.get();
      FT_TRY(der::read(rdn, der::kSequence, attribute));
      Unfilled<der::Element> value_storage;  // written by read_any before any use
      der::Element& value = value_storage.get();
      // The type is only checked, not kept: its contents land where read_any then writes.
      FT_TRY(der::read_oid(attribute, value.contents));
      FT_TRY(der::read_any(attribute, value));
      FT_TRY(der::check_element(value.encoded));
      FT_TRY(der::expect_end(attribute));
    }
    FT_TRY(der::check_set_of_order(rdn_contents));
  }
  return {};
}

// parse_validity reads the contents of Validity ::= SEQUENCE { notBefore Time, notAfter Time }.
// Every failure but an encoding rule is cert_bad_time (the caller converts).
Status parse_validity(Bytes contents, Certificate& cert) {
  Reader validity(contents);
  FT_TRY(der::read_time(validity, cert.not_before));
  FT_TRY(der::read_time(validity, cert.not_after));
  return der::expect_end(validity);
}

// parse_version judges the contents of the [0] EXPLICIT Version wrapper (DEFAULT v1, so v1 is
// never encoded): one non-negative INTEGER, v2 or v3. The checks run in the order of a 64-bit
// INTEGER read (sign, width), then the end of the wrapper, then the value.
Status parse_version(Bytes wrapper, std::uint8_t& version) {
  constexpr const char* kField = keep_message("tbsCertificate.version");
  Reader in(wrapper);
  Unfilled<Bytes> value_storage;  // written by the read below before any use
  Bytes& value = value_storage.get();
  FT_TRY(at(der::read_integer(in, value), kField));
  const std::uint8_t first = value[0];
  if ((first & 0x80) != 0) return {Code::malformed, kField};  // negative
  // Canonical, so a leading 0x00 is only a sign octet, not counted in the width (the value is
  // judged from the octets as read, without a copy that drops it: flash).
  if (value.size() - (first == 0x00 ? 1 : 0) > 8) return {Code::too_large, kField};  // wider than 64 bits
  FT_TRY(at(der::expect_end(in), kField));
  // Canonical: the value is 0 exactly when it is the single octet 0x00, and 1..2 exactly when it
  // is one octet 1..2 (a longer non-negative INTEGER is at least 0x80).
  const bool one_octet = value.size() == 1;
  if (one_octet && first == 0)
    return {Code::non_canonical, "tbsCertificate.version: v1 encoded although DER omits its DEFAULT"};
  if (!one_octet || first > 2) return {Code::cert_bad_version, "tbsCertificate.version: not v1, v2 or v3"};
  version = static_cast<std::uint8_t>(first + 1);
  return {};
}

// TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber, signature,
//   issuer, validity, subject, subjectPublicKeyInfo, issuerUniqueID [1] IMPLICIT OPTIONAL,
//   subjectUniqueID [2] IMPLICIT OPTIONAL, extensions [3] EXPLICIT OPTIONAL }, read from
// cert.tbs by one read_fields_checked loop (one call instead of a checked call per component:
// flash). Row i of kTbsCertificate reads component i into TbsParse::slot[i]; check_tbs_row then
// judges it right after its read, in the order the components come, so a certificate with two
// faults still reports the first (the precedence of the hand-written reader this replaced).
enum TbsRow : std::uint8_t {
  kTbsSequence,
  kTbsVersion,
  kTbsSerial,
  kTbsSignature,
  kTbsIssuer,
  kTbsValidity,
  kTbsSubject,
  kTbsSpki,
  kTbsIssuerUniqueId,
  kTbsSubjectUniqueId,
  kTbsExtensions,
  kTbsEnd,
};
// TbsParse — where the rows of kTbsCertificate go; check_tbs_row moves them into cert.
struct TbsParse {
  Bytes slot[kTbsEnd];  // slot[row]: that row's element (null data while absent)
  Certificate* cert;
};
constexpr const char* kIssuerField = keep_message("tbsCertificate.issuer: not a DER Name");
constexpr const char* kSubjectField = keep_message("tbsCertificate.subject: not a DER Name");
constexpr const char* kValidityField =
    keep_message("tbsCertificate.validity: not a SEQUENCE of two DER UTCTime/GeneralizedTime");
constexpr const char* kUniqueIdField = keep_message("tbsCertificate.uniqueID or extensions");
#define FT_TBS_SLOT(row) static_cast<std::uint16_t>(offsetof(TbsParse, slot) + (row) * sizeof(Bytes))
constexpr der::Field kTbsCertificate[] = {
    {0x30, der::kEnter, 0, "tbsCertificate"},
    {0xa0, der::kOptional, FT_TBS_SLOT(kTbsVersion), "tbsCertificate.version"},
    {0x02, 0, FT_TBS_SLOT(kTbsSerial), "tbsCertificate.serialNumber"},
    {0x30, der::kKeepEncoded, FT_TBS_SLOT(kTbsSignature), "tbsCertificate.signature"},
    {0x30, der::kKeepEncoded, FT_TBS_SLOT(kTbsIssuer), kIssuerField},
    {0x30, 0, FT_TBS_SLOT(kTbsValidity), kValidityField},
    {0x30, der::kKeepEncoded, FT_TBS_SLOT(kTbsSubject), kSubjectField},
    {0x30, der::kKeepEncoded, FT_TBS_SLOT(kTbsSpki), "tbsCertificate.subjectPublicKeyInfo"},
    {0x81, der::kOptional, FT_TBS_SLOT(kTbsIssuerUniqueId), kUniqueIdField},
    {0x82, der::kOptional, FT_TBS_SLOT(kTbsSubjectUniqueId), kUniqueIdField},
    {0xa3, der::kOptional, FT_TBS_SLOT(kTbsExtensions), kUniqueIdField},
};
#undef FT_TBS_SLOT
static_assert(sizeof kTbsCertificate / sizeof kTbsCertificate[0] == kTbsEnd);

// check_tbs_row is kTbsCertificate's FieldCheck: the checks of each component, right after its read.
Status check_tbs_row(std::size_t row, Status status, void* out) {
  auto& parse = *static_cast<TbsParse*>(out);
  Certificate& cert = *parse.cert;
  if (row == kTbsValidity) {
    // Any failure of validity but an encoding rule, its read included, is cert_bad_time.
    if (status.ok()) status = parse_validity(parse.slot[row], cert);
    return as_part(status, Code::cert_bad_time, kValidityField);
  }
  if (row == kTbsEnd) return at(status, keep_message("tbsCertificate: elements after the extensions"));
  if (row == kTbsVersion) cert.version = 1;  // DEFAULT v1, also while the element is being read
  FT_TRY(status);
  const Bytes value = parse.slot[row];
  switch (row) {
    case kTbsVersion:
      if (value.data() == nullptr) return {};
      return parse_version(value, cert.version);
    case kTbsSerial: {
      // RFC 5280 4.1.2.2: at most 20 octets of value, not counting a sign octet. A canonical
      // INTEGER (never empty) starts with 0x00 only as a sign octet or as the value 0 (one octet,
      // within the limit either way).
      cert.serial = value;
      if (value.size() - (value[0] == 0x00 ? 1 : 0) > 20)
        return {Code::too_large, "tbsCertificate.serialNumber: longer than 20 octets"};
      return {};
    }
    case kTbsIssuer:
    case kTbsSubject: {
      const bool issuer = row == kTbsIssuer;
      (issuer ? cert.issuer : cert.subject) = value;
      return as_part(check_name(value), Code::cert_bad_name, issuer ? kIssuerField : kSubjectField);
    }
    case kTbsSpki: {
      cert.spki = value;
      // A failed parse_spki leaves cert.key as the reset left it: the zero PublicKey (type none).
      const Status key = parse_spki(value, cert.key);
      if (key.code() == Code::unsupported_algorithm || key.code() == Code::bad_key) {
        cert.key_error = key.error();  // judged by validate_path against the key policy
        return {};
      }
      return at(key, keep_message("tbsCertificate.subjectPublicKeyInfo"));
    }
    case kTbsIssuerUniqueId:
    case kTbsSubjectUniqueId:
    case kTbsExtensions: {
      // Unique identifiers in v2 and v3 only (carried but not used), extensions in v3 only.
      if (value.data() == nullptr) return {};
      const bool is_extensions = row == kTbsExtensions;
      if (cert.version < (is_extensions ? 3 : 2)) {
        return {Code::cert_bad_version, is_extensions ? "tbsCertificate: extensions in a certificate that is not v3"
                                                      : "tbsCertificate: unique identifier in a v1 certificate"};
      }
      // By reference to the slot itself (not to value, a local): the call stays a tail call.
      if (is_extensions) return parse_extensions(parse.slot[kTbsExtensions], cert);
      return {};
    }
    default:  // the SEQUENCE itself, and signature: compared with the outer one afterwards
      return {};
  }
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

  Reader tbs(cert.tbs);
  TbsParse parse{};
  parse.cert = &cert;
  FT_TRY(der::read_fields_checked(tbs, kTbsCertificate, kTbsEnd, &parse, check_tbs_row));

  // RFC 5280 4.1.1.2: the two must be identical; byte equality leaves no room for re-encodings.
  if (!bytes_equal(parse.slot[kTbsSignature], cert.signature_algorithm)) {
    return {Code::cert_sig_alg_mismatch, "Certificate.signatureAlgorithm differs from tbsCertificate.signature"};
  }
  // A scheme this core does not verify leaves signature_scheme as the reset left it.
  const Status scheme = signature_scheme_for(cert.signature_algorithm, cert.signature_scheme);
  if (scheme.ok()) {
    cert.signature_scheme_known = true;
  } else if (scheme.code() != Code::unsupported_algorithm) {
    return at(scheme, keep_message("Certificate.signatureAlgorithm"));
  }
  return {};
}

Status CertificateList::add(const Bytes& der) {
  if (count_ == kMaxChain) return {Code::too_large, "certificate list: more than kMaxChain certificates"};
  FT_TRY(parse_certificate(der, items_[count_]));  // a failed parse leaves count_ as it was
  ++count_;
  return {};
}

}  // namespace ft::x509
