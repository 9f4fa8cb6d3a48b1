// ft/base/error.h — the one closed set of error codes of the verifier core, and Result<T>.
//
// The code is for programs (stable, documented in docs/reason-codes.md); the message is a static
// string for people. The most specific code wins. Host layers add the context (which file, which
// certificate, which field).
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

#include "ft/base/config.h"

namespace ft {

// Error codes. Values are stable: append only, never renumber.
// FT_ERROR_CODES(X) lists X(name, value, description); docs/reason-codes.md is generated from it.
#define FT_ERROR_CODES(X) \
  X(ok, 0, "accepted / no error") \
  /* generic parsing (1..) */ \
  X(truncated, 1, "input ends inside an element") \
  X(trailing_data, 2, "bytes left over after a complete element") \
  X(non_canonical, 3, "valid but not the one canonical (deterministic / DER) encoding") \
  X(depth_exceeded, 4, "nesting deeper than the configured bound") \
  X(wrong_type, 5, "element of another type than expected") \
  X(too_large, 6, "length or value beyond a configured bound") \
  X(unsupported, 7, "well-formed but outside the supported subset") \
  X(malformed, 8, "not well-formed at all") \
  X(duplicate_key, 9, "map key or extension appears twice") \
  X(missing_field, 10, "a required field is absent") \
  X(buffer_too_small, 11, "caller-provided output buffer too small") \
  X(invalid_argument, 12, "caller passed a value the function cannot accept") \
  /* crypto port (100..) */ \
  X(crypto_failure, 100, "the crypto backend failed (not a verdict on the data)") \
  X(bad_signature, 101, "signature does not verify") \
  X(unsupported_algorithm, 102, "algorithm not supported or not allowed by policy") \
  X(bad_key, 103, "public key malformed or of the wrong type/size") \
  X(key_alg_mismatch, 104, "key type does not fit the signature algorithm") \
  /* X.509 certificate and path validation (200..) */ \
  X(cert_malformed, 200, "certificate structure is not what RFC 5280 requires") \
  X(cert_bad_version, 201, "certificate version is not v1..v3 or lacks features it uses") \
  X(cert_sig_alg_mismatch, 202, "outer and TBS signature algorithms differ") \
  X(cert_unknown_critical_extension, 203, "certificate has a critical extension the profile does not process") \
  X(cert_expired, 204, "certificate validity ended before the verification time") \
  X(cert_not_yet_valid, 205, "certificate validity starts after the verification time") \
  X(cert_issuer_mismatch, 206, "issuer name does not equal the issuer's subject") \
  X(cert_bad_signature, 207, "certificate signature does not verify with its issuer's key") \
  X(cert_not_ca, 208, "issuer lacks basicConstraints CA=TRUE (critical)") \
  X(cert_path_len_exceeded, 209, "more intermediates below an issuer than its pathLenConstraint allows") \
  X(cert_issuer_key_usage, 210, "issuer lacks keyCertSign") \
  X(cert_leaf_is_ca, 211, "leaf certificate is a CA (basicConstraints CA=TRUE)") \
  X(cert_leaf_self_signed, 212, "leaf certificate is self-signed") \
  X(cert_leaf_key_usage, 213, "leaf lacks digitalSignature") \
  X(cert_leaf_eku, 214, "leaf lacks id-kp-codeSigning (or only anyEKU)") \
  X(cert_key_not_allowed, 215, "key type/size not allowed by policy") \
  X(cert_untrusted_root, 216, "chain does not reach a provisioned anchor") \
  X(cert_chain_too_long, 217, "path needs more intermediates than the policy allows") \
  X(cert_empty_chain, 218, "no certificate given") \
  X(cert_bad_time, 219, "validity time malformed") \
  X(cert_bad_name, 220, "issuer or subject name malformed") \
  X(cert_bad_extension, 221, "a known extension is malformed") \
  X(cert_missing_key_usage, 222, "certificate lacks the keyUsage extension the profile requires") \
  X(cert_unsupported_signature_algorithm, 223, "certificate signed with an algorithm the core does not verify") \
  X(cert_search_limit, 224, "path building stopped at its bound before finding a path") \
  /* COSE (300..) */ \
  X(cose_malformed, 300, "COSE_Sign1 structure is not [protected, unprotected, payload, signature]") \
  X(cose_bad_protected_header, 301, "a COSE header is misplaced (alg or crit unprotected) or appears in both buckets") \
  X(cose_alg_missing, 302, "the protected header carries no algorithm") \
  X(cose_alg_not_allowed, 303, "the signature algorithm is not supported or not allowed by policy") \
  X(cose_unknown_critical_header, 304, "crit names a header parameter this verifier does not understand") \
  X(cose_no_x5chain, 305, "no certificate chain (x5chain) where one is required, or no raw-key anchor for it") \
  X(cose_payload_not_detached, 306, "a SUIT signature must have a detached (nil) payload") \
  X(cose_bad_signature, 307, "the COSE signature does not verify with the signer key") \
  /* SUIT envelope and manifest (400..) */ \
  X(suit_malformed, 400, "the envelope or manifest does not have the SUIT structure") \
  X(suit_not_envelope, 401, "not CBOR tag 107 / not a SUIT envelope map") \
  X(suit_no_auth_wrapper, 402, "the envelope has no authentication wrapper") \
  X(suit_manifest_digest_mismatch, 403, "wrapper digest does not match the manifest bytes") \
  X(suit_unsupported_version, 404, "manifest version other than 1") \
  X(suit_no_signature, 405, "the authentication wrapper holds no signature") \
  X(suit_vendor_mismatch, 406, "the manifest is for another vendor (vendor-id)") \
  X(suit_class_mismatch, 407, "the manifest is for another device class (class-id) or device") \
  X(suit_image_digest_mismatch, 408, "the payload does not hash to the manifest image-digest (tampered or wrong image)") \
  X(suit_image_size_mismatch, 409, "the payload size differs from the manifest image-size") \
  X(suit_image_too_large, 410, "the image (declared or actual) is larger than the slot / --max-image-size") \
  X(suit_missing_parameter, 411, "a condition needs a parameter the manifest never set") \
  X(suit_unsupported_command, 412, "a command or parameter outside the supported SUIT subset") \
  X(suit_payload_missing, 413, "no payload to check the image against (pass the detached image)") \
  X(suit_severed_member_mismatch, 414, "a severed member does not match its digest, or is not authenticated") \
  /* trust decision (500..) */ \
  X(trust_rollback, 500, "sequence number below the stored minimum") \
  X(trust_no_anchor, 501, "no provisioned anchor for the signer") \
  X(trust_missing_role, 502, "a required role (e.g. asset-owner approval) did not sign") \
  X(trust_policy, 503, "rejected by a policy rule")

enum class Code : std::uint32_t {
#define FT_ERROR_ENUM_(name, value, description) name = value,
  FT_ERROR_CODES(FT_ERROR_ENUM_)
#undef FT_ERROR_ENUM_
};

// code_name returns the stable snake_case name of a code ("cert_expired"), "unknown" otherwise.
const char* code_name(Code code);

// code_description returns the one-line description of a code ("" for unknown codes).
const char* code_description(Code code);

// Every message passes through keep_message (or make_error), so with FT_CORE_MESSAGES=0
// (ft/base/config.h) an unused literal is never emitted.
constexpr const char* keep_message(const char* message) { return FT_CORE_MESSAGES ? message : ""; }

// Error — a code plus a static message. Trivially copyable; never owns memory. Without messages
// it is the code alone (two bytes), so a Status comes back in a register on a Cortex-M instead of
// through memory; `message` then reads as "" everywhere.
struct Error {
  Code code = Code::ok;
#if FT_CORE_MESSAGES
  const char* message = "";
#else
  static constexpr const char* message = "";
#endif
};

// make_error builds an Error; the message literal is dropped when messages are compiled out.
constexpr Error make_error(Code code, [[maybe_unused]] const char* message) {
#if FT_CORE_MESSAGES
  return Error{code, message};
#else
  return Error{code};
#endif
}

// Result<T> — a value or an Error, shaped like std::expected. T must be default-constructible.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : error_(error) {}         // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return error_.code == Code::ok; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] Code code() const { return error_.code; }
  T& value() { return value_; }
  const T& value() const { return value_; }
  T& operator*() { return value_; }
  const T& operator*() const { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }

 private:
  T value_{};
  Error error_{};
};

// Status — success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(error) {}  // NOLINT(google-explicit-constructor)
  Status(Code code, const char* message) : error_(make_error(code, message)) {}

  [[nodiscard]] bool ok() const { return error_.code == Code::ok; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] Code code() const { return error_.code; }
  // ignore() drops the status on purpose; every call site can be found by search.
  void ignore() const {}

 private:
  Error error_{};
};


}  // namespace ft

// FT_TRY(expr) — evaluate a Status/Result expression; on failure return its Error from this function.
#define FT_TRY(expr)                                  \
  do {                                                \
    auto ft_try_result_ = (expr);                     \
    if (!ft_try_result_.ok()) return ft_try_result_.error(); \
  } while (0)
