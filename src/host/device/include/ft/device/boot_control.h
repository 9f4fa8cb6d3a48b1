// ft/device/boot_control.h — the redundant boot-control record: the state of each slot, the slot
// confirmed last, and the trusted time floor. Two copies in two sectors, each with a sequence
// number and a CRC-32; the newest valid copy wins. An update erases and rewrites the other copy,
// so a power cut at any point leaves either the old record or the new one.
#pragma once

#include <cstdint>

#include "ft/device/flash.h"
#include "ft/device/layout.h"

namespace ft::device {

// SlotState — what the bootloader may do with a slot.
enum class SlotState : std::uint8_t {
  empty = 0,      // nothing bootable (or being rewritten)
  installed = 1,  // written and verified by the update agent; boots on trial next time
  trial = 2,      // booted once on trial; a reboot before confirmation reverts it
  confirmed = 3,  // the running firmware confirmed it
  rejected = 4,   // failed verification or its trial; never booted again
};

// slot_state_name returns "empty", "installed", "trial", "confirmed", "rejected".
const char* slot_state_name(SlotState state);

// BootControl — the record.
struct BootControl {
  std::uint32_t sequence = 0;  // record number: the newest valid copy wins
  SlotState state[kSlotCount] = {SlotState::empty, SlotState::empty};
  int preferred = -1;          // the slot confirmed most recently; -1 for none
  std::int64_t time_floor = 0;  // trusted time floor (TimeMode::floor): never decreases
  bool operator==(const BootControl&) const = default;
};

// BootControlState — what reading found.
struct BootControlState {
  BootControl control;  // the newest valid copy, or a blank record (sequence 0) when none is valid
  int copy = -1;        // the copy it came from, -1 when none was valid
  bool valid[2] = {false, false};
};

inline constexpr std::size_t kBootControlRecordSize = 32;

// read_boot_control returns the newest valid copy.
BootControlState read_boot_control(const Flash& flash, const Layout& layout);

// write_boot_control stores next (its sequence is set to the current one plus 1) into the copy
// that does not hold the newest record: erase (skipped when already erased), then one write.
// Returns the record written. Throws PowerCut (the old record stays valid) or FlashModelError.
BootControl write_boot_control(Flash& flash, const Layout& layout, BootControl next);

// encode_boot_control / decode_boot_control are the 32-byte record format (exposed for tests):
// "FTBC", version 1, state A, state B, preferred (0xFF none), sequence (u32), time floor (i64),
// 8 reserved zero bytes, CRC-32 of the first 28 bytes (big-endian).
void encode_boot_control(const BootControl& control, std::uint8_t out[kBootControlRecordSize]);
bool decode_boot_control(Bytes record, BootControl& out);

}  // namespace ft::device
