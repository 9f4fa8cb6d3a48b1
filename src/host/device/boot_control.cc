#include "ft/device/boot_control.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "be.h"
#include "ft/device/crc32.h"

namespace ft::device {

namespace {

constexpr std::uint8_t kMagic[4] = {'F', 'T', 'B', 'C'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kCrcOffset = 28;

}  // namespace

const char* slot_state_name(SlotState state) {
  switch (state) {
    case SlotState::empty: return "empty";
    case SlotState::installed: return "installed";
    case SlotState::trial: return "trial";
    case SlotState::confirmed: return "confirmed";
    case SlotState::rejected: return "rejected";
  }
  return "unknown";
}

void encode_boot_control(const BootControl& c, std::uint8_t out[kBootControlRecordSize]) {
  std::memset(out, 0, kBootControlRecordSize);
  std::memcpy(out, kMagic, 4);
  out[4] = kVersion;
  out[5] = static_cast<std::uint8_t>(c.state[0]);
  out[6] = static_cast<std::uint8_t>(c.state[1]);
  out[7] = c.preferred < 0 ? 0xFF : static_cast<std::uint8_t>(c.preferred);
  put_be(out + 8, c.sequence, 4);
  put_be(out + 12, static_cast<std::uint64_t>(c.time_floor), 8);
  put_be(out + kCrcOffset, crc32(Bytes(out, kCrcOffset)), 4);
}

bool decode_boot_control(Bytes record, BootControl& out) {
  if (record.size() < kBootControlRecordSize) return false;
  const std::uint8_t* p = record.data();
  if (std::memcmp(p, kMagic, 4) != 0 || p[4] != kVersion) return false;
  if (get_be(p + kCrcOffset, 4) != crc32(Bytes(p, kCrcOffset))) return false;
  BootControl c;
  for (int s = 0; s < kSlotCount; ++s) {
    const std::uint8_t v = p[5 + s];
    if (v > static_cast<std::uint8_t>(SlotState::rejected)) return false;
    c.state[s] = static_cast<SlotState>(v);
  }
  if (p[7] != 0xFF && p[7] >= kSlotCount) return false;
  c.preferred = p[7] == 0xFF ? -1 : p[7];
  c.sequence = static_cast<std::uint32_t>(get_be(p + 8, 4));
  c.time_floor = static_cast<std::int64_t>(get_be(p + 12, 8));
  out = c;
  return true;
}

BootControlState read_boot_control(const Flash& flash, const Layout& layout) {
  BootControlState st;
  BootControl copies[2];
  for (int i = 0; i < 2; ++i) {
    st.valid[i] = decode_boot_control(flash.view(layout.offset(layout.boot_control[i]), kBootControlRecordSize), copies[i]);
  }
  if (st.valid[0] && (!st.valid[1] || copies[0].sequence >= copies[1].sequence)) {
    st.copy = 0;
  } else if (st.valid[1]) {
    st.copy = 1;
  }
  if (st.copy >= 0) st.control = copies[st.copy];
  return st;
}

BootControl write_boot_control(Flash& flash, const Layout& layout, BootControl next) {
  const BootControlState current = read_boot_control(flash, layout);
  next.sequence = current.control.sequence + 1;
  const int target = current.copy == 0 ? 1 : 0;
  const Region& region = layout.boot_control[target];
  const std::uint64_t offset = layout.offset(region);
  if (!flash.is_erased(offset, layout.size(region))) flash.erase_sector(region.first_sector);
  std::vector<std::uint8_t> unit(round_up(kBootControlRecordSize, flash.geometry().write_size), 0);
  encode_boot_control(next, unit.data());
  flash.write(offset, unit);
  return next;
}

}  // namespace ft::device
