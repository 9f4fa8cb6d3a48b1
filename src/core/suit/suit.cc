#include "ft/suit/suit.h"

#include "ft/base/reset.h"
#include "ft/cbor/cbor.h"

namespace ft::suit {

namespace {

using cbor::Decoder;
using cbor::Major;

Error malformed(const char* message) { return make_error(Code::suit_malformed, message); }

// read_wrapped reads a bstr and returns both its content and its whole encoding (head included).
Status read_wrapped(Decoder& d, Bytes& wrapped, Bytes& content) {
  const Bytes before = d.rest();
  FT_TRY(d.read_bstr(content));
  wrapped = before.first(before.size() - d.remaining());
  return Status();
}

// digest_equal hashes data with want.alg and compares in constant time.
Status digest_matches(CryptoPort& crypto, const SuitDigest& want, Bytes data, bool& equal) {
  Digest got;
  FT_TRY(digest(crypto, want.alg, data, got));
  equal = constant_time_equal(got.bytes(), want.value);
  return Status();
}

}  // namespace

Result<SuitDigest> parse_digest(Bytes encoded) {
  Decoder d(encoded);
  std::uint64_t n = 0;
  if (!d.read_array(n).ok() || n != 2) return malformed("SUIT: digest is not [algorithm-id, bytes]");
  std::int64_t alg = 0;
  if (!d.read_int(alg).ok()) return malformed("SUIT: digest algorithm-id is not an integer");
  SuitDigest out;
  switch (alg) {
    case -16:
      out.alg = HashAlg::sha256;
      break;
    case -43:
      out.alg = HashAlg::sha384;
      break;
    case -44:
      out.alg = HashAlg::sha512;
      break;
    default:
      return make_error(Code::unsupported_algorithm, "SUIT: digest algorithm not supported (SHA-256/384/512 only)");
  }
  if (!d.read_bstr(out.value).ok()) return malformed("SUIT: digest bytes are not a bstr");
  if (out.value.size() != hash_size(out.alg)) return malformed("SUIT: digest length does not fit its algorithm");
  if (!d.expect_end().ok()) return malformed("SUIT: bytes after the digest");
  return out;
}

Result<Envelope> parse_envelope(Bytes encoded) {
  Envelope env;
  const Status s = parse_envelope(encoded, env);
  if (!s.ok()) return s.error();
  return env;
}

Status parse_envelope(Bytes encoded, Envelope& env) {
  reset_in_place(env);
  Decoder d(encoded);
  Major major = Major::uint;
  if (!d.peek_major(major).ok()) return Status(make_error(Code::suit_not_envelope, "SUIT: empty input"));
  if (major == Major::tag) {
    std::uint64_t tag = 0;
    FT_TRY(d.read_tag(tag));
    if (tag != kTagEnvelope) return Status(make_error(Code::suit_not_envelope, "SUIT: tagged, but not a SUIT envelope (tag 107)"));
  }
  std::uint64_t count = 0;
  if (!d.peek_major(major).ok() || major != Major::map) {
    return Status(make_error(Code::suit_not_envelope, "SUIT: not a SUIT envelope (expected a CBOR map)"));
  }
  FT_TRY(d.read_map(count));
  bool have_wrapper = false;
  bool have_manifest = false;
  for (std::uint64_t i = 0; i < count; ++i) {
    FT_TRY(d.peek_major(major));
    if (major == Major::tstr) {  // integrated payload
      if (env.integrated_count == kMaxIntegrated) return Status(make_error(Code::too_large, "SUIT: too many integrated payloads"));
      IntegratedPayload& p = env.integrated[env.integrated_count++];
      FT_TRY(d.read_tstr(p.key));
      if (!d.read_bstr(p.payload).ok()) return Status(malformed("SUIT: integrated payload is not a bstr"));
      continue;
    }
    std::int64_t k = 0;
    if (!d.read_int(k).ok()) return Status(malformed("SUIT: envelope key is neither int nor tstr"));
    Bytes content;
    switch (k) {
      case key::kAuthWrapper: {
        Bytes wrapped;
        if (!read_wrapped(d, wrapped, content).ok()) return Status(malformed("SUIT: authentication wrapper is not a bstr"));
        Decoder a(content);
        std::uint64_t n = 0;
        // [digest, * block]: the grammar allows no block at all; the verifier then says
        // suit_no_signature, which is the precise reason.
        if (!a.read_array(n).ok() || n < 1) return Status(malformed("SUIT: authentication wrapper is not [digest, block...]"));
        if (n - 1 > kMaxAuthBlocks) return Status(make_error(Code::too_large, "SUIT: too many authentication blocks"));
        if (!a.read_bstr(env.digest_encoded).ok()) return Status(malformed("SUIT: wrapper digest is not a bstr"));
        auto dg = parse_digest(env.digest_encoded);
        if (!dg.ok()) return Status(dg.error());
        env.manifest_digest = *dg;
        for (std::uint64_t b = 0; b + 1 < n; ++b) {
          if (!a.read_bstr(env.auth_blocks[b]).ok()) return Status(malformed("SUIT: authentication block is not a bstr"));
        }
        env.auth_block_count = static_cast<std::size_t>(n - 1);
        if (!a.expect_end().ok()) return Status(malformed("SUIT: bytes after the authentication wrapper"));
        have_wrapper = true;
        break;
      }
      case key::kManifest:
        if (!read_wrapped(d, env.manifest_wrapped, env.manifest).ok()) return Status(malformed("SUIT: manifest is not a bstr"));
        have_manifest = true;
        break;
      case key::kPayloadFetch:
        if (!read_wrapped(d, env.severed_payload_fetch, content).ok()) return Status(malformed("SUIT: payload-fetch is not a bstr"));
        break;
      case key::kInstall:
        if (!read_wrapped(d, env.severed_install, content).ok()) return Status(malformed("SUIT: install is not a bstr"));
        break;
      case key::kText:
        if (!read_wrapped(d, env.severed_text, content).ok()) return Status(malformed("SUIT: text is not a bstr"));
        break;
      default:
        return Status(make_error(Code::unsupported, "SUIT: envelope member outside the supported subset"));
    }
  }
  FT_TRY(d.expect_end());
  if (!have_wrapper) return Status(make_error(Code::suit_no_auth_wrapper, "SUIT: envelope has no authentication wrapper"));
  if (!have_manifest) return Status(make_error(Code::missing_field, "SUIT: envelope has no manifest"));
  return Status();
}

Status check_manifest_digest(CryptoPort& crypto, const Envelope& envelope) {
  bool equal = false;
  FT_TRY(digest_matches(crypto, envelope.manifest_digest, envelope.manifest_wrapped, equal));
  if (!equal) {
    return Status(Code::suit_manifest_digest_mismatch, "SUIT: manifest digest in the authentication wrapper does not match");
  }
  return Status();
}

namespace {

// resolve_severable reads a manifest member that is either inline (bstr .cbor) or severed (a
// SUIT_Digest, with the member carried in the envelope).
Status resolve_severable(CryptoPort& crypto, Decoder& d, Bytes envelope_wrapped, Bytes& out, bool& severed_absent) {
  Major major = Major::uint;
  FT_TRY(d.peek_major(major));
  if (major == Major::bstr) {
    if (!envelope_wrapped.empty()) {
      return Status(Code::suit_severed_member_mismatch, "SUIT: member both inline in the manifest and in the envelope");
    }
    return d.read_bstr(out);
  }
  Bytes encoded_digest;
  FT_TRY(d.read_item(encoded_digest));
  auto want = parse_digest(encoded_digest);
  if (!want.ok()) return want.error();
  if (envelope_wrapped.empty()) {
    severed_absent = true;
    return Status();
  }
  bool equal = false;
  FT_TRY(digest_matches(crypto, *want, envelope_wrapped, equal));
  if (!equal) return Status(Code::suit_severed_member_mismatch, "SUIT: severed member does not match its digest in the manifest");
  Decoder inner(envelope_wrapped);
  return inner.read_bstr(out);
}

Status parse_common(Bytes common, Manifest& m) {
  Decoder d(common);
  std::uint64_t count = 0;
  if (!d.read_map(count).ok()) return malformed("SUIT: common is not a map");
  bool have_components = false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::int64_t k = 0;
    if (!d.read_int(k).ok()) return malformed("SUIT: common key is not an integer");
    if (k == key::kComponents) {
      std::uint64_t n = 0;
      if (!d.read_array(n).ok() || n == 0) return malformed("SUIT: components is not a non-empty array");
      if (n > kMaxComponents) return make_error(Code::too_large, "SUIT: more components than supported");
      for (std::uint64_t c = 0; c < n; ++c) {
        Bytes id;
        FT_TRY(d.read_item(id));
        Decoder idd(id);
        std::uint64_t parts = 0;
        if (!idd.read_array(parts).ok()) return malformed("SUIT: component identifier is not an array");
        for (std::uint64_t p = 0; p < parts; ++p) {
          Bytes part;
          if (!idd.read_bstr(part).ok()) return malformed("SUIT: component identifier part is not a bstr");
        }
        m.components[c].id = id;
      }
      m.component_count = static_cast<std::size_t>(n);
      have_components = true;
    } else if (k == key::kSharedSequence) {
      if (!d.read_bstr(m.shared_sequence).ok()) return malformed("SUIT: shared-sequence is not a bstr");
    } else {
      return make_error(Code::unsupported, "SUIT: common member outside the supported subset");
    }
  }
  FT_TRY(d.expect_end());
  if (!have_components) return make_error(Code::missing_field, "SUIT: common has no components");
  return Status();
}

}  // namespace

Result<Manifest> parse_manifest(CryptoPort& crypto, const Envelope& envelope) {
  Manifest m;
  const Status s = parse_manifest(crypto, envelope, m);
  if (!s.ok()) return s.error();
  return m;
}

Status parse_manifest(CryptoPort& crypto, const Envelope& envelope, Manifest& m) {
  reset_in_place(m);
  Decoder d(envelope.manifest);
  std::uint64_t count = 0;
  if (!d.read_map(count).ok()) return malformed("SUIT: manifest is not a map");
  bool have_version = false, have_sequence = false, have_common = false;
  bool manifest_has_fetch = false, manifest_has_install = false, manifest_has_text = false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::int64_t k = 0;
    if (!d.read_int(k).ok()) return malformed("SUIT: manifest key is not an integer");
    Status s;
    switch (k) {
      case key::kVersion:
        s = d.read_uint(m.version);
        have_version = true;
        break;
      case key::kSequence:
        s = d.read_uint(m.sequence_number);
        have_sequence = true;
        break;
      case key::kCommon:
        s = d.read_bstr(m.common);
        have_common = true;
        break;
      case key::kReferenceUri:
        s = d.read_tstr(m.reference_uri);
        break;
      case key::kManifestComponentId:
        s = d.skip();
        break;
      case key::kValidate:
        s = d.read_bstr(m.validate);
        break;
      case key::kLoad:
        s = d.read_bstr(m.load);
        break;
      case key::kInvoke:
        s = d.read_bstr(m.invoke);
        break;
      case key::kPayloadFetch: {
        bool absent = false;
        s = resolve_severable(crypto, d, envelope.severed_payload_fetch, m.payload_fetch, absent);
        manifest_has_fetch = true;
        break;
      }
      case key::kInstall:
        s = resolve_severable(crypto, d, envelope.severed_install, m.install, m.install_severed_absent);
        manifest_has_install = true;
        break;
      case key::kText:
        s = resolve_severable(crypto, d, envelope.severed_text, m.text, m.text_severed_absent);
        manifest_has_text = true;
        break;
      default:
        return make_error(Code::unsupported, "SUIT: manifest member outside the supported subset");
    }
    if (!s.ok()) {
      if (s.code() == Code::wrong_type) return malformed("SUIT: manifest member has the wrong type");
      return s;
    }
  }
  FT_TRY(d.expect_end());
  if (!have_version || !have_sequence || !have_common) {
    return make_error(Code::missing_field, "SUIT: manifest lacks version, sequence number or common");
  }
  if (m.version != 1) return make_error(Code::suit_unsupported_version, "SUIT: manifest version is not 1");
  if ((!envelope.severed_payload_fetch.empty() && !manifest_has_fetch) ||
      (!envelope.severed_install.empty() && !manifest_has_install) ||
      (!envelope.severed_text.empty() && !manifest_has_text)) {
    return make_error(Code::suit_severed_member_mismatch, "SUIT: envelope carries a member the manifest does not authenticate");
  }
  return parse_common(m.common, m);
}

// ---- command-sequence processor ----

namespace {

struct Processor {
  CryptoPort& crypto;
  const Envelope& envelope;
  Manifest& manifest;
  const ProcessOptions& options;
  ProcessReport& report;
  std::uint8_t current = 1;  // bitmask of selected components (index 0 by default)
  bool image_done[kMaxComponents] = {};
  bool image_unchecked[kMaxComponents] = {};
  // Parameters saved when a try-each branch starts, restored when it fails. Kept here, not in
  // run()'s frame, so the recursion stays small; try-each inside try-each is outside the subset.
  Component try_saved[kMaxComponents] = {};
  bool in_try_each = false;

  Status run(Bytes sequence, int depth);
  // Helpers with large locals stay out of run()'s recursive frame.
  [[gnu::noinline]] Status apply_override(Decoder& d);
  [[gnu::noinline]] Status condition(std::int64_t command, bool& holds);
  [[gnu::noinline]] Status image_match(std::size_t index, bool& holds);
  [[gnu::noinline]] Status try_each(Decoder& d, int depth);
  Status find_payload(std::size_t index, Bytes& in_memory, PayloadSource*& source);
};

bool selected(std::uint8_t mask, std::size_t i) { return (mask >> i) & 1u; }

Status Processor::apply_override(Decoder& d) {
  std::uint64_t n = 0;
  if (!d.read_map(n).ok()) return malformed("SUIT: override-parameters argument is not a map");
  for (std::uint64_t i = 0; i < n; ++i) {
    std::int64_t p = 0;
    if (!d.read_int(p).ok()) return malformed("SUIT: parameter key is not an integer");
    Component value;
    Status s;
    switch (p) {
      case param::kVendorId:
        s = d.read_bstr(value.vendor_id);
        break;
      case param::kClassId:
        s = d.read_bstr(value.class_id);
        break;
      case param::kDeviceId:
        s = d.read_bstr(value.device_id);
        break;
      case param::kImageDigest: {
        Bytes encoded;
        s = d.read_bstr(encoded);
        if (s.ok()) {
          auto dg = parse_digest(encoded);
          if (!dg.ok()) return dg.error();
          value.image_digest = *dg;
        }
        break;
      }
      case param::kImageSize:
        s = d.read_uint(value.image_size);
        break;
      case param::kComponentSlot:
        s = d.read_uint(value.slot);
        break;
      case param::kUri:
        s = d.read_tstr(value.uri);
        break;
      case param::kContent:
        s = d.read_bstr(value.content);
        break;
      case param::kStrictOrder:
      case param::kSoftFailure: {
        bool flag = false;
        s = d.read_bool(flag);
        break;
      }
      case param::kSourceComponent:
      case param::kInvokeArgs:
        s = d.skip();
        break;
      default:
        return make_error(Code::suit_unsupported_command, "SUIT: parameter outside the supported subset");
    }
    if (!s.ok()) return malformed("SUIT: parameter value has the wrong type");
    for (std::size_t c = 0; c < manifest.component_count; ++c) {
      if (!selected(current, c)) continue;
      Component& comp = manifest.components[c];
      switch (p) {
        case param::kVendorId: comp.vendor_id = value.vendor_id; break;
        case param::kClassId: comp.class_id = value.class_id; break;
        case param::kDeviceId: comp.device_id = value.device_id; break;
        case param::kImageDigest:
          comp.image_digest = value.image_digest;
          comp.has_image_digest = true;
          image_done[c] = false;
          break;
        case param::kImageSize:
          comp.image_size = value.image_size;
          comp.has_image_size = true;
          break;
        case param::kComponentSlot:
          comp.slot = value.slot;
          comp.has_slot = true;
          break;
        case param::kUri: comp.uri = value.uri; break;
        case param::kContent: comp.content = value.content; break;
        default: break;
      }
    }
  }
  return Status();
}

Status Processor::find_payload(std::size_t index, Bytes& in_memory, PayloadSource*& source) {
  const Component& comp = manifest.components[index];
  for (std::size_t i = 0; i < envelope.integrated_count; ++i) {
    if (!comp.uri.empty() && bytes_equal(envelope.integrated[i].key, comp.uri)) {
      in_memory = envelope.integrated[i].payload;
      return Status();
    }
  }
  // The detached payload belongs to one component only: the first that asks for an image.
  if (options.detached_payload != nullptr &&
      (report.payload_component == kMaxComponents || report.payload_component == index)) {
    report.payload_component = index;
    source = options.detached_payload;
    in_memory = source->view();
  }
  return Status();
}

Status Processor::image_match(std::size_t index, bool& holds) {
  Component& comp = manifest.components[index];
  if (!comp.has_image_digest) return Status(Code::suit_missing_parameter, "SUIT: image-match without an image-digest parameter");
  Bytes in_memory;
  PayloadSource* source = nullptr;
  FT_TRY(find_payload(index, in_memory, source));
  if (in_memory.empty() && source == nullptr) {
    if (options.require_payload) return Status(Code::suit_payload_missing, "SUIT: no payload to check the image against");
    image_unchecked[index] = true;
    holds = true;
    return Status();
  }
  const std::uint64_t size = source != nullptr ? source->size() : in_memory.size();
  if (size > options.max_image_size) return Status(Code::suit_image_too_large, "SUIT: payload larger than the image slot");
  if (comp.has_image_size && comp.image_size > options.max_image_size) {
    return Status(Code::suit_image_too_large, "SUIT: manifest declares an image larger than the image slot");
  }
  if (comp.has_image_size && comp.image_size != size) {
    return Status(Code::suit_image_size_mismatch, "SUIT: payload size differs from the manifest's image-size");
  }
  if (image_done[index]) {
    holds = true;
    return Status();
  }
  Hash hash(crypto, comp.image_digest.alg);
  if (!in_memory.empty() || size == 0) {
    hash.update(in_memory);
  } else {
    if (options.scratch.empty()) return Status(Code::invalid_argument, "SUIT: no scratch buffer to read the payload");
    for (std::uint64_t off = 0; off < size;) {
      const std::uint64_t left = size - off;
      const std::size_t n = left < options.scratch.size() ? static_cast<std::size_t>(left) : options.scratch.size();
      MutableBytes chunk = options.scratch.first(n);
      FT_TRY(source->read(off, chunk));
      hash.update(chunk);
      off += n;
    }
  }
  Digest got;
  FT_TRY(hash.finish(got));
  report.image_bytes_hashed += size;
  holds = constant_time_equal(got.bytes(), comp.image_digest.value);
  if (!holds) return Status(Code::suit_image_digest_mismatch, "SUIT: payload digest differs from the manifest's image-digest");
  image_done[index] = true;
  ++report.images_checked;
  return Status();
}

Status Processor::condition(std::int64_t command, bool& holds) {
  holds = true;
  for (std::size_t c = 0; c < manifest.component_count && holds; ++c) {
    if (!selected(current, c)) continue;
    const Component& comp = manifest.components[c];
    switch (command) {
      case cmd::kVendorId:
        if (comp.vendor_id.empty()) return Status(Code::suit_missing_parameter, "SUIT: vendor-identifier condition without vendor-id");
        if (!options.expected_vendor_id.empty()) {
          report.vendor_checked = true;
          if (!bytes_equal(comp.vendor_id, options.expected_vendor_id)) {
            return Status(Code::suit_vendor_mismatch, "SUIT: manifest is for another vendor");
          }
        }
        break;
      case cmd::kClassId:
        if (comp.class_id.empty()) return Status(Code::suit_missing_parameter, "SUIT: class-identifier condition without class-id");
        if (!options.expected_class_id.empty()) {
          report.class_checked = true;
          if (!bytes_equal(comp.class_id, options.expected_class_id)) {
            return Status(Code::suit_class_mismatch, "SUIT: manifest is for another device class");
          }
        }
        break;
      case cmd::kDeviceId:
        if (comp.device_id.empty()) return Status(Code::suit_missing_parameter, "SUIT: device-identifier condition without device-id");
        if (!options.device_id.empty()) {
          report.device_checked = true;
          if (!bytes_equal(comp.device_id, options.device_id)) {
            return Status(Code::suit_class_mismatch, "SUIT: manifest is for another device");
          }
        }
        break;
      case cmd::kImageMatch:
        FT_TRY(image_match(c, holds));
        break;
      case cmd::kComponentSlot:
        if (!comp.has_slot) return Status(Code::suit_missing_parameter, "SUIT: component-slot condition without component-slot");
        if (options.device_slot_known) {
          holds = comp.slot == options.device_slot;
        } else {
          report.slot_assumed = true;
        }
        break;
      case cmd::kCheckContent: {
        Bytes in_memory;
        PayloadSource* source = nullptr;
        FT_TRY(find_payload(c, in_memory, source));
        if (in_memory.empty() && source != nullptr) {
          return Status(Code::unsupported, "SUIT: check-content needs an in-memory payload");
        }
        holds = !in_memory.empty() && bytes_equal(in_memory, comp.content);
        break;
      }
      default:
        break;
    }
  }
  return Status();
}

Status Processor::try_each(Decoder& d, int depth) {
  if (in_try_each) return Status(Code::suit_unsupported_command, "SUIT: try-each nested in try-each is not supported");
  std::uint64_t branches = 0;
  if (!d.read_array(branches).ok() || branches == 0) return malformed("SUIT: try-each argument is not a non-empty array");
  bool done = false;
  Status last;
  for (std::uint64_t b = 0; b < branches; ++b) {
    Major major = Major::uint;
    FT_TRY(d.peek_major(major));
    if (major == Major::simple) {  // trailing nil: try-each succeeds when no branch did
      FT_TRY(d.read_null());
      if (b + 1 != branches) return malformed("SUIT: nil must be the last try-each entry");
      done = true;
      continue;
    }
    Bytes branch;
    if (!d.read_bstr(branch).ok()) return malformed("SUIT: try-each entry is not a bstr");
    if (done) continue;
    // A branch whose conditions fail leaves no trace: restore the parameters.
    for (std::size_t c = 0; c < kMaxComponents; ++c) try_saved[c] = manifest.components[c];
    const std::uint8_t saved_current = current;
    in_try_each = true;
    last = run(branch, depth + 1);
    in_try_each = false;
    if (last.ok()) {
      done = true;
    } else if (last.code() == Code::trust_policy) {
      for (std::size_t c = 0; c < kMaxComponents; ++c) manifest.components[c] = try_saved[c];
      current = saved_current;
    } else {
      return last;  // a hard failure (malformed, digest mismatch) is not a soft branch miss
    }
  }
  if (!done) return last;
  return Status();
}

Status read_rep_policy(Decoder& d) {
  std::uint64_t policy = 0;
  if (!d.read_uint(policy).ok()) return malformed("SUIT: reporting policy is not an unsigned integer");
  return Status();
}

Status Processor::run(Bytes sequence, int depth) {
  if (depth > 4) return Status(Code::depth_exceeded, "SUIT: command sequences nested too deeply");
  Decoder d(sequence);
  std::uint64_t n = 0;
  if (!d.read_array(n).ok() || n % 2 != 0) return malformed("SUIT: command sequence is not an array of pairs");
  for (std::uint64_t i = 0; i < n; i += 2) {
    std::int64_t command = 0;
    if (!d.read_int(command).ok()) return malformed("SUIT: command is not an integer");
    switch (command) {
      case cmd::kVendorId:
      case cmd::kClassId:
      case cmd::kImageMatch:
      case cmd::kComponentSlot:
      case cmd::kCheckContent:
      case cmd::kDeviceId: {
        FT_TRY(read_rep_policy(d));
        bool holds = true;
        FT_TRY(condition(command, holds));
        if (!holds) return Status(Code::trust_policy, "SUIT: condition failed");
        break;
      }
      case cmd::kAbort:
        FT_TRY(read_rep_policy(d));
        return Status(Code::trust_policy, "SUIT: abort directive reached");
      case cmd::kSetComponentIndex: {
        Major major = Major::uint;
        FT_TRY(d.peek_major(major));
        std::uint8_t mask = 0;
        if (major == Major::uint) {
          std::uint64_t index = 0;
          FT_TRY(d.read_uint(index));
          if (index >= manifest.component_count) return malformed("SUIT: component index out of range");
          mask = static_cast<std::uint8_t>(1u << index);
        } else if (major == Major::simple) {
          bool all = false;
          if (!d.read_bool(all).ok() || !all) return malformed("SUIT: component index must be an integer, true or an array");
          mask = static_cast<std::uint8_t>((1u << manifest.component_count) - 1);
        } else {
          std::uint64_t count = 0;
          if (!d.read_array(count).ok()) return malformed("SUIT: component index must be an integer, true or an array");
          for (std::uint64_t k = 0; k < count; ++k) {
            std::uint64_t index = 0;
            if (!d.read_uint(index).ok() || index >= manifest.component_count) return malformed("SUIT: component index out of range");
            mask = static_cast<std::uint8_t>(mask | (1u << index));
          }
        }
        current = mask;
        break;
      }
      case cmd::kOverrideParameters:
        FT_TRY(apply_override(d));
        break;
      case cmd::kTryEach:
        FT_TRY(try_each(d, depth));
        break;
      case cmd::kRunSequence: {
        Bytes inner;
        if (!d.read_bstr(inner).ok()) return malformed("SUIT: run-sequence argument is not a bstr");
        FT_TRY(run(inner, depth + 1));
        break;
      }
      case cmd::kFetch:
      case cmd::kCopy:
      case cmd::kWrite:
      case cmd::kInvoke:
      case cmd::kSwap:
        // Effects belong to the installer (device update agent); the verifier checks structure.
        FT_TRY(read_rep_policy(d));
        break;
      default:
        return Status(Code::suit_unsupported_command, "SUIT: command outside the supported subset");
    }
  }
  return d.expect_end();
}

}  // namespace

Status process(CryptoPort& crypto, const Envelope& envelope, Manifest& manifest, const ProcessOptions& options,
               ProcessReport& report) {
  Processor p{crypto, envelope, manifest, options, report};
  const Bytes sequences[] = {manifest.shared_sequence, manifest.payload_fetch, manifest.install, manifest.validate};
  for (const Bytes seq : sequences) {
    if (seq.empty()) continue;
    p.current = 1;
    const Status s = p.run(seq, 0);
    if (!s.ok()) {
      if (s.code() == Code::trust_policy) return Status(Code::trust_policy, "SUIT: a manifest condition failed");
      return s;
    }
  }
  // load and invoke are not executed here, but must be well-formed command sequences.
  for (const Bytes seq : {manifest.load, manifest.invoke}) {
    if (seq.empty()) continue;
    Decoder d(seq);
    std::uint64_t n = 0;
    if (!d.read_array(n).ok() || n % 2 != 0) return malformed("SUIT: command sequence is not an array of pairs");
  }
  // Every component that declares an image digest must have been checked against a payload
  // unless the caller allowed unchecked images.
  bool names_vendor = false, names_class = false;
  for (std::size_t c = 0; c < manifest.component_count; ++c) {
    const Component& comp = manifest.components[c];
    if (p.image_unchecked[c] && !p.image_done[c]) ++report.images_unchecked;
    if (comp.has_image_digest && !p.image_done[c] && options.require_payload) {
      return Status(Code::suit_payload_missing, "SUIT: an image was never checked against its digest");
    }
    // Expected identities: every component that names one must name the expected one.
    if (!comp.vendor_id.empty()) {
      names_vendor = true;
      if (!options.expected_vendor_id.empty() && !bytes_equal(comp.vendor_id, options.expected_vendor_id)) {
        return Status(Code::suit_vendor_mismatch, "SUIT: manifest is for another vendor");
      }
    }
    if (!comp.class_id.empty()) {
      names_class = true;
      if (!options.expected_class_id.empty() && !bytes_equal(comp.class_id, options.expected_class_id)) {
        return Status(Code::suit_class_mismatch, "SUIT: manifest is for another device class");
      }
    }
  }
  // A manifest that never names a vendor or class cannot satisfy an expectation of one.
  if (!options.expected_vendor_id.empty() && !names_vendor) {
    return Status(Code::suit_vendor_mismatch, "SUIT: manifest does not name a vendor, but one is expected");
  }
  if (!options.expected_class_id.empty() && !names_class) {
    return Status(Code::suit_class_mismatch, "SUIT: manifest does not name a device class, but one is expected");
  }
  report.vendor_checked = report.vendor_checked || !options.expected_vendor_id.empty();
  report.class_checked = report.class_checked || !options.expected_class_id.empty();
  return Status();
}

}  // namespace ft::suit
