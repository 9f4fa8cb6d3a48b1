// fieldtrust pki — the development PKI: init (root, intermediate, code-signing, device-identity
// and evidence-signing certificates), selfsigned (a signer verifiers must reject), issue (one
// more leaf from an existing CA).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "ft/host/error.h"
#include "ft/keys/pkcs11_uri.h"
#include "ft/keys/signer.h"
#include "ft/pki/dev_pki.h"

namespace ft::cli {

namespace {

using host::UserError;

// Shared by the three subcommands: key placement and validity overrides.
struct KeyArgs {
  std::string algorithm;  // empty: p256 (init, selfsigned) or the CA key's algorithm (issue)
  std::string pkcs11;
  int days = 0;           // 0: the default for the certificate kind
  std::string not_before, not_after;
  bool force = false;
  bool json = false;
};

std::optional<keys::SignatureAlgorithm> algorithm_option(const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto alg = keys::parse_key_algorithm(name);
  if (!alg) throw UserError("--algorithm: \"" + name + "\" is not one of p256, p384, ed25519", host::kExitUsage);
  return alg;
}

// validity_option applies --days / --not-before / --not-after over a default length in days.
pki::Validity validity_option(const KeyArgs& a, int default_days) {
  const int days = a.days > 0 ? a.days : default_days;
  pki::Validity v = pki::validity_for_days(days);
  if (!a.not_before.empty()) {
    v.not_before = pki::parse_time(a.not_before, "--not-before");
    v.not_after = v.not_before + static_cast<std::time_t>(days) * 86400;
  }
  if (!a.not_after.empty()) v.not_after = pki::parse_time(a.not_after, "--not-after");
  return v;
}

void add_key_options(CLI::App* cmd, KeyArgs& a, const char* days_help) {
  cmd->add_option("--algorithm", a.algorithm, "key algorithm for new keys: p256 (default), p384, ed25519")
      ->check(CLI::IsMember({"p256", "p384", "ed25519"}));
  cmd->add_option("--pkcs11", a.pkcs11,
                  "generate the keys inside this PKCS#11 token (RFC 7512 URI; PIN from pin-value, pin-source or "
                  "FT_PKCS11_PIN)");
  cmd->add_option("--days", a.days, days_help)->check(CLI::Range(1, 36500));
  cmd->add_option("--not-before", a.not_before, "leaf notBefore, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)");
  cmd->add_option("--not-after", a.not_after, "leaf notAfter (e.g. in the past, for expired-signer tests)");
  cmd->add_flag("--force", a.force, "replace existing files (keys in a token are never deleted)");
  cmd->add_flag("--json", a.json, "machine-readable output");
}

void report(const pki::PkiResult& result, bool json) {
  if (json) {
    nlohmann::json out;
    out["files"] = nlohmann::json::array();
    for (const auto& f : result.files) out["files"].push_back({{"path", f.path}, {"role", f.role}, {"kind", f.kind}});
    out["certificates"] = nlohmann::json::array();
    for (const auto& c : result.certificates) {
      out["certificates"].push_back({{"role", c.role}, {"certificate", c.certificate_file}, {"key", c.key},
                                     {"algorithm", c.algorithm}, {"subject", c.subject}, {"issuer", c.issuer},
                                     {"serial", c.serial_hex}, {"not_before", c.not_before},
                                     {"not_after", c.not_after}});
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& c : result.certificates) {
    std::cout << c.role << ": " << c.subject << " (" << c.algorithm << ", valid " << c.not_before << " to "
              << c.not_after << ")\n";
    if (keys::is_pkcs11_uri(c.key)) std::cout << "  key in token: " << c.key << "\n";
  }
  for (const auto& f : result.files) std::cout << "wrote " << f.path << " (" << f.kind << ")\n";
}

const char* const kKeyHelp =
    "Keys: by default new keys are generated in software and written as PKCS#8 PEM files, mode\n"
    "0600 (<name>.key.pem). With --pkcs11 URI they are generated inside the token (private key\n"
    "sensitive, not extractable) and <name>.key.uri holds the key's URI (without PIN); any\n"
    "fieldtrust --key option accepts that file or the URI itself. URI example:\n"
    "  'pkcs11:token=ft-dev?module-path=/usr/lib/softhsm/libsofthsm2.so'  (PIN in FT_PKCS11_PIN)\n"
    "See docs/pki.md for the URI attributes, FT_PKCS11_PIN and FT_PKCS11_MODULE.\n\n"
    "Exit status: 0 written; 2 bad command line or files exist without --force; 3 bad input file;\n"
    "4 environment (token, crypto backend, disk).";

}  // namespace

void add_pki_commands(CLI::App& app, Context& ctx) {
  CLI::App* group = app.add_subcommand("pki", "Development PKI: CA, code-signing, device and evidence certificates");
  group->require_subcommand(1);
  group->footer("Subcommands: init (a whole PKI), selfsigned (a signer verifiers must reject), issue (one leaf\n"
                "from an existing CA). Run 'fieldtrust pki <subcommand> --help' for details; docs/pki.md.");

  // --- init ---
  struct InitArgs {
    std::string directory, organization = "FieldTrust Development";
    int root_days = 7300, intermediate_days = 3650;
    KeyArgs keys;
  };
  auto init = std::make_shared<InitArgs>();
  CLI::App* i = group->add_subcommand("init", "Create a development PKI: root, intermediate and three leaf certificates");
  i->footer(std::string(
                "Writes into DIR (created if missing):\n"
                "  root.pem               root CA: CA:TRUE, keyCertSign+cRLSign (20 years)\n"
                "  intermediate.pem       code-signing CA under the root: CA:TRUE pathlen:0 (10 years)\n"
                "  signer.pem             code-signing leaf: digitalSignature, EKU codeSigning (3 years)\n"
                "  device.pem             device-identity leaf: digitalSignature, EKU clientAuth\n"
                "  evidence.pem           evidence-signing leaf: digitalSignature, EKU documentSigning\n"
                "  <leaf>-chain.pem       leaf + intermediate, ready for --chain\n"
                "  <name>.key.pem|.uri    the private keys (or token key URIs)\n"
                "  pki.json               manifest: every file, role, algorithm, key URIs\n"
                "Every certificate is signed with its issuer's algorithm and verified after signing.\n"
                "Existing files are never replaced without --force. --days, --not-before and --not-after\n"
                "apply to the three leaves.\n\n") +
            kKeyHelp +
            "\n\nExamples:\n"
            "  fieldtrust pki init pki\n"
            "  FT_PKCS11_PIN=1234 fieldtrust pki init pki-hsm --algorithm p384 \\\n"
            "      --pkcs11 'pkcs11:token=ft-dev;object=acme'     # labels acme-root, acme-signer, ...\n"
            "  fieldtrust pki init expired --not-before 2020-01-01 --not-after 2021-01-01");
  i->add_option("directory", init->directory, "directory to write the PKI into")->required();
  i->add_option("--organization", init->organization, "O= and CN prefix of every subject (default FieldTrust Development)");
  i->add_option("--root-days", init->root_days, "root validity in days (default 7300)")->check(CLI::Range(1, 36500));
  i->add_option("--intermediate-days", init->intermediate_days, "intermediate validity in days (default 3650)")
      ->check(CLI::Range(1, 36500));
  add_key_options(i, init->keys, "leaf validity in days (default 1095)");
  i->callback([init, &ctx] {
    pki::InitOptions o;
    o.directory = init->directory;
    o.organization = init->organization;
    o.root_days = init->root_days;
    o.intermediate_days = init->intermediate_days;
    o.keys.algorithm = algorithm_option(init->keys.algorithm).value_or(keys::SignatureAlgorithm::es256);
    if (!init->keys.pkcs11.empty()) o.keys.pkcs11_uri = init->keys.pkcs11;
    if (init->keys.days > 0) o.leaf_days = init->keys.days;
    if (!init->keys.not_before.empty() || !init->keys.not_after.empty()) {
      const pki::Validity v = validity_option(init->keys, o.leaf_days);
      o.leaf_not_before = v.not_before;
      o.leaf_not_after = v.not_after;
    }
    o.force = init->keys.force;
    report(pki::init_pki(o), init->keys.json);
    ctx.exit_code = host::kExitOk;
  });

  // --- selfsigned ---
  struct SelfArgs {
    std::string directory, subject = "/O=FieldTrust Development/CN=Self-Signed Firmware Signer";
    KeyArgs keys;
  };
  auto self = std::make_shared<SelfArgs>();
  CLI::App* s = group->add_subcommand("selfsigned", "Create a self-signed code-signing certificate (must be rejected)");
  s->footer(std::string(
                "Writes signer.pem (a code-signing leaf profile: CA:FALSE, digitalSignature, EKU codeSigning,\n"
                "but signed by its own key), signer.key.pem|.key.uri and pki.json into DIR. It exists to\n"
                "test and demonstrate that verifiers reject a signer that chains to no trust anchor.\n\n") +
            kKeyHelp + "\n\nExample:\n  fieldtrust pki selfsigned rogue && fieldtrust sign ... --key rogue/signer.key.pem");
  s->add_option("directory", self->directory, "directory to write into")->required();
  s->add_option("--subject", self->subject, "subject, /TYPE=value/... (default /O=FieldTrust Development/CN=Self-Signed Firmware Signer)");
  add_key_options(s, self->keys, "validity in days (default 1095)");
  s->callback([self, &ctx] {
    pki::SelfSignedOptions o;
    o.directory = self->directory;
    o.subject = self->subject;
    o.keys.algorithm = algorithm_option(self->keys.algorithm).value_or(keys::SignatureAlgorithm::es256);
    if (!self->keys.pkcs11.empty()) o.keys.pkcs11_uri = self->keys.pkcs11;
    o.validity = validity_option(self->keys, 1095);
    o.force = self->keys.force;
    report(pki::make_self_signed(o), self->keys.json);
    ctx.exit_code = host::kExitOk;
  });

  // --- issue ---
  struct IssueArgs {
    std::string role = "code-signing", ca, ca_key, subject, key, out, name;
    KeyArgs keys;
  };
  auto issue = std::make_shared<IssueArgs>();
  CLI::App* is = group->add_subcommand("issue", "Issue one leaf certificate from an existing CA");
  is->footer(std::string(
                 "Writes <name>.pem, <name>-chain.pem (leaf, then the CA certificate unless the CA is a\n"
                 "self-signed root), the new key (<name>.key.pem, or <name>.key.uri with --pkcs11) and\n"
                 "<name>.json into --out. <name> defaults to signer, device or evidence by --role.\n"
                 "With --key the given key is certified and no key is written. With --pkcs11 the URI's\n"
                 "object= is the exact label of the new token key. The new key's algorithm defaults to the\n"
                 "CA key's. The CA key must belong to the --ca certificate.\n\n") +
             kKeyHelp +
             "\n\nExamples:\n"
             "  fieldtrust pki issue --ca pki/intermediate.pem --ca-key pki/intermediate.key.pem \\\n"
             "      --subject '/O=Acme/CN=Release Signer 2' --out release2\n"
             "  fieldtrust pki issue --role device --ca pki/intermediate.pem --ca-key pki/intermediate.key.pem \\\n"
             "      --subject '/O=Acme/CN=PT-3051 SN 000123' --not-after 2020-01-01 --not-before 2019-01-01 --out old");
  is->add_option("--role", issue->role, "certificate profile: code-signing (default), device, evidence")
      ->check(CLI::IsMember({"code-signing", "device", "evidence"}));
  is->add_option("--ca", issue->ca, "issuing CA certificate (PEM or DER; the first certificate is used)")->required();
  is->add_option("--ca-key", issue->ca_key, "the CA's private key: PEM file, .key.uri file or PKCS#11 URI")->required();
  is->add_option("--subject", issue->subject, "subject, /TYPE=value/... e.g. '/O=Acme/CN=Release Signer'");
  CLI::Option* existing_key =
      is->add_option("--key", issue->key, "certify this existing key (PEM, .key.uri or URI) instead of making one");
  is->add_option("--out,-o", issue->out, "directory to write into")->required();
  is->add_option("--name", issue->name, "file stem (default: signer, device or evidence)");
  add_key_options(is, issue->keys, "validity in days (default 1095)");
  existing_key->excludes("--pkcs11")->excludes("--algorithm");
  is->callback([issue, &ctx] {
    pki::IssueOptions o;
    o.role = *pki::parse_leaf_role(issue->role);
    o.ca_certificate = issue->ca;
    o.ca_key = issue->ca_key;
    o.subject = issue->subject;
    if (!issue->key.empty()) o.existing_key = issue->key;
    o.algorithm = algorithm_option(issue->keys.algorithm);
    if (!issue->keys.pkcs11.empty()) o.pkcs11_uri = issue->keys.pkcs11;
    o.validity = validity_option(issue->keys, 1095);
    o.directory = issue->out;
    o.name = issue->name;
    o.force = issue->keys.force;
    report(pki::issue_leaf(o), issue->keys.json);
    ctx.exit_code = host::kExitOk;
  });
}

}  // namespace ft::cli
