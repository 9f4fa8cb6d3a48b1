#include "ft/assess/evidence.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::ScriptedVerifier;
using testing::shipped_catalogs;
using testing::TempDir;

Artifact artifact(const std::string& kind, const std::string& path, std::vector<std::string> anchors = {}) {
  Artifact a;
  a.id = kind;
  a.kind = shipped_catalogs().find_evidence_kind(kind);
  a.path = path;
  a.resolved_path = path;
  a.trust_anchors = std::move(anchors);
  return a;
}

TEST(Evidence, DocumentsArePresentOrMissing) {
  TempDir dir;
  ScriptedVerifier verifier;
  EvidenceChecker checker(shipped_catalogs(), verifier);
  EXPECT_EQ(checker.check(artifact("test-report", dir.write("tr.md", "# report\n"))).verdict, Verdict::present);
  EXPECT_EQ(checker.check(artifact("test-report", dir.write("empty.md", ""))).verdict, Verdict::missing);
  EXPECT_EQ(checker.check(artifact("test-report", dir.path() + "/none.md")).verdict, Verdict::missing);
  EXPECT_EQ(checker.check(artifact("test-report", dir.path())).verdict, Verdict::missing);  // a directory
}

TEST(Evidence, EnvelopesGoToTheVerifierWithTheirAnchors) {
  TempDir dir;
  const std::string envelope = dir.write("fw.suit", "\xd8\x6b");
  const std::string anchor = dir.write("root.pem", "-----BEGIN CERTIFICATE-----\n");
  ScriptedVerifier verifier;
  EvidenceChecker checker(shipped_catalogs(), verifier);
  EXPECT_EQ(checker.check(artifact("firmware-envelope", envelope, {anchor})).verdict, Verdict::verified);
  EXPECT_EQ(checker.check(artifact("firmware-envelope", envelope, {anchor})).verdict, Verdict::verified);
  EXPECT_EQ(verifier.envelope_calls, 1);  // cached
  // A missing anchor fails before the verifier is asked; so does a missing envelope.
  const VerifyOutcome no_anchor = checker.check(artifact("firmware-envelope", envelope, {dir.path() + "/other.pem"}));
  EXPECT_EQ(no_anchor.verdict, Verdict::failed);
  EXPECT_NE(no_anchor.detail.find("trust anchor not found"), std::string::npos);
  EXPECT_EQ(checker.check(artifact("firmware-envelope", dir.path() + "/none.suit", {anchor})).verdict, Verdict::missing);
  EXPECT_EQ(verifier.envelope_calls, 1);
  verifier.envelope = {Verdict::failed, "leaf certificate lacks id-kp-codeSigning [cert_leaf_eku]", {}};
  const std::string other = dir.write("fw2.suit", "\xd8\x6b\x01");
  const VerifyOutcome rejected = checker.check(artifact("firmware-envelope", other, {anchor}));
  EXPECT_EQ(rejected.verdict, Verdict::failed);
  EXPECT_NE(rejected.detail.find("cert_leaf_eku"), std::string::npos);
}

TEST(Evidence, RollbackLogMustShowRollbackProtection) {
  TempDir dir;
  const std::string log = dir.write("log.jsonl", "{}\n");
  ScriptedVerifier verifier;
  verifier.log.properties = {};
  EvidenceChecker checker(shipped_catalogs(), verifier);
  const VerifyOutcome outcome = checker.check(artifact("rollback-log", log));
  EXPECT_EQ(outcome.verdict, Verdict::failed);
  EXPECT_NE(outcome.detail.find("does not show rollback-protection"), std::string::npos);
  // A plain device log needs no such property.
  EXPECT_EQ(checker.check(artifact("device-log", log)).verdict, Verdict::verified);

  ScriptedVerifier showing;
  EvidenceChecker checker2(shipped_catalogs(), showing);
  EXPECT_EQ(checker2.check(artifact("rollback-log", log)).verdict, Verdict::verified);
}

TEST(Evidence, WithoutAVerifierNothingOfThoseKindsCounts) {
  TempDir dir;
  UnavailableVerifier verifier;
  EvidenceChecker checker(shipped_catalogs(), verifier);
  const VerifyOutcome envelope =
      checker.check(artifact("firmware-envelope", dir.write("fw.suit", "x"), {dir.write("root.pem", "x")}));
  EXPECT_EQ(envelope.verdict, Verdict::unavailable);
  EXPECT_FALSE(counts_as_evidence(envelope.verdict));
  EXPECT_EQ(checker.check(artifact("device-log", dir.write("log.jsonl", "x"))).verdict, Verdict::unavailable);
}

TEST(Evidence, SbomIsParsed) {
  TempDir dir;
  UnavailableVerifier verifier;
  EvidenceChecker checker(shipped_catalogs(), verifier);
  const VerifyOutcome good = checker.check(artifact("sbom", testing::example_dir() + "/sbom/ptx-3100-firmware-2.1.0.cdx.json"));
  EXPECT_EQ(good.verdict, Verdict::verified);
  EXPECT_NE(good.detail.find("CycloneDX 1.5, 5 components"), std::string::npos) << good.detail;
  const VerifyOutcome bad = checker.check(artifact("sbom", dir.write("bom.json", R"({"bomFormat":"CycloneDX"})")));
  EXPECT_EQ(bad.verdict, Verdict::failed);
  EXPECT_NE(bad.detail.find("specVersion"), std::string::npos);
}

}  // namespace
}  // namespace ft::assess
