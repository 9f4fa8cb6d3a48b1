#include "extensions.h"

#include <cstddef>

#include "ft/der/der.h"
#include "oids.h"

namespace ft::x509 {

namespace {

// as_extension_error keeps non_canonical (an encoding rule) and a specific cert_bad_extension, and
// turns every other failure inside an extension into cert_bad_extension; where names the
// extension. Each extension's parser is converted once, at its call, not at every read. A
// cert_bad_extension keeps its own message: the code only picks the message, so without
// messages no test for it is left (flash).
Status as_extension_error(Status status, [[maybe_unused]] const char* where) {
  if (status.ok()) return status;
  const Code code = status.code();
  return {code == Code::non_canonical ? code : Code::cert_bad_extension,
          code == Code::cert_bad_extension ? status.error().message : where};
}

// Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING },
// read from the SEQUENCE's contents.
struct Extension {
  Bytes id;
  Bytes critical;  // the BOOLEAN's content octet when encoded (then TRUE); empty when omitted
  Bytes value;
};
constexpr der::Field kExtension[] = {
    {0x06, 0, offsetof(Extension, id), "extensions: extnID"},
    {0x01, der::kOptional | der::kTrueOnly, offsetof(Extension, critical), "extensions: critical"},
    {0x04, 0, offsetof(Extension, value), "extensions: extnValue"},
};

// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
struct BasicConstraintsFields {
  Bytes ca;        // content octet of cA when encoded (then TRUE)
  Bytes path_len;  // content octets of pathLenConstraint when present
};
constexpr der::Field kBasicConstraints[] = {
    {0x30, der::kEnter, 0, "basicConstraints"},
    {0x01, der::kOptional | der::kTrueOnly, offsetof(BasicConstraintsFields, ca), "basicConstraints: cA"},
    {0x02, der::kOptionalAtEnd, offsetof(BasicConstraintsFields, path_len), "basicConstraints: pathLenConstraint"},
};

Status parse_basic_constraints(Reader& in, BasicConstraints& out) {
  BasicConstraintsFields fields;
  FT_TRY(der::read_fields(in, kBasicConstraints, &fields));
  out.is_ca = !fields.ca.empty();
  Bytes path_len = fields.path_len;
  if (!path_len.empty()) {
    // A canonical INTEGER (read_fields checked it): non-negative, and at most 32 bits once its
    // sign octet is dropped. Every violation is cert_bad_extension, as read_uint64's were.
    if ((path_len[0] & 0x80) != 0) return {Code::cert_bad_extension, "basicConstraints: negative pathLenConstraint"};
    if (path_len[0] == 0x00) path_len = path_len.subspan(1);
    if (path_len.size() > 4) return {Code::cert_bad_extension, "basicConstraints: pathLenConstraint too large"};
    std::uint32_t result = 0;
    for (const std::uint8_t b : path_len) result = (result << 8) | b;
    out.has_path_len = true;
    out.path_len = result;
  }
  return {};
}

// KeyUsage ::= BIT STRING (named bits); RFC 5280 4.2.1.3: at least one bit set. The BIT STRING
// is read by a one-row table and its named bits decoded by der::decode_named_bits: the image then
// keeps no separate named-bits reader for this one use (flash).
constexpr der::Field kKeyUsageBits[] = {
    {0x03, der::kLeaveOpen, 0, "keyUsage"},  // BIT STRING contents: unused-bits octet, then the bits
};

Status parse_key_usage(Reader& in, KeyUsage& out) {
  Unfilled<Bytes> contents_storage;  // written by the read below before any use
  Bytes& contents = contents_storage.get();
  FT_TRY(der::read_fields(in, kKeyUsageBits, &contents));
  std::uint32_t mask = 0;  // bit i is ASN.1 bit i
  FT_TRY(der::decode_named_bits(contents, mask));
  FT_TRY(der::expect_end(in));
  if (mask == 0) return {Code::cert_bad_extension, "keyUsage: no bit set"};
  if (mask > 0x1ffu) return {Code::cert_bad_extension, "keyUsage: bits beyond decipherOnly"};
  out.bits = static_cast<std::uint16_t>(mask);
  return {};
}

// ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
Status parse_ext_key_usage(const Bytes& value, ExtendedKeyUsage& out) {
  Unfilled<Reader> seq_storage;  // written by the read below before any use
  Reader& seq = seq_storage.get();
  FT_TRY(der::read_only(value, der::kSequence, seq));
  if (seq.empty()) return {Code::cert_bad_extension, "extKeyUsage: empty"};
  while (!seq.empty()) {
    Unfilled<Bytes> purpose_storage;  // written by the read below before any use
    Bytes& purpose = purpose_storage.get();
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

// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
//   authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
struct AuthorityKeyIdFields {
  Bytes key_id;
  Bytes issuer;  // null data when absent (see der::kOptional)
  Bytes serial;  // likewise
};
constexpr der::Field kAuthorityKeyId[] = {
    {0x30, der::kEnter, 0, "authorityKeyIdentifier"},
    {0x80, der::kOptional, offsetof(AuthorityKeyIdFields, key_id), "authorityKeyIdentifier: keyIdentifier"},
    {0xa1, der::kOptional, offsetof(AuthorityKeyIdFields, issuer), "authorityKeyIdentifier: authorityCertIssuer"},
    {0x82, der::kOptional | der::kLeaveOpen, offsetof(AuthorityKeyIdFields, serial),
     "authorityKeyIdentifier: authorityCertSerialNumber"},
};

Status parse_authority_key_id(Reader& in, Bytes& key_id) {
  AuthorityKeyIdFields fields;
  FT_TRY(der::read_fields(in, kAuthorityKeyId, &fields));
  key_id = fields.key_id;
  const bool serial_present = fields.serial.data() != nullptr;
  if ((fields.issuer.data() != nullptr) != serial_present) {
    return {Code::cert_bad_extension, "authorityKeyIdentifier: issuer and serial must appear together"};
  }
  if (serial_present) FT_TRY(der::check_integer(fields.serial));
  return der::expect_end(in);
}

// parse_known parses the value of the extension 2.5.29.<number> into cert, when this profile
// processes it; other extensions are left alone.
Status parse_known(std::uint8_t number, const Extension& extension, Certificate& cert) {
  const bool critical = !extension.critical.empty();
  // One reader over the value for the parsers that read it by table (one copy of the value for
  // the three, not one each: flash); the others read extension.value in place.
  Reader in(extension.value);
  switch (number) {
    case 0x13:  // basicConstraints
      cert.basic_constraints.present = true;
      cert.basic_constraints.critical = critical;
      return parse_basic_constraints(in, cert.basic_constraints);
    case 0x0f:  // keyUsage
      cert.key_usage.present = true;
      cert.key_usage.critical = critical;
      return parse_key_usage(in, cert.key_usage);
    case 0x25:  // extKeyUsage
      cert.ext_key_usage.present = true;
      cert.ext_key_usage.critical = critical;
      return parse_ext_key_usage(extension.value, cert.ext_key_usage);
    case 0x0e: {  // subjectKeyIdentifier ::= OCTET STRING
      // read_only on the value in place, not a one-row table (no row kept in flash for this).
      Unfilled<Reader> key_id_storage;  // written by the read below before any use
      Reader& key_id = key_id_storage.get();
      FT_TRY(der::read_only(extension.value, der::kOctetString, key_id));
      cert.subject_key_id = key_id.rest();
      return {};
    }
    case 0x23:  // authorityKeyIdentifier
      return parse_authority_key_id(in, cert.authority_key_id);
    default:
      if (critical && !cert.has_unknown_critical_extension) {
        // Judged by validate_path: the certificate may still serve as a parsed anchor or be reported.
        cert.has_unknown_critical_extension = true;
        cert.unknown_critical_oid = extension.id;
      }
      return {};
  }
}

}  // namespace

Status parse_extensions(const Bytes& wrapper_contents, Certificate& cert) {
  Unfilled<Reader> list_storage;  // written by the read below before any use
  Reader& list = list_storage.get();
  FT_TRY(as_extension_error(der::read_only(wrapper_contents, der::kSequence, list),
                            keep_message("extensions: not one DER SEQUENCE")));
  if (list.empty()) return {Code::cert_bad_extension, "extensions: present but empty (SIZE (1..MAX))"};

  // The OIDs seen so far, for the duplicate check (left uninitialised: only [0, count) is read).
  Unfilled<Bytes[kMaxExtensions]> seen_storage;
  Bytes(&seen)[kMaxExtensions] = seen_storage.get();
  std::size_t count = 0;
  while (!list.empty()) {
    if (count == kMaxExtensions) return {Code::too_large, "extensions: more than the supported number"};
    // id and value are always written by the read; only the optional critical must start empty.
    Unfilled<Extension> extension_storage;
    Extension& extension = extension_storage.get();
    extension.critical = Bytes();
    Unfilled<Reader> fields_storage;  // written by the read below before any use
    Reader& fields = fields_storage.get();
    FT_TRY(as_extension_error(der::read(list, der::kSequence, fields),
                              keep_message("extensions: an Extension is not a DER SEQUENCE")));
    FT_TRY(as_extension_error(der::read_fields(fields, kExtension, &extension),
                              keep_message("extensions: an Extension is not a DER SEQUENCE { OID, BOOLEAN, OCTET STRING }")));
    const Bytes& id = extension.id;
    for (std::size_t i = 0; i < count; ++i) {
      if (bytes_equal(id, seen[i])) {
        return {Code::duplicate_key, "extensions: an extension appears twice"};
      }
    }
    seen[count] = id;
    ++count;

    // Every extension the profile processes is 2.5.29.<number> (id-ce, RFC 5280 4.2.1).
    const bool is_id_ce = id.size() == 3 && id[0] == 0x55 && id[1] == 0x1d;
    FT_TRY(as_extension_error(parse_known(is_id_ce ? id[2] : 0, extension, cert),
                              keep_message("extensions: a processed extension is not its DER structure")));
  }
  cert.extension_count = static_cast<std::uint8_t>(count);
  return {};
}

}  // namespace ft::x509
