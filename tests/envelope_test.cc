// End-to-end tests of signing and verification: a development PKI (ft_pki), envelopes built by
// ft_sign, verified by the core through ft_verify — the same code paths as the CLI.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <random>

#include "ft/cbor/cbor.h"
#include "ft/host/files.h"
#include "ft/keys/pkcs11_signer.h"
#include "ft/keys/pkcs11_uri.h"
#include "ft/pki/dev_pki.h"
#include "ft/sign/envelope_builder.h"
#include "ft/ports/openssl.h"
#include "ft/trust/verifier.h"
#include "ft/verify/verify.h"
#include "softhsm_fixture.h"
#include "test_release.h"

namespace ft {
namespace {

namespace fs = std::filesystem;
using keys::SignatureAlgorithm;

std::string make_temp_dir() {
  std::string templ = (fs::temp_directory_path() / "ft-envelope-XXXXXX").string();
  return ::mkdtemp(templ.data());
}

std::vector<std::uint8_t> random_image(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> out(size);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// A PKI in a temporary directory, removed at the end.
class Pki {
 public:
  explicit Pki(SignatureAlgorithm alg = SignatureAlgorithm::es256, std::optional<std::time_t> not_after = std::nullopt,
               const std::string& organization = "FieldTrust Test") {
    dir_ = make_temp_dir();
    pki::InitOptions o;
    o.directory = dir_ + "/pki";
    o.keys.algorithm = alg;
    o.organization = organization;
    if (not_after) {
      o.leaf_not_before = *not_after - 86400;
      o.leaf_not_after = *not_after;
    }
    pki::init_pki(o);
  }
  ~Pki() { fs::remove_all(dir_); }
  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/pki/" + name; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

  sign::SigningIdentity identity(std::unique_ptr<keys::Signer>& signer) const {
    return sign::load_signing_identity(path("signer.key.pem"), path("signer-chain.pem"), false, signer);
  }

 private:
  std::string dir_;
};

struct Outcome {
  verify::Report report;
  Code code() const { return report.code; }
};

verify::Report verify_with(Bytes envelope, const verify::AnchorSet& anchors, verify::Request req = {}) {
  if (req.policy.path.time == 0) req.policy.path.time = static_cast<std::int64_t>(std::time(nullptr));
  return verify::verify_bytes(envelope, "test.suit", req, anchors);
}

verify::AnchorSet supplier_anchor(const Pki& pki) {
  verify::AnchorSet a;
  a.add_file(pki.path("root.pem"), trust::Role::supplier);
  return a;
}

TEST(Envelope, SignAndVerifyEachAlgorithm) {
  for (const auto alg : {SignatureAlgorithm::es256, SignatureAlgorithm::es384, SignatureAlgorithm::ed25519}) {
    Pki pki(alg);
    std::unique_ptr<keys::Signer> signer;
    const auto id = pki.identity(signer);
    const auto image = random_image(10000, 1);
    const auto env = sign::build_envelope(testing::test_release(image, 7, true), {id});
    const auto report = verify_with(env, supplier_anchor(pki));
    EXPECT_TRUE(report.accepted) << keys::algorithm_name(alg) << ": " << report.reason << " " << report.message;
    EXPECT_EQ(report.details["sequence_number"], 7);
    EXPECT_EQ(report.details["checks"]["images_checked"], 1);
  }
}

TEST(Envelope, DetachedPayload) {
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = pki.identity(signer);
  const auto image = random_image(70000, 2);
  const std::string image_path = pki.dir() + "/fw.bin";
  host::write_file_atomic(image_path, Bytes(image));
  const auto env = sign::build_envelope(testing::test_release(image, 1, false), {id});
  verify::Request req;
  req.payload_path = image_path;
  EXPECT_TRUE(verify_with(env, supplier_anchor(pki), req).accepted);
  // Without the payload: rejected unless the caller accepts an unchecked image.
  EXPECT_EQ(verify_with(env, supplier_anchor(pki)).code, Code::suit_payload_missing);
  verify::Request manifest_only;
  manifest_only.manifest_only = true;
  const auto r = verify_with(env, supplier_anchor(pki), manifest_only);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.details["checks"]["images_unchecked"], 1);
  // An image declared larger than the slot is refused without a payload too (it used to be
  // accepted as unchecked).
  manifest_only.max_image_size = image.size() - 1;
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), manifest_only).code, Code::suit_image_too_large);
  verify::Request small_slot;
  small_slot.max_image_size = image.size() - 1;
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), small_slot).code, Code::suit_image_too_large);
  // A payload one byte longer (endless data) or shorter, or altered.
  auto longer = image;
  longer.push_back(0);
  host::write_file_atomic(image_path, Bytes(longer));
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), req).code, Code::suit_image_size_mismatch);
  auto altered = image;
  altered[500] ^= 1;
  host::write_file_atomic(image_path, Bytes(altered));
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), req).code, Code::suit_image_digest_mismatch);
}

TEST(Envelope, PolicyRejections) {
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = pki.identity(signer);
  const auto image = random_image(4096, 3);
  const auto env = sign::build_envelope(testing::test_release(image, 5, true), {id});
  const auto anchors = supplier_anchor(pki);

  verify::Request rollback;
  rollback.policy.minimum_sequence = 6;
  EXPECT_EQ(verify_with(env, anchors, rollback).code, Code::trust_rollback);
  rollback.policy.minimum_sequence = 5;
  EXPECT_TRUE(verify_with(env, anchors, rollback).accepted);

  verify::Request other_vendor;
  const auto v = sign::vendor_id_for_domain("other.example");
  other_vendor.expected_vendor_id.assign(v.begin(), v.end());
  EXPECT_EQ(verify_with(env, anchors, other_vendor).code, Code::suit_vendor_mismatch);

  verify::Request other_class;
  const auto c = sign::class_id_for_model(sign::vendor_id_for_domain("acme-instruments.example"), "LT-200");
  other_class.expected_class_id.assign(c.begin(), c.end());
  EXPECT_EQ(verify_with(env, anchors, other_class).code, Code::suit_class_mismatch);

  // Another organisation's root is not our anchor.
  Pki stranger(SignatureAlgorithm::es256, std::nullopt, "Stranger Corp");
  const auto r = verify_with(env, supplier_anchor(stranger));
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.code, Code::cert_untrusted_root) << r.reason;
  EXPECT_EQ(r.stage, "chain");
}

TEST(Envelope, PolicyMayNotRelaxTheChainProfile) {
  // trust::Policy carries an x509::PathPolicy; its purpose and order are not the caller's to relax.
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = pki.identity(signer);
  const auto env = sign::build_envelope(testing::test_release(random_image(1024, 4), 1, true), {id});
  const auto anchors = supplier_anchor(pki);
  ASSERT_TRUE(verify_with(env, anchors).accepted);

  verify::Request any_purpose;
  any_purpose.policy.path.purpose = x509::Purpose::any;
  auto r = verify_with(env, anchors, any_purpose);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.code, Code::invalid_argument) << r.reason;
  EXPECT_EQ(r.stage, "chain");

  verify::Request any_order;
  any_order.policy.path.order = x509::ChainOrder::any;
  r = verify_with(env, anchors, any_order);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.code, Code::invalid_argument) << r.reason;
}

TEST(Envelope, TimePolicies) {
  const std::time_t now = std::time(nullptr);
  Pki expired(SignatureAlgorithm::es256, now - 7 * 86400);  // leaf expired a week ago
  std::unique_ptr<keys::Signer> signer;
  const auto id = expired.identity(signer);
  const auto image = random_image(2048, 4);
  const auto env = sign::build_envelope(testing::test_release(image, 1, true), {id});
  const auto anchors = supplier_anchor(expired);

  verify::Request clock;
  clock.policy.path.time_mode = trust::TimeMode::clock;
  clock.policy.path.time = now;
  EXPECT_EQ(verify_with(env, anchors, clock).code, Code::cert_expired);

  verify::Request none;
  none.policy.path.time_mode = trust::TimeMode::none;
  none.policy.path.time = now;
  const auto r = verify_with(env, anchors, none);
  EXPECT_TRUE(r.accepted);
  EXPECT_EQ(r.details["time_mode"], "none");

  verify::Request floor_before;  // the last accepted update happened before the leaf expired
  floor_before.policy.path.time_mode = trust::TimeMode::floor;
  floor_before.policy.path.time = now - 30 * 86400;
  EXPECT_TRUE(verify_with(env, anchors, floor_before).accepted);
  verify::Request floor_after = floor_before;
  floor_after.policy.path.time = now;
  EXPECT_EQ(verify_with(env, anchors, floor_after).code, Code::cert_expired);
}

TEST(Envelope, AssetOwnerApproval) {
  Pki supplier;
  Pki owner(SignatureAlgorithm::es256, std::nullopt, "Plant Operator");
  std::unique_ptr<keys::Signer> supplier_signer, owner_signer;
  const auto supplier_id = supplier.identity(supplier_signer);
  const auto owner_id = owner.identity(owner_signer);
  const auto image = random_image(3000, 5);
  const auto signed_by_supplier = sign::build_envelope(testing::test_release(image, 2, true), {supplier_id});
  const auto approved = sign::add_signature(signed_by_supplier, owner_id);

  verify::AnchorSet anchors;
  anchors.add_file(supplier.path("root.pem"), trust::Role::supplier);
  anchors.add_file(owner.path("root.pem"), trust::Role::asset_owner);
  verify::Request req;
  req.policy.require_asset_owner = true;
  EXPECT_EQ(verify_with(signed_by_supplier, anchors, req).code, Code::trust_missing_role);
  const auto r = verify_with(approved, anchors, req);
  EXPECT_TRUE(r.accepted) << r.reason << " " << r.message;
  EXPECT_EQ(r.details["signatures"][1]["role"], "asset-owner");

  // The owner's approval alone is not a supplier signature.
  const auto owner_only = sign::build_envelope(testing::test_release(image, 2, true), {owner_id});
  EXPECT_EQ(verify_with(owner_only, anchors, req).code, Code::trust_missing_role);

  // An approval by an unknown party fails its chain, whatever the supplier signed.
  Pki stranger(SignatureAlgorithm::es256, std::nullopt, "Stranger Corp");
  std::unique_ptr<keys::Signer> stranger_signer;
  const auto bogus = sign::add_signature(signed_by_supplier, stranger.identity(stranger_signer));
  EXPECT_EQ(verify_with(bogus, anchors, req).code, Code::cert_untrusted_root);

  // A signature that fails the supplier's anchors and chains to the owner's is verified, and its
  // result carries no failed certificate from the supplier attempt.
  trust::Policy policy;
  policy.path.time_mode = trust::TimeMode::none;
  suit::ProcessOptions options;
  options.require_payload = false;
  auto workspace = std::make_unique<trust::Workspace>();
  auto verdict = std::make_unique<trust::Verdict>();
  ASSERT_TRUE(trust::verify_envelope(openssl_crypto(), approved, anchors.anchors(), policy, options, *workspace, *verdict)
                  .ok());
  ASSERT_EQ(verdict->signature_count, 2u);
  const trust::SignatureResult& approval = verdict->signatures[1];
  EXPECT_EQ(approval.role, trust::Role::asset_owner);
  EXPECT_EQ(approval.error.code, Code::ok);
  EXPECT_FALSE(approval.certificate_failed);
}

TEST(Envelope, RawKeySignatures) {
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = sign::load_signing_identity(pki.path("signer.key.pem"), "", true, signer);
  const auto image = random_image(1000, 6);
  const auto env = sign::build_envelope(testing::test_release(image, 1, true), {id});
  // Anchor: the signer's public key as a PEM PUBLIC KEY.
  const auto spki = signer->public_key_spki_der();
  std::string pem = "-----BEGIN PUBLIC KEY-----\n";
  std::string b64(4 * ((spki.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), spki.data(), static_cast<int>(spki.size()));
  b64.resize(static_cast<std::size_t>(n));
  pem += b64 + "\n-----END PUBLIC KEY-----\n";
  host::write_file_atomic(pki.dir() + "/signer.pub.pem", pem);
  verify::AnchorSet anchors;
  anchors.add_file(pki.dir() + "/signer.pub.pem", trust::Role::supplier);
  EXPECT_TRUE(verify_with(env, anchors).accepted);
  verify::Request strict;
  strict.policy.allow_raw_keys = false;
  EXPECT_EQ(verify_with(env, anchors, strict).code, Code::cose_no_x5chain);
  // A root certificate anchor cannot verify a raw-key signature.
  EXPECT_EQ(verify_with(env, supplier_anchor(pki)).code, Code::cose_no_x5chain);
}

// The public SUIT examples verify against their key given as a COSE_Key (EC2, P-256).
TEST(Envelope, CoseKeyAnchorOnPublicExamples) {
  const auto spki = host::read_file(std::string(FT_TESTDATA_DIR) + "/suit/trust_anchor_secp256r1_pub.der");
  const Bytes point = Bytes(spki).last(64);  // X || Y after the 0x04 of the uncompressed point
  std::vector<std::uint8_t> cose_key(200);
  cbor::Encoder e{MutableBytes(cose_key)};
  e.write_map(4);
  e.write_int(1);   // kty
  e.write_int(2);   // EC2
  e.write_int(-1);  // crv
  e.write_int(1);   // P-256
  e.write_int(-2);  // x
  e.write_bstr(point.first(32));
  e.write_int(-3);  // y
  e.write_bstr(point.last(32));
  cose_key.resize(e.size());
  const std::string dir = make_temp_dir();
  host::write_file_atomic(dir + "/anchor.cose", Bytes(cose_key));
  verify::AnchorSet anchors;
  anchors.add_file(dir + "/anchor.cose", trust::Role::supplier);
  verify::Request req;
  req.manifest_only = true;
  for (const char* name : {"suit_manifest_exp0.suit", "suit_manifest_exp2B.suit", "suit_manifest_exp5.suit"}) {
    const auto env = host::read_file(std::string(FT_TESTDATA_DIR) + "/suit/" + name);
    const auto r = verify_with(env, anchors, req);
    EXPECT_TRUE(r.accepted) << name << ": " << r.reason;
  }
  // A different y coordinate is another key: rejected.
  cose_key.back() ^= 1;
  host::write_file_atomic(dir + "/bad.cose", Bytes(cose_key));
  verify::AnchorSet bad;
  bad.add_file(dir + "/bad.cose", trust::Role::supplier);
  const auto env = host::read_file(std::string(FT_TESTDATA_DIR) + "/suit/suit_manifest_exp0.suit");
  EXPECT_FALSE(verify_with(env, bad, req).accepted);
  fs::remove_all(dir);
}

TEST(Envelope, ClaimedOneGibImage) {
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = pki.identity(signer);
  const auto image = random_image(1024, 7);
  auto release = testing::test_release(image, 1, false);
  release.image_size = 1ull << 30;  // the manifest claims 1 GiB
  const auto env = sign::build_envelope(release, {id});
  const std::string image_path = pki.dir() + "/fw.bin";
  host::write_file_atomic(image_path, Bytes(image));
  verify::Request req;
  req.payload_path = image_path;
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), req).code, Code::suit_image_too_large);
  req.max_image_size = 2ull << 30;
  EXPECT_EQ(verify_with(env, supplier_anchor(pki), req).code, Code::suit_image_size_mismatch);
}

// Every single-byte change at every position, with several replacement values, and every
// truncation of an X.509-signed envelope is rejected.
TEST(Envelope, EveryByteChangeRejected) {
  Pki pki;
  std::unique_ptr<keys::Signer> signer;
  const auto id = pki.identity(signer);
  const auto image = random_image(64, 8);
  const auto env = sign::build_envelope(testing::test_release(image, 3, true), {id});
  const auto anchors = supplier_anchor(pki);
  ASSERT_TRUE(verify_with(env, anchors).accepted);
  std::size_t tried = 0;
  for (std::size_t pos = 0; pos < env.size(); ++pos) {
    for (const int delta : {0x01, 0x40, 0xff}) {
      auto copy = env;
      copy[pos] = static_cast<std::uint8_t>(copy[pos] ^ delta);
      ++tried;
      const auto r = verify_with(copy, anchors);
      ASSERT_FALSE(r.accepted) << "byte " << pos << " ^ " << delta << " accepted";
    }
  }
  for (std::size_t len = 0; len < env.size(); ++len) {
    const std::vector<std::uint8_t> cut(env.begin(), env.begin() + static_cast<long>(len));
    ASSERT_FALSE(verify_with(cut, anchors).accepted) << "truncated to " << len;
  }
  EXPECT_EQ(tried, env.size() * 3);
}

TEST(Envelope, Pkcs11KeyEndToEnd) {
  testing::SoftHsmToken token;
  Pki ca;  // CA keys in files; the release-signing key in the token
  pki::IssueOptions issue;
  issue.role = pki::CertificateRole::code_signing;
  issue.ca_certificate = ca.path("intermediate.pem");
  issue.ca_key = ca.path("intermediate.key.pem");
  issue.subject = "/O=FieldTrust Test/CN=HSM Release Signer";
  issue.pkcs11_uri = token.key_uri("release-signer");
  issue.algorithm = SignatureAlgorithm::es256;
  issue.directory = ca.dir() + "/hsm";
  const auto issued = pki::issue_leaf(issue);
  ASSERT_FALSE(issued.certificates.empty());
  // Chain = HSM leaf + intermediate.
  std::string leaf_file;
  for (const auto& f : issued.files) {
    if (f.kind == "certificate") leaf_file = f.path;
  }
  ASSERT_FALSE(leaf_file.empty());
  const std::string leaf_pem = host::read_text_file(leaf_file);
  const std::string chain_path = ca.dir() + "/hsm/chain.pem";
  host::write_file_atomic(chain_path, leaf_pem + host::read_text_file(ca.path("intermediate.pem")));
  {
    std::unique_ptr<keys::Signer> signer;
    const auto id = sign::load_signing_identity(token.key_uri("release-signer"), chain_path, false, signer);
    const auto image = random_image(5000, 9);
    const auto env = sign::build_envelope(testing::test_release(image, 4, true), {id});
    const auto r = verify_with(env, supplier_anchor(ca));
    EXPECT_TRUE(r.accepted) << r.reason << " " << r.message;
    EXPECT_NE(signer->source().find("pkcs11:"), std::string::npos);
  }
}

}  // namespace
}  // namespace ft
