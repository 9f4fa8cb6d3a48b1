// Differential test: our path validation (validate_path with the OpenSSL crypto port) against
// OpenSSL's X509_verify_cert on a corpus of good and bad chains generated at test time from the
// fixed keys in testdata/x509/keys (generator: testing/cert_builder.cc; ECDSA signatures differ
// from run to run, the structure of every chain does not).
//
// OpenSSL is configured as close to the profile as it allows:
//   - X509_V_FLAG_X509_STRICT, the verification time set explicitly (kTestNow);
//   - depth = max_intermediates (OpenSSL counts intermediates exactly as we do);
//   - auth level 3 (128-bit security): RSA below 3072 bits and SHA-1 signatures are refused, as
//     our key policy and algorithm list refuse them;
//   - purpose: X509_PURPOSE_CODE_SIGN ("codesign") when the library has it. OpenSSL 3.0 does not
//     (the purpose arrived in 3.2), so on 3.0 no purpose is set and OpenSSL does not judge the
//     leaf's extKeyUsage, keyUsage or CA flag at all — see the kDocumented entries marked
//     without_codesign_purpose.
// Every disagreement must match an entry of kDocumented (category and direction) that gives the
// reason for our stricter (or different) choice; an undocumented disagreement fails the test, and
// so does an entry that no case needs any more. The summary printed at the end counts agreements
// and disagreements per category.
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cert_builder.h"
#include "ft/ports/openssl.h"
#include "ft/x509/certificate.h"
#include "ft/x509/path.h"

namespace ft::x509 {
namespace {

using testing::CertSpec;
using testing::chain_specs;
using testing::Der;
using testing::DerNode;
using testing::KeyKind;
using testing::kTestNow;
using testing::LengthForm;

constexpr std::int64_t kDay = 86400;
constexpr std::size_t kMaxIntermediatesPolicy = 3;

// ---------------------------------------------------------------------------------------------
// Documented disagreements: where our verdict deliberately differs from OpenSSL's.

struct Documented {
  const char* category;
  bool ours_valid;                // our verdict in the disagreement
  bool openssl_valid;             // OpenSSL's verdict
  bool without_codesign_purpose;  // only expected when OpenSSL lacks X509_PURPOSE_CODE_SIGN
  const char* reason;
};

const Documented kDocumented[] = {
    {"eku_missing", false, true, true,
     "profile: the leaf must carry extKeyUsage id-kp-codeSigning; OpenSSL 3.0 has no code-signing purpose"},
    {"eku_any_only", false, true, true,
     "profile: anyExtendedKeyUsage alone does not authorise code signing; OpenSSL 3.0 has no code-signing purpose"},
    {"eku_server_auth", false, true, true,
     "profile: a TLS-server-only leaf must not sign firmware; OpenSSL 3.0 has no code-signing purpose"},
    {"leaf_key_usage_wrong", false, true, true,
     "profile: the leaf keyUsage must include digitalSignature; without a purpose OpenSSL ignores leaf keyUsage"},
    {"leaf_key_usage_missing", false, true, true,
     "profile: keyUsage is required on the leaf (a signing key must say so); OpenSSL treats absence as 'any use'"},
    {"leaf_is_ca", false, true, true,
     "profile: a CA key must not sign firmware directly; OpenSSL accepts a CA certificate as end entity"},
    {"leaf_v1", false, true, true,
     "profile: a v1 leaf has no keyUsage/extKeyUsage, so it cannot show it may sign code; OpenSSL accepts v1 leaves"},
    {"key_p521_leaf", false, true, false,
     "policy: only P-256/P-384 (and Ed25519, RSA>=3072 where enabled) are allowed; OpenSSL accepts P-521"},
    {"key_secp256k1_leaf", false, true, false,
     "policy: secp256k1 is outside the allowed curves; OpenSSL accepts any named curve of >= 128-bit security"},
    {"key_rsa_disabled", false, true, false,
     "policy: RSA is off unless enabled (embedded verifiers have no RSA); OpenSSL has no such switch"},
    {"issuer_mismatch_organization", false, true, false,
     "profile: names chain by exact DER comparison; OpenSSL compares case-folded canonical names "
     "(RFC 5280 7.1), so 'FieldTrust test' matches 'FieldTrust Test' there"},
    {"der_long_form_length", false, true, false,
     "strict DER: a long-form length below 128 is BER; OpenSSL's decoder accepts it and verifies the original bytes"},
    {"der_length_leading_zero", false, true, false,
     "strict DER: a length with a leading zero octet is BER; OpenSSL accepts it"},
    {"der_indefinite_length", false, true, false,
     "strict DER: indefinite lengths are BER only; OpenSSL accepts them inside the TBS"},
    {"der_explicit_critical_false", false, true, false,
     "strict DER: a DEFAULT value (critical FALSE) must be omitted; OpenSSL accepts it"},
    {"der_boolean_not_ff", false, true, false, "strict DER: TRUE is 0xFF; OpenSSL accepts any non-zero octet"},
    {"der_ca_false_explicit", false, true, false,
     "strict DER: basicConstraints cA FALSE is a DEFAULT and must be omitted; OpenSSL accepts it"},
    {"der_key_usage_trailing_zero", false, true, false,
     "strict DER (X.690 11.2.2): a named bit list has no trailing zero bits; OpenSSL accepts them"},
    {"der_rdn_set_order", false, true, false,
     "strict DER (X.690 11.6): SET OF elements sorted by encoding; OpenSSL re-sorts names for comparison"},
    {"der_trailing_data", false, true, false,
     "a certificate file must hold exactly one certificate; d2i_X509 stops after the first element"},
    {"der_key_usage_padding", false, true, false,
     "strict DER (X.690 11.2.1): BIT STRING padding bits are zero; OpenSSL ignores them"},
};

// ---------------------------------------------------------------------------------------------
// Corpus.

struct Case {
  std::string category;
  std::string name;
  Der leaf;
  std::vector<Der> untrusted;  // in issuing order unless shuffled
  Der anchor;
  PathPolicy policy;
  bool openssl_no_check_time = false;
  Code expected = Code::ok;  // our expected primary code
};

struct Mix {
  const char* name;
  KeyKind leaf;
  KeyKind intermediate;
  KeyKind root;
  bool rsa;
  bool pss;
};

const Mix kGoodMixes[] = {
    {"p256", KeyKind::p256, KeyKind::p256, KeyKind::p256, false, false},
    {"p384", KeyKind::p384, KeyKind::p384, KeyKind::p384, false, false},
    {"ed25519", KeyKind::ed25519, KeyKind::ed25519, KeyKind::ed25519, false, false},
    {"rsa3072", KeyKind::rsa3072, KeyKind::rsa3072, KeyKind::rsa3072, true, false},
    {"rsa3072-pss", KeyKind::rsa3072, KeyKind::rsa3072, KeyKind::rsa3072, true, true},
    {"p256<p384<rsa3072", KeyKind::p256, KeyKind::p384, KeyKind::rsa3072, true, false},
    {"ed25519<p256<p384", KeyKind::ed25519, KeyKind::p256, KeyKind::p384, false, false},
    {"p384<ed25519<p256", KeyKind::p384, KeyKind::ed25519, KeyKind::p256, false, false},
    {"rsa3072<p384<p256", KeyKind::rsa3072, KeyKind::p384, KeyKind::p256, true, false},
    {"p256<rsa3072-pss<ed25519", KeyKind::p256, KeyKind::rsa3072, KeyKind::ed25519, true, true},
};

const Mix kBadMixes[] = {
    {"p256", KeyKind::p256, KeyKind::p256, KeyKind::p256, false, false},
    {"p384<ed25519<p384", KeyKind::p384, KeyKind::ed25519, KeyKind::p384, false, false},
    {"ed25519<p256<rsa3072", KeyKind::ed25519, KeyKind::p256, KeyKind::rsa3072, true, false},
    {"rsa3072-pss", KeyKind::rsa3072, KeyKind::rsa3072, KeyKind::rsa3072, true, true},
};

std::vector<CertSpec> specs_for(const Mix& mix, std::size_t intermediates, int slot_base = 0) {
  std::vector<KeyKind> kinds{mix.leaf};
  for (std::size_t i = 0; i < intermediates; ++i) kinds.push_back(mix.intermediate);
  kinds.push_back(mix.root);
  std::vector<CertSpec> specs = chain_specs(kinds, kTestNow, slot_base);
  if (mix.pss) {
    for (CertSpec& s : specs) {
      if (EVP_PKEY_get_base_id(s.issuer_key) == EVP_PKEY_RSA) s.rsa_pss = true;
    }
  }
  return specs;
}

Case case_from(const std::string& category, const std::string& name, const testing::Chain& chain, const Mix& mix,
               Code expected) {
  Case c;
  c.category = category;
  c.name = name;
  c.leaf = chain.front();
  for (std::size_t i = 1; i + 1 < chain.size(); ++i) c.untrusted.push_back(chain[i]);
  c.anchor = chain.back();
  c.policy.time = kTestNow;
  c.policy.max_intermediates = kMaxIntermediatesPolicy;
  c.policy.keys.rsa = mix.rsa;
  c.expected = expected;
  return c;
}

// SpecFault — a change to the specs (leaf first) before building, with the code we must report.
struct SpecFault {
  const char* category;
  std::size_t intermediates;
  std::function<void(std::vector<CertSpec>&)> apply;
  Code expected;
};

std::vector<SpecFault> spec_faults() {
  auto set_eku = [](std::vector<std::string> eku) { return [eku](std::vector<CertSpec>& s) { s[0].eku = eku; }; };
  return {
      {"eku_missing", 1, [](auto& s) { s[0].eku_present = false; }, Code::cert_leaf_eku},
      {"eku_any_only", 1, set_eku({testing::kOidAnyEku}), Code::cert_leaf_eku},
      {"eku_server_auth", 1, set_eku({testing::kOidServerAuth}), Code::cert_leaf_eku},
      {"issuer_ca_false", 1, [](auto& s) { s[1].basic_constraints = CertSpec::Ca::not_ca; }, Code::cert_not_ca},
      {"issuer_bc_absent", 1, [](auto& s) { s[1].basic_constraints = CertSpec::Ca::absent; }, Code::cert_not_ca},
      {"issuer_bc_not_critical", 1, [](auto& s) { s[1].basic_constraints_critical = false; }, Code::cert_not_ca},
      {"root_ca_false", 1, [](auto& s) { s[2].basic_constraints = CertSpec::Ca::not_ca; }, Code::cert_not_ca},
      {"path_len_root_0", 1, [](auto& s) { s[2].path_len = 0; }, Code::cert_path_len_exceeded},
      {"path_len_intermediate_0", 2, [](auto& s) { s[2].path_len = 0; }, Code::cert_path_len_exceeded},
      {"path_len_root_1_three_below", 3, [](auto& s) { s[4].path_len = 1; }, Code::cert_path_len_exceeded},
      {"expired_leaf", 1, [](auto& s) { s[0].not_after = kTestNow - kDay; }, Code::cert_expired},
      {"expired_intermediate", 1, [](auto& s) { s[1].not_after = kTestNow - 1; }, Code::cert_expired},
      {"expired_root", 1, [](auto& s) { s[2].not_after = kTestNow - 30 * kDay; }, Code::cert_expired},
      {"not_yet_valid_leaf", 1, [](auto& s) { s[0].not_before = kTestNow + 1; }, Code::cert_not_yet_valid},
      {"not_yet_valid_intermediate", 2, [](auto& s) { s[2].not_before = kTestNow + kDay; }, Code::cert_not_yet_valid},
      {"issuer_mismatch", 1, [](auto& s) { s[0].issuer_cn = "FT Intermediate CA X"; }, Code::cert_untrusted_root},
      {"issuer_mismatch_organization", 1, [](auto& s) { s[0].issuer_organization = "FieldTrust test"; },
       Code::cert_untrusted_root},
      {"unknown_critical_leaf", 1,
       [](auto& s) {
         s[0].extra = {{"1.3.6.1.4.1.99999.1", true, {0x05, 0x00}}};
       },
       Code::cert_unknown_critical_extension},
      {"unknown_critical_intermediate", 1,
       [](auto& s) {
         s[1].extra = {{"1.3.6.1.4.1.99999.2", true, {0x04, 0x01, 0x00}}};
       },
       Code::cert_unknown_critical_extension},
      {"wrong_issuer_key_leaf", 1, [](auto& s) { s[0].issuer_key = s[0].key; }, Code::cert_bad_signature},
      {"wrong_issuer_key_intermediate", 2, [](auto& s) { s[1].issuer_key = s[3].key; }, Code::cert_bad_signature},
      {"self_signed_leaf", 1,
       [](auto& s) {
         s[0].issuer_cn = s[0].subject_cn;
         s[0].issuer_key = s[0].key;
       },
       Code::cert_leaf_self_signed},
      {"leaf_key_usage_wrong", 1, [](auto& s) { s[0].key_usage = kKeyEncipherment; }, Code::cert_leaf_key_usage},
      {"leaf_key_usage_missing", 1, [](auto& s) { s[0].key_usage = -1; }, Code::cert_missing_key_usage},
      {"issuer_key_usage_no_cert_sign", 1, [](auto& s) { s[1].key_usage = kDigitalSignature | kCrlSign; },
       Code::cert_issuer_key_usage},
      {"issuer_key_usage_missing", 1, [](auto& s) { s[1].key_usage = -1; }, Code::cert_missing_key_usage},
      {"leaf_is_ca", 1,
       [](auto& s) {
         s[0].basic_constraints = CertSpec::Ca::ca;
         s[0].key_usage = kDigitalSignature | kKeyCertSign;
       },
       Code::cert_leaf_is_ca},
      {"leaf_v1", 1, [](auto& s) { s[0].version = 1; }, Code::cert_missing_key_usage},
      {"intermediate_v1", 1, [](auto& s) { s[1].version = 1; }, Code::cert_not_ca},
      {"chain_too_long", 4, [](auto&) {}, Code::cert_chain_too_long},
  };
}

// DerFault — an edit of the encoded TBS of the leaf or of the first intermediate, re-signed.
struct DerFault {
  const char* category;
  std::function<void(DerNode& tbs)> edit;
  Code expected;
};

enum TbsIndex { kVersion = 0, kSerial = 1, kIssuer = 3, kValidity = 4, kSubject = 5, kExtensions = 7 };

DerNode* extension(DerNode& tbs, const char* oid) { return testing::find_extension(tbs, oid); }

std::vector<DerFault> der_faults() {
  return {
      {"der_serial_padding",
       [](DerNode& t) { t.children[kSerial].value.insert(t.children[kSerial].value.begin(), 0x00); },
       Code::non_canonical},
      {"der_long_form_length", [](DerNode& t) { t.children[kSubject].length_form = LengthForm::long_form; },
       Code::non_canonical},
      {"der_length_leading_zero",
       [](DerNode& t) { t.children[kIssuer].length_form = LengthForm::long_form_leading_zero; }, Code::non_canonical},
      {"der_indefinite_length", [](DerNode& t) { t.children[kValidity].length_form = LengthForm::indefinite; },
       Code::non_canonical},
      {"der_explicit_critical_false",
       [](DerNode& t) {
         DerNode* ext = extension(t, "2.5.29.14");
         ext->children.insert(ext->children.begin() + 1, DerNode{0x01, {0x00}, {}, LengthForm::minimal});
       },
       Code::non_canonical},
      {"der_boolean_not_ff", [](DerNode& t) { extension(t, "2.5.29.19")->children[1].value = {0x01}; },
       Code::non_canonical},
      {"der_ca_false_explicit",
       [](DerNode& t) {
         extension(t, "2.5.29.19")->children.back().value = {0x30, 0x03, 0x01, 0x01, 0x00};
       },
       Code::non_canonical},
      {"der_key_usage_trailing_zero",
       [](DerNode& t) {
         DerNode& value = extension(t, "2.5.29.15")->children.back();
         DerNode bits = testing::der_parse(value.value);
         bits.value[0] = static_cast<std::uint8_t>(bits.value[0] - 1);  // one more bit, a zero
         value.value = testing::der_encode(bits);
       },
       Code::non_canonical},
      {"der_key_usage_padding",
       [](DerNode& t) {
         DerNode& value = extension(t, "2.5.29.15")->children.back();
         DerNode bits = testing::der_parse(value.value);
         bits.value.back() = static_cast<std::uint8_t>(bits.value.back() | 0x01);  // a padding bit
         value.value = testing::der_encode(bits);
       },
       Code::non_canonical},
      {"der_key_usage_no_bits",
       [](DerNode& t) {
         extension(t, "2.5.29.15")->children.back().value = {0x03, 0x01, 0x00};
       },
       Code::cert_bad_extension},
      {"der_utctime_no_seconds",
       [](DerNode& t) {
         DerNode& nb = t.children[kValidity].children[0];
         nb.value.erase(nb.value.end() - 3, nb.value.end() - 1);
       },
       Code::non_canonical},
      {"der_utctime_month_13",
       [](DerNode& t) {
         DerNode& nb = t.children[kValidity].children[0];
         nb.value[2] = '1';
         nb.value[3] = '3';
       },
       Code::cert_bad_time},
      {"der_generalized_time_fraction",
       [](DerNode& t) {
         DerNode& na = t.children[kValidity].children[1];
         na.tag = 0x18;
         na.value = Der{'2', '0', '3', '6', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', '.', '5', 'Z'};
       },
       Code::non_canonical},
      {"der_version_v1_explicit", [](DerNode& t) { t.children[kVersion].children[0].value = {0x00}; },
       Code::non_canonical},
      {"der_duplicate_extension",
       [](DerNode& t) { t.children[kExtensions].children[0].children.push_back(*extension(t, "2.5.29.15")); },
       Code::duplicate_key},
      {"der_empty_extensions", [](DerNode& t) { t.children[kExtensions].children[0].children.clear(); },
       Code::cert_bad_extension},
      {"der_rdn_set_order",
       [](DerNode& t) {
         // One multi-valued RDN {O, CN} in descending order of encodings (see certificate_test.cc).
         DerNode& name = t.children[kSubject];
         std::vector<DerNode> attributes{name.children[0].children[0], name.children[1].children[0]};
         std::sort(attributes.begin(), attributes.end(),
                   [](const DerNode& a, const DerNode& b) { return testing::der_encode(a) > testing::der_encode(b); });
         name.children.resize(1);
         name.children[0].children = attributes;
       },
       Code::non_canonical},
      {"der_oid_leading_0x80",
       [](DerNode& t) {
         Der& oid = extension(t, "2.5.29.37") != nullptr ? extension(t, "2.5.29.37")->children[0].value
                                                         : extension(t, "2.5.29.15")->children[0].value;
         oid.insert(oid.begin() + 1, 0x80);
       },
       Code::non_canonical},
  };
}

void add_good_cases(std::vector<Case>& corpus) {
  int variant = 0;
  for (const Mix& mix : kGoodMixes) {
    for (std::size_t n = 0; n <= 3; ++n) {
      const testing::Chain chain = testing::build_chain(specs_for(mix, n, variant % 3));
      Case c = case_from("good", std::string(mix.name) + " +" + std::to_string(n), chain, mix, Code::ok);
      // Alternate the input order: reversed (search) or given leaf first (x5chain walk).
      if (variant % 2 == 0) {
        std::reverse(c.untrusted.begin(), c.untrusted.end());
      } else {
        c.policy.order = ChainOrder::leaf_first;
      }
      corpus.push_back(c);
      ++variant;
    }
  }
  for (const Mix& mix : kBadMixes) {
    auto specs = specs_for(mix, 1);
    specs[0].eku = {testing::kOidCodeSigning, testing::kOidAnyEku};
    corpus.push_back(case_from("good_eku_with_any", mix.name, testing::build_chain(specs), mix, Code::ok));

    specs = specs_for(mix, 1);
    specs[0].extra = {{"1.3.6.1.4.1.99999.3", false, {0x05, 0x00}}};
    specs[1].extra = {{"2.5.29.32", false, {0x30, 0x06, 0x30, 0x04, 0x06, 0x02, 0x2a, 0x03}}};  // certificatePolicies
    corpus.push_back(case_from("good_noncritical_extensions", mix.name, testing::build_chain(specs), mix, Code::ok));

    specs = specs_for(mix, 2);
    specs[3].path_len = 2;
    specs[2].path_len = 1;
    specs[1].path_len = 0;
    corpus.push_back(case_from("good_path_len_exact", mix.name, testing::build_chain(specs), mix, Code::ok));

    specs = specs_for(mix, 1);
    specs[0].not_after = kTestNow - kDay;  // expired, judged with time checks off on both sides
    Case c = case_from("good_expired_time_none", mix.name, testing::build_chain(specs), mix, Code::ok);
    c.policy.time_mode = TimeMode::none;
    c.openssl_no_check_time = true;
    corpus.push_back(c);
  }
}

void add_bad_cases(std::vector<Case>& corpus) {
  for (const SpecFault& fault : spec_faults()) {
    for (const Mix& mix : kBadMixes) {
      auto specs = specs_for(mix, fault.intermediates);
      fault.apply(specs);
      corpus.push_back(case_from(fault.category, mix.name, testing::build_chain(specs), mix, fault.expected));
    }
  }
  // Key types outside the policy, and algorithms OpenSSL's auth level refuses too.
  const Mix p256 = kBadMixes[0];
  auto leaf_kind = [&](const char* category, KeyKind kind, bool rsa, Code expected) {
    Mix mix = p256;
    mix.leaf = kind;
    mix.rsa = rsa;
    for (std::size_t n = 0; n <= 1; ++n) {
      corpus.push_back(case_from(category, std::string(testing::key_kind_name(kind)) + " +" + std::to_string(n),
                                 testing::build_chain(specs_for(mix, n)), mix, expected));
    }
  };
  leaf_kind("key_rsa2048_leaf", KeyKind::rsa2048, true, Code::cert_key_not_allowed);
  leaf_kind("key_p521_leaf", KeyKind::p521, false, Code::cert_key_not_allowed);
  leaf_kind("key_secp256k1_leaf", KeyKind::secp256k1, false, Code::cert_key_not_allowed);
  {
    Mix mix = p256;
    mix.intermediate = KeyKind::rsa2048;
    mix.rsa = true;
    corpus.push_back(case_from("key_rsa2048_intermediate", "p256<rsa2048<p256", testing::build_chain(specs_for(mix, 1)),
                               mix, Code::cert_key_not_allowed));
  }
  for (const Mix& mix : {kGoodMixes[3], kGoodMixes[5], kGoodMixes[8]}) {
    Mix disabled = mix;
    disabled.rsa = false;
    corpus.push_back(case_from("key_rsa_disabled", mix.name, testing::build_chain(specs_for(mix, 1)), disabled,
                               Code::cert_key_not_allowed));
  }
  for (const Mix& mix : {kBadMixes[0], kBadMixes[2]}) {
    auto specs = specs_for(mix, 1);
    specs[0].hash = testing::SigHash::sha1;
    corpus.push_back(case_from("sha1_signature", mix.name, testing::build_chain(specs), mix,
                               Code::cert_unsupported_signature_algorithm));
  }
  // Bad signature values (a flipped bit in the signature of one certificate).
  for (const Mix& mix : kBadMixes) {
    for (std::size_t position = 0; position <= 1; ++position) {
      testing::Chain chain = testing::build_chain(specs_for(mix, 1));
      Der& cert = chain[position];
      cert[cert.size() - 5] ^= 0x04;
      corpus.push_back(case_from("bad_signature", std::string(mix.name) + " @" + std::to_string(position), chain, mix,
                                 Code::cert_bad_signature));
    }
  }
  // Outer signatureAlgorithm differs from the TBS one (NULL parameters appended to ECDSA's).
  for (const Mix& mix : {kBadMixes[0], kBadMixes[1]}) {
    auto specs = specs_for(mix, 1);
    testing::Chain chain = testing::build_chain(specs);
    chain[0] = testing::resign(chain[0], specs[0], nullptr, [](DerNode& alg) {
      alg.children.push_back(DerNode{0x05, {}, {}, LengthForm::minimal});
    });
    corpus.push_back(case_from("sig_alg_mismatch", mix.name, chain, mix, Code::cert_sig_alg_mismatch));
  }
  // Trailing bytes after the leaf.
  for (const Mix& mix : {kBadMixes[0], kBadMixes[1]}) {
    testing::Chain chain = testing::build_chain(specs_for(mix, 1));
    chain[0].push_back(0x00);
    corpus.push_back(case_from("der_trailing_data", mix.name, chain, mix, Code::trailing_data));
  }
  // Untrusted root: the anchor is another root; missing intermediate.
  for (const Mix& mix : kBadMixes) {
    testing::Chain chain = testing::build_chain(specs_for(mix, 1));
    auto other = specs_for(mix, 0, 3);
    other[1].subject_cn = other[1].issuer_cn = "FT Other Root";
    Case c = case_from("untrusted_root", mix.name, chain, mix, Code::cert_untrusted_root);
    c.anchor = testing::build_certificate(other[1]);
    corpus.push_back(c);
    Case missing = case_from("missing_intermediate", mix.name, chain, mix, Code::cert_untrusted_root);
    missing.untrusted.clear();
    corpus.push_back(missing);
  }
  // Encoding faults in the leaf and in the intermediate.
  for (const DerFault& fault : der_faults()) {
    for (std::size_t position = 0; position <= 1; ++position) {
      const Mix& mix = kBadMixes[position == 0 ? 0 : 1];
      auto specs = specs_for(mix, 1);
      testing::Chain chain = testing::build_chain(specs);
      chain[position] = testing::resign(chain[position], specs[position], fault.edit);
      corpus.push_back(case_from(fault.category, std::string(mix.name) + " @" + std::to_string(position), chain, mix,
                                 fault.expected));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The two verifiers.

struct Verdict {
  bool valid = false;
  std::string detail;  // our code@position / OpenSSL's error string
  Code code = Code::ok;
};

Verdict run_ours(const Case& c) {
  Verdict v;
  Result<Certificate> leaf = parse_certificate(c.leaf);
  if (!leaf.ok()) {
    v.code = leaf.code();
    v.detail = std::string(code_name(leaf.code())) + " (leaf parse)";
    return v;
  }
  std::vector<Certificate> untrusted;
  for (const Der& der : c.untrusted) {
    Result<Certificate> parsed = parse_certificate(der);
    if (!parsed.ok()) {
      v.code = parsed.code();
      v.detail = std::string(code_name(parsed.code())) + " (intermediate parse)";
      return v;
    }
    untrusted.push_back(parsed.value());
  }
  TrustAnchor anchor;
  anchor.certificate = c.anchor;
  PathReport report;
  const Status status = validate_path(leaf.value(), untrusted, std::span<const TrustAnchor>(&anchor, 1), c.policy,
                                      openssl_crypto(), report);
  v.valid = status.ok();
  v.code = status.code();
  v.detail = v.valid ? "ok" : std::string(code_name(status.code()));
  return v;
}

bool openssl_has_codesign_purpose() { return X509_PURPOSE_get_by_sname("codesign") >= 0; }

Verdict run_openssl(const Case& c) {
  Verdict v;
  auto d2i = [](const Der& der) {
    const unsigned char* p = der.data();
    return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  };
  X509* leaf = d2i(c.leaf);
  X509* anchor = d2i(c.anchor);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  bool parse_failed = leaf == nullptr || anchor == nullptr;
  for (const Der& der : c.untrusted) {
    X509* x = d2i(der);
    if (x == nullptr) {
      parse_failed = true;
      continue;
    }
    sk_X509_push(untrusted, x);
  }
  if (parse_failed) {
    v.detail = "d2i_X509 failed";
  } else {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, anchor);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    // X509_V_FLAG_USE_CHECK_TIME (set by set_time) wins over NO_CHECK_TIME, so set only one.
    if (c.openssl_no_check_time) {
      X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    } else {
      X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(c.policy.time));
    }
    X509_VERIFY_PARAM_set_depth(param, static_cast<int>(c.policy.max_intermediates));
    X509_VERIFY_PARAM_set_auth_level(param, 3);
    if (openssl_has_codesign_purpose()) {
      const int index = X509_PURPOSE_get_by_sname("codesign");
      X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_get_id(X509_PURPOSE_get0(index)));
    }
    v.valid = X509_verify_cert(ctx) == 1;
    const int error = X509_STORE_CTX_get_error(ctx);
    v.detail = v.valid ? "ok"
                       : std::string(X509_verify_cert_error_string(error)) + " @" +
                             std::to_string(X509_STORE_CTX_get_error_depth(ctx));
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
  }
  X509_free(leaf);
  X509_free(anchor);
  sk_X509_pop_free(untrusted, X509_free);
  return v;
}

const Documented* documented(const Case& c, const Verdict& ours, const Verdict& openssl) {
  for (const Documented& d : kDocumented) {
    if (d.without_codesign_purpose && openssl_has_codesign_purpose()) continue;
    if (c.category == d.category && ours.valid == d.ours_valid && openssl.valid == d.openssl_valid) return &d;
  }
  return nullptr;
}

struct Tally {
  int total = 0;
  int agree = 0;
  int documented = 0;
  int undocumented = 0;
  std::set<std::string> openssl_details;
};

TEST(X509Differential, AgainstOpenSslVerifyCert) {
  std::vector<Case> corpus;
  add_good_cases(corpus);
  add_bad_cases(corpus);
  ASSERT_GE(corpus.size(), 200u);

  std::map<std::string, Tally> by_category;
  std::set<const Documented*> used;
  int good = 0;
  for (const Case& c : corpus) {
    SCOPED_TRACE(c.category + " / " + c.name);
    const Verdict ours = run_ours(c);
    const Verdict openssl = run_openssl(c);
    if (c.expected == Code::ok) ++good;
    // Our own verdict must be the one the case was built for, code included.
    EXPECT_EQ(ours.code, c.expected) << "ours: " << ours.detail;

    Tally& tally = by_category[c.category];
    ++tally.total;
    tally.openssl_details.insert(openssl.detail);
    if (ours.valid == openssl.valid) {
      ++tally.agree;
      continue;
    }
    if (const Documented* d = documented(c, ours, openssl)) {
      ++tally.documented;
      used.insert(d);
      continue;
    }
    ++tally.undocumented;
    ADD_FAILURE() << "undocumented disagreement: ours " << (ours.valid ? "valid" : "rejected") << " (" << ours.detail
                  << "), OpenSSL " << (openssl.valid ? "valid" : "rejected") << " (" << openssl.detail << ")";
  }
  for (const Documented& d : kDocumented) {
    if (d.without_codesign_purpose && openssl_has_codesign_purpose()) continue;
    EXPECT_TRUE(used.count(&d) == 1) << "documented disagreement no longer observed: " << d.category;
  }

  int agree = 0;
  int documented_count = 0;
  int undocumented = 0;
  std::printf("\nX.509 differential against %s (%s code-signing purpose): %zu chains, %d good, %zu bad\n",
              OpenSSL_version(OPENSSL_VERSION), openssl_has_codesign_purpose() ? "with" : "without", corpus.size(),
              good, corpus.size() - static_cast<std::size_t>(good));
  std::printf("%-32s %5s %5s %9s %6s  %s\n", "category", "cases", "agree", "disagree*", "undoc", "OpenSSL said");
  for (const auto& [category, t] : by_category) {
    std::string details;
    for (const std::string& d : t.openssl_details) details += (details.empty() ? "" : "; ") + d;
    std::printf("%-32s %5d %5d %9d %6d  %s\n", category.c_str(), t.total, t.agree, t.documented, t.undocumented,
                details.c_str());
    agree += t.agree;
    documented_count += t.documented;
    undocumented += t.undocumented;
  }
  std::printf("total: %zu chains, %d agree, %d documented disagreements, %d undocumented\n", corpus.size(), agree,
              documented_count, undocumented);
  std::printf("(* documented: our stricter choice, with the reason in kDocumented)\n");
}

}  // namespace
}  // namespace ft::x509
