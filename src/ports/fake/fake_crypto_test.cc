#include "ft/ports/fake_crypto.h"

#include <gtest/gtest.h>

#include "ft/ports/openssl.h"
#include "ft/ports/testing/test_keys.h"

namespace ft {
namespace {

using testing::ByteVector;
using testing::bytes_of;
using testing::TestKey;

const ByteVector kData = {'f', 'i', 'e', 'l', 'd'};

TEST(FaultyCrypto, ForwardsAndCountsWhenDisarmed) {
  FaultyCrypto faulty(openssl_crypto());
  Digest via_fake;
  Digest direct;
  ASSERT_TRUE(digest(faulty, HashAlg::sha256, bytes_of(kData), via_fake).ok());
  ASSERT_TRUE(digest(openssl_crypto(), HashAlg::sha256, bytes_of(kData), direct).ok());
  EXPECT_TRUE(bytes_equal(via_fake.bytes(), direct.bytes()));
  EXPECT_EQ(faulty.operations(), 3u);  // begin, update, finish; the RAII abort is not counted
  EXPECT_EQ(faulty.faults_injected(), 0u);
  EXPECT_FALSE(faulty.fault_fired());
}

// The SQLite/MCUboot loop: fail at N = 1, 2, ... until the operation completes untouched.
TEST(FaultyCrypto, FailAtEveryStepOfAStreamedHashUntilItCompletes) {
  FaultyCrypto faulty(openssl_crypto());
  Digest expected;
  ASSERT_TRUE(digest(openssl_crypto(), HashAlg::sha384, bytes_of(kData), expected).ok());

  std::uint64_t n = 1;
  for (;; ++n) {
    ASSERT_LT(n, 100u) << "operation never completed";
    faulty.fail_at(n);
    Hash hash(faulty, HashAlg::sha384);
    hash.update(bytes_of(kData));
    hash.update(bytes_of(kData));
    Digest out;
    Status status = hash.finish(out);
    if (!faulty.fault_fired()) {
      ASSERT_TRUE(status.ok());
      Digest twice;
      Hash reference(openssl_crypto(), HashAlg::sha384);
      reference.update(bytes_of(kData));
      reference.update(bytes_of(kData));
      ASSERT_TRUE(reference.finish(twice).ok());
      EXPECT_TRUE(bytes_equal(out.bytes(), twice.bytes()));
      break;
    }
    // Each injected failure must surface; Hash's destructor releases whatever is left (ASan).
    EXPECT_EQ(status.code(), Code::crypto_failure) << "fault at operation " << n;
  }
  EXPECT_EQ(n, 5u);  // begin, update, update, finish fail in turn; the fifth run is clean
  EXPECT_EQ(faulty.faults_injected(), 4u);
}

TEST(FaultyCrypto, InjectedFailuresLeaveContextsAsARealFailureWould) {
  FaultyCrypto faulty(openssl_crypto());
  HashContext ctx{};
  faulty.fail_at(1);
  EXPECT_EQ(faulty.hash_begin(HashAlg::sha256, ctx).code(), Code::crypto_failure);
  EXPECT_FALSE(ctx.active);

  faulty.fail_at(2);
  ASSERT_TRUE(faulty.hash_begin(HashAlg::sha256, ctx).ok());
  EXPECT_EQ(faulty.hash_update(ctx, bytes_of(kData)).code(), Code::crypto_failure);
  EXPECT_TRUE(ctx.active);  // the caller still owns a context to abort
  faulty.hash_abort(ctx);
  EXPECT_FALSE(ctx.active);

  faulty.fail_at(2);
  ASSERT_TRUE(faulty.hash_begin(HashAlg::sha256, ctx).ok());
  Digest out;
  EXPECT_EQ(faulty.hash_finish(ctx, out).code(), Code::crypto_failure);
  EXPECT_FALSE(ctx.active);  // finish released it
}

TEST(FaultyCrypto, VerifyFaultDoesNotReachTheInnerPort) {
  const TestKey key = TestKey::generate(KeyType::ec_p256);
  const ByteVector signature = key.sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kData));
  Result<VerifyingKey> vk = make_verifying_key(key.public_key(false), SigScheme::ecdsa_p256_sha256_p1363);
  ASSERT_TRUE(vk.ok());

  FaultyCrypto counting(openssl_crypto());  // inner, never armed: counts what reaches it
  // Wrapping a FaultyCrypto takes it as a CryptoPort explicitly (copying is deleted on purpose).
  FaultyCrypto faulty(static_cast<CryptoPort&>(counting));
  faulty.fail_at(1);
  EXPECT_EQ(faulty.verify(*vk, bytes_of(kData), bytes_of(signature)).code(), Code::crypto_failure);
  EXPECT_EQ(counting.operations(), 0u);
  EXPECT_TRUE(faulty.verify(*vk, bytes_of(kData), bytes_of(signature)).ok());  // "once": disarmed now
  EXPECT_EQ(counting.operations(), 1u);
  EXPECT_EQ(faulty.operations(), 2u);
}

TEST(FaultyCrypto, PersistentModeKeepsFailingAndZeroDisarms) {
  FaultyCrypto faulty(openssl_crypto());
  Digest out;
  faulty.fail_at(2, FaultMode::persistent);
  EXPECT_EQ(digest(faulty, HashAlg::sha512, bytes_of(kData), out).code(), Code::crypto_failure);
  EXPECT_EQ(digest(faulty, HashAlg::sha512, bytes_of(kData), out).code(), Code::crypto_failure);
  EXPECT_TRUE(faulty.fault_fired());
  // second digest failed at begin: update and finish were skipped by Hash
  EXPECT_EQ(faulty.faults_injected(), 2u);

  faulty.fail_at(0);
  EXPECT_FALSE(faulty.fault_fired());
  EXPECT_TRUE(digest(faulty, HashAlg::sha512, bytes_of(kData), out).ok());
}

}  // namespace
}  // namespace ft
