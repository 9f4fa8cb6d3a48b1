// ft/inspect/describe.h — human- and machine-readable descriptions of certificates, manifests and
// envelopes, shared by `fieldtrust inspect`, `verify` and the evidence tools.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ft/base/bytes.h"
#include "ft/suit/suit.h"

namespace ft::inspect {

// describe_certificate returns {subject, issuer, serial, not_before, not_after, key_type,
// key_usage[], extended_key_usage[], is_ca, path_len, self_signed, sha256} for a DER certificate,
// or {error} when OpenSSL cannot parse it. The fields are OpenSSL's view of the certificate (names
// in RFC 2253 form, X509_check_ca, X509_check_issued against itself, ...): made without OpenSSL's
// X509 parser when describe_certificate_without_key_decoding can, by it otherwise.
nlohmann::json describe_certificate(Bytes der);

// describe_certificate_with_openssl — the same description from OpenSSL's X509 parser alone: the
// reference the other two are tested against.
nlohmann::json describe_certificate_with_openssl(Bytes der);

// describe_certificate_without_key_decoding — the same description from the core's parse of der
// (x509::parse_certificate) and OpenSSL's decoding of the names, serial and extensions only: not
// its X509 parser, which decodes the public key, and whose first key decoding in a process costs
// about 1 ms. nullopt when the core does not parse der or does not know its key, and for a
// self-issued certificate (subject equals issuer), whose self_signed and CA status need the key.
std::optional<nlohmann::json> describe_certificate_without_key_decoding(Bytes der);

// describe_text decodes a SUIT_Text_Map into {language: {description, components: [{vendor_name,
// model_name, vendor_domain, model_info, component_description, component_version}]}}.
nlohmann::json describe_text(Bytes text_map);

// describe_manifest returns {version, sequence_number, components: [{id, vendor_id, class_id,
// image_digest{alg,hex}, image_size, uri, slot}], sequences[], text, reference_uri} from a parsed
// (and processed, so that parameters are filled) manifest.
nlohmann::json describe_manifest(const suit::Manifest& manifest);

// describe_envelope parses an envelope without verifying it and returns {manifest, signatures:
// [{alg, x5chain: [certificates]}], integrated_payloads: [{key, size}], manifest_digest}, or
// {error} with the parse failure.
nlohmann::json describe_envelope(Bytes envelope);

// format_time returns an RFC 3339 UTC string for a Unix time.
std::string format_time(std::int64_t unix_seconds);

// uuid_text formats 16 bytes as a UUID, other lengths as hex.
std::string uuid_text(Bytes id);

// cose_alg_name returns "ES256", "ESP256", "ES384", "EdDSA", "Ed25519", "PS256" or the number.
std::string cose_alg_name(std::int64_t alg);

}  // namespace ft::inspect
