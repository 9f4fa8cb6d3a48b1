// openssl_verify.h — test helper: verify a COSE-form signature with OpenSSL alone (independent
// of the code under test, apart from the P1363→DER re-encoding which has its own tests).
#pragma once

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdint>
#include <vector>

#include "ft/keys/ecdsa_encoding.h"
#include "ft/keys/openssl_handles.h"
#include "ft/keys/signer.h"

namespace ft::testing {

// verify_cose_signature returns true when signature (COSE form for alg) verifies over message
// with the public key in spki (DER SubjectPublicKeyInfo), using EVP_DigestVerify.
inline bool verify_cose_signature(const std::vector<std::uint8_t>& spki, keys::SignatureAlgorithm alg,
                                  Bytes message, const std::vector<std::uint8_t>& signature) {
  keys::UniqueEvpPkey key = keys::evp_pkey_from_spki(spki.data(), spki.size());
  if (!key) return false;
  std::vector<std::uint8_t> encoded = signature;
  const EVP_MD* md = nullptr;
  switch (alg) {
    case keys::SignatureAlgorithm::es256:
    case keys::SignatureAlgorithm::es384: {
      if (signature.size() != (alg == keys::SignatureAlgorithm::es256 ? 64u : 96u)) return false;
      auto der = keys::ecdsa_p1363_to_der(signature);
      if (!der) return false;
      encoded = *der;
      md = alg == keys::SignatureAlgorithm::es256 ? EVP_sha256() : EVP_sha384();
      break;
    }
    case keys::SignatureAlgorithm::ed25519: break;
    case keys::SignatureAlgorithm::ps256: md = EVP_sha256(); break;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pkey_ctx, md, nullptr, key.get()) == 1;
  if (ok && alg == keys::SignatureAlgorithm::ps256) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, 32) == 1;
  }
  ok = ok && EVP_DigestVerify(ctx, encoded.data(), encoded.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace ft::testing
