// ft/ledger/record_signer.h — what authenticates log records: an ECDSA P-256 key (any
// keys::Signer: PEM file, PKCS#11 token, or a TPM-resident device identity key) or an HMAC key.
#pragma once

#include <cstdint>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/keys/signer.h"

namespace ft::ledger {

// RecordSigner — authenticates the signing input of a record (ft/ledger/record.h signing_input).
// alg is the COSE algorithm it produces (kAlgEs256 or kAlgHmac256). sign throws what the
// underlying key source throws (host::UserError naming the source).
class RecordSigner {
 public:
  virtual ~RecordSigner() = default;
  [[nodiscard]] virtual std::int64_t alg() const = 0;
  [[nodiscard]] virtual std::vector<std::uint8_t> sign(Bytes message) = 0;
};

// KeyRecordSigner — records signed with ES256 by a keys::Signer it does not own (the signer must
// outlive it). Throws host::UserError (kExitInput) when the key is not EC P-256.
class KeyRecordSigner final : public RecordSigner {
 public:
  explicit KeyRecordSigner(keys::Signer& signer);
  [[nodiscard]] std::int64_t alg() const override;
  [[nodiscard]] std::vector<std::uint8_t> sign(Bytes message) override;

 private:
  keys::Signer& signer_;
};

// HmacRecordSigner — "MAC'd" records: HMAC-SHA256 with a shared secret of at least 32 bytes.
// Throws host::UserError (kExitInput) for a shorter key.
class HmacRecordSigner final : public RecordSigner {
 public:
  explicit HmacRecordSigner(std::vector<std::uint8_t> key);
  [[nodiscard]] std::int64_t alg() const override;
  [[nodiscard]] std::vector<std::uint8_t> sign(Bytes message) override;

 private:
  std::vector<std::uint8_t> key_;
};

// hmac_sha256 returns HMAC-SHA256(key, message). Throws host::UserError (kExitEnvironment) when
// OpenSSL fails.
std::vector<std::uint8_t> hmac_sha256(Bytes key, Bytes message);

}  // namespace ft::ledger
