// ft/base/reset.h — reset an object to its default state in place.
#pragma once

#include <new>
#include <type_traits>

#include "ft/base/config.h"

namespace ft {

// reset_in_place puts obj back in its default state where it lives. `obj = T{}` would first build
// a temporary T on the stack, which for the core's large structs (certificate lists, manifests,
// verdicts) costs kilobytes a microcontroller does not have.
//
// Without messages (FT_CORE_MESSAGES=0, the device profile) the default state of every struct the
// core resets is all-zero bytes, so the reset is one memset: value-initialising a struct with
// default member initializers costs GCC a store per member (hundreds of bytes of Thumb-2 for a
// Verdict). With messages, Error's default message is "" (not a null pointer) and the
// constructor runs. base/reset_test.cc checks the all-zero default of each type reset this way.
template <typename T>
void reset_in_place(T& obj) {
  static_assert(std::is_trivially_destructible_v<T> && std::is_trivially_copyable_v<T>,
                "reset_in_place is for plain structs");
  if constexpr (config::kZeroDefaults) {
    __builtin_memset(static_cast<void*>(&obj), 0, sizeof(T));
  } else {
    ::new (static_cast<void*>(&obj)) T();
  }
}

}  // namespace ft
