// ft/device/flash.h — the simulated NOR flash of an instrument, with the rules real parts impose,
// and the power supply whose countdown cuts power at one chosen state-changing operation (as
// MCUboot's simulator does).
//
// Rules: erase works on whole sectors and sets them to 0xFF; a write covers whole write units
// (offset and length multiples of write_size) and only units that are fully erased. Writing over
// programmed cells is not a data error but a bug in the code driving the flash: it throws
// FlashModelError. Reads are free.
//
// Power cuts: every write and erase first asks the PowerSupply. When the countdown reaches it, an
// erase does not happen (the model treats a sector erase as atomic) and a write is torn: the first
// half of its write units (rounded down) is programmed, the rest stays erased. Then PowerCut is
// thrown; the flash keeps exactly what was programmed, as a reboot would find it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::device {

// FlashGeometry — sector size, write unit and number of sectors.
struct FlashGeometry {
  std::uint32_t sector_size = 1024;  // bytes per erase sector (a power of two, >= 256)
  std::uint32_t write_size = 8;      // bytes per write unit (a power of two, 1..64, divides sector_size)
  std::uint32_t sector_count = 64;
  // program_chunk — the largest write the drivers issue at once (a flash page); each is one cut point.
  std::uint32_t program_chunk = 256;
  [[nodiscard]] std::uint64_t size() const { return std::uint64_t{sector_size} * sector_count; }
};

// check_geometry throws host::UserError (kExitUsage) naming the field when geometry breaks the
// rules above.
void check_geometry(const FlashGeometry& geometry);

// PowerCut — thrown when the supply cuts power during an operation. what() names the operation.
class PowerCut : public std::runtime_error {
 public:
  PowerCut(const std::string& operation, std::uint64_t number)
      : std::runtime_error("power cut during " + operation + " (operation " + std::to_string(number) + ")"),
        number_(number) {}
  [[nodiscard]] std::uint64_t operation_number() const { return number_; }

 private:
  std::uint64_t number_;
};

// FlashModelError — the driving code broke a flash rule (a bug, never bad input).
class FlashModelError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// PowerSupply — counts state-changing operations (flash writes and erases, TPM NV increments) and,
// when armed, fails the (n+1)-th one. One supply powers a whole device.
class PowerSupply {
 public:
  // cut_after arms the countdown: n operations complete, the next one is cut.
  void cut_after(std::uint64_t n) {
    armed_ = true;
    cut_at_ = operations_ + n + 1;
  }
  // disarm removes the countdown; reset_count also zeroes the operation count.
  void disarm() { armed_ = false; }
  void reset_count() { operations_ = 0; }

  // consume is called before each state-changing operation. Returns true when it may go ahead;
  // false when power fails during it (the caller models the partial effect, then throws
  // PowerCut). The countdown fires once; after a cut the supply stays off (every later call
  // returns false) until restore.
  [[nodiscard]] bool consume(const char* kind = "operation", std::uint64_t where = 0) {
    if (off_) return false;
    ++operations_;
    if (trace_ != nullptr) trace_->push_back(Operation{kind, where});
    if (armed_ && operations_ >= cut_at_) {
      off_ = true;
      armed_ = false;
      return false;
    }
    return true;
  }
  // restore switches power back on (a reboot). An armed countdown that has not fired stays armed.
  void restore() { off_ = false; }

  [[nodiscard]] std::uint64_t operations() const { return operations_; }
  [[nodiscard]] bool off() const { return off_; }

  // Operation — one traced operation: kind ("write", "erase", "tpm_increment") and where (flash
  // offset or sector start offset; 0 for TPM).
  struct Operation {
    const char* kind;
    std::uint64_t where;
  };
  // trace_into records every operation into trace (nullptr stops); the caller owns trace.
  void trace_into(std::vector<Operation>* trace) { trace_ = trace; }

 private:
  std::vector<Operation>* trace_ = nullptr;
  std::uint64_t operations_ = 0;
  std::uint64_t cut_at_ = 0;
  bool armed_ = false;
  bool off_ = false;
};

// FlashStats — how much the flash was used (for reports and wear estimates).
struct FlashStats {
  std::uint64_t writes = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t erases = 0;
};

// Flash — the flash contents in memory. Not thread-safe.
class Flash {
 public:
  // Flash starts fully erased. supply must outlive the flash. Throws host::UserError for a bad
  // geometry.
  Flash(const FlashGeometry& geometry, PowerSupply& supply);

  [[nodiscard]] const FlashGeometry& geometry() const { return geometry_; }

  // read copies out.size() bytes from offset. Throws FlashModelError outside the flash.
  void read(std::uint64_t offset, MutableBytes out) const;
  // view returns the bytes at [offset, offset+size) (valid until the next write or erase).
  [[nodiscard]] Bytes view(std::uint64_t offset, std::uint64_t size) const;

  // write programs data at offset (both aligned to write_size; every unit erased). Throws
  // FlashModelError for a rule violation, PowerCut when the supply fails (a torn write).
  void write(std::uint64_t offset, Bytes data);
  // erase_sector sets sector index to 0xFF. Throws FlashModelError for a bad index, PowerCut when
  // the supply fails (the sector is unchanged).
  void erase_sector(std::uint32_t index);

  // is_erased is true when [offset, offset+size) holds only 0xFF.
  [[nodiscard]] bool is_erased(std::uint64_t offset, std::uint64_t size) const;

  // image returns the whole contents; load_image replaces them (same size, else UserError).
  [[nodiscard]] const std::vector<std::uint8_t>& image() const { return cells_; }
  void load_image(std::vector<std::uint8_t> image);

  [[nodiscard]] const FlashStats& stats() const { return stats_; }
  [[nodiscard]] PowerSupply& supply() { return supply_; }

 private:
  void check_range(std::uint64_t offset, std::uint64_t size, const char* what) const;

  FlashGeometry geometry_;
  PowerSupply& supply_;
  std::vector<std::uint8_t> cells_;
  FlashStats stats_;
};

// save_flash writes the image to path atomically; load_flash reads it and checks its size against
// the geometry. Both throw host::UserError naming the file.
void save_flash(const Flash& flash, const std::string& path);
void load_flash(Flash& flash, const std::string& path);

}  // namespace ft::device
