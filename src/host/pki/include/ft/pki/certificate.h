// ft/pki/certificate.h — issuing X.509 v3 certificates for the FieldTrust profiles with any
// keys::Signer as issuer key, including keys that never leave a PKCS#11 token.
//
// Profiles (docs/pki.md has the full table):
//   root-ca           basicConstraints critical CA:TRUE; keyUsage critical keyCertSign, cRLSign; SKI
//   intermediate-ca   basicConstraints critical CA:TRUE, pathLen 0; keyUsage critical keyCertSign,
//                     cRLSign; SKI; AKI
//   code-signing      basicConstraints critical CA:FALSE; keyUsage critical digitalSignature;
//                     extendedKeyUsage codeSigning; SKI; AKI
//   device-identity   as code-signing, but extendedKeyUsage clientAuth (a device authenticating
//                     to a server, and signing its own logs)
//   evidence-signing  as code-signing, but extendedKeyUsage documentSigning (1.3.6.1.5.5.7.3.36,
//                     RFC 9336), so an evidence key can never pass as a firmware signer
// AKI is left out of self-signed certificates (RFC 5280 §4.2.1.1 allows it).
// Serial numbers: 16 random bytes, positive, always 16 bytes long in DER.
// Signature algorithm: fixed by the issuer key (ecdsa-with-SHA256 for P-256, ecdsa-with-SHA384 for
// P-384, Ed25519, RSASSA-PSS-SHA256 for RSA).
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ft/keys/openssl_handles.h"
#include "ft/keys/signer.h"

namespace ft::pki {

enum class CertificateRole { root_ca, intermediate_ca, code_signing, device_identity, evidence_signing };

// role_name returns "root-ca", "intermediate-ca", "code-signing", "device-identity",
// "evidence-signing" (the names used in pki.json).
const char* role_name(CertificateRole role);

// parse_leaf_role maps the command-line leaf role names "code-signing", "device", "evidence"
// to roles; nullopt otherwise.
std::optional<CertificateRole> parse_leaf_role(std::string_view name);

// Validity — notBefore / notAfter as seconds since the epoch (UTC).
struct Validity {
  std::time_t not_before = 0;
  std::time_t not_after = 0;
};

// validity_for_days returns [now - 5 minutes, now + days] (the small backdating tolerates clock
// skew between the machine that issues and the one that verifies).
Validity validity_for_days(int days, std::time_t now = std::time(nullptr));

// parse_time reads "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ". Throws
// host::UserError (kExitUsage) naming what (e.g. "--not-before") and the expected forms.
std::time_t parse_time(const std::string& text, const std::string& what);

// format_time returns "YYYY-MM-DDTHH:MM:SSZ".
std::string format_time(std::time_t t);

// CertificateRequest — what to certify, by whom. Nothing is owned; everything must outlive the
// issue_certificate call.
struct CertificateRequest {
  CertificateRole role = CertificateRole::code_signing;
  std::string subject;                  // "/C=DE/O=Acme/CN=Firmware Signer" (see parse_subject)
  keys::Signer* subject_key = nullptr;  // its public key is certified
  keys::Signer* issuer_key = nullptr;   // signs; nullptr means self-signed by subject_key
  X509* issuer_certificate = nullptr;   // issuer's certificate; nullptr means self-signed
  Validity validity;
};

// issue_certificate builds the certificate for request, signs its TBSCertificate through
// issuer_key->sign_x509 (so token keys work) and checks the result with X509_verify before
// returning it (owned by the caller). Throws host::UserError: kExitUsage for a bad subject or
// validity, kExitInput when the issuer key does not match issuer_certificate, kExitEnvironment
// when OpenSSL or the signer fails.
keys::UniqueX509 issue_certificate(const CertificateRequest& request);

// parse_subject returns the X509_NAME for "/TYPE=value/TYPE=value..." (as openssl req -subj;
// most significant first; "\/" escapes a slash). TYPE is any short or long name OpenSSL knows
// (C, ST, L, O, OU, CN, serialNumber...). Throws host::UserError (kExitUsage) naming the problem.
X509_NAME* parse_subject(const std::string& subject);

// subject_text returns a certificate's subject as one line in RFC 2253 form.
std::string subject_text(const X509* certificate);

// certificate_pem returns the certificate as PEM text.
std::string certificate_pem(const X509* certificate);

// load_certificates reads every certificate of a PEM file (first = leaf) or a single DER one.
// Throws host::UserError naming path when it holds none or does not parse.
std::vector<keys::UniqueX509> load_certificates(const std::string& path);

}  // namespace ft::pki
