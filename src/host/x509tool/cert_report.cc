// to_json / render_text for `fieldtrust cert verify`.
#include <sstream>

#include "ft/x509tool/cert_verify.h"

namespace ft::x509tool {

namespace {

std::string position_text(int position) { return position < 0 ? "-" : std::to_string(position); }

}  // namespace

nlohmann::json to_json(const VerifyOutcome& o) {
  nlohmann::json j;
  j["verdict"] = o.valid ? "valid" : "rejected";
  if (o.valid) {
    j["reason"] = nullptr;
    j["code"] = 0;
    j["message"] = nullptr;
  } else {
    j["reason"] = code_name(o.code);
    j["code"] = static_cast<int>(o.code);
    j["message"] = o.message;
  }
  j["purpose"] = purpose_name(o.purpose);
  j["time_mode"] = time_mode_name(o.time_mode);
  j["time"] = o.time_mode == x509::TimeMode::none ? nlohmann::json(nullptr) : nlohmann::json(format_time(o.time));
  j["validity_checked"] = o.validity_checked;
  j["anchor"] = o.anchor ? nlohmann::json(*o.anchor) : nlohmann::json(nullptr);
  j["path_complete"] = o.path_complete;
  j["signatures_verified"] = o.signatures_verified;
  nlohmann::json path = nlohmann::json::array();
  for (const PathEntry& e : o.path) {
    path.push_back({{"position", e.position},
                    {"role", e.role},
                    {"file", e.file},
                    {"subject", e.subject},
                    {"issuer", e.issuer},
                    {"not_before", format_time(e.not_before)},
                    {"not_after", format_time(e.not_after)},
                    {"key", e.key},
                    {"serial", e.serial},
                    {"sha256", e.sha256}});
  }
  j["path"] = path;
  nlohmann::json errors = nlohmann::json::array();
  for (const Finding& f : o.findings) {
    errors.push_back({{"position", f.position < 0 ? nlohmann::json(nullptr) : nlohmann::json(f.position)},
                      {"file", f.file},
                      {"reason", code_name(f.code)},
                      {"code", static_cast<int>(f.code)},
                      {"message", f.message}});
  }
  j["errors"] = errors;
  j["errors_truncated"] = o.findings_truncated;
  return j;
}

std::string render_text(const VerifyOutcome& o) {
  std::ostringstream out;
  if (o.valid) {
    out << "VALID: the certificate chains to " << o.anchor.value_or("an anchor") << " (purpose "
        << purpose_name(o.purpose) << ")\n";
  } else {
    out << "REJECTED: " << code_name(o.code) << ": " << o.message;
    const char* description = code_description(o.code);
    if (description[0] != '\0') out << " (" << description << ")";
    out << "\n";
  }
  if (!o.path.empty()) {
    out << "path" << (o.path_complete ? "" : " (incomplete: no anchor reached)") << ", leaf first:\n";
    for (const PathEntry& e : o.path) {
      out << "  [" << e.position << "] " << e.role << ": " << e.subject << "\n"
          << "      file " << e.file << "; key " << e.key << "; valid " << format_time(e.not_before) << " .. "
          << format_time(e.not_after) << "\n";
    }
  }
  if (!o.findings.empty()) {
    out << "findings:\n";
    for (const Finding& f : o.findings) {
      out << "  [" << position_text(f.position) << "] " << f.file << ": " << code_name(f.code) << ": " << f.message
          << "\n";
    }
    if (o.findings_truncated) out << "  ... more findings than the verifier records\n";
  }
  out << "time: " << time_mode_name(o.time_mode);
  if (o.time_mode == x509::TimeMode::none) {
    out << " (validity periods NOT checked)\n";
  } else {
    out << (o.time_mode == x509::TimeMode::floor ? " floor " : " ") << format_time(o.time) << "\n";
  }
  return out.str();
}

}  // namespace ft::x509tool
