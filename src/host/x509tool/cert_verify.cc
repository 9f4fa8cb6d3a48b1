#include "ft/x509tool/cert_verify.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cctype>
#include <ctime>
#include <map>
#include <memory>

#include "ft/der/time.h"
#include "ft/host/error.h"
#include "ft/host/hex.h"
#include "ft/x509/certificate.h"
#include "ft/x509tool/cert_files.h"

namespace ft::x509tool {

namespace {

using host::UserError;

// name_text renders a DER Name as RFC 2253 text with OpenSSL; "<unprintable name>" if it cannot.
std::string name_text(Bytes der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())),
                                                             X509_NAME_free);
  if (!name) return "<unprintable name>";
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name.get(), 0, XN_FLAG_RFC2253) < 0) return "<unprintable name>";
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string key_text(const x509::Certificate& cert) {
  if (cert.key_error.code != Code::ok) return std::string("unsupported: ") + cert.key_error.message;
  switch (cert.key.type) {
    case KeyType::ec_p256:
      return "EC P-256";
    case KeyType::ec_p384:
      return "EC P-384";
    case KeyType::ed25519:
      return "Ed25519";
    case KeyType::rsa:
      return "RSA-" + std::to_string(cert.key.bits);
    case KeyType::none:
      break;
  }
  return "none";
}

std::string sha256_hex(Bytes data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  return host::to_hex(Bytes(md, len));
}

PathEntry entry_for(const x509::Certificate& cert, int position, const std::string& role, const std::string& file) {
  PathEntry e;
  e.position = position;
  e.role = role;
  e.file = file;
  e.subject = name_text(cert.subject);
  e.issuer = name_text(cert.issuer);
  e.not_before = cert.not_before;
  e.not_after = cert.not_after;
  e.key = key_text(cert);
  e.serial = host::to_hex(cert.serial);
  e.sha256 = sha256_hex(cert.der);
  return e;
}

VerifyOutcome rejected_by_parse(const VerifyOutcome& base, int position, const std::string& file, const Error& error) {
  VerifyOutcome out = base;
  out.valid = false;
  out.exit_code = host::kExitRejected;
  out.code = error.code;
  out.message = std::string("certificate does not parse: ") + error.message;
  out.findings.push_back({position, file, error.code, error.message});
  return out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

const char* time_mode_name(x509::TimeMode mode) {
  switch (mode) {
    case x509::TimeMode::clock:
      return "clock";
    case x509::TimeMode::floor:
      return "floor";
    case x509::TimeMode::none:
      return "none";
  }
  return "unknown";
}

const char* purpose_name(x509::Purpose purpose) {
  return purpose == x509::Purpose::code_signing ? "code-signing" : "any";
}

std::int64_t parse_time_text(const std::string& text, const std::string& option) {
  if (text == "now") return static_cast<std::int64_t>(std::time(nullptr));
  const std::string digits = !text.empty() && text[0] == '@' ? text.substr(1) : text;
  if (all_digits(digits) && digits.size() <= 12) return std::stoll(digits);
  // YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ
  auto field = [&](std::size_t at, std::size_t n) -> int {
    const std::string part = text.substr(at, n);
    if (!all_digits(part)) throw UserError(option + ": '" + text + "' is not a time", host::kExitUsage);
    return std::stoi(part);
  };
  const bool date_only = text.size() == 10;
  const bool date_time = text.size() == 20 && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == 'Z';
  if (!(date_only || date_time) || text[4] != '-' || text[7] != '-') {
    throw UserError(option + ": '" + text +
                        "' is not a time; use now, @<unix seconds>, YYYY-MM-DD or "
                        "YYYY-MM-DDTHH:MM:SSZ (UTC)",
                    host::kExitUsage);
  }
  const int year = field(0, 4);
  const int month = field(5, 2);
  const int day = field(8, 2);
  const int hour = date_time ? field(11, 2) : 0;
  const int minute = date_time ? field(14, 2) : 0;
  const int second = date_time ? field(17, 2) : 0;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > der::days_in_month(year, static_cast<unsigned>(month)) || hour > 23 || minute > 59 ||
      second > 59) {
    throw UserError(option + ": '" + text + "' is not a valid UTC date and time", host::kExitUsage);
  }
  return std::int64_t{der::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day))} * 86400 +
         hour * 3600 + minute * 60 + second;
}

std::string format_time(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(unix_seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

VerifyOutcome verify_certificate_chain(const VerifyRequest& request, CryptoPort& crypto) {
  VerifyOutcome out;
  out.time_mode = request.time_mode;
  out.time = request.time;
  out.validity_checked = request.time_mode != x509::TimeMode::none;
  out.purpose = request.purpose;

  AnchorSet anchors;
  for (const std::string& spec : request.anchors) anchors.add(spec);
  if (anchors.size() == 0) throw UserError("no trust anchor given (--anchor)", host::kExitUsage);
  if (anchors.size() > x509::kMaxAnchors) {
    throw UserError("more than " + std::to_string(x509::kMaxAnchors) + " trust anchors given", host::kExitInput);
  }

  // The leaf file may be a whole chain: its first certificate is the leaf, the rest are untrusted.
  std::vector<CertificateFile> leaf_files = load_certificates(request.leaf);
  std::vector<CertificateFile> untrusted_files(leaf_files.begin() + 1, leaf_files.end());
  for (const std::string& path : request.untrusted) {
    for (CertificateFile& f : load_certificates(path)) untrusted_files.push_back(std::move(f));
  }
  if (untrusted_files.size() > x509::kMaxChain) {
    throw UserError(std::to_string(untrusted_files.size()) +
                        " untrusted certificates given; the verifier takes at most " + std::to_string(x509::kMaxChain),
                    host::kExitInput);
  }

  const CertificateFile& leaf_file = leaf_files.front();
  const Result<x509::Certificate> leaf = x509::parse_certificate(leaf_file.der);
  if (!leaf.ok()) return rejected_by_parse(out, 0, leaf_file.label, leaf.error());
  std::vector<x509::Certificate> untrusted;
  for (const CertificateFile& f : untrusted_files) {
    const Result<x509::Certificate> cert = x509::parse_certificate(f.der);
    if (!cert.ok()) return rejected_by_parse(out, -1, f.label, cert.error());
    untrusted.push_back(cert.value());
  }

  x509::PathPolicy policy;
  policy.max_intermediates = request.max_intermediates;
  policy.keys.rsa = request.allow_rsa;
  policy.time_mode = request.time_mode;
  policy.time = request.time;
  policy.purpose = request.purpose;
  policy.order = request.order;
  auto report = std::make_unique<x509::PathReport>();
  const Status status = x509::validate_path(leaf.value(), untrusted, anchors.anchors(), policy, crypto, *report);

  out.valid = status.ok();
  out.code = status.code();
  out.message = status.ok() ? "" : status.error().message;
  out.exit_code = status.ok()                             ? host::kExitOk
                  : status.code() == Code::crypto_failure ? host::kExitEnvironment
                                                          : host::kExitRejected;
  out.path_complete = report->path_complete;
  out.signatures_verified = report->signatures_verified;
  if (report->path_complete) out.anchor = anchors.label(static_cast<std::size_t>(report->anchor_index));

  // Map path positions back to files: pointers into untrusted, the leaf, or the anchor storage.
  auto file_of = [&](const x509::Certificate* cert) -> std::string {
    if (cert == &leaf.value()) return leaf_file.label;
    for (std::size_t i = 0; i < untrusted.size(); ++i) {
      if (cert == &untrusted[i]) return untrusted_files[i].label;
    }
    return out.anchor.value_or("anchor");
  };
  std::map<int, std::string> file_at;
  for (std::size_t i = 0; i < report->path_length; ++i) {
    const bool is_anchor =
        report->path_complete && i + 1 == report->path_length &&
        anchors.anchors()[static_cast<std::size_t>(report->anchor_index)].kind != x509::AnchorKind::raw_key;
    const std::string role = i == 0 ? "leaf" : is_anchor ? "anchor" : "intermediate";
    const std::string file = is_anchor && report->path[i] == &report->anchor_certificate ? out.anchor.value_or("anchor")
                                                                                         : file_of(report->path[i]);
    out.path.push_back(entry_for(*report->path[i], static_cast<int>(i), role, file));
    file_at[static_cast<int>(i)] = file;
  }
  for (std::size_t i = 0; i < report->error_count; ++i) {
    const x509::CertError& e = report->errors[i];
    const auto it = file_at.find(e.position);
    const std::string file = it != file_at.end() ? it->second : out.anchor.value_or("anchor");
    out.findings.push_back({e.position, file, e.code, e.message});
  }
  out.findings_truncated = report->errors_truncated;
  if (!out.valid && out.findings.empty()) {
    out.findings.push_back({-1, request.leaf, out.code, out.message});  // e.g. crypto_failure before any path
  }
  return out;
}

}  // namespace ft::x509tool
