#include "ft/device/slot.h"

#include <algorithm>
#include <cstring>

#include "be.h"
#include "ft/device/crc32.h"

namespace ft::device {

namespace {

constexpr std::uint8_t kMagic[4] = {'F', 'T', 'S', 'L'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kCrcOffset = 28;

std::uint64_t header_span(const Layout& layout) { return round_up(kSlotHeaderSize, layout.geometry.write_size); }

// program writes data at offset in program_chunk pieces; the tail is padded with 0xFF to a whole
// write unit (padding with the erased value keeps the cells as they were).
void program(Flash& flash, std::uint64_t offset, Bytes data) {
  const std::uint32_t chunk = flash.geometry().program_chunk;
  const std::uint32_t unit = flash.geometry().write_size;
  std::vector<std::uint8_t> piece;
  for (std::uint64_t done = 0; done < data.size(); done += chunk) {
    const std::uint64_t n = std::min<std::uint64_t>(chunk, data.size() - done);
    piece.assign(data.begin() + static_cast<std::ptrdiff_t>(done), data.begin() + static_cast<std::ptrdiff_t>(done + n));
    piece.resize(round_up(n, unit), 0xFF);
    flash.write(offset + done, piece);
  }
}

}  // namespace

std::uint64_t slot_capacity(const Layout& layout, std::uint64_t envelope_size) {
  const std::uint64_t total = layout.size(layout.slot[0]);
  const std::uint64_t used = header_span(layout) + round_up(envelope_size, layout.geometry.write_size);
  return used > total ? 0 : total - used;
}

std::optional<SlotContents> read_slot(const Flash& flash, const Layout& layout, int slot) {
  const Region& region = layout.slot[slot];
  const std::uint64_t base = layout.offset(region);
  const Bytes h = flash.view(base, kSlotHeaderSize);
  if (std::memcmp(h.data(), kMagic, 4) != 0 || h[4] != kVersion) return std::nullopt;
  if (get_be(h.data() + kCrcOffset, 4) != crc32(h.first(kCrcOffset))) return std::nullopt;
  SlotContents c;
  c.envelope_size = static_cast<std::uint32_t>(get_be(h.data() + 8, 4));
  c.payload_size = static_cast<std::uint32_t>(get_be(h.data() + 12, 4));
  c.envelope_offset = base + header_span(layout);
  c.payload_offset = c.envelope_offset + round_up(c.envelope_size, layout.geometry.write_size);
  if (c.envelope_size == 0 || c.payload_size > slot_capacity(layout, c.envelope_size)) return std::nullopt;
  return c;
}

SlotContents write_slot(Flash& flash, const Layout& layout, int slot, Bytes envelope, Bytes payload) {
  if (envelope.empty() || payload.size() > slot_capacity(layout, envelope.size())) {
    throw FlashModelError("slot contents do not fit the slot (the update agent must check the size first)");
  }
  const Region& region = layout.slot[slot];
  const std::uint64_t base = layout.offset(region);
  SlotContents c;
  c.envelope_size = static_cast<std::uint32_t>(envelope.size());
  c.payload_size = static_cast<std::uint32_t>(payload.size());
  c.envelope_offset = base + header_span(layout);
  c.payload_offset = c.envelope_offset + round_up(envelope.size(), layout.geometry.write_size);
  const std::uint64_t end = c.payload_offset + round_up(payload.size(), layout.geometry.write_size);
  const std::uint32_t sector_size = layout.geometry.sector_size;
  const std::uint64_t sectors = (end - base + sector_size - 1) / sector_size;
  for (std::uint64_t s = 0; s < sectors; ++s) {
    const std::uint64_t at = base + s * sector_size;
    if (!flash.is_erased(at, sector_size)) flash.erase_sector(static_cast<std::uint32_t>(region.first_sector + s));
  }
  program(flash, c.envelope_offset, envelope);
  if (!payload.empty()) program(flash, c.payload_offset, payload);
  std::vector<std::uint8_t> header(header_span(layout), 0);
  std::memcpy(header.data(), kMagic, 4);
  header[4] = kVersion;
  put_be(header.data() + 8, c.envelope_size, 4);
  put_be(header.data() + 12, c.payload_size, 4);
  put_be(header.data() + kCrcOffset, crc32(Bytes(header.data(), kCrcOffset)), 4);
  flash.write(base, header);
  return c;
}

Status FlashPayload::read(std::uint64_t offset, MutableBytes out, Bytes& /*data: filled in out*/) {
  if (offset > contents_.payload_size || out.size() > contents_.payload_size - offset) {
    return Status(Code::invalid_argument, "read beyond the slot payload");
  }
  flash_.read(contents_.payload_offset + offset, out);
  return Status();
}

Status MemoryPayload::read(std::uint64_t offset, MutableBytes out, Bytes& data) {
  if (offset > data_.size() || out.size() > data_.size() - offset) {
    return Status(Code::invalid_argument, "read beyond the payload");
  }
  data = data_.subspan(static_cast<std::size_t>(offset), out.size());  // lent: the bytes are in memory
  return Status();
}

}  // namespace ft::device
