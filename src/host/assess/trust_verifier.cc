#include "ft/assess/trust_verifier.h"

#include <ctime>
#include <exception>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/ledger/export.h"
#include "ft/ledger/verify_log.h"
#include "ft/verify/anchors.h"
#include "ft/verify/verify.h"

namespace ft::assess {

VerifyOutcome TrustArtifactVerifier::verify_envelope(const EnvelopeCheck& check) {
  try {
    verify::AnchorSet anchors;
    for (const auto& path : check.trust_anchor_paths) anchors.add_file(path, trust::Role::supplier);
    verify::Request request;
    request.envelope_path = check.envelope_path;
    if (!check.payload_path.empty()) request.payload_path = check.payload_path;
    request.policy.path.time_mode = trust::TimeMode::clock;
    request.policy.path.time = now_ != 0 ? now_ : static_cast<std::int64_t>(std::time(nullptr));
    const verify::Report report = verify::verify_file(request, anchors);
    if (!report.accepted) {
      return {Verdict::failed, "rejected at " + report.stage + ": " + report.message + " [" + report.reason + "]", {}};
    }
    std::string detail = "accepted under the code-signing profile";
    std::vector<std::string> properties;
    if (const auto seq = report.details.find("sequence_number"); seq != report.details.end() && seq->is_number_unsigned()) {
      detail += ", sequence " + std::to_string(seq->get<std::uint64_t>());
      properties.push_back("sequence=" + std::to_string(seq->get<std::uint64_t>()));
    }
    return {Verdict::verified, detail, properties};
  } catch (const std::exception& e) {
    return {Verdict::failed, e.what(), {}};
  }
}

VerifyOutcome TrustArtifactVerifier::verify_device_log(const DeviceLogCheck& check) {
  try {
    std::optional<ledger::LogKey> key;
    verify::AnchorSet anchors;
    if (!check.public_key_path.empty()) {
      const std::string text = host::read_text_file(check.public_key_path);
      auto blocks = verify::read_pem_blocks(text, "PUBLIC KEY", check.public_key_path);
      if (blocks.empty()) return {Verdict::failed, check.public_key_path + ": no PEM PUBLIC KEY block", {}};
      key = ledger::LogKey::from_public_key(Bytes(blocks[0].data(), blocks[0].size()));
    } else if (!check.device_certificate_path.empty()) {
      for (const auto& path : check.trust_anchor_paths) anchors.add_file(path, trust::Role::supplier);
      const auto chain = verify::read_certificates(check.device_certificate_path);
      key = ledger::LogKey::from_certificates(chain, anchors.anchors().supplier);
    } else {
      return {Verdict::failed, "no key to check the log's signatures (give public_key or device_certificate)", {}};
    }
    const auto data = host::read_file(check.log_path, 256u << 20);
    const auto entries = ledger::parse_log_export(Bytes(data.data(), data.size()));
    const ledger::LogReport report = ledger::verify_log(entries, *key);
    std::string detail = report.classification + ": " + std::to_string(report.authentic) + " of " +
                         std::to_string(report.entries) + " records authentic, key " + report.key;
    if (!report.ok) {
      if (!report.findings.empty()) detail += "; " + report.findings.front().message;
      return {Verdict::failed, detail, {}};
    }
    std::vector<std::string> properties;
    if (report.final_counter) {
      // verify_log has checked the counter rules (monotonic, chained from/to, no boot below the
      // minimum): the log shows anti-rollback at work.
      properties.push_back("rollback-protection");
      detail += ", anti-rollback counter ends at " + std::to_string(*report.final_counter);
    }
    return {Verdict::verified, detail, properties};
  } catch (const std::exception& e) {
    return {Verdict::failed, e.what(), {}};
  }
}

}  // namespace ft::assess
