// ft/ports/crypto.h — the crypto port: the only way the verifier core reaches hash and signature
// primitives. Implementations: OpenSSL 3 (hosts), mbed TLS (embedded reference), PSA Crypto
// (Cortex-M), and fault-injecting fakes for tests.
//
// Freestanding: no heap, no exceptions. Keys are validated once (make_verifying_key) and then fix
// algorithm and parameters, so a caller never passes an algorithm next to the data (Tink style).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/error.h"

namespace ft {

enum class HashAlg : std::uint8_t { sha256, sha384, sha512 };

// hash_size returns the digest length in bytes (32, 48, 64).
constexpr std::size_t hash_size(HashAlg alg) {
  return alg == HashAlg::sha256 ? 32 : alg == HashAlg::sha384 ? 48 : 64;
}

// Digest — a hash value with its algorithm; bytes() views the used part.
struct Digest {
  HashAlg alg = HashAlg::sha256;
  std::uint8_t value[64] = {};
  [[nodiscard]] Bytes bytes() const { return Bytes(value, hash_size(alg)); }
};

// Public key families the core knows. RSA is accepted only where policy enables it.
enum class KeyType : std::uint8_t { none, ec_p256, ec_p384, ed25519, rsa };

// PublicKey — a parsed SubjectPublicKeyInfo. Spans point into the caller's buffer (certificate or
// anchor file); nothing is copied.
struct PublicKey {
  KeyType type = KeyType::none;
  Bytes spki;              // the whole DER SubjectPublicKeyInfo
  Bytes key;               // EC: uncompressed point 04||X||Y; Ed25519: 32 bytes; RSA: DER RSAPublicKey
  std::uint32_t bits = 0;  // EC: 256/384, Ed25519: 256, RSA: modulus length in bits
};

// Signature schemes. Each fixes hash, padding and encoding of the signature value.
enum class SigScheme : std::uint8_t {
  ecdsa_p256_sha256_p1363,  // COSE ES256: r||s, 64 bytes
  ecdsa_p384_sha384_p1363,  // COSE ES384: r||s, 96 bytes
  ecdsa_sha256_der,         // X.509 ecdsa-with-SHA256 (any allowed curve), DER Ecdsa-Sig-Value
  ecdsa_sha384_der,         // X.509 ecdsa-with-SHA384
  ecdsa_sha512_der,         // X.509 ecdsa-with-SHA512
  ed25519,                  // COSE EdDSA / X.509 id-Ed25519
  rsa_pss_sha256,           // COSE PS256 / X.509 RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32
  rsa_pkcs1_sha256,         // X.509 sha256WithRSAEncryption (certificates only)
  rsa_pkcs1_sha384,
  rsa_pkcs1_sha512,
};

class VerifyingKey;

// make_verifying_key binds key to scheme in out; fails with key_alg_mismatch when the key type
// does not fit the scheme (e.g. a P-384 key with ES256) and bad_key for an empty key or RSA under
// 2048 bits. out is written only on success.
Status make_verifying_key(const PublicKey& key, SigScheme scheme, VerifyingKey& out);
// make_verifying_key returning the VerifyingKey; the same function (inline, so an image that only
// uses the form above holds one copy).
inline Result<VerifyingKey> make_verifying_key(const PublicKey& key, SigScheme scheme);

// VerifyingKey — a public key bound to one scheme. Only make_verifying_key creates valid ones.
class VerifyingKey {
 public:
  VerifyingKey() = default;
  [[nodiscard]] const PublicKey& key() const { return key_; }
  [[nodiscard]] SigScheme scheme() const { return scheme_; }
  [[nodiscard]] bool valid() const { return valid_; }

 private:
  friend Status make_verifying_key(const PublicKey& key, SigScheme scheme, VerifyingKey& out);
  PublicKey key_{};
  SigScheme scheme_ = SigScheme::ecdsa_p256_sha256_p1363;
  bool valid_ = false;
};

inline Result<VerifyingKey> make_verifying_key(const PublicKey& key, SigScheme scheme) {
  VerifyingKey vk;
  FT_TRY(make_verifying_key(key, scheme, vk));
  return vk;
}

// HashContext — caller-provided storage for one running hash; the port keeps its state inside.
struct HashContext {
  alignas(16) std::uint8_t storage[256];
  HashAlg alg;
  bool active;
};

// CryptoPort — what the core needs from a crypto backend.
class CryptoPort {
 public:
  virtual ~CryptoPort() = default;

  // hash_begin starts a hash in ctx; hash_update feeds data; hash_finish writes the digest and
  // releases ctx. hash_abort releases ctx without a result (safe to call on an inactive ctx).
  virtual Status hash_begin(HashAlg alg, HashContext& ctx) = 0;
  virtual Status hash_update(HashContext& ctx, Bytes data) = 0;
  virtual Status hash_finish(HashContext& ctx, Digest& out) = 0;
  virtual void hash_abort(HashContext& ctx) = 0;

  // verify checks signature over message with key. bad_signature when it does not verify;
  // crypto_failure when the backend itself failed; unsupported_algorithm when the backend lacks
  // the scheme.
  virtual Status verify(const VerifyingKey& key, Bytes message, Bytes signature) = 0;
};

// Hash — RAII wrapper over a CryptoPort hash; aborts on destruction if not finished.
class Hash {
 public:
  Hash(CryptoPort& port, HashAlg alg) : port_(port) { status_ = port_.hash_begin(alg, ctx_); }
  ~Hash() { port_.hash_abort(ctx_); }
  Hash(const Hash&) = delete;
  Hash& operator=(const Hash&) = delete;

  void update(Bytes data) {
    if (status_.ok()) status_ = port_.hash_update(ctx_, data);
  }
  Status finish(Digest& out) {
    if (!status_.ok()) return status_;
    return port_.hash_finish(ctx_, out);
  }

 private:
  CryptoPort& port_;
  HashContext ctx_{};
  Status status_;
};

// digest computes alg over data in one call.
Status digest(CryptoPort& port, HashAlg alg, Bytes data, Digest& out);

}  // namespace ft
