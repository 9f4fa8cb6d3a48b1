#include "ft/keys/pkcs11_signer.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "ft/host/error.h"
#include "ft/keys/openssl_handles.h"
#include "pkcs11_module.h"

namespace ft::keys {

namespace {

using host::kExitEnvironment;
using host::kExitInput;
using host::UserError;
using pkcs11::Session;

// DER OBJECT IDENTIFIERs as CKA_EC_PARAMS carries them (ECParameters namedCurve, RFC 5480), and
// the fixed SubjectPublicKeyInfo prefixes that precede the raw public key bytes.
const std::vector<std::uint8_t> kOidP256 = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
const std::vector<std::uint8_t> kOidP384 = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
const std::vector<std::uint8_t> kOidEd25519 = {0x06, 0x03, 0x2b, 0x65, 0x70};
// PKCS#11 3.0 also allows the curve name as PrintableString for Edwards keys.
const std::vector<std::uint8_t> kNameEd25519 = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};

const std::vector<std::uint8_t> kSpkiPrefixP256 = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                   0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                                   0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
const std::vector<std::uint8_t> kSpkiPrefixP384 = {0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86,
                                                   0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b,
                                                   0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00};
const std::vector<std::uint8_t> kSpkiPrefixEd25519 = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                      0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

// public_key_size is the raw key length: uncompressed point 04||X||Y for EC, 32 for Ed25519.
std::size_t public_key_size(SignatureAlgorithm alg) {
  return alg == SignatureAlgorithm::es256 ? 65 : alg == SignatureAlgorithm::es384 ? 97 : 32;
}

SignatureAlgorithm algorithm_of(const Session& session, CK_OBJECT_HANDLE key) {
  const std::vector<std::uint8_t> type_bytes = session.attribute(key, CKA_KEY_TYPE);
  CK_KEY_TYPE type = 0;
  if (type_bytes.size() != sizeof(type)) {
    throw UserError(session.context() + ": malformed CKA_KEY_TYPE", kExitEnvironment);
  }
  std::copy(type_bytes.begin(), type_bytes.end(), reinterpret_cast<std::uint8_t*>(&type));
  if (type != CKK_EC && type != CKK_EC_EDWARDS) {
    throw UserError(session.context() + ": key type is not EC or Ed25519 (FieldTrust signs with "
                                        "P-256, P-384 or Ed25519 keys in tokens)",
                    kExitEnvironment);
  }
  const std::vector<std::uint8_t> params = session.attribute(key, CKA_EC_PARAMS);
  if (type == CKK_EC && params == kOidP256) return SignatureAlgorithm::es256;
  if (type == CKK_EC && params == kOidP384) return SignatureAlgorithm::es384;
  if (type == CKK_EC_EDWARDS && (params == kOidEd25519 || params == kNameEd25519)) return SignatureAlgorithm::ed25519;
  throw UserError(session.context() + ": the key's curve is not supported (use P-256, P-384 or Ed25519)",
                  kExitEnvironment);
}

// raw_public_key unwraps CKA_EC_POINT: the standard says a DER OCTET STRING, some tokens store
// the bare point; the expected size tells them apart.
std::vector<std::uint8_t> raw_public_key(const Session& session, const std::vector<std::uint8_t>& ec_point,
                                         SignatureAlgorithm alg) {
  const std::size_t size = public_key_size(alg);
  if (ec_point.size() == size) return ec_point;
  if (ec_point.size() == size + 2 && ec_point[0] == 0x04 && ec_point[1] == size) {
    return std::vector<std::uint8_t>(ec_point.begin() + 2, ec_point.end());
  }
  throw UserError(session.context() + ": CKA_EC_POINT has an unexpected size of " +
                      std::to_string(ec_point.size()) + " bytes",
                  kExitEnvironment);
}

std::vector<std::uint8_t> spki_for(SignatureAlgorithm alg, const std::vector<std::uint8_t>& raw) {
  std::vector<std::uint8_t> spki = alg == SignatureAlgorithm::es256   ? kSpkiPrefixP256
                                   : alg == SignatureAlgorithm::es384 ? kSpkiPrefixP384
                                                                      : kSpkiPrefixEd25519;
  spki.insert(spki.end(), raw.begin(), raw.end());
  return spki;
}

CK_ATTRIBUTE attr(CK_ATTRIBUTE_TYPE type, const void* value, std::size_t size) {
  return CK_ATTRIBUTE{type, const_cast<void*>(value), size};
}

// key_selector returns the template part that picks the key: label and/or id from the URI.
std::vector<CK_ATTRIBUTE> key_selector(const Pkcs11Uri& uri, const CK_OBJECT_CLASS& object_class) {
  std::vector<CK_ATTRIBUTE> match{attr(CKA_CLASS, &object_class, sizeof(object_class))};
  if (uri.object) match.push_back(attr(CKA_LABEL, uri.object->data(), uri.object->size()));
  if (uri.id) match.push_back(attr(CKA_ID, uri.id->data(), uri.id->size()));
  return match;
}

class Pkcs11Signer final : public Signer {
 public:
  Pkcs11Signer(std::unique_ptr<Session> session, CK_OBJECT_HANDLE key, SignatureAlgorithm alg,
               std::vector<std::uint8_t> spki, std::string source)
      : session_(std::move(session)), key_(key), algorithm_(alg), spki_(std::move(spki)), source_(std::move(source)) {}

  [[nodiscard]] SignatureAlgorithm algorithm() const override { return algorithm_; }
  [[nodiscard]] std::vector<std::uint8_t> public_key_spki_der() const override { return spki_; }
  [[nodiscard]] std::string source() const override { return source_; }

  [[nodiscard]] std::vector<std::uint8_t> sign(Bytes message) override {
    std::vector<std::uint8_t> input;
    CK_MECHANISM mechanism{CKM_EDDSA, nullptr, 0};  // no parameters: pure Ed25519
    std::size_t expected = 64;
    if (algorithm_ == SignatureAlgorithm::ed25519) {
      input.assign(message.begin(), message.end());
    } else {
      // CKM_ECDSA signs a digest the host computes; the token returns r||s, the COSE form.
      const EVP_MD* md = algorithm_ == SignatureAlgorithm::es256 ? EVP_sha256() : EVP_sha384();
      input.resize(static_cast<std::size_t>(EVP_MD_get_size(md)));
      unsigned int length = 0;
      if (EVP_Digest(message.data(), message.size(), input.data(), &length, md, nullptr) != 1) {
        throw UserError(source_ + ": hashing failed: " + openssl_error_text(), kExitEnvironment);
      }
      mechanism.mechanism = CKM_ECDSA;
      expected = algorithm_ == SignatureAlgorithm::es256 ? 64 : 96;
    }
    CK_FUNCTION_LIST* f = session_->f();
    session_->check(f->C_SignInit(session_->handle(), &mechanism, key_), "C_SignInit");
    std::vector<std::uint8_t> signature(expected);
    CK_ULONG length = signature.size();
    // C_Sign with a large-enough buffer is a single call and ends the operation on success/error.
    session_->check(f->C_Sign(session_->handle(), input.data(), input.size(), signature.data(), &length), "C_Sign");
    if (length != expected) {
      throw UserError(source_ + ": the token returned a " + std::to_string(length) + "-byte signature, expected " +
                          std::to_string(expected),
                      kExitEnvironment);
    }
    return signature;
  }

 private:
  std::unique_ptr<Session> session_;
  CK_OBJECT_HANDLE key_;
  SignatureAlgorithm algorithm_;
  std::vector<std::uint8_t> spki_;
  std::string source_;
};

}  // namespace

std::unique_ptr<Signer> open_pkcs11_signer(const Pkcs11Uri& uri) {
  const std::string source = uri.to_string();
  if (uri.type && *uri.type != "private") {
    throw UserError(source + ": type=" + *uri.type + " cannot sign; name the private key (type=private)", kExitInput);
  }
  if (!uri.object && !uri.id) {
    throw UserError(source + ": the URI names no key; add object=<label> and/or id=<bytes>", kExitInput);
  }
  auto session = Session::open(uri, false, source);

  const CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
  const std::vector<CK_OBJECT_HANDLE> keys = session->find_objects(key_selector(uri, private_class));
  if (keys.empty()) {
    throw UserError(source + ": no private key with this object/id in the token (wrong label, or created "
                             "without CKA_PRIVATE login?)",
                    kExitEnvironment);
  }
  if (keys.size() > 1) {
    throw UserError(source + ": " + std::to_string(keys.size()) + " private keys match; add id= to pick one",
                    kExitEnvironment);
  }
  const SignatureAlgorithm alg = algorithm_of(*session, keys[0]);

  // The public half: the public key object with the private key's id (or, without an id, label).
  Pkcs11Uri public_selector;
  public_selector.id = session->attribute(keys[0], CKA_ID);
  if (public_selector.id->empty()) public_selector = uri;
  const CK_OBJECT_CLASS public_class = CKO_PUBLIC_KEY;
  const std::vector<CK_OBJECT_HANDLE> publics = session->find_objects(key_selector(public_selector, public_class));
  if (publics.size() != 1) {
    throw UserError(source + ": expected one public key object beside the private key, found " +
                        std::to_string(publics.size()),
                    kExitEnvironment);
  }
  std::vector<std::uint8_t> spki = spki_for(alg, raw_public_key(*session, session->attribute(publics[0], CKA_EC_POINT), alg));
  if (!evp_pkey_from_spki(spki.data(), spki.size())) {
    throw UserError(source + ": the token's public key is not a valid point: " + openssl_error_text(), kExitEnvironment);
  }
  return std::make_unique<Pkcs11Signer>(std::move(session), keys[0], alg, std::move(spki), source);
}

std::unique_ptr<Signer> generate_pkcs11_keypair(const Pkcs11Uri& uri, SignatureAlgorithm alg) {
  Pkcs11Uri target = uri;
  target.type = "private";
  if (!target.object || target.object->empty()) {
    throw UserError(target.to_string() + ": key generation needs object=<label> in the URI", kExitInput);
  }
  const std::string source = target.to_string();  // before a random id is added: what the user wrote
  if (!target.id) {
    target.id = std::vector<std::uint8_t>(16);
    if (RAND_bytes(target.id->data(), static_cast<int>(target.id->size())) != 1) {
      throw UserError(source + ": no randomness for CKA_ID: " + openssl_error_text(), kExitEnvironment);
    }
  }
  const std::vector<std::uint8_t>* curve = nullptr;
  CK_MECHANISM mechanism{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_KEY_TYPE key_type = CKK_EC;
  switch (alg) {
    case SignatureAlgorithm::es256: curve = &kOidP256; break;
    case SignatureAlgorithm::es384: curve = &kOidP384; break;
    case SignatureAlgorithm::ed25519:
      curve = &kOidEd25519;
      mechanism.mechanism = CKM_EC_EDWARDS_KEY_PAIR_GEN;
      key_type = CKK_EC_EDWARDS;
      break;
    case SignatureAlgorithm::ps256:
      throw UserError(source + ": key generation in a token supports p256, p384 and ed25519, not RSA", kExitInput);
  }
  {
    auto session = Session::open(target, true, source);
    // Labels name keys in URIs; a second key with the same label would make them ambiguous.
    const std::vector<CK_OBJECT_HANDLE> existing =
        session->find_objects({attr(CKA_LABEL, target.object->data(), target.object->size())});
    if (!existing.empty()) {
      throw UserError(source + ": the token already holds an object labelled \"" + *target.object +
                          "\"; choose another object= label or delete the old key",
                      kExitEnvironment);
    }
    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    const std::vector<CK_ATTRIBUTE> public_template{
        attr(CKA_TOKEN, &yes, sizeof(yes)),
        attr(CKA_PRIVATE, &no, sizeof(no)),
        attr(CKA_VERIFY, &yes, sizeof(yes)),
        attr(CKA_KEY_TYPE, &key_type, sizeof(key_type)),
        attr(CKA_EC_PARAMS, curve->data(), curve->size()),
        attr(CKA_LABEL, target.object->data(), target.object->size()),
        attr(CKA_ID, target.id->data(), target.id->size()),
    };
    const std::vector<CK_ATTRIBUTE> private_template{
        attr(CKA_TOKEN, &yes, sizeof(yes)),
        attr(CKA_PRIVATE, &yes, sizeof(yes)),
        attr(CKA_SENSITIVE, &yes, sizeof(yes)),
        attr(CKA_EXTRACTABLE, &no, sizeof(no)),
        attr(CKA_SIGN, &yes, sizeof(yes)),
        attr(CKA_KEY_TYPE, &key_type, sizeof(key_type)),
        attr(CKA_LABEL, target.object->data(), target.object->size()),
        attr(CKA_ID, target.id->data(), target.id->size()),
    };
    CK_OBJECT_HANDLE public_key = 0;
    CK_OBJECT_HANDLE private_key = 0;
    session->check(session->f()->C_GenerateKeyPair(
                       session->handle(), &mechanism, const_cast<CK_ATTRIBUTE*>(public_template.data()),
                       public_template.size(), const_cast<CK_ATTRIBUTE*>(private_template.data()),
                       private_template.size(), &public_key, &private_key),
                   "C_GenerateKeyPair");
  }
  return open_pkcs11_signer(target);
}

}  // namespace ft::keys
