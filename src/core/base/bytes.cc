#include "ft/base/bytes.h"

namespace ft {

bool constant_time_equal(Bytes a, Bytes b) {
  if (a.size() != b.size()) return false;
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
  return diff == 0;
}

// One comparison loop in flash for both: the answer is the same, and for data that is no secret
// the constant-time loop only forgoes the early exit (flash, docs/embedded.md).
bool bytes_equal(Bytes a, Bytes b) { return constant_time_equal(a, b); }

bool Reader::peek_u8(std::uint8_t& out) const {
  if (rest_.empty()) return false;
  out = rest_[0];
  return true;
}

bool Reader::get_u8(std::uint8_t& out) {
  if (!peek_u8(out)) return false;
  rest_ = rest_.subspan(1);
  return true;
}

bool Reader::get_be(std::size_t n, std::uint64_t& out) {
  if (n == 0 || n > 8 || rest_.size() < n) return false;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | rest_[i];
  out = v;
  rest_ = rest_.subspan(n);
  return true;
}

bool Reader::get_bytes(std::size_t n, Bytes& out) {
  if (rest_.size() < n) return false;
  out = rest_.first(n);
  rest_ = rest_.subspan(n);
  return true;
}

bool Reader::skip(std::size_t n) {
  Bytes ignored;
  return get_bytes(n, ignored);
}

}  // namespace ft
