// cbor_fuzz.cc — fuzz target for the deterministic CBOR reader and writer (ft/cbor/cbor.h).
//
// Every input goes through cbor::validate and through a walk with the Decoder's typed readers that
// checks the Decoder's contract: a failed read leaves the cursor where it was, a successful one
// consumes bytes, and read_item hands back exactly the bytes it consumed.
//
// Differential: the preferred-serialization rule, string lengths, UTF-8 well-formedness and map
// key order are checked against small reference implementations written independently of cbor.cc.
//
// Round trip: deterministic CBOR (RFC 8949 §4.2.1) has exactly one encoding per data item, so an
// input that validates, decoded item by item and re-encoded with the Encoder, must come back byte
// for byte. Any disagreement between validate, the Decoder and the Encoder aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/cbor/cbor.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::Code;
using ft::Status;
using ft::cbor::Decoder;
using ft::cbor::Encoder;
using ft::cbor::Major;

using ft::fuzz::fail;
using ft::fuzz::require;

// --- Reference implementations, written independently of cbor.cc, for differential checks. ---

// well_formed_utf8 follows the Unicode Standard's table of well-formed UTF-8 byte sequences
// (Table 3-7) rather than decoding code points.
bool well_formed_utf8(Bytes s) {
  std::size_t i = 0;
  const auto in = [&](std::size_t k, std::uint8_t lo, std::uint8_t hi) {
    return i + k < s.size() && s[i + k] >= lo && s[i + k] <= hi;
  };
  while (i < s.size()) {
    const std::uint8_t b = s[i];
    std::size_t n = 0;
    if (b <= 0x7f) {
      n = 1;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = in(1, 0x80, 0xbf) ? 2 : 0;
    } else if (b == 0xe0) {
      n = in(1, 0xa0, 0xbf) && in(2, 0x80, 0xbf) ? 3 : 0;
    } else if ((b >= 0xe1 && b <= 0xec) || b == 0xee || b == 0xef) {
      n = in(1, 0x80, 0xbf) && in(2, 0x80, 0xbf) ? 3 : 0;
    } else if (b == 0xed) {
      n = in(1, 0x80, 0x9f) && in(2, 0x80, 0xbf) ? 3 : 0;
    } else if (b == 0xf0) {
      n = in(1, 0x90, 0xbf) && in(2, 0x80, 0xbf) && in(3, 0x80, 0xbf) ? 4 : 0;
    } else if (b >= 0xf1 && b <= 0xf3) {
      n = in(1, 0x80, 0xbf) && in(2, 0x80, 0xbf) && in(3, 0x80, 0xbf) ? 4 : 0;
    } else if (b == 0xf4) {
      n = in(1, 0x80, 0x8f) && in(2, 0x80, 0xbf) && in(3, 0x80, 0xbf) ? 4 : 0;
    }
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// RefHead — an item head decoded by the RFC 8949 §3 rules, with whether its argument is in the
// preferred (shortest) form of §4.2.1.
struct RefHead {
  int major = 0;
  int info = 0;
  std::uint64_t arg = 0;
  std::size_t length = 0;  // bytes of the head
  bool shortest = true;
};

// ref_head decodes the head at the front of in; false when truncated or info is 28..31.
bool ref_head(Bytes in, RefHead& h) {
  if (in.empty()) return false;
  h.major = in[0] >> 5;
  h.info = in[0] & 0x1f;
  if (h.info < 24) {
    h.arg = static_cast<std::uint64_t>(h.info);
    h.length = 1;
    return true;
  }
  if (h.info > 27) return false;
  const std::size_t n = std::size_t{1} << (h.info - 24);
  if (in.size() < 1 + n) return false;
  h.arg = 0;
  for (std::size_t k = 1; k <= n; ++k) h.arg = (h.arg << 8) | in[k];
  h.length = 1 + n;
  const std::uint64_t smallest_for_width[] = {24, 0x100, 0x10000, 0x100000000ull};
  h.shortest = h.arg >= smallest_for_width[h.info - 24];
  return true;
}

// check_head_rules compares the Decoder's verdict on the item at the front of d with ref_head:
// non-shortest arguments are rejected, bstr/tstr lengths are honoured, and a tstr is accepted
// exactly when its content is well-formed UTF-8.
void check_head_rules(const Decoder& d) {
  RefHead h;
  if (!ref_head(d.rest(), h)) return;
  const std::size_t content_room = d.remaining() - h.length;
  Decoder probe = d;
  Bytes content;
  std::uint64_t value = 0;
  switch (h.major) {
    case 0: {
      const Status s = probe.read_uint(value);
      require(s.ok() == h.shortest, "read_uint disagrees with the preferred-serialization rule");
      if (s.ok()) require(value == h.arg, "read_uint returned another value");
      return;
    }
    case 1: {
      std::int64_t signed_value = 0;
      const Status s = probe.read_int(signed_value);
      require(s.ok() == (h.shortest && h.arg <= static_cast<std::uint64_t>(INT64_MAX)),
              "read_int disagrees with the preferred-serialization rule or the int64_t range");
      if (s.ok()) require(signed_value == -1 - static_cast<std::int64_t>(h.arg), "read_int returned another value");
      return;
    }
    case 2:
    case 3: {
      const Status s = h.major == 2 ? probe.read_bstr(content) : probe.read_tstr(content);
      bool expected = h.shortest && h.arg <= content_room;
      if (expected && h.major == 3) {
        expected = well_formed_utf8(d.rest().subspan(h.length, static_cast<std::size_t>(h.arg)));
      }
      require(s.ok() == expected, "read_bstr/read_tstr disagrees with the reference (length, form or UTF-8)");
      if (s.ok()) require(content.size() == h.arg, "string content has another length");
      return;
    }
    case 4: {
      // Every element takes at least one byte, so a count beyond the rest cannot be satisfied.
      std::size_t count = 0;
      const Status s = probe.read_array(count);
      require(s.ok() == (h.shortest && h.arg <= content_room), "read_array disagrees with the reference");
      return;
    }
    case 6: {
      const Status s = probe.read_tag(value);
      require(s.ok() == h.shortest, "read_tag disagrees with the preferred-serialization rule");
      return;
    }
    default:
      return;
  }
}

// lexicographically_before is RFC 8949 §4.2.1 key order: bytewise, a proper prefix first.
bool lexicographically_before(Bytes a, Bytes b) {
  const int c = std::memcmp(a.data(), b.data(), a.size() < b.size() ? a.size() : b.size());
  return c < 0 || (c == 0 && a.size() < b.size());
}

// reencode reads one item (with everything nested in it) from d through the typed readers and
// writes it with e. The input validated, so every read must succeed; depth is bounded by
// cbor::kMaxDepth through validate.
void reencode(Decoder& d, Encoder& e) {
  Major major = Major::uint;
  require(d.peek_major(major).ok(), "peek_major failed inside a validated item");
  switch (major) {
    case Major::uint: {
      std::uint64_t value = 0;
      require(d.read_uint(value).ok(), "read_uint failed on a validated uint");
      e.write_uint(value);
      return;
    }
    case Major::nint: {
      std::int64_t value = 0;
      const Status s = d.read_int(value);
      if (s.ok()) {
        require(value < 0, "read_int returned a non-negative value for major type 1");
        e.write_int(value);
        return;
      }
      // -2^64 .. -2^63-1 do not fit int64_t, and the Encoder has no wider writer: the Decoder must
      // say so (too_large), and the item is copied verbatim.
      require(s.code() == Code::too_large, "read_int failed on a validated negative integer");
      Bytes item;
      require(d.read_item(item).ok() && item.size() == 9 && item[0] == 0x3b, "read_item of a wide nint");
      e.write_raw(item);
      return;
    }
    case Major::bstr: {
      Bytes value;
      require(d.read_bstr(value).ok(), "read_bstr failed on a validated bstr");
      e.write_bstr(value);
      return;
    }
    case Major::tstr: {
      Bytes value;
      require(d.read_tstr(value).ok(), "read_tstr failed on a validated tstr");
      require(well_formed_utf8(value), "validated text string is not well-formed UTF-8");
      e.write_tstr(value);
      return;
    }
    case Major::array: {
      std::size_t count = 0;
      require(d.read_array(count).ok(), "read_array failed on a validated array");
      e.write_array(count);
      for (std::size_t i = 0; i < count; ++i) reencode(d, e);
      return;
    }
    case Major::map: {
      std::size_t count = 0;
      require(d.read_map(count).ok(), "read_map failed on a validated map");
      e.write_map(count);
      Bytes previous_key;
      for (std::size_t i = 0; i < count; ++i) {
        const Bytes before = d.rest();
        reencode(d, e);
        const Bytes key = before.first(before.size() - d.remaining());
        require(i == 0 || lexicographically_before(previous_key, key),
                "validated map keys are not in strictly ascending order");
        previous_key = key;
        reencode(d, e);
      }
      return;
    }
    case Major::tag: {
      std::uint64_t tag = 0;
      require(d.read_tag(tag).ok(), "read_tag failed on a validated tag");
      e.write_tag(tag);
      reencode(d, e);
      return;
    }
    case Major::simple: {
      bool value = false;
      if (d.read_bool(value).ok()) {
        e.write_bool(value);
        return;
      }
      require(d.read_null().ok(), "a validated simple value is neither a boolean nor null");
      e.write_null();
      return;
    }
  }
  fail("peek_major returned an unknown major type");
}

void round_trip(Bytes input) {
  // The whole item, through read_item.
  Decoder whole(input);
  Bytes item;
  require(whole.read_item(item).ok() && whole.expect_end().ok(), "validate accepted, read_item did not");
  require(item.data() == input.data() && item.size() == input.size(), "read_item span differs from the input");

  // Item by item: an exactly sized buffer must hold the re-encoding.
  std::vector<std::uint8_t> out(input.size());
  Encoder e{ft::MutableBytes(out)};
  Decoder d(input);
  reencode(d, e);
  require(d.expect_end().ok(), "typed readers left bytes that validate consumed");
  auto written = e.finish();
  require(written.ok(), "re-encoding is longer than the input");
  require(written->size() == input.size() && std::memcmp(written->data(), input.data(), input.size()) == 0,
          "re-encoding differs from the input (deterministic CBOR has one encoding)");

  // Counting mode (no buffer) reports the same size; a buffer one byte short fails.
  Encoder counter;
  Decoder d2(input);
  reencode(d2, counter);
  require(counter.size() == input.size(), "counting Encoder size differs");
  if (!input.empty()) {
    std::vector<std::uint8_t> short_buffer(input.size() - 1);
    Encoder small{ft::MutableBytes(short_buffer)};
    Decoder d3(input);
    reencode(d3, small);
    require(small.finish().code() == Code::buffer_too_small, "overflow not reported");
    require(small.size() == input.size(), "overflowing Encoder lost count of the size needed");
  }
}

// read_typed calls the reader for `which` and returns its status.
Status read_typed(Decoder& d, int which) {
  std::uint64_t u = 0;
  std::size_t count = 0;
  std::int64_t i = 0;
  Bytes b;
  bool flag = false;
  switch (which) {
    case 0:
      return d.read_uint(u);
    case 1:
      return d.read_int(i);
    case 2:
      return d.read_bstr(b);
    case 3:
      return d.read_tstr(b);
    case 4:
      return d.read_array(count);
    case 5:
      return d.read_map(count);
    case 6:
      return d.read_tag(u);
    case 7:
      return d.read_bool(flag);
    default:
      return d.read_null();
  }
}

// walk reads arbitrary (possibly invalid) input with every reader at every position and checks the
// cursor contract. It advances by the first reader that succeeds, which for arrays, maps and tags
// is only the head, so it visits nested items too.
void walk(Bytes input) {
  Decoder d(input);
  for (int steps = 0; !d.empty() && steps < 4096; ++steps) {
    const Decoder start = d;
    const std::size_t before = start.remaining();
    check_head_rules(start);
    bool advanced = false;
    for (int which = 0; which <= 8; ++which) {
      Decoder probe = start;
      const Status s = read_typed(probe, which);
      if (!s.ok()) {
        require(probe.remaining() == before, "a failed read moved the cursor");
        continue;
      }
      require(probe.remaining() < before, "a successful read consumed nothing");
      if (!advanced) {
        d = probe;
        advanced = true;
      }
    }
    if (!advanced) {
      Decoder probe = start;
      Bytes item;
      const Status s = probe.read_item(item);
      if (!s.ok()) {
        require(probe.remaining() == before, "a failed read_item moved the cursor");
        return;  // nothing reads here: the rest is not CBOR
      }
      require(item.size() == before - probe.remaining() && item.data() == start.rest().data(),
              "read_item returned other bytes than it consumed");
      require(ft::cbor::validate(item).ok(), "read_item returned an item that does not validate");
      d = probe;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  const Status valid = ft::cbor::validate(input);
  if (valid.ok()) round_trip(input);
  walk(input);
  return 0;
}
