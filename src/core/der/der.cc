#include "ft/der/der.h"

namespace ft::der {

namespace {

// Header — the decoded identifier and length octets of one element.
struct Header {
  Tag tag = 0;
  std::size_t header_size = 0;
  std::size_t content_size = 0;
};

// parse_header decodes the identifier and length octets at the front of data and checks that the
// contents fit inside data.
Status parse_header(Bytes data, Header& out) {
  Reader in(data);
  std::uint8_t identifier = 0;
  if (!in.get_u8(identifier)) return {Code::truncated, "DER: input ends before an element"};
  if ((identifier & 0x1f) == 0x1f) {
    // High-tag-number form. Only numbers above 30 may use it, without a leading zero group.
    std::uint8_t first = 0;
    if (!in.get_u8(first)) return {Code::truncated, "DER: input ends inside a tag"};
    if (first == 0x80 || first < 0x1f) {
      return {Code::non_canonical, "DER: tag number not in its shortest form"};
    }
    return {Code::unsupported, "DER: tag numbers above 30 are not used by supported structures"};
  }
  if (identifier == 0) return {Code::malformed, "DER: end-of-contents octets outside an indefinite length"};

  std::uint8_t first_length = 0;
  if (!in.get_u8(first_length)) return {Code::truncated, "DER: input ends inside a length"};
  std::uint64_t length = first_length;
  if (first_length == 0x80) return {Code::non_canonical, "DER: indefinite length (BER only)"};
  if (first_length == 0xff) return {Code::malformed, "DER: reserved length octet 0xFF"};
  if (first_length > 0x80) {
    const std::size_t length_octets = first_length & 0x7f;
    if (length_octets > 4) return {Code::too_large, "DER: length field longer than 4 octets"};
    if (!in.get_be(length_octets, length)) return {Code::truncated, "DER: input ends inside a length"};
    if (length < 0x80) return {Code::non_canonical, "DER: long-form length below 128"};
    if ((length >> ((length_octets - 1) * 8)) == 0) {
      return {Code::non_canonical, "DER: length with a leading zero octet"};
    }
  }
  if (length > in.remaining()) return {Code::truncated, "DER: element extends past the end of its input"};
  out.tag = (static_cast<Tag>(identifier & 0xe0) << 24) | (identifier & 0x1fu);
  out.header_size = data.size() - in.remaining();
  out.content_size = static_cast<std::size_t>(length);
  return {};
}

// take_element takes the element described by header off the front of in.
Status take_element(Reader& in, const Header& header, Element& out) {
  Bytes encoded;
  if (!in.get_bytes(header.header_size + header.content_size, encoded)) {
    return {Code::truncated, "DER: element extends past the end of its input"};  // defensive
  }
  out.tag = header.tag;
  out.encoded = encoded;
  out.contents = encoded.subspan(header.header_size);
  return {};
}

// read_tagged reads an element that must carry tag.
Status read_tagged(Reader& in, Tag tag, Element& out) {
  Header header;
  FT_TRY(parse_header(in.rest(), header));
  if (header.tag != tag) return {Code::wrong_type, "DER: unexpected tag"};
  return take_element(in, header, out);
}

// compare_padded orders two encodings as X.690 11.6 does for SET OF: octet by octet, the shorter
// one padded with zero octets at its end. Returns <0, 0, >0.
int compare_padded(Bytes a, Bytes b) {
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
  Header header;
  FT_TRY(parse_header(in.rest(), header));
  return take_element(in, header, out);
}

Status read(Reader& in, Tag tag, Bytes& contents) {
  Element element;
  FT_TRY(read_tagged(in, tag, element));
  contents = element.contents;
  return {};
}

Status read(Reader& in, Tag tag, Reader& contents) {
  Element element;
  FT_TRY(read_tagged(in, tag, element));
  contents = Reader(element.contents);
  return {};
}

Status read_element(Reader& in, Tag tag, Bytes& encoded) {
  Element element;
  FT_TRY(read_tagged(in, tag, element));
  encoded = element.encoded;
  return {};
}

Status read_optional(Reader& in, Tag tag, Bytes& contents, bool& present) {
  present = false;
  if (!next_is(in, tag)) return {};
  FT_TRY(read(in, tag, contents));
  present = true;
  return {};
}

bool next_is(const Reader& in, Tag tag) {
  std::uint8_t identifier = 0;
  if (!in.peek_u8(identifier) || (identifier & 0x1f) == 0x1f) return false;
  return ((static_cast<Tag>(identifier & 0xe0) << 24) | (identifier & 0x1fu)) == tag;
}

Status read_boolean(Reader& in, bool& out) {
  Reader probe = in;
  Bytes contents;
  FT_TRY(read(probe, kBoolean, contents));
  if (contents.size() != 1) return {Code::malformed, "DER: BOOLEAN must have one content octet"};
  if (contents[0] != 0x00 && contents[0] != 0xff) return {Code::non_canonical, "DER: BOOLEAN not 0x00 or 0xFF"};
  out = contents[0] == 0xff;
  in = probe;
  return {};
}

Status check_integer(Bytes contents) {
  if (contents.empty()) return {Code::malformed, "DER: INTEGER without content octets"};
  if (contents.size() > 1) {
    const bool redundant_zero = contents[0] == 0x00 && (contents[1] & 0x80) == 0;
    const bool redundant_ones = contents[0] == 0xff && (contents[1] & 0x80) != 0;
    if (redundant_zero || redundant_ones) return {Code::non_canonical, "DER: INTEGER with a superfluous leading octet"};
  }
  return {};
}

Status read_integer(Reader& in, Bytes& contents) {
  Reader probe = in;
  Bytes value;
  FT_TRY(read(probe, kInteger, value));
  FT_TRY(check_integer(value));
  contents = value;
  in = probe;
  return {};
}

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
  Reader probe = in;
  Bytes contents;
  FT_TRY(read(probe, kBitString, contents));
  if (contents.empty()) return {Code::malformed, "DER: BIT STRING without the unused-bits octet"};
  const std::uint8_t unused = contents[0];
  if (unused > 7) return {Code::malformed, "DER: BIT STRING with more than 7 unused bits"};
  const Bytes bits = contents.subspan(1);
  if (bits.empty() && unused != 0) return {Code::malformed, "DER: empty BIT STRING with unused bits"};
  if (!bits.empty() && (bits.back() & ((1u << unused) - 1)) != 0) {
    return {Code::non_canonical, "DER: BIT STRING padding bits not zero"};
  }
  out.bytes = bits;
  out.unused_bits = unused;
  in = probe;
  return {};
}

Status read_octet_aligned_bit_string(Reader& in, Bytes& out) {
  Reader probe = in;
  BitString bits;
  FT_TRY(read_bit_string(probe, bits));
  if (bits.unused_bits != 0) return {Code::malformed, "DER: BIT STRING must hold whole octets"};
  out = bits.bytes;
  in = probe;
  return {};
}

Status read_named_bits(Reader& in, std::uint32_t& mask) {
  Reader probe = in;
  BitString bits;
  FT_TRY(read_bit_string(probe, bits));
  if (!bits.bytes.empty() && ((bits.bytes.back() >> bits.unused_bits) & 1) == 0) {
    return {Code::non_canonical, "DER: named bit list with trailing zero bits"};
  }
  if (bits.bit_count() > 32) return {Code::too_large, "DER: named bit list longer than 32 bits"};
  std::uint32_t result = 0;
  for (std::size_t i = 0; i < bits.bit_count(); ++i) {
    if (bits.bit(i)) result |= 1u << i;
  }
  mask = result;
  in = probe;
  return {};
}

Status check_oid(Bytes contents) {
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

Status read_oid(Reader& in, Bytes& contents) {
  Reader probe = in;
  Bytes value;
  FT_TRY(read(probe, kOid, value));
  FT_TRY(check_oid(value));
  contents = value;
  in = probe;
  return {};
}

Status read_null(Reader& in) {
  Reader probe = in;
  Bytes contents;
  FT_TRY(read(probe, kNull, contents));
  if (!contents.empty()) return {Code::malformed, "DER: NULL with content octets"};
  in = probe;
  return {};
}

Status check_set_of_order(Bytes set_contents) {
  Reader in(set_contents);
  Bytes previous;
  bool first = true;
  while (!in.empty()) {
    Element element;
    FT_TRY(read_any(in, element));
    if (!first && compare_padded(previous, element.encoded) > 0) {
      return {Code::non_canonical, "DER: SET OF elements not in ascending order"};
    }
    previous = element.encoded;
    first = false;
  }
  return {};
}

namespace {

// check_contents validates every element in contents; depth counts the levels still allowed.
Status check_contents(Bytes contents, int depth);

Status check_one(Reader& in, int depth) {
  Reader probe = in;
  Element element;
  FT_TRY(read_any(probe, element));
  Reader single(element.encoded);
  switch (element.tag) {
    case kBoolean: {
      bool ignored = false;
      FT_TRY(read_boolean(single, ignored));
      break;
    }
    case kInteger: {
      Bytes ignored;
      FT_TRY(read_integer(single, ignored));
      break;
    }
    case kBitString: {
      BitString ignored;
      FT_TRY(read_bit_string(single, ignored));
      break;
    }
    case kOid: {
      Bytes ignored;
      FT_TRY(read_oid(single, ignored));
      break;
    }
    case kNull:
      FT_TRY(read_null(single));
      break;
    default:
      if ((element.tag & kConstructed) != 0) {
        if (depth <= 0) return {Code::depth_exceeded, "DER: nesting deeper than the supported bound"};
        FT_TRY(check_contents(element.contents, depth - 1));
        if (element.tag == kSet) FT_TRY(check_set_of_order(element.contents));
      }
      break;
  }
  in = probe;
  return {};
}

Status check_contents(Bytes contents, int depth) {
  Reader in(contents);
  while (!in.empty()) FT_TRY(check_one(in, depth));
  return {};
}

}  // namespace

Status check_element(Bytes encoded) {
  Reader in(encoded);
  FT_TRY(check_one(in, kMaxNestingDepth));
  return expect_end(in);
}

Status check_optional_element(Bytes rest) {
  if (rest.empty()) return {};
  return check_element(rest);
}

Status expect_end(const Reader& in) {
  if (!in.empty()) return {Code::trailing_data, "DER: bytes left over after the last element"};
  return {};
}

}  // namespace ft::der
