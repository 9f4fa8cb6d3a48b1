// PsaCrypto against a real PSA Crypto implementation (Debian's Mbed TLS 2.28 libmbedcrypto): hash
// known answers, signatures made by OpenSSL (ft/ports/testing/test_keys.h) on both key paths, the
// Wycheproof ECDSA vectors (testdata/wycheproof, Apache-2.0), key and signature rejections, and
// key-slot release.
#include "ft/ports/psa.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ft/host/hex.h"
#include "ft/ports/testing/test_keys.h"

namespace ft::testing {
namespace {

using nlohmann::json;

const ByteVector kMessage = {'f', 'i', 'r', 'm', 'w', 'a', 'r', 'e', ' ', '2', '.', '0'};

ByteVector unhex(const std::string& hex) {
  auto bytes = host::from_hex(hex);
  if (!bytes) throw std::runtime_error("bad hex: " + hex);
  return *bytes;
}

Bytes text(const char* s) { return Bytes(reinterpret_cast<const std::uint8_t*>(s), std::char_traits<char>::length(s)); }

struct Keys {
  TestKey p256 = TestKey::generate(KeyType::ec_p256);
  TestKey p384 = TestKey::generate(KeyType::ec_p384);
  TestKey ed25519 = TestKey::generate(KeyType::ed25519);
  TestKey rsa = TestKey::generate(KeyType::rsa, 2048);
};

const Keys& keys() {
  static const Keys instance;
  return instance;
}

Code verify_with(CryptoPort& port, const PublicKey& pk, SigScheme scheme, Bytes message, Bytes signature) {
  Result<VerifyingKey> vk = make_verifying_key(pk, scheme);
  EXPECT_TRUE(vk.ok()) << code_name(vk.code());
  if (!vk.ok()) return vk.code();
  return port.verify(*vk, message, signature).code();
}

// ---- hashes ----

TEST(PsaCryptoHash, KnownAnswers) {
  PsaCrypto port;
  const struct {
    HashAlg alg;
    const char* hex;
  } cases[] = {
      {HashAlg::sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {HashAlg::sha384,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      {HashAlg::sha512,
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2"
       "a9ac94fa54ca49f"},
  };
  for (const auto& c : cases) {
    Digest out;
    ASSERT_TRUE(digest(port, c.alg, text("abc"), out).ok());
    EXPECT_EQ(out.alg, c.alg);
    EXPECT_EQ(host::to_hex(out.bytes()), c.hex);
  }
}

TEST(PsaCryptoHash, StreamingEqualsOneShotAtEverySplit) {
  PsaCrypto port;
  const Bytes data = text("The quick brown fox jumps over the lazy dog, twice: the quick brown fox.");
  Digest whole;
  ASSERT_TRUE(digest(port, HashAlg::sha384, data, whole).ok());
  for (std::size_t split = 0; split <= data.size(); ++split) {
    HashContext ctx{};
    ASSERT_TRUE(port.hash_begin(HashAlg::sha384, ctx).ok());
    ASSERT_TRUE(port.hash_update(ctx, data.first(split)).ok());
    ASSERT_TRUE(port.hash_update(ctx, data.subspan(split)).ok());
    Digest part;
    ASSERT_TRUE(port.hash_finish(ctx, part).ok());
    EXPECT_EQ(host::to_hex(part.bytes()), host::to_hex(whole.bytes())) << "split " << split;
  }
}

TEST(PsaCryptoHash, FinishedOrAbortedContextIsInactive) {
  PsaCrypto port;
  HashContext ctx{};
  ASSERT_TRUE(port.hash_begin(HashAlg::sha256, ctx).ok());
  EXPECT_TRUE(ctx.active);
  Digest out;
  ASSERT_TRUE(port.hash_finish(ctx, out).ok());
  EXPECT_FALSE(ctx.active);
  EXPECT_EQ(port.hash_update(ctx, text("x")).code(), Code::invalid_argument);
  EXPECT_EQ(port.hash_finish(ctx, out).code(), Code::invalid_argument);

  ASSERT_TRUE(port.hash_begin(HashAlg::sha512, ctx).ok());
  port.hash_abort(ctx);
  EXPECT_FALSE(ctx.active);
  port.hash_abort(ctx);  // safe on an inactive context
  EXPECT_EQ(port.hash_finish(ctx, out).code(), Code::invalid_argument);
}

// ---- signatures ----

struct SchemeCase {
  const char* name;
  const TestKey& (*key)();
  SigScheme scheme;
};

const TestKey& p256() { return keys().p256; }
const TestKey& p384() { return keys().p384; }

const SchemeCase kEcdsaCases[] = {
    {"ES256 P1363", &p256, SigScheme::ecdsa_p256_sha256_p1363},
    {"ES384 P1363", &p384, SigScheme::ecdsa_p384_sha384_p1363},
    {"P-256 ecdsa-with-SHA256", &p256, SigScheme::ecdsa_sha256_der},
    {"P-256 ecdsa-with-SHA384", &p256, SigScheme::ecdsa_sha384_der},
    {"P-256 ecdsa-with-SHA512", &p256, SigScheme::ecdsa_sha512_der},
    {"P-384 ecdsa-with-SHA256", &p384, SigScheme::ecdsa_sha256_der},
    {"P-384 ecdsa-with-SHA384", &p384, SigScheme::ecdsa_sha384_der},
    {"P-384 ecdsa-with-SHA512", &p384, SigScheme::ecdsa_sha512_der},
};

TEST(PsaCryptoVerify, EcdsaRoundTripsAndTamperingOnBothKeyPaths) {
  PsaCrypto port;
  for (const SchemeCase& c : kEcdsaCases) {
    const ByteVector signature = c.key().sign(c.scheme, bytes_of(kMessage));
    for (bool with_spki : {false, true}) {
      SCOPED_TRACE(std::string(c.name) + (with_spki ? " (SPKI)" : " (raw key)"));
      const PublicKey pk = c.key().public_key(with_spki);
      EXPECT_EQ(verify_with(port, pk, c.scheme, bytes_of(kMessage), bytes_of(signature)), Code::ok);

      ByteVector other = kMessage;
      other.back() ^= 0x01;
      EXPECT_EQ(verify_with(port, pk, c.scheme, bytes_of(other), bytes_of(signature)), Code::bad_signature);
      ByteVector flipped = signature;
      flipped[flipped.size() / 2] ^= 0x01;
      ByteVector truncated(signature.begin(), signature.end() - 1);
      ByteVector extended = signature;
      extended.push_back(0x00);
      for (const ByteVector* bad : {&flipped, &truncated, &extended}) {
        EXPECT_EQ(verify_with(port, pk, c.scheme, bytes_of(kMessage), bytes_of(*bad)), Code::bad_signature);
      }
      EXPECT_EQ(verify_with(port, pk, c.scheme, bytes_of(kMessage), Bytes()), Code::bad_signature);
    }
  }
}

TEST(PsaCryptoVerify, KeysAreReleasedAfterEveryCall) {
  // Mbed TLS has 32 volatile key slots: without psa_destroy_key the 33rd import would fail.
  PsaCrypto port;
  const PublicKey pk = p256().public_key(false);
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  ByteVector bad = signature;
  bad[0] ^= 0x01;
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(verify_with(port, pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)), Code::ok)
        << "call " << i;
    ASSERT_EQ(verify_with(port, pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(bad)),
              Code::bad_signature)
        << "call " << i;
  }
}

TEST(PsaCryptoVerify, UnusableKeysAreBadKey) {
  PsaCrypto port;
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));

  ByteVector off_curve = p256().key();
  off_curve.back() ^= 0x01;
  ByteVector compressed(p256().key().begin(), p256().key().begin() + 33);
  compressed[0] = 0x02;
  ByteVector short_point(p256().key().begin(), p256().key().end() - 1);
  for (const ByteVector* bad : {&off_curve, &compressed, &short_point}) {
    PublicKey pk = p256().public_key(false);
    pk.key = bytes_of(*bad);
    EXPECT_EQ(verify_with(port, pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)),
              Code::bad_key);
  }

  PublicKey contradicting = p256().public_key(true);
  contradicting.spki = bytes_of(p384().spki());  // declared P-256, SPKI says P-384
  EXPECT_EQ(verify_with(port, contradicting, SigScheme::ecdsa_sha256_der, bytes_of(kMessage),
                        bytes_of(p256().sign(SigScheme::ecdsa_sha256_der, bytes_of(kMessage)))),
            Code::bad_key);
  ByteVector trailing = p256().spki();
  trailing.push_back(0x00);
  PublicKey with_trailing = p256().public_key(true);
  with_trailing.spki = bytes_of(trailing);
  EXPECT_EQ(verify_with(port, with_trailing, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)),
            Code::bad_key);
}

TEST(PsaCryptoVerify, SpkiIsTheKeySourceWhenPresent) {
  // The raw key says one thing, the SPKI another key of the same type: the SPKI decides.
  PsaCrypto port;
  const TestKey other = TestKey::generate(KeyType::ec_p256);
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  PublicKey pk = other.public_key(false);
  pk.spki = bytes_of(p256().spki());
  EXPECT_EQ(verify_with(port, pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)), Code::ok);
  pk = p256().public_key(false);
  pk.spki = bytes_of(other.spki());
  EXPECT_EQ(verify_with(port, pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)),
            Code::bad_signature);
}

TEST(PsaCryptoVerify, Ed25519OnMbedTls228IsUnsupportedAfterTheKeyCheck) {
  PsaCrypto port;
  const TestKey& key = keys().ed25519;
  const ByteVector signature = key.sign(SigScheme::ed25519, bytes_of(kMessage));
  for (bool with_spki : {false, true}) {
    EXPECT_EQ(verify_with(port, key.public_key(with_spki), SigScheme::ed25519, bytes_of(kMessage), bytes_of(signature)),
              Code::unsupported_algorithm);
  }
  ByteVector short_key(key.key().begin(), key.key().end() - 1);
  PublicKey pk = key.public_key(false);
  pk.key = bytes_of(short_key);
  EXPECT_EQ(verify_with(port, pk, SigScheme::ed25519, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
}

TEST(PsaCryptoVerify, RsaIsUnsupported) {
  PsaCrypto port;
  const TestKey& key = keys().rsa;
  for (SigScheme scheme : {SigScheme::rsa_pss_sha256, SigScheme::rsa_pkcs1_sha256}) {
    const ByteVector signature = key.sign(scheme, bytes_of(kMessage));
    EXPECT_EQ(verify_with(port, key.public_key(false), scheme, bytes_of(kMessage), bytes_of(signature)),
              Code::unsupported_algorithm);
  }
}

TEST(PsaCryptoVerify, InvalidVerifyingKeyIsAnArgumentError) {
  PsaCrypto port;
  EXPECT_EQ(port.verify(VerifyingKey(), bytes_of(kMessage), bytes_of(kMessage)).code(), Code::invalid_argument);
}

// ---- Wycheproof ----

struct VectorFile {
  const char* file;
  SigScheme scheme;
  KeyType type;
};

const VectorFile kVectorFiles[] = {
    {"ecdsa_secp256r1_sha256_p1363_test.json", SigScheme::ecdsa_p256_sha256_p1363, KeyType::ec_p256},
    {"ecdsa_secp256r1_sha256_test.json", SigScheme::ecdsa_sha256_der, KeyType::ec_p256},
    {"ecdsa_secp384r1_sha384_p1363_test.json", SigScheme::ecdsa_p384_sha384_p1363, KeyType::ec_p384},
    {"ecdsa_secp384r1_sha384_test.json", SigScheme::ecdsa_sha384_der, KeyType::ec_p384},
};

void PrintTo(const VectorFile& vf, std::ostream* os) { *os << vf.file; }

class PsaWycheproofTest : public ::testing::TestWithParam<VectorFile> {};

TEST_P(PsaWycheproofTest, ValidVerifiesInvalidIsBadSignatureOnBothKeyPaths) {
  const VectorFile& vf = GetParam();
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/wycheproof/" + vf.file);
  ASSERT_TRUE(in) << vf.file;
  const json doc = json::parse(in);
  PsaCrypto port;
  int cases = 0;
  int valid = 0;
  for (const json& group : doc.at("testGroups")) {
    const ByteVector point = unhex(group.at("publicKey").at("uncompressed").get<std::string>());
    const ByteVector spki = unhex(group.at("publicKeyDer").get<std::string>());
    for (bool with_spki : {false, true}) {
      PublicKey pk;
      pk.type = vf.type;
      pk.bits = group.at("publicKey").at("keySize").get<std::uint32_t>();
      pk.key = bytes_of(point);
      if (with_spki) pk.spki = bytes_of(spki);
      Result<VerifyingKey> vk = make_verifying_key(pk, vf.scheme);
      ASSERT_TRUE(vk.ok());
      for (const json& test : group.at("tests")) {
        ++cases;
        const std::string result = test.at("result").get<std::string>();
        ASSERT_NE(result, "acceptable") << "no decision for acceptable cases in this test; see the conformance suite";
        const ByteVector message = unhex(test.at("msg").get<std::string>());
        const ByteVector signature = unhex(test.at("sig").get<std::string>());
        const Status status = port.verify(*vk, bytes_of(message), bytes_of(signature));
        const std::string what = "tcId " + std::to_string(test.at("tcId").get<int>()) + (with_spki ? " SPKI" : " raw");
        if (result == "valid") {
          ++valid;
          EXPECT_TRUE(status.ok()) << what << ": " << code_name(status.code()) << " " << status.error().message;
        } else {
          EXPECT_EQ(status.code(), Code::bad_signature) << what << ": " << status.error().message;
        }
      }
    }
  }
  EXPECT_EQ(cases, 2 * doc.at("numberOfTests").get<int>());
  EXPECT_GT(valid, 0);
}

std::string vector_file_name(const ::testing::TestParamInfo<VectorFile>& param_info) {
  const std::string file = param_info.param.file;
  return file.substr(0, file.find('.'));
}

INSTANTIATE_TEST_SUITE_P(Files, PsaWycheproofTest, ::testing::ValuesIn(kVectorFiles), vector_file_name);

}  // namespace
}  // namespace ft::testing
