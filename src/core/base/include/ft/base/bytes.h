// ft/base/bytes.h — byte spans and the bounds-checked, zero-copy cursor every core parser stands on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ft {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

// bytes_equal returns true when a and b hold the same bytes (for data that is no secret; it runs
// constant_time_equal, so flash holds one comparison loop).
bool bytes_equal(Bytes a, Bytes b);

// constant_time_equal compares without data-dependent branches (for digests and MACs).
bool constant_time_equal(Bytes a, Bytes b);

// Reader — a cursor over a byte span. Every getter either takes bytes off the front and returns
// true, or returns false and leaves the cursor where it was. Sub-spans point into the same buffer.
class Reader {
 public:
  constexpr Reader() = default;
  constexpr explicit Reader(Bytes data) : rest_(data) {}

  [[nodiscard]] constexpr std::size_t remaining() const { return rest_.size(); }
  [[nodiscard]] constexpr bool empty() const { return rest_.empty(); }
  [[nodiscard]] constexpr Bytes rest() const { return rest_; }

  [[nodiscard]] bool peek_u8(std::uint8_t& out) const;
  [[nodiscard]] bool get_u8(std::uint8_t& out);
  // get_be reads an n-byte (1..8) big-endian unsigned integer.
  [[nodiscard]] bool get_be(std::size_t n, std::uint64_t& out);
  [[nodiscard]] bool get_bytes(std::size_t n, Bytes& out);
  [[nodiscard]] bool skip(std::size_t n);

 private:
  Bytes rest_;
};

}  // namespace ft
