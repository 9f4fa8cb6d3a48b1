// ft/sign/envelope_builder.h — builds signed SUIT envelopes (draft-ietf-suit-manifest) with
// COSE_Sign1 signatures (RFC 9052) carrying the signer's X.509 chain in x5chain (RFC 9360).
#pragma once

#include <array>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ft/base/bytes.h"
#include "ft/keys/signer.h"

namespace ft::sign {

using Uuid = std::array<std::uint8_t, 16>;

// uuid5 returns the name-based UUID (RFC 9562 version 5, SHA-1) of name in namespace_id.
Uuid uuid5(const Uuid& namespace_id, const std::string& name);

// vendor_id_for_domain returns UUIDv5(DNS namespace, domain), as the SUIT information model
// recommends for vendor IDs; class_id_for_model returns UUIDv5(vendor_id, model).
Uuid vendor_id_for_domain(const std::string& domain);
Uuid class_id_for_model(const Uuid& vendor_id, const std::string& model);

// format_uuid returns the 8-4-4-4-12 lowercase form.
std::string format_uuid(const Uuid& id);

// Release — what a manifest says about one firmware image.
struct Release {
  std::uint64_t sequence_number = 0;  // the anti-rollback number
  Uuid vendor_id{};
  Uuid class_id{};
  std::string vendor_name;    // text section
  std::string vendor_domain;  // text section
  std::string model;          // text section: model name
  std::string version;        // text section: component version, e.g. "2.1.0"
  std::string description;    // text section: manifest description (optional)
  std::vector<std::uint8_t> image_digest;  // SHA-256 of the image
  std::uint64_t image_size = 0;
  // Payload: integrated bytes (carried in the envelope under "#firmware"), or detached (the
  // install sequence names payload_uri and the image travels as a separate file).
  bool integrated = false;
  std::vector<std::uint8_t> image;  // only when integrated
  std::string payload_uri;          // only when detached; e.g. the image file name
};

// SigningIdentity — a signer and its certificate chain (DER, leaf first, without the root).
// An empty chain makes a raw-key signature (no x5chain; verifiers need a raw-key anchor).
struct SigningIdentity {
  keys::Signer* signer = nullptr;
  std::vector<std::vector<std::uint8_t>> chain;
};

// load_signing_identity opens the key named by key_spec (PEM file or PKCS#11 URI; the signer is
// returned in signer_out) and, unless raw_key, the PEM/DER chain at chain_path (leaf first). It
// checks that the key is the leaf certificate's. Throws host::UserError naming the file.
SigningIdentity load_signing_identity(const std::string& key_spec, const std::string& chain_path, bool raw_key,
                                      std::unique_ptr<keys::Signer>& signer_out);

// build_manifest returns the encoded SUIT manifest for release (deterministic CBOR).
std::vector<std::uint8_t> build_manifest(const Release& release);

// build_envelope signs manifest with each identity (one COSE_Sign1 each, in order) and returns the
// encoded envelope (tag 107). Throws host::UserError when a signer fails.
std::vector<std::uint8_t> build_envelope(const Release& release, const std::vector<SigningIdentity>& signers);

// add_signature returns envelope with one more COSE_Sign1 by identity over the same manifest
// (e.g. an asset owner's approval). The manifest bytes are unchanged. Throws host::UserError when
// envelope does not parse.
std::vector<std::uint8_t> add_signature(Bytes envelope, const SigningIdentity& identity);

// hash_file_sha256 streams path through SHA-256 and returns the digest and the size. Throws
// host::UserError naming the file.
std::vector<std::uint8_t> hash_file_sha256(const std::string& path, std::uint64_t& size);

}  // namespace ft::sign
