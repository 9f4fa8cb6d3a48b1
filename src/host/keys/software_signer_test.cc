#include "ft/keys/software_signer.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "openssl_verify.h"

namespace ft::keys {
namespace {

using host::UserError;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ft-keys-test-XXXXXX").string();
    EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

const std::uint8_t kMessage[] = {'f', 'i', 'r', 'm', 'w', 'a', 'r', 'e'};

std::string write_pem(const TempDir& dir, const std::string& name, const std::string& pem, unsigned mode = 0600) {
  const std::string path = dir.file(name);
  host::write_file_atomic(path, pem, mode);
  return path;
}

// message_of returns the UserError message fn throws ("" when it does not throw).
template <typename Fn>
std::string message_of(Fn fn) {
  try {
    fn();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

class SoftwareSignerAlgorithms : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(SoftwareSignerAlgorithms, SignaturesVerifyWithOpenSslAndDetectTampering) {
  const SignatureAlgorithm alg = GetParam();
  auto signer = generate_software_signer(alg, "test key");
  EXPECT_EQ(signer->algorithm(), alg);
  const std::vector<std::uint8_t> signature = signer->sign(kMessage);
  const std::size_t expected = alg == SignatureAlgorithm::es256   ? 64
                               : alg == SignatureAlgorithm::es384 ? 96
                               : alg == SignatureAlgorithm::ed25519 ? 64
                                                                    : 384;
  EXPECT_EQ(signature.size(), expected);
  const auto spki = signer->public_key_spki_der();
  EXPECT_TRUE(testing::verify_cose_signature(spki, alg, kMessage, signature));
  std::vector<std::uint8_t> tampered(std::begin(kMessage), std::end(kMessage));
  tampered[0] ^= 1;
  EXPECT_FALSE(testing::verify_cose_signature(spki, alg, tampered, signature));
  std::vector<std::uint8_t> bad_signature = signature;
  bad_signature[bad_signature.size() / 2] ^= 0x20;
  EXPECT_FALSE(testing::verify_cose_signature(spki, alg, kMessage, bad_signature));
}

TEST_P(SoftwareSignerAlgorithms, X509SignatureVerifiesDirectlyAndAlgorithmIdentifierMatches) {
  const SignatureAlgorithm alg = GetParam();
  auto signer = generate_software_signer(alg, "test key");
  const std::vector<std::uint8_t> signature = signer->sign_x509(kMessage);

  const std::vector<std::uint8_t> algid = signer->x509_signature_algorithm_der();
  const unsigned char* cursor = algid.data();
  X509_ALGOR* parsed = d2i_X509_ALGOR(nullptr, &cursor, static_cast<long>(algid.size()));
  ASSERT_NE(parsed, nullptr);
  EXPECT_EQ(cursor, algid.data() + algid.size());
  const ASN1_OBJECT* oid = nullptr;
  X509_ALGOR_get0(&oid, nullptr, nullptr, parsed);
  const int expected_nid = alg == SignatureAlgorithm::es256   ? NID_ecdsa_with_SHA256
                           : alg == SignatureAlgorithm::es384 ? NID_ecdsa_with_SHA384
                           : alg == SignatureAlgorithm::ed25519 ? NID_ED25519
                                                                : NID_rsassaPss;
  EXPECT_EQ(OBJ_obj2nid(oid), expected_nid);
  X509_ALGOR_free(parsed);

  // X.509 form is what EVP_DigestVerify takes without conversion (DER for ECDSA).
  const EVP_MD* md = alg == SignatureAlgorithm::es384 ? EVP_sha384()
                     : alg == SignatureAlgorithm::ed25519 ? nullptr
                                                          : EVP_sha256();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, signer->public_key()), 1);
  if (alg == SignatureAlgorithm::ps256) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
  }
  EXPECT_EQ(EVP_DigestVerify(ctx, signature.data(), signature.size(), kMessage, sizeof(kMessage)), 1);
  EVP_MD_CTX_free(ctx);
}

INSTANTIATE_TEST_SUITE_P(All, SoftwareSignerAlgorithms,
                         ::testing::Values(SignatureAlgorithm::es256, SignatureAlgorithm::es384,
                                           SignatureAlgorithm::ed25519, SignatureAlgorithm::ps256),
                         [](const auto& param_info) { return std::string(key_algorithm_name(param_info.param)); });

TEST(SoftwareSigner, PublicKeyIsThePublicHalfOnly) {
  auto signer = generate_software_signer(SignatureAlgorithm::es256, "k");
  EVP_PKEY* pub = signer->public_key();
  ASSERT_NE(pub, nullptr);
  EXPECT_EQ(pub, signer->public_key());  // cached, owned by the signer
  // The public EVP_PKEY has no private part: signing with it fails.
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  const bool signs = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pub) == 1 &&
                     EVP_DigestSign(ctx, nullptr, &length, kMessage, sizeof(kMessage)) == 1 && length > 0 &&
                     [&] {
                       std::vector<unsigned char> sig(length);
                       return EVP_DigestSign(ctx, sig.data(), &length, kMessage, sizeof(kMessage)) == 1;
                     }();
  EXPECT_FALSE(signs);
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
}

TEST(PemKeys, Pkcs8AndTraditionalFormsLoadToTheSameKey) {
  TempDir dir;
  for (SignatureAlgorithm alg : {SignatureAlgorithm::es256, SignatureAlgorithm::es384, SignatureAlgorithm::ed25519}) {
    auto original = generate_software_signer(alg, "k");
    const std::string pkcs8 = write_pem(dir, "pkcs8.pem", original->private_key_pem(SecretAccess()));
    auto loaded = open_signer(pkcs8);
    EXPECT_EQ(loaded->algorithm(), alg);
    EXPECT_EQ(loaded->public_key_spki_der(), original->public_key_spki_der());
    EXPECT_EQ(loaded->source(), pkcs8);
    EXPECT_TRUE(testing::verify_cose_signature(original->public_key_spki_der(), alg, kMessage, loaded->sign(kMessage)));
  }
  // Traditional "EC PRIVATE KEY" written by the openssl command line tool.
  const std::string traditional = dir.file("ec.pem");
  ASSERT_EQ(std::system(("openssl ecparam -name secp384r1 -genkey -noout -out " + traditional + " 2>/dev/null").c_str()), 0);
  ::chmod(traditional.c_str(), 0600);
  EXPECT_NE(host::read_text_file(traditional).find("BEGIN EC PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(open_signer(traditional)->algorithm(), SignatureAlgorithm::es384);
}

TEST(PemKeys, RejectsWithReasonsNamingTheFile) {
  TempDir dir;
  auto key = generate_software_signer(SignatureAlgorithm::es256, "k");

  // Encrypted PKCS#8.
  char passphrase[] = "pass";
  const std::string clear_pem = key->private_key_pem(SecretAccess());
  BIO* in = BIO_new_mem_buf(clear_pem.data(), static_cast<int>(clear_pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  ASSERT_NE(pkey, nullptr);
  BIO* out = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_256_cbc(), passphrase, 4, nullptr, nullptr), 1);
  char* data = nullptr;
  const long length = BIO_get_mem_data(out, &data);
  const std::string encrypted = write_pem(dir, "enc.pem", std::string(data, static_cast<std::size_t>(length)));
  BIO_free(out);
  EVP_PKEY_free(pkey);
  std::string message = message_of([&] { (void)open_signer(encrypted); });
  EXPECT_NE(message.find(encrypted), std::string::npos);
  EXPECT_NE(message.find("encrypted"), std::string::npos);

  const std::string not_pem = write_pem(dir, "garbage.pem", "hello\n");
  EXPECT_NE(message_of([&] { (void)open_signer(not_pem); }).find("not a PEM file"), std::string::npos);

  const std::string public_only = write_pem(dir, "pub.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  EXPECT_NE(message_of([&] { (void)open_signer(public_only); }).find("holds no private key"), std::string::npos);

  const std::string broken = write_pem(dir, "broken.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  EXPECT_NE(message_of([&] { (void)open_signer(broken); }).find("does not parse"), std::string::npos);

  const std::string missing = dir.file("missing.pem");
  try {
    (void)open_signer(missing);
    ADD_FAILURE() << "missing file accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
    EXPECT_EQ(e.exit_code(), host::kExitInput);
  }

  // A curve FieldTrust does not sign with.
  const std::string k1 = dir.file("k1.pem");
  ASSERT_EQ(std::system(("openssl ecparam -name secp256k1 -genkey -noout -out " + k1 + " 2>/dev/null").c_str()), 0);
  EXPECT_NE(message_of([&] { (void)open_signer(k1); }).find("secp256k1"), std::string::npos);
}

TEST(PemKeys, WarnsAboutGroupOrWorldReadableKeysButUsesThem) {
  TempDir dir;
  auto key = generate_software_signer(SignatureAlgorithm::ed25519, "k");
  const std::string pem = key->private_key_pem(SecretAccess());
  std::vector<std::string> warnings;
  SignerOptions options;
  options.warn = [&](const std::string& w) { warnings.push_back(w); };

  const std::string private_file = write_pem(dir, "private.pem", pem, 0600);
  (void)open_signer(private_file, options);
  EXPECT_TRUE(warnings.empty());

  const std::string group_file = write_pem(dir, "group.pem", pem, 0640);
  (void)open_signer(group_file, options);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(group_file), std::string::npos);
  EXPECT_NE(warnings[0].find("its group"), std::string::npos);

  const std::string world_file = write_pem(dir, "world.pem", pem, 0644);
  auto signer = open_signer(world_file, options);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[1].find("everyone"), std::string::npos);
  EXPECT_NE(warnings[1].find("0644"), std::string::npos);
  EXPECT_EQ(signer->public_key_spki_der(), key->public_key_spki_der());
}

TEST(SignatureAlgorithmNames, AreStable) {
  EXPECT_EQ(cose_algorithm_id(SignatureAlgorithm::es256), -7);
  EXPECT_EQ(cose_algorithm_id(SignatureAlgorithm::es384), -35);
  EXPECT_EQ(cose_algorithm_id(SignatureAlgorithm::ed25519), -8);
  EXPECT_EQ(cose_algorithm_id(SignatureAlgorithm::ps256), -37);
  EXPECT_STREQ(algorithm_name(SignatureAlgorithm::ed25519), "EdDSA");
  EXPECT_EQ(parse_key_algorithm("p384"), SignatureAlgorithm::es384);
  EXPECT_FALSE(parse_key_algorithm("P-256"));
  EXPECT_FALSE(parse_key_algorithm("rsa"));
}

}  // namespace
}  // namespace ft::keys
