// rules.h — the per-certificate and per-link rules of the code-signing profile (internal header).
// path.cc decides which certificates form a path; these functions judge it.
#pragma once

#include <cstddef>

#include "ft/ports/crypto.h"
#include "ft/x509/certificate.h"
#include "ft/x509/path.h"

// FT_ONE_COPY keeps GCC from cloning a function for each pattern of constant arguments (each
// clone is a second copy in flash); compilers without the attribute do not clone that way.
#if __has_cpp_attribute(gnu::noclone)
#define FT_ONE_COPY [[gnu::noclone]]
#else
#define FT_ONE_COPY
#endif

namespace ft::x509 {

// Findings — the errors collected for one path, leaf first (by position), in the order they were
// found at each position. The first kMaxErrors found are kept, in storage the caller owns (the
// errors of the PathReport being judged: nothing is copied afterwards).
struct Findings {
  explicit Findings(CertError (&storage)[kMaxErrors]) : items(storage) {}
  CertError* items;  // kMaxErrors slots; [0, count) hold the findings
  std::size_t count = 0;
  bool truncated = false;
  // A verify call failed in the backend (set by verify_link, not by add): no verdict possible.
  bool crypto_failed = false;

  // add records a finding; without FT_CORE_MESSAGES the literal at the call site is never emitted
  // and no message argument is passed (2 bytes of Thumb-2 at each of the many call sites).
  [[gnu::always_inline]] void add(Code code, std::size_t position, [[maybe_unused]] const char* message) {
    [[maybe_unused]] CertError* const item = add_finding(code, position);
#if FT_CORE_MESSAGES
    if (item != nullptr) item->message = message;
#endif
  }
  // add_finding inserts a finding and returns it (nullptr when the list was full). FT_ONE_COPY:
  // one out-of-line copy, not a GCC clone specialised per constant argument.
  FT_ONE_COPY CertError* add_finding(Code code, std::size_t position);
  [[nodiscard]] bool empty() const { return count == 0 && !truncated; }
};

// issuer_name_matches returns true when child's issuer name is issuer's subject name, byte for
// byte (name chaining, RFC 5280 6.1.3 (a)(4) with exact comparison).
[[nodiscard]] bool issuer_name_matches(const Certificate& child, const Certificate& issuer);

// is_self_issued returns true when issuer and subject are the same bytes (inline: a call of
// issuer_name_matches, not a second function in flash).
[[nodiscard]] inline bool is_self_issued(const Certificate& cert) { return issuer_name_matches(cert, cert); }

// check_key adds cert_key_not_allowed when key (or the reason it could not be parsed, key_error)
// is not allowed by policy.
void check_key(const PublicKey& key, Error key_error, const KeyPolicy& policy, std::size_t position,
               Findings& findings);

// check_certificate applies the rules of one certificate at position in a path, in this order:
// the leaf rules at position 0 (not a CA, keyUsage with digitalSignature, extKeyUsage with
// id-kp-codeSigning for Purpose::code_signing) or the issuer rules above it (a critical CA
// basicConstraints, keyUsage with keyCertSign, pathLenConstraint against intermediates_below, the
// non-self-issued intermediates between it and the leaf); then the rules every certificate obeys
// (no unknown critical extension, validity per the time mode, key allowed by policy). One entry
// point, so the three rule sets are one function in the image, not three calls (flash).
void check_certificate(const Certificate& cert, std::size_t position, std::size_t intermediates_below,
                       const PathPolicy& policy, Findings& findings);

// verify_link checks child's signature with issuer_key through crypto and adds cert_bad_signature,
// cert_unsupported_signature_algorithm or crypto_failure at child_position (cert_key_not_allowed
// at child_position + 1, the issuer, when the backend refuses the key). An issuer key that could
// not be parsed has type none (parse_certificate resets the key when it sets key_error), so the
// type alone says whether it is usable. Counts verify calls in verified. Returns true when the
// signature verified.
bool verify_link(CryptoPort& crypto, const Certificate& child, std::size_t child_position, const PublicKey& issuer_key,
                 Findings& findings, std::size_t& verified);

}  // namespace ft::x509
