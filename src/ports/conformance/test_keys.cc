#include "ft/ports/testing/test_keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>
#include <string>

namespace ft::testing {

struct TestKey::Handle {
  EVP_PKEY* pkey = nullptr;
  ~Handle() { EVP_PKEY_free(pkey); }
};

namespace {

[[noreturn]] void fail(const std::string& what) {
  ERR_clear_error();
  throw std::runtime_error("test key: " + what);
}

template <typename Encode>
ByteVector encode(EVP_PKEY* pkey, Encode i2d) {
  unsigned char* der = nullptr;
  int len = i2d(pkey, &der);
  if (len <= 0) fail("encoding the public key failed");
  ByteVector out(der, der + len);
  OPENSSL_free(der);
  return out;
}

ByteVector der_to_p1363(const ByteVector& der, std::size_t n) {
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) fail("d2i_ECDSA_SIG failed");
  ByteVector out(2 * n);
  bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), out.data(), static_cast<int>(n)) == static_cast<int>(n) &&
            BN_bn2binpad(ECDSA_SIG_get0_s(sig), out.data() + n, static_cast<int>(n)) == static_cast<int>(n);
  ECDSA_SIG_free(sig);
  if (!ok) fail("BN_bn2binpad failed");
  return out;
}

ByteVector digest_sign(EVP_PKEY* pkey, const char* md, int padding, int salt_length, Bytes message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  ByteVector sig;
  std::size_t len = 0;
  bool ok = ctx != nullptr && EVP_DigestSignInit_ex(ctx, &pctx, md, nullptr, nullptr, pkey, nullptr) == 1;
  if (ok && padding != 0) ok = EVP_PKEY_CTX_set_rsa_padding(pctx, padding) == 1;
  if (ok && padding == RSA_PKCS1_PSS_PADDING) {
    ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_length) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) == 1;
  }
  if (ok) ok = EVP_DigestSign(ctx, nullptr, &len, message.data(), message.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) fail("EVP_DigestSign failed");
  return sig;
}

}  // namespace

TestKey TestKey::generate(KeyType type, unsigned rsa_bits) {
  TestKey key;
  key.type_ = type;
  key.pkey_ = std::make_shared<Handle>();
  EVP_PKEY* pkey = nullptr;
  switch (type) {
    case KeyType::ec_p256:
      pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      key.bits_ = 256;
      break;
    case KeyType::ec_p384:
      pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      key.bits_ = 384;
      break;
    case KeyType::ed25519:
      pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      key.bits_ = 256;
      break;
    case KeyType::rsa:
      pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits));
      key.bits_ = rsa_bits;
      break;
    case KeyType::none:
      fail("no key type");
  }
  if (pkey == nullptr) fail("key generation failed");
  key.pkey_->pkey = pkey;
  key.spki_ = encode(pkey, i2d_PUBKEY);
  if (type == KeyType::ed25519) {
    std::size_t len = 32;
    key.key_.resize(len);
    if (EVP_PKEY_get_raw_public_key(pkey, key.key_.data(), &len) != 1 || len != 32) fail("raw Ed25519 key");
  } else {
    // i2d_PublicKey writes the uncompressed EC point, or the DER RSAPublicKey for RSA.
    key.key_ = encode(pkey, i2d_PublicKey);
  }
  return key;
}

PublicKey TestKey::public_key(bool with_spki) const {
  PublicKey pk;
  pk.type = type_;
  pk.bits = bits_;
  pk.key = bytes_of(key_);
  if (with_spki) pk.spki = bytes_of(spki_);
  return pk;
}

ByteVector TestKey::sign(SigScheme scheme, Bytes message) const {
  EVP_PKEY* pkey = pkey_->pkey;
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
      return der_to_p1363(digest_sign(pkey, "SHA256", 0, 0, message), 32);
    case SigScheme::ecdsa_p384_sha384_p1363:
      return der_to_p1363(digest_sign(pkey, "SHA384", 0, 0, message), 48);
    case SigScheme::ecdsa_sha256_der:
      return digest_sign(pkey, "SHA256", 0, 0, message);
    case SigScheme::ecdsa_sha384_der:
      return digest_sign(pkey, "SHA384", 0, 0, message);
    case SigScheme::ecdsa_sha512_der:
      return digest_sign(pkey, "SHA512", 0, 0, message);
    case SigScheme::ed25519:
      return digest_sign(pkey, nullptr, 0, 0, message);
    case SigScheme::rsa_pss_sha256:
      return digest_sign(pkey, "SHA256", RSA_PKCS1_PSS_PADDING, 32, message);
    case SigScheme::rsa_pkcs1_sha256:
      return digest_sign(pkey, "SHA256", RSA_PKCS1_PADDING, 0, message);
    case SigScheme::rsa_pkcs1_sha384:
      return digest_sign(pkey, "SHA384", RSA_PKCS1_PADDING, 0, message);
    case SigScheme::rsa_pkcs1_sha512:
      return digest_sign(pkey, "SHA512", RSA_PKCS1_PADDING, 0, message);
  }
  fail("unknown scheme");
}

ByteVector TestKey::sign_pss_with_salt(Bytes message, int salt_length) const {
  return digest_sign(pkey_->pkey, "SHA256", RSA_PKCS1_PSS_PADDING, salt_length, message);
}

}  // namespace ft::testing
