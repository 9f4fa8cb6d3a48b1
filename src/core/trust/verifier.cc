#include "ft/trust/verifier.h"

#include <new>

#include "ft/base/config.h"
#include "ft/base/reset.h"
#include "ft/cose/sign1.h"

namespace ft::trust {

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::envelope: return "envelope";
    case Stage::digest: return "digest";
    case Stage::signature: return "signature";
    case Stage::chain: return "chain";
    case Stage::roles: return "roles";
    case Stage::manifest: return "manifest";
    case Stage::rollback: return "rollback";
    case Stage::payload: return "payload";
    case Stage::done: return "done";
  }
  return "unknown";
}

namespace {

Status fail(Verdict& v, Stage stage, Error error) {
  v.stage = stage;
  v.error = error;
  return error;
}

bool algorithm_allowed(std::int64_t alg, const Policy& policy) {
  SigScheme scheme;
  if (!cose::scheme_for_alg(alg, scheme).ok()) return false;
  // Without RSA in the build (FT_CORE_RSA=0) scheme_for_alg has no RSA scheme to return.
  return !config::kRsa || scheme != SigScheme::rsa_pss_sha256 || policy.path.keys.rsa;
}

// verify_raw_key tries every raw-key anchor of both roles; the first that verifies wins.
Status verify_raw_key(CryptoPort& crypto, const cose::Sign1& msg, Bytes detached, const Anchors& anchors,
                      MutableBytes scratch, SignatureResult& out) {
  bool any_raw = false;
  // Role's order: a supplier's anchors first. (An index: a loop over {supplier, asset_owner} built
  // that list on the stack, 23 bytes of flash more in each of the two loops.)
  for (int r = 0; r <= static_cast<int>(Role::asset_owner); ++r) {
    const Role role = static_cast<Role>(r);
    const auto list = role == Role::supplier ? anchors.supplier : anchors.asset_owner;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].kind != x509::AnchorKind::raw_key) continue;
      any_raw = true;
      const Status s = cose::verify_sign1(crypto, msg, list[i].raw_key, detached, scratch);
      if (s.ok()) {
        out.anchor_index = i;
        out.role = role;
        return s;
      }
      if (s.code() != Code::cose_bad_signature && s.code() != Code::key_alg_mismatch) return s;
    }
  }
  if (!any_raw) {
    return Status(Code::cose_no_x5chain, "signature carries no certificate chain and no raw-key anchor is provisioned");
  }
  return Status(Code::trust_no_anchor, "signature verifies with none of the provisioned raw-key anchors");
}

// check_chain parses the x5chain and validates it to a supplier anchor, else to an asset-owner
// anchor, under the code-signing profile. On success out.role and out.anchor_index say which.
Status check_chain(CryptoPort& crypto, const cose::Sign1& msg, const Anchors& anchors, const Policy& policy,
                   Workspace& ws, SignatureResult& out) {
  reset_in_place(ws.chain);
  for (std::size_t i = 0; i < msg.x5chain_count; ++i) {
    const Status s = ws.chain.add(msg.x5chain[i]);
    if (!s.ok()) {
      out.certificate_failed = true;
      out.failing_certificate = i;
      return s;  // the parser's code is the precise one (e.g. non_canonical); the position says where
    }
  }
  out.leaf = msg.x5chain[0];
  // Firmware is verified under the code-signing profile with x5chain leaf first (RFC 9360): a
  // policy that relaxes either is refused, not followed.
  if (policy.path.purpose != x509::Purpose::code_signing || policy.path.order != x509::ChainOrder::leaf_first) {
    return Status(Code::invalid_argument, "policy: chains are checked for code signing, leaf first, only");
  }
  const std::span<const x509::Certificate> untrusted = ws.chain.certificates().subspan(1);
  Status first_failure;
  for (int r = 0; r <= static_cast<int>(Role::asset_owner); ++r) {  // as in verify_raw_key
    const Role role = static_cast<Role>(r);
    const auto list = role == Role::supplier ? anchors.supplier : anchors.asset_owner;
    if (list.empty()) continue;
    const Status s = x509::validate_path(ws.chain[0], untrusted, list, policy.path, crypto, ws.path, ws.path_scratch);
    if (s.ok()) {
      out.role = role;
      out.anchor_index = static_cast<std::size_t>(ws.path.anchor_index);
      out.certificate_failed = false;  // an earlier role's failure is not this signature's
      return s;
    }
    if (s.code() == Code::crypto_failure) return s;
    // Keep the findings of the first role tried (the supplier's, normally): its reason is the one
    // the user needs, unless it only failed for lack of a matching anchor.
    if (first_failure.ok() || (first_failure.code() == Code::cert_untrusted_root && s.code() != Code::cert_untrusted_root)) {
      first_failure = s;
      out.certificate_failed = ws.path.error_count > 0;
      out.failing_certificate = out.certificate_failed ? ws.path.errors[0].position : 0;
    }
  }
  if (first_failure.ok()) return Status(Code::trust_no_anchor, "no X.509 trust anchor is provisioned");
  return first_failure;
}

}  // namespace

Status verify_envelope(CryptoPort& crypto, Bytes envelope, const Anchors& anchors, const Policy& policy,
                       const suit::ProcessOptions& options, Workspace& ws, Verdict& v) {
  const MutableBytes scratch(ws.sig_structure);
  reset_in_place(v);
  v.time_mode = policy.path.time_mode;

  if (const Status s = suit::parse_envelope(envelope, v.envelope); !s.ok()) return fail(v, Stage::envelope, s.error());

  // 1. The manifest is what the wrapper digest says it is.
  if (const Status s = suit::check_manifest_digest(crypto, v.envelope); !s.ok()) return fail(v, Stage::digest, s.error());

  // 2. Every signature verifies and chains to a provisioned anchor.
  if (v.envelope.auth_block_count == 0) {
    return fail(v, Stage::signature, make_error(Code::suit_no_signature, "envelope carries no signature"));
  }
  for (std::size_t i = 0; i < v.envelope.auth_block_count; ++i) {
    v.signature_count = i + 1;  // signatures after a failing one are not examined nor reported
    SignatureResult& r = v.signatures[i];
    // Storage without a constructor: parse_sign1 resets it first (a Sign1 here would be zeroed
    // twice). Sign1 is an implicit-lifetime type (C++20).
    alignas(cose::Sign1) std::uint8_t sign1_bytes[sizeof(cose::Sign1)];
    cose::Sign1& sign1 = *std::launder(static_cast<cose::Sign1*>(static_cast<void*>(sign1_bytes)));
    // One exit for the signature's failures: r.error, the stage and the verdict are set there.
    Status s = cose::parse_sign1(v.envelope.auth_blocks[i], sign1);
    Stage stage = Stage::signature;
    if (s.ok()) {
      r.cose_alg = sign1.alg;
      r.chain_length = sign1.x5chain_count;
      if (!sign1.payload_detached) {
        s = make_error(Code::cose_payload_not_detached, "COSE_Sign1 in a SUIT wrapper must have a detached payload");
      } else if (!algorithm_allowed(sign1.alg, policy)) {
        s = make_error(Code::cose_alg_not_allowed, "signature algorithm not allowed by policy");
      } else if (sign1.x5chain_count == 0) {
        if (!policy.allow_raw_keys) {
          s = Status(Code::cose_no_x5chain, "signature carries no certificate chain (x5chain) and policy requires one");
        } else {
          s = verify_raw_key(crypto, sign1, v.envelope.digest_encoded, anchors, scratch, r);
        }
      } else {
        s = check_chain(crypto, sign1, anchors, policy, ws, r);
        if (!s.ok()) {
          stage = Stage::chain;
        } else {
          s = cose::verify_sign1(crypto, sign1, ws.chain[0].key, v.envelope.digest_encoded, scratch);
        }
      }
    }
    if (!s.ok()) {
      r.error = s.error();
      return fail(v, stage, s.error());
    }
    (r.role == Role::supplier ? v.supplier_signed : v.asset_owner_signed) = true;
  }

  // 3. The required roles signed.
  if (!v.supplier_signed) {
    return fail(v, Stage::roles, make_error(Code::trust_missing_role, "no signature chains to a supplier anchor"));
  }
  if (policy.require_asset_owner && !v.asset_owner_signed) {
    return fail(v, Stage::roles, make_error(Code::trust_missing_role, "policy requires an asset-owner approval signature; none found"));
  }

  // 4. The manifest parses, within the supported subset.
  if (const Status s = suit::parse_manifest(crypto, v.envelope, v.manifest); !s.ok()) {
    return fail(v, Stage::manifest, s.error());
  }
  v.sequence_number = v.manifest.sequence_number;

  // 5. Anti-rollback, before any payload is read.
  if (v.manifest.sequence_number < policy.minimum_sequence) {
    return fail(v, Stage::rollback,
                make_error(Code::trust_rollback, "manifest sequence number is below the device's minimum (rollback)"));
  }

  // 6. Conditions and the payload.
  if (const Status s = suit::process(crypto, v.envelope, v.manifest, options, v.report); !s.ok()) {
    return fail(v, Stage::payload, s.error());
  }
  v.stage = Stage::done;
  return Status();
}

}  // namespace ft::trust
