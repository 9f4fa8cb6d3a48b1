#include "extensions.h"

#include "ft/der/der.h"
#include "oids.h"

namespace ft::x509 {

namespace {

// as_extension_error keeps non_canonical (an encoding rule) and a specific cert_bad_extension, and
// turns every other failure inside an extension into cert_bad_extension; where names the
// extension. Each extension's parser is converted once, at its call, not at every read.
Status as_extension_error(Status status, [[maybe_unused]] const char* where) {
  if (status.ok() || status.code() == Code::cert_bad_extension) return status;
  return {status.code() == Code::non_canonical ? Code::non_canonical : Code::cert_bad_extension, where};
}

#define FT_TRY_EXT(expr, where) FT_TRY(as_extension_error((expr), keep_message(where)))

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
Status parse_basic_constraints(Bytes value, BasicConstraints& out) {
  Reader in(value);
  Reader seq;
  FT_TRY(der::read(in, der::kSequence, seq));
  FT_TRY(der::expect_end(in));
  if (der::next_is(seq, der::kBoolean)) {
    bool is_ca = false;
    FT_TRY(der::read_boolean(seq, is_ca));
    if (!is_ca) return {Code::non_canonical, "basicConstraints: cA FALSE encoded although DER omits its DEFAULT"};
    out.is_ca = true;
  }
  if (!seq.empty()) {
    std::uint64_t path_len = 0;
    FT_TRY(der::read_uint64(seq, path_len));
    if (path_len > UINT32_MAX) return {Code::cert_bad_extension, "basicConstraints: pathLenConstraint too large"};
    out.has_path_len = true;
    out.path_len = static_cast<std::uint32_t>(path_len);
  }
  FT_TRY(der::expect_end(seq));
  return {};
}

// KeyUsage ::= BIT STRING (named bits); RFC 5280 4.2.1.3: at least one bit set.
Status parse_key_usage(Bytes value, KeyUsage& out) {
  Reader in(value);
  std::uint32_t mask = 0;
  FT_TRY(der::read_named_bits(in, mask));
  FT_TRY(der::expect_end(in));
  if (mask == 0) return {Code::cert_bad_extension, "keyUsage: no bit set"};
  if (mask > 0x1ffu) return {Code::cert_bad_extension, "keyUsage: bits beyond decipherOnly"};
  out.bits = static_cast<std::uint16_t>(mask);
  return {};
}

// ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
Status parse_ext_key_usage(Bytes value, ExtendedKeyUsage& out) {
  Reader in(value);
  Reader seq;
  FT_TRY(der::read(in, der::kSequence, seq));
  FT_TRY(der::expect_end(in));
  if (seq.empty()) return {Code::cert_bad_extension, "extKeyUsage: empty"};
  while (!seq.empty()) {
    Bytes purpose;
    FT_TRY(der::read_oid(seq, purpose));
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
  FT_TRY(der::read(in, der::kOctetString, out));
  FT_TRY(der::expect_end(in));
  return {};
}

// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
//   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
Status parse_authority_key_id(Bytes value, Bytes& key_id) {
  Reader in(value);
  Reader seq;
  FT_TRY(der::read(in, der::kSequence, seq));
  FT_TRY(der::expect_end(in));
  bool present = false;
  FT_TRY(der::read_optional(seq, der::context(0), key_id, present));
  Bytes issuer;
  FT_TRY(der::read_optional(seq, der::context_constructed(1), issuer, present));
  bool serial_present = false;
  Bytes serial;
  FT_TRY(der::read_optional(seq, der::context(2), serial, serial_present));
  if (present != serial_present) {
    return {Code::cert_bad_extension, "authorityKeyIdentifier: issuer and serial must appear together"};
  }
  if (serial_present) FT_TRY(der::check_integer(serial));
  FT_TRY(der::expect_end(seq));
  return {};
}


// read_extension reads Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
// extnValue OCTET STRING }.
Status read_extension(Reader& list, Bytes& id, bool& critical, Bytes& value) {
  Reader extension;
  FT_TRY(der::read(list, der::kSequence, extension));
  FT_TRY(der::read_oid(extension, id));
  if (der::next_is(extension, der::kBoolean)) {
    FT_TRY(der::read_boolean(extension, critical));
    if (!critical) return {Code::non_canonical, "extensions: critical FALSE encoded although DER omits its DEFAULT"};
  }
  FT_TRY(der::read(extension, der::kOctetString, value));
  return der::expect_end(extension);
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
    Bytes id;
    bool critical = false;
    Bytes value;
    FT_TRY_EXT(read_extension(list, id, critical, value),
               "extensions: an Extension is not a DER SEQUENCE { OID, BOOLEAN, OCTET STRING }");
    for (std::size_t i = 0; i < count; ++i) {
      if (bytes_equal(seen[i], id)) return {Code::duplicate_key, "extensions: an extension appears twice"};
    }
    seen[count++] = id;

    Status parsed;
    if (oid::is(id, oid::kBasicConstraints)) {
      cert.basic_constraints.present = true;
      cert.basic_constraints.critical = critical;
      parsed = as_extension_error(parse_basic_constraints(value, cert.basic_constraints),
                                  keep_message("basicConstraints: not a DER BasicConstraints"));
    } else if (oid::is(id, oid::kKeyUsage)) {
      cert.key_usage.present = true;
      cert.key_usage.critical = critical;
      parsed = as_extension_error(parse_key_usage(value, cert.key_usage),
                                  keep_message("keyUsage: not a DER named BIT STRING"));
    } else if (oid::is(id, oid::kExtKeyUsage)) {
      cert.ext_key_usage.present = true;
      cert.ext_key_usage.critical = critical;
      parsed = as_extension_error(parse_ext_key_usage(value, cert.ext_key_usage),
                                  keep_message("extKeyUsage: not a DER SEQUENCE OF OBJECT IDENTIFIER"));
    } else if (oid::is(id, oid::kSubjectKeyIdentifier)) {
      parsed = as_extension_error(parse_subject_key_id(value, cert.subject_key_id),
                                  keep_message("subjectKeyIdentifier: not a DER OCTET STRING"));
    } else if (oid::is(id, oid::kAuthorityKeyIdentifier)) {
      parsed = as_extension_error(parse_authority_key_id(value, cert.authority_key_id),
                                  keep_message("authorityKeyIdentifier: not a DER AuthorityKeyIdentifier"));
    } else if (critical && !cert.has_unknown_critical_extension) {
      // Judged by validate_path: the certificate may still serve as a parsed anchor or be reported.
      cert.has_unknown_critical_extension = true;
      cert.unknown_critical_oid = id;
    }
    FT_TRY(parsed);
  }
  cert.extension_count = static_cast<std::uint8_t>(count);
  return {};
}

}  // namespace ft::x509
