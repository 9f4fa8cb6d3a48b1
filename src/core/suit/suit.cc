#include "ft/suit/suit.h"

#include <iterator>
#include <new>
#include <type_traits>

#include "ft/base/reset.h"
#include "ft/cbor/cbor.h"

namespace ft::suit {

namespace {

using cbor::Decoder;
using cbor::Major;
using cbor::kOtherLabel;

Error malformed(const char* message) { return make_error(Code::suit_malformed, message); }

// Counts, labels, majors and numbers a Decoder read fills have no initialiser in this file, and
// the spans and digests a read fills live in ft::Unfilled storage: each is used only after the
// read that sets it succeeded (or the function returns), and an initialiser costs stores at each
// site: 144 bytes of flash here. Keep it so: a new use before the read's success check would read
// an indeterminate value.

// consumed returns what d has read since it stood at `start`.
Bytes consumed(const std::uint8_t* start, const Decoder& d) {
  return Bytes(start, static_cast<std::size_t>(d.rest().data() - start));
}

// DetachedImage — an image that is not in memory: size bytes read from source in chunks of
// scratch's size.
struct DetachedImage {
  PayloadSource* source;
  std::uint64_t size;
  MutableBytes scratch;
};

// check_digest hashes data (or, when there is one, the detached image: data is then unused) with
// want.alg and compares in constant time: `mismatch` when it differs; invalid_argument when a
// detached image must be read without scratch; the port's or the source's error otherwise. (A
// pointer, not a defaulted reference: callers without an image then build no zeroed struct.)
Status check_digest(CryptoPort& crypto, const SuitDigest& want, const Bytes& data, Error mismatch,
                    const DetachedImage* image = nullptr) {
  Hash hash(crypto, want.alg);
  // An image in memory is hashed in one piece, a detached one read in scratch-sized chunks.
  std::uint64_t offset = 0;
  do {
    Bytes chunk = data;
    if (image != nullptr && image->size != 0) {
      if (image->scratch.empty()) return Status(Code::invalid_argument, "SUIT: no scratch buffer to read the payload");
      const std::uint64_t left = image->size - offset;
      const MutableBytes buffer =
          image->scratch.first(left < image->scratch.size() ? static_cast<std::size_t>(left) : image->scratch.size());
      chunk = buffer;
      FT_TRY(image->source->read(offset, buffer, chunk));
    }
    hash.update(chunk);
    offset += chunk.size();
  } while (image != nullptr && offset < image->size);
  // Zeroed bytes that hold a Digest (an implicit-lifetime type, C++20): `Digest got;` would make
  // GCC copy Digest's default, 65 zero bytes, from .rodata.
  alignas(Digest) std::uint8_t got_bytes[sizeof(Digest)] = {};
  Digest& got = *std::launder(reinterpret_cast<Digest*>(got_bytes));
  FT_TRY(hash.finish(got));
  if (!constant_time_equal(got.bytes(), want.value)) return mismatch;
  return Status();
}

// parse_auth_wrapper reads the authentication wrapper [digest bstr, * COSE bstr] into env.
Status parse_auth_wrapper(Bytes wrapper, Envelope& env) {
  Decoder d(wrapper);
  std::size_t count;
  // The grammar allows no block at all; the verifier then says suit_no_signature, which is the
  // precise reason.
  if (!d.read_array(count).ok() || count < 1) return malformed("SUIT: authentication wrapper is not [digest, block...]");
  if (count - 1 > kMaxAuthBlocks) return make_error(Code::too_large, "SUIT: too many authentication blocks");
  if (!d.read_bstr(env.digest_encoded).ok()) return malformed("SUIT: wrapper digest is not a bstr");
  FT_TRY(parse_digest(env.digest_encoded, env.manifest_digest));
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (!d.read_bstr(env.auth_blocks[i]).ok()) return malformed("SUIT: authentication block is not a bstr");
  }
  env.auth_block_count = count - 1;
  if (!d.expect_end().ok()) return malformed("SUIT: bytes after the authentication wrapper");
  return Status();
}

}  // namespace

Status parse_digest(const Bytes& encoded, SuitDigest& out) {
  Decoder d(encoded);
  std::size_t count;
  std::int64_t id;
  if (!d.read_array(count).ok() || count != 2 || !d.read_int(id).ok()) {
    return malformed("SUIT: digest is not [algorithm-id, bytes]");
  }
  Unfilled<SuitDigest> digest_storage;  // out is written only when the whole digest is good
  SuitDigest& digest = digest_storage.get();
  // COSE algorithm ids: -16 SHA-256; -43 SHA-384 and -44 SHA-512, next to each other.
  if (id != -16 && id != -43 && id != -44) {
    return make_error(Code::unsupported_algorithm, "SUIT: digest algorithm not supported (SHA-256/384/512 only)");
  }
  static_assert(static_cast<int>(HashAlg::sha384) == 1 && static_cast<int>(HashAlg::sha512) == 2);
  digest.alg = id == -16 ? HashAlg::sha256 : static_cast<HashAlg>(-42 - id);  // -43 sha384, -44 sha512
  if (!d.read_bstr(digest.value).ok() || digest.value.size() != hash_size(digest.alg) || !d.expect_end().ok()) {
    return malformed("SUIT: digest bytes are not a bstr of the algorithm's length");
  }
  out = digest;
  return Status();
}

Status parse_envelope(const Bytes& encoded, Envelope& env) {
  Decoder d(encoded);  // before the reset, which would clear encoded if it were a view of env
  reset_in_place(env);
  Major major;
  bool envelope = d.peek_major(major).ok();
  if (envelope && major == Major::tag) {  // the tag is optional
    std::uint64_t tag;
    FT_TRY(d.read_tag(tag));
    envelope = tag == kTagEnvelope && d.peek_major(major).ok();
  }
  if (!envelope || major != Major::map) {
    return make_error(Code::suit_not_envelope, "SUIT: not a SUIT envelope (a CBOR map, optionally tagged 107)");
  }
  std::size_t count;
  FT_TRY(d.read_map(count));
  Bytes auth_wrapper;
  for (std::size_t i = 0; i < count; ++i) {
    Unfilled<Bytes> text_key_storage;
    Bytes& text_key = text_key_storage.get();
    if (d.read_tstr(text_key).ok()) {  // an integrated payload
      if (env.integrated_count == kMaxIntegrated) return make_error(Code::too_large, "SUIT: too many integrated payloads");
      IntegratedPayload& p = env.integrated[env.integrated_count++];
      p.key = text_key;
      if (!d.read_bstr(p.payload).ok()) return malformed("SUIT: integrated payload is not a bstr");
      continue;
    }
    int label;
    if (!d.read_label(label).ok()) return malformed("SUIT: envelope key is neither int nor tstr");
    Bytes* wrapped = nullptr;  // where the member goes: its bstr, head included
    Unfilled<Bytes> content_storage;
    Bytes* content = &content_storage.get();  // and its content (the manifest's is kept)
    switch (label) {
      case key::kAuthWrapper: wrapped = &auth_wrapper; break;
      case key::kManifest:
        wrapped = &env.manifest_wrapped;
        content = &env.manifest;
        break;
      case key::kPayloadFetch: wrapped = &env.severed_payload_fetch; break;
      case key::kInstall: wrapped = &env.severed_install; break;
      case key::kText: wrapped = &env.severed_text; break;
      default: return make_error(Code::unsupported, "SUIT: envelope member outside the supported subset");
    }
    const std::uint8_t* const start = d.rest().data();
    if (!d.read_bstr(*content).ok()) return malformed("SUIT: envelope member is not a bstr");
    *wrapped = consumed(start, d);
    if (label == key::kAuthWrapper) FT_TRY(parse_auth_wrapper(*content, env));
  }
  FT_TRY(d.expect_end());
  if (auth_wrapper.empty()) return make_error(Code::suit_no_auth_wrapper, "SUIT: envelope has no authentication wrapper");
  if (env.manifest_wrapped.empty()) return make_error(Code::missing_field, "SUIT: envelope has no manifest");
  return Status();
}

Status check_manifest_digest(CryptoPort& crypto, const Envelope& envelope) {
  return check_digest(crypto, envelope.manifest_digest, envelope.manifest_wrapped,
                      make_error(Code::suit_manifest_digest_mismatch,
                                 "SUIT: manifest digest in the authentication wrapper does not match"));
}

namespace {

Error severed_mismatch() {
  return make_error(Code::suit_severed_member_mismatch, "SUIT: severed member not authenticated by the manifest's digest");
}

// resolve_severable reads a severable manifest member: inline (bstr .cbor), or severed (a
// SUIT_Digest in the manifest, the member itself in the envelope: envelope_wrapped).
Status resolve_severable(CryptoPort& crypto, Decoder& d, const Bytes& envelope_wrapped, Bytes& out,
                         bool& severed_absent) {
  if (d.read_bstr(out).ok()) return envelope_wrapped.empty() ? Status() : Status(severed_mismatch());
  Unfilled<Bytes> encoded_storage;
  Bytes& encoded = encoded_storage.get();
  Unfilled<SuitDigest> want_storage;
  SuitDigest& want = want_storage.get();
  FT_TRY(d.read_item(encoded));
  FT_TRY(parse_digest(encoded, want));
  if (envelope_wrapped.empty()) {
    severed_absent = true;
    return Status();
  }
  FT_TRY(check_digest(crypto, want, envelope_wrapped, severed_mismatch()));
  Decoder member(envelope_wrapped);
  return member.read_bstr(out);
}

// (Out of line: inlined into parse_manifest it costs 6 to 8 bytes more flash.)
[[gnu::noinline]] Status parse_common(const Bytes& common, Manifest& m) {
  Decoder d(common);
  std::size_t count;
  if (!d.read_map(count).ok()) return malformed("SUIT: common is not a map");
  for (std::size_t i = 0; i < count; ++i) {
    int label;
    if (!d.read_label(label).ok()) return malformed("SUIT: common key is not an integer");
    if (label == key::kSharedSequence) {
      if (!d.read_bstr(m.shared_sequence).ok()) return malformed("SUIT: shared-sequence is not a bstr");
      continue;
    }
    if (label != key::kComponents) return make_error(Code::unsupported, "SUIT: common member outside the supported subset");
    std::size_t n;
    if (!d.read_array(n).ok() || n == 0) return malformed("SUIT: components is not a non-empty array");
    if (n > kMaxComponents) return make_error(Code::too_large, "SUIT: more components than supported");
    for (std::size_t c = 0; c < n; ++c) {
      const std::uint8_t* const start = d.rest().data();
      std::size_t parts;
      if (!d.read_array(parts).ok()) return malformed("SUIT: component identifier is not an array of bstr");
      for (std::size_t p = 0; p < parts; ++p) {
        Unfilled<Bytes> part_storage;
        Bytes& part = part_storage.get();
        if (!d.read_bstr(part).ok()) return malformed("SUIT: component identifier is not an array of bstr");
      }
      m.components[c].id = consumed(start, d);
    }
    m.component_count = n;
  }
  FT_TRY(d.expect_end());
  if (m.component_count == 0) return make_error(Code::missing_field, "SUIT: common has no components");
  return Status();
}

constexpr std::uint32_t bit(int label) { return 1u << label; }

}  // namespace

Status parse_manifest(CryptoPort& crypto, const Envelope& envelope, Manifest& m) {
  reset_in_place(m);
  Decoder d(envelope.manifest);
  std::size_t count;
  if (!d.read_map(count).ok()) return malformed("SUIT: manifest is not a map");
  std::uint32_t present = 0;  // bit k: member k was read
  bool payload_fetch_absent;  // written, never read: a severed payload-fetch needs no flag
  for (std::size_t i = 0; i < count; ++i) {
    int label;
    if (!d.read_label(label).ok()) return malformed("SUIT: manifest key is not an integer");
    Bytes* sequence = nullptr;  // members that are a bstr, and the severable members
    // A severable member's copy in the envelope and its flag; one resolve_severable call below
    // for the three (three calls cost 48 bytes more flash).
    const Bytes* severed = nullptr;
    bool* severed_absent = &payload_fetch_absent;
    Status s;
    switch (label) {
      case key::kVersion: s = d.read_uint(m.version); break;
      case key::kSequence: s = d.read_uint(m.sequence_number); break;
      case key::kCommon: sequence = &m.common; break;
      case key::kReferenceUri: s = d.read_tstr(m.reference_uri); break;
      case key::kManifestComponentId: s = d.skip(); break;
      case key::kValidate: sequence = &m.validate; break;
      case key::kLoad: sequence = &m.load; break;
      case key::kInvoke: sequence = &m.invoke; break;
      case key::kPayloadFetch:
        sequence = &m.payload_fetch;
        severed = &envelope.severed_payload_fetch;
        break;
      case key::kInstall:
        sequence = &m.install;
        severed = &envelope.severed_install;
        severed_absent = &m.install_severed_absent;
        break;
      case key::kText:
        sequence = &m.text;
        severed = &envelope.severed_text;
        severed_absent = &m.text_severed_absent;
        break;
      default: return make_error(Code::unsupported, "SUIT: manifest member outside the supported subset");
    }
    if (severed != nullptr) {
      s = resolve_severable(crypto, d, *severed, *sequence, *severed_absent);
    } else if (sequence != nullptr) {
      s = d.read_bstr(*sequence);
    }
    if (!s.ok()) return s.code() == Code::wrong_type ? Status(malformed("SUIT: manifest member has the wrong type")) : s;
    present |= bit(label);
  }
  FT_TRY(d.expect_end());
  constexpr std::uint32_t kRequired = bit(key::kVersion) | bit(key::kSequence) | bit(key::kCommon);
  if ((present & kRequired) != kRequired) {
    return make_error(Code::missing_field, "SUIT: manifest lacks version, sequence number or common");
  }
  if (m.version != 1) return make_error(Code::suit_unsupported_version, "SUIT: manifest version is not 1");
  if ((!envelope.severed_payload_fetch.empty() && (present & bit(key::kPayloadFetch)) == 0) ||
      (!envelope.severed_install.empty() && (present & bit(key::kInstall)) == 0) ||
      (!envelope.severed_text.empty() && (present & bit(key::kText)) == 0)) {
    return severed_mismatch();
  }
  return parse_common(m.common, m);
}

// ---- command-sequence processor ----

namespace {

// open_sequence reads the head of a command sequence: an array of (command, argument) pairs.
bool open_sequence(Decoder& d, std::size_t& count) { return d.read_array(count).ok() && count % 2 == 0; }

bool selected(std::uint8_t mask, std::size_t i) { return (mask >> i) & 1u; }

void copy_components(const Component (&from)[kMaxComponents], Component (&to)[kMaxComponents]) {
  static_assert(std::is_trivially_copyable_v<Component>);
  __builtin_memcpy(&to, &from, sizeof to);  // one call (a loop of struct copies costs more flash)
}

// check_identity evaluates an identity condition on one component: the manifest must have set the
// parameter, and name exactly the expected value where the device has one.
// (The spans by reference: all four arguments then travel in registers, for less flash at each
// of the three calls.)
Status check_identity(const Bytes& parameter, const Bytes& expected, bool& checked, Code mismatch) {
  if (parameter.empty()) return Status(Code::suit_missing_parameter, "SUIT: identity condition without its parameter");
  if (expected.empty()) return Status();
  checked = true;
  if (!bytes_equal(parameter, expected)) return Status(mismatch, "SUIT: manifest is for another vendor, class or device");
  return Status();
}

// check_named records whether a component names an identity and rejects one that names another
// than the expected (when there is an expectation).
// (Spans by reference, as for check_identity. Inlined into process's two calls: 22 bytes less
// flash than the call sequences and a function of its own.)
[[gnu::always_inline]] inline Status check_named(const Bytes& parameter, const Bytes& expected, bool& named, Code mismatch) {
  if (parameter.empty()) return Status();
  named = true;
  if (!expected.empty() && !bytes_equal(parameter, expected)) {
    return Status(mismatch, "SUIT: manifest is for another vendor or device class");
  }
  return Status();
}

// Processor::run's depth for a sequence that is only checked to be an array of pairs (load and
// invoke: a verifier does not execute them).
constexpr int kStructureOnly = -1;

struct Processor {
  // The flags first: image_done at offset 0 is indexed without an add at each use (12 bytes of
  // flash).
  bool image_done[kMaxComponents] = {};
  bool image_unchecked[kMaxComponents] = {};
  std::uint8_t current = 1;  // bitmask of selected components (index 0 by default)
  bool in_try_each = false;
  CryptoPort& crypto;
  const Envelope& envelope;
  Manifest& manifest;
  const ProcessOptions& options;
  ProcessReport& report;

  // run recurses (try_each, inlined, runs its branches), at most four levels. execute and what it
  // calls are inlined into it: out of line they kept run's frame 28 bytes smaller per level, but
  // cost 30 bytes of flash, and the stack target has room for the 112 (docs/embedded.md).
  Status run(const Bytes& sequence, int depth);
  [[gnu::always_inline]] Status try_each(Decoder& d, int depth);
  Status execute(Decoder& d, int command);
  Status set_component_index(Decoder& d);
  Status override_parameters(Decoder& d);
  Status condition(int command);
  Status image_match(std::size_t index);
  // find_payload sets in_memory to component index's payload when it is in memory (integrated,
  // or lent by the detached source's view) and returns the detached source when the payload is
  // the detached one; nullptr otherwise.
  PayloadSource* find_payload(std::size_t index, Bytes& in_memory);
};

Status Processor::run(const Bytes& sequence, int depth) {
  if (depth > 2) return Status(Code::depth_exceeded, "SUIT: command sequences nested too deeply");
  // The public examples nest one level (try-each branches); the bound above, which
  // bench/footprint_report.py reads for the stack bound, allows two.
  Decoder d(sequence);
  std::size_t count;
  if (!open_sequence(d, count)) return malformed("SUIT: command sequence is not an array of pairs");
  if (depth == kStructureOnly) return Status();
  for (std::size_t i = 0; i < count; i += 2) {
    int command;
    if (!d.read_label(command).ok()) return malformed("SUIT: command is not an integer");
    if (command == cmd::kTryEach) {
      FT_TRY(try_each(d, depth));
    } else if (command == cmd::kRunSequence) {
      Unfilled<Bytes> inner_storage;
      Bytes& inner = inner_storage.get();
      if (!d.read_bstr(inner).ok()) return malformed("SUIT: run-sequence argument is not a bstr");
      FT_TRY(run(inner, depth + 1));
    } else {
      FT_TRY(execute(d, command));
    }
  }
  return d.expect_end();
}

inline Status Processor::try_each(Decoder& d, int depth) {
  if (in_try_each) return Status(Code::suit_unsupported_command, "SUIT: try-each nested in try-each is not supported");
  std::size_t branches;
  if (!d.read_array(branches).ok() || branches == 0) return malformed("SUIT: try-each argument is not a non-empty array");
  bool done = false;
  Status last;
  for (std::size_t b = 0; b < branches; ++b) {
    Major major;
    FT_TRY(d.peek_major(major));
    if (major == Major::simple) {  // a trailing nil: try-each succeeds when no branch did
      FT_TRY(d.read_null());
      if (b + 1 != branches) return malformed("SUIT: nil must be the last try-each entry");
      done = true;
      continue;
    }
    Unfilled<Bytes> branch_storage;
    Bytes& branch = branch_storage.get();
    if (!d.read_bstr(branch).ok()) return malformed("SUIT: try-each entry is not a bstr");
    if (done) continue;
    // A branch whose conditions fail leaves no trace: its parameters are restored.
    copy_components(manifest.components, manifest.try_each_saved);
    const std::uint8_t saved_current = current;
    in_try_each = true;
    last = run(branch, depth + 1);
    in_try_each = false;
    if (last.ok()) {
      done = true;
    } else if (last.code() == Code::trust_policy) {
      copy_components(manifest.try_each_saved, manifest.components);
      current = saved_current;
    } else {
      return last;  // a hard failure (malformed, digest mismatch) is not a soft branch miss
    }
  }
  return done ? Status() : last;
}

Status Processor::execute(Decoder& d, int command) {
  switch (command) {
    case cmd::kSetComponentIndex: return set_component_index(d);
    case cmd::kOverrideParameters: return override_parameters(d);
    case cmd::kVendorId:
    case cmd::kClassId:
    case cmd::kImageMatch:
    case cmd::kComponentSlot:
    case cmd::kCheckContent:
    case cmd::kDeviceId:
    case cmd::kAbort:
    case cmd::kFetch:
    case cmd::kCopy:
    case cmd::kWrite:
    case cmd::kInvoke:
    case cmd::kSwap:
      break;  // the conditions, abort and the directives: they take a reporting policy
    default:
      return Status(Code::suit_unsupported_command, "SUIT: command outside the supported subset");
  }
  std::uint64_t policy;
  if (!d.read_uint(policy).ok()) return malformed("SUIT: reporting policy is not an unsigned integer");
  if (command == cmd::kAbort) return Status(Code::trust_policy, "SUIT: abort directive reached");
  return condition(command);
}

Status Processor::set_component_index(Decoder& d) {
  const std::size_t count = manifest.component_count;
  Major major;
  FT_TRY(d.peek_major(major));
  std::size_t indices = 1;  // an integer: one index, read below with those of an array
  std::uint8_t mask = 0;
  if (major == Major::simple) {
    bool all;
    if (!d.read_bool(all).ok() || !all) return malformed("SUIT: component index must be an integer, true or an array");
    mask = static_cast<std::uint8_t>((1u << count) - 1);
    indices = 0;
  } else if (major != Major::uint) {
    if (!d.read_array(indices).ok()) return malformed("SUIT: component index must be an integer, true or an array");
  }
  for (std::size_t k = 0; k < indices; ++k) {
    std::uint64_t index;
    if (const Status s = d.read_uint(index); !s.ok()) {
      return major == Major::uint ? s : Status(malformed("SUIT: component index out of range"));
    }
    if (index >= count) return malformed("SUIT: component index out of range");
    mask = static_cast<std::uint8_t>(mask | (1u << index));
  }
  current = mask;
  return Status();
}

Status Processor::override_parameters(Decoder& d) {
  std::size_t count;
  if (!d.read_map(count).ok()) return malformed("SUIT: override-parameters argument is not a map");
  for (std::size_t i = 0; i < count; ++i) {
    int label;
    if (!d.read_label(label).ok()) return malformed("SUIT: parameter key is not an integer");
    Bytes bytes;
    std::uint64_t number;
    SuitDigest digest;
    bool flag;
    Status s;
    switch (label) {
      case param::kVendorId:
      case param::kClassId:
      case param::kDeviceId:
      case param::kContent:
      case param::kImageDigest:  // parsed below
        s = d.read_bstr(bytes);
        break;
      case param::kUri:
        s = d.read_tstr(bytes);
        break;
      case param::kImageSize:
      case param::kComponentSlot:
        s = d.read_uint(number);
        break;
      case param::kStrictOrder:
      case param::kSoftFailure:
        s = d.read_bool(flag);  // checked, then ignored: the verifier neither orders nor skips
        break;
      case param::kSourceComponent:
      case param::kInvokeArgs:
        s = d.skip();  // for the installer's copy and invoke
        break;
      default:
        return Status(Code::suit_unsupported_command, "SUIT: parameter outside the supported subset");
    }
    if (!s.ok()) return malformed("SUIT: parameter value has the wrong type");
    if (label == param::kImageDigest) FT_TRY(parse_digest(bytes, digest));
    for (std::size_t c = 0; c < manifest.component_count; ++c) {
      if (!selected(current, c)) continue;
      Component& comp = manifest.components[c];
      switch (label) {
        case param::kVendorId: comp.vendor_id = bytes; break;
        case param::kClassId: comp.class_id = bytes; break;
        case param::kDeviceId: comp.device_id = bytes; break;
        case param::kContent: comp.content = bytes; break;
        case param::kUri: comp.uri = bytes; break;
        case param::kImageDigest:
          comp.image_digest = digest;
          comp.has_image_digest = true;
          image_done[c] = false;  // a changed digest needs its own check
          break;
        case param::kImageSize:
          comp.image_size = number;
          comp.has_image_size = true;
          break;
        case param::kComponentSlot:
          comp.slot = number;
          comp.has_slot = true;
          break;
        default:
          break;
      }
    }
  }
  return Status();
}

// condition evaluates a condition command on every selected component; the directives (their
// effects belong to the installer, the device update agent) hold without a check.
Status Processor::condition(int command) {
  for (std::size_t c = 0; c < manifest.component_count; ++c) {
    if (!selected(current, c)) continue;
    const Component& comp = manifest.components[c];
    bool holds = true;
    switch (command) {
      case cmd::kVendorId:
        FT_TRY(check_identity(comp.vendor_id, options.expected_vendor_id, report.vendor_checked, Code::suit_vendor_mismatch));
        break;
      case cmd::kClassId:
        FT_TRY(check_identity(comp.class_id, options.expected_class_id, report.class_checked, Code::suit_class_mismatch));
        break;
      case cmd::kDeviceId:
        FT_TRY(check_identity(comp.device_id, options.device_id, report.device_checked, Code::suit_class_mismatch));
        break;
      case cmd::kImageMatch:
        FT_TRY(image_match(c));
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
        Unfilled<Bytes> in_memory_storage;  // find_payload sets it
        Bytes& in_memory = in_memory_storage.get();
        const PayloadSource* const source = find_payload(c, in_memory);
        if (in_memory.empty() && source != nullptr) {
          return Status(Code::unsupported, "SUIT: check-content needs an in-memory payload");
        }
        holds = !in_memory.empty() && bytes_equal(in_memory, comp.content);
        break;
      }
      default:
        break;
    }
    if (!holds) return Status(Code::trust_policy, "SUIT: a manifest condition does not hold");
  }
  return Status();
}

PayloadSource* Processor::find_payload(std::size_t index, Bytes& in_memory) {
  in_memory = Bytes();
  const Bytes& uri = manifest.components[index].uri;
  for (std::size_t i = 0; !uri.empty() && i < envelope.integrated_count; ++i) {
    const IntegratedPayload& p = envelope.integrated[i];
    if (bytes_equal(p.key, uri)) {
      in_memory = p.payload;
      return nullptr;
    }
  }
  // The detached payload belongs to one component only: the first that asks for an image.
  if (options.detached_payload == nullptr || (report.payload_used && report.payload_component != index)) return nullptr;
  report.payload_used = true;
  report.payload_component = index;
  in_memory = options.detached_payload->view();
  return options.detached_payload;
}

Status Processor::image_match(std::size_t index) {
  const Component& comp = manifest.components[index];
  if (!comp.has_image_digest) return Status(Code::suit_missing_parameter, "SUIT: image-match without an image-digest parameter");
  // A declared size beyond the slot is judged with or without a payload to check.
  const Status too_large(Code::suit_image_too_large, "SUIT: payload or declared image larger than the image slot");
  if (comp.has_image_size && comp.image_size > options.max_image_size) return too_large;
  Unfilled<Bytes> in_memory_storage;  // find_payload sets it
  Bytes& in_memory = in_memory_storage.get();
  PayloadSource* const source = find_payload(index, in_memory);
  if (in_memory.empty() && source == nullptr) {
    if (options.require_payload) return Status(Code::suit_payload_missing, "SUIT: no payload to check the image against");
    image_unchecked[index] = true;
    return Status();
  }
  const std::uint64_t size = source != nullptr ? source->size() : in_memory.size();
  if (size > options.max_image_size) return too_large;
  if (comp.has_image_size && comp.image_size != size) {
    return Status(Code::suit_image_size_mismatch, "SUIT: payload size differs from the manifest's image-size");
  }
  if (image_done[index]) return Status();
  const DetachedImage detached{source, size, options.scratch};
  const Status s = check_digest(
      crypto, comp.image_digest, in_memory,
      make_error(Code::suit_image_digest_mismatch, "SUIT: payload digest differs from the manifest's image-digest"),
      in_memory.empty() ? &detached : nullptr);  // in memory, it is hashed in one piece
  const bool hashed = s.ok() || s.code() == Code::suit_image_digest_mismatch;  // not on a read failure
  report.image_bytes_hashed += hashed ? size : 0;
  FT_TRY(s);
  image_done[index] = true;
  ++report.images_checked;
  return Status();
}

}  // namespace

Status process(CryptoPort& crypto, const Envelope& envelope, Manifest& manifest, const ProcessOptions& options,
               ProcessReport& report) {
  Processor p{.crypto = crypto, .envelope = envelope, .manifest = manifest, .options = options, .report = report};
  // In this order; load and invoke, the last two, are not executed on a verifier, but must be
  // well-formed command sequences.
  static constexpr Bytes Manifest::*kSequences[] = {&Manifest::shared_sequence, &Manifest::payload_fetch,
                                                     &Manifest::install,         &Manifest::validate,
                                                     &Manifest::load,            &Manifest::invoke};
  for (std::size_t i = 0; i < std::size(kSequences); ++i) {
    const Bytes& sequence = manifest.*kSequences[i];
    if (sequence.empty()) continue;
    p.current = 1;
    FT_TRY(p.run(sequence, i < 4 ? 0 : kStructureOnly));
  }
  // Every component that declares an image digest must have been checked against a payload
  // unless the caller allowed unchecked images. Expected identities: every component that names
  // one must name the expected one, and a manifest that names none cannot satisfy it.
  bool names_vendor = false, names_class = false;
  for (std::size_t c = 0; c < manifest.component_count; ++c) {
    const Component& comp = manifest.components[c];
    if (p.image_unchecked[c] && !p.image_done[c]) ++report.images_unchecked;
    if (comp.has_image_digest && !p.image_done[c] && options.require_payload) {
      return Status(Code::suit_payload_missing, "SUIT: an image was never checked against its digest");
    }
    FT_TRY(check_named(comp.vendor_id, options.expected_vendor_id, names_vendor, Code::suit_vendor_mismatch));
    FT_TRY(check_named(comp.class_id, options.expected_class_id, names_class, Code::suit_class_mismatch));
  }
  const bool expects_vendor = !options.expected_vendor_id.empty();
  const bool expects_class = !options.expected_class_id.empty();
  if (expects_vendor && !names_vendor) {
    return Status(Code::suit_vendor_mismatch, "SUIT: manifest does not name a vendor, but one is expected");
  }
  if (expects_class && !names_class) {
    return Status(Code::suit_class_mismatch, "SUIT: manifest does not name a device class, but one is expected");
  }
  if (expects_vendor) report.vendor_checked = true;
  if (expects_class) report.class_checked = true;
  return Status();
}

}  // namespace ft::suit
