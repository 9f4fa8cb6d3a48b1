#include "ft/assess/evidence.h"

#include <sys/stat.h>

#include <algorithm>

#include "ft/assess/sbom.h"
#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::assess {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::verified: return "verified";
    case Verdict::present: return "present";
    case Verdict::missing: return "missing";
    case Verdict::failed: return "failed";
    case Verdict::unavailable: return "unavailable";
  }
  return "?";
}

VerifyOutcome UnavailableVerifier::verify_envelope(const EnvelopeCheck&) {
  return {Verdict::unavailable, "firmware envelope verifier not available in this build; not counted as evidence", {}};
}

VerifyOutcome UnavailableVerifier::verify_device_log(const DeviceLogCheck&) {
  return {Verdict::unavailable, "device log verifier not available in this build; not counted as evidence", {}};
}

namespace {

// file_size returns the size of a regular file, or -1 when there is none.
long long file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return static_cast<long long>(st.st_size);
}

}  // namespace

const VerifyOutcome& EvidenceChecker::check(const Artifact& artifact) {
  std::string key = std::to_string(artifact.kind) + "|" + artifact.resolved_path + "|" + artifact.payload + "|" +
                    artifact.device_certificate + "|" + artifact.public_key;
  for (const auto& anchor : artifact.trust_anchors) key += "|" + anchor;
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(std::move(key), check_uncached(artifact)).first;
  return it->second;
}

VerifyOutcome EvidenceChecker::check_uncached(const Artifact& artifact) {
  const long long size = file_size(artifact.resolved_path);
  if (size < 0) return {Verdict::missing, "file not found: " + artifact.resolved_path, {}};
  if (size == 0) return {Verdict::missing, "file is empty: " + artifact.resolved_path, {}};
  const EvidenceKind& kind = set_.evidence_kinds[static_cast<std::size_t>(artifact.kind)];
  switch (kind.check) {
    case EvidenceCheck::file:
      return {Verdict::present, "present, " + std::to_string(size) + " bytes (content not judged by the tool)", {}};
    case EvidenceCheck::sbom: {
      std::string text;
      try {
        text = host::read_text_file(artifact.resolved_path, 64u << 20);
      } catch (const host::UserError& e) {
        return {Verdict::failed, e.what(), {}};
      }
      const SbomCheck sbom = check_cyclonedx_json(text);
      if (!sbom.ok) return {Verdict::failed, "not a usable CycloneDX SBOM: " + sbom.problem, {}};
      std::string detail = "CycloneDX " + sbom.spec_version + ", " + std::to_string(sbom.components) + " components";
      if (!sbom.subject.empty()) detail += " of " + sbom.subject;
      detail += " (" + std::to_string(sbom.with_version) + " with version, " + std::to_string(sbom.with_purl) + " with purl)";
      return {Verdict::verified, detail, {}};
    }
    case EvidenceCheck::envelope: {
      for (const auto& anchor : artifact.trust_anchors) {
        if (file_size(anchor) <= 0) return {Verdict::failed, "trust anchor not found or empty: " + anchor, {}};
      }
      if (artifact.trust_anchors.empty()) return {Verdict::failed, "no trust anchor given; cannot verify", {}};
      if (!artifact.payload.empty() && file_size(artifact.payload) < 0) {
        return {Verdict::missing, "detached payload not found: " + artifact.payload, {}};
      }
      return verifier_.verify_envelope({artifact.resolved_path, artifact.trust_anchors, artifact.payload});
    }
    case EvidenceCheck::device_log: {
      for (const auto& key_file : {artifact.device_certificate, artifact.public_key}) {
        if (!key_file.empty() && file_size(key_file) <= 0) return {Verdict::failed, "key file not found or empty: " + key_file, {}};
      }
      for (const auto& anchor : artifact.trust_anchors) {
        if (file_size(anchor) <= 0) return {Verdict::failed, "trust anchor not found or empty: " + anchor, {}};
      }
      VerifyOutcome outcome = verifier_.verify_device_log(
          {artifact.resolved_path, artifact.trust_anchors, artifact.device_certificate, artifact.public_key});
      if (outcome.verdict == Verdict::verified && !kind.needs_property.empty() &&
          std::find(outcome.properties.begin(), outcome.properties.end(), kind.needs_property) == outcome.properties.end()) {
        return {Verdict::failed, "log verifies, but does not show " + kind.needs_property + " (" + outcome.detail + ")",
                outcome.properties};
      }
      return outcome;
    }
  }
  return {Verdict::unavailable, "no checker for this kind", {}};
}

}  // namespace ft::assess
