// cose_fuzz.cc — fuzz target for COSE_Sign1 parsing (ft/cose/sign1.h).
//
// parse_sign1 must never read outside its input; what it accepts must hold together: every span
// lies inside the input, the x5chain count is within bounds, alg is set, no header label is in
// both buckets (checked here independently of the parser), and the Sig_structure built from it
// has the size sig_structure_size predicts and is deterministic CBOR. Accepted messages are then
// verified through the OpenSSL port against the P-256 key of the public SUIT examples, which
// exercises the key/algorithm matching and the strict signature-encoding checks on fuzzed
// signatures.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/cbor/cbor.h"
#include "ft/cose/sign1.h"
#include "ft/ports/openssl.h"
#include "ft/x509/certificate.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::Code;

using ft::fuzz::fail;
using ft::fuzz::require;
using ft::fuzz::inside;

// The raw P-256 key of the public SUIT examples (testdata/suit), loaded once.
struct AnchorKey {
  std::vector<std::uint8_t> der;
  ft::PublicKey key;
};

const AnchorKey& anchor_key() {
  static const AnchorKey* const loaded = [] {
    auto* a = new AnchorKey;
    std::ifstream in(FT_TESTDATA_DIR "/suit/trust_anchor_secp256r1_pub.der", std::ios::binary);
    a->der.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto key = ft::x509::parse_spki(a->der);
    if (!key.ok()) fail("cannot load " FT_TESTDATA_DIR "/suit/trust_anchor_secp256r1_pub.der");
    a->key = *key;
    return a;
  }();
  return *loaded;
}

// map_keys appends the encoded keys of the CBOR map `map` to keys; false when it is not a map.
bool map_keys(Bytes map, std::vector<Bytes>& keys) {
  ft::cbor::Decoder d(map);
  std::size_t count = 0;
  if (!d.read_map(count).ok()) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Bytes key;
    if (!d.read_item(key).ok() || !d.skip().ok()) return false;
    keys.push_back(key);
  }
  return true;
}

// check_buckets_disjoint: RFC 9052 §3 — a label must not occur in both the protected and the
// unprotected bucket, whatever its type (int or tstr) and however many labels there are.
void check_buckets_disjoint(Bytes input, const ft::cose::Sign1& msg) {
  ft::cbor::Decoder d(input);
  std::uint64_t value = 0;
  ft::cbor::Major major = ft::cbor::Major::uint;
  require(d.peek_major(major).ok(), "accepted message does not start with an item");
  if (major == ft::cbor::Major::tag) require(d.read_tag(value).ok(), "tag");
  Bytes protected_bstr, unprotected_map;
  std::size_t count = 0;
  require(d.read_array(count).ok() && d.read_bstr(protected_bstr).ok() && d.read_item(unprotected_map).ok(),
          "accepted message is not [protected, unprotected, ...]");
  std::vector<Bytes> protected_keys, unprotected_keys;
  if (!msg.protected_bstr.empty()) require(map_keys(msg.protected_bstr, protected_keys), "protected is not a map");
  require(map_keys(unprotected_map, unprotected_keys), "unprotected is not a map");
  for (const Bytes u : unprotected_keys) {
    for (const Bytes p : protected_keys) require(!ft::bytes_equal(u, p), "accepted a label in both header buckets");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  auto msg = ft::cose::parse_sign1(input);
  if (!msg.ok()) return 0;

  require(msg->alg != 0, "accepted without alg");
  require(msg->x5chain_count <= ft::cose::kMaxX5Chain, "x5chain count beyond kMaxX5Chain");
  require(inside(msg->protected_bstr, input) && inside(msg->payload, input) && inside(msg->signature, input) &&
              inside(msg->kid, input),
          "a span points outside the input");
  for (std::size_t i = 0; i < msg->x5chain_count; ++i)
    require(inside(msg->x5chain[i], input), "x5chain outside the input");
  require(!msg->payload_detached || msg->payload.empty(), "detached message with an attached payload");
  check_buckets_disjoint(input, *msg);

  // A detached payload shaped like the SUIT one: an encoded SHA-256 SUIT_Digest.
  static constexpr std::uint8_t kDetached[] = {0x82, 0x2f, 0x58, 0x20, 1,  2,  3,  4,  5,  6,  7,  8,
                                               9,    10,   11,   12,   13, 14, 15, 16, 17, 18, 19, 20,
                                               21,   22,   23,   24,   25, 26, 27, 28, 29, 30, 31, 32};
  const std::size_t need = ft::cose::sig_structure_size(*msg, kDetached);
  std::vector<std::uint8_t> tbs(need);
  ft::Bytes written;
  require(ft::cose::write_sig_structure(*msg, kDetached, tbs, written).ok() && written.size() == need,
          "Sig_structure size differs from sig_structure_size");
  require(ft::cbor::validate(written).ok(), "Sig_structure is not deterministic CBOR");
  if (need > 0) {
    std::vector<std::uint8_t> short_buffer(need - 1);
    ft::Bytes unused;
    require(ft::cose::write_sig_structure(*msg, kDetached, short_buffer, unused).code() == Code::buffer_too_small,
            "short Sig_structure buffer not reported");
  }

  // No one holds a signature over kDetached: a detached message must fail verification, and any
  // message must fail cleanly (a verdict, never a backend failure).
  std::vector<std::uint8_t> scratch(need);
  const ft::Status s = ft::cose::verify_sign1(ft::openssl_crypto(), *msg, anchor_key().key, kDetached, scratch);
  if (s.ok()) {
    require(!msg->payload_detached, "verify_sign1 accepted a forged signature over the detached payload");
  } else {
    require(s.code() != Code::crypto_failure, "verify_sign1: crypto backend failure on fuzzed input");
  }
  return 0;
}
