#include "ft/ports/crypto.h"

namespace ft {

namespace {

bool fits(KeyType type, SigScheme scheme) {
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
      return type == KeyType::ec_p256;
    case SigScheme::ecdsa_p384_sha384_p1363:
      return type == KeyType::ec_p384;
    case SigScheme::ecdsa_sha256_der:
    case SigScheme::ecdsa_sha384_der:
    case SigScheme::ecdsa_sha512_der:
      return type == KeyType::ec_p256 || type == KeyType::ec_p384;
    case SigScheme::ed25519:
      return type == KeyType::ed25519;
    case SigScheme::rsa_pss_sha256:
    case SigScheme::rsa_pkcs1_sha256:
    case SigScheme::rsa_pkcs1_sha384:
    case SigScheme::rsa_pkcs1_sha512:
      return type == KeyType::rsa;
  }
  return false;
}

}  // namespace

Status make_verifying_key(const PublicKey& key, SigScheme scheme, VerifyingKey& out) {
  if (key.type == KeyType::none || key.key.empty()) return make_error(Code::bad_key, "empty public key");
  if (!fits(key.type, scheme)) {
    return make_error(Code::key_alg_mismatch, "key type does not fit the signature algorithm");
  }
  if (key.type == KeyType::rsa && key.bits < 2048) return make_error(Code::bad_key, "RSA key under 2048 bits");
  out.key_ = key;
  out.scheme_ = scheme;
  out.valid_ = true;
  return Status();
}

Status digest(CryptoPort& port, HashAlg alg, Bytes data, Digest& out) {
  Hash hash(port, alg);
  hash.update(data);
  return hash.finish(out);
}

}  // namespace ft

