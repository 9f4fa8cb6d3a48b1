// ft/pki/dev_pki.h — the development PKI on disk: `fieldtrust pki init | selfsigned | issue`.
//
// init writes, into one directory (docs/pki.md):
//   root.pem, intermediate.pem                 CA certificates
//   signer.pem, signer-chain.pem               code-signing leaf; chain = leaf + intermediate
//   device.pem, device-chain.pem               device-identity leaf (+ intermediate)
//   evidence.pem, evidence-chain.pem           evidence-signing leaf (+ intermediate)
//   <name>.key.pem                             private keys, PKCS#8, mode 0600 (software keys), or
//   <name>.key.uri                             the PKCS#11 URI of the key (token keys; no PIN)
//   pki.json                                   manifest: every file, role, algorithm, key URIs
// Every file is written with write_file_atomic. Existing files are never overwritten without
// force. Keys in a token are never deleted: with force, new keys need new labels.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ft/keys/signer.h"
#include "ft/pki/certificate.h"

namespace ft::pki {

// WrittenFile — one file a PKI operation wrote.
struct WrittenFile {
  std::string path;  // as written (directory + name)
  std::string role;  // role_name() of the certificate it belongs to, or "manifest"
  std::string kind;  // "certificate", "chain", "private-key", "key-uri", "manifest"
};

// IssuedCertificate — a certificate the operation issued, as recorded in pki.json.
struct IssuedCertificate {
  std::string role;
  std::string certificate_file;
  std::string key;        // key file path, or the PKCS#11 URI (without PIN)
  std::string algorithm;  // key_algorithm_name of its key: p256 | p384 | ed25519 | rsa
  std::string subject;
  std::string issuer;
  std::string serial_hex;
  std::string not_before;
  std::string not_after;
};

// PkiResult — what an operation did; the CLI prints it as text or JSON.
struct PkiResult {
  std::vector<WrittenFile> files;
  std::vector<IssuedCertificate> certificates;
};

// KeyPlacement — where new keys are created.
struct KeyPlacement {
  keys::SignatureAlgorithm algorithm = keys::SignatureAlgorithm::es256;
  // pkcs11_uri: when set, keys are generated in this token. Its object= (if any) is the label
  // prefix: labels are "<prefix>-<name>" (default prefix "fieldtrust"), e.g. "fieldtrust-signer".
  std::optional<std::string> pkcs11_uri;
};

// InitOptions — `pki init`.
struct InitOptions {
  std::string directory;
  KeyPlacement keys;
  std::string organization = "FieldTrust Development";
  int root_days = 7300;          // 20 years
  int intermediate_days = 3650;  // 10 years
  int leaf_days = 1095;          // 3 years
  std::optional<std::time_t> leaf_not_before;  // override leaf validity (expired-signer tests)
  std::optional<std::time_t> leaf_not_after;
  bool force = false;
};

// init_pki creates the development PKI in options.directory (created if missing). Throws
// host::UserError: kExitUsage when files exist and !force, or for bad options; otherwise as
// issue_certificate and the key sources.
PkiResult init_pki(const InitOptions& options);

// SelfSignedOptions — `pki selfsigned`: a code-signing leaf that signs itself (for the attack
// catalogue: a verifier must reject it). Writes signer.pem, signer.key.pem|.key.uri, pki.json.
struct SelfSignedOptions {
  std::string directory;
  KeyPlacement keys;
  std::string subject = "/O=FieldTrust Development/CN=Self-Signed Firmware Signer";
  Validity validity = validity_for_days(1095);
  bool force = false;
};

PkiResult make_self_signed(const SelfSignedOptions& options);

// IssueOptions — `pki issue`: one leaf from an existing CA. Writes <name>.pem,
// <name>-chain.pem (leaf, then the CA certificate unless it is self-signed), the key file or URI
// file, and <name>.json (a manifest of this issuance).
struct IssueOptions {
  CertificateRole role = CertificateRole::code_signing;
  std::string ca_certificate;  // PEM/DER file; its first certificate is the issuer
  std::string ca_key;          // key spec for keys::open_signer
  std::string subject;
  std::optional<std::string> existing_key;  // certify this key (spec) instead of creating one
  std::optional<keys::SignatureAlgorithm> algorithm;  // for a new key; default = the CA key's
  std::optional<std::string> pkcs11_uri;  // create the new key in a token; object= is the label
  Validity validity = validity_for_days(1095);
  std::string directory;
  std::string name;  // file stem; default by role: signer | device | evidence
  bool force = false;
};

PkiResult issue_leaf(const IssueOptions& options);

// default_leaf_name returns the file stem for a leaf role: "signer", "device", "evidence".
const char* default_leaf_name(CertificateRole role);

}  // namespace ft::pki
