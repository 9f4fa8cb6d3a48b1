// ft/ports/testing/test_keys.h — test-only key generation and signing with OpenSSL, so every
// CryptoPort implementation can be checked against signatures it did not make itself.
// Host test code: failures throw std::runtime_error.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ft/ports/crypto.h"

namespace ft::testing {

using ByteVector = std::vector<std::uint8_t>;

// TestKey — a freshly generated key pair with its public encodings.
class TestKey {
 public:
  // generate makes a key of type (rsa_bits only for KeyType::rsa); throws on OpenSSL failure.
  static TestKey generate(KeyType type, unsigned rsa_bits = 2048);

  // public_key returns the PublicKey view of this key; with_spki also fills PublicKey::spki.
  // The spans point into this TestKey, which must outlive the result.
  [[nodiscard]] PublicKey public_key(bool with_spki) const;

  // sign returns a signature over message in the encoding scheme expects (P1363 r||s, DER,
  // raw Ed25519, RSA PSS with salt 32 or PKCS#1 v1.5); throws on OpenSSL failure.
  [[nodiscard]] ByteVector sign(SigScheme scheme, Bytes message) const;

  // sign_pss_with_salt signs RSA-PSS SHA-256 with another salt length (to check it is refused).
  [[nodiscard]] ByteVector sign_pss_with_salt(Bytes message, int salt_length) const;

  [[nodiscard]] KeyType type() const { return type_; }
  [[nodiscard]] const ByteVector& spki() const { return spki_; }
  [[nodiscard]] const ByteVector& key() const { return key_; }

 private:
  struct Handle;
  std::shared_ptr<Handle> pkey_;
  KeyType type_ = KeyType::none;
  std::uint32_t bits_ = 0;
  ByteVector spki_;
  ByteVector key_;
};

// bytes_of views a byte vector as Bytes.
inline Bytes bytes_of(const ByteVector& v) { return Bytes(v.data(), v.size()); }

}  // namespace ft::testing
