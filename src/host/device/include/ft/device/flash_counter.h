// ft/device/flash_counter.h — the anti-rollback counter in two flash sectors.
//
// Each advance appends one 16-byte entry ("FC", reserved, value u64, CRC-32) to the sector that
// holds the highest value; when that sector is full, the other sector is erased and the entry
// goes there. The value is the highest valid entry of both sectors, so a power cut during an
// erase or a torn entry leaves the previous value, and no step can lower it.
#pragma once

#include "ft/device/counter_store.h"
#include "ft/device/flash.h"
#include "ft/device/layout.h"

namespace ft::device {

inline constexpr std::size_t kCounterEntrySize = 16;

class FlashCounterStore final : public CounterStore {
 public:
  // FlashCounterStore uses layout.counter of flash (both must outlive it).
  FlashCounterStore(Flash& flash, const Layout& layout) : flash_(flash), layout_(layout) {}

  [[nodiscard]] std::uint64_t read() override;
  void advance(std::uint64_t to) override;
  [[nodiscard]] const char* kind() const override { return "flash"; }

 private:
  struct Scan {
    std::uint64_t value = 0;
    int sector = -1;               // counter sector holding the value (-1: none written)
    std::uint64_t next_entry = 0;  // first unused entry position in that sector
  };
  [[nodiscard]] Scan scan() const;
  [[nodiscard]] std::uint64_t entry_stride() const;

  Flash& flash_;
  const Layout& layout_;
};

}  // namespace ft::device
