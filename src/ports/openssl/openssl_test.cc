// OpenSSL-specific behaviour; the behaviour shared by all ports is in src/ports/conformance.
#include "ft/ports/openssl.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include "ft/ports/testing/test_keys.h"

namespace ft {
namespace {

using testing::ByteVector;
using testing::bytes_of;
using testing::TestKey;

// A failed verify leaves no OpenSSL errors behind, and errors queued before it stay queued.
TEST(OpensslCrypto, VerifyFailuresLeaveTheErrorQueueAsFound) {
  const TestKey key = TestKey::generate(KeyType::ec_p256);
  const ByteVector message = {1, 2, 3};
  ByteVector point = key.key();
  point.back() ^= 1;  // off the curve: OpenSSL queues errors while refusing it
  PublicKey pk = key.public_key(false);
  pk.key = bytes_of(point);
  Result<VerifyingKey> vk = make_verifying_key(pk, SigScheme::ecdsa_p256_sha256_p1363);
  ASSERT_TRUE(vk.ok());
  ByteVector signature = key.sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(message));

  ERR_clear_error();
  EXPECT_EQ(openssl_crypto().verify(*vk, bytes_of(message), bytes_of(signature)).code(), Code::bad_key);
  EXPECT_EQ(ERR_peek_error(), 0UL);

  ERR_raise(ERR_LIB_USER, 42);  // someone else's pending error
  Result<VerifyingKey> good = make_verifying_key(key.public_key(true), SigScheme::ecdsa_sha256_der);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(openssl_crypto().verify(*good, bytes_of(message), bytes_of(ByteVector{0x30, 0x00})).code(),
            Code::bad_signature);
  EXPECT_EQ(ERR_GET_REASON(ERR_peek_error()), 42);
  ERR_get_error();
  EXPECT_EQ(ERR_peek_error(), 0UL);
  ERR_clear_error();
}

TEST(OpensslCrypto, FactoryReturnsOneInstance) { EXPECT_EQ(&openssl_crypto(), &openssl_crypto()); }

}  // namespace
}  // namespace ft
