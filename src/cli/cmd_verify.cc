// fieldtrust verify | inspect — check an envelope against trust anchors; show what it holds.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli.h"
#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/inspect/cbor_diag.h"
#include "ft/inspect/describe.h"
#include "ft/sign/envelope_builder.h"
#include "ft/verify/verify.h"

namespace ft::cli {

namespace {

struct VerifyArgs {
  std::string envelope;
  std::string payload;
  std::vector<std::string> anchors;
  std::vector<std::string> owner_anchors;
  std::string vendor_id, class_id, vendor_domain, model;
  std::uint64_t min_sequence = 0;
  std::string time_mode = "clock";
  std::string at = "now";
  bool require_owner = false;
  bool allow_rsa = false;
  bool no_raw_keys = false;
  bool manifest_only = false;
  std::uint64_t max_image_size = 512ull << 20;
  bool json = false;
};

int run_verify(const VerifyArgs& a) {
  verify::AnchorSet anchors;
  for (const auto& f : a.anchors) anchors.add_file(f, trust::Role::supplier);
  for (const auto& f : a.owner_anchors) anchors.add_file(f, trust::Role::asset_owner);
  verify::Request req;
  req.envelope_path = a.envelope;
  if (!a.payload.empty()) req.payload_path = a.payload;
  if (a.time_mode == "clock") {
    req.policy.path.time_mode = trust::TimeMode::clock;
  } else if (a.time_mode == "floor") {
    req.policy.path.time_mode = trust::TimeMode::floor;
  } else {
    req.policy.path.time_mode = trust::TimeMode::none;
  }
  req.policy.path.time = verify::parse_time(a.at, "--at");
  req.policy.minimum_sequence = a.min_sequence;
  req.policy.require_asset_owner = a.require_owner;
  req.policy.path.keys.rsa = a.allow_rsa;
  req.policy.allow_raw_keys = !a.no_raw_keys;
  if (!a.vendor_id.empty()) req.expected_vendor_id = verify::parse_uuid(a.vendor_id, "--vendor-id");
  if (!a.class_id.empty()) req.expected_class_id = verify::parse_uuid(a.class_id, "--class-id");
  if (!a.vendor_domain.empty()) {
    const auto vendor = sign::vendor_id_for_domain(a.vendor_domain);
    req.expected_vendor_id.assign(vendor.begin(), vendor.end());
    if (!a.model.empty()) {
      const auto cls = sign::class_id_for_model(vendor, a.model);
      req.expected_class_id.assign(cls.begin(), cls.end());
    }
  }
  req.max_image_size = a.max_image_size;
  req.manifest_only = a.manifest_only;
  const verify::Report report = verify::verify_file(req, anchors);
  if (a.json) {
    std::cout << verify::to_json(report).dump(2) << "\n";
  } else {
    std::cout << verify::render_text(report);
  }
  return report.accepted ? host::kExitOk : host::kExitRejected;
}

}  // namespace

void add_verify_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* v = app.add_subcommand("verify", "Verify a signed firmware envelope against trust anchors");
  v->footer(
      "Checks, in order: envelope structure; manifest digest; every COSE_Sign1 signature and its\n"
      "x5chain under the code-signing certificate profile (or a raw-key anchor); required signer\n"
      "roles; manifest subset; anti-rollback (sequence number >= --min-sequence); vendor/class IDs;\n"
      "image size and digest against the payload (integrated, or --payload).\n\n"
      "Exit status: 0 accepted; 1 rejected (the reason code says why, see docs/reason-codes.md);\n"
      "2 bad command line; 3 unreadable or malformed input file (anchor, payload); 4 environment.\n\n"
      "Example:\n"
      "  fieldtrust verify release-2.suit --payload fw-2.bin --anchor pki/root.pem \\\n"
      "      --vendor-domain acme-instruments.example --model PT-3051 --min-sequence 2");
  v->add_option("envelope", args->envelope, "SUIT envelope file (.suit)")->required();
  v->add_option("--payload,-p", args->payload, "detached firmware image (when not integrated in the envelope)");
  v->add_option("--anchor,-a", args->anchors,
                "supplier trust anchor: root certificate (PEM/DER), public key (PEM/DER SPKI, COSE_Key) or "
                "a file with sha256:<SPKI hash>; repeatable")
      ->required();
  v->add_option("--owner-anchor", args->owner_anchors, "asset-owner trust anchor (EDR 3.13); repeatable");
  v->add_flag("--require-owner", args->require_owner, "require an asset-owner approval signature");
  v->add_option("--vendor-id", args->vendor_id, "expected vendor ID (UUID)");
  v->add_option("--class-id", args->class_id, "expected class ID (UUID)");
  v->add_option("--vendor-domain", args->vendor_domain, "expected vendor, as the domain its UUIDv5 derives from");
  v->add_option("--model", args->model, "expected model name (class ID = UUIDv5(vendor ID, model)); needs --vendor-domain");
  v->add_option("--min-sequence", args->min_sequence, "device's minimum sequence number (anti-rollback)");
  v->add_option("--time-mode", args->time_mode, "certificate validity: clock (default), floor, none")
      ->check(CLI::IsMember({"clock", "floor", "none"}));
  v->add_option("--at", args->at, "the clock or time floor: now (default), Unix seconds, or RFC 3339 UTC");
  v->add_flag("--allow-rsa", args->allow_rsa, "accept PS256 signatures and RSA >= 3072 certificates (legacy PKIs)");
  v->add_flag("--no-raw-keys", args->no_raw_keys, "require an X.509 chain; do not accept raw-key signatures");
  v->add_flag("--manifest-only", args->manifest_only, "accept without checking the image (reported as unchecked)");
  v->add_option("--max-image-size", args->max_image_size, "largest image accepted, in bytes (default 512 MiB)");
  v->add_flag("--json", args->json, "machine-readable output");
  v->callback([args, &ctx] { ctx.exit_code = run_verify(*args); });

  auto env_path = std::make_shared<std::string>();
  auto json_out = std::make_shared<bool>(false);
  auto diag = std::make_shared<bool>(false);
  CLI::App* i = app.add_subcommand("inspect", "Show what an envelope holds (manifest, signers, chain) without verifying it");
  i->footer("Nothing is verified here; use `fieldtrust verify` for a verdict.\n"
            "Exit status: 0 shown; 3 the file is not a SUIT envelope.");
  i->add_option("envelope", *env_path, "SUIT envelope file")->required();
  i->add_flag("--json", *json_out, "machine-readable output");
  i->add_flag("--diag", *diag, "CBOR diagnostic notation of the whole envelope");
  i->callback([env_path, json_out, diag, &ctx] {
    const auto data = host::read_file(*env_path, 1ull << 31);
    if (*diag) {
      std::cout << inspect::cbor_diagnostic(data) << "\n";
      return;
    }
    const nlohmann::json j = inspect::describe_envelope(data);
    if (j.contains("error")) {
      throw host::UserError(*env_path + ": not a SUIT envelope: " + j["error"].get<std::string>());
    }
    if (*json_out) {
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::cout << "envelope " << *env_path << "\n";
    const auto& m = j["manifest"];
    if (m.contains("error")) {
      std::cout << "  manifest: " << m["error"].get<std::string>() << "\n";
    } else {
      std::cout << "  manifest version " << m["version"] << ", sequence number " << m["sequence_number"] << "\n";
      for (const auto& c : m["components"]) {
        std::cout << "  component " << c["id"].get<std::string>() << "\n";
        for (const char* k : {"vendor_id", "class_id", "image_size", "uri", "slot"}) {
          if (c.contains(k)) std::cout << "    " << k << ": " << (c[k].is_string() ? c[k].get<std::string>() : c[k].dump()) << "\n";
        }
        if (c.contains("image_digest")) {
          std::cout << "    image_digest: " << c["image_digest"]["alg"].get<std::string>() << " "
                    << c["image_digest"]["value"].get<std::string>() << "\n";
        }
      }
      if (m.contains("text")) {
        for (const auto& [lang, t] : m["text"].items()) {
          std::cout << "  text (" << lang << "):\n";
          for (const auto& [k, val] : t.items()) {
            if (k == "components") {
              for (const auto& c : val) {
                for (const auto& [ck, cv] : c.items()) std::cout << "    " << ck << ": " << cv.get<std::string>() << "\n";
              }
            } else {
              std::cout << "    " << k << ": " << val.get<std::string>() << "\n";
            }
          }
        }
      }
    }
    for (const auto& p : j["integrated_payloads"]) {
      std::cout << "  integrated payload " << p["key"].get<std::string>() << ": " << p["size"] << " bytes\n";
    }
    int n = 0;
    for (const auto& s : j["signatures"]) {
      std::cout << "  signature " << ++n << ": " << s.value("alg", "?") << "\n";
      int pos = 0;
      for (const auto& c : s.value("x5chain", nlohmann::json::array())) {
        std::cout << "    [" << pos++ << "] subject:  " << c.value("subject", "?") << "\n"
                  << "        issuer:   " << c.value("issuer", "?") << "\n"
                  << "        validity: " << c.value("not_before", "?") << " .. " << c.value("not_after", "?") << "\n"
                  << "        key:      " << c.value("key_type", "?") << (c.value("is_ca", false) ? ", CA" : "") << "\n";
        std::string ku, eku;
        for (const auto& u : c.value("key_usage", nlohmann::json::array())) ku += (ku.empty() ? "" : ", ") + u.get<std::string>();
        for (const auto& u : c.value("extended_key_usage", nlohmann::json::array())) eku += (eku.empty() ? "" : ", ") + u.get<std::string>();
        std::cout << "        usage:    " << (ku.empty() ? "-" : ku) << "; EKU " << (eku.empty() ? "-" : eku) << "\n";
      }
      if (pos == 0) std::cout << "    (no x5chain: raw-key signature)\n";
    }
  });
}

}  // namespace ft::cli
