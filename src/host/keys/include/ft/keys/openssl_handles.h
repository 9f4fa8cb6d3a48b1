// ft/keys/openssl_handles.h — unique_ptr owners for the OpenSSL objects host code passes around,
// and the one place that turns OpenSSL's error queue into a readable string.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace ft::keys {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using UniqueEvpPkey = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using UniqueX509 = std::unique_ptr<X509, X509Free>;

// openssl_error_text returns and clears OpenSSL's error queue as one line ("" when empty).
std::string openssl_error_text();

// evp_pkey_from_spki parses a DER SubjectPublicKeyInfo; nullptr when it does not parse.
UniqueEvpPkey evp_pkey_from_spki(const std::uint8_t* der, std::size_t size);

}  // namespace ft::keys
