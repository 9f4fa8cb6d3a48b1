// ft/x509tool/cert_verify.h — `fieldtrust cert verify` as a library: files in, an outcome out.
// A thin layer over the core's validate_path (ft/x509/path.h) with the OpenSSL crypto port.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ft/ports/crypto.h"
#include "ft/x509/path.h"

namespace ft::x509tool {

// VerifyRequest — what the command line says.
struct VerifyRequest {
  std::string leaf;                    // a certificate file; further certificates in it are untrusted
  std::vector<std::string> untrusted;  // files with one or more certificates each
  std::vector<std::string> anchors;    // anchor specs, see AnchorSet::add
  x509::TimeMode time_mode = x509::TimeMode::clock;
  std::int64_t time = 0;  // now (clock) or the trusted floor; ignored for none
  x509::Purpose purpose = x509::Purpose::code_signing;
  bool allow_rsa = false;
  std::size_t max_intermediates = 3;
  x509::ChainOrder order = x509::ChainOrder::any;
};

// Finding — one reason for rejection, at a path position (-1: the certificate is not in the
// path, e.g. an untrusted certificate that does not parse).
struct Finding {
  int position = -1;
  std::string file;
  Code code = Code::ok;
  std::string message;
};

// PathEntry — one certificate of the (possibly partial) path, leaf first.
struct PathEntry {
  int position = 0;
  std::string role;  // "leaf", "intermediate", "anchor"
  std::string file;
  std::string subject;
  std::string issuer;
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  std::string key;     // "EC P-256", "Ed25519", "RSA-3072", "unsupported: ..."
  std::string serial;  // hex
  std::string sha256;  // of the DER certificate, hex
};

// VerifyOutcome — the verdict with everything a report needs.
struct VerifyOutcome {
  bool valid = false;
  int exit_code = 1;  // host::ExitCode: 0 valid, 1 rejected, 4 crypto backend failure
  Code code = Code::ok;
  std::string message;
  std::vector<PathEntry> path;
  bool path_complete = false;
  std::optional<std::string> anchor;  // label of the anchor that matched
  std::vector<Finding> findings;
  bool findings_truncated = false;
  x509::TimeMode time_mode = x509::TimeMode::clock;
  std::int64_t time = 0;
  bool validity_checked = true;
  x509::Purpose purpose = x509::Purpose::code_signing;
  std::size_t signatures_verified = 0;
};

// verify_certificate_chain loads the files of request and validates the leaf's path. Throws
// host::UserError for unusable input (unreadable files, bad anchors, more untrusted certificates
// than the core's bound); every judgement about the leaf and untrusted certificates, including
// certificates that do not parse, is in the outcome.
VerifyOutcome verify_certificate_chain(const VerifyRequest& request, CryptoPort& crypto);

// parse_time_text reads a time for --at: "now", "@<unix seconds>" or plain digits,
// "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ". Throws host::UserError (exit 2) naming
// option otherwise.
std::int64_t parse_time_text(const std::string& text, const std::string& option);

// format_time returns "YYYY-MM-DDTHH:MM:SSZ".
std::string format_time(std::int64_t unix_seconds);

// time_mode_name / purpose_name return the command-line spelling ("clock", "code-signing").
const char* time_mode_name(x509::TimeMode mode);
const char* purpose_name(x509::Purpose purpose);

// to_json returns the machine-readable report (field names in docs/cert-verify.md).
nlohmann::json to_json(const VerifyOutcome& outcome);

// render_text returns the report for people.
std::string render_text(const VerifyOutcome& outcome);

}  // namespace ft::x509tool
