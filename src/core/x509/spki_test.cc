// parse_spki and signature_scheme_for.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <vector>

#include "cert_builder.h"
#include "der_edit.h"
#include "ft/x509/certificate.h"

namespace ft::x509 {
namespace {

using testing::Der;
using testing::DerNode;
using testing::KeyKind;

Der spki_of(EVP_PKEY* key) {
  unsigned char* buf = nullptr;
  const int len = i2d_PUBKEY(key, &buf);
  EXPECT_GT(len, 0);
  Der out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

// spki_with_encoding re-encodes an EC key's SPKI with the given point format / parameter encoding.
Der spki_with_encoding(KeyKind kind, const char* point_format, const char* param_encoding) {
  EVP_PKEY* key = EVP_PKEY_dup(testing::test_key(kind, 0));
  EXPECT_NE(key, nullptr);
  if (point_format != nullptr) {
    EXPECT_EQ(EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, point_format), 1);
  }
  if (param_encoding != nullptr) {
    EXPECT_EQ(EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, param_encoding), 1);
  }
  Der out = spki_of(key);
  EVP_PKEY_free(key);
  return out;
}

TEST(ParseSpki, SupportedKeys) {
  struct Case {
    KeyKind kind;
    KeyType type;
    std::uint32_t bits;
    std::size_t key_size;
  };
  const Case cases[] = {{KeyKind::p256, KeyType::ec_p256, 256, 65},
                        {KeyKind::p384, KeyType::ec_p384, 384, 97},
                        {KeyKind::ed25519, KeyType::ed25519, 256, 32},
                        {KeyKind::rsa3072, KeyType::rsa, 3072, 398},
                        {KeyKind::rsa2048, KeyType::rsa, 2048, 270}};
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::key_kind_name(c.kind));
    const Der spki = spki_of(testing::test_key(c.kind, 1));
    Result<PublicKey> key = parse_spki(spki);
    if (c.type == KeyType::rsa && !config::kRsa) {  // a build without RSA (FT_CORE_RSA=0)
      EXPECT_EQ(key.code(), Code::unsupported_algorithm);
      continue;
    }
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(key->type, c.type);
    EXPECT_EQ(key->bits, c.bits);
    EXPECT_EQ(key->key.size(), c.key_size);
    EXPECT_EQ(key->spki.data(), spki.data());
    EXPECT_EQ(key->spki.size(), spki.size());
  }
}

TEST(ParseSpki, RejectsOtherCurvesAndEncodings) {
  EXPECT_EQ(parse_spki(spki_of(testing::test_key(KeyKind::p521, 0))).code(), Code::unsupported_algorithm);
  EXPECT_EQ(parse_spki(spki_of(testing::test_key(KeyKind::secp256k1, 0))).code(), Code::unsupported_algorithm);
  EXPECT_EQ(parse_spki(spki_with_encoding(KeyKind::p256, "compressed", nullptr)).code(), Code::bad_key);
  EXPECT_EQ(parse_spki(spki_with_encoding(KeyKind::p384, "compressed", nullptr)).code(), Code::bad_key);
  EXPECT_EQ(parse_spki(spki_with_encoding(KeyKind::p256, nullptr, "explicit")).code(), Code::unsupported_algorithm);
  EXPECT_TRUE(parse_spki(spki_with_encoding(KeyKind::p256, "uncompressed", "named_curve")).ok());
}

TEST(ParseSpki, StructuralErrors) {
  const Der ec = spki_of(testing::test_key(KeyKind::p256, 0));
  Der trailing = ec;
  trailing.push_back(0);
  EXPECT_EQ(parse_spki(trailing).code(), Code::trailing_data);
  EXPECT_EQ(parse_spki(Bytes(ec.data(), ec.size() - 1)).code(), Code::truncated);
  EXPECT_EQ(parse_spki(Bytes()).code(), Code::truncated);

  DerNode node = testing::der_parse(ec);
  node.children[1].value.pop_back();  // point one byte short
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::bad_key);
  node = testing::der_parse(ec);
  node.children[1].value[0] = 0x01;  // unused bits in the key BIT STRING
  node.children[1].value.back() &= 0xfe;
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::malformed);
  node = testing::der_parse(ec);
  node.children[0].children.pop_back();  // no curve
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::malformed);

  const Der ed = spki_of(testing::test_key(KeyKind::ed25519, 0));
  node = testing::der_parse(ed);
  node.children[0].children.push_back(DerNode{0x05, {}, {}, testing::LengthForm::minimal});
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::malformed);  // RFC 8410: absent

  const Der rsa = spki_of(testing::test_key(KeyKind::rsa3072, 0));
  node = testing::der_parse(rsa);
  node.children[0].children.pop_back();  // NULL parameters missing
  // A build without RSA (FT_CORE_RSA=0) does not look into RSA keys at all.
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), config::kRsa ? Code::malformed : Code::unsupported_algorithm);
  if (config::kRsa) {
  // Even public exponent.
  node = testing::der_parse(rsa);
  DerNode rsa_key = testing::der_parse(Der(node.children[1].value.begin() + 1, node.children[1].value.end()));
  rsa_key.children[1].value = {0x01, 0x00, 0x00};
  Der bits{0x00};
  const Der encoded = testing::der_encode(rsa_key);
  bits.insert(bits.end(), encoded.begin(), encoded.end());
  node.children[1].value = bits;
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::bad_key);
  // Negative modulus.
  rsa_key.children[1].value = {0x01, 0x00, 0x01};
  rsa_key.children[0].value.erase(rsa_key.children[0].value.begin());  // drop the sign octet
  bits = {0x00};
  const Der negative = testing::der_encode(rsa_key);
  bits.insert(bits.end(), negative.begin(), negative.end());
  node.children[1].value = bits;
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::bad_key);
  }

  // Regression (found by x509_fuzz): parameters that are not DER must fail as an encoding error,
  // not as "unsupported", or a malformed certificate would parse with key_error set.
  // SEQUENCE { SEQUENCE { OID ecPublicKey, OCTET STRING claiming 6 bytes with only 5 left }, ... }
  const Der fuzzed = {0x30, 0x16, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
                      0x01, 0x04, 0x06, 0x81, 0x2b, 0x05, 0x00, 0x22, 0x03, 0x02, 0x00, 0x04};
  EXPECT_EQ(parse_spki(fuzzed).code(), Code::truncated);
  node = testing::der_parse(ec);
  node.children[0].children[1] = DerNode{0x02, {0x00, 0x01}, {}, testing::LengthForm::minimal};  // INTEGER, padded
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::non_canonical);

  // Unknown algorithm.
  node = testing::der_parse(ed);
  node.children[0].children[0].value = testing::oid_content("1.3.101.113");  // Ed448
  EXPECT_EQ(parse_spki(testing::der_encode(node)).code(), Code::unsupported_algorithm);
}

Der algorithm_identifier(const std::string& oid, const std::vector<DerNode>& params) {
  DerNode alg{0x30,
              {},
              {DerNode{0x06, testing::oid_content(oid), {}, testing::LengthForm::minimal}},
              testing::LengthForm::minimal};
  for (const DerNode& p : params) alg.children.push_back(p);
  return testing::der_encode(alg);
}

DerNode null_node() { return DerNode{0x05, {}, {}, testing::LengthForm::minimal}; }

DerNode pss_params(const std::string& hash_oid, std::uint8_t salt, bool with_trailer, bool hash_null) {
  using testing::LengthForm;
  auto hash_alg = [&](const std::string& oid) {
    DerNode alg{0x30, {}, {DerNode{0x06, testing::oid_content(oid), {}, LengthForm::minimal}}, LengthForm::minimal};
    if (hash_null) alg.children.push_back(null_node());
    return alg;
  };
  DerNode params{0x30, {}, {}, LengthForm::minimal};
  params.children.push_back(DerNode{0xa0, {}, {hash_alg(hash_oid)}, LengthForm::minimal});
  DerNode mgf{
      0x30,
      {},
      {DerNode{0x06, testing::oid_content("1.2.840.113549.1.1.8"), {}, LengthForm::minimal}, hash_alg(hash_oid)},
      LengthForm::minimal};
  params.children.push_back(DerNode{0xa1, {}, {mgf}, LengthForm::minimal});
  params.children.push_back(DerNode{0xa2, {}, {DerNode{0x02, {salt}, {}, LengthForm::minimal}}, LengthForm::minimal});
  if (with_trailer)
    params.children.push_back(DerNode{0xa3, {}, {DerNode{0x02, {0x01}, {}, LengthForm::minimal}}, LengthForm::minimal});
  return params;
}

TEST(SignatureSchemeFor, Mapping) {
  const std::string sha256 = "2.16.840.1.101.3.4.2.1";
  const std::string pss = "1.2.840.113549.1.1.10";
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.10045.4.3.2", {})).value(), SigScheme::ecdsa_sha256_der);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.10045.4.3.3", {})).value(), SigScheme::ecdsa_sha384_der);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.10045.4.3.4", {})).value(), SigScheme::ecdsa_sha512_der);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.3.101.112", {})).value(), SigScheme::ed25519);
  if (!config::kRsa) {  // a build without RSA (FT_CORE_RSA=0): PKCS #1 and PSS are unknown algorithms
    EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.11", {null_node()})).code(),
              Code::unsupported_algorithm);
    EXPECT_EQ(signature_scheme_for(algorithm_identifier(pss, {pss_params(sha256, 32, false, true)})).code(),
              Code::unsupported_algorithm);
    return;
  }
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.11", {null_node()})).value(),
            SigScheme::rsa_pkcs1_sha256);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.11", {})).value(),
            SigScheme::rsa_pkcs1_sha256);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.12", {null_node()})).value(),
            SigScheme::rsa_pkcs1_sha384);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.13", {null_node()})).value(),
            SigScheme::rsa_pkcs1_sha512);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier(pss, {pss_params(sha256, 32, false, true)})).value(),
            SigScheme::rsa_pss_sha256);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier(pss, {pss_params(sha256, 32, false, false)})).value(),
            SigScheme::rsa_pss_sha256);
}

TEST(SignatureSchemeFor, Rejections) {
  const std::string sha256 = "2.16.840.1.101.3.4.2.1";
  const std::string pss = "1.2.840.113549.1.1.10";
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.10045.4.3.2", {null_node()})).code(),
            Code::unsupported_algorithm);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.10045.4.1", {})).code(),
            Code::unsupported_algorithm);  // SHA-1
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.5", {null_node()})).code(),
            Code::unsupported_algorithm);
  if (!config::kRsa) return;  // PSS parameters are not looked at without RSA (see Mapping)
  EXPECT_EQ(signature_scheme_for(algorithm_identifier(pss, {pss_params(sha256, 20, false, true)})).code(),
            Code::unsupported_algorithm);
  EXPECT_EQ(
      signature_scheme_for(algorithm_identifier(pss, {pss_params("2.16.840.1.101.3.4.2.2", 32, false, true)})).code(),
      Code::unsupported_algorithm);
  EXPECT_EQ(signature_scheme_for(algorithm_identifier(pss, {pss_params(sha256, 32, true, true)})).code(),
            Code::non_canonical);
  EXPECT_EQ(
      signature_scheme_for(algorithm_identifier(pss, {DerNode{0x30, {}, {}, testing::LengthForm::minimal}})).code(),
      Code::unsupported_algorithm);  // all defaults: SHA-1
  EXPECT_EQ(signature_scheme_for(algorithm_identifier("1.2.840.113549.1.1.11", {null_node(), null_node()})).code(),
            Code::trailing_data);
  // Known algorithm with parameters that are not DER: an encoding error, not "unsupported".
  EXPECT_EQ(signature_scheme_for(
                Der{0x30, 0x0e, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x04, 0x03, 0x00, 0x00})
                .code(),
            Code::truncated);
  // Unknown algorithm whose parameters are not DER.
  EXPECT_EQ(signature_scheme_for(
                algorithm_identifier("1.2.3.4", {DerNode{0x02, {0x00, 0x05}, {}, testing::LengthForm::minimal}}))
                .code(),
            Code::non_canonical);
}

}  // namespace
}  // namespace ft::x509
