#include "ft/x509/certificate.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "der_edit.h"

namespace ft::x509 {
namespace {

using testing::build_certificate;
using testing::CertSpec;
using testing::chain_specs;
using testing::Der;
using testing::DerNode;
using testing::KeyKind;
using testing::kTestNow;

// Indices of TBSCertificate elements in a v3 certificate built by cert_builder.
enum TbsIndex {
  kVersion = 0,
  kSerial = 1,
  kSigAlg = 2,
  kIssuer = 3,
  kValidity = 4,
  kSubject = 5,
  kSpki = 6,
  kExtensions = 7
};

std::vector<CertSpec> leaf_and_root(KeyKind leaf = KeyKind::p256, KeyKind root = KeyKind::p256) {
  return chain_specs({leaf, root}, kTestNow);
}

Der openssl_name_der(const Der& cert, bool subject) {
  const unsigned char* p = cert.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(cert.size()));
  EXPECT_NE(x, nullptr);
  unsigned char* buf = nullptr;
  const int len = i2d_X509_NAME(subject ? X509_get_subject_name(x) : X509_get_issuer_name(x), &buf);
  Der out(buf, buf + len);
  OPENSSL_free(buf);
  X509_free(x);
  return out;
}

Der to_vector(Bytes b) { return Der(b.begin(), b.end()); }

TEST(ParseCertificate, ProfileLeafFields) {
  const auto specs = leaf_and_root();
  const Der der = build_certificate(specs[0]);
  Result<Certificate> parsed = parse_certificate(der);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const Certificate& c = parsed.value();
  EXPECT_EQ(c.der.data(), der.data());  // a view, not a copy
  EXPECT_EQ(c.version, 3);
  EXPECT_EQ(to_vector(c.serial), (Der{0x10, 0x00}));
  EXPECT_EQ(to_vector(c.subject), openssl_name_der(der, true));
  EXPECT_EQ(to_vector(c.issuer), openssl_name_der(der, false));
  EXPECT_EQ(c.not_before, specs[0].not_before);
  EXPECT_EQ(c.not_after, specs[0].not_after);
  EXPECT_EQ(c.key_error.code, Code::ok);
  EXPECT_EQ(c.key.type, KeyType::ec_p256);
  EXPECT_EQ(c.key.bits, 256u);
  EXPECT_EQ(c.key.key.size(), 65u);
  EXPECT_EQ(c.key.spki.data(), c.spki.data());
  EXPECT_TRUE(c.signature_scheme_known);
  EXPECT_EQ(c.signature_scheme, SigScheme::ecdsa_sha256_der);
  EXPECT_TRUE(c.basic_constraints.present);
  EXPECT_TRUE(c.basic_constraints.critical);
  EXPECT_FALSE(c.basic_constraints.is_ca);
  EXPECT_TRUE(c.key_usage.present);
  EXPECT_EQ(c.key_usage.bits, kDigitalSignature);
  EXPECT_TRUE(c.ext_key_usage.present);
  EXPECT_TRUE(c.ext_key_usage.code_signing);
  EXPECT_FALSE(c.ext_key_usage.any);
  EXPECT_EQ(c.subject_key_id.size(), 20u);
  EXPECT_EQ(c.authority_key_id.size(), 20u);
  EXPECT_EQ(c.extension_count, 5u);
  EXPECT_FALSE(c.has_unknown_critical_extension);
  // The TBS view is the first element inside the outer SEQUENCE, signature at the end.
  EXPECT_EQ(c.tbs.data(), der.data() + 4);
  EXPECT_EQ(c.signature.data() + c.signature.size(), der.data() + der.size());
}

TEST(ParseCertificate, CaFieldsAndPathLen) {
  auto specs = leaf_and_root();
  specs[1].path_len = 2;
  const Der der1 = build_certificate(specs[1]);  // parsed views point into it
  Result<Certificate> parsed = parse_certificate(der1);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->basic_constraints.is_ca);
  EXPECT_TRUE(parsed->basic_constraints.has_path_len);
  EXPECT_EQ(parsed->basic_constraints.path_len, 2u);
  EXPECT_TRUE(parsed->key_usage.has(kKeyCertSign));
  EXPECT_TRUE(parsed->key_usage.has(kCrlSign));
  EXPECT_FALSE(parsed->key_usage.has(kDigitalSignature));
  EXPECT_TRUE(bytes_equal(parsed->issuer, parsed->subject));
  EXPECT_TRUE(parsed->authority_key_id.empty());
}

struct KeyCase {
  KeyKind kind;
  KeyType type;
  std::uint32_t bits;
  Code key_error;
};

TEST(ParseCertificate, KeyTypes) {
  const KeyCase cases[] = {
      {KeyKind::p256, KeyType::ec_p256, 256, Code::ok},
      {KeyKind::p384, KeyType::ec_p384, 384, Code::ok},
      {KeyKind::ed25519, KeyType::ed25519, 256, Code::ok},
      // Without RSA in the build (FT_CORE_RSA=0, a device profile) an RSA key is an unsupported
      // algorithm: the certificate parses, validate_path refuses the key.
      config::kRsa ? KeyCase{KeyKind::rsa3072, KeyType::rsa, 3072, Code::ok}
                   : KeyCase{KeyKind::rsa3072, KeyType::none, 0, Code::unsupported_algorithm},
      config::kRsa ? KeyCase{KeyKind::rsa2048, KeyType::rsa, 2048, Code::ok}
                   : KeyCase{KeyKind::rsa2048, KeyType::none, 0, Code::unsupported_algorithm},
      {KeyKind::p521, KeyType::none, 0, Code::unsupported_algorithm},
      {KeyKind::secp256k1, KeyType::none, 0, Code::unsupported_algorithm},
  };
  for (const KeyCase& kc : cases) {
    SCOPED_TRACE(testing::key_kind_name(kc.kind));
    auto specs = leaf_and_root(kc.kind);
    const Der der2 = build_certificate(specs[0]);  // parsed views point into it
    Result<Certificate> parsed = parse_certificate(der2);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;  // unsupported keys do not fail parsing
    EXPECT_EQ(parsed->key_error.code, kc.key_error);
    EXPECT_EQ(parsed->key.type, kc.type);
    EXPECT_EQ(parsed->key.bits, kc.bits);
  }
}

struct SchemeCase {
  KeyKind issuer;
  testing::SigHash hash;
  bool pss;
  bool known;
  SigScheme scheme;
};

TEST(ParseCertificate, SignatureSchemes) {
  using testing::SigHash;
  const SchemeCase cases[] = {
      {KeyKind::p256, SigHash::sha256, false, true, SigScheme::ecdsa_sha256_der},
      {KeyKind::p384, SigHash::automatic, false, true, SigScheme::ecdsa_sha384_der},
      {KeyKind::p256, SigHash::sha512, false, true, SigScheme::ecdsa_sha512_der},
      {KeyKind::ed25519, SigHash::automatic, false, true, SigScheme::ed25519},
      // RSA signature algorithms are unknown to a build without RSA (FT_CORE_RSA=0).
      {KeyKind::rsa3072, SigHash::sha256, false, config::kRsa, SigScheme::rsa_pkcs1_sha256},
      {KeyKind::rsa3072, SigHash::sha384, false, config::kRsa, SigScheme::rsa_pkcs1_sha384},
      {KeyKind::rsa3072, SigHash::sha512, false, config::kRsa, SigScheme::rsa_pkcs1_sha512},
      {KeyKind::rsa3072, SigHash::automatic, true, config::kRsa, SigScheme::rsa_pss_sha256},
      {KeyKind::p256, SigHash::sha1, false, false, SigScheme::ecdsa_sha256_der},
      {KeyKind::rsa3072, SigHash::sha1, false, false, SigScheme::ecdsa_sha256_der},
  };
  for (const SchemeCase& sc : cases) {
    SCOPED_TRACE(std::string(testing::key_kind_name(sc.issuer)) + " hash " + std::to_string(static_cast<int>(sc.hash)));
    auto specs = leaf_and_root(KeyKind::p256, sc.issuer);
    specs[0].hash = sc.hash;
    specs[0].rsa_pss = sc.pss;
    const Der der3 = build_certificate(specs[0]);  // parsed views point into it
    Result<Certificate> parsed = parse_certificate(der3);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->signature_scheme_known, sc.known);
    if (sc.known) {
      EXPECT_EQ(parsed->signature_scheme, sc.scheme);
    }
  }
}

TEST(ParseCertificate, UnknownExtensions) {
  auto specs = leaf_and_root();
  specs[0].extra = {{"1.3.6.1.4.1.99999.1", false, {0x05, 0x00}}, {"1.3.6.1.4.1.99999.2", true, {0x05, 0x00}}};
  const Der der4 = build_certificate(specs[0]);  // parsed views point into it
  Result<Certificate> parsed = parse_certificate(der4);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->extension_count, 7u);
  EXPECT_TRUE(parsed->has_unknown_critical_extension);
  EXPECT_EQ(to_vector(parsed->unknown_critical_oid), testing::oid_content("1.3.6.1.4.1.99999.2"));

  specs[0].extra = {{"1.3.6.1.4.1.99999.1", false, {0x05, 0x00}}};
  const Der der5 = build_certificate(specs[0]);  // parsed views point into it
  parsed = parse_certificate(der5);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->has_unknown_critical_extension);
}

TEST(ParseCertificate, EkuVariants) {
  auto specs = leaf_and_root();
  specs[0].eku = {testing::kOidServerAuth, testing::kOidAnyEku, "1.3.6.1.5.5.7.3.4"};
  const Der der6 = build_certificate(specs[0]);  // parsed views point into it
  Result<Certificate> parsed = parse_certificate(der6);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->ext_key_usage.code_signing);
  EXPECT_TRUE(parsed->ext_key_usage.any);
  EXPECT_EQ(parsed->ext_key_usage.other_count, 2u);
}

TEST(ParseCertificate, Version1WithoutExtensions) {
  auto specs = leaf_and_root();
  specs[0].version = 1;
  const Der der7 = build_certificate(specs[0]);  // parsed views point into it
  Result<Certificate> parsed = parse_certificate(der7);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->version, 1);
  EXPECT_FALSE(parsed->basic_constraints.present);
  EXPECT_EQ(parsed->extension_count, 0u);
}

// EncodingFault — one edit of a valid certificate's TBS (re-signed) and the code it must produce.
struct EncodingFault {
  const char* name;
  std::function<void(DerNode& tbs)> edit;
  Code expected;
};

DerNode& extension_value(DerNode& tbs, const char* oid) {
  DerNode* ext = testing::find_extension(tbs, oid);
  if (ext == nullptr) throw std::runtime_error("no extension");
  return ext->children.back();
}

std::vector<EncodingFault> encoding_faults() {
  using testing::LengthForm;
  return {
      {"serial with a superfluous leading zero",
       [](DerNode& t) { t.children[kSerial].value.insert(t.children[kSerial].value.begin(), 0x00); },
       Code::non_canonical},
      {"subject with a long-form length", [](DerNode& t) { t.children[kSubject].length_form = LengthForm::long_form; },
       Code::non_canonical},
      {"issuer length with a leading zero octet",
       [](DerNode& t) { t.children[kIssuer].length_form = LengthForm::long_form_leading_zero; }, Code::non_canonical},
      {"validity with an indefinite length",
       [](DerNode& t) { t.children[kValidity].length_form = LengthForm::indefinite; },
       Code::non_canonical},  // an encoding rule, even inside the validity part
      {"extensions with an indefinite length",
       [](DerNode& t) { t.children[kExtensions].children[0].length_form = LengthForm::indefinite; },
       Code::non_canonical},
      {"explicit critical FALSE",
       [](DerNode& t) {
         DerNode* ext = testing::find_extension(t, "2.5.29.37");
         ext->children.insert(ext->children.begin() + 1, DerNode{0x01, {0x00}, {}, LengthForm::minimal});
       },
       Code::non_canonical},
      {"critical BOOLEAN 0x01", [](DerNode& t) { testing::find_extension(t, "2.5.29.19")->children[1].value = {0x01}; },
       Code::non_canonical},
      {"basicConstraints cA FALSE encoded",
       [](DerNode& t) {
         extension_value(t, "2.5.29.19").value = {0x30, 0x03, 0x01, 0x01, 0x00};
       },
       Code::non_canonical},
      {"keyUsage with a trailing zero bit",
       [](DerNode& t) {
         extension_value(t, "2.5.29.15").value = {0x03, 0x02, 0x06, 0x80};
       },
       Code::non_canonical},
      {"keyUsage padding bit set",
       [](DerNode& t) {
         extension_value(t, "2.5.29.15").value = {0x03, 0x02, 0x07, 0x81};
       },
       Code::non_canonical},
      {"keyUsage without bits",
       [](DerNode& t) {
         extension_value(t, "2.5.29.15").value = {0x03, 0x01, 0x00};
       },
       Code::cert_bad_extension},
      {"empty extKeyUsage",
       [](DerNode& t) {
         extension_value(t, "2.5.29.37").value = {0x30, 0x00};
       },
       Code::cert_bad_extension},
      {"extKeyUsage not a SEQUENCE",
       [](DerNode& t) {
         extension_value(t, "2.5.29.37").value = {0x05, 0x00};
       },
       Code::cert_bad_extension},
      {"duplicate extension",
       [](DerNode& t) {
         DerNode& list = t.children[kExtensions].children[0];
         list.children.push_back(*testing::find_extension(t, "2.5.29.15"));
       },
       Code::duplicate_key},
      {"empty extensions", [](DerNode& t) { t.children[kExtensions].children[0].children.clear(); },
       Code::cert_bad_extension},
      {"UTCTime without seconds",
       [](DerNode& t) {
         DerNode& nb = t.children[kValidity].children[0];
         nb.value.erase(nb.value.end() - 3, nb.value.end() - 1);
       },
       Code::non_canonical},
      {"UTCTime month 13",
       [](DerNode& t) {
         DerNode& nb = t.children[kValidity].children[0];
         nb.value[2] = '1';
         nb.value[3] = '3';
       },
       Code::cert_bad_time},
      {"GeneralizedTime with fractional seconds",
       [](DerNode& t) {
         DerNode& na = t.children[kValidity].children[1];
         na.tag = 0x18;
         na.value = Der{'2', '0', '3', '1', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', '.', '5', 'Z'};
       },
       Code::non_canonical},
      {"version v1 encoded", [](DerNode& t) { t.children[kVersion].children[0].value = {0x00}; }, Code::non_canonical},
      {"version 4", [](DerNode& t) { t.children[kVersion].children[0].value = {0x03}; }, Code::cert_bad_version},
      {"v2 with extensions", [](DerNode& t) { t.children[kVersion].children[0].value = {0x01}; },
       Code::cert_bad_version},
      {"extensions without a version", [](DerNode& t) { t.children.erase(t.children.begin()); },
       Code::cert_bad_version},
      {"serial of 21 octets", [](DerNode& t) { t.children[kSerial].value = Der(21, 0x11); }, Code::too_large},
      {"empty RDN SET", [](DerNode& t) { t.children[kSubject].children[0].children.clear(); }, Code::cert_bad_name},
      {"multi-valued RDN out of order",
       [](DerNode& t) {
         // Put O and CN into one SET in descending order: the CN attribute (14-character value)
         // encodes as 30 15 ..., the O attribute (15 characters) as 30 16 ..., so CN sorts first.
         DerNode& name = t.children[kSubject];
         DerNode o = name.children[0].children[0];
         DerNode cn = name.children[1].children[0];
         name.children.resize(1);
         name.children[0].children = {o, cn};
       },
       Code::non_canonical},
      {"OID with a leading 0x80 group",
       [](DerNode& t) {
         Der& oid = testing::find_extension(t, "2.5.29.37")->children[0].value;
         oid.insert(oid.begin() + 1, 0x80);
       },
       Code::non_canonical},
      {"name attribute value with a non-canonical INTEGER",
       [](DerNode& t) {
         t.children[kSubject].children[1].children[0].children[1] =
             DerNode{0x02, {0x00, 0x01}, {}, LengthForm::minimal};
       },
       Code::non_canonical},
      {"TBS element after the extensions",
       [](DerNode& t) {
         t.children.push_back(DerNode{0x05, {}, {}, LengthForm::minimal});
       },
       Code::trailing_data},
  };
}

TEST(ParseCertificate, EncodingFaultsReject) {
  const auto specs = leaf_and_root();
  const Der good = build_certificate(specs[0]);
  ASSERT_TRUE(parse_certificate(good).ok());
  for (const EncodingFault& fault : encoding_faults()) {
    SCOPED_TRACE(fault.name);
    const Der bad = testing::resign(good, specs[0], fault.edit);
    Result<Certificate> parsed = parse_certificate(bad);
    EXPECT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.code(), fault.expected) << code_name(parsed.code()) << ": " << parsed.error().message;
  }
}

TEST(ParseCertificate, OuterAlgorithmMustEqualTbs) {
  const auto specs = leaf_and_root();
  const Der good = build_certificate(specs[0]);
  // ecdsa-with-SHA256 with an (invalid) NULL parameter in the outer identifier only.
  const Der bad = testing::resign(good, specs[0], nullptr, [](DerNode& alg) {
    alg.children.push_back(DerNode{0x05, {}, {}, testing::LengthForm::minimal});
  });
  EXPECT_EQ(parse_certificate(bad).code(), Code::cert_sig_alg_mismatch);
}

TEST(ParseCertificate, TrailingAndTruncated) {
  const Der good = build_certificate(leaf_and_root()[0]);
  Der trailing = good;
  trailing.push_back(0x00);
  EXPECT_EQ(parse_certificate(trailing).code(), Code::trailing_data);
  for (std::size_t n = 0; n < good.size(); ++n) {
    const Result<Certificate> parsed = parse_certificate(Bytes(good.data(), n));
    ASSERT_FALSE(parsed.ok()) << "prefix of " << n << " bytes parsed";
  }
}

TEST(ParseCertificate, SingleByteChangesNeverCrash) {
  // Every single-byte change either fails to parse or yields views inside the buffer.
  const Der good = build_certificate(leaf_and_root(KeyKind::rsa3072)[0]);
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    Der bad = good;
    bad[i] ^= 0x41;
    const Result<Certificate> parsed = parse_certificate(bad);
    if (!parsed.ok()) {
      ++rejected;
      continue;
    }
    const auto inside = [&bad](Bytes b) {
      return b.empty() || (b.data() >= bad.data() && b.data() + b.size() <= bad.data() + bad.size());
    };
    EXPECT_TRUE(inside(parsed->tbs) && inside(parsed->subject) && inside(parsed->issuer) && inside(parsed->signature) &&
                inside(parsed->key.key));
  }
  EXPECT_GT(rejected, good.size() / 10);
}

TEST(CertificateList, BoundedAndAtomic) {
  const auto specs = chain_specs({KeyKind::p256, KeyKind::p256}, kTestNow);
  const Der der = build_certificate(specs[0]);
  CertificateList list;
  EXPECT_TRUE(list.empty());
  const Der broken(der.begin(), der.end() - 1);
  EXPECT_EQ(list.add(broken).code(), Code::truncated);
  EXPECT_EQ(list.size(), 0u);
  for (std::size_t i = 0; i < kMaxChain; ++i) ASSERT_TRUE(list.add(der).ok());
  EXPECT_EQ(list.add(der).code(), Code::too_large);
  EXPECT_EQ(list.size(), kMaxChain);
  EXPECT_EQ(list.certificates().size(), kMaxChain);
  EXPECT_EQ(list[0].der.data(), der.data());
}

}  // namespace
}  // namespace ft::x509
