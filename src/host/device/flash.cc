#include "ft/device/flash.h"

#include <algorithm>
#include <cstring>

#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::device {

using host::UserError;

namespace {

bool power_of_two(std::uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

}  // namespace

void check_geometry(const FlashGeometry& g) {
  if (!power_of_two(g.sector_size) || g.sector_size < 256 || g.sector_size > (1u << 20)) {
    throw UserError("flash geometry: sector size " + std::to_string(g.sector_size) + " must be a power of two in 256..1 MiB",
                    host::kExitUsage);
  }
  if (!power_of_two(g.write_size) || g.write_size > 64) {
    throw UserError("flash geometry: write size " + std::to_string(g.write_size) + " must be a power of two in 1..64",
                    host::kExitUsage);
  }
  if (g.sector_count < 8 || g.sector_count > 65536) {
    throw UserError("flash geometry: " + std::to_string(g.sector_count) + " sectors is out of range (8..65536)",
                    host::kExitUsage);
  }
  if (g.program_chunk < g.write_size || g.program_chunk % g.write_size != 0 || g.program_chunk > g.sector_size) {
    throw UserError("flash geometry: program chunk " + std::to_string(g.program_chunk) +
                        " must be a multiple of the write size and at most a sector",
                    host::kExitUsage);
  }
}

Flash::Flash(const FlashGeometry& geometry, PowerSupply& supply) : geometry_(geometry), supply_(supply) {
  check_geometry(geometry);
  cells_.assign(geometry.size(), 0xFF);
}

void Flash::check_range(std::uint64_t offset, std::uint64_t size, const char* what) const {
  if (offset > cells_.size() || size > cells_.size() - offset) {
    throw FlashModelError(std::string("flash ") + what + " outside the flash: offset " + std::to_string(offset) + ", " +
                          std::to_string(size) + " bytes");
  }
}

void Flash::read(std::uint64_t offset, MutableBytes out) const {
  check_range(offset, out.size(), "read");
  std::memcpy(out.data(), cells_.data() + offset, out.size());
}

Bytes Flash::view(std::uint64_t offset, std::uint64_t size) const {
  check_range(offset, size, "read");
  return Bytes(cells_.data() + offset, size);
}

bool Flash::is_erased(std::uint64_t offset, std::uint64_t size) const {
  const Bytes b = view(offset, size);
  return std::all_of(b.begin(), b.end(), [](std::uint8_t c) { return c == 0xFF; });
}

void Flash::write(std::uint64_t offset, Bytes data) {
  check_range(offset, data.size(), "write");
  const std::uint32_t unit = geometry_.write_size;
  if (offset % unit != 0 || data.size() % unit != 0 || data.empty()) {
    throw FlashModelError("flash write at " + std::to_string(offset) + " of " + std::to_string(data.size()) +
                          " bytes is not aligned to the " + std::to_string(unit) + "-byte write unit");
  }
  if (!is_erased(offset, data.size())) {
    throw FlashModelError("flash write at " + std::to_string(offset) + " of " + std::to_string(data.size()) +
                          " bytes programs cells that are not erased");
  }
  std::size_t length = data.size();
  const bool powered = supply_.consume("write", offset);
  if (!powered) length = (data.size() / unit / 2) * unit;  // torn: the first half of the units
  std::memcpy(cells_.data() + offset, data.data(), length);
  ++stats_.writes;
  stats_.bytes_written += length;
  if (!powered) throw PowerCut("flash write at " + std::to_string(offset), supply_.operations());
}

void Flash::erase_sector(std::uint32_t index) {
  if (index >= geometry_.sector_count) {
    throw FlashModelError("flash erase of sector " + std::to_string(index) + " beyond " +
                          std::to_string(geometry_.sector_count) + " sectors");
  }
  if (!supply_.consume("erase", std::uint64_t{index} * geometry_.sector_size)) throw PowerCut("erase of sector " + std::to_string(index), supply_.operations());
  std::fill_n(cells_.begin() + std::uint64_t{index} * geometry_.sector_size, geometry_.sector_size, 0xFF);
  ++stats_.erases;
}

void Flash::load_image(std::vector<std::uint8_t> image) {
  if (image.size() != cells_.size()) {
    throw UserError("flash image has " + std::to_string(image.size()) + " bytes; the geometry says " +
                    std::to_string(cells_.size()));
  }
  cells_ = std::move(image);
}

void save_flash(const Flash& flash, const std::string& path) { host::write_file_atomic(path, Bytes(flash.image())); }

void load_flash(Flash& flash, const std::string& path) {
  auto image = host::read_file(path, flash.geometry().size() + 1);
  try {
    flash.load_image(std::move(image));
  } catch (const UserError& e) {
    throw UserError(path + ": " + e.what());
  }
}

}  // namespace ft::device
