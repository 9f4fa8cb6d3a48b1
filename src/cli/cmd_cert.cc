// fieldtrust cert verify — validate a code-signing certificate chain against trust anchors under
// the FieldTrust profile (docs/cert-verify.md). A thin layer over ft/x509tool/cert_verify.h.
#include <iostream>
#include <memory>

#include "cli.h"
#include "ft/host/error.h"
#include "ft/ports/openssl.h"
#include "ft/x509tool/cert_verify.h"

namespace ft::cli {

namespace {

struct CertVerifyArgs {
  std::string leaf;
  std::vector<std::string> anchors;
  std::vector<std::string> untrusted;
  std::string at;
  std::string time_mode = "clock";
  std::string purpose = "code-signing";
  std::size_t max_intermediates = 3;
  bool allow_rsa = false;
  bool ordered = false;
  bool json = false;
};

constexpr const char* kCertVerifyFooter =
    R"(DESCRIPTION
  Builds a certification path from LEAF through the --untrusted certificates to one of the
  --anchor trust anchors and checks it under the FieldTrust code-signing profile, with the same
  verifier core that runs on the device:
    - names chain by exact DER comparison; every signature is verified;
    - issuers (intermediates, and a root certificate anchor): basicConstraints critical with
      CA=TRUE, pathLenConstraint honoured, keyUsage with keyCertSign;
    - leaf: not a CA, not self-signed, keyUsage with digitalSignature, extKeyUsage with
      id-kp-codeSigning (anyExtendedKeyUsage alone is not enough) for --purpose code-signing;
    - every certificate: strict DER, no unknown critical extension, key type allowed
      (EC P-256, EC P-384, Ed25519; RSA >= 3072 bits only with --allow-rsa), validity per the
      time mode.
  Every finding is reported with its position in the path (0 = leaf), the file it came from and
  a stable reason code (docs/reason-codes.md).

INPUT
  Certificates may be PEM (one or more CERTIFICATE blocks) or DER. If LEAF holds several
  certificates, the first is the leaf and the others are added to the untrusted ones. Untrusted
  certificates may come in any order (a bounded search finds the path) unless --ordered is given.
  At most 6 untrusted certificates, 3 intermediates by default (--max-intermediates, up to 4).
  A certificate that does not parse (e.g. non-canonical DER) is a rejection, not an input error.

ANCHORS
  --anchor takes a file or an SPKI pin:
    root.pem / root.der     a root certificate (a PEM file may hold several): its name, key and
                            constraints are trusted; its own signature is not checked
    key.pem / key.der       a public key (SubjectPublicKeyInfo): the top certificate of the path
                            must be signed by it
    sha256:<64 hex>         the SHA-256 of an anchor's DER SubjectPublicKeyInfo (or a file holding
                            this text); the certificate carrying that key must be among the
                            untrusted certificates
  `openssl x509 -in root.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum`
  prints the hex of a root's SPKI pin.

TIME
  --time-mode clock   (default) --at is now: notBefore <= now <= notAfter for every certificate
  --time-mode floor   --at is a trusted time floor (e.g. the time of the last accepted update):
                      certificates whose notAfter is before it are expired; notBefore is not
                      judged. --at is required.
  --time-mode none    validity periods are not checked; the report says so.
  --at takes now (default), @<unix seconds>, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).

EXIT STATUS
  0  the chain is valid
  1  the chain is rejected (the reason code says why)
  2  bad command line
  3  an input file is missing, unreadable, not a certificate, or an anchor is unusable
  4  the crypto backend failed (no verdict)

EXAMPLES
  fieldtrust cert verify --anchor pki/root.pem --untrusted pki/intermediate.pem signer.pem
  fieldtrust cert verify --anchor sha256:5f1c...e2 --untrusted chain.pem --time-mode floor \
      --at 2026-03-01 --json signer.pem)";

x509::TimeMode time_mode_of(const std::string& name) {
  if (name == "floor") return x509::TimeMode::floor;
  if (name == "none") return x509::TimeMode::none;
  return x509::TimeMode::clock;
}

int run_cert_verify(const CertVerifyArgs& a) {
  x509tool::VerifyRequest request;
  request.leaf = a.leaf;
  request.untrusted = a.untrusted;
  request.anchors = a.anchors;
  request.time_mode = time_mode_of(a.time_mode);
  if (request.time_mode == x509::TimeMode::floor && a.at.empty()) {
    throw host::UserError("--time-mode floor needs --at with the trusted time floor", host::kExitUsage);
  }
  request.time = x509tool::parse_time_text(a.at.empty() ? "now" : a.at, "--at");
  request.purpose = a.purpose == "any" ? x509::Purpose::any : x509::Purpose::code_signing;
  request.allow_rsa = a.allow_rsa;
  request.max_intermediates = a.max_intermediates;
  request.order = a.ordered ? x509::ChainOrder::leaf_first : x509::ChainOrder::any;

  const x509tool::VerifyOutcome outcome = x509tool::verify_certificate_chain(request, openssl_crypto());
  if (a.json) {
    std::cout << x509tool::to_json(outcome).dump(2) << "\n";
  } else {
    std::cout << x509tool::render_text(outcome);
  }
  return outcome.exit_code;
}

}  // namespace

void add_cert_commands(CLI::App& app, Context& ctx) {
  CLI::App* cert = app.add_subcommand("cert", "X.509 certificates: check code-signing chains");
  cert->require_subcommand(1);

  auto args = std::make_shared<CertVerifyArgs>();
  CLI::App* v = cert->add_subcommand("verify", "Validate a code-signing certificate chain against trust anchors");
  v->footer(kCertVerifyFooter);
  v->add_option("leaf", args->leaf,
                "the signer's certificate (PEM or DER); further certificates in the file are untrusted")
      ->required();
  v->add_option("--anchor,-a", args->anchors,
                "trust anchor: root certificate or public key file (PEM/DER), or sha256:<SPKI hash>; repeatable")
      ->required();
  v->add_option("--untrusted,-u", args->untrusted, "file with intermediate certificate(s), PEM or DER; repeatable");
  v->add_option("--at", args->at, "now (default), @<unix seconds>, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
  v->add_option("--time-mode", args->time_mode, "clock (default), floor or none; see TIME")
      ->check(CLI::IsMember({"clock", "floor", "none"}));
  v->add_option("--purpose", args->purpose, "code-signing (default: leaf needs id-kp-codeSigning) or any")
      ->check(CLI::IsMember({"code-signing", "any"}));
  v->add_option("--max-intermediates", args->max_intermediates, "most intermediates in the path (default 3, at most 4)")
      ->check(CLI::Range(0, 4));
  v->add_flag("--allow-rsa", args->allow_rsa, "accept RSA keys of at least 3072 bits (legacy host PKIs)");
  v->add_flag("--ordered", args->ordered,
              "the untrusted certificates are the chain in order, the leaf's issuer first (x5chain order)");
  v->add_flag("--json", args->json, "machine-readable report (fields in docs/cert-verify.md)");
  v->callback([args, &ctx] { ctx.exit_code = run_cert_verify(*args); });
}

}  // namespace ft::cli
