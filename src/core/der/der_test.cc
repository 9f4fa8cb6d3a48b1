#include "ft/der/der.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace ft::der {
namespace {

using Buf = std::vector<std::uint8_t>;

Buf buf(std::initializer_list<int> bytes) {
  Buf out;
  for (const int b : bytes) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}

// ReadCode runs one reader function over data and returns its code; on success it also requires
// the whole input to be consumed, on failure that the reader did not move.
template <typename Fn>
Code read_code(const Buf& data, Fn fn) {
  Reader in{Bytes(data)};
  const Status status = fn(in);
  if (status.ok()) {
    EXPECT_TRUE(in.empty()) << "element not fully consumed";
  } else {
    EXPECT_EQ(in.remaining(), data.size()) << "reader moved on failure";
  }
  return status.code();
}

Code any_code(const Buf& data) {
  return read_code(data, [](Reader& in) {
    Element e;
    return read_any(in, e);
  });
}

TEST(DerHeader, ShortAndLongFormLengths) {
  Buf long_form = buf({0x04, 0x81, 0x80});
  long_form.resize(3 + 0x80, 0xaa);
  Reader in{Bytes(long_form)};
  Element e;
  ASSERT_TRUE(read_any(in, e).ok());
  EXPECT_EQ(e.tag, kOctetString);
  EXPECT_EQ(e.contents.size(), 0x80u);
  EXPECT_EQ(e.encoded.size(), long_form.size());
  EXPECT_EQ(e.contents.data(), long_form.data() + 3);  // zero-copy

  Buf two_octets = buf({0x04, 0x82, 0x01, 0x00});
  two_octets.resize(4 + 256, 0);
  EXPECT_EQ(any_code(two_octets), Code::ok);
  EXPECT_EQ(any_code(buf({0x05, 0x00})), Code::ok);
}

TEST(DerHeader, RejectsNonMinimalLengths) {
  EXPECT_EQ(any_code(buf({0x04, 0x81, 0x05, 1, 2, 3, 4, 5})), Code::non_canonical);  // long form < 128
  Buf leading_zero = buf({0x04, 0x82, 0x00, 0x80});
  leading_zero.resize(4 + 0x80, 0);
  EXPECT_EQ(any_code(leading_zero), Code::non_canonical);
  EXPECT_EQ(any_code(buf({0x30, 0x80, 0x05, 0x00, 0x00, 0x00})), Code::non_canonical);  // indefinite
  EXPECT_EQ(any_code(buf({0x04, 0xff, 0x00})), Code::malformed);
  EXPECT_EQ(any_code(buf({0x04, 0x85, 0, 0, 0, 0, 1, 0})), Code::too_large);
}

TEST(DerHeader, RejectsTruncation) {
  EXPECT_EQ(any_code(buf({})), Code::truncated);
  EXPECT_EQ(any_code(buf({0x04})), Code::truncated);
  EXPECT_EQ(any_code(buf({0x04, 0x03, 1, 2})), Code::truncated);
  EXPECT_EQ(any_code(buf({0x04, 0x82, 0x01})), Code::truncated);
  EXPECT_EQ(any_code(buf({0x04, 0x82, 0x01, 0x00, 0})), Code::truncated);
}

TEST(DerHeader, HighTagNumberForm) {
  EXPECT_EQ(any_code(buf({0x1f, 0x05, 0x00})), Code::non_canonical);        // 5 fits the low form
  EXPECT_EQ(any_code(buf({0x9f, 0x80, 0x21, 0x00})), Code::non_canonical);  // leading zero group
  EXPECT_EQ(any_code(buf({0x9f, 0x21, 0x00})), Code::unsupported);          // [33]: never needed
  EXPECT_EQ(any_code(buf({0x1f})), Code::truncated);
  EXPECT_EQ(any_code(buf({0x00, 0x00})), Code::malformed);  // end-of-contents
}

TEST(DerRead, TagMismatchLeavesReader) {
  const Buf data = buf({0x02, 0x01, 0x05});
  Reader in{Bytes(data)};
  Bytes contents;
  EXPECT_EQ(read(in, kOctetString, contents).code(), Code::wrong_type);
  EXPECT_EQ(in.remaining(), 3u);
  ASSERT_TRUE(read(in, kInteger, contents).ok());
  EXPECT_EQ(contents.size(), 1u);
  EXPECT_TRUE(expect_end(in).ok());
}

TEST(DerRead, ConstructedAndContextTags) {
  // [0] EXPLICIT { INTEGER 2 }, [1] IMPLICIT OCTET STRING, SEQUENCE {}
  const Buf data = buf({0xa0, 0x03, 0x02, 0x01, 0x02, 0x81, 0x01, 0x07, 0x30, 0x00});
  Reader in{Bytes(data)};
  EXPECT_TRUE(next_is(in, context_constructed(0)));
  EXPECT_FALSE(next_is(in, context(0)));
  Reader explicit_version;
  ASSERT_TRUE(read(in, context_constructed(0), explicit_version).ok());
  std::uint64_t version = 0;
  ASSERT_TRUE(read_uint64(explicit_version, version).ok());
  EXPECT_EQ(version, 2u);
  EXPECT_TRUE(expect_end(explicit_version).ok());

  Bytes implicit;
  bool present = false;
  ASSERT_TRUE(read_optional(in, context(2), implicit, present).ok());
  EXPECT_FALSE(present);
  ASSERT_TRUE(read_optional(in, context(1), implicit, present).ok());
  EXPECT_TRUE(present);
  ASSERT_EQ(implicit.size(), 1u);
  EXPECT_EQ(implicit[0], 7);
  Bytes seq;
  ASSERT_TRUE(read_element(in, kSequence, seq).ok());
  EXPECT_EQ(seq.size(), 2u);
  EXPECT_TRUE(in.empty());
  ASSERT_TRUE(read_optional(in, kSequence, seq, present).ok());  // empty reader: absent
  EXPECT_FALSE(present);
}

TEST(DerRead, TrailingDataDetected) {
  const Buf data = buf({0x05, 0x00, 0x00});
  Reader in{Bytes(data)};
  ASSERT_TRUE(read_null(in).ok());
  EXPECT_EQ(expect_end(in).code(), Code::trailing_data);
}

Code integer_code(const Buf& data) {
  return read_code(data, [](Reader& in) {
    Bytes value;
    return read_integer(in, value);
  });
}

TEST(DerInteger, Canonical) {
  EXPECT_EQ(integer_code(buf({0x02, 0x01, 0x00})), Code::ok);
  EXPECT_EQ(integer_code(buf({0x02, 0x01, 0x7f})), Code::ok);
  EXPECT_EQ(integer_code(buf({0x02, 0x02, 0x00, 0x80})), Code::ok);  // needed sign octet
  EXPECT_EQ(integer_code(buf({0x02, 0x01, 0xff})), Code::ok);        // -1
  EXPECT_EQ(integer_code(buf({0x02, 0x02, 0xff, 0x7f})), Code::ok);  // -129
}

TEST(DerInteger, NonCanonical) {
  EXPECT_EQ(integer_code(buf({0x02, 0x02, 0x00, 0x7f})), Code::non_canonical);
  EXPECT_EQ(integer_code(buf({0x02, 0x02, 0x00, 0x00})), Code::non_canonical);
  EXPECT_EQ(integer_code(buf({0x02, 0x02, 0xff, 0x80})), Code::non_canonical);
  EXPECT_EQ(integer_code(buf({0x02, 0x00})), Code::malformed);
  EXPECT_EQ(integer_code(buf({0x22, 0x03, 0x02, 0x01, 0x01})), Code::wrong_type);  // constructed
}

TEST(DerInteger, Uint64) {
  auto value_of = [](const Buf& data, std::uint64_t& out) {
    Reader in{Bytes(data)};
    return read_uint64(in, out).code();
  };
  std::uint64_t v = 0;
  EXPECT_EQ(value_of(buf({0x02, 0x01, 0x00}), v), Code::ok);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(value_of(buf({0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), v), Code::ok);
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_EQ(value_of(buf({0x02, 0x02, 0x01, 0x00}), v), Code::ok);
  EXPECT_EQ(v, 256u);
  EXPECT_EQ(value_of(buf({0x02, 0x01, 0x80}), v), Code::malformed);  // negative
  EXPECT_EQ(value_of(buf({0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}), v), Code::too_large);
  EXPECT_EQ(value_of(buf({0x02, 0x02, 0x00, 0x01}), v), Code::non_canonical);
}

Code boolean_code(const Buf& data, bool& out) {
  return read_code(data, [&out](Reader& in) { return read_boolean(in, out); });
}

TEST(DerBoolean, OnlyZeroOrAllOnes) {
  bool v = false;
  EXPECT_EQ(boolean_code(buf({0x01, 0x01, 0xff}), v), Code::ok);
  EXPECT_TRUE(v);
  EXPECT_EQ(boolean_code(buf({0x01, 0x01, 0x00}), v), Code::ok);
  EXPECT_FALSE(v);
  EXPECT_EQ(boolean_code(buf({0x01, 0x01, 0x01}), v), Code::non_canonical);
  EXPECT_EQ(boolean_code(buf({0x01, 0x02, 0xff, 0xff}), v), Code::malformed);
  EXPECT_EQ(boolean_code(buf({0x01, 0x00}), v), Code::malformed);
}

TEST(DerBitString, UnusedBitsRules) {
  auto code_of = [](const Buf& data) {
    return read_code(data, [](Reader& in) {
      BitString b;
      return read_bit_string(in, b);
    });
  };
  EXPECT_EQ(code_of(buf({0x03, 0x01, 0x00})), Code::ok);  // empty
  EXPECT_EQ(code_of(buf({0x03, 0x02, 0x07, 0x80})), Code::ok);
  EXPECT_EQ(code_of(buf({0x03, 0x00})), Code::malformed);
  EXPECT_EQ(code_of(buf({0x03, 0x01, 0x01})), Code::malformed);            // unused bits, no bits
  EXPECT_EQ(code_of(buf({0x03, 0x02, 0x08, 0x00})), Code::malformed);      // unused > 7
  EXPECT_EQ(code_of(buf({0x03, 0x02, 0x07, 0x81})), Code::non_canonical);  // padding bit set

  const Buf data = buf({0x03, 0x03, 0x06, 0xa5, 0x40});
  Reader in{Bytes(data)};
  BitString b;
  ASSERT_TRUE(read_bit_string(in, b).ok());
  EXPECT_EQ(b.bit_count(), 10u);
  EXPECT_TRUE(b.bit(0));
  EXPECT_FALSE(b.bit(1));
  EXPECT_TRUE(b.bit(9));
  EXPECT_FALSE(b.bit(10));  // beyond the end
}

TEST(DerBitString, OctetAligned) {
  const Buf good = buf({0x03, 0x03, 0x00, 0x12, 0x34});
  Reader in{Bytes(good)};
  Bytes bytes;
  ASSERT_TRUE(read_octet_aligned_bit_string(in, bytes).ok());
  EXPECT_EQ(bytes.size(), 2u);
  const Buf unaligned = buf({0x03, 0x02, 0x01, 0x02});
  Reader in2{Bytes(unaligned)};
  EXPECT_EQ(read_octet_aligned_bit_string(in2, bytes).code(), Code::malformed);
  EXPECT_EQ(in2.remaining(), unaligned.size());
}

TEST(DerBitString, NamedBitListMinimal) {
  auto mask_of = [](const Buf& data, std::uint32_t& mask) {
    return read_code(data, [&mask](Reader& in) { return read_named_bits(in, mask); });
  };
  std::uint32_t mask = 0;
  // keyUsage digitalSignature only: 03 02 07 80
  EXPECT_EQ(mask_of(buf({0x03, 0x02, 0x07, 0x80}), mask), Code::ok);
  EXPECT_EQ(mask, 1u);
  // keyCertSign | cRLSign: bits 5, 6 -> 0x06 -> 03 02 01 06
  EXPECT_EQ(mask_of(buf({0x03, 0x02, 0x01, 0x06}), mask), Code::ok);
  EXPECT_EQ(mask, (1u << 5) | (1u << 6));
  // decipherOnly (bit 8): 03 03 07 00 80
  EXPECT_EQ(mask_of(buf({0x03, 0x03, 0x07, 0x00, 0x80}), mask), Code::ok);
  EXPECT_EQ(mask, 1u << 8);
  // digitalSignature with a trailing zero bit kept: 03 02 06 80
  EXPECT_EQ(mask_of(buf({0x03, 0x02, 0x06, 0x80}), mask), Code::non_canonical);
  // trailing zero octet
  EXPECT_EQ(mask_of(buf({0x03, 0x03, 0x00, 0x80, 0x00}), mask), Code::non_canonical);
  EXPECT_EQ(mask_of(buf({0x03, 0x01, 0x00}), mask), Code::ok);  // no bits at all
  EXPECT_EQ(mask, 0u);
  Buf wide = buf({0x03, 0x06, 0x07, 0, 0, 0, 0, 0x80});  // bit 32
  EXPECT_EQ(mask_of(wide, mask), Code::too_large);
}

TEST(DerOid, SubidentifierRules) {
  auto code_of = [](const Buf& data) {
    return read_code(data, [](Reader& in) {
      Bytes oid;
      return read_oid(in, oid);
    });
  };
  EXPECT_EQ(code_of(buf({0x06, 0x03, 0x55, 0x1d, 0x13})), Code::ok);  // 2.5.29.19
  EXPECT_EQ(code_of(buf({0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})), Code::ok);
  EXPECT_EQ(code_of(buf({0x06, 0x00})), Code::malformed);
  EXPECT_EQ(code_of(buf({0x06, 0x02, 0x55, 0x86})), Code::malformed);                  // unfinished
  EXPECT_EQ(code_of(buf({0x06, 0x04, 0x55, 0x1d, 0x80, 0x13})), Code::non_canonical);  // 0x80 lead
  EXPECT_EQ(code_of(buf({0x06, 0x02, 0x80, 0x01})), Code::non_canonical);
}

TEST(DerNull, NoContents) {
  Reader in;
  const Buf bad = buf({0x05, 0x01, 0x00});
  in = Reader{Bytes(bad)};
  EXPECT_EQ(read_null(in).code(), Code::malformed);
}

TEST(DerSetOf, Order) {
  // SET { INTEGER 1, INTEGER 2 } in order; reversed is non_canonical; equal elements are fine.
  EXPECT_TRUE(check_set_of_order(Bytes(buf({0x02, 0x01, 0x01, 0x02, 0x01, 0x02}))).ok());
  EXPECT_EQ(check_set_of_order(Bytes(buf({0x02, 0x01, 0x02, 0x02, 0x01, 0x01}))).code(), Code::non_canonical);
  EXPECT_TRUE(check_set_of_order(Bytes(buf({0x02, 0x01, 0x01, 0x02, 0x01, 0x01}))).ok());
  // Compared as octet strings, the shorter padded with zeros: 04 01 01 (00) < 04 02 01 00.
  EXPECT_TRUE(check_set_of_order(Bytes(buf({0x04, 0x01, 0x01, 0x04, 0x02, 0x01, 0x00}))).ok());
  EXPECT_EQ(check_set_of_order(Bytes(buf({0x04, 0x02, 0x01, 0x01, 0x04, 0x01, 0x01}))).code(), Code::non_canonical);
  EXPECT_EQ(check_set_of_order(Bytes(buf({0x02, 0x05, 0x01}))).code(), Code::truncated);
}

}  // namespace
}  // namespace ft::der
