#include "ft/keys/pkcs11_signer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "ft/host/error.h"
#include "openssl_verify.h"
#include "pkcs11_module.h"
#include "softhsm_fixture.h"

namespace ft::keys {
namespace {

using host::UserError;

const std::uint8_t kMessage[] = {'f', 'i', 'e', 'l', 'd', ' ', 'i', 'm', 'a', 'g', 'e'};

// failure_of returns the UserError fn throws; fails the test when fn does not throw.
template <typename Fn>
UserError failure_of(Fn fn) {
  try {
    fn();
  } catch (const UserError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a UserError";
  return UserError("");
}

class Pkcs11Signer : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("FT_PKCS11_PIN");
    ::unsetenv("FT_PKCS11_MODULE");
  }
  testing::SoftHsmToken token_;
};

class Pkcs11SignerAlgorithms : public Pkcs11Signer, public ::testing::WithParamInterface<SignatureAlgorithm> {};

TEST_P(Pkcs11SignerAlgorithms, GeneratedKeySignsAndOpenSslVerifies) {
  const SignatureAlgorithm alg = GetParam();
  std::vector<std::uint8_t> spki;
  std::string source;
  {
    auto signer = generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("fw-key")), alg);
    EXPECT_EQ(signer->algorithm(), alg);
    spki = signer->public_key_spki_der();
    source = signer->source();
    const auto signature = signer->sign(kMessage);
    EXPECT_EQ(signature.size(), alg == SignatureAlgorithm::es384 ? 96u : 64u);
    EXPECT_TRUE(testing::verify_cose_signature(spki, alg, kMessage, signature));
    std::vector<std::uint8_t> other(std::begin(kMessage), std::end(kMessage));
    other.back() ^= 1;
    EXPECT_FALSE(testing::verify_cose_signature(spki, alg, other, signature));
    // X.509 form verifies against the same public key.
    const auto x509_signature = signer->sign_x509(kMessage);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const EVP_MD* md = alg == SignatureAlgorithm::es256 ? EVP_sha256() : alg == SignatureAlgorithm::es384 ? EVP_sha384() : nullptr;
    ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, signer->public_key()), 1);
    EXPECT_EQ(EVP_DigestVerify(ctx, x509_signature.data(), x509_signature.size(), kMessage, sizeof(kMessage)), 1);
    EVP_MD_CTX_free(ctx);
  }
  // source() names token, label and the generated id, but never the PIN.
  EXPECT_EQ(source.find(token_.pin()), std::string::npos);
  EXPECT_NE(source.find("object=fw-key"), std::string::npos);
  EXPECT_NE(source.find(";id=%"), std::string::npos);
  EXPECT_NE(source.find("type=private"), std::string::npos);

  // Re-open by label alone (new session, new login) and by the recorded source + PIN from env.
  auto by_label = open_signer(token_.key_uri("fw-key"));
  EXPECT_EQ(by_label->public_key_spki_der(), spki);
  EXPECT_TRUE(testing::verify_cose_signature(spki, alg, kMessage, by_label->sign(kMessage)));
  by_label.reset();
  ::setenv("FT_PKCS11_PIN", token_.pin().c_str(), 1);
  auto by_source = open_signer(source);
  EXPECT_EQ(by_source->public_key_spki_der(), spki);
  EXPECT_TRUE(testing::verify_cose_signature(spki, alg, kMessage, by_source->sign(kMessage)));
}

INSTANTIATE_TEST_SUITE_P(All, Pkcs11SignerAlgorithms,
                         ::testing::Values(SignatureAlgorithm::es256, SignatureAlgorithm::es384,
                                           SignatureAlgorithm::ed25519),
                         [](const auto& param_info) { return std::string(key_algorithm_name(param_info.param)); });

TEST_F(Pkcs11Signer, PrivateKeyIsSensitiveNonExtractableTokenObject) {
  const Pkcs11Uri uri = parse_pkcs11_uri(token_.key_uri("guarded"));
  generate_pkcs11_keypair(uri, SignatureAlgorithm::es256).reset();
  auto session = pkcs11::Session::open(uri, false, "test");
  const CK_OBJECT_CLASS private_class = CKO_PRIVATE_KEY;
  const auto keys = session->find_objects({{CKA_CLASS, const_cast<CK_OBJECT_CLASS*>(&private_class), sizeof(private_class)},
                                           {CKA_LABEL, const_cast<char*>("guarded"), 7}});
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(session->attribute(keys[0], CKA_TOKEN), std::vector<std::uint8_t>{CK_TRUE});
  EXPECT_EQ(session->attribute(keys[0], CKA_SENSITIVE), std::vector<std::uint8_t>{CK_TRUE});
  EXPECT_EQ(session->attribute(keys[0], CKA_EXTRACTABLE), std::vector<std::uint8_t>{CK_FALSE});
  EXPECT_EQ(session->attribute(keys[0], CKA_SIGN), std::vector<std::uint8_t>{CK_TRUE});
  // The private value cannot be read out.
  CK_ATTRIBUTE value{CKA_VALUE, nullptr, 0};
  EXPECT_NE(session->f()->C_GetAttributeValue(session->handle(), keys[0], &value, 1), static_cast<CK_RV>(CKR_OK));
}

TEST_F(Pkcs11Signer, TwoSignersOnOneTokenShareTheModule) {
  auto first = generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("one")), SignatureAlgorithm::es256);
  auto second = generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("two")), SignatureAlgorithm::ed25519);
  EXPECT_NE(first->public_key_spki_der(), second->public_key_spki_der());
  EXPECT_TRUE(testing::verify_cose_signature(first->public_key_spki_der(), SignatureAlgorithm::es256, kMessage,
                                             first->sign(kMessage)));
  EXPECT_TRUE(testing::verify_cose_signature(second->public_key_spki_der(), SignatureAlgorithm::ed25519, kMessage,
                                             second->sign(kMessage)));
  first.reset();  // the module stays initialised for the second signer
  EXPECT_TRUE(testing::verify_cose_signature(second->public_key_spki_der(), SignatureAlgorithm::ed25519, kMessage,
                                             second->sign(kMessage)));
}

TEST_F(Pkcs11Signer, UriFileWorksAsKeySpec) {
  generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("from-file")), SignatureAlgorithm::es384).reset();
  const std::string path = token_.directory() + "/signer.key.uri";
  std::ofstream(path) << token_.key_uri("from-file") << "\n";
  EXPECT_EQ(open_signer(path)->algorithm(), SignatureAlgorithm::es384);
  std::ofstream(path) << token_.key_uri("absent") << "\n";
  const UserError error = failure_of([&] { (void)open_signer(path); });
  EXPECT_NE(std::string(error.what()).find(path), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("no private key"), std::string::npos);
}

TEST_F(Pkcs11Signer, WrongPinIsAnEnvironmentErrorWithoutThePin) {
  generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("k")), SignatureAlgorithm::es256).reset();
  const std::string uri = "pkcs11:token=" + token_.label() + ";object=k?pin-value=9999&module-path=" +
                          testing::SoftHsmToken::module_path();
  const UserError error = failure_of([&] { (void)open_signer(uri); });
  const std::string message = error.what();
  EXPECT_NE(message.find("wrong PIN"), std::string::npos) << message;
  EXPECT_NE(message.find("CKR_PIN_INCORRECT"), std::string::npos) << message;
  EXPECT_EQ(message.find("9999"), std::string::npos);
  EXPECT_EQ(error.exit_code(), host::kExitEnvironment);
}

TEST_F(Pkcs11Signer, MissingPinObjectTokenAndModuleAreNamed) {
  generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("k")), SignatureAlgorithm::es256).reset();
  const std::string module = "&module-path=" + testing::SoftHsmToken::module_path();

  std::string message = failure_of([&] {
    (void)open_signer("pkcs11:token=" + token_.label() + ";object=k?module-path=" + testing::SoftHsmToken::module_path());
  }).what();
  EXPECT_NE(message.find("needs a PIN"), std::string::npos) << message;
  EXPECT_NE(message.find("FT_PKCS11_PIN"), std::string::npos) << message;

  const UserError missing_object = failure_of([&] { (void)open_signer(token_.key_uri("nope")); });
  EXPECT_NE(std::string(missing_object.what()).find("object=nope"), std::string::npos);
  EXPECT_NE(std::string(missing_object.what()).find("no private key"), std::string::npos);
  EXPECT_EQ(missing_object.exit_code(), host::kExitEnvironment);

  message = failure_of([&] { (void)open_signer("pkcs11:token=other;object=k?pin-value=1234" + module); }).what();
  EXPECT_NE(message.find("no token matches"), std::string::npos) << message;
  EXPECT_NE(message.find("\"" + token_.label() + "\""), std::string::npos) << message;  // lists what exists

  message = failure_of([&] { (void)open_signer("pkcs11:token=x;object=k?pin-value=1&module-path=/nonexistent/p11.so"); }).what();
  EXPECT_NE(message.find("cannot load PKCS#11 module /nonexistent/p11.so"), std::string::npos) << message;

  message = failure_of([&] { (void)open_signer("pkcs11:object=k?pin-value=1234" + module); }).what();
  EXPECT_NE(message.find("names no token"), std::string::npos) << message;

  message = failure_of([&] { (void)open_signer("pkcs11:token=" + token_.label() + "?pin-value=1234" + module); }).what();
  EXPECT_NE(message.find("names no key"), std::string::npos) << message;

  message = failure_of([&] { (void)open_signer("pkcs11:token=" + token_.label() + ";object=k;type=public?pin-value=1234" + module); }).what();
  EXPECT_NE(message.find("type=public cannot sign"), std::string::npos) << message;

  const UserError bad_uri = failure_of([&] { (void)open_signer("pkcs11:token=a;flavour=x"); });
  EXPECT_NE(std::string(bad_uri.what()).find("\"flavour\""), std::string::npos);
  EXPECT_EQ(bad_uri.exit_code(), host::kExitInput);
}

TEST_F(Pkcs11Signer, GenerationRefusesDuplicateLabelsAndRsa) {
  generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("dup")), SignatureAlgorithm::es256).reset();
  std::string message = failure_of([&] {
    (void)generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("dup")), SignatureAlgorithm::es256);
  }).what();
  EXPECT_NE(message.find("already holds an object labelled \"dup\""), std::string::npos) << message;
  message = failure_of([&] {
    (void)generate_pkcs11_keypair(parse_pkcs11_uri(token_.key_uri("rsa")), SignatureAlgorithm::ps256);
  }).what();
  EXPECT_NE(message.find("not RSA"), std::string::npos) << message;
  message = failure_of([&] { (void)generate_pkcs11_keypair(parse_pkcs11_uri(token_.token_uri()), SignatureAlgorithm::es256); }).what();
  EXPECT_NE(message.find("needs object="), std::string::npos) << message;
}

}  // namespace
}  // namespace ft::keys
