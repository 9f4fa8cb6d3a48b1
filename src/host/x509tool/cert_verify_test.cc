#include "ft/x509tool/cert_verify.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "ft/host/error.h"
#include "ft/host/hex.h"
#include "ft/ports/openssl.h"
#include "ft/x509tool/cert_files.h"

namespace ft::x509tool {
namespace {

namespace fs = std::filesystem;
using x509::testing::CertSpec;
using x509::testing::chain_specs;
using x509::testing::Der;
using x509::testing::KeyKind;
using x509::testing::kTestNow;

class CertVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ft-cert-verify-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    specs_ = chain_specs({KeyKind::p256, KeyKind::p384, KeyKind::p256}, kTestNow);
    write_chain(specs_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
  }
  void write(const std::string& name, const Der& der) const {
    std::ofstream(path(name), std::ios::binary)
        .write(reinterpret_cast<const char*>(der.data()), static_cast<std::streamsize>(der.size()));
  }

  void write_chain(const std::vector<CertSpec>& specs) {
    chain_ = x509::testing::build_chain(specs);
    write("leaf.pem", x509::testing::to_pem(chain_[0]));
    write("leaf.der", chain_[0]);
    write("intermediate.pem", x509::testing::to_pem(chain_[1]));
    write("root.pem", x509::testing::to_pem(chain_[2]));
    write("chain.pem", x509::testing::to_pem(chain_[0]) + x509::testing::to_pem(chain_[1]));
  }

  VerifyRequest request() const {
    VerifyRequest r;
    r.leaf = path("leaf.pem");
    r.untrusted = {path("intermediate.pem")};
    r.anchors = {path("root.pem")};
    r.time = kTestNow;
    return r;
  }

  static VerifyOutcome run(const VerifyRequest& r) { return verify_certificate_chain(r, openssl_crypto()); }

  // expect_input_error runs r and expects a UserError with exit_code whose message contains text.
  static void expect_input_error(const VerifyRequest& r, int exit_code, const std::string& text) {
    try {
      run(r);
      ADD_FAILURE() << "no UserError";
    } catch (const host::UserError& e) {
      EXPECT_EQ(e.exit_code(), exit_code);
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  }

  fs::path dir_;
  std::vector<CertSpec> specs_;
  x509::testing::Chain chain_;
};

TEST_F(CertVerifyTest, ValidChainReportsPathAndAnchor) {
  const VerifyOutcome o = run(request());
  ASSERT_TRUE(o.valid) << render_text(o);
  EXPECT_EQ(o.exit_code, host::kExitOk);
  ASSERT_EQ(o.path.size(), 3u);
  EXPECT_EQ(o.path[0].role, "leaf");
  EXPECT_EQ(o.path[0].file, path("leaf.pem"));
  EXPECT_EQ(o.path[0].subject, "CN=FT Code Signer,O=FieldTrust Test");
  EXPECT_EQ(o.path[0].key, "EC P-256");
  EXPECT_EQ(o.path[1].role, "intermediate");
  EXPECT_EQ(o.path[1].file, path("intermediate.pem"));
  EXPECT_EQ(o.path[1].key, "EC P-384");
  EXPECT_EQ(o.path[2].role, "anchor");
  EXPECT_EQ(o.path[2].file, path("root.pem") + " (certificate)");
  EXPECT_EQ(o.anchor.value_or(""), path("root.pem") + " (certificate)");
  EXPECT_EQ(o.signatures_verified, 2u);
  EXPECT_TRUE(o.findings.empty());
  EXPECT_NE(render_text(o).find("VALID"), std::string::npos);
}

TEST_F(CertVerifyTest, LeafFileMayHoldTheChainAndDerWorks) {
  VerifyRequest r = request();
  r.leaf = path("chain.pem");
  r.untrusted.clear();
  VerifyOutcome o = run(r);
  ASSERT_TRUE(o.valid) << render_text(o);
  EXPECT_EQ(o.path[0].file, path("chain.pem") + "#1");
  EXPECT_EQ(o.path[1].file, path("chain.pem") + "#2");

  r = request();
  r.leaf = path("leaf.der");
  o = run(r);
  EXPECT_TRUE(o.valid) << render_text(o);
}

TEST_F(CertVerifyTest, RejectionNamesFileCodeAndPosition) {
  specs_[0].eku = {x509::testing::kOidServerAuth};
  specs_[1].not_after = kTestNow - 86400;
  write_chain(specs_);
  const VerifyOutcome o = run(request());
  EXPECT_FALSE(o.valid);
  EXPECT_EQ(o.exit_code, host::kExitRejected);
  EXPECT_EQ(o.code, Code::cert_leaf_eku);
  ASSERT_EQ(o.findings.size(), 2u);
  EXPECT_EQ(o.findings[0].position, 0);
  EXPECT_EQ(o.findings[0].file, path("leaf.pem"));
  EXPECT_EQ(o.findings[1].code, Code::cert_expired);
  EXPECT_EQ(o.findings[1].position, 1);
  EXPECT_EQ(o.findings[1].file, path("intermediate.pem"));

  const nlohmann::json j = to_json(o);
  EXPECT_EQ(j["verdict"], "rejected");
  EXPECT_EQ(j["reason"], "cert_leaf_eku");
  EXPECT_EQ(j["code"], 214);
  EXPECT_EQ(j["errors"][1]["reason"], "cert_expired");
  EXPECT_EQ(j["errors"][1]["file"], path("intermediate.pem"));
  EXPECT_EQ(j["time_mode"], "clock");
  EXPECT_EQ(j["time"], "2026-06-01T00:00:00Z");
  EXPECT_EQ(j["path"].size(), 3u);

  const std::string text = render_text(o);
  EXPECT_NE(text.find("REJECTED: cert_leaf_eku"), std::string::npos) << text;
  EXPECT_NE(text.find("[1] " + path("intermediate.pem") + ": cert_expired"), std::string::npos) << text;
}

TEST_F(CertVerifyTest, MalformedCertificatesAreVerdicts) {
  Der broken = chain_[0];
  broken.push_back(0x00);  // trailing byte
  write("leaf-trailing.der", broken);
  VerifyRequest r = request();
  r.leaf = path("leaf-trailing.der");
  VerifyOutcome o = run(r);
  EXPECT_FALSE(o.valid);
  EXPECT_EQ(o.exit_code, host::kExitRejected);
  EXPECT_EQ(o.code, Code::trailing_data);
  ASSERT_EQ(o.findings.size(), 1u);
  EXPECT_EQ(o.findings[0].file, path("leaf-trailing.der"));

  write("intermediate-broken.pem", x509::testing::to_pem(Der(chain_[1].begin(), chain_[1].end() - 1)));
  r = request();
  r.untrusted = {path("intermediate-broken.pem")};
  o = run(r);
  EXPECT_EQ(o.exit_code, host::kExitRejected);
  EXPECT_EQ(o.code, Code::truncated);
  EXPECT_EQ(o.findings[0].position, -1);
  EXPECT_EQ(o.findings[0].file, path("intermediate-broken.pem"));
}

TEST_F(CertVerifyTest, UnusableInputThrowsWithTheFileName) {
  VerifyRequest r = request();
  r.leaf = path("missing.pem");
  expect_input_error(r, host::kExitInput, "missing.pem");

  write("garbage.bin", std::string("hello, not a certificate"));
  r = request();
  r.leaf = path("garbage.bin");
  expect_input_error(r, host::kExitInput, "garbage.bin: neither PEM nor a DER certificate");

  write("empty.pem", std::string());
  r.leaf = path("empty.pem");
  expect_input_error(r, host::kExitInput, "empty.pem: file is empty");

  write("broken.pem", std::string("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
  r.leaf = path("broken.pem");
  expect_input_error(r, host::kExitInput, "broken.pem: PEM block #1 is broken");

  write(
      "key.pem",
      std::string("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END "
                  "PUBLIC KEY-----\n"));
  r.leaf = path("key.pem");
  expect_input_error(r, host::kExitInput, "key.pem: PEM file holds no CERTIFICATE block");

  r = request();
  r.anchors = {path("garbage.bin")};
  expect_input_error(r, host::kExitInput, "garbage.bin: not a trust anchor");
  r.anchors = {"sha256:1234"};
  expect_input_error(r, host::kExitInput, "64 hex digits");
  r.anchors = {};
  expect_input_error(r, host::kExitUsage, "no trust anchor");

  r = request();
  r.untrusted.assign(x509::kMaxChain + 1, path("intermediate.pem"));
  expect_input_error(r, host::kExitInput, "at most 6");
}

TEST_F(CertVerifyTest, SpkiPinAndPublicKeyAnchors) {
  Result<x509::Certificate> root = x509::parse_certificate(chain_[2]);
  ASSERT_TRUE(root.ok());
  unsigned char md[32];
  unsigned int len = 0;
  ASSERT_EQ(EVP_Digest(root->spki.data(), root->spki.size(), md, &len, EVP_sha256(), nullptr), 1);
  const std::string pin = "sha256:" + host::to_hex(Bytes(md, len));

  VerifyRequest r = request();
  r.anchors = {pin};
  VerifyOutcome o = run(r);
  EXPECT_FALSE(o.valid);  // the root must travel with the untrusted certificates
  EXPECT_EQ(o.code, Code::cert_untrusted_root);
  r.untrusted.push_back(path("root.pem"));
  o = run(r);
  ASSERT_TRUE(o.valid) << render_text(o);
  EXPECT_EQ(o.path.back().file, path("root.pem"));
  EXPECT_NE(o.anchor.value_or("").find("SPKI SHA-256 pin"), std::string::npos);

  write("pin.txt", pin + "\n");
  r.anchors = {path("pin.txt")};
  EXPECT_TRUE(run(r).valid);

  // The intermediate's public key as a raw-key anchor: the path is the leaf alone.
  Result<x509::Certificate> intermediate = x509::parse_certificate(chain_[1]);
  ASSERT_TRUE(intermediate.ok());
  write("intermediate-key.der", Der(intermediate->spki.begin(), intermediate->spki.end()));
  r = request();
  r.untrusted.clear();
  r.anchors = {path("intermediate-key.der")};
  o = run(r);
  ASSERT_TRUE(o.valid) << render_text(o);
  EXPECT_EQ(o.path.size(), 1u);
  EXPECT_NE(o.anchor.value_or("").find("(public key)"), std::string::npos);
}

TEST_F(CertVerifyTest, TimeModesAreRecorded) {
  specs_[0].not_after = kTestNow - 10;
  write_chain(specs_);
  VerifyRequest r = request();
  VerifyOutcome o = run(r);
  EXPECT_EQ(o.code, Code::cert_expired);
  r.time_mode = x509::TimeMode::none;
  o = run(r);
  EXPECT_TRUE(o.valid);
  EXPECT_FALSE(o.validity_checked);
  EXPECT_EQ(to_json(o)["time"], nullptr);
  EXPECT_NE(render_text(o).find("NOT checked"), std::string::npos);
  r.time_mode = x509::TimeMode::floor;
  r.time = kTestNow - 100;  // the floor is before notAfter: not provably expired
  EXPECT_TRUE(run(r).valid);
}

TEST(ParseTimeText, Forms) {
  EXPECT_EQ(parse_time_text("@1780272000", "--at"), 1780272000);
  EXPECT_EQ(parse_time_text("1780272000", "--at"), 1780272000);
  EXPECT_EQ(parse_time_text("2026-06-01", "--at"), 1780272000);
  EXPECT_EQ(parse_time_text("2026-06-01T12:30:15Z", "--at"), 1780272000 + 12 * 3600 + 30 * 60 + 15);
  EXPECT_GT(parse_time_text("now", "--at"), 1700000000);
  for (const char* bad : {"2026-13-01", "2026-02-30", "2026-06-01T24:00:00Z", "yesterday", "2026-06-01 12:00:00",
                          "2026-06-01T12:00:00+01:00", "@"}) {
    try {
      parse_time_text(bad, "--at");
      ADD_FAILURE() << bad;
    } catch (const host::UserError& e) {
      EXPECT_EQ(e.exit_code(), host::kExitUsage);
      EXPECT_NE(std::string(e.what()).find("--at"), std::string::npos);
    }
  }
  EXPECT_EQ(format_time(1780272000), "2026-06-01T00:00:00Z");
}

}  // namespace
}  // namespace ft::x509tool
