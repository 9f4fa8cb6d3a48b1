// ft/keys/signer.h — the one interface every signing key source implements (PEM file, PKCS#11
// token), and open_signer, the factory that picks the source from a key spec.
//
// Callers (COSE/SUIT signing, the development PKI, ledgers) hold a Signer and never see whether
// the private key lives in a file or in a token. The key fixes the algorithm (Tink style): there
// is no algorithm parameter next to the data.
//
// Errors: every failure throws host::UserError whose message names the key source (file path or
// PKCS#11 URI without its PIN) and the problem. Exit codes: kExitInput for a missing, unreadable
// or malformed key file or a malformed URI; kExitEnvironment for token and crypto-backend failures
// (module not loadable, token absent, wrong PIN, object missing, C_Sign failing).
//
// Thread safety: a Signer is not safe for concurrent use; use one per thread.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::keys {

// SignatureAlgorithm — what a key signs with. The key type fixes it:
//   es256   EC P-256, ECDSA with SHA-256   (COSE -7)
//   es384   EC P-384, ECDSA with SHA-384   (COSE -35)
//   ed25519 Ed25519, PureEdDSA             (COSE -8, "EdDSA")
//   ps256   RSA (≥ 2048 bits), RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32 (COSE -37);
//           PEM files only, for legacy PKIs.
enum class SignatureAlgorithm : std::uint8_t { es256, es384, ed25519, ps256 };

// cose_algorithm_id returns the COSE "alg" value (RFC 9053): -7, -35, -8, -37.
int cose_algorithm_id(SignatureAlgorithm alg);

// algorithm_name returns the COSE name: "ES256", "ES384", "EdDSA", "PS256".
const char* algorithm_name(SignatureAlgorithm alg);

// key_algorithm_name returns the key-type name used on the command line and in pki.json:
// "p256", "p384", "ed25519", "rsa".
const char* key_algorithm_name(SignatureAlgorithm alg);

// parse_key_algorithm maps "p256" | "p384" | "ed25519" (the names key generation accepts) to the
// algorithm; nullopt for anything else.
std::optional<SignatureAlgorithm> parse_key_algorithm(std::string_view name);

// Signer — a private key that can sign, plus its public half.
class Signer {
 public:
  virtual ~Signer();
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  // algorithm returns the algorithm this key signs with (fixed by the key type).
  [[nodiscard]] virtual SignatureAlgorithm algorithm() const = 0;

  // sign returns the signature over message in COSE form: r||s (64 bytes ES256, 96 bytes ES384,
  // each half left-padded to the curve size), 64 bytes for Ed25519, k bytes for PS256. The message
  // is hashed here (token signers hash on the host and let the token sign the digest). Throws
  // UserError naming the source.
  [[nodiscard]] virtual std::vector<std::uint8_t> sign(Bytes message) = 0;

  // public_key_spki_der returns the DER SubjectPublicKeyInfo of the public key.
  [[nodiscard]] virtual std::vector<std::uint8_t> public_key_spki_der() const = 0;

  // source returns where the key lives, for messages and manifests: the PEM file path, or the
  // PKCS#11 URI of the private key object with pin-value removed (safe to print and store).
  [[nodiscard]] virtual std::string source() const = 0;

  // public_key returns the public key as an OpenSSL EVP_PKEY, for X509_set_pubkey, X509_verify
  // and EVP_DigestVerify. The signer owns it; it stays valid while the signer lives. It never
  // carries the private key, even for PEM signers.
  [[nodiscard]] EVP_PKEY* public_key() const;

  // x509_signature_algorithm_der returns the DER AlgorithmIdentifier a certificate signed by this
  // key carries: ecdsa-with-SHA256 / ecdsa-with-SHA384 (no parameters), id-Ed25519, or
  // id-RSASSA-PSS with SHA-256/MGF1-SHA-256/salt 32.
  [[nodiscard]] std::vector<std::uint8_t> x509_signature_algorithm_der() const;

  // sign_x509 returns the signature over tbs (e.g. a DER TBSCertificate) in X.509 form: a DER
  // Ecdsa-Sig-Value for ECDSA (converted from sign()'s r||s), otherwise the same bytes as sign().
  // This is how the PKI issues certificates with a key it cannot export. Throws UserError.
  [[nodiscard]] std::vector<std::uint8_t> sign_x509(Bytes tbs);

 protected:
  Signer() = default;

 private:
  mutable EVP_PKEY* public_key_ = nullptr;  // built on first use from public_key_spki_der()
};

// SignerOptions — how open_signer reports things that are not errors.
struct SignerOptions {
  // warn receives a warning for a PEM key file readable by group or others (the file is still
  // used: see docs/pki.md "Key files"). Default: print "fieldtrust: warning: ..." on stderr.
  std::function<void(const std::string&)> warn;
};

// open_signer opens the key named by spec and returns its Signer (owned by the caller):
//   - "pkcs11:..."  an RFC 7512 URI of a private key in a token (see ft/keys/pkcs11_uri.h for
//     the accepted attributes, and FT_PKCS11_PIN / FT_PKCS11_MODULE);
//   - a path to a file whose first line is a "pkcs11:" URI (the *.key.uri files pki init
//     --pkcs11 writes): the URI is used as above;
//   - otherwise a path to a PEM private key: PKCS#8 ("PRIVATE KEY"), or traditional
//     "EC PRIVATE KEY" / "RSA PRIVATE KEY". Encrypted PEM keys are refused (no prompt here).
// Throws UserError naming spec (without any PIN) and the problem.
std::unique_ptr<Signer> open_signer(const std::string& spec, const SignerOptions& options = {});

}  // namespace ft::keys
