// DER Ecdsa-Sig-Value -> P1363 conversion: canonical inputs convert with padding; every departure
// from strict DER or from the curve's size is bad_signature.
#include "p1363.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace ft::psa_port {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector sequence(const ByteVector& contents) {
  ByteVector out = {0x30, static_cast<std::uint8_t>(contents.size())};
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

ByteVector integer(const ByteVector& contents) {
  ByteVector out = {0x02, static_cast<std::uint8_t>(contents.size())};
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

ByteVector concat(const ByteVector& a, const ByteVector& b) {
  ByteVector out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Result<Bytes> convert(const ByteVector& der, std::size_t coordinate, std::uint8_t (&out)[kMaxEcdsaP1363Size]) {
  return ecdsa_der_to_p1363(Bytes(der), coordinate, MutableBytes(out));
}

TEST(EcdsaDerToP1363, PadsShortScalarsAndStripsTheSignOctet) {
  // r = 0x01 0x02 (short), s = 0x00 0xff ... (32 bytes with the high bit, so a sign octet).
  ByteVector s_value(32, 0xff);
  ByteVector s_der = {0x00};
  s_der.insert(s_der.end(), s_value.begin(), s_value.end());
  const ByteVector der = sequence(concat(integer({0x01, 0x02}), integer(s_der)));
  std::uint8_t out[kMaxEcdsaP1363Size] = {};
  Result<Bytes> p1363 = convert(der, 32, out);
  ASSERT_TRUE(p1363.ok()) << p1363.error().message;
  ASSERT_EQ(p1363->size(), 64u);
  for (std::size_t i = 0; i < 30; ++i) EXPECT_EQ((*p1363)[i], 0) << i;
  EXPECT_EQ((*p1363)[30], 0x01);
  EXPECT_EQ((*p1363)[31], 0x02);
  for (std::size_t i = 32; i < 64; ++i) EXPECT_EQ((*p1363)[i], 0xff) << i;
  EXPECT_EQ(p1363->data(), out);
}

TEST(EcdsaDerToP1363, FullSizeP384ScalarsConvert) {
  ByteVector r(48, 0x11);
  ByteVector s(48, 0x22);
  const ByteVector der = {0x30, 0x64};  // 100 content bytes: two INTEGERs of 2 + 48
  ByteVector body = concat(integer(r), integer(s));
  ByteVector full = der;
  full.insert(full.end(), body.begin(), body.end());
  std::uint8_t out[kMaxEcdsaP1363Size] = {};
  Result<Bytes> p1363 = convert(full, 48, out);
  ASSERT_TRUE(p1363.ok()) << p1363.error().message;
  ASSERT_EQ(p1363->size(), 96u);
  EXPECT_EQ((*p1363)[0], 0x11);
  EXPECT_EQ((*p1363)[47], 0x11);
  EXPECT_EQ((*p1363)[48], 0x22);
  EXPECT_EQ((*p1363)[95], 0x22);
}

TEST(EcdsaDerToP1363, ZeroConvertsForThePsaImplementationToReject) {
  const ByteVector der = sequence(concat(integer({0x00}), integer({0x01})));
  std::uint8_t out[kMaxEcdsaP1363Size] = {};
  Result<Bytes> p1363 = convert(der, 32, out);
  ASSERT_TRUE(p1363.ok());
  for (std::size_t i = 0; i < 32; ++i) EXPECT_EQ((*p1363)[i], 0);
  EXPECT_EQ((*p1363)[63], 0x01);
}

TEST(EcdsaDerToP1363, NonStrictOrWrongShapesAreBadSignature) {
  const ByteVector r = integer({0x01});
  const ByteVector s = integer({0x02});
  ByteVector too_wide(33, 0x01);  // 33 value bytes cannot be below a 256-bit order
  ByteVector long_form = {0x30, 0x81, 0x06};
  long_form.insert(long_form.end(), r.begin(), r.end());
  long_form.insert(long_form.end(), s.begin(), s.end());
  ByteVector trailing = sequence(concat(r, s));
  trailing.push_back(0x00);
  const ByteVector cases[] = {
      {},                                                // empty
      sequence(r),                                       // s missing
      sequence(concat(concat(r, s), integer({0x03}))),   // third element
      trailing,                                          // bytes after the SEQUENCE
      long_form,                                         // BER: long-form length below 128
      sequence(concat(integer({0x00, 0x01}), s)),        // superfluous leading zero
      sequence(concat(integer({0x80}), s)),              // negative r
      sequence(concat(r, integer({0xff, 0x80}))),        // negative s (minimal)
      sequence(concat(integer(too_wide), s)),            // wider than the curve
      {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02},  // SET instead of SEQUENCE
      {0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x02},  // OCTET STRING instead of INTEGER
      {0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02},  // length beyond the input
  };
  for (const ByteVector& der : cases) {
    std::uint8_t out[kMaxEcdsaP1363Size] = {};
    Result<Bytes> p1363 = convert(der, 32, out);
    EXPECT_EQ(p1363.code(), Code::bad_signature) << ::testing::PrintToString(der);
  }
}

TEST(EcdsaDerToP1363, OutputTooSmallIsAnArgumentError) {
  const ByteVector der = sequence(concat(integer({0x01}), integer({0x02})));
  std::uint8_t small[63] = {};
  EXPECT_EQ(ecdsa_der_to_p1363(Bytes(der), 32, MutableBytes(small)).code(), Code::invalid_argument);
  std::uint8_t out[kMaxEcdsaP1363Size] = {};
  EXPECT_EQ(ecdsa_der_to_p1363(Bytes(der), 0, MutableBytes(out)).code(), Code::invalid_argument);
}

}  // namespace
}  // namespace ft::psa_port
