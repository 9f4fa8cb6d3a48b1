// Known-answer and streaming tests of hash_begin/update/finish/abort on every port.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ft/host/hex.h"
#include "ports_under_test.h"

namespace ft::testing {
namespace {

Bytes text(std::string_view s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

std::string hex_digest(const Digest& d) { return host::to_hex(d.bytes()); }

class HashTest : public ::testing::TestWithParam<PortUnderTest> {
 protected:
  CryptoPort& port() { return GetParam().port(); }

  std::string one_shot(HashAlg alg, Bytes data) {
    Digest out;
    Status status = digest(port(), alg, data, out);
    EXPECT_TRUE(status.ok()) << code_name(status.code());
    EXPECT_EQ(out.alg, alg);
    return hex_digest(out);
  }
};

struct KnownAnswer {
  HashAlg alg;
  const char* message;
  const char* expected;
};

// FIPS 180-2 appendix examples ("abc", the two-block message) and the empty string.
constexpr KnownAnswer kKnownAnswers[] = {
    {HashAlg::sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {HashAlg::sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {HashAlg::sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {HashAlg::sha384, "abc",
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {HashAlg::sha512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

TEST_P(HashTest, KnownAnswers) {
  for (const KnownAnswer& ka : kKnownAnswers) {
    EXPECT_EQ(one_shot(ka.alg, text(ka.message)), ka.expected) << "message \"" << ka.message << "\"";
  }
}

// FIPS 180-2: one million 'a', fed in uneven chunks so block boundaries fall everywhere.
TEST_P(HashTest, MillionAsStreamedInChunks) {
  struct Expected {
    HashAlg alg;
    const char* digest;
  };
  const Expected expected[] = {
      {HashAlg::sha256, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
      {HashAlg::sha384,
       "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
      {HashAlg::sha512,
       "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
       "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
  };
  const std::vector<std::uint8_t> million(1000000, 'a');
  for (const Expected& e : expected) {
    Hash hash(port(), e.alg);
    std::size_t offset = 0;
    std::size_t chunk = 1;
    while (offset < million.size()) {
      std::size_t n = std::min(chunk, million.size() - offset);
      hash.update(Bytes(million.data() + offset, n));
      offset += n;
      chunk = chunk * 7 % 1021 + 1;  // 1..1021 bytes, never a multiple of the block pattern for long
    }
    Digest out;
    ASSERT_TRUE(hash.finish(out).ok());
    EXPECT_EQ(hex_digest(out), e.digest);
  }
}

// Every two-part split of a message, including empty parts, gives the one-shot digest.
TEST_P(HashTest, EverySplitEqualsOneShot) {
  std::vector<std::uint8_t> message(300);
  for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<std::uint8_t>(i * 131 + 7);
  for (HashAlg alg : {HashAlg::sha256, HashAlg::sha384, HashAlg::sha512}) {
    const std::string whole = one_shot(alg, Bytes(message));
    for (std::size_t split = 0; split <= message.size(); ++split) {
      Hash hash(port(), alg);
      hash.update(Bytes(message).first(split));
      hash.update(Bytes());
      hash.update(Bytes(message).subspan(split));
      Digest out;
      ASSERT_TRUE(hash.finish(out).ok());
      ASSERT_EQ(hex_digest(out), whole) << "split at " << split;
    }
  }
}

TEST_P(HashTest, UseAfterFinishIsRejected) {
  HashContext ctx{};
  ASSERT_TRUE(port().hash_begin(HashAlg::sha256, ctx).ok());
  EXPECT_TRUE(ctx.active);
  Digest out;
  ASSERT_TRUE(port().hash_finish(ctx, out).ok());
  EXPECT_FALSE(ctx.active);
  EXPECT_EQ(port().hash_update(ctx, text("x")).code(), Code::invalid_argument);
  EXPECT_EQ(port().hash_finish(ctx, out).code(), Code::invalid_argument);
  port().hash_abort(ctx);  // inactive: no effect
  EXPECT_FALSE(ctx.active);
}

TEST_P(HashTest, AbortReleasesAndContextIsReusable) {
  HashContext ctx{};
  ASSERT_TRUE(port().hash_begin(HashAlg::sha512, ctx).ok());
  ASSERT_TRUE(port().hash_update(ctx, text("discarded")).ok());
  port().hash_abort(ctx);  // under ASan a leaked backend context fails the run
  EXPECT_FALSE(ctx.active);
  port().hash_abort(ctx);

  ASSERT_TRUE(port().hash_begin(HashAlg::sha384, ctx).ok());
  ASSERT_TRUE(port().hash_update(ctx, text("abc")).ok());
  Digest out;
  ASSERT_TRUE(port().hash_finish(ctx, out).ok());
  EXPECT_EQ(out.alg, HashAlg::sha384);
  EXPECT_EQ(hex_digest(out), kKnownAnswers[3].expected);
}

TEST_P(HashTest, RaiiHashWithoutFinishReleases) {
  Hash hash(port(), HashAlg::sha256);
  hash.update(text("never finished"));
}

INSTANTIATE_TEST_SUITE_P(Ports, HashTest, ::testing::ValuesIn(kPortsUnderTest), port_test_name);

}  // namespace
}  // namespace ft::testing
