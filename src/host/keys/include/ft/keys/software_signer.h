// ft/keys/software_signer.h — signers whose private key is in host memory: loaded from a PEM file
// or freshly generated (the development PKI). Prefer a PKCS#11 token for keys that matter.
#pragma once

#include <memory>
#include <string>

#include "ft/keys/openssl_handles.h"
#include "ft/keys/signer.h"

namespace ft::keys {

// SecretAccess — a named token every call that exports private key material must pass, so each
// such use can be found by searching for "SecretAccess".
struct SecretAccess {
  explicit SecretAccess() = default;
};

// SoftwareSigner — a Signer over an OpenSSL private key in memory.
class SoftwareSigner final : public Signer {
 public:
  // SoftwareSigner takes ownership of key (a private EC P-256/P-384, Ed25519 or RSA ≥ 2048 key).
  // source names it in messages. Throws UserError naming source for other key types or sizes.
  SoftwareSigner(UniqueEvpPkey key, std::string source);

  [[nodiscard]] SignatureAlgorithm algorithm() const override { return algorithm_; }
  [[nodiscard]] std::vector<std::uint8_t> sign(Bytes message) override;
  [[nodiscard]] std::vector<std::uint8_t> public_key_spki_der() const override;
  [[nodiscard]] std::string source() const override { return source_; }

  // private_key_pem returns the private key as unencrypted PKCS#8 PEM ("PRIVATE KEY"), for
  // writing a 0600 key file. Throws UserError on an OpenSSL failure.
  [[nodiscard]] std::string private_key_pem(SecretAccess) const;

 private:
  UniqueEvpPkey key_;
  std::string source_;
  SignatureAlgorithm algorithm_;
};

// generate_software_signer creates a new random key for alg (es256, es384 or ed25519; ps256 gives
// RSA-3072) and returns its signer; source is how messages will name it (e.g. the file it will
// be written to). Throws UserError (kExitEnvironment) if OpenSSL fails.
std::unique_ptr<SoftwareSigner> generate_software_signer(SignatureAlgorithm alg, std::string source);

// load_pem_signer reads a PEM private key file (see open_signer for the accepted forms) and
// returns its signer. Warns through options.warn when the file is readable by group or others.
// Throws UserError naming path (kExitInput) for a missing, encrypted, malformed or unsupported key.
std::unique_ptr<SoftwareSigner> load_pem_signer(const std::string& path, const SignerOptions& options = {});

}  // namespace ft::keys
