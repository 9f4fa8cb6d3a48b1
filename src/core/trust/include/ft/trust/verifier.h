// ft/trust/verifier.h — the one verifier: a SUIT envelope, its COSE_Sign1 signatures, the
// signers' X.509 chains under the code-signing profile, trust anchors per role, the anti-rollback
// decision, and the payload. The CLI, the device simulator and the bootloader all call
// verify_envelope.
//
// Freestanding: no heap; everything points into the caller's buffers (envelope, anchors).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "ft/base/bytes.h"
#include "ft/base/error.h"
#include "ft/ports/crypto.h"
#include "ft/suit/suit.h"
#include "ft/x509/path.h"

namespace ft::trust {

// Role of a trust anchor (IEC 62443-4-2 EDR 3.12 supplier roots, EDR 3.13 asset-owner roots).
enum class Role : std::uint8_t { supplier, asset_owner };

// Anchors — the provisioned trust anchors, per role. Spans point into caller storage.
struct Anchors {
  std::span<const x509::TrustAnchor> supplier;
  std::span<const x509::TrustAnchor> asset_owner;
};

using x509::TimeMode;

// Policy — what the verifier demands.
struct Policy {
  // path — the rules for the x5chain of a signature, handed to x509::validate_path as they are
  // (one struct: building a PathPolicy for each signature cost 62 bytes of flash). path.time_mode
  // and path.time are the clock or the time floor (seconds since the Unix epoch); path.keys.rsa
  // also allows PS256 signatures (legacy PKIs on hosts). path.purpose and path.order must stay
  // the code-signing profile and x5chain leaf first: verify_envelope refuses any other with
  // invalid_argument (stage chain).
  x509::PathPolicy path{.max_intermediates = 3,
                        .keys = {},
                        .time_mode = TimeMode::clock,
                        .time = 0,
                        .purpose = x509::Purpose::code_signing,
                        .order = x509::ChainOrder::leaf_first};
  std::uint64_t minimum_sequence = 0;  // anti-rollback: manifests below it are rejected
  bool require_asset_owner = false;    // an asset-owner signature is required besides a supplier's
  bool allow_raw_keys = true;          // signatures without x5chain against raw-key anchors
};

// Stage at which a verdict was reached.
enum class Stage : std::uint8_t { envelope, digest, signature, chain, roles, manifest, rollback, payload, done };

// stage_name returns "envelope", "digest", ... for reports.
const char* stage_name(Stage stage);

inline constexpr std::size_t kMaxSignatures = suit::kMaxAuthBlocks;

// SignatureResult — what was found for one COSE_Sign1 in the authentication wrapper.
struct SignatureResult {
  Error error;                  // ok when the signature verified and chained to an anchor
  std::int64_t cose_alg = 0;
  std::size_t chain_length = 0;  // certificates in x5chain (0: raw-key signature)
  bool certificate_failed = false;      // a certificate of x5chain failed: failing_certificate says which
  std::size_t failing_certificate = 0;  // position in the chain of the first certificate error (0 = leaf)
  std::size_t anchor_index = 0;         // index into the role's anchors, when error is ok
  Role role = Role::supplier;
  Bytes leaf;                    // DER of the signer's certificate (empty for raw keys)
};

// Verdict — the outcome, with everything a report needs. Its default is all-zero bytes (see
// ft/base/reset.h), so a static Verdict costs no flash and no constructor.
// (Small members first, here and in suit's structs: Thumb-2 reaches them with 16-bit loads.)
struct Verdict {
  Error error;  // ok when the envelope is accepted
  Stage stage = Stage::envelope;
  bool supplier_signed = false;
  bool asset_owner_signed = false;
  TimeMode time_mode = TimeMode::clock;
  std::size_t signature_count = 0;
  std::uint64_t sequence_number = 0;
  SignatureResult signatures[kMaxSignatures];
  suit::Envelope envelope;
  suit::Manifest manifest;
  suit::ProcessReport report;
  [[nodiscard]] bool accepted() const { return error.code == Code::ok; }
};

// Workspace — caller-provided storage for one verification (static on a microcontroller, so the
// stack stays small): the parsed signer chain, the path report, and the COSE Sig_structure.
struct Workspace {
  x509::CertificateList chain;
  x509::PathReport path;
  x509::PathReport path_scratch;  // the candidate path being judged
  std::uint8_t sig_structure[8192] = {};  // zeroed, so a static Workspace is constant-initialised (.bss)
};

// verify_envelope verifies envelope against anchors under policy and processes the manifest with
// options (expected identities, payload). The verdict is always filled as far as verification got;
// the returned Status equals verdict.error. Codes: the suit_*, cose_*, cert_* and trust_* codes
// of ft/base/error.h; the stage says where it stopped.
Status verify_envelope(CryptoPort& crypto, Bytes envelope, const Anchors& anchors, const Policy& policy,
                       const suit::ProcessOptions& options, Workspace& workspace, Verdict& verdict);

}  // namespace ft::trust
