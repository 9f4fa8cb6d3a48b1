#include "ft/ledger/record_signer.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ft/host/error.h"
#include "ft/ledger/record.h"

namespace ft::ledger {

using host::UserError;

KeyRecordSigner::KeyRecordSigner(keys::Signer& signer) : signer_(signer) {
  if (signer.algorithm() != keys::SignatureAlgorithm::es256) {
    throw UserError(signer.source() + ": log records are signed with ES256; this key signs " +
                    keys::algorithm_name(signer.algorithm()) + " (use an EC P-256 key)");
  }
}

std::int64_t KeyRecordSigner::alg() const { return kAlgEs256; }

std::vector<std::uint8_t> KeyRecordSigner::sign(Bytes message) { return signer_.sign(message); }

HmacRecordSigner::HmacRecordSigner(std::vector<std::uint8_t> key) : key_(std::move(key)) {
  if (key_.size() < 32) {
    throw UserError("log MAC key: " + std::to_string(key_.size()) + " bytes is too short (at least 32)");
  }
}

std::int64_t HmacRecordSigner::alg() const { return kAlgHmac256; }

std::vector<std::uint8_t> HmacRecordSigner::sign(Bytes message) { return hmac_sha256(key_, message); }

std::vector<std::uint8_t> hmac_sha256(Bytes key, Bytes message) {
  std::vector<std::uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), out.data(), &len) ==
      nullptr) {
    throw UserError("HMAC-SHA256 failed in OpenSSL", host::kExitEnvironment);
  }
  out.resize(len);
  return out;
}

}  // namespace ft::ledger
