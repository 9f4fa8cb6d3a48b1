// ft/device/slot.h — what a slot holds: a header, the SUIT envelope, and (for a detached payload)
// the image, each starting on a write-unit boundary.
//
// Header (32 bytes): "FTSL", version 1, 3 reserved, envelope length (u32), payload length (u32),
// 12 reserved, CRC-32 of the first 28 bytes. The header is written last, so a slot with a valid
// header holds complete data as it was written (whether that data verifies is the verifier's
// question, asked on every boot).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/device/flash.h"
#include "ft/device/layout.h"
#include "ft/suit/suit.h"

namespace ft::device {

inline constexpr std::size_t kSlotHeaderSize = 32;

// SlotContents — where the parts of a slot are.
struct SlotContents {
  std::uint64_t envelope_offset = 0;  // absolute flash offsets
  std::uint32_t envelope_size = 0;
  std::uint64_t payload_offset = 0;
  std::uint32_t payload_size = 0;     // 0: the payload is integrated in the envelope
};

// slot_capacity returns how many bytes of envelope plus payload fit in a slot of layout
// (after the header and alignment of both parts).
std::uint64_t slot_capacity(const Layout& layout, std::uint64_t envelope_size);

// read_slot returns the slot's contents when its header is valid and in bounds.
std::optional<SlotContents> read_slot(const Flash& flash, const Layout& layout, int slot);

// write_slot erases the sectors the new contents need, programs envelope and payload in
// program_chunk pieces, then the header. Throws PowerCut, or FlashModelError when the contents do
// not fit (the update agent checks slot_capacity first).
SlotContents write_slot(Flash& flash, const Layout& layout, int slot, Bytes envelope, Bytes payload);

// FlashPayload — suit::PayloadSource over a slot's image in flash.
class FlashPayload final : public suit::PayloadSource {
 public:
  FlashPayload(const Flash& flash, const SlotContents& contents) : flash_(flash), contents_(contents) {}
  [[nodiscard]] std::uint64_t size() const override { return contents_.payload_size; }
  [[nodiscard]] Bytes view() const override { return flash_.view(contents_.payload_offset, contents_.payload_size); }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override;

 private:
  const Flash& flash_;
  SlotContents contents_;
};

// MemoryPayload — suit::PayloadSource over bytes in memory (an offered image).
class MemoryPayload final : public suit::PayloadSource {
 public:
  explicit MemoryPayload(Bytes data) : data_(data) {}
  [[nodiscard]] std::uint64_t size() const override { return data_.size(); }
  [[nodiscard]] Bytes view() const override { return data_; }
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override;

 private:
  Bytes data_;
};

}  // namespace ft::device
