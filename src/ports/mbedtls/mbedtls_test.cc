// mbed TLS-specific behaviour; the behaviour shared by all ports is in src/ports/conformance.
#include "ft/ports/mbedtls.h"

#include <gtest/gtest.h>

#include "ft/ports/testing/test_keys.h"

namespace ft {
namespace {

using testing::ByteVector;
using testing::bytes_of;
using testing::TestKey;

// mbed TLS 2.28 has no EdDSA: the port says so instead of guessing, for either key path.
TEST(MbedtlsCrypto, Ed25519IsUnsupported) {
  const TestKey key = TestKey::generate(KeyType::ed25519);
  const ByteVector message = {'m'};
  const ByteVector signature = key.sign(SigScheme::ed25519, bytes_of(message));
  for (bool with_spki : {false, true}) {
    Result<VerifyingKey> vk = make_verifying_key(key.public_key(with_spki), SigScheme::ed25519);
    ASSERT_TRUE(vk.ok());
    EXPECT_EQ(mbedtls_crypto().verify(*vk, bytes_of(message), bytes_of(signature)).code(), Code::unsupported_algorithm);
  }
}

// RSAPublicKey is read by our strict DER reader, not mbed TLS's lenient one.
TEST(MbedtlsCrypto, RsaPublicKeyWithLongFormShortLengthIsBadKey) {
  const TestKey key = TestKey::generate(KeyType::rsa, 2048);
  const ByteVector message = {'m'};
  const ByteVector signature = key.sign(SigScheme::rsa_pkcs1_sha256, bytes_of(message));
  // 30 82 01 0a 02 82 01 01 00 <n> 02 03 01 00 01: rewrite "02 03" as "02 81 03".
  ByteVector der = key.key();
  ASSERT_EQ(der.size(), 270u);
  ASSERT_EQ(der[265], 0x02);
  ASSERT_EQ(der[266], 0x03);
  der.insert(der.begin() + 266, 0x81);
  der[3] = static_cast<std::uint8_t>(der[3] + 1);
  PublicKey pk = key.public_key(false);
  pk.key = bytes_of(der);
  Result<VerifyingKey> vk = make_verifying_key(pk, SigScheme::rsa_pkcs1_sha256);
  ASSERT_TRUE(vk.ok());
  EXPECT_EQ(mbedtls_crypto().verify(*vk, bytes_of(message), bytes_of(signature)).code(), Code::bad_key);

  Result<VerifyingKey> good = make_verifying_key(key.public_key(false), SigScheme::rsa_pkcs1_sha256);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(mbedtls_crypto().verify(*good, bytes_of(message), bytes_of(signature)).ok());
}

TEST(MbedtlsCrypto, FactoryReturnsOneInstance) { EXPECT_EQ(&mbedtls_crypto(), &mbedtls_crypto()); }

}  // namespace
}  // namespace ft
