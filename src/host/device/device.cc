// Device: construction, the log, verification of envelopes and slots, status. The bootloader is
// in bootloader.cc, the update agent in update_agent.cc.
#include "ft/device/device.h"

#include <algorithm>
#include <stdexcept>

#include "device_internal.h"
#include "ft/inspect/describe.h"
#include "ft/ledger/device_log.h"
#include "ft/ports/openssl.h"
#include "ft/x509/certificate.h"

namespace ft::device {

namespace kind = ledger::device_kind;

namespace {

// The counter value a record states, if any (what verify_log tracks too).
std::optional<std::uint64_t> stated_counter(const ledger::Record& r) {
  const ledger::Fields& f = r.body.fields;
  if (r.body.kind == kind::kProvisioned) return ledger::field_uint(f, "counter");
  if (r.body.kind == kind::kCounterAdvanced) return ledger::field_uint(f, "to");
  return ledger::field_uint(f, "minimum");
}

std::string version_of(const suit::Manifest& manifest) {
  if (manifest.text.empty()) return "";
  const nlohmann::json text = inspect::describe_text(manifest.text);
  for (const auto& [language, t] : text.items()) {
    if (t.contains("components") && t["components"].is_array() && !t["components"].empty()) {
      return t["components"][0].value("component_version", "");
    }
  }
  return "";
}

}  // namespace

Device::Device(const DeviceConfig& config, DeviceParts parts)
    : config_(config), parts_(parts), layout_(make_layout(config.geometry, config.layout)) {
  if (parts.flash.geometry().size() != config.geometry.size() ||
      parts.flash.geometry().sector_size != config.geometry.sector_size) {
    throw std::logic_error("device: the flash does not have the configured geometry");
  }
  log_ = scan_log(parts_.flash, layout_);
  for (const ledger::Record& r : log_.records) {
    if (const auto c = stated_counter(r)) logged_counter_ = *c;
  }
}

Device::~Device() = default;

void Device::append(const char* record_kind, ledger::Fields fields) {
  const ledger::Record record =
      ledger::make_record(chain_head(log_), parts_.clock.now(), record_kind, fields, parts_.log_signer);
  append_log(parts_.flash, layout_, log_, record);
  if (const auto c = stated_counter(record)) logged_counter_ = *c;
}

void Device::provision() {
  if (!log_.records.empty() || log_.torn_frames > 0) throw std::logic_error("device: already provisioned (the log is not empty)");
  append(kind::kProvisioned, {{"counter", parts_.counter.read()},
                              {"counter_store", std::string(parts_.counter.kind())},
                              {"vendor_id", inspect::uuid_text(config_.vendor_id)},
                              {"class_id", inspect::uuid_text(config_.class_id)}});
}

void Device::reconcile_counter(std::uint64_t counter) {
  if (!logged_counter_) {
    logged_counter_ = counter;
    return;
  }
  if (counter == *logged_counter_) return;
  // from > to would be a counter that went backwards: recorded as it is, so verify_log flags it.
  append(kind::kCounterAdvanced, {{"from", *logged_counter_}, {"to", counter}, {"recovered", true}});
}

std::unique_ptr<Device::Verification> Device::verify(Bytes envelope, suit::PayloadSource* payload, std::uint64_t minimum,
                                                     std::uint64_t max_image_size, const BootControl& control) {
  auto result = std::make_unique<Verification>();
  auto workspace = std::make_unique<trust::Workspace>();
  auto verdict = std::make_unique<trust::Verdict>();
  std::vector<std::uint8_t> scratch(4096);

  trust::Policy policy;
  policy.path.time_mode = config_.policy.time_mode;
  switch (config_.policy.time_mode) {
    case trust::TimeMode::clock: policy.path.time = parts_.clock.now(); break;
    case trust::TimeMode::floor: policy.path.time = control.time_floor; break;
    case trust::TimeMode::none: policy.path.time = 0; break;
  }
  policy.minimum_sequence = minimum;
  policy.require_asset_owner = config_.policy.require_asset_owner;
  policy.allow_raw_keys = config_.policy.allow_raw_keys;
  policy.path.max_intermediates = config_.policy.max_intermediates;

  suit::ProcessOptions options;
  options.expected_vendor_id = config_.vendor_id;
  options.expected_class_id = config_.class_id;
  options.detached_payload = payload;
  options.max_image_size = max_image_size;
  options.require_payload = true;
  options.scratch = scratch;

  result->status = trust::verify_envelope(openssl_crypto(), envelope, parts_.anchors, policy, options, *workspace, *verdict);
  result->stage = verdict->stage;
  if (verdict->stage >= trust::Stage::rollback) {
    result->seq = verdict->sequence_number;
    result->version = version_of(verdict->manifest);
  }
  for (std::size_t i = 0; i < verdict->signature_count; ++i) {
    const trust::SignatureResult& s = verdict->signatures[i];
    if (s.error.code != Code::ok || s.role != trust::Role::supplier || s.leaf.empty()) continue;
    const auto leaf = x509::parse_certificate(s.leaf);
    if (leaf.ok()) result->signer_not_before = std::max(result->signer_not_before, leaf->not_before);
  }
  return result;
}

std::unique_ptr<Device::Verification> Device::verify_slot(int slot, std::uint64_t minimum, const BootControl& control) {
  const auto contents = read_slot(parts_.flash, layout_, slot);
  if (!contents) {
    auto empty = std::make_unique<Verification>();
    empty->status = Status(Code::suit_not_envelope, "the slot holds no complete envelope");
    empty->stage = trust::Stage::envelope;
    return empty;
  }
  // A copy: the verdict must not depend on flash that a later write could change.
  const Bytes stored = parts_.flash.view(contents->envelope_offset, contents->envelope_size);
  const std::vector<std::uint8_t> envelope(stored.begin(), stored.end());
  FlashPayload payload(parts_.flash, *contents);
  return verify(envelope, contents->payload_size > 0 ? &payload : nullptr, minimum,
                max_image_size_for(layout_, envelope.size(), contents->payload_size > 0), control);
}

int Device::install_target(const BootControl& control) const {
  if (running_) return 1 - running_->slot;
  if (control.preferred >= 0 && control.state[control.preferred] == SlotState::confirmed) return 1 - control.preferred;
  for (int s = 0; s < kSlotCount; ++s) {
    if (control.state[s] == SlotState::confirmed) return 1 - s;
  }
  return 0;
}

SlotInfo Device::check_slot(int slot, std::uint64_t minimum) {
  SlotInfo info;
  const BootControlState bc = read_boot_control(parts_.flash, layout_);
  info.state = bc.control.state[slot];
  if (const auto contents = read_slot(parts_.flash, layout_, slot)) {
    info.has_contents = true;
    info.envelope_size = contents->envelope_size;
    info.payload_size = contents->payload_size;
  }
  const auto v = verify_slot(slot, minimum, bc.control);
  info.verdict = v->status.code();
  info.stage = trust::stage_name(v->stage);
  info.seq = v->seq;
  info.version = v->version;
  return info;
}

DeviceStatus Device::status() {
  DeviceStatus st;
  st.boot_control = read_boot_control(parts_.flash, layout_);
  st.counter = parts_.counter.read();
  for (int s = 0; s < kSlotCount; ++s) st.slots[s] = check_slot(s, st.counter);
  st.running = running_;
  st.log_records = log_.records.size();
  if (!log_.records.empty()) st.log_last_seq = log_.records.back().body.seq;
  st.log_torn_frames = log_.torn_frames;
  st.log_rotated = log_.rotated;
  return st;
}

}  // namespace ft::device
