// fuzz_check.h — the checks every fuzz target uses: an independent expectation that does not hold
// is a finding, reported as "<program>: <what>" and turned into a crash libFuzzer records.
#pragma once

#include <cerrno>  // program_invocation_short_name (glibc)
#include <cstdio>
#include <cstdlib>

#include "ft/base/bytes.h"

namespace ft::fuzz {

// fail reports what and aborts.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what);
  std::abort();
}

// require fails with what unless condition holds.
inline void require(bool condition, const char* what) {
  if (!condition) fail(what);
}

// inside is true when part is empty or lies entirely within whole (zero-copy views).
inline bool inside(Bytes part, Bytes whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace ft::fuzz
