#include "ft/keys/software_signer.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sys/stat.h>

#include <cstring>
#include <string_view>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/keys/ecdsa_encoding.h"

namespace ft::keys {

namespace {

using host::kExitEnvironment;
using host::kExitInput;
using host::UserError;

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using UniqueBio = std::unique_ptr<BIO, BioFree>;
using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// classify returns the algorithm a private key signs with; throws for keys FieldTrust does not
// sign with (other curves, RSA under 2048 bits, DSA, X25519...).
SignatureAlgorithm classify(EVP_PKEY* key, const std::string& source) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: {
      char group[64] = {};
      std::size_t length = 0;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                         &length) != 1) {
        throw UserError(source + ": EC key without a named curve is not supported", kExitInput);
      }
      if (std::strcmp(group, "prime256v1") == 0) return SignatureAlgorithm::es256;
      if (std::strcmp(group, "secp384r1") == 0) return SignatureAlgorithm::es384;
      throw UserError(source + ": EC curve " + group + " is not supported (use P-256 or P-384)",
                      kExitInput);
    }
    case EVP_PKEY_ED25519:
      return SignatureAlgorithm::ed25519;
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key) < 2048) {
        throw UserError(source + ": RSA key of " + std::to_string(EVP_PKEY_get_bits(key)) +
                            " bits is too short (at least 2048, 3072 recommended)",
                        kExitInput);
      }
      return SignatureAlgorithm::ps256;
    default:
      throw UserError(source + ": key type " + OBJ_nid2sn(EVP_PKEY_get_base_id(key)) +
                          " is not supported (use EC P-256/P-384, Ed25519 or RSA)",
                      kExitInput);
  }
}

const EVP_MD* digest_for(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::es256:
    case SignatureAlgorithm::ps256: return EVP_sha256();
    case SignatureAlgorithm::es384: return EVP_sha384();
    case SignatureAlgorithm::ed25519: return nullptr;  // PureEdDSA hashes internally
  }
  return nullptr;
}

// refuse_password is OpenSSL's pem_password_cb: returning -1 makes encrypted keys fail instead
// of prompting on the terminal.
int refuse_password(char*, int, int, void*) { return -1; }

}  // namespace

SoftwareSigner::SoftwareSigner(UniqueEvpPkey key, std::string source)
    : key_(std::move(key)), source_(std::move(source)), algorithm_(classify(key_.get(), source_)) {}

std::vector<std::uint8_t> SoftwareSigner::sign(Bytes message) {
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pkey_ctx = nullptr;  // owned by ctx
  bool ok = ctx != nullptr &&
            EVP_DigestSignInit(ctx.get(), &pkey_ctx, digest_for(algorithm_), nullptr, key_.get()) == 1;
  if (ok && algorithm_ == SignatureAlgorithm::ps256) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pkey_ctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, 32) == 1;
  }
  std::size_t length = 0;
  ok = ok && EVP_DigestSign(ctx.get(), nullptr, &length, message.data(), message.size()) == 1;
  std::vector<std::uint8_t> signature(length);
  ok = ok && EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) == 1;
  if (!ok) {
    throw UserError(source_ + ": signing failed: " + openssl_error_text(), kExitEnvironment);
  }
  signature.resize(length);
  if (algorithm_ == SignatureAlgorithm::es256 || algorithm_ == SignatureAlgorithm::es384) {
    const std::size_t field = algorithm_ == SignatureAlgorithm::es256 ? 32 : 48;
    auto rs = ecdsa_der_to_p1363(signature, field);
    if (!rs) throw UserError(source_ + ": OpenSSL returned a malformed ECDSA signature", kExitEnvironment);
    return std::move(*rs);
  }
  return signature;
}

std::vector<std::uint8_t> SoftwareSigner::public_key_spki_der() const {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key_.get(), &der);
  if (length <= 0) {
    throw UserError(source_ + ": cannot encode the public key: " + openssl_error_text(), kExitEnvironment);
  }
  std::vector<std::uint8_t> out(der, der + length);
  OPENSSL_free(der);
  return out;
}

std::string SoftwareSigner::private_key_pem(SecretAccess) const {
  UniqueBio bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw UserError(source_ + ": cannot encode the private key: " + openssl_error_text(), kExitEnvironment);
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::unique_ptr<SoftwareSigner> generate_software_signer(SignatureAlgorithm alg, std::string source) {
  EVP_PKEY* key = nullptr;
  switch (alg) {
    case SignatureAlgorithm::es256: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"); break;
    case SignatureAlgorithm::es384: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384"); break;
    case SignatureAlgorithm::ed25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    case SignatureAlgorithm::ps256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(3072));
      break;
  }
  if (key == nullptr) {
    throw UserError(source + ": key generation (" + key_algorithm_name(alg) + ") failed: " +
                        openssl_error_text(),
                    kExitEnvironment);
  }
  return std::make_unique<SoftwareSigner>(UniqueEvpPkey(key), std::move(source));
}

std::unique_ptr<SoftwareSigner> load_pem_signer(const std::string& path, const SignerOptions& options) {
  std::vector<std::uint8_t> pem = host::read_file(path, 1 << 20);
  struct Cleanse {  // the file holds a secret: wipe our copy however we leave
    std::vector<std::uint8_t>& data;
    ~Cleanse() { OPENSSL_cleanse(data.data(), data.size()); }
  } cleanse{pem};

  struct stat st {};
  if (options.warn && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
    options.warn(path + ": private key file is readable by " +
                 ((st.st_mode & 007) != 0 ? "everyone" : "its group") + " (mode " + mode +
                 "); restrict it with chmod 600");
  }

  const std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());  // no copy of the secret
  if (text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
      text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos) {
    throw UserError(path + ": private key is encrypted; fieldtrust reads unencrypted PEM keys only "
                           "(keep the key in a PKCS#11 token, or decrypt it to a 0600 file)",
                    kExitInput);
  }
  if (text.find("-----BEGIN") == std::string_view::npos) {
    throw UserError(path + ": not a PEM file (no -----BEGIN line); expected a PEM private key", kExitInput);
  }
  if (text.find("PRIVATE KEY-----") == std::string_view::npos) {
    throw UserError(path + ": holds no private key (a certificate or public key?); expected "
                           "\"PRIVATE KEY\", \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\"",
                    kExitInput);
  }
  UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_password, nullptr) : nullptr;
  if (key == nullptr) {
    throw UserError(path + ": private key does not parse: " + openssl_error_text(), kExitInput);
  }
  return std::make_unique<SoftwareSigner>(UniqueEvpPkey(key), path);
}

}  // namespace ft::keys
