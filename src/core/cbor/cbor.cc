#include "ft/cbor/cbor.h"

namespace ft::cbor {

namespace {

constexpr std::uint8_t kSimpleFalse = 20;
constexpr std::uint8_t kSimpleTrue = 21;
constexpr std::uint8_t kSimpleNull = 22;

struct Head {
  Major major = Major::uint;
  std::uint8_t info = 0;  // additional information (low 5 bits)
  std::uint64_t arg = 0;
};

// read_head takes one head off r: major type and argument, in preferred (shortest) encoding only.
Status read_head(Reader& r, Head& out) {
  Reader c = r;
  std::uint8_t initial = 0;
  if (!c.get_u8(initial)) return Status(Code::truncated, "CBOR: input ends before an item");
  Head h;
  h.major = static_cast<Major>(initial >> 5);
  h.info = initial & 0x1f;
  if (h.info < 24) {
    h.arg = h.info;
  } else if (h.info <= 27) {
    const std::size_t n = std::size_t{1} << (h.info - 24);
    if (!c.get_be(n, h.arg)) return Status(Code::truncated, "CBOR: input ends inside an item head");
    // Preferred serialization: the shortest form that holds the value.
    const bool shortest = (n == 1 && h.arg >= 24) || (n == 2 && h.arg > 0xff) ||
                          (n == 4 && h.arg > 0xffff) || (n == 8 && h.arg > 0xffffffffull);
    if (h.major != Major::simple && !shortest) {
      return Status(Code::non_canonical, "CBOR: argument not in its shortest form");
    }
  } else if (h.info == 31) {
    return Status(Code::non_canonical, "CBOR: indefinite length not allowed");
  } else {
    return Status(Code::malformed, "CBOR: reserved additional information 28-30");
  }
  if (h.major == Major::simple) {
    if (h.info >= 25 && h.info <= 27) return Status(Code::unsupported, "CBOR: floating-point values not supported");
    if (h.info == 24) return Status(Code::unsupported, "CBOR: extended simple values not supported");
    if (h.arg != kSimpleFalse && h.arg != kSimpleTrue && h.arg != kSimpleNull) {
      return Status(Code::unsupported, "CBOR: only false, true and null simple values are supported");
    }
  }
  out = h;
  r = c;
  return Status();
}

// valid_utf8 checks RFC 3629 UTF-8: shortest forms, no surrogates, at most U+10FFFF.
bool valid_utf8(Bytes s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::uint8_t b = s[i];
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      n = 1;
      cp = b & 0x1fu;
    } else if ((b & 0xf0) == 0xe0) {
      n = 2;
      cp = b & 0x0fu;
    } else if ((b & 0xf8) == 0xf0) {
      n = 3;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// lexicographically_less compares two encodings bytewise (RFC 8949 §4.2.1 key order).
bool lexicographically_less(Bytes a, Bytes b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return a.size() < b.size();
}

// walk_item consumes one complete, well-formed item from r, iteratively: an explicit stack of open
// containers (bounded by kMaxDepth) replaces recursion, so the stack use is one small frame
// whatever the nesting. Map keys are checked for deterministic order and duplicates as they end.
Status walk_item(Reader& r) {
  struct Level {                           // 20 bytes on a 32-bit target: kMaxDepth of them
    std::size_t remaining;                 // items still to read (a map counts keys and values)
    const std::uint8_t* key_start;         // start of the key being read (maps, on even positions)
    const std::uint8_t* previous_key;      // the map's previous key, nullptr before the first
    std::size_t previous_key_size;
    bool is_map;
  };
  Level stack[kMaxDepth];
  int open = 0;
  Reader c = r;
  for (;;) {
    if (open > 0 && stack[open - 1].is_map && stack[open - 1].remaining % 2 == 0) {
      stack[open - 1].key_start = c.rest().data();  // this item is a key
    }
    Head h;
    FT_TRY(read_head(c, h));
    switch (h.major) {
      case Major::bstr:
      case Major::tstr: {
        Bytes content;
        if (h.arg > c.remaining() || !c.get_bytes(static_cast<std::size_t>(h.arg), content)) {
          return Status(Code::truncated, "CBOR: string longer than the input");
        }
        if (h.major == Major::tstr && !valid_utf8(content)) return Status(Code::malformed, "CBOR: text string is not valid UTF-8");
        break;
      }
      case Major::array:
      case Major::map:
      case Major::tag: {
        // Each element takes at least one byte: a count beyond the input is truncated, not a loop.
        // A tag's argument is its number, not a count: it encloses exactly one item.
        const bool is_map = h.major == Major::map;
        const bool is_tag = h.major == Major::tag;
        if (!is_tag && ((is_map && h.arg > c.remaining() / 2) || h.arg > c.remaining())) {
          return Status(Code::truncated, is_map ? "CBOR: map longer than the input" : "CBOR: array longer than the input");
        }
        const std::size_t items = is_tag ? 1 : static_cast<std::size_t>(h.arg) << (is_map ? 1 : 0);
        if (items == 0) break;  // an empty container is complete at once
        if (open == kMaxDepth) return Status(Code::depth_exceeded, "CBOR: nesting too deep");
        stack[open++] = Level{items, nullptr, nullptr, 0, is_map};
        continue;
      }
      default:  // integers and simple values are complete with their head
        break;
    }
    // One item is complete: account it to its container, closing containers that are now full.
    while (open > 0) {
      Level& level = stack[open - 1];
      if (level.is_map && level.remaining % 2 == 0) {  // a key just ended
        const Bytes key(level.key_start, static_cast<std::size_t>(c.rest().data() - level.key_start));
        if (level.previous_key != nullptr) {
          const Bytes previous(level.previous_key, level.previous_key_size);
          if (bytes_equal(key, previous)) return Status(Code::duplicate_key, "CBOR: duplicate map key");
          if (!lexicographically_less(previous, key)) {
            return Status(Code::non_canonical, "CBOR: map keys not in deterministic order");
          }
        }
        level.previous_key = key.data();
        level.previous_key_size = key.size();
      }
      if (--level.remaining > 0) break;
      --open;  // the container is complete: it is an item of its parent
    }
    if (open == 0) {
      r = c;
      return Status();
    }
  }
}

// read_head_as reads the head at from into h and checks its major type; after is positioned past
// the head. The caller's cursor is untouched until the caller commits `after`.
Status read_head_as(const Reader& from, Major want, const char* wrong_type_message, Reader& after, Head& h) {
  after = from;
  FT_TRY(read_head(after, h));
  if (h.major != want) return Status(Code::wrong_type, wrong_type_message);
  return Status();
}

}  // namespace

Status Decoder::peek_major(Major& out) const {
  std::uint8_t initial = 0;
  if (!reader_.peek_u8(initial)) return Status(Code::truncated, "CBOR: input ends before an item");
  out = static_cast<Major>(initial >> 5);
  return Status();
}

Status Decoder::read_uint(std::uint64_t& out) {
  Reader c;
  Head h;
  FT_TRY(read_head_as(reader_, Major::uint, "CBOR: expected an unsigned integer", c, h));
  out = h.arg;
  reader_ = c;
  return Status();
}

Status Decoder::read_int(std::int64_t& out) {
  Reader c = reader_;
  Head h;
  FT_TRY(read_head(c, h));
  if (h.major != Major::uint && h.major != Major::nint) return Status(Code::wrong_type, "CBOR: expected an integer");
  if (h.arg > static_cast<std::uint64_t>(INT64_MAX)) return Status(Code::too_large, "CBOR: integer out of range");
  out = h.major == Major::uint ? static_cast<std::int64_t>(h.arg) : -1 - static_cast<std::int64_t>(h.arg);
  reader_ = c;
  return Status();
}

namespace {
Status read_string(Reader& reader, Major want, Bytes& out) {
  Reader c;
  Head h;
  FT_TRY(read_head_as(reader, want,
                      want == Major::bstr ? "CBOR: expected a byte string" : "CBOR: expected a text string", c, h));
  Bytes content;
  if (h.arg > c.remaining() || !c.get_bytes(static_cast<std::size_t>(h.arg), content)) {
    return Status(Code::truncated, "CBOR: string longer than the input");
  }
  if (want == Major::tstr && !valid_utf8(content)) return Status(Code::malformed, "CBOR: text string is not valid UTF-8");
  out = content;
  reader = c;
  return Status();
}
}  // namespace

Status Decoder::read_bstr(Bytes& out) { return read_string(reader_, Major::bstr, out); }
Status Decoder::read_tstr(Bytes& out) { return read_string(reader_, Major::tstr, out); }

Status Decoder::read_array(std::uint64_t& count) {
  Reader c;
  Head h;
  FT_TRY(read_head_as(reader_, Major::array, "CBOR: expected an array", c, h));
  if (h.arg > c.remaining()) return Status(Code::truncated, "CBOR: array longer than the input");
  count = h.arg;
  reader_ = c;
  return Status();
}

Status Decoder::read_map(std::uint64_t& count) {
  Reader c;
  Head h;
  FT_TRY(read_head_as(reader_, Major::map, "CBOR: expected a map", c, h));
  if (h.arg > c.remaining() / 2) return Status(Code::truncated, "CBOR: map longer than the input");
  Reader whole = reader_;
  FT_TRY(walk_item(whole));  // the whole map: key order, duplicates, well-formed values
  count = h.arg;
  reader_ = c;
  return Status();
}

Status Decoder::read_tag(std::uint64_t& tag) {
  Reader c;
  Head h;
  FT_TRY(read_head_as(reader_, Major::tag, "CBOR: expected a tag", c, h));
  tag = h.arg;
  reader_ = c;
  return Status();
}

Status Decoder::read_bool(bool& out) {
  Reader c = reader_;
  Head h;
  FT_TRY(read_head(c, h));
  if (h.major != Major::simple || (h.arg != kSimpleFalse && h.arg != kSimpleTrue)) {
    return Status(Code::wrong_type, "CBOR: expected a boolean");
  }
  out = h.arg == kSimpleTrue;
  reader_ = c;
  return Status();
}

Status Decoder::read_null() {
  Reader c = reader_;
  Head h;
  FT_TRY(read_head(c, h));
  if (h.major != Major::simple || h.arg != kSimpleNull) return Status(Code::wrong_type, "CBOR: expected null");
  reader_ = c;
  return Status();
}

Status Decoder::read_item(Bytes& encoded) {
  Reader c = reader_;
  FT_TRY(walk_item(c));
  encoded = reader_.rest().first(reader_.remaining() - c.remaining());
  reader_ = c;
  return Status();
}

Status Decoder::skip() {
  Bytes ignored;
  return read_item(ignored);
}

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

void Encoder::write_head(Major major, std::uint64_t arg) {
  std::uint8_t head[9];
  std::size_t n = 0;
  const auto m = static_cast<std::uint8_t>(static_cast<std::uint8_t>(major) << 5);
  if (arg < 24) {
    head[n++] = static_cast<std::uint8_t>(m | arg);
  } else {
    std::size_t width = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffull ? 4 : 8;
    head[n++] = static_cast<std::uint8_t>(m | (width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27));
    for (std::size_t i = width; i > 0; --i) head[n++] = static_cast<std::uint8_t>(arg >> (8 * (i - 1)));
  }
  put(Bytes(head, n));
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
