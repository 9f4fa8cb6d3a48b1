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

// A canonical SPKI is built from its raw key, skipping d2i_PUBKEY: the key must still be checked
// (off the curve: bad_key), verify what the SPKI path verifies, and refuse other keys' signatures.
TEST(OpensslCrypto, KeyFromCanonicalSpkiIsCheckedLikeTheDecodedOne) {
  const ByteVector message = {4, 5, 6};
  for (const KeyType type : {KeyType::ec_p256, KeyType::ec_p384, KeyType::ed25519}) {
    SCOPED_TRACE(static_cast<int>(type));
    const TestKey key = TestKey::generate(type);
    const SigScheme scheme = type == KeyType::ec_p256   ? SigScheme::ecdsa_p256_sha256_p1363
                             : type == KeyType::ec_p384 ? SigScheme::ecdsa_p384_sha384_p1363
                                                        : SigScheme::ed25519;
    const ByteVector signature = key.sign(scheme, bytes_of(message));
    ByteVector spki = key.spki();
    PublicKey pk = key.public_key(true);
    pk.spki = bytes_of(spki);
    pk.key = Bytes(spki).last(key.key().size());  // the key inside the SPKI, as the core parses it
    Result<VerifyingKey> vk = make_verifying_key(pk, scheme);
    ASSERT_TRUE(vk.ok());
    EXPECT_TRUE(openssl_crypto().verify(*vk, bytes_of(message), bytes_of(signature)).ok());

    const TestKey other = TestKey::generate(type);
    EXPECT_EQ(openssl_crypto().verify(*vk, bytes_of(message), bytes_of(other.sign(scheme, bytes_of(message)))).code(),
              Code::bad_signature);

    if (type != KeyType::ed25519) {  // OpenSSL takes any 32 bytes as an Ed25519 key
      spki.back() ^= 1;  // the point leaves the curve; prefix and sizes still canonical
      EXPECT_EQ(openssl_crypto().verify(*vk, bytes_of(message), bytes_of(signature)).code(), Code::bad_key);
    }
  }
}

TEST(OpensslCrypto, FactoryReturnsOneInstance) { EXPECT_EQ(&openssl_crypto(), &openssl_crypto()); }

}  // namespace
}  // namespace ft
