// ft/cbor/cbor.h — a strict, zero-copy reader and a heap-free writer for deterministic CBOR
// (RFC 8949 §4.2.1 core deterministic encoding), the subset SUIT and COSE need.
//
// The reader accepts only: preferred (shortest) argument encodings, definite lengths, maps whose
// keys are in bytewise lexicographic order of their encodings with no duplicates, simple values
// false/true/null, and nesting up to kMaxDepth. Floats, undefined, other simple values and
// indefinite lengths are rejected (unsupported / non_canonical). Text strings must be valid UTF-8.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/unfilled.h"
#include "ft/base/error.h"

namespace ft::cbor {

inline constexpr int kMaxDepth = 16;
inline constexpr int kMaxLabel = 63;
inline constexpr int kOtherLabel = -1;

enum class Major : std::uint8_t { uint = 0, nint = 1, bstr = 2, tstr = 3, array = 4, map = 5, tag = 6, simple = 7 };

// Decoder — a cursor over CBOR items. Every read_* either consumes one whole item (or one head for
// arrays, maps and tags) and returns ok, or returns an error and leaves the cursor unchanged.
// Returned spans point into the input buffer.
class Decoder {
 public:
  Decoder() = default;
  explicit Decoder(Bytes data) : reader_(data) {}

  [[nodiscard]] bool empty() const { return reader_.empty(); }
  [[nodiscard]] Bytes rest() const { return reader_.rest(); }
  [[nodiscard]] std::size_t remaining() const { return reader_.remaining(); }

  // peek_major reports the major type of the next item (truncated when empty).
  Status peek_major(Major& out) const;

  Status read_uint(std::uint64_t& out) { return read_argument(Major::uint, out); }
  // read_int reads major 0 or 1 into a signed value; too_large when it does not fit int64_t.
  Status read_int(std::int64_t& out);
  // read_label reads an integer map key or command code as SUIT and COSE use them: its value when
  // it is in 0..kMaxLabel (every label this verifier knows is), kOtherLabel for any other integer.
  // Fails as read_int does.
  Status read_label(int& out);
  Status read_bstr(Bytes& out) { return read_string(Major::bstr, out); }
  // read_tstr returns the UTF-8 bytes of a text string.
  Status read_tstr(Bytes& out) { return read_string(Major::tstr, out); }
  // read_array / read_map read the head and return the element (pair) count; the caller then reads
  // the elements. A count always fits size_t: one beyond the bytes left is truncated. read_map
  // first checks the whole map for key order and duplicates.
  Status read_array(std::size_t& count);
  Status read_map(std::size_t& count);
  Status read_tag(std::uint64_t& tag) { return read_argument(Major::tag, tag); }
  Status read_bool(bool& out) { return read_simple(false, out); }
  Status read_null() {
    bool ignored;  // no initialiser: a store at each inlined call (flash)
    return read_simple(true, ignored);
  }

  // read_item consumes one complete, well-formed item (with everything nested in it) and returns
  // its encoded bytes. skip is read_item without the result.
  Status read_item(Bytes& encoded);
  Status skip();

  // expect_end returns trailing_data unless the input is fully consumed.
  [[nodiscard]] Status expect_end() const;

 private:
  // read_argument reads the head of an item of major type want (wrong_type otherwise; want nint
  // takes either integer major, for read_int), and a string's content with it, and returns its
  // argument; a string's length or a count beyond the bytes left is truncated.
  Status read_argument(Major want, std::uint64_t& out);
  // read_string reads a byte or text string (want: bstr or tstr) with its content.
  Status read_string(Major want, Bytes& out);
  // read_simple reads null (want_null) or false/true into value; wrong_type for the other.
  Status read_simple(bool want_null, bool& value);

  Reader reader_;
};

// validate checks that data is exactly one well-formed deterministic CBOR item.
Status validate(Bytes data);

// encode_head writes the head of an item of major type `major` with argument `arg` (a length, a
// count, a tag number or an integer's value) in preferred (shortest) serialization into `out` and
// returns how many bytes it wrote: 1, 2, 3, 5 or 9. For writers that assemble CBOR from parts
// themselves (the COSE Sig_structure on a device, where the Encoder would cost flash). (This
// order of parameters and a size, not a span, returned: every argument and the result travel in
// registers on a 32-bit Arm, for less flash at each call.)
std::size_t encode_head(Major major, std::uint8_t (&out)[9], std::uint64_t arg);

// Encoder — writes CBOR into a caller-provided buffer. With an empty buffer it only counts, so a
// caller can size the buffer first. Errors are sticky: after overflow, finish() reports
// buffer_too_small and size() tells how much was needed. The caller writes map keys in
// deterministic order.
class Encoder {
 public:
  Encoder() = default;
  explicit Encoder(MutableBytes buffer) : buffer_(buffer) {}

  void write_uint(std::uint64_t value);
  void write_int(std::int64_t value);
  void write_bstr(Bytes data);
  // write_bstr_head writes only the head of a byte string of length len (its content follows).
  void write_bstr_head(std::uint64_t len);
  void write_tstr(Bytes utf8);
  void write_tstr(const char* text);  // NUL-terminated
  void write_array(std::uint64_t count);
  void write_map(std::uint64_t count);
  void write_tag(std::uint64_t tag);
  void write_bool(bool value);
  void write_null();
  // write_raw copies already-encoded CBOR (e.g. a nested item) verbatim.
  void write_raw(Bytes encoded);

  // size is the number of bytes written (or that would have been written).
  [[nodiscard]] std::size_t size() const { return size_; }
  // finish returns the written bytes, or buffer_too_small.
  Result<Bytes> finish() const;

 private:
  void write_head(Major major, std::uint64_t arg);
  void put(Bytes data);

  MutableBytes buffer_;
  std::size_t size_ = 0;
  bool overflow_ = false;
};

}  // namespace ft::cbor
