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
#include "ft/base/unfilled.h"
#include "ft/base/error.h"

namespace ft::der {

// Tag — the identifier octet itself: class in bits 8-7, the constructed bit 6, the tag number
// (0..30) in bits 5-1. Only the low-tag-number form is read, so one octet holds every tag; kept as
// it is, a tag is a small immediate at each call site instead of a literal-pool word (flash).
using Tag = std::uint32_t;

inline constexpr Tag kConstructed = 0x20u;
inline constexpr Tag kApplication = 0x40u;
inline constexpr Tag kContextSpecific = 0x80u;
inline constexpr Tag kPrivate = 0xC0u;

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
Status check_integer(const Bytes& contents);

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

// decode_named_bits decodes the contents of such a BIT STRING (the unused-bits octet, then the
// bits; already read and checked as a BIT STRING) with the same rules: what read_named_bits does
// after its read, for a caller that read the element itself. Inline: each image keeps the one
// copy its single user needs (x509's keyUsage; read_named_bits is not in the bootloader).
inline Status decode_named_bits(const Bytes& contents, std::uint32_t& mask) {
  const unsigned unused_bits = contents[0];
  const Bytes bytes = contents.subspan(1);
  if (!bytes.empty() && ((bytes.back() >> unused_bits) & 1) == 0) {
    return {Code::non_canonical, "DER: named bit list with trailing zero bits"};
  }
  const std::size_t bit_count = bytes.size() * 8 - unused_bits;
  if (bit_count > 32) return {Code::too_large, "DER: named bit list longer than 32 bits"};
  std::uint32_t result = 0;
  for (std::size_t i = 0; i < bit_count; ++i) {
    result |= static_cast<std::uint32_t>((bytes[i / 8] >> (7 - i % 8)) & 1u) << i;
  }
  mask = result;
  return {};
}

// read_oid reads an OBJECT IDENTIFIER and returns its content octets (compare with bytes_equal
// against the encoded constant). check_oid validates content octets.
Status read_oid(Reader& in, Bytes& contents);
Status check_oid(const Bytes& contents);

// read_null reads a NULL (no content octets).
Status read_null(Reader& in);

// check_set_of_order checks that the elements of a SET OF (its content octets) appear in
// ascending order of their encodings; non_canonical otherwise. The elements must be well-formed.
Status check_set_of_order(const Bytes& set_contents);

// kMaxNestingDepth bounds how deep check_element descends into constructed elements.
inline constexpr int kMaxNestingDepth = 16;

// check_element checks that encoded is exactly one DER element, for content whose structure the
// caller does not interpret (name attribute values, unknown algorithm parameters): every
// constructed element inside is walked to kMaxNestingDepth levels (depth_exceeded beyond), and the
// universal primitives BOOLEAN, INTEGER, BIT STRING, OBJECT IDENTIFIER and NULL are checked as
// their read_* functions would. The walk is bounded recursion, one frame per level.
Status check_element(const Bytes& encoded);

// check_optional_element is check_element for the rest of a structure that ends in one optional
// element (e.g. AlgorithmIdentifier parameters): ok when rest is empty or exactly one element.
Status check_optional_element(Bytes rest);

// expect_end returns trailing_data unless in is empty.
Status expect_end(const Reader& in);

// read_only reads encoded, which must be exactly one element carrying tag (trailing_data when more
// follows), and returns its content octets as a Reader.
Status read_only(const Bytes& encoded, Tag tag, Reader& contents);

// ---- Table-driven reading of fixed structures ----
//
// A structure of fixed shape (the components of a SEQUENCE, in order) is described by a table of
// Field rows, and read_fields reads it in one loop instead of one checked call per component (each
// such call costs 12-16 bytes of Thumb-2 at its call site; a row costs 4 bytes of flash).
// Row i describes the next element of the current level: it must carry row i's identifier octet,
// and it is checked as read_any and the read_* function of its universal type would check it (the
// same codes, in the same order). Then the row's rules apply, and the element is stored as a Bytes
// in the output object at the row's offset. Example (a SubjectPublicKeyInfo):
//   {0x30, kEnter, 0, "SubjectPublicKeyInfo"},                       SEQUENCE, read inside it
//   {0x30, 0, offsetof(Out, algorithm), "algorithm"},                 AlgorithmIdentifier contents
//   {0x03, kWholeOctets, offsetof(Out, key), "subjectPublicKey"},     BIT STRING without unused bits
// and then nothing may follow inside the SEQUENCE.

// FieldRule — bits of Field::rules.
enum FieldRule : std::uint8_t {
  kOptional = 1u << 0,     // absent when the next element has another identifier, or none is left
                           // (as read_optional). An absent row's slot is not written; a present
                           // element's span never has null data, even when empty, so a slot that
                           // starts as {} tells presence
  kKeepEncoded = 1u << 1,  // store the whole encoding (header + contents), not the contents
  kEnter = 1u << 2,        // the element must be the last of its level (trailing_data otherwise);
                           // the rows that follow read its contents. Nothing is stored
  kWholeOctets = 1u << 3,  // BIT STRING with no unused bits (malformed otherwise); store its bytes
                           // without the unused-bits octet (keys, signatures)
  kTrueOnly = 1u << 4,     // BOOLEAN DEFAULT FALSE: FALSE must be omitted (non_canonical when encoded)
  kRest = 1u << 5,         // the rest of the level is nothing or exactly one element, checked by
                           // check_optional_element (ANY DEFINED BY parameters) and stored as it is;
                           // the row's identifier (0) is not looked at
  kLeaveOpen = 1u << 6,    // after this (last) row, elements may follow: the caller reads them
  kOptionalAtEnd = 1u << 7,  // absent only when none is left (a last OPTIONAL component read as "if
                             // anything follows, it must be this"); the slot is not written
};

// Field — one row of a structure table. offset is offsetof(Output, member) of a Bytes member.
struct Field {
  constexpr Field(std::uint8_t identifier_in, std::uint8_t rules_in, std::uint16_t offset_in,
                  [[maybe_unused]] const char* name_in)
      : identifier(identifier_in),
        rules(rules_in),
        offset(offset_in)
#if FT_CORE_MESSAGES
        ,
        name(name_in)
#endif
  {
  }
  std::uint8_t identifier;  // the identifier octet: class, constructed bit and tag number 0..30
  std::uint8_t rules;       // FieldRule bits
  std::uint16_t offset;     // where the element goes in the output object
#if FT_CORE_MESSAGES
  const char* name;  // the component's name: the message of every error found at this row
#else
  static constexpr const char* name = "";  // messages compiled out (see ft/base/error.h)
#endif
};

// read_fields reads the elements of in as the count rows at fields describe, storing them into out
// (an object whose Bytes members the rows' offsets name). Unless the last row has kLeaveOpen, the
// level must then be done (trailing_data). On success in holds the rest of the innermost level
// entered (empty unless kLeaveOpen). Errors are those of the read_* functions, with the row's name
// as message; after one, in is unspecified and the slots already stored keep their values (a kRest
// row's slot is stored before its element is checked).
Status read_fields(Reader& in, const Field* fields, std::size_t count, void* out);
// read_fields for a table given as an array (the usual call).
template <std::size_t N>
Status read_fields(Reader& in, const Field (&fields)[N], void* out) {
  return read_fields(in, fields, N, out);
}

// FieldCheck — a caller's checks between the rows of read_fields_checked. It is called after row
// `row` was read, with that read's status (ok, or the error read_fields would return), and, when
// the level must then be done, once more with row == count and the status of that end check. It
// returns the status to go on with: ok reads the next row, an error ends the read and is returned
// as it is. A structure whose semantic checks sit between its reads (TBSCertificate: the version
// is judged before the serial number is read) keeps its error precedence this way and still reads
// in one loop, without one checked call per component (flash).
using FieldCheck = Status (*)(std::size_t row, Status status, void* out);

// read_fields_checked is read_fields with check called after every row and after the end check.
Status read_fields_checked(Reader& in, const Field* fields, std::size_t count, void* out, FieldCheck check);

}  // namespace ft::der
