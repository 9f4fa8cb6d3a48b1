// Deprecated since OpenSSL 3.0 and used on purpose: SHA*_Init/Update/Final, EC_KEY and ECDSA_verify
// (ft/ports/openssl.h says why).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "ft/ports/openssl.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <climits>
#include <cstring>
#include <memory>
#include <string_view>

namespace ft {

namespace {

// The context pointer is stored by value in the caller's storage; it must fit and be aligned.
static_assert(sizeof(SHA512_CTX) <= sizeof(HashContext::storage));
static_assert(alignof(SHA512_CTX) <= alignof(HashContext));

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct OpensslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, SigFree>;
using OpensslBytes = std::unique_ptr<unsigned char, OpensslFree>;

// ErrorScope confines OpenSSL's thread-local error queue to one call: whatever OpenSSL pushes
// between construction and destruction is dropped, errors queued earlier by others stay.
class ErrorScope {
 public:
  ErrorScope() : foreign_errors_(ERR_peek_error() != 0) { ERR_set_mark(); }
  ~ErrorScope() { ERR_pop_to_mark(); }
  ErrorScope(const ErrorScope&) = delete;
  ErrorScope& operator=(const ErrorScope&) = delete;

  // backend_failed tells an OpenSSL malfunction (allocation, internal error) from a verdict on
  // the data, from the errors queued in this scope. OpenSSL 3.0 can only read the queue from the
  // oldest entry, so with others' errors underneath ours only the newest error is looked at.
  [[nodiscard]] bool backend_failed() const {
    if (foreign_errors_) return is_malfunction(ERR_peek_last_error());
    unsigned long err = 0;
    while ((err = ERR_get_error()) != 0) {
      if (is_malfunction(err)) return true;
    }
    return false;
  }

 private:
  static bool is_malfunction(unsigned long err) {
    int reason = ERR_GET_REASON(err);
    return reason == ERR_R_MALLOC_FAILURE || reason == ERR_R_INTERNAL_ERROR;
  }

  bool foreign_errors_;
};

Error failure(const char* message) { return make_error(Code::crypto_failure, message); }
Error bad_signature(const char* message) { return make_error(Code::bad_signature, message); }
Error bad_key(const char* message) { return make_error(Code::bad_key, message); }

SHA256_CTX* sha256_ctx(HashContext& ctx) { return static_cast<SHA256_CTX*>(static_cast<void*>(ctx.storage)); }
SHA512_CTX* sha512_ctx(HashContext& ctx) { return static_cast<SHA512_CTX*>(static_cast<void*>(ctx.storage)); }

// ---- keys ----

const char* group_name(KeyType type) { return type == KeyType::ec_p256 ? "prime256v1" : "secp384r1"; }

// ec_coordinate_size is the byte length of a field element (and of the order) of the curve.
std::size_t ec_coordinate_size(KeyType type) { return type == KeyType::ec_p256 ? 32 : 48; }

Result<Pkey> ec_key_from_point(const ErrorScope& errors, KeyType type, Bytes point) {
  std::size_t n = ec_coordinate_size(type);
  if (point.size() != 1 + 2 * n || point[0] != 0x04) return bad_key("EC key is not an uncompressed point");
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  if (!bld) return failure("OSSL_PARAM_BLD_new failed");
  if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name(type), 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return failure("OSSL_PARAM_BLD_push failed");
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return failure("OSSL_PARAM_BLD_to_param failed");
  PkeyCtx pctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1) return failure("EC key context setup failed");
  EVP_PKEY* raw = nullptr;
  // fromdata decodes the point with EC_POINT_oct2point, which rejects points not on the curve.
  if (EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    if (errors.backend_failed()) return failure("EVP_PKEY_fromdata failed");
    return bad_key("EC point is not on the curve");
  }
  return Pkey(raw);
}

Result<Pkey> key_from_raw(const ErrorScope& errors, const PublicKey& key) {
  switch (key.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384:
      return ec_key_from_point(errors, key.type, key.key);
    case KeyType::ed25519: {
      if (key.key.size() != 32) return bad_key("Ed25519 key is not 32 bytes");
      Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.key.data(), key.key.size()));
      if (!pkey) return errors.backend_failed() ? failure("EVP_PKEY_new_raw_public_key failed") : bad_key("Ed25519 key rejected");
      return pkey;
    }
    case KeyType::rsa: {
      if (key.key.size() > LONG_MAX) return bad_key("RSA key too large");
      const unsigned char* p = key.key.data();
      Pkey pkey(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(key.key.size())));
      if (!pkey) return errors.backend_failed() ? failure("d2i_PublicKey failed") : bad_key("RSAPublicKey is not valid DER");
      if (p != key.key.data() + key.key.size()) return bad_key("bytes after RSAPublicKey");
      return pkey;
    }
    case KeyType::none:
      break;
  }
  return bad_key("no key type");
}

Result<Pkey> key_from_spki(const ErrorScope& errors, const PublicKey& key) {
  if (key.spki.size() > LONG_MAX) return bad_key("SPKI too large");
  const unsigned char* p = key.spki.data();
  Pkey pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(key.spki.size())));
  if (!pkey) return errors.backend_failed() ? failure("d2i_PUBKEY failed") : bad_key("SubjectPublicKeyInfo rejected by OpenSSL");
  if (p != key.spki.data() + key.spki.size()) return bad_key("bytes after SubjectPublicKeyInfo");

  int id = EVP_PKEY_get_base_id(pkey.get());
  switch (key.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384: {
      char group[64] = {};
      std::size_t group_len = 0;
      if (id != EVP_PKEY_EC) return bad_key("SPKI is not an EC key");
      if (EVP_PKEY_get_group_name(pkey.get(), group, sizeof group, &group_len) != 1 ||
          std::string_view(group, group_len) != group_name(key.type)) {
        return bad_key("SPKI curve differs from the declared key type");
      }
      return pkey;
    }
    case KeyType::ed25519:
      if (id != EVP_PKEY_ED25519) return bad_key("SPKI is not an Ed25519 key");
      return pkey;
    case KeyType::rsa:
      if (id != EVP_PKEY_RSA) return bad_key("SPKI is not an rsaEncryption key");
      return pkey;
    case KeyType::none:
      break;
  }
  return bad_key("no key type");
}

// spki_is_canonical_for_raw_key tells whether spki is exactly the DER SubjectPublicKeyInfo of
// key.key for the declared type: a fixed prefix (named curve, or the Ed25519 OID) followed by the
// raw key. d2i_PUBKEY would decode the same key from it, but its decoder search costs ~100 us per
// key in OpenSSL 3.0 (four times EVP_PKEY_fromdata), and a verification builds three keys.
bool spki_is_canonical_for_raw_key(const PublicKey& key) {
  static constexpr std::uint8_t kP256Prefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                                 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
  static constexpr std::uint8_t kP384Prefix[] = {0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
                                                 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
                                                 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00};
  static constexpr std::uint8_t kEd25519Prefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  Bytes prefix;
  switch (key.type) {
    case KeyType::ec_p256: prefix = kP256Prefix; break;
    case KeyType::ec_p384: prefix = kP384Prefix; break;
    case KeyType::ed25519: prefix = kEd25519Prefix; break;
    case KeyType::rsa:
    case KeyType::none: return false;
  }
  // The prefix fixes the total length, so equal sizes also mean a key of the curve's size.
  return key.spki.size() == prefix.size() + key.key.size() &&
         std::memcmp(key.spki.data(), prefix.data(), prefix.size()) == 0 &&
         std::memcmp(key.spki.data() + prefix.size(), key.key.data(), key.key.size()) == 0;
}

Result<Pkey> make_pkey(const ErrorScope& errors, const PublicKey& key) {
  const bool from_raw = key.spki.empty() || spki_is_canonical_for_raw_key(key);
  Result<Pkey> pkey = from_raw ? key_from_raw(errors, key) : key_from_spki(errors, key);
  if (!pkey.ok()) return pkey;
  // RSA size is policy (make_verifying_key checked the declared bits); the key must not lie.
  if (key.type == KeyType::rsa && EVP_PKEY_get_bits(pkey->get()) != static_cast<int>(key.bits)) {
    return bad_key("RSA modulus length differs from the declared bits");
  }
  return pkey;
}

// ---- signature encodings ----

// p1363_to_der turns r||s (each exactly n bytes, big-endian) into a DER Ecdsa-Sig-Value.
Result<OpensslBytes> p1363_to_der(Bytes signature, std::size_t n, int& der_len) {
  if (signature.size() != 2 * n) return bad_signature("P1363 signature has the wrong length");
  // BN_bin2bn takes leading zero bytes as padding; i2d writes the minimal INTEGER encoding.
  BIGNUM* r = BN_bin2bn(signature.data(), static_cast<int>(n), nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + n, static_cast<int>(n), nullptr);
  EcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig) {
    BN_free(r);
    BN_free(s);
    return failure("BIGNUM allocation failed");
  }
  ECDSA_SIG_set0(sig.get(), r, s);  // sig owns r and s from here
  if (BN_is_zero(r) || BN_is_zero(s)) return bad_signature("ECDSA r or s is zero");
  unsigned char* der = nullptr;
  der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return failure("i2d_ECDSA_SIG failed");
  return OpensslBytes(der);
}

// check_canonical_der accepts only the DER encoding OpenSSL itself would write for the parsed
// value: BER lengths, leading zero padding, missing sign bytes or trailing data all reject.
Status check_canonical_der(const ErrorScope& errors, Bytes signature) {
  if (signature.size() > LONG_MAX) return bad_signature("DER signature too large");
  const unsigned char* p = signature.data();
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size())));
  if (!sig) return errors.backend_failed() ? Status(failure("d2i_ECDSA_SIG failed")) : bad_signature("ECDSA signature is not DER");
  if (p != signature.data() + signature.size()) return bad_signature("bytes after the ECDSA signature");
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig.get(), &der);
  if (der_len <= 0) return failure("i2d_ECDSA_SIG failed");
  OpensslBytes owned(der);
  if (static_cast<std::size_t>(der_len) != signature.size() || std::memcmp(der, signature.data(), signature.size()) != 0) {
    return bad_signature("ECDSA signature is not canonical DER");
  }
  return {};
}

struct SchemeParams {
  const char* md = nullptr;  // null for Ed25519 (pure)
  int padding = 0;           // RSA padding, 0 for non-RSA
};

SchemeParams scheme_params(SigScheme scheme) {
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_sha256_der:
      return {"SHA256", 0};
    case SigScheme::ecdsa_p384_sha384_p1363:
    case SigScheme::ecdsa_sha384_der:
      return {"SHA384", 0};
    case SigScheme::ecdsa_sha512_der:
      return {"SHA512", 0};
    case SigScheme::ed25519:
      return {nullptr, 0};
    case SigScheme::rsa_pss_sha256:
      return {"SHA256", RSA_PKCS1_PSS_PADDING};
    case SigScheme::rsa_pkcs1_sha256:
      return {"SHA256", RSA_PKCS1_PADDING};
    case SigScheme::rsa_pkcs1_sha384:
      return {"SHA384", RSA_PKCS1_PADDING};
    case SigScheme::rsa_pkcs1_sha512:
      return {"SHA512", RSA_PKCS1_PADDING};
  }
  return {};
}

constexpr int kPssSaltLength = 32;

struct EcKeyFree {
  void operator()(EC_KEY* p) const { EC_KEY_free(p); }
};

// ecdsa_hash returns the hash of an ECDSA scheme (false for a scheme that is not ECDSA).
bool ecdsa_hash(SigScheme scheme, HashAlg& alg) {
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_sha256_der: alg = HashAlg::sha256; return true;
    case SigScheme::ecdsa_p384_sha384_p1363:
    case SigScheme::ecdsa_sha384_der: alg = HashAlg::sha384; return true;
    case SigScheme::ecdsa_sha512_der: alg = HashAlg::sha512; return true;
    default: return false;
  }
}

using EcKey = std::unique_ptr<EC_KEY, EcKeyFree>;

struct EcGroupFree {
  void operator()(EC_GROUP* p) const { EC_GROUP_free(p); }
};

// curve_group returns the group of a named curve, built once per process: building one computes
// its Montgomery constants (~9 us each time, three times per verification). Null when OpenSSL
// cannot build it. Thread-safe (static initialisation); EC_KEY_set_group copies it.
const EC_GROUP* curve_group(KeyType type) {
  static const std::unique_ptr<EC_GROUP, EcGroupFree> p256(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  static const std::unique_ptr<EC_GROUP, EcGroupFree> p384(EC_GROUP_new_by_curve_name(NID_secp384r1));
  return type == KeyType::ec_p256 ? p256.get() : p384.get();
}

// ec_key_from_raw_point decodes an uncompressed point on key.type's curve into an EC_KEY.
// EC_KEY_oct2key uses EC_POINT_oct2point, which rejects points not on the curve.
Result<EcKey> ec_key_from_raw_point(const ErrorScope& errors, const PublicKey& key) {
  std::size_t n = ec_coordinate_size(key.type);
  if (key.key.size() != 1 + 2 * n || key.key[0] != 0x04) return bad_key("EC key is not an uncompressed point");
  const EC_GROUP* group = curve_group(key.type);
  EcKey ec(EC_KEY_new());
  if (group == nullptr || !ec || EC_KEY_set_group(ec.get(), group) != 1) return failure("EC key setup failed");
  if (EC_KEY_oct2key(ec.get(), key.key.data(), key.key.size(), nullptr) != 1) {
    if (errors.backend_failed()) return failure("EC_KEY_oct2key failed");
    return bad_key("EC point is not on the curve");
  }
  return ec;
}

// verify_ecdsa verifies a canonical DER Ecdsa-Sig-Value over message with the scheme's hash,
// computed by port (this port's own hashing: SHA*_Init/Update/Final, no EVP fetch).
Status verify_ecdsa(CryptoPort& port, const ErrorScope& errors, EC_KEY* ec, SigScheme scheme, Bytes der_signature,
                    Bytes message) {
  HashAlg alg{};
  Digest digest;
  if (!ecdsa_hash(scheme, alg) || !ft::digest(port, alg, message, digest).ok()) {
    return failure("ECDSA message hash failed");
  }
  const Bytes hashed = digest.bytes();
  const int rc = ECDSA_verify(0, hashed.data(), static_cast<int>(hashed.size()), der_signature.data(),
                              static_cast<int>(der_signature.size()), ec);
  if (rc == 1) return {};
  if (errors.backend_failed()) return failure("ECDSA_verify failed");
  return bad_signature("signature does not verify");
}

}  // namespace

OpensslCrypto::OpensslCrypto() = default;
OpensslCrypto::~OpensslCrypto() = default;

Status OpensslCrypto::hash_begin(HashAlg alg, HashContext& ctx) {
  ctx.active = false;
  ctx.alg = alg;
  int ok = 0;
  switch (alg) {
    case HashAlg::sha256: ok = SHA256_Init(sha256_ctx(ctx)); break;
    case HashAlg::sha384: ok = SHA384_Init(sha512_ctx(ctx)); break;
    case HashAlg::sha512: ok = SHA512_Init(sha512_ctx(ctx)); break;
  }
  if (ok != 1) return failure("SHA init failed");
  ctx.active = true;
  return {};
}

Status OpensslCrypto::hash_update(HashContext& ctx, Bytes data) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  const int ok = ctx.alg == HashAlg::sha256 ? SHA256_Update(sha256_ctx(ctx), data.data(), data.size())
                 : ctx.alg == HashAlg::sha384 ? SHA384_Update(sha512_ctx(ctx), data.data(), data.size())
                                              : SHA512_Update(sha512_ctx(ctx), data.data(), data.size());
  if (ok != 1) return failure("SHA update failed");
  return {};
}

Status OpensslCrypto::hash_finish(HashContext& ctx, Digest& out) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  ctx.active = false;
  Digest result;
  result.alg = ctx.alg;
  const int ok = ctx.alg == HashAlg::sha256 ? SHA256_Final(result.value, sha256_ctx(ctx))
                 : ctx.alg == HashAlg::sha384 ? SHA384_Final(result.value, sha512_ctx(ctx))
                                              : SHA512_Final(result.value, sha512_ctx(ctx));
  if (ok != 1) return failure("SHA final failed");
  out = result;
  return {};
}

void OpensslCrypto::hash_abort(HashContext& ctx) { ctx.active = false; }

Status OpensslCrypto::verify(const VerifyingKey& key, Bytes message, Bytes signature) {
  if (!key.valid()) return make_error(Code::invalid_argument, "verifying key not made by make_verifying_key");
  ErrorScope errors;
  // ECDSA with a raw point (or its canonical SPKI) goes through EC_KEY, everything else through
  // an EVP_PKEY (see the class comment for why).
  const KeyType type = key.key().type;
  const bool raw_ec = (type == KeyType::ec_p256 || type == KeyType::ec_p384) &&
                      (key.key().spki.empty() || spki_is_canonical_for_raw_key(key.key()));
  EcKey ec;
  Pkey pkey;
  if (raw_ec) {
    Result<EcKey> made = ec_key_from_raw_point(errors, key.key());
    if (!made.ok()) return made.error();
    ec = std::move(*made);
  } else {
    Result<Pkey> made = make_pkey(errors, key.key());
    if (!made.ok()) return made.error();
    pkey = std::move(*made);
  }

  SigScheme scheme = key.scheme();
  Bytes to_verify = signature;
  OpensslBytes converted;
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_p384_sha384_p1363: {
      int der_len = 0;
      Result<OpensslBytes> der = p1363_to_der(signature, ec_coordinate_size(key.key().type), der_len);
      if (!der.ok()) return der.error();
      converted = std::move(*der);
      to_verify = Bytes(converted.get(), static_cast<std::size_t>(der_len));
      break;
    }
    case SigScheme::ecdsa_sha256_der:
    case SigScheme::ecdsa_sha384_der:
    case SigScheme::ecdsa_sha512_der:
      FT_TRY(check_canonical_der(errors, signature));
      break;
    case SigScheme::ed25519:
      if (signature.size() != 64) return bad_signature("Ed25519 signature is not 64 bytes");
      break;
    case SigScheme::rsa_pss_sha256:
    case SigScheme::rsa_pkcs1_sha256:
    case SigScheme::rsa_pkcs1_sha384:
    case SigScheme::rsa_pkcs1_sha512:
      // RFC 8017 §8.1.2 step 1: the signature is exactly k bytes (k = modulus length).
      if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey.get()))) {
        return bad_signature("RSA signature length differs from the modulus length");
      }
      break;
  }

  if (ec) return verify_ecdsa(*this, errors, ec.get(), scheme, to_verify, message);

  SchemeParams params = scheme_params(scheme);
  MdCtx md_ctx(EVP_MD_CTX_new());
  if (!md_ctx) return failure("EVP_MD_CTX_new failed");
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md_ctx
  if (EVP_DigestVerifyInit_ex(md_ctx.get(), &pctx, params.md, nullptr, nullptr, pkey.get(), nullptr) != 1) {
    return failure("EVP_DigestVerifyInit failed");
  }
  if (params.padding != 0 && EVP_PKEY_CTX_set_rsa_padding(pctx, params.padding) != 1) {
    return failure("setting RSA padding failed");
  }
  if (params.padding == RSA_PKCS1_PSS_PADDING &&
      (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, kPssSaltLength) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, "SHA256", nullptr) != 1)) {
    return failure("setting RSA-PSS parameters failed");
  }
  int rc = EVP_DigestVerify(md_ctx.get(), to_verify.data(), to_verify.size(), message.data(), message.size());
  if (rc == 1) return {};
  // OpenSSL returns 0 or a negative value for signatures that do not verify, depending on where
  // the check failed; only an allocation or internal error is a failure of the backend itself.
  if (errors.backend_failed()) return failure("EVP_DigestVerify failed");
  return bad_signature("signature does not verify");
}

OpensslCrypto& openssl_crypto() {
  static OpensslCrypto instance;
  return instance;
}

}  // namespace ft
