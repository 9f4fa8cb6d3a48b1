#include "ft/device/layout.h"

#include "ft/host/error.h"

namespace ft::device {

Layout make_layout(const FlashGeometry& geometry, const LayoutConfig& config) {
  check_geometry(geometry);
  if (config.slot_sectors < 2) throw host::UserError("flash layout: a slot needs at least 2 sectors", host::kExitUsage);
  if (config.log_sectors < 2) throw host::UserError("flash layout: the log needs at least 2 sectors", host::kExitUsage);
  const std::uint64_t needed = 4ull + config.log_sectors + 2ull * config.slot_sectors;
  if (needed > geometry.sector_count) {
    throw host::UserError("flash layout: needs " + std::to_string(needed) + " sectors (4 metadata, " +
                              std::to_string(config.log_sectors) + " log, 2 x " + std::to_string(config.slot_sectors) +
                              " slots) but the flash has " + std::to_string(geometry.sector_count),
                          host::kExitUsage);
  }
  Layout l;
  l.geometry = geometry;
  l.boot_control[0] = {0, 1};
  l.boot_control[1] = {1, 1};
  l.counter[0] = {2, 1};
  l.counter[1] = {3, 1};
  l.log = {4, config.log_sectors};
  l.slot[0] = {4 + config.log_sectors, config.slot_sectors};
  l.slot[1] = {4 + config.log_sectors + config.slot_sectors, config.slot_sectors};
  return l;
}

const char* slot_name(int slot) { return slot == 0 ? "A" : "B"; }

}  // namespace ft::device
