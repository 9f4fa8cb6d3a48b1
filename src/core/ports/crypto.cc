#include "ft/ports/crypto.h"

#include <iterator>

namespace ft {

namespace {

constexpr std::uint8_t bit(KeyType type) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(type)); }

// kFittingKeys[scheme] has a bit set for each key type that fits the scheme. (A table rather than
// a switch: half the flash.)
constexpr std::uint8_t kFittingKeys[] = {
    bit(KeyType::ec_p256),                          // ecdsa_p256_sha256_p1363
    bit(KeyType::ec_p384),                          // ecdsa_p384_sha384_p1363
    bit(KeyType::ec_p256) | bit(KeyType::ec_p384),  // ecdsa_sha256_der: any allowed curve
    bit(KeyType::ec_p256) | bit(KeyType::ec_p384),  // ecdsa_sha384_der
    bit(KeyType::ec_p256) | bit(KeyType::ec_p384),  // ecdsa_sha512_der
    bit(KeyType::ed25519),                          // ed25519
    bit(KeyType::rsa),                              // rsa_pss_sha256
    bit(KeyType::rsa),                              // rsa_pkcs1_sha256
    bit(KeyType::rsa),                              // rsa_pkcs1_sha384
    bit(KeyType::rsa),                              // rsa_pkcs1_sha512
};
static_assert(std::size(kFittingKeys) == static_cast<std::size_t>(SigScheme::rsa_pkcs1_sha512) + 1);

bool fits(KeyType type, SigScheme scheme) {
  const auto index = static_cast<std::size_t>(scheme);
  return index < std::size(kFittingKeys) && (kFittingKeys[index] & bit(type)) != 0;
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
  // Hash's calls, in its order (begin; update and finish while ok; abort always), without the
  // wrapper object: its status kept in memory cost 34 bytes of flash here.
  HashContext ctx{};
  Status status = port.hash_begin(alg, ctx);
  if (status.ok()) status = port.hash_update(ctx, data);
  if (status.ok()) status = port.hash_finish(ctx, out);
  port.hash_abort(ctx);
  return status;
}

}  // namespace ft

