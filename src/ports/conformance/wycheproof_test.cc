// Wycheproof signature vectors (testdata/wycheproof, Apache-2.0) through every port, with the key
// taken once from its raw encoding and once from its SubjectPublicKeyInfo. Every "valid" case
// must verify, every "invalid" one must be rejected with bad_signature, and "acceptable" cases
// get the verdict decided per flag in docs/crypto-conformance.md (kAcceptableDecisions below).
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "ft/host/hex.h"
#include "ft/ports/testing/test_keys.h"
#include "ports_under_test.h"

namespace ft::testing {
namespace {

using nlohmann::json;

struct VectorFile {
  const char* file;
  const char* id;  // for test names
  SigScheme scheme;
  KeyType type;
};

const VectorFile kVectorFiles[] = {
    {"ecdsa_secp256r1_sha256_p1363_test.json", "es256_p1363", SigScheme::ecdsa_p256_sha256_p1363, KeyType::ec_p256},
    {"ecdsa_secp256r1_sha256_test.json", "p256_sha256_der", SigScheme::ecdsa_sha256_der, KeyType::ec_p256},
    {"ecdsa_secp384r1_sha384_p1363_test.json", "es384_p1363", SigScheme::ecdsa_p384_sha384_p1363, KeyType::ec_p384},
    {"ecdsa_secp384r1_sha384_test.json", "p384_sha384_der", SigScheme::ecdsa_sha384_der, KeyType::ec_p384},
    {"ed25519_test.json", "ed25519", SigScheme::ed25519, KeyType::ed25519},
    {"rsa_pss_2048_sha256_mgf1_32_test.json", "ps256_2048", SigScheme::rsa_pss_sha256, KeyType::rsa},
    {"rsa_pss_3072_sha256_mgf1_32_test.json", "ps256_3072", SigScheme::rsa_pss_sha256, KeyType::rsa},
};

enum class KeyPath { raw, spki };

void PrintTo(const VectorFile& vf, std::ostream* os) { *os << vf.file; }
void PrintTo(KeyPath path, std::ostream* os) { *os << (path == KeyPath::raw ? "raw key" : "SPKI"); }

// Decisions for "acceptable" cases, by Wycheproof flag (docs/crypto-conformance.md). A case is
// accepted only if every one of its flags is decided "accept"; a flag missing here fails the test
// so a new vector set cannot slip in undecided.
const std::map<std::string, bool> kAcceptableDecisions = {
    {"BerEncodedSignature", false},    // strict DER: BER length or integer forms reject
    {"MissingZero", false},            // INTEGER without its sign byte reads as negative
    {"InvalidEncoding", false},
    {"SignatureMalleability", false},  // Ed25519 s >= L (RFC 8032 §5.1.7)
    {"SignatureWithGarbage", false},
    {"WeakHash", false},               // not our schemes' hash
    {"SmallRandS", true},              // mathematically valid signature with small r and s
    {"ArithmeticError", true},         // valid signature hitting arithmetic edge cases
    {"SpecialCaseHash", true},
};

const json& load(const std::string& file) {
  static std::map<std::string, json> cache;
  auto it = cache.find(file);
  if (it != cache.end()) return it->second;
  const std::string path = std::string(FT_TESTDATA_DIR) + "/wycheproof/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return cache.emplace(file, json::parse(in)).first->second;
}

ByteVector hex_field(const json& value) {
  std::optional<ByteVector> bytes = host::from_hex(value.get<std::string>());
  if (!bytes) throw std::runtime_error("bad hex in vector file: " + value.get<std::string>());
  return *bytes;
}

// GroupKey — the PublicKey of one test group with the buffers it points into.
struct GroupKey {
  ByteVector key;
  ByteVector spki;
  PublicKey public_key;
};

GroupKey group_key(const json& group, const VectorFile& vf, KeyPath path) {
  GroupKey gk;
  const json& pub = group.at("publicKey");
  std::uint32_t bits = 0;
  switch (vf.type) {
    case KeyType::ec_p256:
    case KeyType::ec_p384:
      gk.key = hex_field(pub.at("uncompressed"));
      bits = pub.at("keySize").get<std::uint32_t>();
      break;
    case KeyType::ed25519:
      gk.key = hex_field(pub.at("pk"));
      bits = 256;
      break;
    case KeyType::rsa:
      gk.key = hex_field(group.at("publicKeyAsn"));  // DER RSAPublicKey
      bits = group.at("keySize").get<std::uint32_t>();
      break;
    case KeyType::none:
      break;
  }
  if (path == KeyPath::spki) gk.spki = hex_field(group.at("publicKeyDer"));
  gk.public_key.type = vf.type;
  gk.public_key.bits = bits;
  gk.public_key.key = bytes_of(gk.key);
  gk.public_key.spki = bytes_of(gk.spki);
  return gk;
}

// check_group_parameters makes sure the file says what our scheme mapping assumes.
void check_group_parameters(const json& group, const VectorFile& vf) {
  switch (vf.scheme) {
    case SigScheme::ecdsa_p256_sha256_p1363:
    case SigScheme::ecdsa_sha256_der:
      ASSERT_EQ(group.at("sha"), "SHA-256");
      ASSERT_EQ(group.at("publicKey").at("curve"), "secp256r1");
      break;
    case SigScheme::ecdsa_p384_sha384_p1363:
    case SigScheme::ecdsa_sha384_der:
      ASSERT_EQ(group.at("sha"), "SHA-384");
      ASSERT_EQ(group.at("publicKey").at("curve"), "secp384r1");
      break;
    case SigScheme::ed25519:
      ASSERT_EQ(group.at("publicKey").at("curve"), "edwards25519");
      break;
    case SigScheme::rsa_pss_sha256:
      ASSERT_EQ(group.at("sha"), "SHA-256");
      ASSERT_EQ(group.at("mgf"), "MGF1");
      ASSERT_EQ(group.at("mgfSha"), "SHA-256");
      ASSERT_EQ(group.at("sLen"), 32);
      break;
    default:
      FAIL() << "no Wycheproof mapping for this scheme";
  }
}

struct Tally {
  int verified = 0;
  int rejected = 0;
};

using Param = std::tuple<PortUnderTest, VectorFile, KeyPath>;

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param).name) + "_" + std::get<1>(info.param).id + "_" +
         (std::get<2>(info.param) == KeyPath::raw ? "raw_key" : "spki");
}

class WycheproofTest : public ::testing::TestWithParam<Param> {};

TEST_P(WycheproofTest, EveryVectorGetsItsVerdict) {
  const auto& [port_under_test, vf, path] = GetParam();
  CryptoPort& port = port_under_test.port();
  const json& doc = load(vf.file);
  const bool supported = port_under_test.supports(vf.scheme);

  std::map<std::string, Tally> tally;  // by result: valid, invalid, acceptable
  std::map<std::string, int> rejection_codes;
  int cases = 0;
  for (const json& group : doc.at("testGroups")) {
    check_group_parameters(group, vf);
    const GroupKey gk = group_key(group, vf, path);
    Result<VerifyingKey> vk = make_verifying_key(gk.public_key, vf.scheme);
    ASSERT_TRUE(vk.ok()) << code_name(vk.code());
    for (const json& test : group.at("tests")) {
      ++cases;
      const int id = test.at("tcId").get<int>();
      const std::string result = test.at("result").get<std::string>();
      const ByteVector message = hex_field(test.at("msg"));
      const ByteVector signature = hex_field(test.at("sig"));
      const Status status = port.verify(*vk, bytes_of(message), bytes_of(signature));
      if (!supported) {
        ASSERT_EQ(status.code(), Code::unsupported_algorithm) << "tcId " << id;
        continue;
      }
      // Any rejection must be a verdict on the data, never a backend failure.
      if (!status.ok()) {
        ++rejection_codes[code_name(status.code())];
        EXPECT_EQ(status.code(), Code::bad_signature) << "tcId " << id << " " << status.error().message;
      }
      Tally& t = tally[result];
      (status.ok() ? t.verified : t.rejected) += 1;

      const std::string what = "tcId " + std::to_string(id) + " (" + test.at("comment").get<std::string>() + ")";
      if (result == "valid") {
        EXPECT_TRUE(status.ok()) << what << ": valid signature rejected: " << code_name(status.code());
      } else if (result == "invalid") {
        EXPECT_FALSE(status.ok()) << what << ": invalid signature accepted";
      } else {
        ASSERT_EQ(result, "acceptable") << what;
        bool accept = true;
        for (const json& flag : test.at("flags")) {
          auto decision = kAcceptableDecisions.find(flag.get<std::string>());
          ASSERT_NE(decision, kAcceptableDecisions.end())
              << what << ": acceptable case with undecided flag " << flag << " — decide it in "
              << "docs/crypto-conformance.md and kAcceptableDecisions";
          accept = accept && decision->second;
        }
        EXPECT_EQ(status.ok(), accept) << what << ": acceptable case, decision is " << (accept ? "accept" : "reject");
      }
    }
  }
  EXPECT_EQ(cases, doc.at("numberOfTests").get<int>()) << "not every vector ran";

  const char* key_path = path == KeyPath::raw ? "raw key" : "SPKI";
  if (!supported) {
    std::cout << "[wycheproof] " << port_under_test.name << " " << vf.file << " (" << key_path << "): " << cases
              << " cases, all unsupported_algorithm\n";
    GTEST_SKIP() << port_under_test.name << " does not support this scheme (mbed TLS 2.28 has no Ed25519); "
                 << cases << " cases returned unsupported_algorithm";
  }
  std::ostringstream line;
  line << "[wycheproof] " << port_under_test.name << " " << vf.file << " (" << key_path << "): ";
  for (const char* result : {"valid", "invalid", "acceptable"}) {
    const Tally& t = tally[result];
    line << result << " " << t.verified << " verified/" << t.rejected << " rejected; ";
  }
  line << "rejections:";
  for (const auto& [code, count] : rejection_codes) line << " " << code << "=" << count;
  std::cout << line.str() << "\n";
  RecordProperty("counts", line.str());
}

INSTANTIATE_TEST_SUITE_P(Vectors, WycheproofTest,
                         ::testing::Combine(::testing::ValuesIn(kPortsUnderTest), ::testing::ValuesIn(kVectorFiles),
                                            ::testing::Values(KeyPath::raw, KeyPath::spki)),
                         param_name);

}  // namespace
}  // namespace ft::testing
