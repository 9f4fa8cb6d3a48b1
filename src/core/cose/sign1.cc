#include "ft/cose/sign1.h"

#include <iterator>
#include <span>

#include "ft/base/config.h"
#include "ft/base/reset.h"
#include "ft/cbor/cbor.h"

namespace ft::cose {

namespace {

using cbor::Decoder;
using cbor::Major;
using cbor::kOtherLabel;

Error malformed(const char* message) { return make_error(Code::cose_malformed, message); }

// Counts, majors and tags a Decoder read fills have no initialiser in this file: each is used only
// after the read that sets it succeeded, and an initialiser costs a store per site (38 bytes of
// flash here, docs/embedded.md). Labels that stay meaningful when the read fails keep theirs.

// read_x5chain reads a bstr (one certificate) or an array of two or more bstr (RFC 9360 §2).
Status read_x5chain(Decoder& d, Sign1& out) {
  std::size_t count = 1;
  if (!d.read_bstr(out.x5chain[0]).ok()) {
    if (!d.read_array(count).ok() || count < 2) return malformed("COSE: x5chain is neither a bstr nor an array of two or more");
    if (count > kMaxX5Chain) return Status(Code::too_large, "COSE: x5chain longer than supported");
    for (std::size_t i = 0; i < count; ++i) {
      if (!d.read_bstr(out.x5chain[i]).ok()) return malformed("COSE: x5chain entry is not a bstr");
    }
  }
  out.x5chain_count = count;
  return Status();
}

// in_bucket returns true when the header map `bucket` (already parsed) has the label `label`,
// compared by encoding: deterministic CBOR gives each label exactly one.
bool in_bucket(Bytes bucket, Bytes label) {
  Decoder d(bucket);
  std::size_t count;
  if (!d.read_map(count).ok()) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Unfilled<Bytes> key_storage;
    Bytes& key = key_storage.get();
    if (!d.read_item(key).ok() || !d.skip().ok()) return false;
    if (bytes_equal(key, label)) return true;
  }
  return false;
}

// read_header_map reads one header bucket into out. The unprotected one is read second: a label
// there that the protected bucket (out.protected_bstr) has too is rejected (RFC 9052 §3), int and
// text labels alike.
Status read_header_map(Decoder& d, bool is_protected, Sign1& out) {
  std::size_t count;
  if (!d.read_map(count).ok()) return malformed("COSE: header is not a deterministic map");
  for (std::size_t i = 0; i < count; ++i) {
    // More protected labels than the bound are rejected rather than half checked.
    if (is_protected && i == kMaxProtectedLabels) return Status(Code::too_large, "COSE: more protected header labels than supported");
    const Bytes before = d.rest();
    // Text labels are private-use parameters: ignored unless listed in crit (rejected there).
    Unfilled<Bytes> text_label_storage;
    Bytes& text_label = text_label_storage.get();
    int label = kOtherLabel;
    if (!d.read_tstr(text_label).ok() && !d.read_label(label).ok()) return malformed("COSE: header label is neither int nor tstr");
    if (!is_protected && in_bucket(out.protected_bstr, before.first(before.size() - d.remaining()))) {
      return Status(Code::cose_bad_protected_header, "COSE: header label in both protected and unprotected");
    }
    if (!is_protected && (label == kHeaderAlg || label == kHeaderCrit)) {
      return Status(Code::cose_bad_protected_header, "COSE: alg and crit must be protected");
    }
    std::size_t n;
    int critical;
    switch (label) {
      case kHeaderAlg:
        if (!d.read_int(out.alg).ok()) return Status(Code::cose_bad_protected_header, "COSE: alg is not an integer");
        break;
      case kHeaderCrit:
        if (!d.read_array(n).ok() || n == 0) return Status(Code::cose_bad_protected_header, "COSE: crit must be a non-empty array");
        for (std::size_t k = 0; k < n; ++k) {
          const bool understood = d.read_label(critical).ok() && ((critical >= kHeaderAlg && critical <= kHeaderKid) ||
                                                               critical == kHeaderX5Chain);
          if (!understood) {
            return Status(Code::cose_unknown_critical_header, "COSE: crit lists a header this verifier does not understand");
          }
        }
        break;
      case kHeaderKid:
        if (!d.read_bstr(out.kid).ok()) return malformed("COSE: kid is not a bstr");
        break;
      case kHeaderX5Chain:
        FT_TRY(read_x5chain(d, out));
        break;
      default:
        FT_TRY(d.skip());  // content type, text labels and other harmless parameters
        break;
    }
  }
  return Status();
}

}  // namespace

Status scheme_for_alg(std::int64_t alg, SigScheme& scheme) {
  struct AlgScheme {
    Alg alg;
    SigScheme scheme;
  };
  static constexpr AlgScheme kSchemes[] = {
      {Alg::es256, SigScheme::ecdsa_p256_sha256_p1363}, {Alg::esp256, SigScheme::ecdsa_p256_sha256_p1363},
      {Alg::es384, SigScheme::ecdsa_p384_sha384_p1363}, {Alg::esp384, SigScheme::ecdsa_p384_sha384_p1363},
      {Alg::eddsa, SigScheme::ed25519},                 {Alg::ed25519, SigScheme::ed25519},
      {Alg::ps256, SigScheme::rsa_pss_sha256},  // last: a build without RSA stops before it
  };
  for (const AlgScheme& entry : std::span(kSchemes).first(std::size(kSchemes) - (config::kRsa ? 0 : 1))) {
    if (static_cast<std::int64_t>(entry.alg) == alg) {
      scheme = entry.scheme;
      return Status();
    }
  }
  return Status(Code::cose_alg_not_allowed, "COSE: signature algorithm not supported");
}

Status parse_sign1(Bytes encoded, Sign1& out) {
  reset_in_place(out);
  Decoder d(encoded);
  Major major;
  FT_TRY(d.peek_major(major));
  if (major == Major::tag) {
    std::uint64_t tag;
    FT_TRY(d.read_tag(tag));
    if (tag != kTagSign1) return malformed("COSE: tagged, but not COSE_Sign1 (tag 18)");
  }
  std::size_t count;
  if (!d.read_array(count).ok() || count != 4 || !d.read_bstr(out.protected_bstr).ok()) {
    return malformed("COSE: COSE_Sign1 is not [protected bstr, unprotected, payload, signature]");
  }
  if (!out.protected_bstr.empty()) {
    Decoder protected_reader(out.protected_bstr);
    FT_TRY(read_header_map(protected_reader, true, out));
    if (!protected_reader.expect_end().ok()) return malformed("COSE: bytes after the protected header map");
  }
  FT_TRY(read_header_map(d, false, out));
  FT_TRY(d.peek_major(major));
  out.payload_detached = major == Major::simple;
  const Status payload = out.payload_detached ? d.read_null() : d.read_bstr(out.payload);
  if (!payload.ok() || !d.read_bstr(out.signature).ok()) {
    return malformed("COSE: payload is neither bstr nor nil, or signature is not a bstr");
  }
  FT_TRY(d.expect_end());
  if (out.alg == 0) return make_error(Code::cose_alg_missing, "COSE: protected header has no alg");
  return Status();
}

Result<Sign1> parse_sign1(Bytes encoded) {
  Sign1 out;
  if (const Status s = parse_sign1(encoded, out); !s.ok()) return s.error();
  return out;
}

namespace {
// Sig_structure = ["Signature1", protected, external_aad, payload]. What does not change is
// written as constant CBOR: the array head (0x84) with the context string (0x6a: text of 10
// bytes), and the empty external_aad (0x40: bstr of 0 bytes).
constexpr std::uint8_t kSigStructureHead[] = {0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
constexpr std::uint8_t kEmptyExternalAad[] = {0x40};

// sig_payload is the payload the signature covers.
Bytes sig_payload(const Sign1& msg, Bytes external_payload) {
  return msg.payload_detached ? external_payload : msg.payload;
}
}  // namespace

// The Sig_structure is assembled from its parts here rather than through cbor::Encoder: on a
// device it is the only CBOR the verifier writes, and the Encoder's general code cost 98 bytes
// of flash more for it alone.

std::size_t sig_structure_size(const Sign1& msg, Bytes external_payload) {
  const Bytes payload = sig_payload(msg, external_payload);
  std::uint8_t head[9];
  return sizeof kSigStructureHead + cbor::encode_head(cbor::Major::bstr, head, msg.protected_bstr.size()) +
         msg.protected_bstr.size() + sizeof kEmptyExternalAad +
         cbor::encode_head(cbor::Major::bstr, head, payload.size()) + payload.size();
}

Status write_sig_structure(const Sign1& msg, const Bytes& external_payload, const MutableBytes& out, Bytes& encoded) {
  const Bytes payload = sig_payload(msg, external_payload);
  std::uint8_t protected_head[9];
  std::uint8_t payload_head[9];
  const Bytes parts[] = {kSigStructureHead,
                         Bytes(protected_head, cbor::encode_head(cbor::Major::bstr, protected_head, msg.protected_bstr.size())),
                         msg.protected_bstr,
                         kEmptyExternalAad,
                         Bytes(payload_head, cbor::encode_head(cbor::Major::bstr, payload_head, payload.size())),
                         payload};
  std::size_t size = 0;
  for (const Bytes part : parts) {
    if (part.size() > out.size() - size) return Status(Code::buffer_too_small, "CBOR: output buffer too small");
    if (!part.empty()) __builtin_memcpy(out.data() + size, part.data(), part.size());
    size += part.size();
  }
  encoded = Bytes(out.data(), size);
  return Status();
}

Status verify_sign1(CryptoPort& crypto, const Sign1& msg, const PublicKey& key, const Bytes& external_payload,
                    const MutableBytes& scratch) {
  SigScheme scheme;
  FT_TRY(scheme_for_alg(msg.alg, scheme));
  Unfilled<VerifyingKey> vk;
  FT_TRY(make_verifying_key(key, scheme, vk.get()));
  Unfilled<Bytes> tbs;
  FT_TRY(write_sig_structure(msg, external_payload, scratch, tbs.get()));
  const Status s = crypto.verify(vk.get(), tbs.get(), msg.signature);
  if (s.code() == Code::bad_signature) return Status(Code::cose_bad_signature, "COSE: signature does not verify");
  return s;
}

}  // namespace ft::cose
