#include "extensions.h"

#include "ft/der/der.h"
#include "oids.h"

namespace ft::x509 {

namespace {

// as_extension_error keeps non_canonical (an encoding rule) and turns every other failure inside
// an extension into cert_bad_extension; message names the extension.
Status as_extension_error(const Status& status, const char* message) {
  if (status.ok()) return status;
  return {status.code() == Code::non_canonical ? Code::non_canonical : Code::cert_bad_extension, message};
}

#define FT_TRY_EXT(expr, message) FT_TRY(as_extension_error((expr), keep_message(message)))

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
Status parse_basic_constraints(Bytes value, BasicConstraints& out) {
  constexpr const char* kWhere = "basicConstraints: not a DER BasicConstraints";
  Reader in(value);
  Reader seq;
  FT_TRY_EXT(der::read(in, der::kSequence, seq), kWhere);
  FT_TRY_EXT(der::expect_end(in), kWhere);
  if (der::next_is(seq, der::kBoolean)) {
    bool is_ca = false;
    FT_TRY_EXT(der::read_boolean(seq, is_ca), kWhere);
    if (!is_ca) return {Code::non_canonical, "basicConstraints: cA FALSE encoded although DER omits its DEFAULT"};
    out.is_ca = true;
  }
  if (!seq.empty()) {
    std::uint64_t path_len = 0;
    FT_TRY_EXT(der::read_uint64(seq, path_len), "basicConstraints: pathLenConstraint not a non-negative INTEGER");
    if (path_len > UINT32_MAX) return {Code::cert_bad_extension, "basicConstraints: pathLenConstraint too large"};
    out.has_path_len = true;
    out.path_len = static_cast<std::uint32_t>(path_len);
  }
  FT_TRY_EXT(der::expect_end(seq), kWhere);
  return {};
}

// KeyUsage ::= BIT STRING (named bits); RFC 5280 4.2.1.3: at least one bit set.
Status parse_key_usage(Bytes value, KeyUsage& out) {
  Reader in(value);
  std::uint32_t mask = 0;
  FT_TRY_EXT(der::read_named_bits(in, mask), "keyUsage: not a DER named BIT STRING");
  FT_TRY_EXT(der::expect_end(in), "keyUsage: bytes after the BIT STRING");
  if (mask == 0) return {Code::cert_bad_extension, "keyUsage: no bit set"};
  if (mask > 0x1ffu) return {Code::cert_bad_extension, "keyUsage: bits beyond decipherOnly"};
  out.bits = static_cast<std::uint16_t>(mask);
  return {};
}

// ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
Status parse_ext_key_usage(Bytes value, ExtendedKeyUsage& out) {
  constexpr const char* kWhere = "extKeyUsage: not a DER SEQUENCE OF OBJECT IDENTIFIER";
  Reader in(value);
  Reader seq;
  FT_TRY_EXT(der::read(in, der::kSequence, seq), kWhere);
  FT_TRY_EXT(der::expect_end(in), kWhere);
  if (seq.empty()) return {Code::cert_bad_extension, "extKeyUsage: empty"};
  while (!seq.empty()) {
    Bytes purpose;
    FT_TRY_EXT(der::read_oid(seq, purpose), kWhere);
    if (oid::is(purpose, oid::kCodeSigning)) {
      out.code_signing = true;
    } else if (oid::is(purpose, oid::kAnyExtendedKeyUsage)) {
      out.any = true;
    } else if (out.other_count < 255) {
      ++out.other_count;
    }
  }
  return {};
}

// SubjectKeyIdentifier ::= OCTET STRING
Status parse_subject_key_id(Bytes value, Bytes& out) {
  Reader in(value);
  FT_TRY_EXT(der::read(in, der::kOctetString, out), "subjectKeyIdentifier: not a DER OCTET STRING");
  FT_TRY_EXT(der::expect_end(in), "subjectKeyIdentifier: bytes after the OCTET STRING");
  return {};
}

// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
//   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
Status parse_authority_key_id(Bytes value, Bytes& key_id) {
  constexpr const char* kWhere = "authorityKeyIdentifier: not a DER AuthorityKeyIdentifier";
  Reader in(value);
  Reader seq;
  FT_TRY_EXT(der::read(in, der::kSequence, seq), kWhere);
  FT_TRY_EXT(der::expect_end(in), kWhere);
  bool present = false;
  FT_TRY_EXT(der::read_optional(seq, der::context(0), key_id, present), kWhere);
  Bytes issuer;
  FT_TRY_EXT(der::read_optional(seq, der::context_constructed(1), issuer, present), kWhere);
  bool serial_present = false;
  Bytes serial;
  FT_TRY_EXT(der::read_optional(seq, der::context(2), serial, serial_present), kWhere);
  if (present != serial_present) {
    return {Code::cert_bad_extension, "authorityKeyIdentifier: issuer and serial must appear together"};
  }
  if (serial_present) FT_TRY_EXT(der::check_integer(serial), kWhere);
  FT_TRY_EXT(der::expect_end(seq), kWhere);
  return {};
}

}  // namespace

Status parse_extensions(Bytes wrapper_contents, Certificate& cert) {
  Reader wrapper(wrapper_contents);
  Reader list;
  FT_TRY_EXT(der::read(wrapper, der::kSequence, list), "extensions: not a DER SEQUENCE");
  FT_TRY_EXT(der::expect_end(wrapper), "extensions: bytes after the SEQUENCE");
  if (list.empty()) return {Code::cert_bad_extension, "extensions: present but empty (SIZE (1..MAX))"};

  Bytes seen[kMaxExtensions];
  std::size_t count = 0;
  while (!list.empty()) {
    if (count == kMaxExtensions) return {Code::too_large, "extensions: more than the supported number"};
    // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    constexpr const char* kWhere = "extensions: an Extension is not a DER SEQUENCE { OID, BOOLEAN, OCTET STRING }";
    Reader extension;
    FT_TRY_EXT(der::read(list, der::kSequence, extension), kWhere);
    Bytes id;
    FT_TRY_EXT(der::read_oid(extension, id), kWhere);
    bool critical = false;
    if (der::next_is(extension, der::kBoolean)) {
      FT_TRY_EXT(der::read_boolean(extension, critical), kWhere);
      if (!critical) return {Code::non_canonical, "extensions: critical FALSE encoded although DER omits its DEFAULT"};
    }
    Bytes value;
    FT_TRY_EXT(der::read(extension, der::kOctetString, value), kWhere);
    FT_TRY_EXT(der::expect_end(extension), kWhere);

    for (std::size_t i = 0; i < count; ++i) {
      if (bytes_equal(seen[i], id)) return {Code::duplicate_key, "extensions: an extension appears twice"};
    }
    seen[count++] = id;

    if (oid::is(id, oid::kBasicConstraints)) {
      cert.basic_constraints.present = true;
      cert.basic_constraints.critical = critical;
      FT_TRY(parse_basic_constraints(value, cert.basic_constraints));
    } else if (oid::is(id, oid::kKeyUsage)) {
      cert.key_usage.present = true;
      cert.key_usage.critical = critical;
      FT_TRY(parse_key_usage(value, cert.key_usage));
    } else if (oid::is(id, oid::kExtKeyUsage)) {
      cert.ext_key_usage.present = true;
      cert.ext_key_usage.critical = critical;
      FT_TRY(parse_ext_key_usage(value, cert.ext_key_usage));
    } else if (oid::is(id, oid::kSubjectKeyIdentifier)) {
      FT_TRY(parse_subject_key_id(value, cert.subject_key_id));
    } else if (oid::is(id, oid::kAuthorityKeyIdentifier)) {
      FT_TRY(parse_authority_key_id(value, cert.authority_key_id));
    } else if (critical && !cert.has_unknown_critical_extension) {
      // Judged by validate_path: the certificate may still serve as a parsed anchor or be reported.
      cert.has_unknown_critical_extension = true;
      cert.unknown_critical_oid = id;
    }
  }
  cert.extension_count = static_cast<std::uint8_t>(count);
  return {};
}

}  // namespace ft::x509
