// TrustArtifactVerifier on real artifacts: public SUIT example envelopes with their raw-key
// anchor, and a signed device log built with a development PKI.
#include "ft/assess/trust_verifier.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "ft/ledger/export.h"
#include "ft/sign/envelope_builder.h"
#include "ledger_test_util.h"
#include "test_support.h"

namespace ft::assess {
namespace {

using testing::read_text;
using testing::TempDir;

std::string suit(const std::string& name) { return std::string(FT_TESTDATA_DIR) + "/suit/" + name; }
const std::string kAnchor = std::string(FT_TESTDATA_DIR) + "/suit/trust_anchor_secp256r1_pub.pem";

bool has_property(const VerifyOutcome& outcome, const std::string& property) {
  return std::find(outcome.properties.begin(), outcome.properties.end(), property) != outcome.properties.end();
}

// sign_release writes an envelope for image signed with the PKI's code-signing key, integrated or
// detached (then the image is written beside it as payload.bin). Returns the envelope path.
std::string sign_release(ledger::testing::TestPki& pki, const TempDir& dir, const std::string& image, bool integrated) {
  std::unique_ptr<keys::Signer> key;
  const sign::SigningIdentity identity =
      sign::load_signing_identity(pki.path("signer.key.pem"), pki.path("signer-chain.pem"), false, key);
  const std::string image_path = dir.write("payload.bin", image);
  sign::Release release;
  release.sequence_number = 7;
  release.vendor_id = sign::vendor_id_for_domain("instruments.example");
  release.class_id = sign::class_id_for_model(release.vendor_id, "PTX-3100");
  release.model = "PTX-3100";
  release.version = "2.1.0";
  release.image_digest = sign::hash_file_sha256(image_path, release.image_size);
  release.integrated = integrated;
  if (integrated) {
    release.image.assign(image.begin(), image.end());
  } else {
    release.payload_uri = "payload.bin";
  }
  const auto envelope = sign::build_envelope(release, {identity});
  return dir.write(integrated ? "integrated.suit" : "detached.suit", std::string(envelope.begin(), envelope.end()));
}

TEST(TrustVerifier, AcceptsASignedEnvelopeAndRejectsAnyChange) {
  ledger::testing::TestPki pki;
  TempDir dir;
  const std::string envelope = sign_release(pki, dir, std::string(4096, 'f'), true);
  TrustArtifactVerifier verifier;
  const VerifyOutcome good = verifier.verify_envelope({envelope, {pki.path("root.pem")}, ""});
  ASSERT_EQ(good.verdict, Verdict::verified) << good.detail;
  EXPECT_NE(good.detail.find("accepted under the code-signing profile, sequence 7"), std::string::npos) << good.detail;

  std::string bytes = read_text(envelope);
  bytes[bytes.size() - 100] = static_cast<char>(bytes[bytes.size() - 100] ^ 0x01);
  const VerifyOutcome changed = verifier.verify_envelope({dir.write("changed.suit", bytes), {pki.path("root.pem")}, ""});
  EXPECT_EQ(changed.verdict, Verdict::failed);
  EXPECT_NE(changed.detail.find("rejected"), std::string::npos) << changed.detail;
}

TEST(TrustVerifier, DetachedPayloadMustMatch) {
  ledger::testing::TestPki pki;
  TempDir dir;
  const std::string envelope = sign_release(pki, dir, std::string(4096, 'a'), false);
  TrustArtifactVerifier verifier;
  const VerifyOutcome good = verifier.verify_envelope({envelope, {pki.path("root.pem")}, dir.path() + "/payload.bin"});
  EXPECT_EQ(good.verdict, Verdict::verified) << good.detail;
  const std::string other = dir.write("other.bin", std::string(4096, 'b'));
  const VerifyOutcome wrong = verifier.verify_envelope({envelope, {pki.path("root.pem")}, other});
  EXPECT_EQ(wrong.verdict, Verdict::failed);
  EXPECT_NE(wrong.detail.find("suit_image_digest_mismatch"), std::string::npos) << wrong.detail;
  // The public SUIT examples carry no image: without one the verifier does not accept them.
  const VerifyOutcome no_image = verifier.verify_envelope({suit("suit_manifest_exp1.suit"), {kAnchor}, ""});
  EXPECT_EQ(no_image.verdict, Verdict::failed);
}

TEST(TrustVerifier, RejectsAnEnvelopeAgainstTheWrongAnchor) {
  ledger::testing::TestPki pki;  // its root is not the key that signed the example
  TrustArtifactVerifier verifier;
  const VerifyOutcome outcome = verifier.verify_envelope({suit("suit_manifest_exp1.suit"), {pki.path("root.pem")}, ""});
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  const VerifyOutcome garbage = verifier.verify_envelope({suit("suit_manifest_exp1.suit"), {suit("suit_manifest_exp1.diag")}, ""});
  EXPECT_EQ(garbage.verdict, Verdict::failed);  // an anchor file that holds no key: failed, no exception
}

TEST(TrustVerifier, DeviceLogShowsRollbackProtection) {
  ledger::testing::TestPki pki;
  ledger::testing::LogBuilder log(pki.signer());
  log.typical_device_log();
  TempDir dir;
  const std::string path = dir.write("device.jsonl", ledger::to_jsonl(log.records()));
  TrustArtifactVerifier verifier;
  const VerifyOutcome good = verifier.verify_device_log({path, {pki.path("root.pem")}, pki.path("device-chain.pem"), ""});
  ASSERT_EQ(good.verdict, Verdict::verified) << good.detail;
  EXPECT_TRUE(has_property(good, "rollback-protection")) << good.detail;
  EXPECT_NE(good.detail.find("12 of 12 records authentic"), std::string::npos) << good.detail;

  // A record changed after signing is a forgery.
  std::string text = read_text(path);
  const auto at = text.find("\"to\":2");
  ASSERT_NE(at, std::string::npos) << text.substr(0, 400);
  text.replace(at, 6, "\"to\":3");
  const VerifyOutcome forged = verifier.verify_device_log({dir.write("forged.jsonl", text), {pki.path("root.pem")},
                                                           pki.path("device-chain.pem"), ""});
  EXPECT_EQ(forged.verdict, Verdict::failed);

  // The device certificate must chain to the given anchor.
  ledger::testing::TestPki other;
  const VerifyOutcome stranger = verifier.verify_device_log({path, {other.path("root.pem")}, pki.path("device-chain.pem"), ""});
  EXPECT_EQ(stranger.verdict, Verdict::failed);
  EXPECT_EQ(verifier.verify_device_log({path, {}, "", ""}).verdict, Verdict::failed);
}

TEST(TrustVerifier, LogWithoutCounterRecordsShowsNoRollbackProtection) {
  ledger::testing::TestPki pki;
  ledger::testing::LogBuilder log(pki.signer());
  log.add(ledger::device_kind::kBootFailed, {{"slot", std::string("A")}, {"reason", std::string("no_bootable_image")}});
  TempDir dir;
  const std::string path = dir.write("device.jsonl", ledger::to_jsonl(log.records()));
  TrustArtifactVerifier verifier;
  const VerifyOutcome outcome = verifier.verify_device_log({path, {pki.path("root.pem")}, pki.path("device-chain.pem"), ""});
  EXPECT_EQ(outcome.verdict, Verdict::verified) << outcome.detail;
  EXPECT_FALSE(has_property(outcome, "rollback-protection"));
}

}  // namespace
}  // namespace ft::assess
