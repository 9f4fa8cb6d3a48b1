// validate_path: one test per rule of the code-signing profile, path building, anchors, reports,
// and crypto faults. Certificates are built with OpenSSL from fixed test keys; signatures are
// verified through the OpenSSL crypto port.
#include "ft/x509/path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "ft/ports/fake_crypto.h"
#include "ft/ports/openssl.h"

namespace ft::x509 {
namespace {

using testing::CertSpec;
using testing::chain_specs;
using testing::Der;
using testing::KeyKind;
using testing::kTestNow;

constexpr std::int64_t kDay = 86400;

// PathRun — owns the DER of a leaf, untrusted certificates and anchors, parses them and validates.
class PathRun {
 public:
  PathRun() { policy.time = kTestNow; }

  // from_chain takes a built chain (leaf first, root last): the root becomes the anchor, the
  // intermediates the untrusted certificates in issuing order.
  static PathRun from_chain(const testing::Chain& chain) {
    PathRun run;
    run.leaf_der = chain.front();
    for (std::size_t i = 1; i + 1 < chain.size(); ++i) run.untrusted_der.push_back(chain[i]);
    run.add_certificate_anchor(chain.back());
    return run;
  }

  void add_certificate_anchor(const Der& der) {
    storage_.push_back(der);
    TrustAnchor a;
    a.kind = AnchorKind::certificate;
    a.certificate = storage_.back();
    anchors.push_back(a);
  }

  Status validate(CryptoPort& crypto) {
    Result<Certificate> leaf = parse_certificate(leaf_der);
    EXPECT_TRUE(leaf.ok()) << leaf.error().message;
    leaf_cert_ = leaf.value();
    untrusted_.clear();
    for (const Der& der : untrusted_der) {
      Result<Certificate> c = parse_certificate(der);
      EXPECT_TRUE(c.ok()) << c.error().message;
      untrusted_.push_back(c.value());
    }
    return validate_path(leaf_cert_, untrusted_, anchors, policy, crypto, report);
  }

  Status validate() { return validate(openssl_crypto()); }

  // codes returns "code@position" for every finding, leaf first.
  [[nodiscard]] std::string findings() const {
    std::string out;
    for (std::size_t i = 0; i < report.error_count; ++i) {
      if (!out.empty()) out += " ";
      out += std::string(code_name(report.errors[i].code)) + "@" + std::to_string(report.errors[i].position);
    }
    return out;
  }

  Der leaf_der;
  std::vector<Der> untrusted_der;
  std::vector<TrustAnchor> anchors;
  PathPolicy policy;
  PathReport report;

 private:
  std::deque<Der> storage_;  // stable addresses for anchor spans
  Certificate leaf_cert_;
  std::vector<Certificate> untrusted_;
};

std::vector<KeyKind> p256_chain(std::size_t intermediates) {
  return std::vector<KeyKind>(intermediates + 2, KeyKind::p256);
}

// expect_rejected validates specs (built) and expects exactly the given findings.
void expect_findings(const std::vector<CertSpec>& specs, const std::string& expected,
                     const std::function<void(PathRun&)>& adjust = nullptr) {
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  if (adjust) adjust(run);
  const Status status = run.validate();
  EXPECT_EQ(run.findings(), expected);
  if (expected.empty()) {
    EXPECT_TRUE(status.ok()) << status.error().message;
  } else {
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(run.report.error.code, status.code());
    if (run.report.path_complete) {
      EXPECT_EQ(status.code(), run.report.errors[0].code);
    }
  }
}

TEST(ValidatePath, GoodChainsWithZeroToThreeIntermediates) {
  for (std::size_t n = 0; n <= 3; ++n) {
    SCOPED_TRACE(n);
    PathRun run = PathRun::from_chain(testing::build_chain(chain_specs(p256_chain(n), kTestNow)));
    const Status status = run.validate();
    ASSERT_TRUE(status.ok()) << run.findings();
    EXPECT_TRUE(run.report.valid());
    EXPECT_TRUE(run.report.path_complete);
    EXPECT_EQ(run.report.anchor_index, 0);
    EXPECT_EQ(run.report.path_length, n + 2);  // leaf, intermediates, anchor certificate
    EXPECT_EQ(run.report.signatures_verified, n + 1);
    EXPECT_EQ(run.report.error_count, 0u);
    EXPECT_TRUE(run.report.validity_checked);
    EXPECT_EQ(run.report.path[run.report.path_length - 1], &run.report.anchor_certificate);
  }
}

TEST(ValidatePath, MixedKeyTypes) {
  const std::vector<std::vector<KeyKind>> mixes = {
      {KeyKind::p256, KeyKind::p384, KeyKind::p384},
      {KeyKind::ed25519, KeyKind::ed25519, KeyKind::p256},
      {KeyKind::p384, KeyKind::ed25519, KeyKind::p384, KeyKind::p256},
      {KeyKind::p256, KeyKind::p384, KeyKind::rsa3072},
      {KeyKind::rsa3072, KeyKind::rsa3072},
  };
  for (const auto& mix : mixes) {
    PathRun run = PathRun::from_chain(testing::build_chain(chain_specs(mix, kTestNow)));
    run.policy.keys.rsa = true;
    const bool has_rsa = std::find(mix.begin(), mix.end(), KeyKind::rsa3072) != mix.end();
    // A build without RSA (FT_CORE_RSA=0) refuses RSA keys even where the policy allows them.
    EXPECT_EQ(run.validate().ok(), config::kRsa || !has_rsa) << run.findings();
  }
  if (!config::kRsa) return;
  // RSA-PSS signatures.
  auto specs = chain_specs({KeyKind::p256, KeyKind::rsa3072}, kTestNow);
  specs[0].rsa_pss = true;
  specs[1].rsa_pss = true;
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  run.policy.keys.rsa = true;
  EXPECT_TRUE(run.validate().ok()) << run.findings();
}

TEST(ValidatePath, LeafExtendedKeyUsage) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].eku_present = false;
  expect_findings(specs, "cert_leaf_eku@0");
  specs[0].eku_present = true;
  specs[0].eku = {testing::kOidAnyEku};
  expect_findings(specs, "cert_leaf_eku@0");
  specs[0].eku = {testing::kOidServerAuth};
  expect_findings(specs, "cert_leaf_eku@0");
  specs[0].eku = {testing::kOidServerAuth, testing::kOidCodeSigning, testing::kOidAnyEku};
  expect_findings(specs, "");
  // Purpose any: no EKU requirement.
  specs[0].eku_present = false;
  expect_findings(specs, "", [](PathRun& r) { r.policy.purpose = Purpose::any; });
}

TEST(ValidatePath, LeafKeyUsageAndCa) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].key_usage = -1;
  expect_findings(specs, "cert_missing_key_usage@0");
  specs[0].key_usage = kKeyEncipherment;
  expect_findings(specs, "cert_leaf_key_usage@0");
  specs[0].key_usage = kDigitalSignature | kNonRepudiation;
  expect_findings(specs, "");
  specs[0].basic_constraints = CertSpec::Ca::ca;
  expect_findings(specs, "cert_leaf_is_ca@0");
  specs[0].basic_constraints = CertSpec::Ca::absent;  // no basicConstraints: not a CA
  expect_findings(specs, "");
}

TEST(ValidatePath, IssuerBasicConstraints) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[1].basic_constraints = CertSpec::Ca::not_ca;
  expect_findings(specs, "cert_not_ca@1");
  specs[1].basic_constraints = CertSpec::Ca::absent;
  expect_findings(specs, "cert_not_ca@1");
  specs[1].basic_constraints = CertSpec::Ca::ca;
  specs[1].basic_constraints_critical = false;
  expect_findings(specs, "cert_not_ca@1");
  // The anchor certificate is an issuer too.
  specs = chain_specs(p256_chain(1), kTestNow);
  specs[2].basic_constraints_critical = false;
  expect_findings(specs, "cert_not_ca@2");
}

TEST(ValidatePath, IssuerKeyUsage) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[1].key_usage = kCrlSign | kDigitalSignature;
  expect_findings(specs, "cert_issuer_key_usage@1");
  specs[1].key_usage = -1;
  expect_findings(specs, "cert_missing_key_usage@1");
  specs = chain_specs(p256_chain(1), kTestNow);
  specs[2].key_usage = kDigitalSignature;
  expect_findings(specs, "cert_issuer_key_usage@2");
}

TEST(ValidatePath, PathLenConstraint) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[2].path_len = 0;  // root allows no intermediate below it
  expect_findings(specs, "cert_path_len_exceeded@2");
  specs[2].path_len = 1;
  expect_findings(specs, "");
  specs = chain_specs(p256_chain(2), kTestNow);
  specs[2].path_len = 0;  // intermediate 2 has intermediate 1 below it
  expect_findings(specs, "cert_path_len_exceeded@2");
  specs[2].path_len = -1;
  specs[1].path_len = 0;  // intermediate 1 issues only the leaf: fine
  expect_findings(specs, "");
  specs[3].path_len = 1;  // root with two intermediates below it
  expect_findings(specs, "cert_path_len_exceeded@3");
}

TEST(ValidatePath, SelfIssuedIntermediatesDoNotCountForPathLen) {
  // Root(pathLen 1) <- A <- A' (self-issued: same name, another key) <- leaf.
  auto specs = chain_specs(p256_chain(2), kTestNow);
  specs[3].path_len = 1;
  specs[1].subject_cn = specs[2].subject_cn;  // intermediate 1 gets intermediate 2's name
  specs[1].issuer_cn = specs[2].subject_cn;
  specs[0].issuer_cn = specs[2].subject_cn;
  expect_findings(specs, "");
  specs[3].path_len = 0;
  expect_findings(specs, "cert_path_len_exceeded@3");
}

TEST(ValidatePath, TimeModes) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].not_after = kTestNow - kDay;
  expect_findings(specs, "cert_expired@0");
  expect_findings(specs, "cert_expired@0", [](PathRun& r) { r.policy.time_mode = TimeMode::floor; });
  expect_findings(specs, "", [](PathRun& r) { r.policy.time_mode = TimeMode::none; });
  specs[0].not_after = kTestNow;  // inclusive
  expect_findings(specs, "");

  specs = chain_specs(p256_chain(1), kTestNow);
  specs[1].not_before = kTestNow + kDay;
  expect_findings(specs, "cert_not_yet_valid@1");
  // A floor says nothing about notBefore: the real time may be later than the floor.
  expect_findings(specs, "", [](PathRun& r) { r.policy.time_mode = TimeMode::floor; });

  specs = chain_specs(p256_chain(1), kTestNow);
  specs[2].not_after = kTestNow - 1;  // the anchor certificate too
  expect_findings(specs, "cert_expired@2");

  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  run.policy.time_mode = TimeMode::none;
  ASSERT_TRUE(run.validate().ok());
  EXPECT_FALSE(run.report.validity_checked);
  EXPECT_EQ(run.report.time_mode, TimeMode::none);
}

TEST(ValidatePath, UnknownCriticalExtension) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[1].extra = {{"1.3.6.1.4.1.99999.7", true, {0x05, 0x00}}};
  expect_findings(specs, "cert_unknown_critical_extension@1");
  specs[1].extra[0].critical = false;
  expect_findings(specs, "");
  specs[0].extra = {{"2.5.29.17", true, {0x30, 0x00}}};  // subjectAltName: not processed here
  expect_findings(specs, "cert_unknown_critical_extension@0");
}

TEST(ValidatePath, BadSignatures) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  testing::Chain chain = testing::build_chain(specs);
  chain[0][chain[0].size() - 3] ^= 0x01;  // inside the ECDSA signature value
  PathRun run = PathRun::from_chain(chain);
  EXPECT_EQ(run.validate().code(), Code::cert_bad_signature);
  EXPECT_EQ(run.findings(), "cert_bad_signature@0");

  specs[1].issuer_key = testing::test_key(KeyKind::p256, 5);  // intermediate signed by a stranger
  expect_findings(specs, "cert_bad_signature@1");

  specs = chain_specs({KeyKind::p256, KeyKind::ed25519, KeyKind::p256}, kTestNow);
  chain = testing::build_chain(specs);
  chain[1].back() ^= 0x80;  // Ed25519 signature of the intermediate
  run = PathRun::from_chain(chain);
  EXPECT_EQ(run.validate().code(), Code::cert_bad_signature);
  EXPECT_EQ(run.findings(), "cert_bad_signature@1");
}

TEST(ValidatePath, UnsupportedSignatureAlgorithm) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].hash = testing::SigHash::sha1;
  expect_findings(specs, "cert_unsupported_signature_algorithm@0");
}

TEST(ValidatePath, SelfSignedLeaf) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].issuer_cn = specs[0].subject_cn;
  specs[0].issuer_key = specs[0].key;
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  EXPECT_EQ(run.validate().code(), Code::cert_leaf_self_signed);
  EXPECT_EQ(run.findings(), "cert_leaf_self_signed@0");
  EXPECT_FALSE(run.report.path_complete);
  EXPECT_EQ(run.report.signatures_verified, 1u);

  // Self-issued but signed by the root's key under the same name as the root: not self-signed,
  // and a path exists (the root issued it).
  specs = chain_specs(p256_chain(0), kTestNow);
  specs[0].subject_cn = specs[1].subject_cn;
  expect_findings(specs, "");
}

TEST(ValidatePath, KeyPolicy) {
  auto specs = chain_specs({KeyKind::p256, KeyKind::rsa3072, KeyKind::rsa3072}, kTestNow);
  if (config::kRsa) {
    expect_findings(specs, "cert_key_not_allowed@1 cert_key_not_allowed@2");  // RSA disabled
    expect_findings(specs, "", [](PathRun& r) { r.policy.keys.rsa = true; });
    expect_findings(specs, "cert_key_not_allowed@1 cert_key_not_allowed@2", [](PathRun& r) {
      r.policy.keys.rsa = true;
      r.policy.keys.rsa_min_bits = 4096;
    });
    specs = chain_specs({KeyKind::rsa2048, KeyKind::p256, KeyKind::p256}, kTestNow);
    expect_findings(specs, "cert_key_not_allowed@0", [](PathRun& r) { r.policy.keys.rsa = true; });
  } else {
    // Without RSA in the build (FT_CORE_RSA=0) the policy cannot let an RSA key in.
    PathRun run = PathRun::from_chain(testing::build_chain(specs));
    run.policy.keys.rsa = true;
    EXPECT_FALSE(run.validate().ok());
    EXPECT_EQ(run.findings(),
              "cert_unsupported_signature_algorithm@0 cert_key_not_allowed@1 cert_unsupported_signature_algorithm@1 "
              "cert_key_not_allowed@2");
  }
  specs = chain_specs({KeyKind::p521, KeyKind::p256, KeyKind::p256}, kTestNow);
  expect_findings(specs, "cert_key_not_allowed@0");
  specs = chain_specs({KeyKind::secp256k1, KeyKind::p256, KeyKind::p256}, kTestNow);
  expect_findings(specs, "cert_key_not_allowed@0");
  specs = chain_specs({KeyKind::ed25519, KeyKind::p256, KeyKind::p384}, kTestNow);
  expect_findings(specs, "cert_key_not_allowed@0", [](PathRun& r) { r.policy.keys.ed25519 = false; });
  expect_findings(specs, "cert_key_not_allowed@2", [](PathRun& r) { r.policy.keys.ec_p384 = false; });
}

TEST(ValidatePath, UntrustedRootAndMissingIntermediate) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  const testing::Chain chain = testing::build_chain(specs);
  auto other = chain_specs(p256_chain(0), kTestNow, 3);
  other[1].subject_cn = other[1].issuer_cn = "Another Root";
  PathRun run = PathRun::from_chain(chain);
  run.anchors.clear();
  run.add_certificate_anchor(testing::build_certificate(other[1]));
  EXPECT_EQ(run.validate().code(), Code::cert_untrusted_root);
  EXPECT_EQ(run.findings(), "cert_untrusted_root@1");
  EXPECT_FALSE(run.report.path_complete);
  EXPECT_EQ(run.report.path_length, 2u);  // the longest partial path: leaf and intermediate
  EXPECT_EQ(run.report.anchor_index, -1);

  run = PathRun::from_chain(chain);
  run.untrusted_der.clear();
  EXPECT_EQ(run.validate().code(), Code::cert_untrusted_root);
  EXPECT_EQ(run.findings(), "cert_untrusted_root@0");
}

TEST(ValidatePath, SameNameAnchorWithWrongKey) {
  // An anchor with the right name but another key: the name matches, the signature does not.
  auto specs = chain_specs(p256_chain(1), kTestNow);
  const testing::Chain chain = testing::build_chain(specs);
  auto impostor = specs[2];
  impostor.key = impostor.issuer_key = testing::test_key(KeyKind::p256, 4);
  PathRun run = PathRun::from_chain(chain);
  run.anchors.clear();
  run.add_certificate_anchor(testing::build_certificate(impostor));
  EXPECT_EQ(run.validate().code(), Code::cert_bad_signature);
  EXPECT_EQ(run.findings(), "cert_bad_signature@1");
  EXPECT_TRUE(run.report.path_complete);
}

TEST(ValidatePath, ChainTooLong) {
  const auto specs = chain_specs(p256_chain(4), kTestNow);
  expect_findings(specs, "cert_chain_too_long@3");  // search cut at 3 intermediates
  expect_findings(specs, "cert_chain_too_long@3", [](PathRun& r) { r.policy.order = ChainOrder::leaf_first; });
  expect_findings(specs, "", [](PathRun& r) { r.policy.max_intermediates = 4; });
  expect_findings(specs, "cert_chain_too_long@0", [](PathRun& r) { r.policy.max_intermediates = 0; });
}

TEST(ValidatePath, OrderAndSearch) {
  const testing::Chain chain = testing::build_chain(chain_specs(p256_chain(3), kTestNow));
  PathRun run = PathRun::from_chain(chain);
  std::reverse(run.untrusted_der.begin(), run.untrusted_der.end());
  run.policy.order = ChainOrder::any;
  if (!config::kPathSearch) {  // a build without the search (FT_CORE_PATH_SEARCH=0) refuses it
    EXPECT_EQ(run.validate().code(), Code::unsupported);
    run.policy.order = ChainOrder::leaf_first;
    EXPECT_EQ(run.validate().code(), Code::cert_issuer_mismatch);  // the ordered walk still judges
    GTEST_SKIP() << "path search over unordered certificates is compiled out (FT_CORE_PATH_SEARCH=0)";
  }
  EXPECT_TRUE(run.validate().ok()) << run.findings();  // any order: search
  run.policy.order = ChainOrder::leaf_first;
  EXPECT_EQ(run.validate().code(), Code::cert_issuer_mismatch);
  EXPECT_EQ(run.findings(), "cert_issuer_mismatch@0");

  run = PathRun::from_chain(chain);
  run.policy.order = ChainOrder::leaf_first;
  run.untrusted_der.push_back(chain.back());  // x5chain carrying a copy of the root
  EXPECT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 5u);
  run.policy.order = ChainOrder::any;
  run.untrusted_der.insert(run.untrusted_der.begin(), chain.front());  // and a copy of the leaf
  EXPECT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 5u);
}

TEST(ValidatePath, SearchSkipsAWrongIssuerWithTheSameName) {
  if (!config::kPathSearch) GTEST_SKIP() << "path search is compiled out (FT_CORE_PATH_SEARCH=0)";
  auto specs = chain_specs(p256_chain(1), kTestNow);
  const testing::Chain chain = testing::build_chain(specs);
  CertSpec decoy = specs[1];
  decoy.key = testing::test_key(KeyKind::p256, 5);  // same name, other key: cannot have signed the leaf
  decoy.serial = 77;
  PathRun run = PathRun::from_chain(chain);
  run.untrusted_der.insert(run.untrusted_der.begin(), testing::build_certificate(decoy));
  EXPECT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 3u);
  EXPECT_EQ(run.report.path[1]->serial.back(), 0x01);  // serial 0x1001: the real intermediate

  run.policy.order = ChainOrder::leaf_first;  // the given order puts the decoy first
  EXPECT_EQ(run.validate().code(), Code::cert_bad_signature);
  EXPECT_EQ(run.findings(), "cert_bad_signature@0");
}

TEST(ValidatePath, SearchBound) {
  if (!config::kPathSearch) GTEST_SKIP() << "path search is compiled out (FT_CORE_PATH_SEARCH=0)";
  // Six self-issued intermediates that all name each other: the search space explodes, the
  // bound stops it, and no anchor is ever reached.
  auto specs = chain_specs(p256_chain(1), kTestNow);
  std::vector<Der> loop;
  for (int i = 0; i < 6; ++i) {
    CertSpec s = specs[1];
    s.issuer_cn = s.subject_cn;
    s.key = testing::test_key(KeyKind::p256, i);
    s.issuer_key = testing::test_key(KeyKind::p256, (i + 1) % 6);
    s.serial = 100 + static_cast<std::uint64_t>(i);
    loop.push_back(testing::build_certificate(s));
  }
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  run.untrusted_der = loop;
  run.policy.max_intermediates = 4;
  EXPECT_EQ(run.validate().code(), Code::cert_search_limit);
  EXPECT_LE(run.report.signatures_verified, 2 * kMaxSearchNodes);
}

TEST(ValidatePath, SpkiPinAnchors) {
  const auto specs = chain_specs(p256_chain(1), kTestNow);
  const testing::Chain chain = testing::build_chain(specs);
  auto pin_of = [](const Der& cert_der) {
    Result<Certificate> c = parse_certificate(cert_der);
    Digest d;
    EXPECT_TRUE(digest(openssl_crypto(), HashAlg::sha256, c->spki, d).ok());
    TrustAnchor a;
    a.kind = AnchorKind::spki_sha256;
    std::copy(d.value, d.value + 32, a.spki_sha256);
    return a;
  };
  // Pin the root's key; the root travels with the untrusted certificates.
  PathRun run = PathRun::from_chain(chain);
  run.anchors = {pin_of(chain[2])};
  EXPECT_EQ(run.validate().code(), Code::cert_untrusted_root);  // root not supplied
  run.untrusted_der.push_back(chain[2]);
  ASSERT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 3u);
  EXPECT_EQ(run.report.anchor_index, 0);

  // Pin the intermediate's key: the path ends there; its issuer need not be present.
  run = PathRun::from_chain(chain);
  TrustAnchor unrelated = pin_of(testing::build_certificate(chain_specs(p256_chain(0), kTestNow, 4)[0]));
  run.anchors = {unrelated, pin_of(chain[1])};
  ASSERT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 2u);
  EXPECT_EQ(run.report.anchor_index, 1);

  // The pinned certificate is judged as an issuer.
  auto bad = specs;
  bad[1].key_usage = kDigitalSignature;
  const testing::Chain bad_chain = testing::build_chain(bad);
  run = PathRun::from_chain(bad_chain);
  run.anchors = {pin_of(bad_chain[1])};
  EXPECT_EQ(run.validate().code(), Code::cert_issuer_key_usage);
  EXPECT_EQ(run.findings(), "cert_issuer_key_usage@1");
}

TEST(ValidatePath, RawKeyAnchors) {
  const auto specs = chain_specs({KeyKind::p256, KeyKind::ed25519, KeyKind::p384}, kTestNow);
  const testing::Chain chain = testing::build_chain(specs);
  Result<Certificate> root = parse_certificate(chain[2]);
  Result<Certificate> intermediate = parse_certificate(chain[1]);
  ASSERT_TRUE(root.ok() && intermediate.ok());
  TrustAnchor root_key;
  root_key.kind = AnchorKind::raw_key;
  root_key.raw_key = root->key;
  TrustAnchor intermediate_key;
  intermediate_key.kind = AnchorKind::raw_key;
  intermediate_key.raw_key = intermediate->key;

  PathRun run = PathRun::from_chain(chain);
  run.anchors = {intermediate_key, root_key};
  ASSERT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 1u);  // the intermediate's key signed the leaf directly
  EXPECT_EQ(run.report.anchor_index, 0);

  run.anchors = {root_key};
  ASSERT_TRUE(run.validate().ok()) << run.findings();
  EXPECT_EQ(run.report.path_length, 2u);
  EXPECT_EQ(run.report.anchor_index, 0);

  run.policy.keys.ec_p384 = false;  // the anchor key itself is judged by the key policy
  EXPECT_EQ(run.validate().code(), Code::cert_key_not_allowed);
  EXPECT_EQ(run.findings(), "cert_key_not_allowed@2");

  run.policy.keys.ec_p384 = true;
  run.anchors = {intermediate_key};
  run.untrusted_der.clear();
  run.leaf_der = chain[1];  // the intermediate is not signed by its own key: no anchor
  run.policy.purpose = Purpose::any;
  EXPECT_FALSE(run.validate().ok());
}

TEST(ValidatePath, ReportsEveryFindingLeafFirst) {
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[1].basic_constraints = CertSpec::Ca::not_ca;
  specs[0].not_after = kTestNow - kDay;
  specs[0].eku_present = false;
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  EXPECT_EQ(run.validate().code(), Code::cert_leaf_eku);
  EXPECT_EQ(run.findings(), "cert_leaf_eku@0 cert_expired@0 cert_not_ca@1");
  EXPECT_STREQ(run.report.error.message, run.report.errors[0].message);
}

TEST(ValidatePath, InvalidArguments) {
  const testing::Chain chain = testing::build_chain(chain_specs(p256_chain(1), kTestNow));
  PathRun run = PathRun::from_chain(chain);
  run.untrusted_der.assign(kMaxChain + 1, chain[1]);
  EXPECT_EQ(run.validate().code(), Code::invalid_argument);

  run = PathRun::from_chain(chain);
  Der broken = chain[2];
  broken.pop_back();
  run.anchors.clear();
  run.add_certificate_anchor(broken);
  EXPECT_EQ(run.validate().code(), Code::invalid_argument);
}

TEST(ValidatePath, CryptoFailuresNeverValidate) {
  // Fail the n-th crypto operation for n = 1, 2, ... until a run completes without the fault.
  const auto specs = chain_specs(p256_chain(2), kTestNow);
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  for (std::uint64_t n = 1;; ++n) {
    ASSERT_LT(n, 50u);
    FaultyCrypto faulty(openssl_crypto());
    faulty.fail_at(n);
    const Status status = run.validate(faulty);
    if (!faulty.fault_fired()) {
      EXPECT_TRUE(status.ok()) << run.findings();
      EXPECT_EQ(n, 4u);  // three signatures verified: the fourth operation is never reached
      break;
    }
    EXPECT_EQ(status.code(), Code::crypto_failure) << "n=" << n;
    EXPECT_FALSE(run.report.valid());
  }
  // Persistent failure with a pinned anchor (hashing fails first).
  run = PathRun::from_chain(testing::build_chain(specs));
  TrustAnchor pin;
  pin.kind = AnchorKind::spki_sha256;
  run.anchors.push_back(pin);
  FaultyCrypto faulty(openssl_crypto());
  faulty.fail_at(1, FaultMode::persistent);
  EXPECT_EQ(run.validate(faulty).code(), Code::crypto_failure);
}

TEST(ValidatePath, CryptoFailureWhileCheckingForASelfSignature) {
  // The self-signature probe is the first crypto operation for a self-issued leaf. Its failure is
  // the terminal reason of the one-certificate path: reported with its own message, recorded as
  // the path's only finding, and never valid.
  auto specs = chain_specs(p256_chain(1), kTestNow);
  specs[0].issuer_cn = specs[0].subject_cn;
  specs[0].issuer_key = specs[0].key;
  PathRun run = PathRun::from_chain(testing::build_chain(specs));
  FaultyCrypto faulty(openssl_crypto());
  faulty.fail_at(1);
  EXPECT_EQ(run.validate(faulty).code(), Code::crypto_failure);
  EXPECT_TRUE(faulty.fault_fired());
  EXPECT_FALSE(run.report.valid());
  EXPECT_EQ(run.findings(), "crypto_failure@0");
  if (FT_CORE_MESSAGES) {
    EXPECT_STREQ(run.report.error.message, "crypto backend failed while checking for a self-signature");
  }
}

}  // namespace
}  // namespace ft::x509
