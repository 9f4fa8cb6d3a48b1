#include "ft/pki/dev_pki.h"

#include <openssl/bn.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/keys/pkcs11_signer.h"
#include "ft/keys/pkcs11_uri.h"
#include "ft/keys/software_signer.h"

namespace ft::pki {

namespace {

using host::kExitEnvironment;
using host::kExitUsage;
using host::UserError;
using keys::UniqueX509;

constexpr unsigned kPrivateMode = 0600;
constexpr unsigned kPublicMode = 0644;

// PlannedFile — a file an operation will write; nothing is written until every certificate is
// issued, so a failure half-way leaves no half PKI on disk (keys already made in a token stay).
struct PlannedFile {
  std::string name;
  std::string content;
  unsigned mode;
  std::string role;
  std::string kind;
};

// NewKey — a key an operation created, and how it will be stored.
struct NewKey {
  std::unique_ptr<keys::Signer> signer;
  PlannedFile file;  // <name>.key.pem (0600) or <name>.key.uri
  std::string reference;  // what pki.json records: the key file name or the URI
};

std::string join(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

// refuse_overwrite throws when any of names exists in directory and force is off. Checked before
// any key is made, so a refused run leaves nothing behind in a token either.
void refuse_overwrite(const std::string& directory, const std::vector<std::string>& names, bool force) {
  if (force) return;
  std::vector<std::string> existing;
  for (const std::string& name : names) {
    if (std::filesystem::exists(join(directory, name))) existing.push_back(name);
  }
  if (existing.empty()) return;
  std::string listed;
  for (std::size_t i = 0; i < existing.size() && i < 3; ++i) listed += (i == 0 ? "" : ", ") + existing[i];
  if (existing.size() > 3) listed += " and " + std::to_string(existing.size() - 3) + " more";
  throw UserError(directory + ": already holds " + listed + "; use --force to replace them, or another directory",
                  kExitUsage);
}

std::vector<std::string> key_file_names(const KeyPlacement& placement, const std::vector<std::string>& stems) {
  std::vector<std::string> names;
  for (const std::string& stem : stems) names.push_back(stem + (placement.pkcs11_uri ? ".key.uri" : ".key.pem"));
  return names;
}

// make_key creates the key for file stem `name` in software or in the token, per placement.
NewKey make_key(const KeyPlacement& placement, const std::string& directory, const std::string& name,
                const std::string& role, bool label_is_prefix) {
  NewKey key;
  if (placement.pkcs11_uri) {
    keys::Pkcs11Uri uri = keys::parse_pkcs11_uri(*placement.pkcs11_uri);
    if (label_is_prefix) {
      uri.object = uri.object.value_or("fieldtrust") + "-" + name;
      uri.id.reset();  // each key gets its own random CKA_ID
    }
    uri.type.reset();
    key.signer = keys::generate_pkcs11_keypair(uri, placement.algorithm);
    key.reference = key.signer->source();
    key.file = PlannedFile{name + ".key.uri", key.reference + "\n", kPublicMode, role, "key-uri"};
  } else {
    const std::string file = name + ".key.pem";
    auto software = keys::generate_software_signer(placement.algorithm, join(directory, file));
    key.file = PlannedFile{file, software->private_key_pem(keys::SecretAccess()), kPrivateMode, role, "private-key"};
    key.reference = file;
    key.signer = std::move(software);
  }
  return key;
}

std::string serial_hex(const X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = bn ? BN_bn2hex(bn) : nullptr;
  std::string text = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string issuer_text(const X509* cert) {
  UniqueX509 copy(X509_new());
  X509_set_subject_name(copy.get(), X509_get_issuer_name(cert));
  return subject_text(copy.get());
}

std::string asn1_time_text(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "";
  return format_time(::timegm(&tm));
}

IssuedCertificate describe(const X509* cert, CertificateRole role, const std::string& file, const NewKey& key) {
  return IssuedCertificate{role_name(role),
                           file,
                           key.reference,
                           keys::key_algorithm_name(key.signer->algorithm()),
                           subject_text(cert),
                           issuer_text(cert),
                           serial_hex(cert),
                           asn1_time_text(X509_get0_notBefore(cert)),
                           asn1_time_text(X509_get0_notAfter(cert))};
}

// check_subject throws for a malformed subject before any key is created.
void check_subject(const std::string& subject) { X509_NAME_free(parse_subject(subject)); }

// write_all creates directory, writes every planned file and then the manifest (last, so its
// presence means the set is complete), and records them in result.
void write_all(const std::string& directory, const std::vector<PlannedFile>& files, const std::string& manifest_name,
               nlohmann::ordered_json manifest, PkiResult& result) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw UserError(directory + ": cannot create directory: " + error.message(), kExitEnvironment);
  manifest["files"] = nlohmann::ordered_json::array();
  for (const PlannedFile& file : files) {
    const std::string path = join(directory, file.name);
    host::write_file_atomic(path, file.content, file.mode);
    result.files.push_back(WrittenFile{path, file.role, file.kind});
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", file.mode);
    manifest["files"].push_back({{"path", file.name}, {"role", file.role}, {"kind", file.kind}, {"mode", mode}});
  }
  manifest["certificates"] = nlohmann::ordered_json::array();
  for (const IssuedCertificate& cert : result.certificates) {
    nlohmann::ordered_json entry = {{"role", cert.role},          {"certificate", cert.certificate_file},
                            {"algorithm", cert.algorithm}, {"subject", cert.subject},
                            {"issuer", cert.issuer},       {"serial", cert.serial_hex},
                            {"not_before", cert.not_before}, {"not_after", cert.not_after}};
    if (keys::is_pkcs11_uri(cert.key)) {
      entry["key_uri"] = cert.key;
    } else {
      entry["key_file"] = cert.key;
    }
    manifest["certificates"].push_back(entry);
  }
  const std::string path = join(directory, manifest_name);
  host::write_file_atomic(path, manifest.dump(2) + "\n", kPublicMode);
  result.files.push_back(WrittenFile{path, "manifest", "manifest"});
}

nlohmann::ordered_json manifest_header(const char* operation, const KeyPlacement& placement) {
  return {{"format", "fieldtrust-pki/1"},
          {"operation", operation},
          {"created", format_time(std::time(nullptr))},
          {"algorithm", keys::key_algorithm_name(placement.algorithm)},
          {"key_storage", placement.pkcs11_uri ? "pkcs11" : "file"}};
}

Validity leaf_validity(const InitOptions& options) {
  Validity validity = validity_for_days(options.leaf_days);
  if (options.leaf_not_before) validity.not_before = *options.leaf_not_before;
  if (options.leaf_not_after) validity.not_after = *options.leaf_not_after;
  return validity;
}

void check_days(int days, const char* what) {
  if (days < 1 || days > 36500) {
    throw UserError(std::string(what) + ": " + std::to_string(days) + " days is out of range (1..36500)", kExitUsage);
  }
}

// leaf_common_name is the CN suffix of the default leaf subjects.
const char* leaf_common_name(CertificateRole role) {
  switch (role) {
    case CertificateRole::device_identity: return "Device Identity";
    case CertificateRole::evidence_signing: return "Evidence Signer";
    default: return "Firmware Signer";
  }
}

}  // namespace

const char* default_leaf_name(CertificateRole role) {
  switch (role) {
    case CertificateRole::device_identity: return "device";
    case CertificateRole::evidence_signing: return "evidence";
    default: return "signer";
  }
}

PkiResult init_pki(const InitOptions& options) {
  check_days(options.root_days, "root validity");
  check_days(options.intermediate_days, "intermediate validity");
  check_days(options.leaf_days, "leaf validity");
  struct Leaf {
    CertificateRole role;
    const char* stem;
    const char* common_name;
  };
  const Leaf leaves[] = {{CertificateRole::code_signing, "signer", leaf_common_name(CertificateRole::code_signing)},
                         {CertificateRole::device_identity, "device", leaf_common_name(CertificateRole::device_identity)},
                         {CertificateRole::evidence_signing, "evidence", leaf_common_name(CertificateRole::evidence_signing)}};
  const std::vector<std::string> stems = {"root", "intermediate", "signer", "device", "evidence"};
  std::vector<std::string> names = {"root.pem", "intermediate.pem", "signer.pem", "signer-chain.pem", "device.pem",
                                    "device-chain.pem", "evidence.pem", "evidence-chain.pem", "pki.json"};
  for (const std::string& name : key_file_names(options.keys, stems)) names.push_back(name);
  refuse_overwrite(options.directory, names, options.force);

  const std::string org = "/O=" + options.organization + "/CN=" + options.organization;
  PkiResult result;
  std::vector<PlannedFile> files;

  NewKey root_key = make_key(options.keys, options.directory, "root", role_name(CertificateRole::root_ca), true);
  CertificateRequest root_request{CertificateRole::root_ca, org + " Root CA", root_key.signer.get(), nullptr, nullptr,
                                  validity_for_days(options.root_days)};
  UniqueX509 root = issue_certificate(root_request);
  files.push_back({"root.pem", certificate_pem(root.get()), kPublicMode, "root-ca", "certificate"});
  files.push_back(root_key.file);
  result.certificates.push_back(describe(root.get(), CertificateRole::root_ca, "root.pem", root_key));

  NewKey ca_key = make_key(options.keys, options.directory, "intermediate", role_name(CertificateRole::intermediate_ca), true);
  CertificateRequest ca_request{CertificateRole::intermediate_ca, org + " Code Signing CA", ca_key.signer.get(),
                                root_key.signer.get(), root.get(), validity_for_days(options.intermediate_days)};
  UniqueX509 intermediate = issue_certificate(ca_request);
  const std::string intermediate_pem = certificate_pem(intermediate.get());
  files.push_back({"intermediate.pem", intermediate_pem, kPublicMode, "intermediate-ca", "certificate"});
  files.push_back(ca_key.file);
  result.certificates.push_back(describe(intermediate.get(), CertificateRole::intermediate_ca, "intermediate.pem", ca_key));

  for (const Leaf& leaf : leaves) {
    const std::string role = role_name(leaf.role);
    NewKey key = make_key(options.keys, options.directory, leaf.stem, role, true);
    CertificateRequest request{leaf.role, org + " " + leaf.common_name, key.signer.get(), ca_key.signer.get(),
                               intermediate.get(), leaf_validity(options)};
    UniqueX509 cert = issue_certificate(request);
    const std::string pem = certificate_pem(cert.get());
    const std::string file = std::string(leaf.stem) + ".pem";
    files.push_back({file, pem, kPublicMode, role, "certificate"});
    files.push_back({std::string(leaf.stem) + "-chain.pem", pem + intermediate_pem, kPublicMode, role, "chain"});
    files.push_back(key.file);
    result.certificates.push_back(describe(cert.get(), leaf.role, file, key));
  }

  nlohmann::ordered_json manifest = manifest_header("init", options.keys);
  manifest["organization"] = options.organization;
  write_all(options.directory, files, "pki.json", manifest, result);
  return result;
}

PkiResult make_self_signed(const SelfSignedOptions& options) {
  std::vector<std::string> names = {"signer.pem", "pki.json"};
  for (const std::string& name : key_file_names(options.keys, {"signer"})) names.push_back(name);
  refuse_overwrite(options.directory, names, options.force);
  check_subject(options.subject);
  PkiResult result;
  NewKey key = make_key(options.keys, options.directory, "signer", role_name(CertificateRole::code_signing), true);
  CertificateRequest request{CertificateRole::code_signing, options.subject, key.signer.get(), nullptr, nullptr,
                             options.validity};
  UniqueX509 cert = issue_certificate(request);
  std::vector<PlannedFile> files = {{"signer.pem", certificate_pem(cert.get()), kPublicMode, "code-signing", "certificate"},
                                    key.file};
  result.certificates.push_back(describe(cert.get(), CertificateRole::code_signing, "signer.pem", key));
  nlohmann::ordered_json manifest = manifest_header("selfsigned", options.keys);
  manifest["self_signed"] = true;
  write_all(options.directory, files, "pki.json", manifest, result);
  return result;
}

PkiResult issue_leaf(const IssueOptions& options) {
  if (options.role == CertificateRole::root_ca || options.role == CertificateRole::intermediate_ca) {
    throw UserError("pki issue: only leaf roles (code-signing, device, evidence) can be issued", kExitUsage);
  }
  const std::string stem = options.name.empty() ? default_leaf_name(options.role) : options.name;
  std::vector<UniqueX509> ca_certs = load_certificates(options.ca_certificate);
  X509* ca = ca_certs.front().get();
  auto ca_key = keys::open_signer(options.ca_key);

  KeyPlacement placement;
  placement.algorithm = options.algorithm.value_or(ca_key->algorithm());
  placement.pkcs11_uri = options.pkcs11_uri;
  std::vector<std::string> names = {stem + ".pem", stem + "-chain.pem", stem + ".json"};
  if (!options.existing_key) {
    for (const std::string& name : key_file_names(placement, {stem})) names.push_back(name);
  }
  refuse_overwrite(options.directory, names, options.force);
  const std::string subject =
      options.subject.empty() ? "/O=FieldTrust Development/CN=FieldTrust Development " + std::string(leaf_common_name(options.role))
                              : options.subject;
  check_subject(subject);

  NewKey key;
  if (options.existing_key) {
    key.signer = keys::open_signer(*options.existing_key);
    key.reference = key.signer->source();
  } else {
    key = make_key(placement, options.directory, stem, role_name(options.role), false);
  }
  CertificateRequest request{options.role, subject, key.signer.get(), ca_key.get(), ca, options.validity};
  UniqueX509 cert = issue_certificate(request);
  const std::string pem = certificate_pem(cert.get());
  // The chain carries the issuing CA unless it is a self-signed root (verifiers hold roots).
  const bool ca_is_root = X509_NAME_cmp(X509_get_subject_name(ca), X509_get_issuer_name(ca)) == 0 &&
                          X509_verify(ca, X509_get0_pubkey(ca)) == 1;
  std::vector<PlannedFile> files = {
      {stem + ".pem", pem, kPublicMode, role_name(options.role), "certificate"},
      {stem + "-chain.pem", ca_is_root ? pem : pem + certificate_pem(ca), kPublicMode, role_name(options.role), "chain"}};
  if (!options.existing_key) files.push_back(key.file);
  PkiResult result;
  result.certificates.push_back(describe(cert.get(), options.role, stem + ".pem", key));
  nlohmann::ordered_json manifest = manifest_header("issue", placement);
  manifest["algorithm"] = keys::key_algorithm_name(key.signer->algorithm());
  manifest["key_storage"] = keys::is_pkcs11_uri(key.reference) ? "pkcs11" : "file";
  manifest["issuer_certificate"] = options.ca_certificate;
  write_all(options.directory, files, stem + ".json", manifest, result);
  return result;
}

}  // namespace ft::pki
