#include "rules.h"

namespace ft::x509 {

void Findings::add_finding(Code code, std::size_t position, [[maybe_unused]] const char* message) {
  if (code == Code::crypto_failure) crypto_failed = true;
  if (count == kMaxErrors) {
    truncated = true;
    return;
  }
  // Insert after every finding at the same or an earlier position: the list stays sorted leaf
  // first, in the order found at each position.
  std::size_t at = count++;
  for (; at > 0 && items[at - 1].position > position; --at) items[at] = items[at - 1];
  CertError& item = items[at];
  item.code = code;
  item.position = static_cast<std::uint8_t>(position);
#if FT_CORE_MESSAGES
  item.message = message;
#endif
}

bool is_self_issued(const Certificate& cert) { return issuer_name_matches(cert, cert); }

bool issuer_name_matches(const Certificate& child, const Certificate& issuer) {
  return bytes_equal(child.issuer, issuer.subject);
}

void check_key(const PublicKey& key, Error key_error, const KeyPolicy& policy, std::size_t position,
               Findings& findings) {
  if (key_error.code != Code::ok) {
    findings.add(Code::cert_key_not_allowed, position, key_error.message);
    return;
  }
  switch (key.type) {
    case KeyType::ec_p256:
      if (!policy.ec_p256)
        findings.add(Code::cert_key_not_allowed, position, "EC P-256 keys are not allowed by policy");
      return;
    case KeyType::ec_p384:
      if (!policy.ec_p384)
        findings.add(Code::cert_key_not_allowed, position, "EC P-384 keys are not allowed by policy");
      return;
    case KeyType::ed25519:
      if (!policy.ed25519) findings.add(Code::cert_key_not_allowed, position, "Ed25519 keys are not allowed by policy");
      return;
    case KeyType::rsa:
      if (!policy.rsa) {
        findings.add(Code::cert_key_not_allowed, position, "RSA keys are not allowed by policy");
      } else if (key.bits < policy.rsa_min_bits) {
        findings.add(Code::cert_key_not_allowed, position, "RSA key shorter than the policy minimum");
      }
      return;
    case KeyType::none:
      break;
  }
  findings.add(Code::cert_key_not_allowed, position, "no usable public key");
}

void check_common(const Certificate& cert, std::size_t position, const PathPolicy& policy, Findings& findings) {
  if (cert.has_unknown_critical_extension) {
    findings.add(Code::cert_unknown_critical_extension, position, "critical extension not processed by this profile");
  }
  switch (policy.time_mode) {
    case TimeMode::clock:
      if (policy.time < cert.not_before)
        findings.add(Code::cert_not_yet_valid, position, "notBefore is after the verification time");
      if (policy.time > cert.not_after)
        findings.add(Code::cert_expired, position, "notAfter is before the verification time");
      break;
    case TimeMode::floor:
      if (cert.not_after < policy.time)
        findings.add(Code::cert_expired, position, "notAfter is before the trusted time floor");
      break;
    case TimeMode::none:
      break;
  }
  check_key(cert.key, cert.key_error, policy.keys, position, findings);
}

void check_leaf(const Certificate& leaf, const PathPolicy& policy, Findings& findings) {
  if (leaf.basic_constraints.is_ca) findings.add(Code::cert_leaf_is_ca, 0, "leaf has basicConstraints CA=TRUE");
  if (!leaf.key_usage.present) {
    findings.add(Code::cert_missing_key_usage, 0, "leaf has no keyUsage extension (digitalSignature required)");
  } else if (!leaf.key_usage.has(kDigitalSignature)) {
    findings.add(Code::cert_leaf_key_usage, 0, "leaf keyUsage lacks digitalSignature");
  }
  if (policy.purpose == Purpose::code_signing) {
    if (!leaf.ext_key_usage.present) {
      findings.add(Code::cert_leaf_eku, 0, "leaf has no extKeyUsage extension (id-kp-codeSigning required)");
    } else if (!leaf.ext_key_usage.code_signing) {
      findings.add(Code::cert_leaf_eku, 0,
                   leaf.ext_key_usage.any ? "leaf extKeyUsage has anyExtendedKeyUsage but not id-kp-codeSigning"
                                          : "leaf extKeyUsage lacks id-kp-codeSigning");
    }
  }
}

void check_issuer(const Certificate& issuer, std::size_t position, std::size_t intermediates_below,
                  Findings& findings) {
  const BasicConstraints& bc = issuer.basic_constraints;
  if (!bc.present) {
    findings.add(Code::cert_not_ca, position, "issuer has no basicConstraints extension");
  } else if (!bc.is_ca) {
    findings.add(Code::cert_not_ca, position, "issuer basicConstraints has CA=FALSE");
  } else if (!bc.critical) {
    findings.add(Code::cert_not_ca, position, "issuer basicConstraints is not critical");
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

bool verify_link(CryptoPort& crypto, const Certificate& child, std::size_t child_position, const PublicKey& issuer_key,
                 Error issuer_key_error, std::size_t issuer_position, Findings& findings,
                 std::size_t& verified) {
  if (!child.signature_scheme_known) {
    findings.add(Code::cert_unsupported_signature_algorithm, child_position, "signature algorithm not supported");
    return false;
  }
  if (issuer_key_error.code != Code::ok || issuer_key.type == KeyType::none) {
    // The issuer's key problem is reported at the issuer; the link must still fail closed here.
    findings.add(Code::cert_bad_signature, child_position, "signature not verifiable: issuer key unusable");
    return false;
  }
  Result<VerifyingKey> key = make_verifying_key(issuer_key, child.signature_scheme);
  if (!key.ok()) {
    findings.add(Code::cert_bad_signature, child_position,
                 key.code() == Code::key_alg_mismatch ? "signature algorithm does not fit the issuer's key type"
                                                      : "issuer key cannot verify this signature");
    return false;
  }
  ++verified;
  const Status status = crypto.verify(key.value(), child.tbs, child.signature);
  // The finding at the child for each way the backend can refuse (one add call for all of them).
  Code finding = Code::cert_bad_signature;
  const char* message = keep_message("signature verification failed");
  switch (status.code()) {
    case Code::ok:
      return true;
    case Code::bad_signature:
      message = keep_message("signature does not verify with the issuer's key");
      break;
    case Code::crypto_failure:
      finding = Code::crypto_failure;
      message = keep_message("crypto backend failed while verifying the signature");
      break;
    case Code::unsupported_algorithm:
      finding = Code::cert_unsupported_signature_algorithm;
      message = keep_message("crypto backend lacks the signature algorithm");
      break;
    case Code::bad_key:
      findings.add(Code::cert_key_not_allowed, issuer_position, "crypto backend rejected the issuer's public key");
      message = keep_message("signature not verifiable: issuer key rejected");
      break;
    default:
      break;
  }
  findings.add(finding, child_position, message);
  return false;
}

}  // namespace ft::x509
