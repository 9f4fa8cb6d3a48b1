// ft/keys/pkcs11_signer.h — keys inside a PKCS#11 token (an HSM, or SoftHSM2 for development).
//
// The module is loaded with dlopen and driven through the standard PKCS#11 v2.40 API (header from
// p11-kit). One process-wide instance per module path is initialised on first use and finalised
// when the last signer using it goes away. Signing hashes on the host (OpenSSL) and asks the token
// for CKM_ECDSA over the digest (the token returns r||s) or CKM_EDDSA over the message.
//
// PKCS#11 logins are per application and token: while one signer of this process holds a session
// on a token, opening another key on that token does not check the PIN again.
//
// Failures throw host::UserError naming the URI (without PIN) and the PKCS#11 return code name
// (e.g. "CKR_PIN_INCORRECT"); exit code kExitEnvironment, or kExitInput for a malformed URI.
#pragma once

#include <memory>
#include <string>

#include "ft/keys/pkcs11_uri.h"
#include "ft/keys/signer.h"

namespace ft::keys {

// open_pkcs11_signer finds the token and the private key object the URI names (by object label
// and/or id; exactly one must match), logs in with the resolved PIN, reads the public key
// (CKA_EC_POINT and CKA_EC_PARAMS of the matching public key object) and returns the signer.
std::unique_ptr<Signer> open_pkcs11_signer(const Pkcs11Uri& uri);

// generate_pkcs11_keypair creates a key pair for alg (es256, es384 or ed25519) as token objects
// labelled uri.object (required) with CKA_ID uri.id, or 16 random bytes when the URI has no id.
// The private key is CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_SIGN. Refuses when an object with
// that label already exists in the token. Returns the signer of the new key; its source() names
// token, object and id.
std::unique_ptr<Signer> generate_pkcs11_keypair(const Pkcs11Uri& uri, SignatureAlgorithm alg);

}  // namespace ft::keys
