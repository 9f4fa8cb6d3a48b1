// ft/device/device_dir.h — a simulated instrument whose state lives in a directory a user can
// inspect (docs/device.md):
//
//   device.json              what the device is: identity, flash geometry and layout, policy,
//                            counter store, anchors (format "fieldtrust-device/1")
//   flash.bin                the flash image, exactly what the flash holds
//   ram.json                 the RAM state (which image runs, on trial or not); gone after a
//                            power cut, written by a boot
//   anchors/supplier/*.pem   provisioned trust anchors per role (EDR 3.12 / 3.13)
//   anchors/asset-owner/*.pem
//   anchors/identity-root.pem  the root the device identity certificate chains to (for log verify)
//   identity/device.pem, identity/device-chain.pem, identity/device.key.pem (0600; not in TPM mode)
//
// A command opens the directory, works on the Device and saves flash.bin and ram.json — also
// after a simulated power cut, which keeps what the flash held at the cut and drops the RAM state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ft/device/device.h"
#include "ft/device/flash_counter.h"
#include "ft/device/tpm.h"
#include "ft/keys/signer.h"
#include "ft/verify/anchors.h"

namespace ft::device {

// ProvisionOptions — `device init`.
struct ProvisionOptions {
  std::string directory;
  FlashGeometry geometry;          // sector_count is computed from the layout when 0
  LayoutConfig layout;
  std::string vendor_domain;       // vendor ID = UUIDv5(DNS, domain)
  std::string model;               // class ID = UUIDv5(vendor ID, model)
  DevicePolicy policy;
  std::vector<std::string> supplier_anchors;  // files (any form verify::AnchorSet reads)
  std::vector<std::string> owner_anchors;
  std::string identity_root;       // the root certificate of the device identity (log verification)
  // Software identity: the device-identity key and its chain (leaf first).
  std::string identity_key;
  std::string identity_chain;
  // TPM: counter and identity key in the TPM behind tpm_tcti. The identity certificate is issued
  // for the TPM key by identity_ca (certificate) with identity_ca_key (key spec).
  std::optional<std::string> tpm_tcti;
  std::uint32_t nv_index = kDefaultNvIndex;
  std::string identity_ca;
  std::string identity_ca_key;
  std::string serial = "0001";     // device serial: identity subject and TPM key label
  std::int64_t now = 0;            // time of the provisioning record
  bool force = false;
};

// ProvisionResult — what init wrote and found.
struct ProvisionResult {
  std::vector<std::string> files;
  std::uint64_t counter = 0;
  std::string identity_subject;
};

// provision_device creates the directory and everything in it, and writes the log's first record.
// Throws host::UserError: kExitUsage for bad options or an existing device without force,
// kExitInput for unreadable anchors or keys, kExitEnvironment for TPM failures.
ProvisionResult provision_device(const ProvisionOptions& options);

// DeviceDirectory — an opened device. Not copyable.
class DeviceDirectory {
 public:
  // DeviceDirectory reads device.json, the anchors, flash.bin and ram.json, opens the identity
  // key (file or TPM) and the counter store, with the device clock at now. Throws host::UserError
  // naming the file and field that is wrong (kExitInput), kExitEnvironment for the TPM.
  DeviceDirectory(const std::string& directory, std::int64_t now);
  ~DeviceDirectory();
  DeviceDirectory(const DeviceDirectory&) = delete;
  DeviceDirectory& operator=(const DeviceDirectory&) = delete;

  [[nodiscard]] Device& device() { return *device_; }
  [[nodiscard]] PowerSupply& supply() { return supply_; }
  [[nodiscard]] const Flash& flash() const { return *flash_; }
  [[nodiscard]] const std::string& path() const { return directory_; }
  [[nodiscard]] const DeviceConfig& config() const { return config_; }
  [[nodiscard]] std::string counter_kind() const { return counter_->kind(); }
  [[nodiscard]] const std::string& identity_kind() const { return identity_kind_; }

  // save writes flash.bin and ram.json atomically.
  void save();
  // power_cut saves flash.bin as it is and removes ram.json (the RAM state is lost).
  void power_cut();

 private:
  std::string directory_;
  DeviceConfig config_;
  verify::AnchorSet anchors_;
  PowerSupply supply_;
  std::unique_ptr<Flash> flash_;
  Layout layout_;
  std::unique_ptr<TpmConnection> tpm_;
  std::unique_ptr<CounterStore> counter_;
  std::unique_ptr<keys::Signer> identity_;
  std::unique_ptr<ledger::RecordSigner> log_signer_;
  std::string identity_kind_;
  FixedClock clock_;
  std::unique_ptr<Device> device_;
};

// read_running / write_running — ram.json ({"running": {"slot": "A", "seq": 2, "trial": true}}).
std::optional<Running> read_running(const std::string& directory);
void write_running(const std::string& directory, const std::optional<Running>& running);

}  // namespace ft::device
