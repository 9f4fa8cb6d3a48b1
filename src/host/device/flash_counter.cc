#include "ft/device/flash_counter.h"

#include <vector>

#include "be.h"
#include "ft/device/crc32.h"

namespace ft::device {

namespace {

constexpr std::uint8_t kMagic0 = 'F', kMagic1 = 'C';

bool decode_entry(Bytes e, std::uint64_t& value) {
  if (e[0] != kMagic0 || e[1] != kMagic1) return false;
  if (get_be(e.data() + 12, 4) != crc32(e.first(12))) return false;
  value = get_be(e.data() + 4, 8);
  return true;
}

}  // namespace

std::uint64_t FlashCounterStore::entry_stride() const {
  return round_up(kCounterEntrySize, flash_.geometry().write_size);
}

FlashCounterStore::Scan FlashCounterStore::scan() const {
  Scan best;
  const std::uint64_t stride = entry_stride();
  for (int s = 0; s < 2; ++s) {
    const Region& r = layout_.counter[s];
    const std::uint64_t base = layout_.offset(r);
    const std::uint64_t entries = layout_.size(r) / stride;
    std::uint64_t used = 0;  // entries up to the last programmed one (torn ones included)
    std::uint64_t sector_max = 0;
    bool any_valid = false;
    for (std::uint64_t i = 0; i < entries; ++i) {
      const Bytes e = flash_.view(base + i * stride, kCounterEntrySize);
      if (!flash_.is_erased(base + i * stride, stride)) used = i + 1;
      std::uint64_t v = 0;
      if (decode_entry(e, v)) {
        any_valid = true;
        if (v > sector_max) sector_max = v;
      }
    }
    if (any_valid && (best.sector < 0 || sector_max > best.value)) {
      best.value = sector_max;
      best.sector = s;
      best.next_entry = used;
    }
  }
  return best;
}

std::uint64_t FlashCounterStore::read() { return scan().value; }

void FlashCounterStore::advance(std::uint64_t to) {
  const Scan current = scan();
  if (to <= current.value) return;
  const std::uint64_t stride = entry_stride();
  const std::uint64_t entries_per_sector = layout_.size(layout_.counter[0]) / stride;
  int sector = current.sector < 0 ? 0 : current.sector;
  std::uint64_t position = current.sector < 0 ? 0 : current.next_entry;
  if (current.sector < 0 || position >= entries_per_sector) {
    // Start over in the other sector (or the first, on a blank device). The sector erased here
    // never holds the highest value, so an interruption cannot lower the counter.
    if (current.sector >= 0) sector = 1 - current.sector;
    const Region& r = layout_.counter[sector];
    if (!flash_.is_erased(layout_.offset(r), layout_.size(r))) flash_.erase_sector(r.first_sector);
    position = 0;
  }
  std::vector<std::uint8_t> entry(stride, 0);
  entry[0] = kMagic0;
  entry[1] = kMagic1;
  put_be(entry.data() + 4, to, 8);
  put_be(entry.data() + 12, crc32(Bytes(entry.data(), 12)), 4);
  flash_.write(layout_.offset(layout_.counter[sector]) + position * stride, entry);
}

}  // namespace ft::device
