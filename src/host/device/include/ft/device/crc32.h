// ft/device/crc32.h — CRC-32 (IEEE 802.3, reflected, as zlib computes it) for the flash metadata
// records: it tells a torn or stale record from a complete one. It is not an integrity check
// against an attacker (the signatures are).
#pragma once

#include <cstdint>

#include "ft/base/bytes.h"

namespace ft::device {

// crc32 returns the CRC-32 of data ("123456789" gives 0xCBF43926).
std::uint32_t crc32(Bytes data);

}  // namespace ft::device
