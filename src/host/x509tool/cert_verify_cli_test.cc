// End to end: the `fieldtrust cert verify` binary on generated certificate files — exit codes,
// text and JSON reports, and messages for bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cert_builder.h"

#ifndef FIELDTRUST_BIN
#error "FIELDTRUST_BIN must name the fieldtrust executable"
#endif

namespace {

namespace fs = std::filesystem;
using ft::x509::testing::chain_specs;
using ft::x509::testing::KeyKind;
using ft::x509::testing::kTestNow;

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

CliRun run(const std::string& args) {
  const std::string command = std::string(FIELDTRUST_BIN) + " " + args + " 2>&1";
  CliRun r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CertVerifyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ft-cert-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto specs = chain_specs({KeyKind::ed25519, KeyKind::p256, KeyKind::p384}, kTestNow);
    auto chain = ft::x509::testing::build_chain(specs);
    write("leaf.pem", ft::x509::testing::to_pem(chain[0]));
    write("intermediate.pem", ft::x509::testing::to_pem(chain[1]));
    write("root.pem", ft::x509::testing::to_pem(chain[2]));
    specs[0].eku = {ft::x509::testing::kOidAnyEku};
    write("leaf-any-eku.pem", ft::x509::testing::to_pem(ft::x509::testing::build_certificate(specs[0])));
    write("garbage.pem", "this is not a certificate\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string p(const std::string& name) const { return (dir_ / name).string(); }
  std::string common() const {
    return "cert verify --anchor " + p("root.pem") + " --untrusted " + p("intermediate.pem") + " --at @" +
           std::to_string(kTestNow) + " ";
  }

  fs::path dir_;
};

TEST_F(CertVerifyCli, ValidChainExitsZero) {
  const CliRun r = run(common() + p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("VALID"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[2] anchor: CN=FT Root CA,O=FieldTrust Test"), std::string::npos) << r.out;
}

TEST_F(CertVerifyCli, RejectedChainExitsOneWithReason) {
  CliRun r = run(common() + p("leaf-any-eku.pem"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("REJECTED: cert_leaf_eku"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(p("leaf-any-eku.pem") + ": cert_leaf_eku"), std::string::npos) << r.out;

  r = run(common() + "--purpose any " + p("leaf-any-eku.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.out;

  r = run(common() + "--json " + p("leaf-any-eku.pem"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "rejected");
  EXPECT_EQ(j["reason"], "cert_leaf_eku");
  EXPECT_EQ(j["errors"][0]["file"], p("leaf-any-eku.pem"));
  EXPECT_EQ(j["errors"][0]["position"], 0);
  EXPECT_EQ(j["path"][1]["key"], "EC P-256");
}

TEST_F(CertVerifyCli, TimeModes) {
  CliRun r = run("cert verify --anchor " + p("root.pem") + " -u " + p("intermediate.pem") + " --at 2040-01-01 " +
                 p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("cert_expired"), std::string::npos) << r.out;
  r = run("cert verify --anchor " + p("root.pem") + " -u " + p("intermediate.pem") +
          " --at 2040-01-01 --time-mode none " + p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("validity periods NOT checked"), std::string::npos) << r.out;
  r = run("cert verify --anchor " + p("root.pem") + " -u " + p("intermediate.pem") + " --time-mode floor " +
          p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("--time-mode floor needs --at"), std::string::npos) << r.out;
}

TEST_F(CertVerifyCli, BadInputExitsThreeAndNamesTheFile) {
  CliRun r = run(common() + p("missing.pem"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("missing.pem"), std::string::npos) << r.out;
  r = run(common() + p("garbage.pem"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("garbage.pem"), std::string::npos) << r.out;
  r = run("cert verify --anchor " + p("garbage.pem") + " " + p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find("garbage.pem: not a trust anchor"), std::string::npos) << r.out;
}

TEST_F(CertVerifyCli, UsageAndHelp) {
  CliRun r = run("cert verify " + p("leaf.pem"));  // no --anchor
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = run("cert verify --at yesterday --anchor " + p("root.pem") + " " + p("leaf.pem"));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = run("cert verify --help");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* section : {"DESCRIPTION", "ANCHORS", "TIME", "EXIT STATUS", "EXAMPLES", "--untrusted"}) {
    EXPECT_NE(r.out.find(section), std::string::npos) << section;
  }
}

}  // namespace
