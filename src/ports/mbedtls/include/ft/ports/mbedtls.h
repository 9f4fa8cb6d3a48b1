// ft/ports/mbedtls.h — the crypto port on mbed TLS 2.28, the embedded reference backend.
#pragma once

#include "ft/ports/crypto.h"

namespace ft {

// MbedtlsCrypto — CryptoPort on mbed TLS 2.28 (Debian libmbedtls-dev, libmbedcrypto).
//
// Supported: SHA-256/384/512; ECDSA P-256/P-384 in P1363 and DER encodings; RSA-PSS (SHA-256,
// MGF1-SHA-256, salt exactly 32) and PKCS#1 v1.5 with SHA-256/384/512.
// Not supported: Ed25519 — mbed TLS 2.28 has no EdDSA, so the ed25519 scheme returns
// unsupported_algorithm (before the key is looked at).
//
// Hashes: the mbed TLS SHA context lives directly inside HashContext::storage (no heap);
// hash_finish and hash_abort wipe it. hash_begin treats ctx as fresh.
//
// verify: the key comes from PublicKey::spki when non-empty (mbedtls_pk_parse_public_key; the
// outer DER element must span the whole buffer; type, curve and RSA size must match the
// declaration), otherwise from PublicKey::key (EC uncompressed point checked to be on the curve;
// DER RSAPublicKey, strictly parsed). DER ECDSA signatures are parsed by our own strict DER
// reader, so BER and padded encodings reject exactly as on the OpenSSL port. Verdicts as for
// OpensslCrypto: bad_key, bad_signature, or crypto_failure for mbed TLS allocation and hardware
// accelerator failures. Stateless: one instance may serve several threads.
class MbedtlsCrypto final : public CryptoPort {
 public:
  Status hash_begin(HashAlg alg, HashContext& ctx) override;
  Status hash_update(HashContext& ctx, Bytes data) override;
  Status hash_finish(HashContext& ctx, Digest& out) override;
  void hash_abort(HashContext& ctx) override;

  Status verify(const VerifyingKey& key, Bytes message, Bytes signature) override;
};

// mbedtls_crypto returns a process-wide MbedtlsCrypto.
MbedtlsCrypto& mbedtls_crypto();

}  // namespace ft
