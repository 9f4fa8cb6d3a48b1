#include "ft/ports/mbedtls.h"

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

#include <new>

#include "strict_der.h"

static_assert(MBEDTLS_VERSION_MAJOR == 2 && MBEDTLS_VERSION_MINOR >= 28,
              "the mbed TLS port is written against the 2.28 LTS API");

namespace ft {

namespace {

using mbedtls_port::parse_ecdsa_der_signature;
using mbedtls_port::parse_rsa_public_key;
using mbedtls_port::read_der_element;

// The SHA contexts live in the caller's storage: no heap for hashing, as on the device.
static_assert(sizeof(mbedtls_sha256_context) <= sizeof(HashContext::storage));
static_assert(sizeof(mbedtls_sha512_context) <= sizeof(HashContext::storage));
static_assert(alignof(mbedtls_sha256_context) <= alignof(HashContext));
static_assert(alignof(mbedtls_sha512_context) <= alignof(HashContext));

Error failure(const char* message) { return make_error(Code::crypto_failure, message); }
Error bad_signature(const char* message) { return make_error(Code::bad_signature, message); }
Error bad_key(const char* message) { return make_error(Code::bad_key, message); }

// backend_failed tells an mbed TLS malfunction (allocation, hardware accelerator) from a verdict
// on the data. mbed TLS error codes are -(high | low): a module code in bits 7..14 plus an
// optional low-level code in bits 0..6.
bool backend_failed(int ret) {
  if (ret >= 0) return false;
  int code = -ret;
  int low = code & 0x007f;
  int high = -(code & 0x7f80);
  if (low == -MBEDTLS_ERR_MPI_ALLOC_FAILED || low == -MBEDTLS_ERR_ASN1_ALLOC_FAILED) return true;
  switch (high) {
    case MBEDTLS_ERR_ECP_ALLOC_FAILED:
    case MBEDTLS_ERR_ECP_HW_ACCEL_FAILED:
    case MBEDTLS_ERR_RSA_HW_ACCEL_FAILED:
    case MBEDTLS_ERR_MD_ALLOC_FAILED:
    case MBEDTLS_ERR_MD_HW_ACCEL_FAILED:
    case MBEDTLS_ERR_PK_ALLOC_FAILED:
    case MBEDTLS_ERR_PK_HW_ACCEL_FAILED:
      return true;
    default:
      return false;
  }
}

Error key_error(int ret, const char* message) { return backend_failed(ret) ? failure(message) : bad_key(message); }
Error verdict_error(int ret) {
  return backend_failed(ret) ? failure("mbed TLS failed while verifying") : bad_signature("signature does not verify");
}

// ---- hashes ----

mbedtls_sha256_context* sha256_of(HashContext& ctx) {
  return std::launder(reinterpret_cast<mbedtls_sha256_context*>(ctx.storage));
}
mbedtls_sha512_context* sha512_of(HashContext& ctx) {
  return std::launder(reinterpret_cast<mbedtls_sha512_context*>(ctx.storage));
}

void release(HashContext& ctx) {
  if (ctx.alg == HashAlg::sha256) {
    mbedtls_sha256_free(sha256_of(ctx));  // zeroizes
  } else {
    mbedtls_sha512_free(sha512_of(ctx));
  }
  ctx.active = false;
}

mbedtls_md_type_t md_type(HashAlg alg) {
  return alg == HashAlg::sha256 ? MBEDTLS_MD_SHA256 : alg == HashAlg::sha384 ? MBEDTLS_MD_SHA384 : MBEDTLS_MD_SHA512;
}

// MessageHash — the digest a signature scheme signs.
struct MessageHash {
  unsigned char value[64] = {};
  std::size_t size = 0;
  mbedtls_md_type_t type = MBEDTLS_MD_NONE;
};

Status hash_message(HashAlg alg, Bytes message, MessageHash& out) {
  const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md_type(alg));
  if (info == nullptr) return failure("digest not available in mbed TLS");
  int ret = mbedtls_md(info, message.data(), message.size(), out.value);
  if (ret != 0) return failure("mbedtls_md failed");
  out.size = hash_size(alg);
  out.type = md_type(alg);
  return {};
}

// ---- keys ----

// PkContext — owns an mbedtls_pk_context for the length of one verify call.
class PkContext {
 public:
  PkContext() { mbedtls_pk_init(&pk_); }
  ~PkContext() { mbedtls_pk_free(&pk_); }
  PkContext(const PkContext&) = delete;
  PkContext& operator=(const PkContext&) = delete;
  mbedtls_pk_context* get() { return &pk_; }

 private:
  mbedtls_pk_context pk_;
};

// Mpi — owns an mbedtls_mpi.
class Mpi {
 public:
  Mpi() { mbedtls_mpi_init(&value_); }
  ~Mpi() { mbedtls_mpi_free(&value_); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
  mbedtls_mpi* get() { return &value_; }

 private:
  mbedtls_mpi value_;
};

mbedtls_ecp_group_id group_id(KeyType type) {
  return type == KeyType::ec_p256 ? MBEDTLS_ECP_DP_SECP256R1 : MBEDTLS_ECP_DP_SECP384R1;
}

// ec_coordinate_size is the byte length of a field element (and of the order) of the curve.
std::size_t ec_coordinate_size(KeyType type) { return type == KeyType::ec_p256 ? 32 : 48; }

Status ec_key_from_point(KeyType type, Bytes point, mbedtls_pk_context& pk) {
  std::size_t n = ec_coordinate_size(type);
  if (point.size() != 1 + 2 * n || point[0] != 0x04) return bad_key("EC key is not an uncompressed point");
  int ret = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (ret != 0) return failure("mbedtls_pk_setup failed");
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
  ret = mbedtls_ecp_group_load(&ec->grp, group_id(type));
  if (ret != 0) return failure("mbedtls_ecp_group_load failed");
  ret = mbedtls_ecp_point_read_binary(&ec->grp, &ec->Q, point.data(), point.size());
  if (ret == 0) ret = mbedtls_ecp_check_pubkey(&ec->grp, &ec->Q);
  if (ret != 0) return key_error(ret, "EC point is not on the curve");
  return {};
}

Status rsa_key_from_der(Bytes der, mbedtls_pk_context& pk) {
  Bytes modulus;
  Bytes exponent;
  if (!parse_rsa_public_key(der, modulus, exponent)) return bad_key("RSAPublicKey is not valid DER");
  int ret = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
  if (ret != 0) return failure("mbedtls_pk_setup failed");
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
  ret = mbedtls_rsa_import_raw(rsa, modulus.data(), modulus.size(), nullptr, 0, nullptr, 0, nullptr, 0,
                               exponent.data(), exponent.size());
  if (ret == 0) ret = mbedtls_rsa_complete(rsa);
  if (ret == 0) ret = mbedtls_rsa_check_pubkey(rsa);
  if (ret != 0) return key_error(ret, "RSA public key rejected");
  return {};
}

Status key_from_raw(const PublicKey& key, mbedtls_pk_context& pk) {
  switch (key.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384:
      return ec_key_from_point(key.type, key.key, pk);
    case KeyType::rsa:
      return rsa_key_from_der(key.key, pk);
    case KeyType::ed25519:
      return make_error(Code::unsupported_algorithm, "Ed25519 is not available in mbed TLS 2.28");
    case KeyType::none:
      break;
  }
  return bad_key("no key type");
}

Status key_from_spki(const PublicKey& key, mbedtls_pk_context& pk) {
  // mbed TLS stops at the end of the outer SEQUENCE; trailing bytes must not pass silently.
  Reader whole(key.spki);
  Bytes body;
  if (!read_der_element(whole, 0x30, body) || !whole.empty()) return bad_key("SubjectPublicKeyInfo is not one DER element");
  int ret = mbedtls_pk_parse_public_key(&pk, key.spki.data(), key.spki.size());
  if (ret != 0) return key_error(ret, "SubjectPublicKeyInfo rejected by mbed TLS");
  mbedtls_pk_type_t type = mbedtls_pk_get_type(&pk);
  switch (key.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384:
      if (type != MBEDTLS_PK_ECKEY) return bad_key("SPKI is not an EC key");
      if (mbedtls_pk_ec(pk)->grp.id != group_id(key.type)) return bad_key("SPKI curve differs from the declared key type");
      return {};
    case KeyType::rsa:
      if (type != MBEDTLS_PK_RSA) return bad_key("SPKI is not an rsaEncryption key");
      return {};
    case KeyType::ed25519:
      return make_error(Code::unsupported_algorithm, "Ed25519 is not available in mbed TLS 2.28");
    case KeyType::none:
      break;
  }
  return bad_key("no key type");
}

Status load_key(const PublicKey& key, mbedtls_pk_context& pk) {
  FT_TRY(key.spki.empty() ? key_from_raw(key, pk) : key_from_spki(key, pk));
  // RSA size is policy (make_verifying_key checked the declared bits); the key must not lie.
  if (key.type == KeyType::rsa && mbedtls_pk_get_bitlen(&pk) != key.bits) {
    return bad_key("RSA modulus length differs from the declared bits");
  }
  return {};
}

// ---- signatures ----

Status verify_ecdsa(mbedtls_pk_context& pk, const MessageHash& hash, Bytes r_bytes, Bytes s_bytes) {
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
  // A magnitude wider than the order cannot be in range; refuse before mbed TLS allocates for it.
  std::size_t n = (ec->grp.nbits + 7) / 8;
  if (r_bytes.size() > n || s_bytes.size() > n) return bad_signature("ECDSA r or s out of range");
  Mpi r;
  Mpi s;
  int ret = mbedtls_mpi_read_binary(r.get(), r_bytes.data(), r_bytes.size());
  if (ret == 0) ret = mbedtls_mpi_read_binary(s.get(), s_bytes.data(), s_bytes.size());
  if (ret != 0) return failure("mbedtls_mpi_read_binary failed");
  // mbedtls_ecdsa_verify checks 1 <= r, s < n itself and truncates a hash longer than the order.
  ret = mbedtls_ecdsa_verify(&ec->grp, hash.value, hash.size, &ec->Q, r.get(), s.get());
  if (ret != 0) return verdict_error(ret);
  return {};
}

Status verify_rsa(mbedtls_pk_context& pk, const MessageHash& hash, bool pss, Bytes signature) {
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
  // RFC 8017 §8.1.2 step 1: exactly k bytes; mbed TLS reads k bytes without knowing our length.
  if (signature.size() != mbedtls_rsa_get_len(rsa)) return bad_signature("RSA signature length differs from the modulus length");
  auto hash_len = static_cast<unsigned int>(hash.size);
  int ret = pss ? mbedtls_rsa_rsassa_pss_verify_ext(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, hash.type, hash_len,
                                                    hash.value, MBEDTLS_MD_SHA256, 32, signature.data())
                : mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, hash.type, hash_len,
                                                      hash.value, signature.data());
  if (ret != 0) return verdict_error(ret);
  return {};
}

}  // namespace

Status MbedtlsCrypto::hash_begin(HashAlg alg, HashContext& ctx) {
  ctx.alg = alg;
  ctx.active = false;
  int ret = 0;
  if (alg == HashAlg::sha256) {
    auto* sha = new (ctx.storage) mbedtls_sha256_context;
    mbedtls_sha256_init(sha);
    ret = mbedtls_sha256_starts_ret(sha, 0);
  } else {
    auto* sha = new (ctx.storage) mbedtls_sha512_context;
    mbedtls_sha512_init(sha);
    ret = mbedtls_sha512_starts_ret(sha, alg == HashAlg::sha384 ? 1 : 0);
  }
  ctx.active = true;
  if (ret != 0) {
    release(ctx);
    return failure("mbedtls sha starts failed");
  }
  return {};
}

Status MbedtlsCrypto::hash_update(HashContext& ctx, Bytes data) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  int ret = ctx.alg == HashAlg::sha256 ? mbedtls_sha256_update_ret(sha256_of(ctx), data.data(), data.size())
                                       : mbedtls_sha512_update_ret(sha512_of(ctx), data.data(), data.size());
  if (ret != 0) return failure("mbedtls sha update failed");
  return {};
}

Status MbedtlsCrypto::hash_finish(HashContext& ctx, Digest& out) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  Digest result;
  result.alg = ctx.alg;
  int ret = ctx.alg == HashAlg::sha256 ? mbedtls_sha256_finish_ret(sha256_of(ctx), result.value)
                                       : mbedtls_sha512_finish_ret(sha512_of(ctx), result.value);
  release(ctx);
  if (ret != 0) return failure("mbedtls sha finish failed");
  out = result;
  return {};
}

void MbedtlsCrypto::hash_abort(HashContext& ctx) {
  if (ctx.active) release(ctx);
}

Status MbedtlsCrypto::verify(const VerifyingKey& key, Bytes message, Bytes signature) {
  if (!key.valid()) return make_error(Code::invalid_argument, "verifying key not made by make_verifying_key");
  SigScheme scheme = key.scheme();
  if (scheme == SigScheme::ed25519) {
    return make_error(Code::unsupported_algorithm, "Ed25519 is not available in mbed TLS 2.28");
  }
  PkContext pk;
  FT_TRY(load_key(key.key(), *pk.get()));

  MessageHash hash;
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_p384_sha384_p1363: {
      std::size_t n = ec_coordinate_size(key.key().type);
      if (signature.size() != 2 * n) return bad_signature("P1363 signature has the wrong length");
      FT_TRY(hash_message(scheme == SigScheme::ecdsa_p256_sha256_p1363 ? HashAlg::sha256 : HashAlg::sha384, message, hash));
      return verify_ecdsa(*pk.get(), hash, signature.first(n), signature.subspan(n));
    }
    case SigScheme::ecdsa_sha256_der:
    case SigScheme::ecdsa_sha384_der:
    case SigScheme::ecdsa_sha512_der: {
      Bytes r;
      Bytes s;
      if (!parse_ecdsa_der_signature(signature, r, s)) return bad_signature("ECDSA signature is not canonical DER");
      HashAlg alg = scheme == SigScheme::ecdsa_sha256_der   ? HashAlg::sha256
                    : scheme == SigScheme::ecdsa_sha384_der ? HashAlg::sha384
                                                            : HashAlg::sha512;
      FT_TRY(hash_message(alg, message, hash));
      return verify_ecdsa(*pk.get(), hash, r, s);
    }
    case SigScheme::rsa_pss_sha256:
      FT_TRY(hash_message(HashAlg::sha256, message, hash));
      return verify_rsa(*pk.get(), hash, true, signature);
    case SigScheme::rsa_pkcs1_sha256:
    case SigScheme::rsa_pkcs1_sha384:
    case SigScheme::rsa_pkcs1_sha512: {
      HashAlg alg = scheme == SigScheme::rsa_pkcs1_sha256   ? HashAlg::sha256
                    : scheme == SigScheme::rsa_pkcs1_sha384 ? HashAlg::sha384
                                                            : HashAlg::sha512;
      FT_TRY(hash_message(alg, message, hash));
      return verify_rsa(*pk.get(), hash, false, signature);
    }
    case SigScheme::ed25519:
      break;
  }
  return make_error(Code::unsupported_algorithm, "signature scheme not supported by the mbed TLS port");
}

MbedtlsCrypto& mbedtls_crypto() {
  static MbedtlsCrypto instance;
  return instance;
}

}  // namespace ft
