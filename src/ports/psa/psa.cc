#include "ft/ports/psa.h"

#include <psa/crypto.h>

#include <new>

#include "ft/x509/certificate.h"
#include "p1363.h"

namespace ft {

namespace {

// The operation object lives in the caller's HashContext: no heap, as everywhere in the core. Its
// size is the PSA implementation's choice; a configuration with a bigger one fails here.
static_assert(sizeof(psa_hash_operation_t) <= sizeof(HashContext::storage),
              "psa_hash_operation_t of this PSA implementation does not fit HashContext::storage");
static_assert(alignof(psa_hash_operation_t) <= alignof(HashContext),
              "psa_hash_operation_t of this PSA implementation needs more alignment than HashContext");

// Ed25519 is used only where the implementation says it has it: the Mbed TLS / TF-M configuration
// macros PSA_WANT_ALG_PURE_EDDSA and PSA_WANT_ECC_TWISTED_EDWARDS_255, or FT_PSA_ED25519=1 from the
// build for implementations without PSA_WANT_* macros. The PSA API gives no portable way to ask at
// run time, and an implementation without Edwards curves may answer PSA_ERROR_INVALID_ARGUMENT
// (Mbed TLS 2.28 does), which would read as a bad key.
#if (defined(PSA_WANT_ALG_PURE_EDDSA) && defined(PSA_WANT_ECC_TWISTED_EDWARDS_255)) || \
    (defined(FT_PSA_ED25519) && FT_PSA_ED25519)
constexpr bool kHasEd25519 = true;
constexpr psa_key_type_t kEd25519KeyType = PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_TWISTED_EDWARDS);
constexpr psa_algorithm_t kPureEdDsa = PSA_ALG_PURE_EDDSA;
#else
constexpr bool kHasEd25519 = false;
constexpr psa_key_type_t kEd25519KeyType = 0;
constexpr psa_algorithm_t kPureEdDsa = 0;
#endif

constexpr psa_key_type_t kSecpR1PublicKey = PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1);

Error failure(const char* message) { return make_error(Code::crypto_failure, message); }
Error bad_key(const char* message) { return make_error(Code::bad_key, message); }
Error bad_signature(const char* message) { return make_error(Code::bad_signature, message); }
Error unsupported(const char* message) { return make_error(Code::unsupported_algorithm, message); }

psa_algorithm_t psa_hash_alg(HashAlg alg) {
  return alg == HashAlg::sha256 ? PSA_ALG_SHA_256 : alg == HashAlg::sha384 ? PSA_ALG_SHA_384 : PSA_ALG_SHA_512;
}

// operation_of returns the operation hash_begin constructed in ctx.storage (alignas(16), checked
// above; the void* step tells -Wcast-align on strict-alignment targets that alignment is known).
psa_hash_operation_t* operation_of(HashContext& ctx) {
  return std::launder(static_cast<psa_hash_operation_t*>(static_cast<void*>(ctx.storage)));
}

Status init_crypto() {
  if (psa_crypto_init() != PSA_SUCCESS) return failure("psa_crypto_init failed");
  return {};
}

// ---- keys ----

// KeyMaterial — what psa_import_key needs for one public key.
struct KeyMaterial {
  psa_key_type_t type = 0;
  std::size_t bits = 0;
  Bytes data;  // PSA's public key format: EC uncompressed point, Ed25519 32 bytes
};

// key_source returns the key to import: from the SPKI when present (it must agree with the
// declared type), else the declared raw key.
Status key_source(const PublicKey& declared, PublicKey& out) {
  if (declared.spki.empty()) {
    out = declared;
    return {};
  }
  PublicKey parsed;
  if (!x509::parse_spki(declared.spki, parsed).ok()) return bad_key("SubjectPublicKeyInfo rejected");
  if (parsed.type != declared.type) return bad_key("SubjectPublicKeyInfo contradicts the declared key type");
  out = parsed;
  return {};
}

// key_material maps a public key onto PSA's key type, size and format; checks the encoding the
// PSA format requires (uncompressed point of the curve's size, 32-byte Ed25519 key).
Status key_material(const PublicKey& key, KeyMaterial& out) {
  switch (key.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384: {
      const std::size_t coordinate = key.type == KeyType::ec_p256 ? 32 : 48;
      if (key.key.size() != 1 + 2 * coordinate || key.key[0] != 0x04) {
        return bad_key("EC key is not an uncompressed point of the curve's size");
      }
      out.type = kSecpR1PublicKey;
      out.bits = coordinate * 8;
      out.data = key.key;
      return {};
    }
    case KeyType::ed25519:
      if (key.key.size() != 32) return bad_key("Ed25519 key is not 32 bytes");
      if (!kHasEd25519) return unsupported("Ed25519 is not enabled for this PSA implementation");
      out.type = kEd25519KeyType;
      out.bits = 255;
      out.data = key.key;
      return {};
    case KeyType::rsa:
      return unsupported("RSA is not supported by the PSA port");
    case KeyType::none:
      break;
  }
  return bad_key("no key type");
}

// ---- signatures ----

// SignatureInput — the PSA algorithm and the signature in the form PSA verifies.
struct SignatureInput {
  psa_algorithm_t alg = 0;
  Bytes signature;
  std::uint8_t p1363[psa_port::kMaxEcdsaP1363Size] = {};  // storage for a converted DER signature
};

std::size_t ec_coordinate_size(KeyType type) { return type == KeyType::ec_p256 ? 32 : 48; }

Status signature_input(SigScheme scheme, KeyType key_type, Bytes signature, SignatureInput& out) {
  switch (scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_p384_sha384_p1363:
      if (signature.size() != 2 * ec_coordinate_size(key_type)) return bad_signature("P1363 signature has the wrong length");
      out.alg = PSA_ALG_ECDSA(scheme == SigScheme::ecdsa_p256_sha256_p1363 ? PSA_ALG_SHA_256 : PSA_ALG_SHA_384);
      out.signature = signature;
      return {};
    case SigScheme::ecdsa_sha256_der:
    case SigScheme::ecdsa_sha384_der:
    case SigScheme::ecdsa_sha512_der: {
      Result<Bytes> converted = psa_port::ecdsa_der_to_p1363(signature, ec_coordinate_size(key_type), out.p1363);
      if (!converted.ok()) return converted.error();
      const HashAlg hash = scheme == SigScheme::ecdsa_sha256_der   ? HashAlg::sha256
                           : scheme == SigScheme::ecdsa_sha384_der ? HashAlg::sha384
                                                                   : HashAlg::sha512;
      out.alg = PSA_ALG_ECDSA(psa_hash_alg(hash));
      out.signature = converted.value();
      return {};
    }
    case SigScheme::ed25519:
      if (signature.size() != 64) return bad_signature("Ed25519 signature is not 64 bytes");
      out.alg = kPureEdDsa;
      out.signature = signature;
      return {};
    case SigScheme::rsa_pss_sha256:
    case SigScheme::rsa_pkcs1_sha256:
    case SigScheme::rsa_pkcs1_sha384:
    case SigScheme::rsa_pkcs1_sha512:
      break;
  }
  return unsupported("RSA is not supported by the PSA port");
}

// import_error / verify_error classify PSA status codes (docs/crypto-conformance.md verdicts).
Error import_error(psa_status_t status) {
  if (status == PSA_ERROR_INVALID_ARGUMENT) return bad_key("PSA rejected the public key (not on the curve or malformed)");
  if (status == PSA_ERROR_NOT_SUPPORTED) return unsupported("the PSA implementation does not support this key type");
  return failure("psa_import_key failed");
}

Error verify_error(psa_status_t status) {
  if (status == PSA_ERROR_INVALID_SIGNATURE || status == PSA_ERROR_INVALID_ARGUMENT) {
    return bad_signature("signature does not verify");
  }
  if (status == PSA_ERROR_NOT_SUPPORTED) return unsupported("the PSA implementation does not support this algorithm");
  return failure("psa_verify_message failed");
}

}  // namespace

Status PsaCrypto::hash_begin(HashAlg alg, HashContext& ctx) {
  ctx.alg = alg;
  ctx.active = false;
  FT_TRY(init_crypto());
  psa_hash_operation_t* operation = new (ctx.storage) psa_hash_operation_t(psa_hash_operation_init());
  if (psa_hash_setup(operation, psa_hash_alg(alg)) != PSA_SUCCESS) {
    psa_hash_abort(operation);
    return failure("psa_hash_setup failed");
  }
  ctx.active = true;
  return {};
}

Status PsaCrypto::hash_update(HashContext& ctx, Bytes data) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  if (psa_hash_update(operation_of(ctx), data.data(), data.size()) != PSA_SUCCESS) {
    return failure("psa_hash_update failed");
  }
  return {};
}

Status PsaCrypto::hash_finish(HashContext& ctx, Digest& out) {
  if (!ctx.active) return make_error(Code::invalid_argument, "hash context not active");
  Digest result;
  result.alg = ctx.alg;
  std::size_t length = 0;
  const psa_status_t status = psa_hash_finish(operation_of(ctx), result.value, sizeof result.value, &length);
  hash_abort(ctx);  // releases the operation on failure; a no-op for PSA after a successful finish
  if (status != PSA_SUCCESS) return failure("psa_hash_finish failed");
  if (length != hash_size(result.alg)) return failure("psa_hash_finish returned a digest of the wrong length");
  out = result;
  return {};
}

void PsaCrypto::hash_abort(HashContext& ctx) {
  if (!ctx.active) return;
  psa_hash_abort(operation_of(ctx));
  ctx.active = false;
}

Status PsaCrypto::verify(const VerifyingKey& key, Bytes message, Bytes signature) {
  if (!key.valid()) return make_error(Code::invalid_argument, "verifying key not made by make_verifying_key");
  PublicKey source;
  FT_TRY(key_source(key.key(), source));
  KeyMaterial material;
  FT_TRY(key_material(source, material));
  SignatureInput input;
  FT_TRY(signature_input(key.scheme(), source.type, signature, input));
  FT_TRY(init_crypto());

  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  psa_set_key_type(&attributes, material.type);
  psa_set_key_bits(&attributes, material.bits);
  psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_VERIFY_MESSAGE);
  psa_set_key_algorithm(&attributes, input.alg);
  psa_key_id_t id = 0;
  const psa_status_t imported = psa_import_key(&attributes, material.data.data(), material.data.size(), &id);
  if (imported != PSA_SUCCESS) return import_error(imported);

  const psa_status_t verified = psa_verify_message(id, input.alg, message.data(), message.size(),
                                                   input.signature.data(), input.signature.size());
  // A key slot that cannot be released would make later imports fail: no verdict then either.
  if (psa_destroy_key(id) != PSA_SUCCESS) return failure("psa_destroy_key failed");
  if (verified != PSA_SUCCESS) return verify_error(verified);
  return {};
}

void PsaCrypto::operator delete(void*, std::size_t) noexcept { __builtin_trap(); }

}  // namespace ft
