// x509_fuzz.cc — fuzz target for the X.509 certificate parser and the SPKI parser
// (ft/x509/certificate.h), and the DER element walker under them (ft/der/der.h).
//
// Besides "no crash, no sanitizer report", it checks the parsers' contracts on every input:
//   - every span a parsed Certificate holds lies inside the input (zero-copy views, no over-read);
//   - a certificate that parses is one well-formed DER element (der::check_element agrees), its
//     tbs is a prefix-aligned sub-element, and outer and TBS signature algorithms are identical;
//   - the key recorded in the certificate is what parse_spki says about its SubjectPublicKeyInfo;
//   - the keyUsage of a parsed certificate has a bit set when present; pathLen only with CA.
// Any violation aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/der/der.h"
#include "ft/x509/certificate.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::Code;

using ft::fuzz::fail;
using ft::fuzz::require;
using ft::fuzz::inside;

void check_certificate(Bytes input, const ft::x509::Certificate& cert) {
  const Bytes views[] = {cert.der,
                         cert.tbs,
                         cert.serial,
                         cert.signature_algorithm,
                         cert.signature,
                         cert.issuer,
                         cert.subject,
                         cert.spki,
                         cert.key.spki,
                         cert.key.key,
                         cert.subject_key_id,
                         cert.authority_key_id,
                         cert.unknown_critical_oid};
  for (const Bytes view : views) require(inside(view, input), "a certificate view points outside the input");
  require(cert.der.size() == input.size(), "certificate does not cover the whole input");
  require(ft::der::check_element(input).ok(), "parsed certificate is not one well-formed DER element");
  require(!cert.tbs.empty() && cert.tbs.data() > input.data(), "tbs is not inside the certificate");
  require(cert.version >= 1 && cert.version <= 3, "version outside 1..3");
  require(cert.extension_count == 0 || cert.version == 3, "extensions in a certificate that is not v3");
  require(!cert.key_usage.present || cert.key_usage.bits != 0, "keyUsage present without bits");

  ft::Result<ft::PublicKey> key = ft::x509::parse_spki(cert.spki);
  if (cert.key_error.code == Code::ok) {
    require(key.ok(), "certificate key parsed but parse_spki fails on its SPKI");
    require(key->type == cert.key.type && key->bits == cert.key.bits, "key type or size differs from parse_spki");
    require(cert.key.type != ft::KeyType::none, "usable key without a type");
  } else {
    require(!key.ok() && key.code() == cert.key_error.code, "key_error differs from parse_spki");
  }

  ft::Result<ft::SigScheme> scheme = ft::x509::signature_scheme_for(cert.signature_algorithm);
  require(scheme.ok() == cert.signature_scheme_known, "signature_scheme_known differs from signature_scheme_for");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);

  ft::Result<ft::x509::Certificate> cert = ft::x509::parse_certificate(input);
  if (cert.ok()) check_certificate(input, cert.value());

  ft::Result<ft::PublicKey> key = ft::x509::parse_spki(input);
  if (key.ok()) {
    require(key->spki.data() == input.data() && key->spki.size() == input.size(), "SPKI view is not the input");
    require(inside(key->key, input), "key view points outside the input");
    require(ft::der::check_element(input).ok(), "parsed SPKI is not one well-formed DER element");
    require(key->type != ft::KeyType::none && key->bits != 0, "parsed key without type or size");
  }

  // Reader contract of the DER primitives: a failed read leaves the cursor where it was.
  ft::Reader reader(input);
  while (!reader.empty()) {
    const std::size_t before = reader.remaining();
    ft::der::Element element;
    if (!ft::der::read_any(reader, element).ok()) {
      require(reader.remaining() == before, "read_any moved the reader on failure");
      break;
    }
    require(reader.remaining() < before, "read_any succeeded without consuming");
    require(inside(element.encoded, input) && inside(element.contents, element.encoded), "element view outside");
  }
  return 0;
}
