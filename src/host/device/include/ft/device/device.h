// ft/device/device.h — the simulated field instrument: a bootloader (boot) and an update agent
// (install, confirm) over a flash with A/B slots, a redundant boot-control record, an
// anti-rollback counter store and a signed rollback-protection log. Every decision the device
// takes is a log record (ft/ledger/device_log.h).
//
// The rules (DESIGN.md, issue 3):
//  - boot: the newest slot that verifies (ft::trust::verify_envelope with the provisioned anchors
//    per role and the device policy) and whose sequence number is at least the stored minimum.
//    A newly installed slot boots on trial; a trial that was not confirmed before the next boot
//    is rejected and the previous confirmed slot boots (a trial with nothing to fall back to is
//    tried again). A confirmed slot above the counter (a power cut between confirmation and the
//    counter update) advances the counter before it boots.
//  - install: the inactive slot only; sizes are checked before anything is written (the slot,
//    and the manifest's image-size through the verifier's max_image_size); the envelope is
//    verified before writing and again from flash before the slot is marked installed. Refused
//    while a trial image runs (confirm it or reboot first).
//  - confirm: the running trial image becomes confirmed; then the counter advances to its
//    sequence number. The minimum thus moves only after verification and confirmation, and never
//    decreases (CounterStore::advance never lowers).
//  - time: clock (the device clock), floor (the boot-control time floor, raised at each
//    confirmation to the confirmed signer's notBefore), or none.
//
// Power cuts: every flash write/erase and TPM counter increment may throw PowerCut; the Device
// object must then be dropped (its RAM is gone) and a new one built on the same flash — a reboot.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ft/device/boot_control.h"
#include "ft/device/counter_store.h"
#include "ft/device/flash.h"
#include "ft/device/flash_log.h"
#include "ft/device/layout.h"
#include "ft/ledger/record_signer.h"
#include "ft/trust/verifier.h"

namespace ft::device {

// Clock — the device's idea of the time (Unix seconds).
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual std::int64_t now() = 0;
};

// FixedClock — a clock that moves only when told (tests, `--at`).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t t) : t_(t) {}
  [[nodiscard]] std::int64_t now() override { return t_; }
  void set(std::int64_t t) { t_ = t; }

 private:
  std::int64_t t_;
};

// DevicePolicy — what the bootloader and update agent demand of an envelope.
struct DevicePolicy {
  trust::TimeMode time_mode = trust::TimeMode::clock;
  bool require_asset_owner = false;
  bool allow_raw_keys = true;
  std::size_t max_intermediates = 3;
};

// DeviceConfig — what the device is and how its flash is laid out.
struct DeviceConfig {
  FlashGeometry geometry;
  LayoutConfig layout;
  std::array<std::uint8_t, 16> vendor_id{};
  std::array<std::uint8_t, 16> class_id{};
  DevicePolicy policy;
};

// DeviceParts — the hardware and provisioning a device runs with. Nothing is owned; everything
// must outlive the Device. anchors' spans point into caller storage (e.g. verify::AnchorSet).
struct DeviceParts {
  Flash& flash;
  CounterStore& counter;
  ledger::RecordSigner& log_signer;
  trust::Anchors anchors;
  Clock& clock;
};

// Running — the image the device runs after a boot (its RAM state).
struct Running {
  int slot = 0;
  std::uint64_t seq = 0;
  bool trial = false;
};

// BootOutcome — what boot did.
struct BootOutcome {
  bool booted = false;
  int slot = -1;
  std::uint64_t seq = 0;
  bool trial = false;
  std::uint64_t minimum = 0;          // the counter when the image was chosen
  std::vector<std::string> events;    // e.g. "slot B: trial not confirmed, rejected"
};

// InstallOutcome — what install did. code is ok when the slot was written and marked installed,
// else the reason (an ft/base/error.h code: the verifier's, suit_image_too_large for an image
// that does not fit the slot, trust_policy while a trial image runs).
struct InstallOutcome {
  bool installed = false;
  int slot = -1;
  std::uint64_t seq = 0;
  Code code = Code::ok;
  std::string stage;    // the verifier's stage, "size" or "state"
  std::string message;
};

// ConfirmOutcome — what confirm did.
struct ConfirmOutcome {
  bool confirmed = false;       // the running trial image is now confirmed
  bool already = false;         // it was confirmed before (nothing changed)
  int slot = -1;
  std::uint64_t seq = 0;
  std::uint64_t counter_from = 0, counter_to = 0;
  std::string message;
};

// SlotInfo — a slot as the bootloader sees it now.
struct SlotInfo {
  SlotState state = SlotState::empty;
  bool has_contents = false;
  std::uint32_t envelope_size = 0, payload_size = 0;
  Code verdict = Code::ok;          // verify_envelope under the current policy and minimum
  std::string stage;
  std::optional<std::uint64_t> seq;  // when the manifest was read
  std::string version;               // text section component version, when present
};

// DeviceStatus — everything `device status` reports.
struct DeviceStatus {
  BootControlState boot_control;
  SlotInfo slots[kSlotCount];
  std::uint64_t counter = 0;
  std::optional<Running> running;
  std::size_t log_records = 0;
  std::optional<std::uint64_t> log_last_seq;
  std::size_t log_torn_frames = 0;
  bool log_rotated = false;
};

class Device {
 public:
  // Device reads the boot-control record and the log (no writes). Throws host::UserError for a
  // bad geometry or layout.
  Device(const DeviceConfig& config, DeviceParts parts);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // provision writes the log's first record (kind provisioned: counter, store, vendor and class
  // IDs). Call once on a blank device; throws std::logic_error when the log is not empty.
  void provision();

  // boot runs the bootloader (see the rules above). Throws PowerCut.
  BootOutcome boot();

  // install hands an envelope (and its detached image, if any) to the update agent. Every
  // outcome is logged. Throws PowerCut.
  InstallOutcome install(Bytes envelope, std::optional<Bytes> payload = std::nullopt);

  // confirm confirms the running trial image (the firmware's "I work" call). Throws PowerCut;
  // std::logic_error when the device is not running.
  ConfirmOutcome confirm();

  // running / set_running — the RAM state (the CLI keeps it in a file between commands).
  [[nodiscard]] const std::optional<Running>& running() const { return running_; }
  void set_running(std::optional<Running> running) { running_ = running; }

  // status inspects everything without writing.
  [[nodiscard]] DeviceStatus status();

  // check_slot verifies a slot's contents under the policy with the given minimum (the
  // bootloader's own check; tests use it to show that nothing below the minimum can boot).
  [[nodiscard]] SlotInfo check_slot(int slot, std::uint64_t minimum);

  // log returns the log as scanned at start and extended since.
  [[nodiscard]] const LogScan& log() const { return log_; }
  [[nodiscard]] const Layout& layout() const { return layout_; }
  [[nodiscard]] const DeviceConfig& config() const { return config_; }
  [[nodiscard]] CounterStore& counter() { return parts_.counter; }

 private:
  struct Verification;

  void append(const char* kind, ledger::Fields fields);
  // reconcile_counter logs counter_advanced when the counter moved without a record of it (a
  // power cut between the advance and its record).
  void reconcile_counter(std::uint64_t counter);
  std::unique_ptr<Verification> verify(Bytes envelope, suit::PayloadSource* payload, std::uint64_t minimum,
                                       std::uint64_t max_image_size, const BootControl& control);
  std::unique_ptr<Verification> verify_slot(int slot, std::uint64_t minimum, const BootControl& control);
  int install_target(const BootControl& control) const;
  InstallOutcome reject(InstallOutcome outcome, std::uint64_t minimum, std::optional<std::uint64_t> seq);

  DeviceConfig config_;
  DeviceParts parts_;
  Layout layout_;
  LogScan log_;
  std::optional<std::uint64_t> logged_counter_;  // the counter value the log ends with
  std::optional<Running> running_;
};

}  // namespace ft::device
