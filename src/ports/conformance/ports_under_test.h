// ports_under_test.h — the CryptoPort implementations every conformance test runs against.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "ft/ports/crypto.h"
#include "ft/ports/mbedtls.h"
#include "ft/ports/openssl.h"

namespace ft::testing {

// PortUnderTest — one implementation and what it lacks by design.
struct PortUnderTest {
  const char* name;
  CryptoPort& (*port)();
  bool has_ed25519;  // mbed TLS 2.28 has no EdDSA

  [[nodiscard]] bool supports(SigScheme scheme) const { return scheme != SigScheme::ed25519 || has_ed25519; }
};

// PrintTo names the port in gtest output instead of dumping its bytes.
inline void PrintTo(const PortUnderTest& port, std::ostream* os) { *os << port.name; }

inline CryptoPort& openssl_port() { return openssl_crypto(); }
inline CryptoPort& mbedtls_port() { return mbedtls_crypto(); }

inline const PortUnderTest kPortsUnderTest[] = {
    {"openssl", &openssl_port, true},
    {"mbedtls", &mbedtls_port, false},
};

inline std::string port_test_name(const ::testing::TestParamInfo<PortUnderTest>& info) { return info.param.name; }

}  // namespace ft::testing
