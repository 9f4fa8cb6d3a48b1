#include "ft/base/bytes.h"

#include <gtest/gtest.h>

#include <array>

namespace ft {
namespace {

TEST(Reader, GettersAdvanceOnlyOnSuccess) {
  const std::array<std::uint8_t, 5> data{1, 2, 3, 4, 5};
  Reader r{Bytes(data)};
  std::uint8_t b = 0;
  ASSERT_TRUE(r.get_u8(b));
  EXPECT_EQ(b, 1);
  std::uint64_t v = 0;
  ASSERT_TRUE(r.get_be(2, v));
  EXPECT_EQ(v, 0x0203u);
  Bytes out;
  EXPECT_FALSE(r.get_bytes(3, out));  // only 2 left
  EXPECT_EQ(r.remaining(), 2u);
  EXPECT_FALSE(r.get_be(9, v));
  EXPECT_FALSE(r.get_be(0, v));
  ASSERT_TRUE(r.get_bytes(2, out));
  EXPECT_EQ(out[0], 4);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.get_u8(b));
  EXPECT_FALSE(r.skip(1));
}

TEST(Bytes, Equality) {
  const std::array<std::uint8_t, 3> a{1, 2, 3};
  const std::array<std::uint8_t, 3> b{1, 2, 4};
  EXPECT_TRUE(bytes_equal(a, a));
  EXPECT_FALSE(bytes_equal(a, b));
  EXPECT_FALSE(bytes_equal(Bytes(a), Bytes(a).first(2)));
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
}

}  // namespace
}  // namespace ft
