// ft/base/reset.h — reset an object to its default state in place.
#pragma once

#include <new>
#include <type_traits>

namespace ft {

// reset_in_place value-initialises obj where it lives. `obj = T{}` would first build a temporary
// T on the stack, which for the core's large structs (certificate lists, manifests, verdicts) costs
// kilobytes a microcontroller does not have.
template <typename T>
void reset_in_place(T& obj) {
  static_assert(std::is_trivially_destructible_v<T>, "reset_in_place is for trivially destructible types");
  ::new (static_cast<void*>(&obj)) T();
}

}  // namespace ft
