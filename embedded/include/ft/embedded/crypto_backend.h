// ft/embedded/crypto_backend.h — the one crypto backend of the Cortex-M build, chosen at compile
// time as MCUboot does (MCUBOOT_USE_*): the build defines exactly one FT_CRYPTO_BACKEND_<NAME>
// (CMake cache variable FT_CRYPTO_BACKEND, see embedded/CMakeLists.txt) and this header makes
// ft::embedded::CryptoBackend that port's class. None or two selected is a compile error.
//
// Adding a backend: a port library under src/ports/<name>/ implementing ft::CryptoPort, one
// FT_CRYPTO_BACKEND_<NAME> block below, and the name in FT_CRYPTO_BACKEND's list.
#pragma once

#if defined(FT_CRYPTO_BACKEND_PSA)
#include "ft/ports/psa.h"
#define FT_CRYPTO_BACKEND_PSA_SELECTED 1
#else
#define FT_CRYPTO_BACKEND_PSA_SELECTED 0
#endif

namespace ft::embedded {

inline constexpr int kCryptoBackendsSelected = FT_CRYPTO_BACKEND_PSA_SELECTED;
static_assert(kCryptoBackendsSelected == 1,
              "select exactly one crypto backend for the Cortex-M build (e.g. -DFT_CRYPTO_BACKEND_PSA=1)");

#if FT_CRYPTO_BACKEND_PSA_SELECTED
using CryptoBackend = PsaCrypto;
#endif

}  // namespace ft::embedded
