// fieldtrust sign — build and sign a SUIT envelope for a firmware image; cosign adds an approval.
#include <iostream>
#include <memory>

#include "cli.h"
#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/host/hex.h"
#include "ft/inspect/describe.h"
#include "ft/keys/signer.h"
#include "ft/sign/envelope_builder.h"
#include "ft/verify/verify.h"

namespace ft::cli {

namespace {

using host::UserError;

struct SignArgs {
  std::string image, output, key, chain, payload_uri;
  std::vector<std::string> anchors;
  std::uint64_t sequence = 0;
  std::string vendor_domain, model, vendor_name, version, description, vendor_id, class_id;
  std::string at = "now";
  bool integrated = false;
  bool raw_key = false;
  bool allow_rsa = false;
  bool unsafe_skip_checks = false;
  bool json = false;
};

std::string basename_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// self_check verifies the freshly signed envelope with the one verifier under the code-signing
// profile; a release that would be rejected is never written.
void self_check(const std::vector<std::uint8_t>& envelope, const SignArgs& a, const std::string& payload_path) {
  if (a.anchors.empty()) {
    throw UserError("--anchor is required: the trust anchor the signer must chain to", host::kExitUsage);
  }
  verify::AnchorSet anchors;
  for (const auto& f : a.anchors) anchors.add_file(f, trust::Role::supplier);
  verify::Request req;
  req.policy.path.time_mode = trust::TimeMode::clock;
  req.policy.path.time = verify::parse_time(a.at, "--at");
  req.policy.path.keys.rsa = a.allow_rsa;
  req.policy.allow_raw_keys = a.raw_key;
  if (!payload_path.empty()) req.payload_path = payload_path;
  req.max_image_size = UINT64_MAX;
  const verify::Report report = verify::verify_bytes(envelope, "(new envelope)", req, anchors);
  if (!report.accepted) {
    std::string msg = "refusing to sign: " + report.message + " [" + report.reason + "]";
    if (report.details.contains("hint")) msg += "; " + report.details["hint"].get<std::string>();
    throw UserError(msg, host::kExitRejected);
  }
}

int run_sign(const SignArgs& a) {
  sign::Release r;
  r.sequence_number = a.sequence;
  if (!a.vendor_id.empty()) {
    const auto v = verify::parse_uuid(a.vendor_id, "--vendor-id");
    std::copy(v.begin(), v.end(), r.vendor_id.begin());
  } else if (!a.vendor_domain.empty()) {
    r.vendor_id = sign::vendor_id_for_domain(a.vendor_domain);
  } else {
    throw UserError("give --vendor-domain (vendor ID = UUIDv5(DNS, domain)) or --vendor-id", host::kExitUsage);
  }
  if (!a.class_id.empty()) {
    const auto c = verify::parse_uuid(a.class_id, "--class-id");
    std::copy(c.begin(), c.end(), r.class_id.begin());
  } else if (!a.model.empty()) {
    r.class_id = sign::class_id_for_model(r.vendor_id, a.model);
  } else {
    throw UserError("give --model (class ID = UUIDv5(vendor ID, model)) or --class-id", host::kExitUsage);
  }
  r.vendor_name = a.vendor_name;
  r.vendor_domain = a.vendor_domain;
  r.model = a.model;
  r.version = a.version;
  r.description = a.description;
  r.integrated = a.integrated;
  if (a.integrated) {
    r.image = host::read_file(a.image, 1ull << 31);
    r.image_size = r.image.size();
    std::uint64_t ignored = 0;
    r.image_digest = sign::hash_file_sha256(a.image, ignored);
  } else {
    r.image_digest = sign::hash_file_sha256(a.image, r.image_size);
    r.payload_uri = a.payload_uri.empty() ? basename_of(a.image) : a.payload_uri;
  }
  if (r.image_size == 0) throw UserError(a.image + ": firmware image is empty");

  std::unique_ptr<keys::Signer> signer;
  const sign::SigningIdentity id = sign::load_signing_identity(a.key, a.chain, a.raw_key, signer);
  const auto envelope = sign::build_envelope(r, {id});
  if (a.unsafe_skip_checks) {
    std::cerr << "fieldtrust: warning: --unsafe-skip-checks: the envelope was NOT checked against the signing policy\n";
  } else {
    self_check(envelope, a, a.integrated ? "" : a.image);
  }
  host::write_file_atomic(a.output, Bytes(envelope));

  nlohmann::json j;
  j["envelope"] = a.output;
  j["size"] = envelope.size();
  j["sequence_number"] = r.sequence_number;
  j["vendor_id"] = sign::format_uuid(r.vendor_id);
  j["class_id"] = sign::format_uuid(r.class_id);
  j["image"] = a.image;
  j["image_size"] = r.image_size;
  j["image_sha256"] = host::to_hex(r.image_digest);
  j["payload"] = a.integrated ? "integrated" : "detached";
  j["algorithm"] = keys::algorithm_name(signer->algorithm());
  j["key"] = signer->source();
  if (!id.chain.empty()) j["signer"] = inspect::describe_certificate(id.chain[0])["subject"];
  if (a.json) {
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "signed " << a.output << " (" << envelope.size() << " bytes): sequence " << r.sequence_number << ", "
              << j["algorithm"].get<std::string>() << ", image " << r.image_size << " bytes "
              << (a.integrated ? "integrated" : "detached") << ", sha-256 " << j["image_sha256"].get<std::string>()
              << "\n  vendor " << j["vendor_id"].get<std::string>() << ", class " << j["class_id"].get<std::string>()
              << "\n  key " << signer->source() << "\n";
  }
  return host::kExitOk;
}

struct CosignArgs {
  std::string envelope, output, key, chain;
  std::vector<std::string> anchors;
  std::vector<std::string> supplier_anchors;
  std::string at = "now";
  bool json = false;
};

int run_cosign(const CosignArgs& a) {
  const auto input = host::read_file(a.envelope, 1ull << 31);
  std::unique_ptr<keys::Signer> signer;
  const sign::SigningIdentity id = sign::load_signing_identity(a.key, a.chain, false, signer);
  const auto out = sign::add_signature(input, id);
  // Self-check: the result must verify with the supplier's anchor AND the approver's anchor.
  verify::AnchorSet anchors;
  for (const auto& f : a.supplier_anchors) anchors.add_file(f, trust::Role::supplier);
  for (const auto& f : a.anchors) anchors.add_file(f, trust::Role::asset_owner);
  verify::Request req;
  req.policy.path.time = verify::parse_time(a.at, "--at");
  req.policy.require_asset_owner = true;
  req.manifest_only = true;  // the approval covers the manifest; the image digest is inside it
  const verify::Report report = verify::verify_bytes(out, "(co-signed envelope)", req, anchors);
  if (!report.accepted) {
    throw UserError("refusing to write " + a.output + ": " + report.message + " [" + report.reason + "]",
                    host::kExitRejected);
  }
  host::write_file_atomic(a.output, Bytes(out));
  if (a.json) {
    std::cout << nlohmann::json{{"envelope", a.output}, {"size", out.size()}, {"key", signer->source()}}.dump(2) << "\n";
  } else {
    std::cout << "added approval signature by " << signer->source() << " to " << a.output << " (" << out.size()
              << " bytes)\n";
  }
  return host::kExitOk;
}

}  // namespace

void add_sign_commands(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SignArgs>();
  CLI::App* s = app.add_subcommand("sign", "Sign a firmware image: build a SUIT envelope with a COSE_Sign1 signature");
  s->footer(
      "Builds a SUIT manifest (sequence number, vendor and class IDs, image digest and size, text with\n"
      "model and version), signs it with COSE_Sign1 carrying the signer's certificate chain (x5chain),\n"
      "then verifies the result with the same verifier devices use. A signer certificate that is\n"
      "expired or not yet valid, self-signed, lacks the codeSigning EKU, or does not chain to --anchor\n"
      "is refused and nothing is written.\n\n"
      "Keys: a PEM private key file, or a PKCS#11 URI (RFC 7512) such as\n"
      "  'pkcs11:token=ft;object=release-signer?module-path=/usr/lib/softhsm/libsofthsm2.so'\n"
      "with the PIN in FT_PKCS11_PIN.\n\n"
      "Exit status: 0 signed; 1 refused by the signing policy; 2 bad command line; 3 bad input file;\n"
      "4 environment (token, crypto backend, disk).\n\n"
      "Example:\n"
      "  fieldtrust sign fw-2.bin -o release-2.suit --key pki/signer.key.pem --chain pki/signer-chain.pem \\\n"
      "      --anchor pki/root.pem --sequence 2 --vendor-domain acme-instruments.example --model PT-3051 \\\n"
      "      --version 2.0.0");
  s->add_option("image", a->image, "firmware image file")->required();
  s->add_option("--output,-o", a->output, "envelope to write (.suit)")->required();
  s->add_option("--key,-k", a->key, "signing key: PEM file or PKCS#11 URI")->required();
  s->add_option("--chain,-c", a->chain, "signer certificate chain, PEM, leaf first (intermediates after)");
  s->add_option("--anchor,-a", a->anchors, "trust anchor the signer must chain to (root certificate); repeatable");
  s->add_option("--sequence,-n", a->sequence, "manifest sequence number: the anti-rollback number")->required();
  s->add_option("--vendor-domain", a->vendor_domain, "vendor domain; vendor ID = UUIDv5(DNS namespace, domain)");
  s->add_option("--model", a->model, "model name; class ID = UUIDv5(vendor ID, model)");
  s->add_option("--vendor-id", a->vendor_id, "vendor ID (UUID) instead of --vendor-domain");
  s->add_option("--class-id", a->class_id, "class ID (UUID) instead of --model");
  s->add_option("--vendor-name", a->vendor_name, "vendor name for the text section");
  s->add_option("--version", a->version, "firmware version for the text section, e.g. 2.1.0");
  s->add_option("--description", a->description, "release description for the text section");
  s->add_flag("--integrated", a->integrated, "carry the image inside the envelope (default: detached)");
  s->add_option("--payload-uri", a->payload_uri, "name the install sequence gives a detached image (default: file name)");
  s->add_flag("--raw-key", a->raw_key, "sign without a certificate chain (verifiers need the raw public key)");
  s->add_flag("--allow-rsa", a->allow_rsa, "allow a PS256 (RSA) signer for legacy PKIs");
  s->add_option("--at", a->at, "time for the certificate validity check (default now)");
  s->add_flag("--unsafe-skip-checks", a->unsafe_skip_checks,
              "write the envelope without the policy self-check: only for making negative test vectors");
  s->add_flag("--json", a->json, "machine-readable output");
  s->callback([a, &ctx] { ctx.exit_code = run_sign(*a); });

  auto c = std::make_shared<CosignArgs>();
  CLI::App* cs = app.add_subcommand("cosign", "Add an asset owner's approval signature (EDR 3.13) to a signed envelope");
  cs->footer("The manifest is unchanged; a second COSE_Sign1 joins the authentication wrapper. The result\n"
             "is verified (supplier signature and the new approval) before it is written.\n"
             "Exit status: 0 written; 1 refused; 2 bad command line; 3 bad input; 4 environment.");
  cs->add_option("envelope", c->envelope, "signed envelope")->required();
  cs->add_option("--output,-o", c->output, "envelope to write")->required();
  cs->add_option("--key,-k", c->key, "approver's key: PEM file or PKCS#11 URI")->required();
  cs->add_option("--chain,-c", c->chain, "approver's certificate chain (PEM, leaf first)")->required();
  cs->add_option("--anchor,-a", c->anchors, "asset-owner trust anchor the approver chains to")->required();
  cs->add_option("--supplier-anchor", c->supplier_anchors, "supplier trust anchor of the existing signature")->required();
  cs->add_option("--at", c->at, "time for the certificate validity check (default now)");
  cs->add_flag("--json", c->json, "machine-readable output");
  cs->callback([c, &ctx] { ctx.exit_code = run_cosign(*c); });
}

}  // namespace ft::cli
