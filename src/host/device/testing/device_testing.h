// device_testing.h — what the device tests share: development PKIs, signed releases, a simulated
// device that can be cut and rebooted, and the invariants every state must satisfy.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ft/device/device.h"
#include "ft/device/flash_counter.h"
#include "ft/keys/signer.h"
#include "ft/ledger/record_signer.h"
#include "ft/ledger/verify_log.h"
#include "ft/sign/envelope_builder.h"
#include "ft/verify/anchors.h"

namespace ft::device::testing {

inline constexpr char kVendorDomain[] = "acme-instruments.example";
inline constexpr char kModel[] = "PT-3051";

// TempDir — a directory removed at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "ft-device");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Pki — `pki init` into a subdirectory of a TempDir. A leaf_not_after in the past makes expired
// leaves (the expired-signer attack).
class Pki {
 public:
  explicit Pki(const std::string& organization = "ACME Instruments",
               std::optional<std::time_t> leaf_not_after = std::nullopt);
  [[nodiscard]] std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

 private:
  TempDir dir_;
};

// Signing — a loaded signing identity (key + chain).
class Signing {
 public:
  // Signing opens key and chain (leaf first; empty chain_path: raw key).
  Signing(const std::string& key_path, const std::string& chain_path);
  [[nodiscard]] const sign::SigningIdentity& identity() const { return identity_; }

 private:
  std::unique_ptr<keys::Signer> signer_;
  sign::SigningIdentity identity_;
};

// ReleaseSpec — what to build.
struct ReleaseSpec {
  std::uint64_t seq = 1;
  std::size_t image_size = 2048;
  bool detached = true;
  std::string model = kModel;
  std::optional<std::uint64_t> declared_size;  // manifest image-size, when it should lie
};

// Release — an envelope and its image.
struct Release {
  std::uint64_t seq = 0;
  std::vector<std::uint8_t> envelope;
  std::vector<std::uint8_t> image;
  bool detached = true;
  [[nodiscard]] std::optional<Bytes> payload() const {
    return detached ? std::optional<Bytes>(Bytes(image)) : std::nullopt;
  }
};

// make_release signs a release of spec with signers (in order; empty: no signature at all).
Release make_release(const ReleaseSpec& spec, const std::vector<const Signing*>& signers);

// strip_signatures returns envelope with every COSE_Sign1 removed from its authentication wrapper
// (the digest stays), or with the whole wrapper removed: unsigned envelopes, as an attacker
// without a key would send them.
std::vector<std::uint8_t> strip_signatures(Bytes envelope, bool remove_wrapper = false);

// test_config returns the small geometry the tests use: 1 KiB sectors, 8-byte write units,
// 256-byte program chunks, 6-sector slots, a 6-sector log, 24 sectors.
DeviceConfig test_config(trust::TimeMode time_mode = trust::TimeMode::clock, bool require_owner = false);

// SimDevice — a device on a simulated flash: power supply, flash, counter store (flash-backed
// unless an external one is given), clock and the Device object, which reboot() rebuilds.
class SimDevice {
 public:
  SimDevice(const DeviceConfig& config, const verify::AnchorSet& anchors, ledger::RecordSigner& log_signer,
            CounterStore* external_counter = nullptr);

  [[nodiscard]] Device& device() { return *device_; }
  [[nodiscard]] Flash& flash() { return flash_; }
  [[nodiscard]] PowerSupply& supply() { return supply_; }
  [[nodiscard]] CounterStore& counter() { return *counter_; }
  [[nodiscard]] FixedClock& clock() { return clock_; }

  // reboot restores power and builds a new Device on the same flash (RAM state is lost).
  void reboot();
  // snapshot / restore — the flash and the RAM state (an external counter is not part of it).
  struct Snapshot {
    std::vector<std::uint8_t> flash;
    std::optional<Running> running;
  };
  [[nodiscard]] Snapshot snapshot() const;
  void restore(const Snapshot& snapshot);

 private:
  DeviceConfig config_;
  const verify::AnchorSet& anchors_;
  ledger::RecordSigner& log_signer_;
  PowerSupply supply_;
  Flash flash_;
  Layout layout_;
  std::unique_ptr<FlashCounterStore> flash_counter_;
  CounterStore* counter_;
  FixedClock clock_;
  std::unique_ptr<Device> device_;
};

// Lab — everything most device tests need: a supplier PKI (its root is the device's supplier
// anchor and the device identity's root), the device identity key, and releases 1..5.
class Lab {
 public:
  Lab();
  [[nodiscard]] const Pki& pki() const { return pki_; }
  [[nodiscard]] const Signing& supplier() const { return supplier_; }
  [[nodiscard]] const verify::AnchorSet& anchors() const { return anchors_; }
  [[nodiscard]] ledger::RecordSigner& log_signer() { return *log_signer_; }
  [[nodiscard]] ledger::LogKey log_key() const;
  // release returns the authentic release with sequence number seq (1..5), built on first use.
  [[nodiscard]] const Release& release(std::uint64_t seq);
  // is_authentic is true when envelope is one of the releases this lab signed, or one passed to
  // add_authentic (other authentic releases a test made).
  [[nodiscard]] bool is_authentic(Bytes envelope) const;
  void add_authentic(Bytes envelope) { extra_.emplace_back(envelope.begin(), envelope.end()); }

 private:
  Pki pki_;
  Signing supplier_;
  verify::AnchorSet anchors_;
  std::unique_ptr<keys::Signer> identity_;
  std::unique_ptr<ledger::RecordSigner> log_signer_;
  std::vector<std::optional<Release>> releases_;
  std::vector<std::vector<std::uint8_t>> extra_;
};

// InvariantOptions — what a state is checked against.
struct InvariantOptions {
  std::uint64_t counter_before = 0;   // the counter may not be below this
  bool expect_booted = true;          // a confirmed release existed, so something must boot
  bool booted = false;                // boot() was just called and reported this
};

// check_invariants checks the device as it is now: the counter has not decreased; when running,
// the image is one of the lab's authentic releases and not below the minimum; no slot holding a
// release below the minimum verifies (it could never boot); the log (with any torn tail) verifies
// with only a truncated tail or a rotated head allowed, and ends with the counter's value.
::testing::AssertionResult check_invariants(SimDevice& sim, const Lab& lab, const ledger::LogKey& key,
                                            const InvariantOptions& options);

// verify_device_log exports the device's log from flash (records and torn tail, as a CBOR
// sequence), reads it back and verifies it.
ledger::LogReport verify_device_log(const Flash& flash, const Layout& layout, const ledger::LogKey& key);

// bring_up installs, boots and confirms release on sim (no cuts), asserting each step.
void bring_up(SimDevice& sim, const Release& release);

}  // namespace ft::device::testing
