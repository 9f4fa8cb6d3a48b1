// ft/host/hex.h — hex encoding for output and test data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ft/base/bytes.h"

namespace ft::host {

// to_hex returns lowercase hex of data.
std::string to_hex(Bytes data);

// from_hex decodes hex (either case, even length); nullopt on any other character or odd length.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

}  // namespace ft::host
