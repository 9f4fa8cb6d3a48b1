// ft/ports/psa.h — the crypto port on the PSA Crypto API 1.x (psa/crypto.h): the backend of the
// Cortex-M build (TF-M, Mbed TLS or a vendor's secure element behind the same API).
//
// This header names no PSA type, so code that only holds a PsaCrypto needs no PSA headers. The
// implementation (psa.cc) is compiled against the headers of the PSA implementation the product
// links: psa_hash_operation_t is implementation-defined and must fit HashContext::storage (a
// static_assert there says so when it does not).
#pragma once

#include <cstddef>

#include "ft/ports/crypto.h"

namespace ft {

// PsaCrypto — CryptoPort on the PSA Crypto API.
//
// Supported: SHA-256/384/512 (psa_hash_*); ECDSA on P-256 and P-384 (PSA_ECC_FAMILY_SECP_R1) with
// SHA-256/384/512 in P1363 form (COSE ES256/ES384) and in DER form (X.509; converted to P1363 in
// the port, on the stack, by the core's strict DER reader); Ed25519 (PSA_ALG_PURE_EDDSA) where the
// implementation enables it (PSA_WANT_ALG_PURE_EDDSA and PSA_WANT_ECC_TWISTED_EDWARDS_255, or
// FT_PSA_ED25519=1 from the build) — otherwise, as with Mbed TLS 2.28, the ed25519 scheme returns
// unsupported_algorithm after the key length check. RSA schemes return unsupported_algorithm: RSA
// is for legacy host PKIs only (DESIGN.md).
//
// Keys: from PublicKey::spki when non-empty (parsed by ft::x509::parse_spki; it must agree with
// the declared type), else from PublicKey::key (EC uncompressed point, Ed25519 32 bytes). Each
// verify imports the key as a volatile key (psa_import_key, which checks the point is on the
// curve), verifies with psa_verify_message and destroys the key again, so no key slot outlives a
// call. Verdicts as for the other ports (docs/crypto-conformance.md): bad_key, bad_signature,
// unsupported_algorithm (PSA_ERROR_NOT_SUPPORTED), crypto_failure (any other PSA error: the
// implementation failed, no verdict on the data), invalid_argument (invalid VerifyingKey,
// inactive hash context).
//
// Hashes: the psa_hash_operation_t lives in HashContext::storage (no heap); hash_finish and
// hash_abort release it with psa_hash_finish / psa_hash_abort. psa_crypto_init() is called at the
// start of every hash and every verification (the API makes repeated calls cheap and idempotent),
// so there is no init step to forget. Stateless: one instance may serve several threads if the PSA implementation is
// thread-safe.
//
// Memory: PsaCrypto is an empty object meant for static storage or the stack. It cannot be
// allocated with new (see below).
class PsaCrypto final : public CryptoPort {
 public:
  constexpr PsaCrypto() = default;

  Status hash_begin(HashAlg alg, HashContext& ctx) override;
  Status hash_update(HashContext& ctx, Bytes data) override;
  Status hash_finish(HashContext& ctx, Digest& out) override;
  void hash_abort(HashContext& ctx) override;

  Status verify(const VerifyingKey& key, Bytes message, Bytes signature) override;

  static void* operator new(std::size_t) = delete;

 private:
  // CryptoPort's virtual destructor makes the compiler emit a deleting destructor, which names
  // operator delete. This class-scope one keeps the global (heap) operator delete out of a
  // bootloader link (embedded/poison.cc fails the link on it). Never called: a PsaCrypto is never
  // allocated with new.
  static void operator delete(void* object, std::size_t size) noexcept;
};

}  // namespace ft
