// device_internal.h — what the bootloader, the update agent and the rest of Device share
// (internal to ft_device).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ft/device/device.h"
#include "ft/device/slot.h"

namespace ft::device {

// Device::Verification — the parts of a verdict the device acts on (the verdict itself points
// into buffers that do not outlive the check).
struct Device::Verification {
  Status status;
  trust::Stage stage = trust::Stage::envelope;
  std::optional<std::uint64_t> seq;   // when the manifest was reached
  std::string version;                // text section component version, when present
  std::int64_t signer_not_before = 0;  // latest notBefore of the verified supplier signers
};

// max_image_size_for returns the largest image the manifest may declare: what the slot has
// left after the envelope for a detached payload; the slot itself for an integrated one (its
// bytes are inside the envelope, which must fit).
inline std::uint64_t max_image_size_for(const Layout& layout, std::uint64_t envelope_size, bool detached) {
  return detached ? slot_capacity(layout, envelope_size) : layout.size(layout.slot[0]);
}

}  // namespace ft::device
