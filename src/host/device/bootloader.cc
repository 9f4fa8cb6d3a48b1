// Device::boot — the bootloader: choose the slot, verify it, handle trials, boot.
#include <vector>

#include "device_internal.h"
#include "ft/ledger/device_log.h"

namespace ft::device {

namespace kind = ledger::device_kind;

BootOutcome Device::boot() {
  BootOutcome out;
  running_.reset();
  BootControl control = read_boot_control(parts_.flash, layout_).control;
  std::uint64_t minimum = parts_.counter.read();
  reconcile_counter(minimum);

  // A trial that was booted and not confirmed before this boot failed its trial, when there is a
  // confirmed slot to fall back to. Without one it is tried again (a first installation).
  for (int s = 0; s < kSlotCount; ++s) {
    if (control.state[s] != SlotState::trial) continue;
    const int other = 1 - s;
    if (control.state[other] != SlotState::confirmed || !verify_slot(other, minimum, control)->status.ok()) continue;
    control.state[s] = SlotState::rejected;
    control = write_boot_control(parts_.flash, layout_, control);
    append(kind::kBootFailed, {{"slot", std::string(slot_name(s))}, {"reason", std::string("trial_not_confirmed")},
                               {"minimum", minimum}});
    out.events.push_back(std::string("slot ") + slot_name(s) + ": trial not confirmed, reverted");
  }

  // Candidates: a newly installed slot (boots on trial), a trial being retried, then the
  // confirmed slots, the most recently confirmed (the newest) first.
  std::vector<int> candidates;
  for (const SlotState wanted : {SlotState::installed, SlotState::trial}) {
    for (int s = 0; s < kSlotCount; ++s) {
      if (control.state[s] == wanted) candidates.push_back(s);
    }
  }
  if (control.preferred >= 0 && control.state[control.preferred] == SlotState::confirmed) {
    candidates.push_back(control.preferred);
  }
  for (int s = 0; s < kSlotCount; ++s) {
    if (control.state[s] == SlotState::confirmed && s != control.preferred) candidates.push_back(s);
  }

  for (const int s : candidates) {
    const SlotState state = control.state[s];
    const auto v = verify_slot(s, minimum, control);
    const std::string name = slot_name(s);
    if (!v->status.ok()) {
      if (state == SlotState::installed || state == SlotState::trial) {
        control.state[s] = SlotState::rejected;
        control = write_boot_control(parts_.flash, layout_, control);
      }
      if (v->status.code() == Code::trust_rollback) {
        append(kind::kRollbackBlocked, {{"slot", name}, {"offered", v->seq.value_or(0)}, {"minimum", minimum},
                                        {"reason", std::string(code_name(Code::trust_rollback))}});
      } else {
        append(kind::kBootFailed, {{"slot", name}, {"reason", std::string(code_name(v->status.code()))},
                                   {"stage", std::string(trust::stage_name(v->stage))}, {"minimum", minimum}});
      }
      out.events.push_back("slot " + name + ": " + code_name(v->status.code()) + " (" + v->status.error().message + ")");
      continue;
    }
    const std::uint64_t seq = v->seq.value_or(0);
    bool trial = false;
    if (state == SlotState::installed) {
      control.state[s] = SlotState::trial;
      control = write_boot_control(parts_.flash, layout_, control);
      trial = true;
    } else if (state == SlotState::trial) {
      trial = true;
      out.events.push_back("slot " + name + ": unconfirmed trial retried (no confirmed slot to fall back to)");
    } else if (seq > minimum) {
      // Confirmed but the counter never followed (power cut inside confirm): finish it now.
      parts_.counter.advance(seq);
      append(kind::kCounterAdvanced, {{"from", minimum}, {"to", seq}});
      out.events.push_back("counter advanced from " + std::to_string(minimum) + " to " + std::to_string(seq) +
                           " (confirmation completed)");
      minimum = seq;
    }
    append(kind::kBootVerified, {{"slot", name}, {"seq", seq}, {"minimum", minimum}, {"trial", trial},
                                 {"version", v->version}});
    running_ = Running{s, seq, trial};
    out.booted = true;
    out.slot = s;
    out.seq = seq;
    out.trial = trial;
    out.minimum = minimum;
    return out;
  }
  append(kind::kBootFailed, {{"reason", std::string("no_bootable_image")}, {"minimum", minimum}});
  out.events.push_back("no bootable image");
  out.minimum = minimum;
  return out;
}

}  // namespace ft::device
