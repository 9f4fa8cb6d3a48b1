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
// found at each position. The first kMaxErrors found are kept.
struct Findings {
  CertError items[kMaxErrors];
  std::size_t count = 0;
  bool truncated = false;
  bool crypto_failed = false;  // some verify/hash call failed in the backend: no verdict possible

  // add records a finding; without FT_CORE_MESSAGES the literal at the call site is never emitted.
  [[gnu::always_inline]] void add(Code code, std::size_t position, [[maybe_unused]] const char* message) {
#if FT_CORE_MESSAGES
    add_finding(code, position, message);
#else
    add_finding(code, position, nullptr);  // the same constant everywhere: no argument to pass
#endif
  }
  // FT_ONE_COPY: one out-of-line copy, not a GCC clone specialised per constant argument.
  FT_ONE_COPY void add_finding(Code code, std::size_t position, const char* message);
  [[nodiscard]] bool empty() const { return count == 0 && !truncated; }
};

// is_self_issued returns true when issuer and subject are the same bytes.
[[nodiscard]] bool is_self_issued(const Certificate& cert);

// issuer_name_matches returns true when child's issuer name is issuer's subject name, byte for
// byte (name chaining, RFC 5280 6.1.3 (a)(4) with exact comparison).
[[nodiscard]] bool issuer_name_matches(const Certificate& child, const Certificate& issuer);

// check_key adds cert_key_not_allowed when key (or the reason it could not be parsed, key_error)
// is not allowed by policy.
void check_key(const PublicKey& key, Error key_error, const KeyPolicy& policy, std::size_t position,
               Findings& findings);

// check_common applies the rules every certificate in a path obeys: no unknown critical
// extension, validity per the time mode, key allowed by policy.
void check_common(const Certificate& cert, std::size_t position, const PathPolicy& policy, Findings& findings);

// check_leaf applies the leaf rules: not a CA, keyUsage with digitalSignature, extKeyUsage with
// id-kp-codeSigning for Purpose::code_signing.
void check_leaf(const Certificate& leaf, const PathPolicy& policy, Findings& findings);

// check_issuer applies the issuer rules to a certificate at position (>= 1) with
// intermediates_below non-self-issued intermediates between it and the leaf.
void check_issuer(const Certificate& issuer, std::size_t position, std::size_t intermediates_below, Findings& findings);

// verify_link checks child's signature with issuer_key through crypto and adds cert_bad_signature,
// cert_unsupported_signature_algorithm or crypto_failure at child_position (cert_key_not_allowed
// at issuer_position when the backend refuses the key). Counts verify calls in verified.
// Returns true when the signature verified.
bool verify_link(CryptoPort& crypto, const Certificate& child, std::size_t child_position, const PublicKey& issuer_key,
                 Error issuer_key_error, std::size_t issuer_position, Findings& findings, std::size_t& verified);

}  // namespace ft::x509
