#include "ft/cbor/cbor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace ft::cbor {
namespace {

std::vector<std::uint8_t> hex(const std::string& h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

Code validate_hex(const std::string& h) {
  const auto data = hex(h);
  return validate(data).code();
}

TEST(CborDecoder, Integers) {
  // RFC 8949 Appendix A examples.
  struct Case {
    const char* hex;
    std::int64_t value;
  } cases[] = {{"00", 0}, {"17", 23}, {"1818", 24}, {"1903e8", 1000}, {"1a000f4240", 1000000},
               {"1b000000e8d4a51000", 1000000000000}, {"20", -1}, {"3863", -100}, {"3903e7", -1000}};
  for (const auto& c : cases) {
    const auto data = hex(c.hex);
    Decoder d(data);
    std::int64_t v = 0;
    ASSERT_TRUE(d.read_int(v).ok()) << c.hex;
    EXPECT_EQ(v, c.value) << c.hex;
    EXPECT_TRUE(d.expect_end().ok());
  }
  const auto big = hex("1bffffffffffffffff");
  Decoder d(big);
  std::uint64_t u = 0;
  ASSERT_TRUE(d.read_uint(u).ok());
  EXPECT_EQ(u, 0xffffffffffffffffull);
  Decoder d2(big);
  std::int64_t s = 0;
  EXPECT_EQ(d2.read_int(s).code(), Code::too_large);
  EXPECT_EQ(d2.remaining(), big.size());  // cursor untouched on failure
}

TEST(CborDecoder, RejectsNonPreferredEncodings) {
  EXPECT_EQ(validate_hex("1817"), Code::non_canonical);      // 23 in one extra byte
  EXPECT_EQ(validate_hex("190017"), Code::non_canonical);    // in two
  EXPECT_EQ(validate_hex("1a000000ff"), Code::non_canonical);
  EXPECT_EQ(validate_hex("1b00000000ffffffff"), Code::non_canonical);
  EXPECT_EQ(validate_hex("5801ff"), Code::non_canonical);    // bstr length 1 in long form
  EXPECT_EQ(validate_hex("5f41ff"), Code::non_canonical);    // indefinite bstr
  EXPECT_EQ(validate_hex("9fff"), Code::non_canonical);      // indefinite array
  EXPECT_EQ(validate_hex("1c"), Code::malformed);            // reserved
  EXPECT_EQ(validate_hex("f93c00"), Code::unsupported);      // half float 1.0
  EXPECT_EQ(validate_hex("f7"), Code::unsupported);          // undefined
  EXPECT_EQ(validate_hex("f4"), Code::ok);
  EXPECT_EQ(validate_hex("f6"), Code::ok);
}

TEST(CborDecoder, MapsMustBeDeterministic) {
  EXPECT_EQ(validate_hex("a201020304"), Code::ok);                   // {1:2, 3:4}
  EXPECT_EQ(validate_hex("a203040102"), Code::non_canonical);        // {3:4, 1:2}
  EXPECT_EQ(validate_hex("a201020102"), Code::duplicate_key);        // {1:2, 1:2}
  EXPECT_EQ(validate_hex("a20a01186402"), Code::ok);                // {10:1, 100:2}: 0a < 1864
  EXPECT_EQ(validate_hex("a220010102"), Code::non_canonical);       // {-1:1, 1:2}: 0x20 > 0x01
  EXPECT_EQ(validate_hex("a2616101616202"), Code::ok);               // {"a":1,"b":2}
  // Nested maps are checked when the outer one is read.
  EXPECT_EQ(validate_hex("81a203040102"), Code::non_canonical);
}

TEST(CborDecoder, TruncationAndTrailingData) {
  EXPECT_EQ(validate_hex(""), Code::truncated);
  EXPECT_EQ(validate_hex("19"), Code::truncated);
  EXPECT_EQ(validate_hex("4401"), Code::truncated);
  EXPECT_EQ(validate_hex("83010203"), Code::ok);
  EXPECT_EQ(validate_hex("830102"), Code::truncated);
  EXPECT_EQ(validate_hex("0101"), Code::trailing_data);
  // A huge declared count with little input is truncated without looping.
  EXPECT_EQ(validate_hex("9b000000010000000000"), Code::truncated);
  EXPECT_EQ(validate_hex("bb000000010000000000"), Code::truncated);
  EXPECT_EQ(validate_hex("5b000000010000000000"), Code::truncated);
}

TEST(CborDecoder, TagNumbersAreNotCounts) {
  // Regression (found by the cose fuzz smoke run): a tag's argument is its number; a tag larger
  // than the bytes left (here 6, 107 and 65,536 before one byte) still encloses exactly one item.
  EXPECT_EQ(validate_hex("c600"), Code::ok);
  EXPECT_EQ(validate_hex("d86b00"), Code::ok);
  EXPECT_EQ(validate_hex("da0001000000"), Code::ok);
  EXPECT_EQ(validate_hex("a16161c600"), Code::ok);  // the unprotected header map of the fuzz input
  EXPECT_EQ(validate_hex("c6"), Code::truncated);
}

TEST(CborDecoder, DepthIsBounded) {
  std::string deep;
  for (int i = 0; i < kMaxDepth + 2; ++i) deep += "81";
  deep += "00";
  EXPECT_EQ(validate_hex(deep), Code::depth_exceeded);
  std::string ok_depth;
  for (int i = 0; i < kMaxDepth; ++i) ok_depth += "81";
  ok_depth += "00";
  EXPECT_EQ(validate_hex(ok_depth), Code::ok);
}

TEST(CborDecoder, Utf8) {
  EXPECT_EQ(validate_hex("62c3bc"), Code::ok);         // "ü"
  EXPECT_EQ(validate_hex("62c0af"), Code::malformed);  // overlong
  EXPECT_EQ(validate_hex("63eda080"), Code::malformed); // surrogate
  EXPECT_EQ(validate_hex("61ff"), Code::malformed);
}

TEST(CborDecoder, TypedReads) {
  const auto data = hex("d86b83430102036161f5");  // 107([h'010203', "a", true])
  std::vector<std::uint8_t> clean;
  for (auto b : data) clean.push_back(b);
  Decoder d(clean);
  std::uint64_t tag = 0;
  ASSERT_TRUE(d.read_tag(tag).ok());
  EXPECT_EQ(tag, 107u);
  std::size_t n = 0;
  ASSERT_TRUE(d.read_array(n).ok());
  EXPECT_EQ(n, 3u);
  Bytes b;
  EXPECT_EQ(d.read_tstr(b).code(), Code::wrong_type);
  ASSERT_TRUE(d.read_bstr(b).ok());
  EXPECT_EQ(b.size(), 3u);
  ASSERT_TRUE(d.read_tstr(b).ok());
  bool flag = false;
  ASSERT_TRUE(d.read_bool(flag).ok());
  EXPECT_TRUE(flag);
  EXPECT_TRUE(d.expect_end().ok());
}

TEST(CborDecoder, Labels) {
  // 0..63 read as themselves, any other integer as kOtherLabel; other types fail like read_int.
  struct Case {
    const char* hex;
    Code code;
    int label;
  } cases[] = {{"00", Code::ok, 0},           {"17", Code::ok, 23},           {"183f", Code::ok, kMaxLabel},
               {"1840", Code::ok, kOtherLabel}, {"20", Code::ok, kOtherLabel}, {"1bffffffffffffffff", Code::too_large, 7},
               {"6161", Code::wrong_type, 7}, {"1800", Code::non_canonical, 7}};
  for (const auto& c : cases) {
    const auto data = hex(c.hex);
    Decoder d(data);
    int label = 7;
    EXPECT_EQ(d.read_label(label).code(), c.code) << c.hex;
    EXPECT_EQ(label, c.label) << c.hex;
    EXPECT_EQ(d.remaining(), c.code == Code::ok ? 0u : data.size()) << c.hex;
  }
}

TEST(CborDecoder, SimpleValuesOfTheWrongKindLeaveTheCursor) {
  const auto data = hex("f6f5");  // null, true
  Decoder d(data);
  bool flag = true;
  EXPECT_EQ(d.read_bool(flag).code(), Code::wrong_type);
  EXPECT_EQ(d.remaining(), 2u);
  ASSERT_TRUE(d.read_null().ok());
  EXPECT_EQ(d.read_null().code(), Code::wrong_type);
  EXPECT_EQ(d.remaining(), 1u);
  flag = false;
  ASSERT_TRUE(d.read_bool(flag).ok());
  EXPECT_TRUE(flag);
  EXPECT_TRUE(d.expect_end().ok());
}

TEST(CborDecoder, CountsBeyondTheInputAreTruncated) {
  // The count a read_array / read_map returns fits size_t because one beyond the bytes left fails.
  for (const char* h : {"9b0000000100000000", "83", "bb0000000100000000", "a1", "a201"}) {
    const auto data = hex(h);
    Decoder d(data);
    std::size_t count = 0;
    const Code code = data[0] >= 0xa0 ? d.read_map(count).code() : d.read_array(count).code();
    EXPECT_EQ(code, Code::truncated) << h;
    EXPECT_EQ(d.remaining(), data.size()) << h;
  }
  const auto wrong = hex("5b0000000100000000");  // a bstr head: wrong_type comes before the length
  Decoder d(wrong);
  std::size_t count = 0;
  EXPECT_EQ(d.read_array(count).code(), Code::wrong_type);
}

TEST(CborEncoder, RoundTripAndCounting) {
  Encoder counter;
  auto write = [](Encoder& e) {
    e.write_tag(107);
    e.write_map(3);
    e.write_uint(1);
    e.write_int(-16);
    e.write_uint(2);
    const std::uint8_t payload[300] = {};
    e.write_bstr(Bytes(payload, sizeof payload));
    e.write_uint(24);
    e.write_array(2);
    e.write_tstr("model");
    e.write_null();
  };
  write(counter);
  EXPECT_EQ(counter.finish().code(), Code::buffer_too_small);
  std::vector<std::uint8_t> buf(counter.size());
  Encoder enc{MutableBytes(buf)};
  write(enc);
  auto out = enc.finish();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->size(), buf.size());
  EXPECT_TRUE(validate(*out).ok());
  Decoder d(*out);
  std::uint64_t v = 0;
  ASSERT_TRUE(d.read_tag(v).ok());
  std::size_t pairs = 0;
  ASSERT_TRUE(d.read_map(pairs).ok());
  EXPECT_EQ(pairs, 3u);
}

TEST(CborEncoder, ShortestForms) {
  for (std::uint64_t v : {0ull, 23ull, 24ull, 255ull, 256ull, 65535ull, 65536ull, 0xffffffffull, 0x100000000ull,
                          0xffffffffffffffffull}) {
    std::uint8_t buf[9];
    Encoder e{MutableBytes(buf)};
    e.write_uint(v);
    auto out = e.finish();
    ASSERT_TRUE(out.ok());
    const std::size_t width = v < 24 ? 1 : v <= 0xff ? 2 : v <= 0xffff ? 3 : v <= 0xffffffffull ? 5 : 9;
    EXPECT_EQ(out->size(), width) << v;
    Decoder d(*out);
    std::uint64_t back = 0;
    ASSERT_TRUE(d.read_uint(back).ok()) << v;  // the strict reader accepts only shortest forms
    EXPECT_EQ(back, v);
  }
}

TEST(CborEncoder, EncodeHeadWritesPreferredHeads) {
  struct Case {
    Major major;
    std::uint64_t arg;
    const char* hex;
  } cases[] = {{Major::uint, 0, "00"},
               {Major::uint, 23, "17"},
               {Major::nint, 24, "3818"},
               {Major::bstr, 255, "58ff"},
               {Major::tstr, 256, "790100"},
               {Major::array, 65535, "99ffff"},
               {Major::map, 65536, "ba00010000"},
               {Major::tag, 0xffffffffull, "daffffffff"},
               {Major::bstr, 0x100000000ull, "5b0000000100000000"},
               {Major::simple, 22, "f6"}};
  for (const auto& c : cases) {
    std::uint8_t head[9];
    const Bytes written(head, encode_head(c.major, head, c.arg));
    EXPECT_EQ(std::vector<std::uint8_t>(written.begin(), written.end()), hex(c.hex)) << c.hex;
  }
}

TEST(CborDecoder, PublicSuitExamplesAreDeterministic) {
  for (const char* name : {"suit_manifest_exp0.suit", "suit_manifest_exp1.suit", "suit_manifest_exp2A.suit",
                           "suit_manifest_exp2B.suit", "suit_manifest_exp3.suit", "suit_manifest_exp4.suit",
                           "suit_manifest_exp5.suit"}) {
    std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
    ASSERT_TRUE(in) << name;
    const std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(validate(data).code(), Code::ok) << name;
  }
}

}  // namespace
}  // namespace ft::cbor
