#include "ft/cose/sign1.h"

#include "ft/cbor/cbor.h"

namespace ft::cose {

namespace {

using cbor::Decoder;
using cbor::Major;

Error malformed(const char* message) { return make_error(Code::cose_malformed, message); }

// read_x5chain reads a bstr (one certificate) or an array of two or more bstr (RFC 9360 §2).
Status read_x5chain(Decoder& d, Sign1& out) {
  Major major = Major::uint;
  FT_TRY(d.peek_major(major));
  if (major == Major::bstr) {
    FT_TRY(d.read_bstr(out.x5chain[0]));
    out.x5chain_count = 1;
    return Status();
  }
  std::uint64_t count = 0;
  if (!d.read_array(count).ok()) return malformed("COSE: x5chain is neither a bstr nor an array");
  if (count < 2) return malformed("COSE: x5chain array must hold two or more certificates");
  if (count > kMaxX5Chain) return Status(Code::too_large, "COSE: x5chain longer than supported");
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!d.read_bstr(out.x5chain[i]).ok()) return malformed("COSE: x5chain entry is not a bstr");
  }
  out.x5chain_count = static_cast<std::size_t>(count);
  return Status();
}

// Labels seen in the protected bucket, to reject the same label in the unprotected one (RFC 9052
// §3), int and text labels alike. Kept as encodings: deterministic CBOR gives each label exactly
// one, so bytewise equality is label equality. A protected bucket with more labels than the table
// holds is rejected rather than partly remembered.
struct SeenLabels {
  Bytes labels[kMaxProtectedLabels];
  std::size_t count = 0;
  bool contains(Bytes label) const {
    for (std::size_t i = 0; i < count; ++i) {
      if (bytes_equal(labels[i], label)) return true;
    }
    return false;
  }
};

bool understood(std::int64_t label) {
  return label == kHeaderAlg || label == kHeaderCrit || label == kHeaderContentType || label == kHeaderKid ||
         label == kHeaderX5Chain;
}

Status read_header_map(Decoder& d, bool is_protected, SeenLabels& seen, Sign1& out) {
  std::uint64_t count = 0;
  if (!d.read_map(count).ok()) return malformed("COSE: header is not a deterministic map");
  for (std::uint64_t i = 0; i < count; ++i) {
    Decoder label_reader = d;
    Bytes label_encoded;
    FT_TRY(label_reader.read_item(label_encoded));
    if (is_protected) {
      if (seen.count == kMaxProtectedLabels) {
        return Status(Code::too_large, "COSE: more protected header labels than supported");
      }
      seen.labels[seen.count++] = label_encoded;
    } else if (seen.contains(label_encoded)) {
      return Status(Code::cose_bad_protected_header, "COSE: header label in both protected and unprotected");
    }
    Major key_major = Major::uint;
    FT_TRY(d.peek_major(key_major));
    if (key_major == Major::tstr) {
      // Text labels are private-use parameters: ignored unless listed in crit (rejected there).
      FT_TRY(d.skip());
      FT_TRY(d.skip());
      continue;
    }
    std::int64_t label = 0;
    if (!d.read_int(label).ok()) return malformed("COSE: header label is neither int nor tstr");
    switch (label) {
      case kHeaderAlg:
        if (!is_protected) return Status(Code::cose_bad_protected_header, "COSE: alg must be protected");
        if (!d.read_int(out.alg).ok()) return Status(Code::cose_bad_protected_header, "COSE: alg is not an integer");
        break;
      case kHeaderCrit: {
        if (!is_protected) return Status(Code::cose_bad_protected_header, "COSE: crit must be protected");
        std::uint64_t n = 0;
        if (!d.read_array(n).ok() || n == 0) return Status(Code::cose_bad_protected_header, "COSE: crit must be a non-empty array");
        for (std::uint64_t k = 0; k < n; ++k) {
          std::int64_t critical = 0;
          if (!d.read_int(critical).ok() || !understood(critical)) {
            return Status(Code::cose_unknown_critical_header, "COSE: crit lists a header this verifier does not understand");
          }
        }
        break;
      }
      case kHeaderKid:
        if (!d.read_bstr(out.kid).ok()) return malformed("COSE: kid is not a bstr");
        break;
      case kHeaderX5Chain:
        FT_TRY(read_x5chain(d, out));
        break;
      default:
        FT_TRY(d.skip());  // content type and other known-harmless parameters
        break;
    }
  }
  return Status();
}

}  // namespace

Result<SigScheme> scheme_for_alg(std::int64_t alg) {
  switch (static_cast<Alg>(alg)) {
    case Alg::es256:
    case Alg::esp256:
      return SigScheme::ecdsa_p256_sha256_p1363;
    case Alg::es384:
    case Alg::esp384:
      return SigScheme::ecdsa_p384_sha384_p1363;
    case Alg::eddsa:
    case Alg::ed25519:
      return SigScheme::ed25519;
    case Alg::ps256:
      return SigScheme::rsa_pss_sha256;
  }
  return make_error(Code::cose_alg_not_allowed, "COSE: signature algorithm not supported");
}

Result<Sign1> parse_sign1(Bytes encoded) {
  Decoder d(encoded);
  Major major = Major::uint;
  FT_TRY(d.peek_major(major));
  if (major == Major::tag) {
    std::uint64_t tag = 0;
    FT_TRY(d.read_tag(tag));
    if (tag != kTagSign1) return malformed("COSE: tagged, but not COSE_Sign1 (tag 18)");
  }
  std::uint64_t count = 0;
  if (!d.read_array(count).ok() || count != 4) return malformed("COSE: COSE_Sign1 must be an array of 4");
  Sign1 out;
  if (!d.read_bstr(out.protected_bstr).ok()) return malformed("COSE: protected header is not a bstr");
  SeenLabels seen;
  if (!out.protected_bstr.empty()) {
    Decoder ph(out.protected_bstr);
    FT_TRY(read_header_map(ph, true, seen, out));
    if (!ph.expect_end().ok()) return malformed("COSE: bytes after the protected header map");
  }
  FT_TRY(read_header_map(d, false, seen, out));
  FT_TRY(d.peek_major(major));
  if (major == Major::simple) {
    if (!d.read_null().ok()) return malformed("COSE: payload is neither bstr nor nil");
    out.payload_detached = true;
  } else {
    if (!d.read_bstr(out.payload).ok()) return malformed("COSE: payload is neither bstr nor nil");
    out.payload_detached = false;
  }
  if (!d.read_bstr(out.signature).ok()) return malformed("COSE: signature is not a bstr");
  FT_TRY(d.expect_end());
  if (out.alg == 0) return make_error(Code::cose_alg_missing, "COSE: protected header has no alg");
  return out;
}

namespace {
void encode_sig_structure(cbor::Encoder& e, const Sign1& msg, Bytes external_payload) {
  static constexpr std::uint8_t kContext[] = {'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
  e.write_array(4);
  e.write_tstr(Bytes(kContext, sizeof kContext));
  e.write_bstr(msg.protected_bstr);
  e.write_bstr(Bytes());
  e.write_bstr(msg.payload_detached ? external_payload : msg.payload);
}
}  // namespace

std::size_t sig_structure_size(const Sign1& msg, Bytes external_payload) {
  cbor::Encoder counter;
  encode_sig_structure(counter, msg, external_payload);
  return counter.size();
}

Result<Bytes> write_sig_structure(const Sign1& msg, Bytes external_payload, MutableBytes out) {
  cbor::Encoder e(out);
  encode_sig_structure(e, msg, external_payload);
  return e.finish();
}

Status verify_sign1(CryptoPort& crypto, const Sign1& msg, const PublicKey& key, Bytes external_payload,
                    MutableBytes scratch) {
  auto scheme = scheme_for_alg(msg.alg);
  if (!scheme.ok()) return scheme.error();
  auto vk = make_verifying_key(key, *scheme);
  if (!vk.ok()) return vk.error();
  auto tbs = write_sig_structure(msg, external_payload, scratch);
  if (!tbs.ok()) return tbs.error();
  const Status s = crypto.verify(*vk, *tbs, msg.signature);
  if (s.code() == Code::bad_signature) return Status(Code::cose_bad_signature, "COSE: signature does not verify");
  return s;
}

}  // namespace ft::cose
