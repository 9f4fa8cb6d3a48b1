#include "ft/keys/ecdsa_encoding.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/rand.h>

namespace ft::keys {
namespace {

using Vec = std::vector<std::uint8_t>;

// openssl_der encodes r||s with OpenSSL's own ECDSA_SIG, as an independent reference.
Vec openssl_der(const Vec& rs) {
  const int half = static_cast<int>(rs.size() / 2);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(rs.data(), half, nullptr), BN_bin2bn(rs.data() + half, half, nullptr));
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  Vec out(der, der + length);
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

TEST(EcdsaEncoding, RandomValuesMatchOpenSslAndRoundTrip) {
  for (std::size_t field : {32u, 48u}) {
    for (int i = 0; i < 200; ++i) {
      Vec rs(2 * field);
      ASSERT_EQ(RAND_bytes(rs.data(), static_cast<int>(rs.size())), 1);
      // Exercise leading zero bytes and high bits (sign padding) on both halves.
      if (i % 4 == 1) rs[0] = 0, rs[1] = 0x05;
      if (i % 4 == 2) rs[field] = 0x80;
      if (i % 4 == 3) rs[0] = 0xff, rs[field] = 0, rs[field + 1] = 0;
      if (rs[1] == 0 && rs[0] == 0) rs[2] |= 1;
      const auto der = ecdsa_p1363_to_der(rs);
      ASSERT_TRUE(der);
      EXPECT_EQ(*der, openssl_der(rs));
      const auto back = ecdsa_der_to_p1363(*der, field);
      ASSERT_TRUE(back);
      EXPECT_EQ(*back, rs);
    }
  }
}

TEST(EcdsaEncoding, P1363RejectsOddEmptyAndZero) {
  EXPECT_FALSE(ecdsa_p1363_to_der(Vec{}));
  EXPECT_FALSE(ecdsa_p1363_to_der(Vec(63, 1)));
  Vec zero_r(64, 1);
  std::fill(zero_r.begin(), zero_r.begin() + 32, 0);
  EXPECT_FALSE(ecdsa_p1363_to_der(zero_r));
  Vec zero_s(64, 1);
  std::fill(zero_s.begin() + 32, zero_s.end(), 0);
  EXPECT_FALSE(ecdsa_p1363_to_der(zero_s));
}

TEST(EcdsaEncoding, DerIsStrict) {
  const Vec good = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
  const auto ok = ecdsa_der_to_p1363(good, 32);
  ASSERT_TRUE(ok);
  EXPECT_EQ((*ok)[31], 1);
  EXPECT_EQ((*ok)[63], 2);
  // Trailing byte after the SEQUENCE.
  Vec trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(ecdsa_der_to_p1363(trailing, 32));
  // Needless zero padding of r.
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02}, 32));
  // Negative s.
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x80}, 32));
  // Zero r.
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02}, 32));
  // Long-form length where short form fits.
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, 32));
  // Wrong outer tag, third INTEGER, truncated.
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02}, 32));
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03}, 32));
  EXPECT_FALSE(ecdsa_der_to_p1363(Vec{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01}, 32));
  // r longer than the field.
  Vec long_r = {0x30, 0x25, 0x02, 0x21};
  long_r.push_back(0x01);
  long_r.insert(long_r.end(), 32, 0x11);
  long_r.insert(long_r.end(), {0x02, 0x01, 0x02});
  long_r[1] = static_cast<std::uint8_t>(long_r.size() - 2);
  EXPECT_FALSE(ecdsa_der_to_p1363(long_r, 32));
  EXPECT_TRUE(ecdsa_der_to_p1363(long_r, 48));
}

}  // namespace
}  // namespace ft::keys
