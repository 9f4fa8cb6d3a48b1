#include "ft/pki/dev_pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/keys/pkcs11_uri.h"
#include "openssl_verify.h"
#include "pki_test_util.h"
#include "softhsm_fixture.h"

namespace ft::pki {
namespace {

using host::UserError;
using keys::SignatureAlgorithm;
using keys::UniqueX509;
using testing::has_eku;
using testing::TempDir;
using testing::verify_chain;

unsigned mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

UniqueX509 load_one(const std::string& path) { return std::move(load_certificates(path).front()); }

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(host::read_text_file(path)); }

// check_pki verifies a pki init directory with OpenSSL alone: every chain, every EKU, every
// key file matching its certificate, the manifest listing exactly the files on disk.
void check_pki(const std::string& dir, SignatureAlgorithm alg, bool in_token) {
  UniqueX509 root = load_one(dir + "/root.pem");
  UniqueX509 intermediate = load_one(dir + "/intermediate.pem");
  struct Leaf {
    const char* stem;
    const char* eku;
  };
  for (const Leaf leaf : {Leaf{"signer", testing::kCodeSigningOid}, Leaf{"device", testing::kClientAuthOid},
                          Leaf{"evidence", testing::kDocumentSigningOid}}) {
    SCOPED_TRACE(leaf.stem);
    UniqueX509 cert = load_one(dir + "/" + leaf.stem + ".pem");
    EXPECT_EQ(verify_chain(root.get(), {intermediate.get()}, cert.get()), X509_V_OK);
    EXPECT_TRUE(has_eku(cert.get(), leaf.eku));
    // The chain file: leaf then intermediate, and it verifies as delivered.
    auto chain = load_certificates(dir + "/" + leaf.stem + "-chain.pem");
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(X509_cmp(chain[0].get(), cert.get()), 0);
    EXPECT_EQ(X509_cmp(chain[1].get(), intermediate.get()), 0);
    EXPECT_EQ(verify_chain(root.get(), {chain[1].get()}, chain[0].get()), X509_V_OK);
    // The key on disk (file or token) is the certified one, and signs verifiably.
    const std::string key_file = dir + "/" + leaf.stem + (in_token ? ".key.uri" : ".key.pem");
    EXPECT_EQ(mode_of(key_file), in_token ? 0644u : 0600u);
    auto signer = keys::open_signer(key_file);
    EXPECT_EQ(signer->algorithm(), alg);
    EXPECT_EQ(EVP_PKEY_eq(signer->public_key(), X509_get0_pubkey(cert.get())), 1);
    const std::uint8_t message[] = {1, 2, 3};
    EXPECT_TRUE(ft::testing::verify_cose_signature(signer->public_key_spki_der(), alg, message, signer->sign(message)));
  }
  EXPECT_EQ(mode_of(dir + "/root.pem"), 0644u);
  EXPECT_EQ(mode_of(dir + (in_token ? "/root.key.uri" : "/root.key.pem")), in_token ? 0644u : 0600u);

  const nlohmann::json manifest = read_json(dir + "/pki.json");
  EXPECT_EQ(manifest["algorithm"], keys::key_algorithm_name(alg));
  EXPECT_EQ(manifest["key_storage"], in_token ? "pkcs11" : "file");
  std::set<std::string> listed;
  for (const auto& file : manifest["files"]) {
    listed.insert(file["path"].get<std::string>());
    EXPECT_TRUE(host::file_exists(dir + "/" + file["path"].get<std::string>())) << file;
  }
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) on_disk.insert(entry.path().filename().string());
  on_disk.erase("pki.json");
  EXPECT_EQ(listed, on_disk);
  EXPECT_EQ(manifest["certificates"].size(), 5u);
  for (const auto& cert : manifest["certificates"]) {
    EXPECT_EQ(cert["algorithm"], keys::key_algorithm_name(alg));
    EXPECT_EQ(cert.contains("key_uri"), in_token) << cert;
    EXPECT_EQ(cert.contains("key_file"), !in_token) << cert;
    if (in_token) {
      EXPECT_EQ(cert["key_uri"].get<std::string>().find("pin-value"), std::string::npos);
    }
  }
}

class InitAlgorithms : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(InitAlgorithms, WritesAVerifiablePki) {
  TempDir tmp;
  InitOptions options;
  options.directory = tmp.file("pki");
  options.keys.algorithm = GetParam();
  const PkiResult result = init_pki(options);
  EXPECT_EQ(result.files.size(), 14u);  // 5 certs + 3 chains + 5 keys + pki.json
  for (const WrittenFile& file : result.files) EXPECT_TRUE(host::file_exists(file.path)) << file.path;
  check_pki(options.directory, GetParam(), false);

  // Default validity: root 20 years, intermediate 10, leaves 3.
  const std::time_t now = std::time(nullptr);
  auto years_left = [&](const char* name) {
    UniqueX509 cert = load_one(options.directory + "/" + name);
    int days = 0, seconds = 0;
    ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get()));
    return (days + 1) / 365;
  };
  (void)now;
  EXPECT_EQ(years_left("root.pem"), 20);
  EXPECT_EQ(years_left("intermediate.pem"), 10);
  EXPECT_EQ(years_left("signer.pem"), 3);
}

INSTANTIATE_TEST_SUITE_P(All, InitAlgorithms,
                         ::testing::Values(SignatureAlgorithm::es256, SignatureAlgorithm::es384,
                                           SignatureAlgorithm::ed25519),
                         [](const auto& param_info) { return std::string(keys::key_algorithm_name(param_info.param)); });

TEST(InitPki, RefusesToOverwriteUnlessForced) {
  TempDir tmp;
  InitOptions options;
  options.directory = tmp.path();
  init_pki(options);
  const std::string first_root = host::read_text_file(tmp.file("root.pem"));
  try {
    init_pki(options);
    ADD_FAILURE() << "overwrote an existing PKI";
  } catch (const UserError& e) {
    EXPECT_EQ(e.exit_code(), host::kExitUsage);
    EXPECT_NE(std::string(e.what()).find("root.pem"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_EQ(host::read_text_file(tmp.file("root.pem")), first_root);
  // A single stray file is enough to refuse.
  TempDir other;
  host::write_file_atomic(other.file("signer.key.pem"), std::string("keep me"), 0600);
  options.directory = other.path();
  EXPECT_THROW(init_pki(options), UserError);
  EXPECT_EQ(host::read_text_file(other.file("signer.key.pem")), "keep me");

  options.directory = tmp.path();
  options.force = true;
  init_pki(options);
  EXPECT_NE(host::read_text_file(tmp.file("root.pem")), first_root);
  check_pki(tmp.path(), SignatureAlgorithm::es256, false);
}

TEST(InitPki, LeafValidityOverrideMakesExpiredSigners) {
  TempDir tmp;
  InitOptions options;
  options.directory = tmp.path();
  options.leaf_not_before = parse_time("2020-01-01", "nb");
  options.leaf_not_after = parse_time("2021-01-01", "na");
  init_pki(options);
  UniqueX509 root = load_one(tmp.file("root.pem"));
  UniqueX509 ca = load_one(tmp.file("intermediate.pem"));
  UniqueX509 signer = load_one(tmp.file("signer.pem"));
  EXPECT_EQ(verify_chain(root.get(), {ca.get()}, signer.get()), X509_V_ERR_CERT_HAS_EXPIRED);
  EXPECT_EQ(read_json(tmp.file("pki.json"))["certificates"][2]["not_after"], "2021-01-01T00:00:00Z");

  options.leaf_days = 0;
  EXPECT_THROW(init_pki(options), UserError);
}

TEST(SelfSigned, IsACodeSigningLeafThatChainsNowhere) {
  TempDir tmp;
  InitOptions init;
  init.directory = tmp.file("pki");
  init_pki(init);
  SelfSignedOptions options;
  options.directory = tmp.file("self");
  options.keys.algorithm = SignatureAlgorithm::es384;
  const PkiResult result = make_self_signed(options);
  EXPECT_EQ(result.files.size(), 3u);
  UniqueX509 self = load_one(options.directory + "/signer.pem");
  EXPECT_TRUE(testing::is_self_signed(self.get()));
  EXPECT_TRUE(has_eku(self.get(), testing::kCodeSigningOid));
  EXPECT_EQ(X509_get_extension_flags(self.get()) & EXFLAG_CA, 0u);
  UniqueX509 root = load_one(init.directory + "/root.pem");
  UniqueX509 ca = load_one(init.directory + "/intermediate.pem");
  EXPECT_NE(verify_chain(root.get(), {ca.get()}, self.get()), X509_V_OK);
  EXPECT_EQ(mode_of(options.directory + "/signer.key.pem"), 0600u);
  EXPECT_EQ(read_json(options.directory + "/pki.json")["self_signed"], true);
  EXPECT_THROW(make_self_signed(options), UserError);
}

TEST(IssueLeaf, FromAnExistingCaWithNewOrExistingKeys) {
  TempDir tmp;
  InitOptions init;
  init.directory = tmp.file("pki");
  init.keys.algorithm = SignatureAlgorithm::es384;
  init_pki(init);
  UniqueX509 root = load_one(init.directory + "/root.pem");
  UniqueX509 ca = load_one(init.directory + "/intermediate.pem");

  IssueOptions options;
  options.ca_certificate = init.directory + "/intermediate.pem";
  options.ca_key = init.directory + "/intermediate.key.pem";
  options.subject = "/O=Acme/CN=Release 7 Signer";
  options.directory = tmp.file("out");
  options.name = "release7";
  issue_leaf(options);
  UniqueX509 leaf = load_one(options.directory + "/release7.pem");
  EXPECT_EQ(verify_chain(root.get(), {ca.get()}, leaf.get()), X509_V_OK);
  EXPECT_EQ(X509_get_signature_nid(leaf.get()), NID_ecdsa_with_SHA384);
  EXPECT_EQ(EVP_PKEY_get_bits(X509_get0_pubkey(leaf.get())), 384);  // default: the CA's algorithm
  EXPECT_EQ(load_certificates(options.directory + "/release7-chain.pem").size(), 2u);
  EXPECT_EQ(mode_of(options.directory + "/release7.key.pem"), 0600u);
  EXPECT_EQ(subject_text(leaf.get()), "CN=Release 7 Signer,O=Acme");

  // Certify an existing key as an expired device identity.
  IssueOptions device = options;
  device.role = CertificateRole::device_identity;
  device.existing_key = init.directory + "/device.key.pem";
  device.name = "";
  device.validity = Validity{parse_time("2019-01-01", "nb"), parse_time("2020-01-01", "na")};
  issue_leaf(device);
  EXPECT_FALSE(host::file_exists(options.directory + "/device.key.pem"));
  UniqueX509 device_cert = load_one(options.directory + "/device.pem");
  UniqueX509 old_device = load_one(init.directory + "/device.pem");
  EXPECT_EQ(EVP_PKEY_eq(X509_get0_pubkey(device_cert.get()), X509_get0_pubkey(old_device.get())), 1);
  EXPECT_TRUE(has_eku(device_cert.get(), testing::kClientAuthOid));
  EXPECT_EQ(verify_chain(root.get(), {ca.get()}, device_cert.get()), X509_V_ERR_CERT_HAS_EXPIRED);

  // Issued straight from the root: the chain file holds only the leaf.
  IssueOptions from_root = options;
  from_root.ca_certificate = init.directory + "/root.pem";
  from_root.ca_key = init.directory + "/root.key.pem";
  from_root.name = "direct";
  from_root.algorithm = SignatureAlgorithm::ed25519;
  issue_leaf(from_root);
  EXPECT_EQ(load_certificates(options.directory + "/direct-chain.pem").size(), 1u);

  // Wrong CA key for the certificate; existing output without --force.
  IssueOptions wrong = options;
  wrong.ca_key = init.directory + "/root.key.pem";
  wrong.name = "wrong";
  EXPECT_THROW(issue_leaf(wrong), UserError);
  EXPECT_FALSE(host::file_exists(options.directory + "/wrong.pem"));
  EXPECT_THROW(issue_leaf(options), UserError);
}

// End to end with SoftHSM2: every key generated inside the token, certificates issued by token
// keys, the result checked with OpenSSL alone.
class TokenPki : public ::testing::TestWithParam<SignatureAlgorithm> {
 protected:
  ft::testing::SoftHsmToken token_;
};

TEST_P(TokenPki, KeysStayInTheTokenAndCertificatesVerify) {
  TempDir tmp;
  InitOptions options;
  options.directory = tmp.path();
  options.keys.algorithm = GetParam();
  options.keys.pkcs11_uri = token_.token_uri();
  init_pki(options);
  for (const char* stem : {"root", "intermediate", "signer", "device", "evidence"}) {
    EXPECT_FALSE(host::file_exists(tmp.file(std::string(stem) + ".key.pem"))) << stem;
    const std::string uri = host::read_text_file(tmp.file(std::string(stem) + ".key.uri"));
    EXPECT_NE(uri.find("object=fieldtrust-" + std::string(stem) + ";"), std::string::npos) << uri;
    EXPECT_EQ(uri.find(token_.pin()), std::string::npos) << uri;
  }
  ::setenv("FT_PKCS11_PIN", token_.pin().c_str(), 1);  // the .key.uri files carry no PIN
  check_pki(tmp.path(), GetParam(), true);

  // Issue one more leaf with the token CA key, into the token under an explicit label.
  IssueOptions issue;
  issue.ca_certificate = tmp.file("intermediate.pem");
  issue.ca_key = tmp.file("intermediate.key.uri");
  issue.pkcs11_uri = token_.key_uri("release-8");
  issue.directory = tmp.file("release");
  issue_leaf(issue);
  UniqueX509 leaf = load_one(issue.directory + "/signer.pem");
  UniqueX509 root = load_one(tmp.file("root.pem"));
  UniqueX509 ca = load_one(tmp.file("intermediate.pem"));
  EXPECT_EQ(verify_chain(root.get(), {ca.get()}, leaf.get()), X509_V_OK);
  auto signer = keys::open_signer(token_.key_uri("release-8"));
  EXPECT_EQ(EVP_PKEY_eq(signer->public_key(), X509_get0_pubkey(leaf.get())), 1);
  ::unsetenv("FT_PKCS11_PIN");
}

INSTANTIATE_TEST_SUITE_P(All, TokenPki,
                         ::testing::Values(SignatureAlgorithm::es256, SignatureAlgorithm::es384,
                                           SignatureAlgorithm::ed25519),
                         [](const auto& param_info) { return std::string(keys::key_algorithm_name(param_info.param)); });

TEST(TokenPkiLabels, CustomPrefixAndDuplicateLabelsAreRefused) {
  ft::testing::SoftHsmToken token;
  TempDir tmp;
  InitOptions options;
  options.directory = tmp.path();
  options.keys.pkcs11_uri = token.key_uri("acme");
  init_pki(options);
  EXPECT_NE(host::read_text_file(tmp.file("signer.key.uri")).find("object=acme-signer;"), std::string::npos);
  // --force replaces the files but never deletes token keys: the labels are taken.
  options.force = true;
  try {
    init_pki(options);
    ADD_FAILURE() << "reused token labels";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("acme-root"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ft::pki
