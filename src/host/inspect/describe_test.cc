// describe_test.cc — describe_certificate made from the core's parse must say exactly what
// OpenSSL's X509 parser says, for every kind of certificate the tests can build.
#include "ft/inspect/describe.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "ft/x509/certificate.h"

namespace ft::inspect {
namespace {

namespace t = ft::x509::testing;
using nlohmann::json;

struct Sample {
  std::string name;
  t::Der der;
};

// leaf_spec — a profile code-signing leaf under a P-256 root, to vary.
t::CertSpec leaf_spec(t::KeyKind kind = t::KeyKind::p256) {
  return t::chain_specs({kind, t::KeyKind::p256}, t::kTestNow)[0];
}


std::vector<Sample> samples() {
  std::vector<Sample> out;
  const auto add = [&out](const std::string& name, const t::CertSpec& spec) { out.push_back({name, t::build_certificate(spec)}); };

  for (t::KeyKind kind : {t::KeyKind::p256, t::KeyKind::p384, t::KeyKind::ed25519, t::KeyKind::rsa3072, t::KeyKind::rsa2048,
                          t::KeyKind::p521, t::KeyKind::secp256k1}) {
    const auto specs = t::chain_specs({kind, kind, kind}, t::kTestNow);
    for (std::size_t i = 0; i < specs.size(); ++i) add(std::string(t::key_kind_name(kind)) + " chain #" + std::to_string(i), specs[i]);
  }
  {
    auto spec = t::chain_specs({t::KeyKind::rsa3072, t::KeyKind::rsa3072}, t::kTestNow)[0];
    spec.rsa_pss = true;
    add("RSA-PSS signed leaf", spec);
  }

  const int usages[] = {-1, x509::kDigitalSignature, x509::kKeyCertSign | x509::kCrlSign, x509::kKeyCertSign,
                        x509::kDigitalSignature | x509::kNonRepudiation | x509::kKeyEncipherment | x509::kDataEncipherment |
                            x509::kKeyAgreement | x509::kKeyCertSign | x509::kCrlSign | x509::kEncipherOnly | x509::kDecipherOnly,
                        x509::kKeyAgreement | x509::kDecipherOnly};
  using Ca = t::CertSpec::Ca;
  for (const int usage : usages) {
    for (const Ca ca : {Ca::absent, Ca::ca, Ca::not_ca}) {
      for (const int path_len : {-1, 0, 3}) {
        auto spec = leaf_spec();
        spec.key_usage = usage;
        spec.basic_constraints = ca;
        spec.path_len = ca == Ca::absent ? -1 : path_len;
        add("keyUsage " + std::to_string(usage) + " basicConstraints " + std::to_string(static_cast<int>(ca)) + " pathLen " +
                std::to_string(spec.path_len),
            spec);
      }
    }
  }
  const std::vector<std::vector<std::string>> purposes = {
      {}, {t::kOidCodeSigning}, {t::kOidServerAuth, t::kOidCodeSigning}, {t::kOidAnyEku}, {"1.2.3.4.5"}, {"1.3.6.1.5.5.7.3.8"}};
  for (const auto& eku : purposes) {
    auto spec = leaf_spec();
    spec.eku_present = true;
    spec.eku = eku;
    add("extKeyUsage of " + std::to_string(eku.size()), spec);
  }
  for (const std::uint64_t serial : {std::uint64_t{1}, std::uint64_t{0x7f}, std::uint64_t{0x80}, std::uint64_t{0xff},
                                     std::uint64_t{1} << 63, ~std::uint64_t{0}}) {
    auto spec = leaf_spec();
    spec.serial = serial;
    add("serial " + std::to_string(serial), spec);
  }
  for (const std::string& cn : {std::string("M\xc3\xbcller, \"Quote\" + plus; semi=eq <lt> #hash \\back"), std::string(" spaced "),
                               std::string("#leading hash"), std::string("x")}) {
    auto spec = leaf_spec();
    spec.subject_cn = cn;
    add("subject CN " + cn, spec);
    spec.organization = "";
    add("subject CN only " + cn, spec);
  }
  {
    auto spec = leaf_spec();
    spec.version = 1;
    add("version 1 leaf", spec);
  }
  {
    auto spec = leaf_spec();
    spec.subject_key_id = false;
    spec.authority_key_id = false;
    add("no key identifiers", spec);
  }
  for (const std::uint8_t bits : {std::uint8_t{0x04}, std::uint8_t{0x80}, std::uint8_t{0x07}}) {
    auto spec = leaf_spec();
    spec.key_usage = -1;
    spec.extra.push_back({"2.16.840.1.113730.1.1", false, {0x03, 0x02, 0x00, bits}});  // Netscape cert type
    add("netscape cert type " + std::to_string(bits), spec);
  }
  {
    auto spec = leaf_spec();
    spec.extra.push_back({"1.2.3.4.5.6", false, {0x05, 0x00}});
    add("unknown non-critical extension", spec);
  }
  {
    auto spec = leaf_spec();
    spec.issuer_cn = spec.subject_cn;  // self-issued, signed by another key
    spec.issuer_organization = spec.organization;
    add("self-issued, other key", spec);
  }
  return out;
}

TEST(DescribeCertificate, WithoutKeyDecodingSaysWhatOpensslSays) {
  std::size_t without_key_decoding = 0;
  for (const Sample& sample : samples()) {
    SCOPED_TRACE(sample.name);
    const Bytes der(sample.der.data(), sample.der.size());
    const json reference = describe_certificate_with_openssl(der);
    ASSERT_FALSE(reference.contains("error"));
    EXPECT_EQ(describe_certificate(der), reference);
    if (const auto described = describe_certificate_without_key_decoding(der)) {
      EXPECT_EQ(*described, reference) << described->dump(2) << "\nOpenSSL:\n" << reference.dump(2);
      ++without_key_decoding;
    }
  }
  // Most samples must take the path under test, or the comparison above proves little.
  EXPECT_GE(without_key_decoding, 50u);
}

TEST(DescribeCertificate, ProfileLeafIsDescribedWithoutKeyDecodingAndRootIsNot) {
  const auto chain = t::build_chain(t::chain_specs({t::KeyKind::p256, t::KeyKind::p256, t::KeyKind::p256}, t::kTestNow));
  EXPECT_TRUE(describe_certificate_without_key_decoding(Bytes(chain[0].data(), chain[0].size())).has_value());
  EXPECT_TRUE(describe_certificate_without_key_decoding(Bytes(chain[1].data(), chain[1].size())).has_value());
  EXPECT_FALSE(describe_certificate_without_key_decoding(Bytes(chain[2].data(), chain[2].size())).has_value());  // self-signed
  const std::uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  EXPECT_FALSE(describe_certificate_without_key_decoding(garbage).has_value());
  EXPECT_TRUE(describe_certificate(garbage).contains("error"));
}

}  // namespace
}  // namespace ft::inspect
