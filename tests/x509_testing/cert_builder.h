// cert_builder.h — builds X.509 test certificates and chains with OpenSSL 3 (X509 APIs,
// X509_sign) from the fixed test keys in testdata/x509/keys/, and re-signs certificates whose
// TBS bytes were edited (encoding-level faults). Test code only: throws std::runtime_error.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "der_edit.h"

namespace ft::x509::testing {

enum class KeyKind { p256, p384, ed25519, rsa3072, rsa2048, p521, secp256k1 };

// key_kind_name returns "p256", "rsa3072", ... (also the key file prefix).
const char* key_kind_name(KeyKind kind);

// test_key returns the fixed test key <kind>-<slot>.pem (slot 0..5 for p256/p384/ed25519/rsa3072,
// 0..1 for the others). The key is owned by a process-wide cache (freed at exit); do not free it.
EVP_PKEY* test_key(KeyKind kind, int slot);

enum class SigHash { automatic, sha1, sha256, sha384, sha512 };

// RawExtension — an extension given as DER (for unknown or deliberately odd extensions).
struct RawExtension {
  std::string oid;  // dotted
  bool critical = false;
  Der value;  // extnValue contents
};

// CertSpec — what to put in one certificate.
struct CertSpec {
  std::string subject_cn;
  std::string issuer_cn;  // the issuer name is built the same way as subjects
  std::string organization = "FieldTrust Test";
  std::string issuer_organization = "FieldTrust Test";
  EVP_PKEY* key = nullptr;         // subject public key
  EVP_PKEY* issuer_key = nullptr;  // signing key
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  std::uint64_t serial = 1;
  int version = 3;  // 1 or 3

  enum class Ca { absent, ca, not_ca };
  Ca basic_constraints = Ca::absent;
  bool basic_constraints_critical = true;
  int path_len = -1;  // -1: no pathLenConstraint

  int key_usage = -1;  // -1: absent; else a mask of ft::x509::KeyUsageBit values
  bool key_usage_critical = true;

  bool eku_present = false;
  std::vector<std::string> eku;  // dotted OIDs

  bool subject_key_id = true;
  bool authority_key_id = true;
  std::vector<RawExtension> extra;

  SigHash hash = SigHash::automatic;
  bool rsa_pss = false;  // RSASSA-PSS SHA-256 / MGF1-SHA-256 / salt 32
};

inline constexpr const char* kOidCodeSigning = "1.3.6.1.5.5.7.3.3";
inline constexpr const char* kOidServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr const char* kOidAnyEku = "2.5.29.37.0";

// build_certificate returns the DER certificate described by spec, signed with spec.issuer_key.
Der build_certificate(const CertSpec& spec);

// sign_data signs data as spec's issuer would sign a TBSCertificate (same key, hash, padding).
Der sign_data(const CertSpec& spec, const Der& data);

// resign replaces the TBSCertificate of cert with edit(tbs) and signs the result again with
// spec's issuer key, so that only the edited encoding is wrong. edit receives the TBS tree and
// may set length forms, change values, reorder elements; signature_algorithm likewise edits the
// outer AlgorithmIdentifier (nullptr: unchanged).
Der resign(const Der& cert, const CertSpec& spec, const std::function<void(DerNode& tbs)>& edit,
           const std::function<void(DerNode& algorithm)>& signature_algorithm = nullptr);

// find_extension returns the Extension node with the dotted OID inside a TBS tree, or nullptr.
DerNode* find_extension(DerNode& tbs, const std::string& oid);

// ChainSpecs — specs for a chain, leaf first: specs[0] leaf, specs[1..n] intermediates (each
// issuing the one before), specs.back() the self-signed root. Defaults follow the profile: CA
// certificates with critical basicConstraints CA=TRUE and keyUsage keyCertSign|cRLSign, the leaf
// with keyUsage digitalSignature and extKeyUsage codeSigning, SKI/AKI everywhere, validity
// [now - 1 year, now + 5 years] (root: +10 years).
std::vector<CertSpec> chain_specs(const std::vector<KeyKind>& kinds_leaf_first, std::int64_t now,
                                  int key_slot_base = 0);

// Chain — built DER, leaf first; the last element is the root.
using Chain = std::vector<Der>;

// build_chain builds every spec (they are independent: each names its issuer and carries its key).
Chain build_chain(const std::vector<CertSpec>& specs);

// to_pem returns the PEM text of a DER certificate.
std::string to_pem(const Der& der);

// spki_of returns the DER SubjectPublicKeyInfo of key.
Der spki_of(EVP_PKEY* key);

// write_or_exit writes bytes to dir/name, for the corpus writers: on failure it says which file
// and exits 1.
void write_or_exit(const std::string& dir, const std::string& name, const Der& bytes);

// kTestNow — the fixed verification time of the tests: 2026-06-01T00:00:00Z.
inline constexpr std::int64_t kTestNow = 1780272000;

}  // namespace ft::x509::testing
