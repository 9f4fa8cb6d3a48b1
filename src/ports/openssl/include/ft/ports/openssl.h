// ft/ports/openssl.h — the crypto port on OpenSSL 3 (EVP APIs), used on hosts.
#pragma once

#include "ft/ports/crypto.h"

namespace ft {

// OpensslCrypto — CryptoPort on OpenSSL 3's EVP interface.
//
// Hashes: the running EVP_MD_CTX lives behind a pointer kept in HashContext::storage; hash_finish
// and hash_abort free it. hash_begin treats ctx as fresh (like mbedtls_*_init): calling it on a
// context that is still active leaks that context's state, so finish or abort first.
//
// verify: the key comes from PublicKey::spki when non-empty (d2i_PUBKEY, full consumption, type and
// size must match the declared KeyType/bits), otherwise from PublicKey::key (EC uncompressed
// point, raw Ed25519 key, DER RSAPublicKey). An spki that is exactly the canonical encoding of
// PublicKey::key (named-curve EC or Ed25519: fixed prefix + key) is built from the key instead:
// the same key, without OpenSSL's slow decoder search. Signature encodings are checked strictly
// before OpenSSL sees them: P1363 signatures must be exactly 2*n bytes; DER signatures must be the
// one canonical DER encoding (BER, padding, trailing bytes reject). RSA-PSS is fixed to SHA-256,
// MGF1-SHA-256, salt 32. Verdicts: bad_key for a key OpenSSL refuses or that contradicts its
// declaration, bad_signature for any signature that does not verify (including malformed ones),
// crypto_failure for OpenSSL's own failures (allocation, internal errors). OpenSSL errors raised
// inside a call are removed from the thread's error queue before it returns.
//
// Thread safety: one instance may be used from several threads (it holds only fetched,
// immutable digest descriptions); a HashContext belongs to one thread at a time.
class OpensslCrypto final : public CryptoPort {
 public:
  OpensslCrypto();
  ~OpensslCrypto() override;
  OpensslCrypto(const OpensslCrypto&) = delete;
  OpensslCrypto& operator=(const OpensslCrypto&) = delete;

  Status hash_begin(HashAlg alg, HashContext& ctx) override;
  Status hash_update(HashContext& ctx, Bytes data) override;
  Status hash_finish(HashContext& ctx, Digest& out) override;
  void hash_abort(HashContext& ctx) override;

  Status verify(const VerifyingKey& key, Bytes message, Bytes signature) override;

 private:
  // Opaque EVP_MD* fetched once per algorithm (sha256, sha384, sha512); null if the fetch failed,
  // in which case hash_begin reports crypto_failure.
  void* md_[3] = {};
};

// openssl_crypto returns a process-wide OpensslCrypto, created on first use; never fails (a broken
// OpenSSL installation shows up as crypto_failure from its methods).
OpensslCrypto& openssl_crypto();

}  // namespace ft
