// suit_fuzz.cc — fuzz target for SUIT envelope and manifest processing (ft/suit/suit.h):
// parse_envelope -> check_manifest_digest -> parse_manifest -> process.
//
// Signatures are not checked here (that is verify_fuzz), so mutated manifests reach the command
// processor; the digest check's verdict is ignored for the same reason. An input that is not an
// envelope but a CBOR map is taken as a bare manifest (an envelope without severed members).
// process runs twice on fresh copies of the manifest: once as a verifier without a payload
// (require_payload = false), and once as a device would, with a detached payload read in small
// chunks, the slot known and the vendor and class expected to be those the first run found. What
// is accepted must hold together: spans inside the input, counts within the fixed tables.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/cbor/cbor.h"
#include "ft/ports/openssl.h"
#include "ft/suit/suit.h"

#include "fuzz_check.h"

namespace {

using ft::Bytes;
using ft::MutableBytes;
using ft::Status;

using ft::fuzz::fail;
using ft::fuzz::require;
using ft::fuzz::inside;

// FixedPayload — a detached image that is not in memory, so the processor reads it through its
// scratch buffer (the device path).
class FixedPayload final : public ft::suit::PayloadSource {
 public:
  [[nodiscard]] std::uint64_t size() const override { return sizeof bytes_; }
  // Every other read lends its bytes instead of copying them: the processor takes both paths.
  Status read(std::uint64_t offset, MutableBytes out, Bytes& data) override {
    if (offset > sizeof bytes_ || out.size() > sizeof bytes_ - offset) fail("processor read past the payload");
    if (++reads_ % 2 == 0) {
      data = Bytes(bytes_ + offset, out.size());
      return Status();
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes_[offset + i];
    return Status();
  }

 private:
  std::uint8_t bytes_[300] = {1, 2, 3};
  unsigned reads_ = 0;
};

void check_envelope(const ft::suit::Envelope& env, Bytes input) {
  require(env.auth_block_count <= ft::suit::kMaxAuthBlocks, "auth_block_count beyond kMaxAuthBlocks");
  require(env.integrated_count <= ft::suit::kMaxIntegrated, "integrated_count beyond kMaxIntegrated");
  require(inside(env.manifest_wrapped, input) && inside(env.manifest, env.manifest_wrapped) &&
              inside(env.digest_encoded, input) && inside(env.manifest_digest.value, input),
          "manifest or digest span outside the input");
  for (std::size_t i = 0; i < env.auth_block_count; ++i)
    require(inside(env.auth_blocks[i], input), "auth block outside the input");
  for (std::size_t i = 0; i < env.integrated_count; ++i) {
    require(inside(env.integrated[i].key, input) && inside(env.integrated[i].payload, input),
            "integrated payload outside the input");
  }
  require(
      inside(env.severed_payload_fetch, input) && inside(env.severed_install, input) && inside(env.severed_text, input),
      "severed member outside the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Bytes input(data, size);
  ft::CryptoPort& crypto = ft::openssl_crypto();
  auto parsed_envelope = ft::suit::parse_envelope(input);
  ft::suit::Envelope env;
  if (parsed_envelope.ok()) {
    env = *parsed_envelope;
    check_envelope(env, input);
    ft::suit::check_manifest_digest(crypto, env).ignore();
  } else {
    // A bare manifest map (corpus files manifest-*.cbor): the fuzzer then mutates the manifest
    // without having to keep the envelope's bstr length and wrapper digest in step with it.
    ft::cbor::Major major = ft::cbor::Major::uint;
    if (!ft::cbor::Decoder(input).peek_major(major).ok() || major != ft::cbor::Major::map) return 0;
    env.manifest = input;
  }

  auto parsed = ft::suit::parse_manifest(crypto, env);
  if (!parsed.ok()) return 0;
  require(parsed->component_count >= 1 && parsed->component_count <= ft::suit::kMaxComponents,
          "component_count outside 1..kMaxComponents");
  require(parsed->version == 1, "accepted a manifest version other than 1");

  // 1. A verifier without the image.
  ft::suit::Manifest first = *parsed;
  ft::suit::ProcessOptions verifier;
  verifier.require_payload = false;
  ft::suit::ProcessReport report;
  const Status s1 = ft::suit::process(crypto, env, first, verifier, report);
  require(s1.code() != ft::Code::suit_payload_missing, "suit_payload_missing although no payload is required");

  // 2. A device: detached image read in 64-byte chunks, slot known, identities expected.
  ft::suit::Manifest second = *parsed;
  FixedPayload payload;
  std::uint8_t scratch[64];
  ft::suit::ProcessOptions device;
  device.detached_payload = &payload;
  device.scratch = MutableBytes(scratch);
  device.device_slot_known = true;
  device.device_slot = 1;
  device.device_id = first.components[0].device_id;
  device.expected_vendor_id = first.components[0].vendor_id;
  device.expected_class_id = first.components[0].class_id;
  device.max_image_size = 4096;
  ft::suit::ProcessReport device_report;
  const Status s2 = ft::suit::process(crypto, env, second, device, device_report);
  require(s2.code() != ft::Code::invalid_argument, "processor refused its scratch buffer");
  return 0;
}
