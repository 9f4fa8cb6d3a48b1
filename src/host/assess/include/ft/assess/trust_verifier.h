// ft/assess/trust_verifier.h — the ArtifactVerifier backed by FieldTrust's own verifiers: the
// envelope verifier (ft_verify over the freestanding trust core, code-signing certificate
// profile) and the tamper-evident log verifier (ft_ledger). Separate target ft_assess_verifier,
// so that ft_assess itself does not depend on the crypto stack.
#pragma once

#include <cstdint>

#include "ft/assess/evidence.h"

namespace ft::assess {

// TrustArtifactVerifier — verifies envelopes and device logs for the assessment engine.
// Envelopes: every signature must chain to one of the check's anchors (supplier role) under the
// code-signing profile, certificates valid at now (seconds since the Unix epoch; 0 = the current
// clock), and the payload must match when one is given or integrated. Device logs: hash chain,
// record signatures (device identity certificate to an anchor, or a given public key) and the
// counter rules; a log that verifies and carries the anti-rollback counter shows the property
// "rollback-protection". Never throws; unreadable or malformed inputs are failed outcomes.
class TrustArtifactVerifier final : public ArtifactVerifier {
 public:
  explicit TrustArtifactVerifier(std::int64_t now = 0) : now_(now) {}
  VerifyOutcome verify_envelope(const EnvelopeCheck& check) override;
  VerifyOutcome verify_device_log(const DeviceLogCheck& check) override;

 private:
  std::int64_t now_;
};

}  // namespace ft::assess
