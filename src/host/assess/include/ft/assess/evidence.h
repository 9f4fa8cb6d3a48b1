// ft/assess/evidence.h — checking evidence artifacts for real, not only trusting claims.
//
// Firmware envelopes and device logs are checked by an ArtifactVerifier, the seam where the
// verifier core (trust) and the log verifier (ledger) plug in. SBOMs are parsed as CycloneDX;
// documents must exist and not be empty. An artifact that is missing, fails its check, or whose
// checker is not available never counts as evidence.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/product_profile.h"

namespace ft::assess {

// Verdict — what checking an artifact found.
enum class Verdict : std::uint8_t {
  verified,     // checked by content and accepted (envelope, log, SBOM)
  present,      // a document that exists and is not empty; content not judged by the tool
  missing,      // the file is not there (or empty)
  failed,       // checked and rejected
  unavailable,  // no checker for this kind in this build: not evidence
};
std::string_view verdict_name(Verdict verdict);

// counts_as_evidence is true for verified and present.
inline bool counts_as_evidence(Verdict verdict) { return verdict == Verdict::verified || verdict == Verdict::present; }

// VerifyOutcome — a verdict, a one-line reason for people, and properties the checker saw
// (device logs: "rollback-protection" when the counter advanced monotonically and a rollback was
// blocked or the minimum advanced; envelopes: e.g. "sequence=7").
struct VerifyOutcome {
  Verdict verdict = Verdict::unavailable;
  std::string detail;
  std::vector<std::string> properties;
};

// EnvelopeCheck — a firmware envelope to verify under the code-signing profile against anchors.
struct EnvelopeCheck {
  std::string envelope_path;
  std::vector<std::string> trust_anchor_paths;  // root certificates (PEM/DER) or raw public keys
  std::string payload_path;                     // detached payload; empty when integrated
};

// DeviceLogCheck — a tamper-evident device log (JSON Lines or CBOR) to verify, with what
// authenticates its records: a raw public key, or the device identity certificate (chain, leaf
// first) that must validate to one of the anchors.
struct DeviceLogCheck {
  std::string log_path;
  std::vector<std::string> trust_anchor_paths;
  std::string device_certificate_path;
  std::string public_key_path;
};

// ArtifactVerifier — the interface the verifier core and log verifier implement for the engine.
// Implementations return verified only when the artifact passes every check; they never throw
// for bad content (failed with a reason instead). The files exist when these are called.
class ArtifactVerifier {
 public:
  virtual ~ArtifactVerifier() = default;
  virtual VerifyOutcome verify_envelope(const EnvelopeCheck& check) = 0;
  virtual VerifyOutcome verify_device_log(const DeviceLogCheck& check) = 0;
};

// UnavailableVerifier — the default until the real verifiers are linked: every envelope and
// device log is "unavailable", which the engine never counts as met.
class UnavailableVerifier final : public ArtifactVerifier {
 public:
  VerifyOutcome verify_envelope(const EnvelopeCheck& check) override;
  VerifyOutcome verify_device_log(const DeviceLogCheck& check) override;
};

// EvidenceChecker — checks artifacts of any kind, each file at most once (results are cached by
// kind and path, so one checker can serve many products). Holds references to set and verifier,
// which must outlive it.
class EvidenceChecker {
 public:
  EvidenceChecker(const CatalogSet& set, ArtifactVerifier& verifier) : set_(set), verifier_(verifier) {}

  // check returns the outcome for artifact; the reference stays valid for the checker's lifetime.
  const VerifyOutcome& check(const Artifact& artifact);

  [[nodiscard]] std::size_t files_checked() const { return cache_.size(); }

 private:
  VerifyOutcome check_uncached(const Artifact& artifact);

  const CatalogSet& set_;
  ArtifactVerifier& verifier_;
  std::unordered_map<std::string, VerifyOutcome> cache_;
};

}  // namespace ft::assess
