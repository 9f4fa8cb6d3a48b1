// ft/x509/path.h — certification path building and validation under the FieldTrust code-signing
// profile (docs/cert-verify.md, DESIGN.md "Code-signing certificate profile").
//
// A path is leaf <- up to max_intermediates intermediates <- a trust anchor. Checks:
//   - names chain by exact DER comparison (issuer of the child == subject of the parent); the
//     signature of every link is verified through the CryptoPort;
//   - issuers (intermediates and an anchor certificate): basicConstraints present, critical,
//     CA=TRUE; pathLenConstraint honoured (self-issued intermediates do not count, RFC 5280
//     6.1.4); keyUsage present with keyCertSign;
//   - leaf: not a CA; not self-signed; keyUsage present with digitalSignature; for
//     Purpose::code_signing an extKeyUsage containing id-kp-codeSigning (anyExtendedKeyUsage
//     alone is not enough);
//   - every certificate: no unknown critical extension; its key type and size allowed by the
//     policy; its validity period per the time mode.
// "Self-signed" means: issuer == subject (byte for byte) AND the certificate's signature verifies
// with its own key. A self-issued certificate whose signature does not verify with its own key is
// treated as issued by another CA of the same name and goes through path building.
//
// Anchors: a root certificate (its name, key and constraints are used; its own signature is not
// checked, it is trusted by provisioning), the SHA-256 of a SubjectPublicKeyInfo (the certificate
// carrying that key must be among the untrusted certificates; it is then treated like a root
// certificate anchor, wherever it sits in the chain), or a raw public key (no name: the top
// certificate of the path must verify under it).
//
// Path building: with ChainOrder::leaf_first, untrusted[0] must issue the leaf, untrusted[1]
// untrusted[0], and so on, until an anchor issues the current certificate (x5chain order;
// trailing unused certificates, e.g. a copy of the root, are ignored). With ChainOrder::any, a
// depth-first search over untrusted tries every name-matching issuer, bounded by
// max_intermediates, kMaxSearchNodes and kMaxCandidatePaths; the first complete path that
// validates wins, otherwise the report describes the candidate with the fewest errors (or, when no
// candidate reached an anchor, the longest partial path).
//
// Freestanding: no heap, no exceptions, no recursion; all storage is in the arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/crypto.h"
#include "ft/x509/certificate.h"

namespace ft::x509 {

inline constexpr std::size_t kMaxAnchors = 16;
inline constexpr std::size_t kMaxErrors = 16;
inline constexpr std::size_t kMaxSearchNodes = 64;             // certificates visited during the search
inline constexpr std::size_t kMaxCandidatePaths = 8;           // complete paths validated before giving up
inline constexpr std::size_t kMaxSignatureVerifications = 64;  // raw-key anchor probes stop here

enum class AnchorKind : std::uint8_t {
  certificate,  // a root CA certificate (DER)
  spki_sha256,  // SHA-256 of the anchor's DER SubjectPublicKeyInfo
  raw_key,      // a bare public key
};

// TrustAnchor — one provisioned anchor. Spans point into caller storage.
struct TrustAnchor {
  AnchorKind kind = AnchorKind::certificate;
  Bytes certificate;                  // kind == certificate: DER of the root certificate
  std::uint8_t spki_sha256[32] = {};  // kind == spki_sha256
  PublicKey raw_key;                  // kind == raw_key (e.g. from parse_spki)
};

enum class TimeMode : std::uint8_t {
  clock,  // PathPolicy::time is now: notBefore <= now <= notAfter for every certificate
  floor,  // PathPolicy::time is a trusted floor (never earlier than the last accepted update):
          // certificates whose notAfter is before it are expired; notBefore is not judged
  none,   // validity periods are not checked; PathReport::validity_checked records it
};

enum class Purpose : std::uint8_t {
  code_signing,  // leaf extKeyUsage must contain id-kp-codeSigning
  any,           // no extKeyUsage requirement
};

enum class ChainOrder : std::uint8_t {
  any,         // untrusted certificates in any order: bounded search
  leaf_first,  // untrusted[0] issued the leaf, untrusted[1] issued untrusted[0], ...
};

// KeyPolicy — key types allowed anywhere in the path (leaf, issuers and the anchor key).
struct KeyPolicy {
  bool ec_p256 = true;
  bool ec_p384 = true;
  bool ed25519 = true;
  bool rsa = false;  // RSA only where a legacy host PKI needs it
  std::uint32_t rsa_min_bits = 3072;
};

struct PathPolicy {
  std::size_t max_intermediates = 3;  // clamped to kMaxIntermediates
  KeyPolicy keys;
  TimeMode time_mode = TimeMode::clock;
  std::int64_t time = 0;  // seconds since the Unix epoch: now (clock) or the floor
  Purpose purpose = Purpose::code_signing;
  // Default: the search where the build has it (FT_CORE_PATH_SEARCH), else the ordered walk.
  ChainOrder order = config::kPathSearch ? ChainOrder::any : ChainOrder::leaf_first;
};

// CertError — one finding, at a position in the path: 0 = leaf, 1.. = intermediates, then the
// anchor certificate. For a raw-key anchor, position path_length denotes the anchor itself.
struct CertError {
  Code code : 16 = Code::ok;  // 16 bits are enough for every code; findings are kept in arrays
  std::uint8_t position = 0;
#if FT_CORE_MESSAGES
  const char* message = "";
#else
  static constexpr const char* message = "";  // messages compiled out (see ft/base/error.h)
#endif
};

// PathReport — everything validate_path found. Pointers point into the untrusted span, at leaf,
// or at anchor_certificate below; the report must not outlive them or be copied while in use.
struct PathReport {
  Error error;  // ok when the path is valid; otherwise the most specific finding (see validate_path)
  CertError errors[kMaxErrors];
  std::size_t error_count = 0;
  bool errors_truncated = false;  // more findings than kMaxErrors

  const Certificate* path[kMaxChain] = {};  // leaf first; ends with the anchor certificate, if any
  std::size_t path_length = 0;
  bool path_complete = false;      // the path reaches an anchor (valid or not)
  int anchor_index = 0;            // into anchors, when path_complete (-1 after a path without one)
  Certificate anchor_certificate;  // storage for a parsed AnchorKind::certificate anchor

  TimeMode time_mode = TimeMode::clock;  // recorded from the policy
  std::int64_t time = 0;
  bool validity_checked = false;        // false in TimeMode::none
  std::size_t signatures_verified = 0;  // CryptoPort::verify calls made

  [[nodiscard]] bool valid() const { return error.code == Code::ok; }
};

// validate_path builds and validates a path from leaf through untrusted to one of anchors.
//
// Returns ok when a path satisfies every rule; otherwise the most specific error (also
// report.error): when no anchor was reached, the reason the path stops (cert_untrusted_root,
// cert_issuer_mismatch, cert_chain_too_long, cert_search_limit, cert_leaf_self_signed); for a
// complete path, its first finding. Findings are in report.errors, leaf first, each with its
// position. A failure of the crypto backend (crypto_failure) is never a verdict and always becomes
// report.error. Codes:
// cert_* from ft/base/error.h; invalid_argument for more than kMaxChain untrusted certificates or
// kMaxAnchors anchors, or an anchor certificate that does not parse; unsupported for
// ChainOrder::any in a build without path search (FT_CORE_PATH_SEARCH=0, ft/base/config.h).
Status validate_path(const Certificate& leaf, std::span<const Certificate> untrusted,
                     std::span<const TrustAnchor> anchors, const PathPolicy& policy, CryptoPort& crypto,
                     PathReport& report);
// validate_path with caller storage for the candidate being judged (scratch), so the stack does
// not hold a second PathReport: for small stacks (the trust module passes its Workspace's).
Status validate_path(const Certificate& leaf, std::span<const Certificate> untrusted,
                     std::span<const TrustAnchor> anchors, const PathPolicy& policy, CryptoPort& crypto,
                     PathReport& report, PathReport& scratch);

}  // namespace ft::x509
