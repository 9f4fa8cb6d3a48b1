#include "rules.h"

#include "ft/base/unfilled.h"

namespace ft::x509 {

CertError* Findings::add_finding(Code code, std::size_t position) {
  if (count == kMaxErrors) {
    truncated = true;
    return nullptr;
  }
  // Insert after every finding at the same or an earlier position: the list stays sorted leaf
  // first, in the order found at each position.
  CertError* item = items + count++;
  for (; item != items && item[-1].position > position; --item) *item = item[-1];
  item->code = code;
  item->position = static_cast<std::uint8_t>(position);
  return item;
}

bool issuer_name_matches(const Certificate& child, const Certificate& issuer) {
  return bytes_equal(child.issuer, issuer.subject);
}

void check_key(const PublicKey& key, Error key_error, const KeyPolicy& policy, std::size_t position,
               Findings& findings) {
  // Each way a key can be refused only picks the message: one add call for all of them.
  bool allowed = false;
  const char* message = keep_message("no usable public key");
  if (key_error.code != Code::ok) {
    message = key_error.message;
  } else {
    switch (key.type) {
      case KeyType::ec_p256:
        allowed = policy.ec_p256;
        message = keep_message("EC P-256 keys are not allowed by policy");
        break;
      case KeyType::ec_p384:
        allowed = policy.ec_p384;
        message = keep_message("EC P-384 keys are not allowed by policy");
        break;
      case KeyType::ed25519:
        allowed = policy.ed25519;
        message = keep_message("Ed25519 keys are not allowed by policy");
        break;
      case KeyType::rsa:
        allowed = policy.rsa && key.bits >= policy.rsa_min_bits;
        message = policy.rsa ? keep_message("RSA key shorter than the policy minimum")
                             : keep_message("RSA keys are not allowed by policy");
        break;
      case KeyType::none:
        break;
    }
  }
  if (!allowed) findings.add(Code::cert_key_not_allowed, position, message);
}

namespace {

// check_common: the rules every certificate obeys (see check_certificate).
void check_common(const Certificate& cert, std::size_t position, const PathPolicy& policy, Findings& findings) {
  if (cert.has_unknown_critical_extension) {
    findings.add(Code::cert_unknown_critical_extension, position, "critical extension not processed by this profile");
  }
  // clock: notBefore <= time <= notAfter; floor: notAfter >= time (one expiry check for both).
  const bool clock = policy.time_mode == TimeMode::clock;
  if (clock || policy.time_mode == TimeMode::floor) {
    if (clock && policy.time < cert.not_before)
      findings.add(Code::cert_not_yet_valid, position, "notBefore is after the verification time");
    if (cert.not_after < policy.time) {
      findings.add(Code::cert_expired, position,
                   clock ? "notAfter is before the verification time" : "notAfter is before the trusted time floor");
    }
  }
  check_key(cert.key, cert.key_error, policy.keys, position, findings);
}

// check_leaf: the leaf rules (see check_certificate).
void check_leaf(const Certificate& leaf, const PathPolicy& policy, Findings& findings) {
  if (leaf.basic_constraints.is_ca) findings.add(Code::cert_leaf_is_ca, 0, "leaf has basicConstraints CA=TRUE");
  if (!leaf.key_usage.present) {
    findings.add(Code::cert_missing_key_usage, 0, "leaf has no keyUsage extension (digitalSignature required)");
  } else if (!leaf.key_usage.has(kDigitalSignature)) {
    findings.add(Code::cert_leaf_key_usage, 0, "leaf keyUsage lacks digitalSignature");
  }
  // One add call for the ways extKeyUsage fails; the condition only picks the message.
  const ExtendedKeyUsage& eku = leaf.ext_key_usage;
  if (policy.purpose == Purpose::code_signing && !(eku.present && eku.code_signing)) {
    findings.add(Code::cert_leaf_eku, 0,
                 !eku.present ? "leaf has no extKeyUsage extension (id-kp-codeSigning required)"
                 : eku.any    ? "leaf extKeyUsage has anyExtendedKeyUsage but not id-kp-codeSigning"
                              : "leaf extKeyUsage lacks id-kp-codeSigning");
  }
}

// check_issuer: the issuer rules (see check_certificate).
void check_issuer(const Certificate& issuer, std::size_t position, std::size_t intermediates_below,
                  Findings& findings) {
  // One add call for the ways basicConstraints fails; the condition only picks the message.
  const BasicConstraints& bc = issuer.basic_constraints;
  if (!(bc.present && bc.is_ca && bc.critical)) {
    findings.add(Code::cert_not_ca, position,
                 !bc.present ? "issuer has no basicConstraints extension"
                 : !bc.is_ca ? "issuer basicConstraints has CA=FALSE"
                             : "issuer basicConstraints is not critical");
  }
  if (!issuer.key_usage.present) {
    findings.add(Code::cert_missing_key_usage, position, "issuer has no keyUsage extension (keyCertSign required)");
  } else if (!issuer.key_usage.has(kKeyCertSign)) {
    findings.add(Code::cert_issuer_key_usage, position, "issuer keyUsage lacks keyCertSign");
  }
  if (bc.is_ca && bc.has_path_len && intermediates_below > bc.path_len) {
    findings.add(Code::cert_path_len_exceeded, position,
                 "more intermediates below this issuer than its pathLenConstraint");
  }
}

}  // namespace

void check_certificate(const Certificate& cert, std::size_t position, std::size_t intermediates_below,
                       const PathPolicy& policy, Findings& findings) {
  if (position == 0) {
    check_leaf(cert, policy, findings);
  } else {
    check_issuer(cert, position, intermediates_below, findings);
  }
  check_common(cert, position, policy, findings);
}

bool verify_link(CryptoPort& crypto, const Certificate& child, std::size_t child_position, const PublicKey& issuer_key,
                 Findings& findings, std::size_t& verified) {
  // Every way the link fails ends in one finding at the child; each only picks its code and
  // message (one add call for all of them).
  Code finding = Code::cert_bad_signature;
  const char* message = keep_message("signature verification failed");
  Unfilled<VerifyingKey> key;
  if (!child.signature_scheme_known) {
    finding = Code::cert_unsupported_signature_algorithm;
    message = keep_message("signature algorithm not supported");
  } else if (const Status made = make_verifying_key(issuer_key, child.signature_scheme, key.get()); !made.ok()) {
    // An unusable issuer key (type none: its problem is reported at the issuer) fails here too,
    // with bad_key, so the link fails closed; its type only picks the message (no test is left
    // without messages: flash).
    message = issuer_key.type == KeyType::none ? keep_message("signature not verifiable: issuer key unusable")
              : made.code() == Code::key_alg_mismatch
                  ? keep_message("signature algorithm does not fit the issuer's key type")
                  : keep_message("issuer key cannot verify this signature");
  } else {
    ++verified;
    const Status status = crypto.verify(key.get(), child.tbs, child.signature);
    switch (status.code()) {
      case Code::ok:
        return true;
      case Code::bad_signature:
        message = keep_message("signature does not verify with the issuer's key");
        break;
      case Code::crypto_failure:
        // Set here, where a signature's crypto_failure finding is made, not tested in every add
        // (flash). A terminal crypto_failure (validate_path's self-signature probe) is reported by
        // judge with its own message.
        findings.crypto_failed = true;
        finding = Code::crypto_failure;
        message = keep_message("crypto backend failed while verifying the signature");
        break;
      case Code::unsupported_algorithm:
        finding = Code::cert_unsupported_signature_algorithm;
        message = keep_message("crypto backend lacks the signature algorithm");
        break;
      case Code::bad_key:
        findings.add(Code::cert_key_not_allowed, child_position + 1, "crypto backend rejected the issuer's public key");
        message = keep_message("signature not verifiable: issuer key rejected");
        break;
      default:
        break;
    }
  }
  findings.add(finding, child_position, message);
  return false;
}

}  // namespace ft::x509
