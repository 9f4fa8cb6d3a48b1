// ft/ports/openssl.h — the crypto port on OpenSSL 3, used on hosts.
#pragma once

#include "ft/ports/crypto.h"

namespace ft {

// OpensslCrypto — CryptoPort on OpenSSL 3.
//
// Two interfaces of OpenSSL, chosen by cost. Hashes (SHA-256/384/512) and ECDSA with a P-256 or
// P-384 key given as a raw point (or as the canonical SPKI of one) use OpenSSL's built-in
// implementations directly: SHA*_Init/Update/Final and EC_KEY/ECDSA_verify, deprecated since 3.0
// but kept, and the same assembly (SHA extensions, nistz256) the default provider runs. They skip
// what a provider-based EVP call costs on first use in a process — fetching the method, building
// OpenSSL's name map and method tables, loading openssl.cnf — which was 0.6 ms of a 3.6 ms
// `fieldtrust verify` of 1 MiB, more than the signature checks themselves. It also means their
// results cannot depend on a host's OpenSSL configuration. Ed25519, RSA and keys OpenSSL must
// decode from a non-canonical SPKI go through EVP (EVP_DigestVerify, d2i_PUBKEY).
//
// Hashes: the SHA*_CTX lives in HashContext::storage itself; nothing is allocated.
// hash_begin treats ctx as fresh (like mbedtls_*_init); hash_abort only marks it inactive.
//
// verify: the key comes from PublicKey::spki when non-empty (d2i_PUBKEY, full consumption, type and
// size must match the declared KeyType/bits), otherwise from PublicKey::key (EC uncompressed
// point, raw Ed25519 key, DER RSAPublicKey). An spki that is exactly the canonical encoding of
// PublicKey::key (named-curve EC or Ed25519: fixed prefix + key) is built from the key instead:
// the same key, without OpenSSL's slow decoder search. EC points must lie on the curve
// (EC_POINT_oct2point checks). Signature encodings are checked strictly
// before OpenSSL sees them: P1363 signatures must be exactly 2*n bytes; DER signatures must be the
// one canonical DER encoding (BER, padding, trailing bytes reject). RSA-PSS is fixed to SHA-256,
// MGF1-SHA-256, salt 32. Verdicts: bad_key for a key OpenSSL refuses or that contradicts its
// declaration, bad_signature for any signature that does not verify (including malformed ones),
// crypto_failure for OpenSSL's own failures (allocation, internal errors). OpenSSL errors raised
// inside a call are removed from the thread's error queue before it returns.
//
// Thread safety: one instance may be used from several threads (it holds no state; the curve
// groups it shares are built once and only copied); a HashContext belongs to one thread at a time.
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
};

// openssl_crypto returns a process-wide OpensslCrypto, created on first use; never fails (a broken
// OpenSSL installation shows up as crypto_failure from its methods).
OpensslCrypto& openssl_crypto();

}  // namespace ft
