// ft/der/der.h — a strict DER reader (ITU-T X.690 distinguished encoding rules) on ft::Reader.
//
// Every read_* takes one complete element off the front of the reader and returns ok, or returns
// an error and leaves the reader where it was (BoringSSL CBS style). Returned spans point into the
// caller's buffer; nothing is copied and nothing is allocated.
//
// Strictness lives here, so callers cannot forget it:
//   - lengths: definite and minimal (short form below 128, no leading zero octets in the long
//     form, at most 4 length octets); the indefinite form is BER only -> non_canonical
//   - tags: low-tag-number form only (numbers 0..30). A high-tag-number form that encodes a number
//     below 31 or has a leading zero group is non_canonical; real high tags are unsupported (no
//     structure read with this module uses them)
//   - INTEGER: at least one content octet, no superfluous leading 0x00 / 0xFF
//   - BOOLEAN: exactly one octet, 0x00 or 0xFF
//   - BIT STRING: unused-bit count 0..7, zero when empty, padding bits zero; named bit lists also
//     without trailing zero bits (X.690 11.2.2)
//   - OBJECT IDENTIFIER: non-empty, every subidentifier minimal and complete
//   - SET OF: elements in ascending order of their encodings (X.690 11.6)
// Error codes (ft/base/error.h): truncated, non_canonical, malformed, wrong_type, too_large,
// unsupported, trailing_data. Messages are static strings naming the rule that failed; the caller
// knows which field it was reading and says so.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/error.h"

namespace ft::der {

// Tag — the identifier octets packed like BoringSSL's CBS_ASN1_TAG: class and constructed bit in
// the top three bits of the 32-bit value, the tag number (0..30) in the low bits.
using Tag = std::uint32_t;

inline constexpr Tag kConstructed = 0x20u << 24;
inline constexpr Tag kApplication = 0x40u << 24;
inline constexpr Tag kContextSpecific = 0x80u << 24;
inline constexpr Tag kPrivate = 0xC0u << 24;

inline constexpr Tag kBoolean = 1;
inline constexpr Tag kInteger = 2;
inline constexpr Tag kBitString = 3;
inline constexpr Tag kOctetString = 4;
inline constexpr Tag kNull = 5;
inline constexpr Tag kOid = 6;
inline constexpr Tag kUtf8String = 12;
inline constexpr Tag kPrintableString = 19;
inline constexpr Tag kIa5String = 22;
inline constexpr Tag kUtcTime = 23;
inline constexpr Tag kGeneralizedTime = 24;
inline constexpr Tag kSequence = 16 | kConstructed;
inline constexpr Tag kSet = 17 | kConstructed;

// context returns the tag [n] IMPLICIT of a primitive type; context_constructed the tag [n] of a
// constructed (or EXPLICIT) one.
constexpr Tag context(unsigned n) { return kContextSpecific | n; }
constexpr Tag context_constructed(unsigned n) { return kContextSpecific | kConstructed | n; }

// Element — one TLV: its tag, the content octets and the whole encoding (header + contents).
struct Element {
  Tag tag = 0;
  Bytes contents;
  Bytes encoded;
};

// read_any reads the next element whatever its tag.
Status read_any(Reader& in, Element& out);

// read reads the next element, which must carry tag (wrong_type otherwise, reader unchanged), and
// returns its content octets — as a span or as a Reader positioned over them.
Status read(Reader& in, Tag tag, Bytes& contents);
Status read(Reader& in, Tag tag, Reader& contents);

// read_element is read, returning the whole encoding (for signed bytes and exact comparisons).
Status read_element(Reader& in, Tag tag, Bytes& encoded);

// read_optional reads an element with tag when it is next and sets present; when the next element
// has another tag (or the reader is empty) it sets present = false and returns ok.
Status read_optional(Reader& in, Tag tag, Bytes& contents, bool& present);

// next_is returns true when the next element's identifier octet is tag. It does not validate the
// length; the following read does.
[[nodiscard]] bool next_is(const Reader& in, Tag tag);

// read_boolean reads a BOOLEAN (0x00 false, 0xFF true; other values non_canonical).
Status read_boolean(Reader& in, bool& out);

// read_integer reads an INTEGER and returns its content octets (big-endian two's complement,
// canonical). check_integer applies the same rules to content octets read with an implicit tag.
Status read_integer(Reader& in, Bytes& contents);
Status check_integer(Bytes contents);

// read_uint64 reads a non-negative INTEGER that fits in 64 bits; malformed when negative,
// too_large when wider.
Status read_uint64(Reader& in, std::uint64_t& out);

// BitString — the bits of a BIT STRING: bytes without the unused-bits octet; the last
// unused_bits bits of the last byte are padding (always zero once read).
struct BitString {
  Bytes bytes;
  std::uint8_t unused_bits = 0;
  // bit returns bit i in ASN.1 numbering (bit 0 is the most significant bit of the first byte);
  // false beyond the end.
  [[nodiscard]] bool bit(std::size_t i) const;
  // bit_count returns the number of bits held.
  [[nodiscard]] std::size_t bit_count() const { return bytes.size() * 8 - unused_bits; }
};

// read_bit_string reads a BIT STRING.
Status read_bit_string(Reader& in, BitString& out);

// read_octet_aligned_bit_string reads a BIT STRING whose unused-bit count must be 0 (keys,
// signatures) and returns its bytes; malformed otherwise.
Status read_octet_aligned_bit_string(Reader& in, Bytes& out);

// read_named_bits reads a BIT STRING of a named bit list (e.g. keyUsage) into a mask whose bit i is
// ASN.1 bit i. DER removes trailing zero bits, so a list ending in a zero bit is non_canonical; a
// list with bits beyond 31 is too_large.
Status read_named_bits(Reader& in, std::uint32_t& mask);

// read_oid reads an OBJECT IDENTIFIER and returns its content octets (compare with bytes_equal
// against the encoded constant). check_oid validates content octets.
Status read_oid(Reader& in, Bytes& contents);
Status check_oid(Bytes contents);

// read_null reads a NULL (no content octets).
Status read_null(Reader& in);

// check_set_of_order checks that the elements of a SET OF (its content octets) appear in
// ascending order of their encodings; non_canonical otherwise. The elements must be well-formed.
Status check_set_of_order(Bytes set_contents);

// kMaxNestingDepth bounds how deep check_element descends into constructed elements.
inline constexpr int kMaxNestingDepth = 16;

// check_element checks that encoded is exactly one DER element, for content whose structure the
// caller does not interpret (name attribute values, unknown algorithm parameters): every
// constructed element inside is walked to kMaxNestingDepth levels (depth_exceeded beyond), and the
// universal primitives BOOLEAN, INTEGER, BIT STRING, OBJECT IDENTIFIER and NULL are checked as
// their read_* functions would. The walk is bounded recursion, one frame per level.
Status check_element(Bytes encoded);

// check_optional_element is check_element for the rest of a structure that ends in one optional
// element (e.g. AlgorithmIdentifier parameters): ok when rest is empty or exactly one element.
Status check_optional_element(Bytes rest);

// expect_end returns trailing_data unless in is empty.
Status expect_end(const Reader& in);

}  // namespace ft::der
