// be.h — big-endian field packing for the flash metadata formats (internal to ft_device).
#pragma once

#include <cstdint>

namespace ft::device {

inline void put_be(std::uint8_t* out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(value);
    value >>= 8;
  }
}

inline std::uint64_t get_be(const std::uint8_t* in, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | in[i];
  return v;
}

// round_up returns value rounded up to a multiple of unit (a power of two).
inline std::uint64_t round_up(std::uint64_t value, std::uint64_t unit) { return (value + unit - 1) & ~(unit - 1); }

}  // namespace ft::device
