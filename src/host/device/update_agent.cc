// Device::install and Device::confirm — the update agent and the firmware's confirmation.
#include <stdexcept>

#include "device_internal.h"
#include "ft/host/hex.h"
#include "ft/ledger/device_log.h"
#include "ft/ports/openssl.h"

namespace ft::device {

namespace kind = ledger::device_kind;

namespace {

std::string sha256_hex(Bytes data) {
  Digest d;
  if (!digest(openssl_crypto(), HashAlg::sha256, data, d).ok()) throw std::runtime_error("SHA-256 failed in the crypto port");
  return host::to_hex(d.bytes());
}

}  // namespace

InstallOutcome Device::reject(InstallOutcome out, std::uint64_t minimum, std::optional<std::uint64_t> seq) {
  if (out.code == Code::trust_rollback) {
    append(kind::kRollbackBlocked, {{"offered", seq.value_or(0)}, {"minimum", minimum},
                                    {"reason", std::string(code_name(out.code))}});
  } else {
    ledger::Fields fields{{"reason", std::string(code_name(out.code))}, {"stage", out.stage}, {"minimum", minimum}};
    if (seq) fields["seq"] = *seq;
    append(kind::kUpdateRejected, fields);
  }
  return out;
}

InstallOutcome Device::install(Bytes envelope, std::optional<Bytes> payload) {
  InstallOutcome out;
  BootControl control = read_boot_control(parts_.flash, layout_).control;
  const std::uint64_t minimum = parts_.counter.read();
  reconcile_counter(minimum);
  const Bytes image = payload.value_or(Bytes());
  append(kind::kUpdateOffered, {{"envelope_sha256", sha256_hex(envelope)},
                                {"envelope_size", std::uint64_t{envelope.size()}},
                                {"payload_size", std::uint64_t{image.size()}}});

  if (running_ && running_->trial) {
    out.code = Code::trust_policy;
    out.stage = "state";
    out.message = std::string("a trial image runs in slot ") + slot_name(running_->slot) +
                  "; confirm it (device confirm) or reboot to revert it before installing";
    return reject(out, minimum, std::nullopt);
  }
  const int target = install_target(control);
  out.slot = target;

  // Sizes first: nothing is hashed or written for an image that cannot fit.
  const std::uint64_t capacity = slot_capacity(layout_, envelope.size());
  if (capacity == 0 || image.size() > capacity) {
    out.code = Code::suit_image_too_large;
    out.stage = "size";
    out.message = "envelope (" + std::to_string(envelope.size()) + " bytes) and image (" + std::to_string(image.size()) +
                  " bytes) do not fit slot " + slot_name(target) + " (" + std::to_string(layout_.size(layout_.slot[target])) +
                  " bytes)";
    return reject(out, minimum, std::nullopt);
  }

  MemoryPayload offered(image);
  const auto v = verify(envelope, payload ? &offered : nullptr, minimum,
                        max_image_size_for(layout_, envelope.size(), payload.has_value()), control);
  out.seq = v->seq.value_or(0);
  if (!v->status.ok()) {
    out.code = v->status.code();
    out.stage = trust::stage_name(v->stage);
    out.message = v->status.error().message;
    return reject(out, minimum, v->seq);
  }

  // The target slot stops being bootable before it is rewritten.
  if (control.state[target] != SlotState::empty) {
    control.state[target] = SlotState::empty;
    if (control.preferred == target) control.preferred = -1;
    control = write_boot_control(parts_.flash, layout_, control);
  }
  write_slot(parts_.flash, layout_, target, envelope, image);

  // What the bootloader will read is what counts: verify the slot as stored.
  const auto stored = verify_slot(target, minimum, control);
  if (!stored->status.ok()) {
    out.code = stored->status.code();
    out.stage = "flash";
    out.message = std::string("the slot as written does not verify: ") + stored->status.error().message;
    return reject(out, minimum, stored->seq);
  }
  control.state[target] = SlotState::installed;
  control = write_boot_control(parts_.flash, layout_, control);
  append(kind::kUpdateInstalled, {{"slot", std::string(slot_name(target))}, {"seq", out.seq}, {"version", v->version}});
  out.installed = true;
  out.message = std::string("installed in slot ") + slot_name(target) + "; it boots on trial at the next boot";
  return out;
}

ConfirmOutcome Device::confirm() {
  if (!running_) throw std::logic_error("device: not running (boot it first)");
  ConfirmOutcome out;
  out.slot = running_->slot;
  out.seq = running_->seq;
  const std::uint64_t counter = parts_.counter.read();
  reconcile_counter(counter);
  out.counter_from = out.counter_to = counter;
  if (!running_->trial) {
    out.already = true;
    out.message = std::string("slot ") + slot_name(out.slot) + " is already confirmed";
    return out;
  }
  BootControl control = read_boot_control(parts_.flash, layout_).control;
  const auto v = verify_slot(out.slot, counter, control);
  if (!v->status.ok()) {
    // The image booted a moment ago; failing now means the flash changed under it.
    out.message = std::string("the running image no longer verifies: ") + v->status.error().message;
    append(kind::kUpdateRejected, {{"reason", std::string(code_name(v->status.code()))}, {"stage", std::string("confirm")},
                                   {"minimum", counter}, {"slot", std::string(slot_name(out.slot))}});
    return out;
  }
  control.state[out.slot] = SlotState::confirmed;
  control.preferred = out.slot;
  control.time_floor = std::max(control.time_floor, v->signer_not_before);
  control = write_boot_control(parts_.flash, layout_, control);
  append(kind::kUpdateConfirmed, {{"slot", std::string(slot_name(out.slot))}, {"seq", out.seq}});
  if (out.seq > counter) {
    parts_.counter.advance(out.seq);
    append(kind::kCounterAdvanced, {{"from", counter}, {"to", out.seq}});
    out.counter_to = out.seq;
  }
  running_->trial = false;
  out.confirmed = true;
  out.message = std::string("slot ") + slot_name(out.slot) + " confirmed";
  return out;
}

}  // namespace ft::device
