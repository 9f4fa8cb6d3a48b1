#include "ft/keys/signer.h"

#include <openssl/x509.h>

#include <cstdio>
#include <fstream>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/keys/ecdsa_encoding.h"
#include "ft/keys/openssl_handles.h"
#include "ft/keys/pkcs11_signer.h"
#include "ft/keys/pkcs11_uri.h"
#include "ft/keys/software_signer.h"

namespace ft::keys {

int cose_algorithm_id(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::es256: return -7;
    case SignatureAlgorithm::es384: return -35;
    case SignatureAlgorithm::ed25519: return -8;
    case SignatureAlgorithm::ps256: return -37;
  }
  return 0;
}

const char* algorithm_name(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::es256: return "ES256";
    case SignatureAlgorithm::es384: return "ES384";
    case SignatureAlgorithm::ed25519: return "EdDSA";
    case SignatureAlgorithm::ps256: return "PS256";
  }
  return "unknown";
}

const char* key_algorithm_name(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::es256: return "p256";
    case SignatureAlgorithm::es384: return "p384";
    case SignatureAlgorithm::ed25519: return "ed25519";
    case SignatureAlgorithm::ps256: return "rsa";
  }
  return "unknown";
}

std::optional<SignatureAlgorithm> parse_key_algorithm(std::string_view name) {
  if (name == "p256") return SignatureAlgorithm::es256;
  if (name == "p384") return SignatureAlgorithm::es384;
  if (name == "ed25519") return SignatureAlgorithm::ed25519;
  return std::nullopt;
}

Signer::~Signer() { EVP_PKEY_free(public_key_); }

EVP_PKEY* Signer::public_key() const {
  if (public_key_ == nullptr) {
    const std::vector<std::uint8_t> spki = public_key_spki_der();
    public_key_ = evp_pkey_from_spki(spki.data(), spki.size()).release();
    if (public_key_ == nullptr) {
      throw host::UserError(source() + ": public key does not parse as SubjectPublicKeyInfo: " +
                                openssl_error_text(),
                            host::kExitEnvironment);
    }
  }
  return public_key_;
}

std::vector<std::uint8_t> Signer::x509_signature_algorithm_der() const {
  // Fixed encodings (RFC 5758 §3.2, RFC 8410 §3, RFC 4055 §3.1): writing the bytes is simpler and
  // easier to audit than building the structures through OpenSSL's ASN.1 API.
  switch (algorithm()) {
    case SignatureAlgorithm::es256:  // ecdsa-with-SHA256, parameters absent
      return {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
    case SignatureAlgorithm::es384:  // ecdsa-with-SHA384
      return {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
    case SignatureAlgorithm::ed25519:  // id-Ed25519
      return {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};
    case SignatureAlgorithm::ps256:  // id-RSASSA-PSS { sha256, mgf1(sha256), saltLength 32 }
      return {0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30,
              0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
              0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
              0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
              0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20};
  }
  return {};
}

std::vector<std::uint8_t> Signer::sign_x509(Bytes tbs) {
  std::vector<std::uint8_t> signature = sign(tbs);
  if (algorithm() != SignatureAlgorithm::es256 && algorithm() != SignatureAlgorithm::es384) {
    return signature;
  }
  auto der = ecdsa_p1363_to_der(signature);
  if (!der) {
    throw host::UserError(source() + ": signer returned a malformed ECDSA signature (" +
                              std::to_string(signature.size()) + " bytes)",
                          host::kExitEnvironment);
  }
  return std::move(*der);
}

namespace {

void warn_on_stderr(const std::string& message) {
  std::fprintf(stderr, "fieldtrust: warning: %s\n", message.c_str());
}

// uri_in_file returns the URI when path is a file whose first line is a pkcs11: URI, the form
// pki init --pkcs11 writes as <name>.key.uri; nullopt for anything else (a PEM key). Reads only
// the first line, so a PEM key is not copied around here.
std::optional<std::string> uri_in_file(const std::string& path) {
  if (!host::file_exists(path)) return std::nullopt;
  std::ifstream in(path);
  char prefix[7] = {};
  if (!in.read(prefix, sizeof(prefix)) || std::string_view(prefix, sizeof(prefix)) != "pkcs11:") return std::nullopt;
  std::string rest;
  std::getline(in, rest);
  if (!rest.empty() && rest.back() == '\r') rest.pop_back();
  return "pkcs11:" + rest;
}

}  // namespace

std::unique_ptr<Signer> open_signer(const std::string& spec, const SignerOptions& options) {
  SignerOptions effective = options;
  if (!effective.warn) effective.warn = warn_on_stderr;
  if (is_pkcs11_uri(spec)) return open_pkcs11_signer(parse_pkcs11_uri(spec));
  if (auto uri = uri_in_file(spec)) {
    try {
      return open_pkcs11_signer(parse_pkcs11_uri(*uri));
    } catch (const host::UserError& e) {
      throw host::UserError(spec + ": " + e.what(), e.exit_code());
    }
  }
  return load_pem_signer(spec, effective);
}

}  // namespace ft::keys
