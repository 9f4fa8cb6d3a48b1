#include "strict_der.h"

#include <gtest/gtest.h>

#include <vector>

namespace ft::mbedtls_port {
namespace {

using ByteVector = std::vector<std::uint8_t>;

bool integer(const ByteVector& der, ByteVector& magnitude) {
  Reader reader{Bytes(der)};
  Bytes out;
  if (!read_der_positive_integer(reader, out) || !reader.empty()) return false;
  magnitude.assign(out.begin(), out.end());
  return true;
}

TEST(StrictDer, PositiveIntegers) {
  ByteVector m;
  ASSERT_TRUE(integer({0x02, 0x01, 0x00}, m));
  EXPECT_EQ(m, (ByteVector{0x00}));
  ASSERT_TRUE(integer({0x02, 0x01, 0x7f}, m));
  EXPECT_EQ(m, (ByteVector{0x7f}));
  ASSERT_TRUE(integer({0x02, 0x02, 0x00, 0x80}, m));
  EXPECT_EQ(m, (ByteVector{0x80}));  // sign byte stripped

  EXPECT_FALSE(integer({0x02, 0x00}, m));                    // empty
  EXPECT_FALSE(integer({0x02, 0x01, 0x80}, m));              // negative
  EXPECT_FALSE(integer({0x02, 0x02, 0x00, 0x7f}, m));        // needless zero
  EXPECT_FALSE(integer({0x02, 0x02, 0xff, 0x80}, m));        // negative, padded
  EXPECT_FALSE(integer({0x02, 0x81, 0x01, 0x01}, m));        // long form for a short length
  EXPECT_FALSE(integer({0x02, 0x02, 0x01}, m));              // truncated
  EXPECT_FALSE(integer({0x03, 0x01, 0x01}, m));              // wrong tag
}

TEST(StrictDer, ElementLengths) {
  ByteVector long_ok = {0x04, 0x81, 0x80};
  long_ok.resize(3 + 0x80, 0xaa);
  Reader reader{Bytes(long_ok)};
  Bytes contents;
  ASSERT_TRUE(read_der_element(reader, 0x04, contents));
  EXPECT_EQ(contents.size(), 0x80u);
  EXPECT_TRUE(reader.empty());

  ByteVector padded_length = {0x04, 0x82, 0x00, 0x80};
  padded_length.resize(4 + 0x80, 0xaa);
  Reader padded{Bytes(padded_length)};
  EXPECT_FALSE(read_der_element(padded, 0x04, contents));
  EXPECT_EQ(padded.remaining(), padded_length.size());  // unchanged on failure

  const ByteVector indefinite = {0x30, 0x80, 0x00, 0x00};
  Reader ind{Bytes(indefinite)};
  EXPECT_FALSE(read_der_element(ind, 0x30, contents));

  const ByteVector huge = {0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00};
  Reader h{Bytes(huge)};
  EXPECT_FALSE(read_der_element(h, 0x04, contents));
}

TEST(StrictDer, EcdsaSignature) {
  Bytes r;
  Bytes s;
  const ByteVector good = {0x30, 0x07, 0x02, 0x02, 0x00, 0x81, 0x02, 0x01, 0x05};
  ASSERT_TRUE(parse_ecdsa_der_signature(good, r, s));
  EXPECT_EQ(ByteVector(r.begin(), r.end()), (ByteVector{0x81}));
  EXPECT_EQ(ByteVector(s.begin(), s.end()), (ByteVector{0x05}));

  ByteVector trailing = good;
  trailing.push_back(0);
  EXPECT_FALSE(parse_ecdsa_der_signature(trailing, r, s));
  const ByteVector extra_field = {0x30, 0x0a, 0x02, 0x02, 0x00, 0x81, 0x02, 0x01, 0x05, 0x02, 0x01, 0x01};
  EXPECT_FALSE(parse_ecdsa_der_signature(extra_field, r, s));
  const ByteVector one_field = {0x30, 0x03, 0x02, 0x01, 0x05};
  EXPECT_FALSE(parse_ecdsa_der_signature(one_field, r, s));
  const ByteVector set = {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x05};
  EXPECT_FALSE(parse_ecdsa_der_signature(set, r, s));
}

TEST(StrictDer, RsaPublicKey) {
  Bytes n;
  Bytes e;
  const ByteVector good = {0x30, 0x08, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x02, 0x01, 0x01};
  ASSERT_TRUE(parse_rsa_public_key(good, n, e));
  EXPECT_EQ(n.size(), 1u);
  EXPECT_EQ(e.size(), 2u);
  const ByteVector negative_n = {0x30, 0x07, 0x02, 0x01, 0xc5, 0x02, 0x02, 0x01, 0x01};
  EXPECT_FALSE(parse_rsa_public_key(negative_n, n, e));
}

}  // namespace
}  // namespace ft::mbedtls_port
