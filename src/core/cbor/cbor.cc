#include "ft/cbor/cbor.h"

namespace ft::cbor {

namespace {

constexpr std::uint8_t kSimpleFalse = 20;
constexpr std::uint8_t kSimpleTrue = 21;
constexpr std::uint8_t kSimpleNull = 22;

// Head — one item's head. No default member values: read_head sets every member before it can
// be read, and an initialiser would cost stores at each Head (flash, docs/embedded.md).
struct Head {
  Major major;
  std::uint8_t info;  // additional information (low 5 bits)
  std::uint64_t arg;
};

// valid_utf8 checks RFC 3629 UTF-8: shortest forms, no surrogates, at most U+10FFFF.
bool valid_utf8(Bytes s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::uint32_t cp = s[i++];
    if (cp < 0x80) continue;
    // Lead bytes 0xc2..0xf4 only: 0x80..0xbf continue a sequence, 0xc0/0xc1 start only overlong
    // forms, 0xf5 and above only code points beyond U+10FFFF.
    if (cp < 0xc2 || cp > 0xf4) return false;
    const std::size_t n = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : 1;  // continuation bytes
    cp &= 0x3fu >> n;
    if (s.size() - i < n) return false;
    for (std::size_t k = 0; k < n; ++k, ++i) {
      if ((s[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i] & 0x3fu);
    }
    // Overlong three- and four-byte forms (below 0x800 and 0x10000; the lead bytes above already
    // exclude overlong two-byte forms, below 0x80, so the bound 1 << 6 for them never applies),
    // surrogates (0xd800..0xdfff), beyond U+10FFFF.
    if (cp < (1u << (5 * n + 1))) return false;
    if (cp > 0x10ffff || (cp >> 11) == (0xd800 >> 11)) return false;
  }
  return true;
}

// kAnyMajor — read_head's `want` for an item of any major type (walk_item).
constexpr auto kAnyMajor = static_cast<Major>(0xff);

// read_head takes one head off r: major type and argument, in preferred (shortest) encoding only,
// of major type want (wrong_type otherwise; nint takes either integer major) or of any. A
// string's length, an array's element count or a map's pair count beyond what is left of the
// input (each byte or element takes at least one byte, a pair two) is truncated: checked before
// anything is read, so a hostile count is truncated, not a long loop. A string's content is taken
// off r with its head; a text string's must be UTF-8. On failure r is unchanged and out
// unspecified. (One function for the checks walk_item and the typed reads share, for flash.)
Status read_head(Reader& r, Head& out, Major want) {
  if (r.empty()) return Status(Code::truncated, "CBOR: input ends before an item");
  const std::uint8_t initial = r.rest()[0];
  Reader c(r.rest().subspan(1));
  Head& h = out;
  h.major = static_cast<Major>(initial >> 5);
  h.info = initial & 0x1f;
  h.arg = h.info;
  if (h.info >= 24) {
    if (h.info > 27) {
      return h.info == 31 ? Status(Code::non_canonical, "CBOR: indefinite length not allowed")
                          : Status(Code::malformed, "CBOR: reserved additional information 28-30");
    }
    const std::size_t n = std::size_t{1} << (h.info - 24);
    if (!c.get_be(n, h.arg)) return Status(Code::truncated, "CBOR: input ends inside an item head");
    // Preferred serialization: an argument in n bytes must need them, as the writer's head for
    // it says (one call rather than the 64-bit shifts of the rule, for flash).
    std::uint8_t preferred[9];
    if (h.major != Major::simple && encode_head(h.major, preferred, h.arg) != n + 1) {
      return Status(Code::non_canonical, "CBOR: argument not in its shortest form");
    }
  }
  // Simple values: false, true and null only (20..22, in the head itself); floats and extended
  // simple values have additional information 24..27.
  if (h.major == Major::simple && static_cast<unsigned>(h.info) - kSimpleFalse > unsigned{kSimpleNull - kSimpleFalse}) {
    return Status(Code::unsupported, h.info >= 24 ? "CBOR: floating-point and extended simple values not supported"
                                                  : "CBOR: only false, true and null simple values are supported");
  }
  static constexpr const char* kExpected[] = {"CBOR: expected an unsigned integer", "CBOR: expected an integer",
                                              "CBOR: expected a byte string",       "CBOR: expected a text string",
                                              "CBOR: expected an array",            "CBOR: expected a map",
                                              "CBOR: expected a tag",               "CBOR: expected a simple value"};
  if (want != kAnyMajor && h.major != want && !(want == Major::nint && h.major == Major::uint)) {
    return Status(Code::wrong_type, kExpected[static_cast<int>(want)]);
  }
  const bool counted = h.major >= Major::bstr && h.major <= Major::map;
  if (counted && h.arg > (c.remaining() >> (h.major == Major::map ? 1 : 0))) {
    return Status(Code::truncated, want != kAnyMajor        ? "CBOR: length or count longer than the input"
                                   : h.major <= Major::tstr ? "CBOR: string longer than the input"
                                                            : "CBOR: array or map longer than the input");
  }
  if (h.major == Major::bstr || h.major == Major::tstr) {
    const Bytes content = c.rest().first(static_cast<std::size_t>(h.arg));
    if (h.major == Major::tstr && !valid_utf8(content)) {
      return Status(Code::malformed, "CBOR: text string is not valid UTF-8");
    }
    c = Reader(c.rest().subspan(content.size()));
  }
  r = c;
  return Status();
}

// compare_encodings orders two encodings bytewise, a prefix before what extends it (RFC 8949
// §4.2.1 key order): negative, zero (the same bytes) or positive.
int compare_encodings(Bytes a, Bytes b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

// walk_item consumes one complete, well-formed item from r, iteratively: an explicit stack of open
// containers (bounded by kMaxDepth) replaces recursion, so the stack use is one small frame
// whatever the nesting. Map keys are checked for deterministic order and duplicates as they end.
Status walk_item(Reader& r) {
  struct Level {                           // 20 bytes on a 32-bit target: kMaxDepth of them
    std::size_t remaining;                 // items still to read (a map counts keys and values)
    const std::uint8_t* start;             // where the container's encoding starts
    const std::uint8_t* previous_key;      // the map's previous key, nullptr before the first
    std::size_t previous_key_size;
    bool is_map;
  };
  Level stack[kMaxDepth];
  int open = 0;
  Reader c = r;
  for (;;) {
    const std::uint8_t* item_start = c.rest().data();  // of the item that completes below
    Head h;
    FT_TRY(read_head(c, h, kAnyMajor));  // a string with its content
    if (h.major >= Major::array && h.major <= Major::tag) {
      // A tag's argument is its number, not a count: it encloses exactly one item.
      const bool is_map = h.major == Major::map;
      const std::size_t items = h.major == Major::tag ? 1 : static_cast<std::size_t>(h.arg) << (is_map ? 1 : 0);
      if (items != 0) {  // an empty container is complete at once
        if (open == kMaxDepth) return Status(Code::depth_exceeded, "CBOR: nesting too deep");
        // previous_key_size is read only after previous_key is set: no store here (flash).
        Level& level = stack[open++];
        level.remaining = items;
        level.start = item_start;
        level.previous_key = nullptr;
        level.is_map = is_map;
        continue;
      }
    }
    // One item is complete: account it to its container, closing containers that are now full.
    // (Integers and simple values are complete with their head.)
    while (open > 0) {
      Level& level = stack[open - 1];
      if (level.is_map && level.remaining % 2 == 0) {  // a key just ended
        const Bytes key(item_start, static_cast<std::size_t>(c.rest().data() - item_start));
        if (level.previous_key != nullptr) {
          const int order = compare_encodings(Bytes(level.previous_key, level.previous_key_size), key);
          if (order == 0) return Status(Code::duplicate_key, "CBOR: duplicate map key");
          if (order > 0) return Status(Code::non_canonical, "CBOR: map keys not in deterministic order");
        }
        level.previous_key = key.data();
        level.previous_key_size = key.size();
      }
      if (--level.remaining > 0) break;
      item_start = level.start;  // the container is complete: it is an item of its parent
      --open;
    }
    if (open == 0) {
      r = c;
      return Status();
    }
  }
}

}  // namespace

// The locals below that a read fills (arguments, counts) have no initialiser: each is used only
// after the read that sets it succeeded, and an initialiser costs a store per site (flash).

Status Decoder::peek_major(Major& out) const {
  if (reader_.empty()) return Status(Code::truncated, "CBOR: input ends before an item");
  out = static_cast<Major>(reader_.rest()[0] >> 5);
  return Status();
}

Status Decoder::read_argument(Major want, std::uint64_t& out) {
  Head h;
  FT_TRY(read_head(reader_, h, want));
  out = h.arg;
  return Status();
}

// (On read_argument: with a head read of its own, 8 bytes more flash.)
Status Decoder::read_int(std::int64_t& out) {
  const Reader start = reader_;
  std::uint64_t arg;
  FT_TRY(read_argument(Major::nint, arg));  // major 0 or 1
  if (arg > static_cast<std::uint64_t>(INT64_MAX)) {
    reader_ = start;
    return Status(Code::too_large, "CBOR: integer out of range");
  }
  const bool negative = static_cast<Major>(start.rest()[0] >> 5) == Major::nint;
  out = negative ? -1 - static_cast<std::int64_t>(arg) : static_cast<std::int64_t>(arg);
  return Status();
}

Status Decoder::read_label(int& out) {
  std::int64_t value;
  FT_TRY(read_int(value));
  out = value >= 0 && value <= kMaxLabel ? static_cast<int>(value) : kOtherLabel;
  return Status();
}

Status Decoder::read_string(Major want, Bytes& out) {
  std::uint64_t length;
  FT_TRY(read_argument(want, length));  // the head and the content
  const auto size = static_cast<std::size_t>(length);
  out = Bytes(reader_.rest().data() - size, size);  // the content: the bytes just taken
  return Status();
}

Status Decoder::read_array(std::size_t& count) {
  std::uint64_t n;
  FT_TRY(read_argument(Major::array, n));
  count = static_cast<std::size_t>(n);  // fits: no more than the bytes left
  return Status();
}

Status Decoder::read_map(std::size_t& count) {
  const Reader start = reader_;
  std::uint64_t pairs;
  FT_TRY(read_argument(Major::map, pairs));
  Reader whole = start;
  if (const Status s = walk_item(whole); !s.ok()) {  // the whole map: key order, duplicates, values
    reader_ = start;
    return s;
  }
  count = static_cast<std::size_t>(pairs);  // fits: no more than the bytes left
  return Status();
}

Status Decoder::read_simple(bool want_null, bool& value) {
  const Reader start = reader_;
  std::uint64_t argument;
  FT_TRY(read_argument(Major::simple, argument));
  const auto simple = static_cast<std::uint8_t>(argument);  // 20..22: read_head takes no other
  if ((simple == kSimpleNull) != want_null) {
    reader_ = start;
    return Status(Code::wrong_type, want_null ? "CBOR: expected null" : "CBOR: expected a boolean");
  }
  value = simple == kSimpleTrue;
  return Status();
}

Status Decoder::read_item(Bytes& encoded) {
  const std::uint8_t* const start = reader_.rest().data();
  FT_TRY(walk_item(reader_));  // reader_ moves only on success
  encoded = Bytes(start, static_cast<std::size_t>(reader_.rest().data() - start));
  return Status();
}

Status Decoder::skip() { return walk_item(reader_); }  // reader_ moves only on success

Status Decoder::expect_end() const {
  if (!reader_.empty()) return Status(Code::trailing_data, "CBOR: bytes left over after the item");
  return Status();
}

Status validate(Bytes data) {
  Decoder d(data);
  FT_TRY(d.skip());
  return d.expect_end();
}

// ---- Encoder ----

void Encoder::put(Bytes data) {
  if (!overflow_ && size_ + data.size() <= buffer_.size()) {
    for (std::size_t i = 0; i < data.size(); ++i) buffer_[size_ + i] = data[i];
  } else {
    overflow_ = true;
  }
  size_ += data.size();
}

std::size_t encode_head(Major major, std::uint8_t (&out)[9], std::uint64_t arg) {
  // Preferred serialization: the argument in the head itself below 24, else in the fewest of 1,
  // 2, 4 or 8 bytes after it (additional information 24..27), big-endian.
  const unsigned info = arg < 24            ? static_cast<unsigned>(arg)
                        : arg <= 0xff       ? 24
                        : arg <= 0xffff     ? 25
                        : arg <= 0xffffffff ? 26
                                            : 27;
  const std::size_t n = info < 24 ? 0 : std::size_t{1} << (info - 24);
  out[0] = static_cast<std::uint8_t>(static_cast<unsigned>(major) << 5 | info);
  for (std::size_t i = n; i > 0; --i, arg >>= 8) out[i] = static_cast<std::uint8_t>(arg);
  return n + 1;
}

void Encoder::write_head(Major major, std::uint64_t arg) {
  std::uint8_t head[9];
  put(Bytes(head, encode_head(major, head, arg)));
}

void Encoder::write_uint(std::uint64_t value) { write_head(Major::uint, value); }

void Encoder::write_int(std::int64_t value) {
  if (value >= 0) {
    write_head(Major::uint, static_cast<std::uint64_t>(value));
  } else {
    write_head(Major::nint, static_cast<std::uint64_t>(-1 - value));
  }
}

void Encoder::write_bstr(Bytes data) {
  write_head(Major::bstr, data.size());
  put(data);
}

void Encoder::write_bstr_head(std::uint64_t len) { write_head(Major::bstr, len); }

void Encoder::write_tstr(Bytes utf8) {
  write_head(Major::tstr, utf8.size());
  put(utf8);
}

void Encoder::write_tstr(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  write_tstr(Bytes(reinterpret_cast<const std::uint8_t*>(text), n));
}

void Encoder::write_array(std::uint64_t count) { write_head(Major::array, count); }
void Encoder::write_map(std::uint64_t count) { write_head(Major::map, count); }
void Encoder::write_tag(std::uint64_t tag) { write_head(Major::tag, tag); }
void Encoder::write_bool(bool value) { write_head(Major::simple, value ? kSimpleTrue : kSimpleFalse); }
void Encoder::write_null() { write_head(Major::simple, kSimpleNull); }
void Encoder::write_raw(Bytes encoded) { put(encoded); }

Result<Bytes> Encoder::finish() const {
  if (overflow_) return make_error(Code::buffer_too_small, "CBOR: output buffer too small");
  return Bytes(buffer_.data(), size_);
}

}  // namespace ft::cbor
