// ft/verify/verify.h — host-side envelope verification: files in, a report out. A thin layer over
// the core verifier (ft/trust/verifier.h); used by `fieldtrust verify`, the signer's self-check,
// the compliance engine's artifact checks and the evidence tools.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ft/trust/verifier.h"
#include "ft/verify/anchors.h"

namespace ft::verify {

// Request — what to verify and how.
struct Request {
  std::string envelope_path;
  std::optional<std::string> payload_path;  // detached image; integrated payloads need none
  trust::Policy policy;
  std::vector<std::uint8_t> expected_vendor_id;  // 16 bytes or empty (not checked)
  std::vector<std::uint8_t> expected_class_id;
  std::uint64_t max_image_size = 512ull << 20;
  bool manifest_only = false;  // accept without checking the image (reported)
};

// Report — the verdict and its details.
struct Report {
  bool accepted = false;
  Code code = Code::ok;
  std::string reason;   // code_name(code)
  std::string message;  // for people: what failed, where
  std::string stage;
  nlohmann::json details;  // manifest, signatures with chains, checks performed, time mode
};

// verify_file reads request.envelope_path (and the payload) and verifies it against anchors.
// Throws host::UserError only when a file cannot be read; every verification failure is a Report.
Report verify_file(const Request& request, const AnchorSet& anchors);

// verify_bytes is verify_file on an envelope already in memory.
Report verify_bytes(Bytes envelope, const std::string& envelope_name, const Request& request, const AnchorSet& anchors);

// render_text formats a report for a terminal: verdict line, reason, manifest summary, signers.
std::string render_text(const Report& report);

// to_json returns {accepted, reason, code, message, stage, ...details}.
nlohmann::json to_json(const Report& report);

// parse_time accepts "now", a Unix time in seconds, or RFC 3339 UTC ("2026-11-27T10:00:00Z").
// Throws host::UserError naming what (the option) when it cannot parse text.
std::int64_t parse_time(const std::string& text, const std::string& what);

// parse_uuid accepts a UUID in 8-4-4-4-12 form or 32 hex digits. Throws host::UserError.
std::vector<std::uint8_t> parse_uuid(const std::string& text, const std::string& what);

}  // namespace ft::verify
