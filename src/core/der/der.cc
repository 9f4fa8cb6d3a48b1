#include "ft/der/der.h"

namespace ft::der {

namespace {

// peek decodes the element at the front of data (identifier, length, contents) without taking it,
// and checks that its contents fit inside data. Lengths above 4 octets are too_large, so every
// length fits in 32 bits.
Status peek(const Bytes& data, Element& out) {
  const std::size_t size = data.size();
  if (size == 0) return {Code::truncated, "DER: input ends before an element"};
  const std::uint8_t identifier = data[0];
  const bool high_tag = (identifier & 0x1f) == 0x1f;
  // An identifier 0 is never the high-tag form, so checking it first keeps each input's error.
  if (identifier == 0) return {Code::malformed, "DER: end-of-contents octets outside an indefinite length"};
  if (size < 2) return {Code::truncated, high_tag ? "DER: input ends inside a tag" : "DER: input ends inside a length"};
  if (high_tag) {
    // High-tag-number form. Only numbers above 30 may use it, without a leading zero group.
    if (data[1] == 0x80 || data[1] < 0x1f) return {Code::non_canonical, "DER: tag number not in its shortest form"};
    return {Code::unsupported, "DER: tag numbers above 30 are not used by supported structures"};
  }
  std::size_t header = 2;
  std::size_t length = data[1];
  if (length == 0x80) return {Code::non_canonical, "DER: indefinite length (BER only)"};
  if (length == 0xff) return {Code::malformed, "DER: reserved length octet 0xFF"};
  if (length > 0x80) {
    const std::size_t octets = length & 0x7f;
    if (octets > 4) return {Code::too_large, "DER: length field longer than 4 octets"};
    if (size < 2 + octets) return {Code::truncated, "DER: input ends inside a length"};
    if (data[2] == 0) return {Code::non_canonical, "DER: length with a leading zero octet"};
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | data[2 + i];
    if (length < 0x80) return {Code::non_canonical, "DER: long-form length below 128"};
    header += octets;
  }
  if (length > size - header) return {Code::truncated, "DER: element extends past the end of its input"};
  out.tag = identifier;
  out.encoded = data.first(header + length);
  out.contents = out.encoded.subspan(header);
  return {};
}

// peek_tagged is peek for an element that must carry tag.
Status peek_tagged(const Reader& in, Tag tag, Element& out) {
  FT_TRY(peek(in.rest(), out));
  if (out.tag != tag) return {Code::wrong_type, "DER: unexpected tag"};
  return {};
}

// take moves in past element, which peek found at its front.
void take(Reader& in, const Element& element) { in = Reader(in.rest().subspan(element.encoded.size())); }

// check_bit_string applies the BIT STRING rules to content octets (unused-bits octet first).
Status check_bit_string(const Bytes& contents) {
  if (contents.empty()) return {Code::malformed, "DER: BIT STRING without the unused-bits octet"};
  const unsigned unused = contents[0];
  if (unused > 7) return {Code::malformed, "DER: BIT STRING with more than 7 unused bits"};
  if (contents.size() == 1) {
    if (unused != 0) return {Code::malformed, "DER: empty BIT STRING with unused bits"};
  } else if ((contents.back() & ((1u << unused) - 1)) != 0) {
    return {Code::non_canonical, "DER: BIT STRING padding bits not zero"};
  }
  return {};
}

// check_primitive applies the DER rules of the universal primitives this module knows (BOOLEAN,
// INTEGER, BIT STRING, OBJECT IDENTIFIER, NULL) to contents; other tags pass.
Status check_primitive(Tag tag, const Bytes& contents) {
  switch (tag) {
    case kBoolean:
      if (contents.size() != 1) return {Code::malformed, "DER: BOOLEAN must have one content octet"};
      if (contents[0] != 0x00 && contents[0] != 0xff) return {Code::non_canonical, "DER: BOOLEAN not 0x00 or 0xFF"};
      return {};
    case kInteger:
      return check_integer(contents);
    case kBitString:
      return check_bit_string(contents);
    case kOid:
      return check_oid(contents);
    case kNull:
      if (!contents.empty()) return {Code::malformed, "DER: NULL with content octets"};
      return {};
    default:
      return {};
  }
}

// take_tagged takes the element at the front of in, which must carry tag and, when check is set,
// have contents that obey check_primitive; in is unchanged on failure. The one implementation
// under read, read_element and the checked read_* functions.
Status take_tagged(Reader& in, Tag tag, bool check, Element& out) {
  FT_TRY(peek_tagged(in, tag, out));
  if (check) FT_TRY(check_primitive(tag, out.contents));
  take(in, out);
  return {};
}

// read_contents is take_tagged returning the content octets.
Status read_contents(Reader& in, Tag tag, bool check, Bytes& contents) {
  Unfilled<Element> element_storage;  // written by the read below before any use
  Element& element = element_storage.get();
  FT_TRY(take_tagged(in, tag, check, element));
  contents = element.contents;
  return {};
}

// read_checked reads an element carrying tag whose contents obey check_primitive.
Status read_checked(Reader& in, Tag tag, Bytes& contents) { return read_contents(in, tag, true, contents); }

// compare_padded orders two encodings as X.690 11.6 does for SET OF: octet by octet, the shorter
// one padded with zero octets at its end. Returns <0, 0, >0.
int compare_padded(const Bytes& a, const Bytes& b) {
  const std::size_t n = a.size() > b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t x = i < a.size() ? a[i] : 0;
    const std::uint8_t y = i < b.size() ? b[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace

Status read_any(Reader& in, Element& out) {
  FT_TRY(peek(in.rest(), out));
  take(in, out);
  return {};
}

Status read(Reader& in, Tag tag, Bytes& contents) { return read_contents(in, tag, false, contents); }

Status read(Reader& in, Tag tag, Reader& contents) {
  Unfilled<Bytes> bytes_storage;  // written by the read below before any use
  Bytes& bytes = bytes_storage.get();
  FT_TRY(read(in, tag, bytes));
  contents = Reader(bytes);
  return {};
}

Status read_element(Reader& in, Tag tag, Bytes& encoded) {
  Unfilled<Element> element_storage;  // written by the read below before any use
  Element& element = element_storage.get();
  FT_TRY(take_tagged(in, tag, false, element));
  encoded = element.encoded;
  return {};
}

Status read_optional(Reader& in, Tag tag, Bytes& contents, bool& present) {
  present = next_is(in, tag);
  if (!present) return {};
  return read(in, tag, contents);
}

bool next_is(const Reader& in, Tag tag) {
  // A tag's number is 0..30, so a high-tag-number identifier (number bits 0x1f) never equals it.
  std::uint8_t identifier = 0;
  return in.peek_u8(identifier) && identifier == tag;
}

Status read_boolean(Reader& in, bool& out) {
  Bytes contents;
  FT_TRY(read_checked(in, kBoolean, contents));
  out = contents[0] != 0;
  return {};
}

Status check_integer(const Bytes& contents) {
  if (contents.empty()) return {Code::malformed, "DER: INTEGER without content octets"};
  if (contents.size() > 1) {
    const unsigned top9 = (static_cast<unsigned>(contents[0]) << 1) | (contents[1] >> 7);
    if (top9 == 0 || top9 == 0x1ff) return {Code::non_canonical, "DER: INTEGER with a superfluous leading octet"};
  }
  return {};
}

Status read_integer(Reader& in, Bytes& contents) { return read_checked(in, kInteger, contents); }

Status read_uint64(Reader& in, std::uint64_t& out) {
  Reader probe = in;
  Bytes value;
  FT_TRY(read_integer(probe, value));
  if ((value[0] & 0x80) != 0) return {Code::malformed, "DER: negative INTEGER where a non-negative one is required"};
  if (value[0] == 0x00) value = value.subspan(1);  // canonical, so only a sign octet
  if (value.size() > 8) return {Code::too_large, "DER: INTEGER does not fit in 64 bits"};
  std::uint64_t result = 0;
  for (const std::uint8_t b : value) result = (result << 8) | b;
  out = result;
  in = probe;
  return {};
}

bool BitString::bit(std::size_t i) const {
  if (i >= bit_count()) return false;
  return ((bytes[i / 8] >> (7 - i % 8)) & 1) != 0;
}

Status read_bit_string(Reader& in, BitString& out) {
  Bytes contents;
  FT_TRY(read_checked(in, kBitString, contents));
  out.bytes = contents.subspan(1);
  out.unused_bits = contents[0];
  return {};
}

Status read_octet_aligned_bit_string(Reader& in, Bytes& out) {
  Reader probe = in;
  Bytes contents;
  FT_TRY(read_checked(probe, kBitString, contents));
  if (contents[0] != 0) return {Code::malformed, "DER: BIT STRING must hold whole octets"};
  out = contents.subspan(1);
  in = probe;
  return {};
}

Status read_named_bits(Reader& in, std::uint32_t& mask) {
  Reader probe = in;
  Bytes contents;
  FT_TRY(read_checked(probe, kBitString, contents));
  FT_TRY(decode_named_bits(contents, mask));
  in = probe;
  return {};
}

Status check_oid(const Bytes& contents) {
  if (contents.empty()) return {Code::malformed, "DER: OBJECT IDENTIFIER without content octets"};
  bool at_subidentifier_start = true;
  for (const std::uint8_t b : contents) {
    if (at_subidentifier_start && b == 0x80)
      return {Code::non_canonical, "DER: OID subidentifier with a leading zero group"};
    at_subidentifier_start = (b & 0x80) == 0;
  }
  if (!at_subidentifier_start) return {Code::malformed, "DER: OID ends inside a subidentifier"};
  return {};
}

Status read_oid(Reader& in, Bytes& contents) { return read_checked(in, kOid, contents); }

Status read_null(Reader& in) {
  Bytes contents;
  return read_checked(in, kNull, contents);
}

Status check_set_of_order(const Bytes& set_contents) {
  Reader in(set_contents);
  Bytes previous;
  while (!in.empty()) {
    Unfilled<Element> element_storage;  // written by the read below before any use
    Element& element = element_storage.get();
    FT_TRY(read_any(in, element));
    if (!previous.empty() && compare_padded(previous, element.encoded) > 0) {
      return {Code::non_canonical, "DER: SET OF elements not in ascending order"};
    }
    previous = element.encoded;
  }
  return {};
}

Status check_element(const Bytes& encoded) {
  // An explicit stack of the constructed elements being walked instead of recursion: a bootloader
  // pays two pointers per level, not a stack frame. Children are checked before their SET's
  // order, as a recursive walk would. Elements are consecutive, so one position serves every level.
  const std::uint8_t* start[kMaxNestingDepth];  // contents of each open constructed element
  const std::uint8_t* end[kMaxNestingDepth];
  std::uint32_t is_set = 0;  // bit d: the element open at depth d is a SET
  std::size_t depth = 0;
  Reader in(encoded);
  Unfilled<Element> element_storage;  // written by the read below before any use
  Element& element = element_storage.get();
  FT_TRY(read_any(in, element));
  FT_TRY(expect_end(in));
  const std::uint8_t* position = element.contents.data();
  for (;;) {
    if ((element.tag & kConstructed) != 0) {
      if (depth == kMaxNestingDepth) return {Code::depth_exceeded, "DER: nesting deeper than the supported bound"};
      start[depth] = element.contents.data();
      end[depth] = start[depth] + element.contents.size();
      is_set = element.tag == kSet ? is_set | (1u << depth) : is_set & ~(1u << depth);
      position = start[depth];
      ++depth;
    } else {
      FT_TRY(check_primitive(element.tag, element.contents));
    }
    // Leave every open element whose contents are done, then take the next sibling.
    while (depth > 0 && position == end[depth - 1]) {
      --depth;
      if ((is_set >> depth) & 1u) FT_TRY(check_set_of_order(Bytes(start[depth], end[depth])));
    }
    if (depth == 0) return {};
    FT_TRY(peek(Bytes(position, end[depth - 1]), element));
    position += element.encoded.size();
  }
}

Status check_optional_element(Bytes rest) {
  if (rest.empty()) return {};
  return check_element(rest);
}

Status expect_end(const Reader& in) {
  if (!in.empty()) return {Code::trailing_data, "DER: bytes left over after the last element"};
  return {};
}

Status read_only(const Bytes& encoded, Tag tag, Reader& contents) {
  Reader in(encoded);
  FT_TRY(read(in, tag, contents));
  return expect_end(in);
}

namespace {

// read_row reads the element row describes from the front of level, as read_fields does.
Status read_row(Reader& level, const Field& row, void* out) {
  const unsigned rules = row.rules;
  // offset is an offsetof of a Bytes member, so the slot is a properly aligned Bytes.
  auto* const slot = static_cast<Bytes*>(static_cast<void*>(static_cast<std::uint8_t*>(out) + row.offset));
  if ((rules & kRest) != 0) {
    // check_optional_element, without a call kept in the image only for this. The slot is
    // stored first and checked in place (no copy of the rest: flash); after an error no caller
    // reads it.
    *slot = level.rest();
    level = Reader();
    if (!slot->empty()) return check_element(*slot);
    return {};
  }
  // The next identifier octet read in place (not through peek_u8 and a local: flash).
  if ((rules & (kOptional | kOptionalAtEnd)) != 0 && level.empty()) return {};
  if ((rules & kOptional) != 0 && level.rest()[0] != row.identifier) return {};
  const Tag tag = row.identifier;
  Unfilled<Element> element_storage;  // written by the read below before any use
  Element& element = element_storage.get();
  FT_TRY(take_tagged(level, tag, true, element));
  Bytes& value = element.contents;  // the element is scratch: narrowed in place, not copied (flash)
  if ((rules & kEnter) != 0) {
    FT_TRY(expect_end(level));
    level = Reader(value);
    return {};
  }
  if ((rules & kTrueOnly) != 0 && value[0] == 0) {
    return {Code::non_canonical, "DER: BOOLEAN DEFAULT FALSE encoded as FALSE"};
  }
  if ((rules & kWholeOctets) != 0) {
    if (value[0] != 0) return {Code::malformed, "DER: BIT STRING must hold whole octets"};
    value = value.subspan(1);
  }
  *slot = (rules & kKeepEncoded) != 0 ? element.encoded : value;
  return {};
}

}  // namespace

Status read_fields_checked(Reader& in, const Field* fields, std::size_t count, void* out, FieldCheck check) {
  for (std::size_t i = 0; i <= count; ++i) {
    Status status;
    if (i < count) {
      status = read_row(in, fields[i], out);
      if (!status.ok()) status = {status.code(), fields[i].name};
    } else if ((fields[i - 1].rules & kLeaveOpen) == 0) {  // i == count: the last row
      status = expect_end(in);
    }
    if (check != nullptr) status = check(i, status, out);
    FT_TRY(status);
  }
  return {};
}

Status read_fields(Reader& in, const Field* fields, std::size_t count, void* out) {
  return read_fields_checked(in, fields, count, out, nullptr);
}

}  // namespace ft::der
