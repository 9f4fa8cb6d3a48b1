// ft/device/layout.h — how the flash is divided: two boot-control sectors, two counter sectors,
// the log area, and the A and B slots (each holding an envelope and its image).
//
//   sector 0          boot-control record, copy 0
//   sector 1          boot-control record, copy 1
//   sectors 2, 3      anti-rollback counter (flash-backed store; unused with a TPM counter)
//   log_sectors       the rollback-protection log (a ring of sectors)
//   slot_sectors      slot A
//   slot_sectors      slot B
// Sectors after slot B are unused.
#pragma once

#include <cstdint>

#include "ft/device/flash.h"

namespace ft::device {

// Region — a run of whole sectors.
struct Region {
  std::uint32_t first_sector = 0;
  std::uint32_t sector_count = 0;
};

// LayoutConfig — the sizes a user chooses (in sectors).
struct LayoutConfig {
  std::uint32_t slot_sectors = 8;
  std::uint32_t log_sectors = 4;
};

inline constexpr int kSlotCount = 2;

// Layout — the regions of one flash.
struct Layout {
  FlashGeometry geometry;
  Region boot_control[2];
  Region counter[2];
  Region log;
  Region slot[kSlotCount];

  [[nodiscard]] std::uint64_t offset(const Region& r) const { return std::uint64_t{r.first_sector} * geometry.sector_size; }
  [[nodiscard]] std::uint64_t size(const Region& r) const { return std::uint64_t{r.sector_count} * geometry.sector_size; }
};

// make_layout places the regions on geometry. Throws host::UserError (kExitUsage) when they do not
// fit, or when a slot has fewer than 2 sectors or the log fewer than 2.
Layout make_layout(const FlashGeometry& geometry, const LayoutConfig& config);

// slot_name returns "A" or "B".
const char* slot_name(int slot);

}  // namespace ft::device
