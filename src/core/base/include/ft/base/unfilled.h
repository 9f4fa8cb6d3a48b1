// ft/base/unfilled.h — storage for a value that a read fills before anything looks at it.
#pragma once

#include <cstdint>
#include <new>
#include <type_traits>

namespace ft {

// Unfilled — storage for a T (a plain struct, a span, an array of them) that a read fills before
// anything looks at it, without T's default initialisation: on a device every initialiser is code
// (two stores for a Bytes, a memset call for a 20-byte DER Element, ~4 to 10 B of Thumb-2 at each
// of the readers' many call sites: flash, docs/embedded.md). The bytes hold an implicit-lifetime
// object (C++20), so get() may be used once a read has written it. Use it only after the read
// that fills it succeeded; read nothing a failed read left.
template <typename T>
class Unfilled {
 public:
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  T& get() { return *std::launder(static_cast<T*>(static_cast<void*>(bytes_))); }

 private:
  alignas(T) std::uint8_t bytes_[sizeof(T)];
};

}  // namespace ft
