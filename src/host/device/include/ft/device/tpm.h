// ft/device/tpm.h — the hardware root of trust through tpm2-tss (Esys API): an NV counter index
// as the anti-rollback counter, and a TPM-resident ECC P-256 key as the device identity that
// signs the log. Works with any TCTI; the tests use swtpm ("swtpm:host=127.0.0.1,port=P").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ft/device/counter_store.h"
#include "ft/device/flash.h"
#include "ft/keys/signer.h"

namespace ft::device {

// TpmConnection — an open Esys context over a TCTI. Opening runs TPM2_Startup(CLEAR) (an
// already started TPM is fine) and flushes transient objects left by earlier connections (a
// power cycle would have cleared them). Closing finalizes the context. Throws host::UserError
// (kExitEnvironment) naming the TCTI and the TSS error when the TPM cannot be reached.
class TpmConnection {
 public:
  explicit TpmConnection(const std::string& tcti);
  ~TpmConnection();
  TpmConnection(const TpmConnection&) = delete;
  TpmConnection& operator=(const TpmConnection&) = delete;

  [[nodiscard]] const std::string& tcti() const { return tcti_; }
  // esys returns the ESYS_CONTEXT* (void* here so that users need not include tss2 headers).
  [[nodiscard]] void* esys() const { return esys_; }

 private:
  std::string tcti_;
  void* tcti_context_ = nullptr;
  void* esys_ = nullptr;
};

// kDefaultNvIndex — the owner-range NV index FieldTrust uses unless told otherwise.
inline constexpr std::uint32_t kDefaultNvIndex = 0x01500100;

// TpmCounterStore — CounterStore on a TPM2_NT_COUNTER NV index (owner hierarchy, empty auth).
// An NV counter only counts up by one (TPM2_NV_Increment); advance(to) increments until the
// value reaches `to`, asking supply (when given) before each increment, so a power cut can leave
// any value between the old one and `to`. A counter never incremented reads as 0; the TPM
// initializes it on its first increment to the highest value any counter ever had, so on a TPM
// that held other counters the first advance may overshoot (reported by read).
class TpmCounterStore final : public CounterStore {
 public:
  // TpmCounterStore uses nv_index on tpm (which must outlive it). Throws host::UserError when the
  // index is not defined or is not a counter (define_counter makes it).
  TpmCounterStore(TpmConnection& tpm, std::uint32_t nv_index, PowerSupply* supply = nullptr);

  // define_counter defines nv_index as an 8-byte NV counter unless it already is one. Returns true
  // when it was created. Throws host::UserError when the index exists with other attributes.
  static bool define_counter(TpmConnection& tpm, std::uint32_t nv_index);

  [[nodiscard]] std::uint64_t read() override;
  void advance(std::uint64_t to) override;
  [[nodiscard]] const char* kind() const override { return "tpm"; }
  [[nodiscard]] std::uint64_t increments() const { return increments_; }
  // attach sets the power supply asked before each increment (nullptr: none).
  void attach(PowerSupply* supply) { supply_ = supply; }

 private:
  TpmConnection& tpm_;
  std::uint32_t nv_index_;
  std::uint32_t handle_ = 0;  // ESYS_TR of the index
  PowerSupply* supply_;
  std::uint64_t increments_ = 0;
};

// TpmSigner — a keys::Signer whose ECC P-256 key lives in the TPM: a primary key under the owner
// hierarchy created from a fixed template (sign-only, ECDSA-SHA256, fixedTPM), so the same TPM
// and label give the same key after every restart; the private key never leaves the TPM.
// label distinguishes devices sharing one TPM (its SHA-256 is the template's unique field).
// sign hashes on the host and signs the digest with TPM2_Sign. Throws host::UserError
// (kExitEnvironment) when the TPM fails.
class TpmSigner final : public keys::Signer {
 public:
  TpmSigner(TpmConnection& tpm, const std::string& label);
  ~TpmSigner() override;

  [[nodiscard]] keys::SignatureAlgorithm algorithm() const override { return keys::SignatureAlgorithm::es256; }
  [[nodiscard]] std::vector<std::uint8_t> sign(Bytes message) override;
  [[nodiscard]] std::vector<std::uint8_t> public_key_spki_der() const override { return spki_; }
  [[nodiscard]] std::string source() const override;

 private:
  TpmConnection& tpm_;
  std::string label_;
  std::uint32_t key_ = 0;  // ESYS_TR of the loaded primary
  std::vector<std::uint8_t> spki_;
};

}  // namespace ft::device
