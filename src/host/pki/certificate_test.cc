#include "ft/pki/certificate.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include "ft/host/error.h"
#include "ft/keys/software_signer.h"
#include "pki_test_util.h"

namespace ft::pki {
namespace {

using host::UserError;
using keys::SignatureAlgorithm;
using keys::UniqueX509;
using testing::extension_is_critical;
using testing::has_eku;
using testing::verify_chain;

struct Chain {
  std::unique_ptr<keys::SoftwareSigner> root_key, ca_key, leaf_key;
  UniqueX509 root, ca, leaf;
};

Chain make_chain(SignatureAlgorithm alg, CertificateRole leaf_role) {
  Chain c;
  c.root_key = keys::generate_software_signer(alg, "root");
  c.ca_key = keys::generate_software_signer(alg, "ca");
  c.leaf_key = keys::generate_software_signer(alg, "leaf");
  c.root = issue_certificate({CertificateRole::root_ca, "/O=Test/CN=Root", c.root_key.get(), nullptr, nullptr,
                              validity_for_days(7300)});
  c.ca = issue_certificate({CertificateRole::intermediate_ca, "/O=Test/CN=CA", c.ca_key.get(), c.root_key.get(),
                            c.root.get(), validity_for_days(3650)});
  c.leaf = issue_certificate({leaf_role, "/O=Test/CN=Leaf", c.leaf_key.get(), c.ca_key.get(), c.ca.get(),
                              validity_for_days(1095)});
  return c;
}

int expected_signature_nid(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::es256: return NID_ecdsa_with_SHA256;
    case SignatureAlgorithm::es384: return NID_ecdsa_with_SHA384;
    case SignatureAlgorithm::ed25519: return NID_ED25519;
    case SignatureAlgorithm::ps256: return NID_rsassaPss;
  }
  return NID_undef;
}

class Profiles : public ::testing::TestWithParam<SignatureAlgorithm> {};

TEST_P(Profiles, CaAndCodeSigningProfilesAndChainVerify) {
  const SignatureAlgorithm alg = GetParam();
  Chain c = make_chain(alg, CertificateRole::code_signing);
  EXPECT_EQ(verify_chain(c.root.get(), {c.ca.get()}, c.leaf.get()), X509_V_OK);

  for (X509* cert : {c.root.get(), c.ca.get(), c.leaf.get()}) {
    EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
    EXPECT_EQ(X509_get_signature_nid(cert), expected_signature_nid(alg));
    EXPECT_EQ(extension_is_critical(cert, NID_basic_constraints), 1);
    EXPECT_EQ(extension_is_critical(cert, NID_key_usage), 1);
    EXPECT_NE(X509_get0_subject_key_id(cert), nullptr);
    // Serial: positive, 16 bytes.
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
    EXPECT_FALSE(BN_is_negative(bn));
    EXPECT_EQ(BN_num_bytes(bn), 16);
    BN_free(bn);
  }
  EXPECT_NE(X509_get_extension_flags(c.root.get()) & EXFLAG_CA, 0u);
  EXPECT_EQ(X509_get_key_usage(c.root.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_EQ(X509_get0_authority_key_id(c.root.get()), nullptr);  // self-signed: no AKI
  EXPECT_EQ(X509_get_pathlen(c.root.get()), -1);

  EXPECT_NE(X509_get_extension_flags(c.ca.get()) & EXFLAG_CA, 0u);
  EXPECT_EQ(X509_get_pathlen(c.ca.get()), 0);
  EXPECT_EQ(X509_get_key_usage(c.ca.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(c.ca.get()), X509_get0_subject_key_id(c.root.get())), 0);

  EXPECT_EQ(X509_get_extension_flags(c.leaf.get()) & EXFLAG_CA, 0u);
  EXPECT_EQ(X509_get_key_usage(c.leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(c.leaf.get()), static_cast<std::uint32_t>(XKU_CODE_SIGN));
  EXPECT_EQ(extension_is_critical(c.leaf.get(), NID_ext_key_usage), 0);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(c.leaf.get()), X509_get0_subject_key_id(c.ca.get())), 0);
  EXPECT_EQ(X509_check_issued(c.ca.get(), c.leaf.get()), X509_V_OK);
}

INSTANTIATE_TEST_SUITE_P(All, Profiles,
                         ::testing::Values(SignatureAlgorithm::es256, SignatureAlgorithm::es384,
                                           SignatureAlgorithm::ed25519),
                         [](const auto& param_info) { return std::string(keys::key_algorithm_name(param_info.param)); });

TEST(Certificate, LeafRolesCarryTheirOwnExtendedKeyUsage) {
  Chain device = make_chain(SignatureAlgorithm::es256, CertificateRole::device_identity);
  EXPECT_TRUE(has_eku(device.leaf.get(), testing::kClientAuthOid));
  EXPECT_FALSE(has_eku(device.leaf.get(), testing::kCodeSigningOid));
  EXPECT_EQ(X509_get_key_usage(device.leaf.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  Chain evidence = make_chain(SignatureAlgorithm::es256, CertificateRole::evidence_signing);
  EXPECT_TRUE(has_eku(evidence.leaf.get(), testing::kDocumentSigningOid));
  EXPECT_FALSE(has_eku(evidence.leaf.get(), testing::kCodeSigningOid));
  EXPECT_EQ(verify_chain(evidence.root.get(), {evidence.ca.get()}, evidence.leaf.get()), X509_V_OK);
}

TEST(Certificate, MixedAlgorithmsAndRsaPssIssuer) {
  // Each certificate is signed with the issuer's algorithm, whatever the subject key is.
  auto rsa = keys::SoftwareSigner(keys::UniqueEvpPkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048))), "rsa");
  auto leaf_key = keys::generate_software_signer(SignatureAlgorithm::ed25519, "leaf");
  UniqueX509 root = issue_certificate({CertificateRole::root_ca, "/CN=RSA Root", &rsa, nullptr, nullptr, validity_for_days(10)});
  EXPECT_EQ(X509_get_signature_nid(root.get()), NID_rsassaPss);
  UniqueX509 leaf = issue_certificate({CertificateRole::code_signing, "/CN=Ed Leaf", leaf_key.get(), &rsa, root.get(), validity_for_days(10)});
  EXPECT_EQ(X509_get_signature_nid(leaf.get()), NID_rsassaPss);
  EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(leaf.get())), EVP_PKEY_ED25519);
  EXPECT_EQ(verify_chain(root.get(), {}, leaf.get()), X509_V_OK);
}

TEST(Certificate, ValidityIsExactAndExpiredLeafFailsPathValidation) {
  Chain c = make_chain(SignatureAlgorithm::es256, CertificateRole::code_signing);
  auto key = keys::generate_software_signer(SignatureAlgorithm::es256, "old");
  const Validity past{parse_time("2020-01-01", "nb"), parse_time("2021-01-01T12:00:00Z", "na")};
  UniqueX509 old = issue_certificate({CertificateRole::code_signing, "/CN=Old", key.get(), c.ca_key.get(), c.ca.get(), past});
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notBefore(old.get()), past.not_before), 0);
  EXPECT_EQ(ASN1_TIME_cmp_time_t(X509_get0_notAfter(old.get()), past.not_after), 0);
  EXPECT_EQ(verify_chain(c.root.get(), {c.ca.get()}, old.get()), X509_V_ERR_CERT_HAS_EXPIRED);

  try {
    (void)issue_certificate({CertificateRole::code_signing, "/CN=Bad", key.get(), c.ca_key.get(), c.ca.get(),
                             Validity{past.not_after, past.not_before}});
    ADD_FAILURE() << "inverted validity accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("must be later"), std::string::npos);
    EXPECT_EQ(e.exit_code(), host::kExitUsage);
  }
}

TEST(Certificate, SelfSignedLeafDoesNotChainAndMismatchedIssuerKeyIsRefused) {
  Chain c = make_chain(SignatureAlgorithm::es256, CertificateRole::code_signing);
  UniqueX509 self = issue_certificate({CertificateRole::code_signing, "/CN=Self", c.leaf_key.get(), nullptr, nullptr,
                                       validity_for_days(10)});
  EXPECT_TRUE(testing::is_self_signed(self.get()));
  EXPECT_EQ(X509_get_extension_flags(self.get()) & EXFLAG_CA, 0u);
  EXPECT_NE(verify_chain(c.root.get(), {c.ca.get()}, self.get()), X509_V_OK);

  try {
    (void)issue_certificate({CertificateRole::code_signing, "/CN=X", c.leaf_key.get(), c.root_key.get(), c.ca.get(),
                             validity_for_days(10)});
    ADD_FAILURE() << "mismatched issuer key accepted";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("does not belong to the CA certificate"), std::string::npos);
  }
}

TEST(Certificate, SubjectParsing) {
  X509_NAME* name = parse_subject("/C=DE/O=Acme \\/ Sons/CN=Signer");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(X509_NAME_entry_count(name), 3);
  char cn[64];
  X509_NAME_get_text_by_NID(name, NID_organizationName, cn, sizeof(cn));
  EXPECT_STREQ(cn, "Acme / Sons");
  X509_NAME_free(name);
  for (const char* bad : {"CN=x", "/CN", "/CN=", "/=x", "/XX=y", "/CN=a//O=b"}) {
    EXPECT_THROW(X509_NAME_free(parse_subject(bad)), UserError) << bad;
  }
}

TEST(Certificate, TimeParsing) {
  EXPECT_EQ(parse_time("1970-01-02", "t"), 86400);
  EXPECT_EQ(parse_time("2030-06-15T10:20:30Z", "t"), 1907749230);
  EXPECT_EQ(format_time(1907749230), "2030-06-15T10:20:30Z");
  for (const char* bad : {"2030-02-30", "2030-13-01", "2030-06-15 10:20:30", "2030-06-15T10:20:30", "20300615", "",
                          "2030-06-15T25:00:00Z", "abcd-ef-gh"}) {
    try {
      (void)parse_time(bad, "--not-after");
      ADD_FAILURE() << bad;
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("--not-after"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ft::pki
