// ft/suit/suit.h — the SUIT envelope and manifest subset (draft-ietf-suit-manifest) that
// FieldTrust verifies: parsing, the authentication wrapper digest, severable members, and a
// command-sequence processor that evaluates conditions against the device's expectations and the
// payload. Signature checking is the trust module's job (it calls parse_envelope first).
//
// Freestanding: fixed-size tables, zero-copy spans into the caller's envelope buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/crypto.h"

namespace ft::suit {

inline constexpr std::uint64_t kTagEnvelope = 107;
inline constexpr std::size_t kMaxComponents = 4;
inline constexpr std::size_t kMaxAuthBlocks = 4;
inline constexpr std::size_t kMaxIntegrated = 4;

// Envelope, manifest and common keys; commands; parameters (IANA SUIT registries).
namespace key {
inline constexpr std::int64_t kAuthWrapper = 2, kManifest = 3, kPayloadFetch = 16, kInstall = 20, kText = 23;
inline constexpr std::int64_t kVersion = 1, kSequence = 2, kCommon = 3, kReferenceUri = 4, kManifestComponentId = 5,
                              kValidate = 7, kLoad = 8, kInvoke = 9;
inline constexpr std::int64_t kComponents = 2, kSharedSequence = 4;
}  // namespace key

namespace cmd {
inline constexpr std::int64_t kVendorId = 1, kClassId = 2, kImageMatch = 3, kComponentSlot = 5, kCheckContent = 6,
                              kSetComponentIndex = 12, kAbort = 14, kTryEach = 15, kWrite = 18,
                              kOverrideParameters = 20, kFetch = 21, kCopy = 22, kInvoke = 23, kDeviceId = 24,
                              kSwap = 31, kRunSequence = 32;
}  // namespace cmd

namespace param {
inline constexpr std::int64_t kVendorId = 1, kClassId = 2, kImageDigest = 3, kComponentSlot = 5, kStrictOrder = 12,
                              kSoftFailure = 13, kImageSize = 14, kContent = 18, kUri = 21, kSourceComponent = 22,
                              kInvokeArgs = 23, kDeviceId = 24;
}  // namespace param

// SuitDigest — [algorithm-id, digest-bytes]; algorithm ids are COSE's (-16 SHA-256, -43 SHA-384,
// -44 SHA-512).
struct SuitDigest {
  HashAlg alg = HashAlg::sha256;
  Bytes value;
};

// parse_digest reads an encoded SUIT_Digest into out; suit_malformed for another structure or a
// digest length that does not fit the algorithm, unsupported_algorithm for an unknown algorithm.
// out is written only on success.
Status parse_digest(const Bytes& encoded, SuitDigest& out);

struct IntegratedPayload {
  Bytes key;      // the text key in the envelope, e.g. "#firmware"
  Bytes payload;
};

// Envelope — the parsed outer structure. (The counts first: Thumb-2 reaches small offsets with
// 16-bit loads.)
struct Envelope {
  std::size_t auth_block_count = 0;
  std::size_t integrated_count = 0;
  Bytes manifest_wrapped;   // the manifest bstr with its CBOR head: what the wrapper digest covers
  Bytes manifest;           // the encoded manifest map inside it
  Bytes digest_encoded;     // the encoded SUIT_Digest of the wrapper: the COSE detached payload
  SuitDigest manifest_digest;
  Bytes auth_blocks[kMaxAuthBlocks];  // encoded COSE structures
  Bytes severed_payload_fetch, severed_install, severed_text;  // wrapped (bstr with head) or empty
  IntegratedPayload integrated[kMaxIntegrated];
};

// parse_envelope parses a SUIT envelope (tag 107 optional) into out. suit_not_envelope when it is
// not a map; suit_no_auth_wrapper / missing_field when the wrapper or manifest is absent;
// unsupported for members outside the subset (delegation, trust-domain extensions).
Status parse_envelope(const Bytes& encoded, Envelope& out);

// parse_envelope returning the Envelope (hosts; a small stack wants the form above).
inline Result<Envelope> parse_envelope(Bytes encoded) {
  Envelope envelope;
  if (const Status s = parse_envelope(encoded, envelope); !s.ok()) return s.error();
  return envelope;
}

// check_manifest_digest hashes envelope.manifest_wrapped and compares it with the wrapper digest:
// suit_manifest_digest_mismatch on difference.
Status check_manifest_digest(CryptoPort& crypto, const Envelope& envelope);

// Component — the parameters the command sequences set for one component.
struct Component {
  Bytes id;  // encoded SUIT_Component_Identifier (array of bstr)
  Bytes vendor_id, class_id, device_id, uri, content;
  SuitDigest image_digest;
  std::uint64_t image_size = 0;
  std::uint64_t slot = 0;
  bool has_image_digest = false;
  bool has_image_size = false;
  bool has_slot = false;
};

// Manifest — the parsed manifest with its command sequences resolved (severed members checked).
struct Manifest {
  // First: read often, and Thumb-2 reaches small offsets with 16-bit loads.
  std::size_t component_count = 0;
  std::uint64_t version = 0;
  std::uint64_t sequence_number = 0;
  Bytes reference_uri;
  Bytes common;
  Component components[kMaxComponents];
  Bytes shared_sequence, validate, load, invoke, install, payload_fetch;  // encoded command sequences
  Bytes text;  // encoded SUIT_Text_Map, or empty
  bool install_severed_absent = false;  // severed in the manifest, stripped from the envelope
  bool text_severed_absent = false;
  // Scratch for process(): the parameters as a try-each branch found them, restored when the
  // branch's conditions fail. Kept here, in the caller's storage, rather than on the stack.
  Component try_each_saved[kMaxComponents];
};

// parse_manifest parses envelope.manifest into out, resolving severable members against the
// envelope (suit_severed_member_mismatch when a member's digest differs, or the envelope carries a
// member the manifest does not authenticate). suit_unsupported_version unless version is 1.
Status parse_manifest(CryptoPort& crypto, const Envelope& envelope, Manifest& out);

// parse_manifest returning the Manifest (hosts; a small stack wants the form above).
inline Result<Manifest> parse_manifest(CryptoPort& crypto, const Envelope& envelope) {
  Manifest manifest;
  if (const Status s = parse_manifest(crypto, envelope, manifest); !s.ok()) return s.error();
  return manifest;
}

// PayloadSource — where the processor reads a detached image from (file on a host, flash slot on a
// device).
class PayloadSource {
 public:
  virtual ~PayloadSource() = default;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  // view returns the whole payload when it is already in memory, else an empty span.
  [[nodiscard]] virtual Bytes view() const { return {}; }
  // read provides the out.size() bytes at offset in data, which the caller sets to out: the source
  // fills out, or, when it holds those bytes in memory already, points data at them instead (no
  // copy; the view must stay valid until the source's next call). Fails when it cannot provide
  // them all. The processor hashes data before its next read.
  virtual Status read(std::uint64_t offset, MutableBytes out, Bytes& data) = 0;
};

// Expectations of the device (or of the verifier's user). Empty spans mean "not checked".
struct ProcessOptions {
  Bytes expected_vendor_id;
  Bytes expected_class_id;
  Bytes device_id;
  bool device_slot_known = false;  // unknown: component-slot conditions hold (first try-each branch)
  bool require_payload = true;     // suit_payload_missing when an image cannot be checked
  std::uint64_t device_slot = 0;
  PayloadSource* detached_payload = nullptr;  // the image of the component without an integrated one
  std::uint64_t max_image_size = 512ull << 20;
  MutableBytes scratch;  // read buffer for detached payloads (>= 4 KiB recommended)
};

// ProcessReport — what processing found and checked.
struct ProcessReport {
  bool vendor_checked = false;
  bool class_checked = false;
  bool device_checked = false;
  bool slot_assumed = false;  // a component-slot condition held because the slot was unknown
  std::size_t images_checked = 0;
  std::size_t images_unchecked = 0;
  std::uint64_t image_bytes_hashed = 0;
  bool payload_used = false;         // an image came from detached_payload
  std::size_t payload_component = 0;  // the component it belongs to, when payload_used
};

// process runs shared-sequence, payload-fetch, install and validate (load and invoke are not
// executed on a verifier; they are checked for structure), evaluating conditions. On failure the
// error names the failing check: suit_vendor_mismatch, suit_class_mismatch,
// suit_image_digest_mismatch, suit_image_size_mismatch, suit_image_too_large,
// suit_payload_missing, suit_missing_parameter, suit_unsupported_command, suit_malformed;
// trust_policy when a condition does not hold (in no try-each branch) or abort is reached;
// depth_exceeded for sequences nested (try-each, run-sequence) more than two levels deep.
Status process(CryptoPort& crypto, const Envelope& envelope, Manifest& manifest, const ProcessOptions& options,
               ProcessReport& report);

}  // namespace ft::suit
