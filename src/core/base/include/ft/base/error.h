// ft/base/error.h — the one closed set of error codes of the verifier core, and Result<T>.
//
// The code is for programs (stable, documented in docs/reason-codes.md); the message is a static
// string for people. The most specific code wins. Host layers add the context (which file, which
// certificate, which field).
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace ft {

// Error codes. Values are stable: append only, never renumber.
// FT_ERROR_CODES(X) lists X(name, value, description); docs/reason-codes.md is generated from it.
#define FT_ERROR_CODES(X) \
  X(ok, 0, "") \
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
  X(cert_malformed, 200, "") \
  X(cert_bad_version, 201, "") \
  X(cert_sig_alg_mismatch, 202, "outer and TBS signature algorithms differ") \
  X(cert_unknown_critical_extension, 203, "") \
  X(cert_expired, 204, "") \
  X(cert_not_yet_valid, 205, "") \
  X(cert_issuer_mismatch, 206, "issuer name does not equal the issuer's subject") \
  X(cert_bad_signature, 207, "") \
  X(cert_not_ca, 208, "issuer lacks basicConstraints CA=TRUE (critical)") \
  X(cert_path_len_exceeded, 209, "") \
  X(cert_issuer_key_usage, 210, "issuer lacks keyCertSign") \
  X(cert_leaf_is_ca, 211, "") \
  X(cert_leaf_self_signed, 212, "") \
  X(cert_leaf_key_usage, 213, "leaf lacks digitalSignature") \
  X(cert_leaf_eku, 214, "leaf lacks id-kp-codeSigning (or only anyEKU)") \
  X(cert_key_not_allowed, 215, "key type/size not allowed by policy") \
  X(cert_untrusted_root, 216, "chain does not reach a provisioned anchor") \
  X(cert_chain_too_long, 217, "") \
  X(cert_empty_chain, 218, "") \
  X(cert_bad_time, 219, "validity time malformed") \
  X(cert_bad_name, 220, "") \
  X(cert_bad_extension, 221, "a known extension is malformed") \
  X(cert_missing_key_usage, 222, "") \
  /* COSE (300..) */ \
  X(cose_malformed, 300, "") \
  X(cose_bad_protected_header, 301, "") \
  X(cose_alg_missing, 302, "") \
  X(cose_alg_not_allowed, 303, "") \
  X(cose_unknown_critical_header, 304, "") \
  X(cose_no_x5chain, 305, "") \
  X(cose_payload_not_detached, 306, "") \
  X(cose_bad_signature, 307, "") \
  /* SUIT envelope and manifest (400..) */ \
  X(suit_malformed, 400, "") \
  X(suit_not_envelope, 401, "not CBOR tag 107 / not a SUIT envelope map") \
  X(suit_no_auth_wrapper, 402, "") \
  X(suit_manifest_digest_mismatch, 403, "wrapper digest does not match the manifest bytes") \
  X(suit_unsupported_version, 404, "") \
  X(suit_no_signature, 405, "") \
  X(suit_vendor_mismatch, 406, "") \
  X(suit_class_mismatch, 407, "") \
  X(suit_image_digest_mismatch, 408, "") \
  X(suit_image_size_mismatch, 409, "") \
  X(suit_image_too_large, 410, "") \
  X(suit_missing_parameter, 411, "") \
  X(suit_unsupported_command, 412, "") \
  X(suit_payload_missing, 413, "") \
  X(suit_severed_member_mismatch, 414, "") \
  /* trust decision (500..) */ \
  X(trust_rollback, 500, "sequence number below the stored minimum") \
  X(trust_no_anchor, 501, "no provisioned anchor for the signer") \
  X(trust_missing_role, 502, "a required role (e.g. asset-owner approval) did not sign") \
  X(trust_policy, 503, "rejected by a policy rule")

enum class Code : std::uint16_t {
#define FT_ERROR_ENUM_(name, value, description) name = value,
  FT_ERROR_CODES(FT_ERROR_ENUM_)
#undef FT_ERROR_ENUM_
};

// code_name returns the stable snake_case name of a code ("cert_expired"), "unknown" otherwise.
const char* code_name(Code code);

// code_description returns the one-line description of a code ("" for unknown codes).
const char* code_description(Code code);

// Error — a code plus a static message. Trivially copyable; never owns memory.
struct Error {
  Code code = Code::ok;
  const char* message = "";
};

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
  Status(Code code, const char* message) : error_{code, message} {}

  [[nodiscard]] bool ok() const { return error_.code == Code::ok; }
  explicit operator bool() const { return ok(); }
  [[nodiscard]] const Error& error() const { return error_; }
  [[nodiscard]] Code code() const { return error_.code; }
  // ignore() drops the status on purpose; every call site can be found by search.
  void ignore() const {}

 private:
  Error error_{};
};

inline Error make_error(Code code, const char* message) { return Error{code, message}; }

}  // namespace ft

// FT_TRY(expr) — evaluate a Status/Result expression; on failure return its Error from this function.
#define FT_TRY(expr)                                  \
  do {                                                \
    auto ft_try_result_ = (expr);                     \
    if (!ft_try_result_.ok()) return ft_try_result_.error(); \
  } while (0)
