#include "ft/verify/verify.h"

#include <ctime>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "ft/cose/sign1.h"
#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/host/hex.h"
#include "ft/inspect/describe.h"
#include "ft/ports/openssl.h"
#include "ft/verify/payload_file.h"

namespace ft::verify {

using host::UserError;
using nlohmann::json;

namespace {

const char* time_mode_name(trust::TimeMode mode) {
  switch (mode) {
    case trust::TimeMode::clock: return "clock";
    case trust::TimeMode::floor: return "floor";
    case trust::TimeMode::none: return "none";
  }
  return "unknown";
}

// A hint for the most common failures: what the user can do about it.
std::string hint_for(Code code) {
  switch (code) {
    case Code::trust_rollback: return "the device already runs a newer release; sign with a higher --sequence";
    case Code::suit_image_digest_mismatch: return "the image is not the one that was signed (tampered or wrong file)";
    case Code::suit_image_size_mismatch: return "the image size differs from the signed size (truncated, extended or wrong file)";
    case Code::cert_leaf_self_signed: return "sign with a certificate issued by your code-signing CA, not a self-signed one";
    case Code::cert_untrusted_root: return "the signer does not chain to a provisioned anchor; check --anchor";
    case Code::cert_expired: return "the signing certificate has expired at the verification time";
    case Code::suit_payload_missing: return "pass the detached image with --payload";
    case Code::trust_missing_role: return "add the missing approval signature (fieldtrust sign cosign)";
    default: return "";
  }
}

}  // namespace

std::int64_t parse_time(const std::string& text, const std::string& what) {
  if (text == "now") return static_cast<std::int64_t>(std::time(nullptr));
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    return static_cast<std::int64_t>(std::stoll(text));
  }
  struct tm tm {};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') {
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (end == nullptr || *end != '\0') {
      throw UserError(what + ": cannot parse time \"" + text + "\" (use now, Unix seconds, 2026-11-27 or 2026-11-27T10:00:00Z)",
                      host::kExitUsage);
    }
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::vector<std::uint8_t> parse_uuid(const std::string& text, const std::string& what) {
  std::string hex;
  for (const char c : text) {
    if (c != '-') hex.push_back(c);
  }
  auto bytes = host::from_hex(hex);
  if (!bytes || bytes->size() != 16) throw UserError(what + ": \"" + text + "\" is not a UUID", host::kExitUsage);
  return *bytes;
}

Report verify_bytes(Bytes envelope, const std::string& envelope_name, const Request& request, const AnchorSet& anchors) {
  std::optional<FilePayload> payload;
  if (request.payload_path) payload.emplace(*request.payload_path);  // may throw: before any thread
  // A large payload is mapped and paged in while the signatures are checked: by the time the image
  // is hashed, its first steps are mapped.
  if (payload) payload->read_ahead();
  // The read buffer of a small payload, not value-initialised: every byte the core hashes from it
  // is read into it first (a mapped payload is lent in place and leaves it untouched).
  const auto scratch = std::make_unique_for_overwrite<std::uint8_t[]>(FilePayload::kReadSize);
  auto workspace = std::make_unique<trust::Workspace>();

  suit::ProcessOptions options;
  options.expected_vendor_id = request.expected_vendor_id;
  options.expected_class_id = request.expected_class_id;
  options.detached_payload = payload ? &*payload : nullptr;
  options.max_image_size = request.max_image_size;
  options.require_payload = !request.manifest_only;
  options.scratch = MutableBytes(scratch.get(), FilePayload::kReadSize);

  auto verdict = std::make_unique<trust::Verdict>();
  trust::Verdict& v = *verdict;
  Status status =
      trust::verify_envelope(openssl_crypto(), envelope, anchors.anchors(), request.policy, options, *workspace, v);
  if (payload && payload->shrank()) {
    // Some of the bytes hashed were zeros standing in for a file that shrank meanwhile.
    status = Status(Code::truncated, "payload file shrank while it was being read");
  }
  Report r;
  r.accepted = status.ok();
  r.code = status.code();
  r.reason = code_name(status.code());
  r.stage = trust::stage_name(v.stage);
  r.message = status.ok() ? "envelope verified" : status.error().message;

  json& d = r.details;
  d["envelope"] = envelope_name;
  if (request.payload_path) d["payload"] = *request.payload_path;
  d["time_mode"] = time_mode_name(v.time_mode);
  if (v.time_mode != trust::TimeMode::none) d["time"] = inspect::format_time(request.policy.path.time);
  d["minimum_sequence"] = request.policy.minimum_sequence;
  const std::string hint = hint_for(status.code());
  if (!hint.empty()) d["hint"] = hint;
  json sigs = json::array();
  for (std::size_t i = 0; i < v.signature_count; ++i) {
    const trust::SignatureResult& s = v.signatures[i];
    json js;
    js["alg"] = inspect::cose_alg_name(s.cose_alg);
    js["chain_length"] = s.chain_length;
    js["verified"] = s.error.code == Code::ok;
    if (s.error.code == Code::ok) {
      js["role"] = s.role == trust::Role::supplier ? "supplier" : "asset-owner";
      js["anchor"] = anchors.label(s.role, s.anchor_index);
    } else {
      js["reason"] = code_name(s.error.code);
      js["message"] = s.error.message;
      if (s.certificate_failed) js["failing_certificate"] = s.failing_certificate;
    }
    // Described from the core's parse where it can (ft/inspect/describe.h): OpenSSL's X509 parser
    // would cost a 1 MiB verify a third more.
    if (!s.leaf.empty()) js["signer"] = inspect::describe_certificate(s.leaf);
    sigs.push_back(js);
  }
  d["signatures"] = sigs;
  if (v.stage >= trust::Stage::rollback) {
    d["manifest"] = inspect::describe_manifest(v.manifest);
    d["sequence_number"] = v.sequence_number;
  }
  if (v.stage >= trust::Stage::payload) {
    json checks;
    checks["vendor_id"] = v.report.vendor_checked;
    checks["class_id"] = v.report.class_checked;
    checks["images_checked"] = v.report.images_checked;
    checks["images_unchecked"] = v.report.images_unchecked;
    checks["bytes_hashed"] = v.report.image_bytes_hashed;
    if (v.report.slot_assumed) checks["slot_assumed"] = true;
    d["checks"] = checks;
  }
  return r;
}

Report verify_file(const Request& request, const AnchorSet& anchors) {
  const auto envelope = host::read_file(request.envelope_path, 1ull << 31);
  if (envelope.empty()) {
    Report r;
    r.code = Code::suit_not_envelope;
    r.reason = code_name(r.code);
    r.stage = "envelope";
    r.message = "envelope file is empty";
    r.details["envelope"] = request.envelope_path;
    return r;
  }
  return verify_bytes(envelope, request.envelope_path, request, anchors);
}

json to_json(const Report& report) {
  json j = report.details;
  j["accepted"] = report.accepted;
  j["reason"] = report.reason;
  j["code"] = static_cast<int>(report.code);
  j["message"] = report.message;
  j["stage"] = report.stage;
  return j;
}

std::string render_text(const Report& r) {
  std::ostringstream out;
  const json& d = r.details;
  if (r.accepted) {
    out << "ACCEPTED  " << d.value("envelope", "") << "\n";
  } else {
    out << "REJECTED  " << d.value("envelope", "") << "\n";
    out << "  reason:   " << r.reason << " (stage " << r.stage << ")\n";
    out << "  message:  " << r.message << "\n";
    if (d.contains("hint")) out << "  hint:     " << d["hint"].get<std::string>() << "\n";
  }
  if (d.contains("sequence_number")) out << "  sequence: " << d["sequence_number"] << " (minimum " << d["minimum_sequence"] << ")\n";
  if (d.contains("manifest")) {
    const json& m = d["manifest"];
    if (m.contains("components") && !m["components"].empty()) {
      const json& c = m["components"][0];
      if (c.contains("vendor_id")) out << "  vendor:   " << c["vendor_id"].get<std::string>() << "\n";
      if (c.contains("class_id")) out << "  class:    " << c["class_id"].get<std::string>() << "\n";
      if (c.contains("image_size")) {
        out << "  image:    " << c["image_size"] << " bytes";
        if (c.contains("image_digest")) {
          out << ", " << c["image_digest"]["alg"].get<std::string>() << " " << c["image_digest"]["value"].get<std::string>();
        }
        out << "\n";
      }
    }
    if (m.contains("text")) {
      for (const auto& [lang, t] : m["text"].items()) {
        if (t.contains("components") && !t["components"].empty()) {
          const json& c = t["components"][0];
          out << "  release:  " << c.value("vendor_name", "") << " " << c.value("model_name", "") << " "
              << c.value("component_version", "") << "\n";
        }
        break;
      }
    }
  }
  for (const auto& s : d.value("signatures", json::array())) {
    out << "  signature " << s.value("alg", "") << ": ";
    if (s.value("verified", false)) {
      out << "verified, " << s.value("role", "") << " anchor " << s.value("anchor", "");
    } else {
      out << "NOT verified: " << s.value("reason", "") << " — " << s.value("message", "");
      if (s.contains("failing_certificate")) out << " (certificate " << s["failing_certificate"] << ", 0 = signer)";
    }
    out << "\n";
    if (s.contains("signer") && s["signer"].contains("subject")) {
      out << "    signer: " << s["signer"]["subject"].get<std::string>() << " (valid "
          << s["signer"]["not_before"].get<std::string>() << " .. " << s["signer"]["not_after"].get<std::string>() << ")\n";
    }
  }
  out << "  time:     " << d.value("time_mode", "") << (d.contains("time") ? " " + d["time"].get<std::string>() : "") << "\n";
  if (d.contains("checks")) {
    const json& c = d["checks"];
    out << "  checked:  vendor-id " << (c["vendor_id"].get<bool>() ? "yes" : "no (pass --vendor-id)")
        << ", class-id " << (c["class_id"].get<bool>() ? "yes" : "no (pass --class-id)") << ", images "
        << c["images_checked"] << " (" << c["bytes_hashed"] << " bytes hashed)";
    if (c["images_unchecked"].get<std::size_t>() > 0) out << ", " << c["images_unchecked"] << " NOT checked";
    out << "\n";
  }
  return out.str();
}

}  // namespace ft::verify
