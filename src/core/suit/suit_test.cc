// Tests of the SUIT subset on the public draft-ietf-suit-manifest examples (testdata/suit).
#include "ft/suit/suit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ft/cose/sign1.h"
#include "ft/ports/openssl.h"

namespace ft::suit {
namespace {

std::vector<std::uint8_t> load(const std::string& name) {
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

PublicKey example_key(const std::vector<std::uint8_t>& spki) {
  PublicKey key;
  key.type = KeyType::ec_p256;
  key.spki = spki;
  key.key = Bytes(spki).last(65);  // the uncompressed point ends the P-256 SPKI
  key.bits = 256;
  return key;
}

// verify_example runs every step a verifier runs (without X.509: the examples use a raw key).
Code verify_example(const std::vector<std::uint8_t>& data, const PublicKey& key) {
  CryptoPort& crypto = openssl_crypto();
  auto env = parse_envelope(data);
  if (!env.ok()) return env.code();
  const Status d = check_manifest_digest(crypto, *env);
  if (!d.ok()) return d.code();
  for (std::size_t i = 0; i < env->auth_block_count; ++i) {
    auto sign1 = cose::parse_sign1(env->auth_blocks[i]);
    if (!sign1.ok()) return sign1.code();
    std::uint8_t scratch[256];
    const Status v = cose::verify_sign1(crypto, *sign1, key, env->digest_encoded, scratch);
    if (!v.ok()) return v.code();
  }
  auto manifest = parse_manifest(crypto, *env);
  if (!manifest.ok()) return manifest.code();
  ProcessOptions options;
  options.require_payload = false;  // the examples' digests are sample patterns, not real images
  ProcessReport report;
  return process(crypto, *env, *manifest, options, report).code();
}

const char* const kExamples[] = {"suit_manifest_exp0.suit", "suit_manifest_exp1.suit", "suit_manifest_exp2A.suit",
                                 "suit_manifest_exp2B.suit", "suit_manifest_exp3.suit", "suit_manifest_exp4.suit",
                                 "suit_manifest_exp5.suit"};

TEST(SuitExamples, ParseAndVerify) {
  const auto spki = load("trust_anchor_secp256r1_pub.der");
  const PublicKey key = example_key(spki);
  for (const char* name : kExamples) {
    const auto data = load(name);
    EXPECT_EQ(verify_example(data, key), Code::ok) << name;
  }
}

TEST(SuitExamples, ManifestFields) {
  auto data = load("suit_manifest_exp5.suit");
  auto env = parse_envelope(data);
  ASSERT_TRUE(env.ok());
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->sequence_number, 5u);
  EXPECT_EQ(m->component_count, 2u);
  ProcessOptions options;
  options.require_payload = false;
  const std::uint8_t vendor[] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                 0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
  options.expected_vendor_id = vendor;
  ProcessReport report;
  ASSERT_TRUE(process(openssl_crypto(), *env, *m, options, report).ok());
  EXPECT_TRUE(report.vendor_checked);
  EXPECT_EQ(m->components[0].image_size, 34768u);
  EXPECT_EQ(m->components[1].image_size, 76834u);
  EXPECT_EQ(report.images_checked, 0u);  // no payload given: nothing hashed
}

TEST(SuitExamples, WrongVendorOrClassRejected) {
  auto data = load("suit_manifest_exp1.suit");
  auto env = parse_envelope(data);
  ASSERT_TRUE(env.ok());
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok());
  const std::uint8_t other[16] = {1};
  ProcessOptions options;
  options.require_payload = false;
  options.expected_vendor_id = other;
  ProcessReport report;
  EXPECT_EQ(process(openssl_crypto(), *env, *m, options, report).code(), Code::suit_vendor_mismatch);
  auto m2 = parse_manifest(openssl_crypto(), *env);
  ProcessOptions by_class;
  by_class.require_payload = false;
  by_class.expected_class_id = other;
  EXPECT_EQ(process(openssl_crypto(), *env, *m2, by_class, report).code(), Code::suit_class_mismatch);
}

TEST(SuitExamples, PayloadRequiredByDefault) {
  auto data = load("suit_manifest_exp1.suit");
  auto env = parse_envelope(data);
  auto m = parse_manifest(openssl_crypto(), *env);
  ASSERT_TRUE(m.ok());
  ProcessOptions options;  // require_payload = true
  ProcessReport report;
  EXPECT_EQ(process(openssl_crypto(), *env, *m, options, report).code(), Code::suit_payload_missing);
}

// Every single-byte change and every truncation of every example is rejected.
TEST(SuitExamples, EveryByteMatters) {
  const auto spki = load("trust_anchor_secp256r1_pub.der");
  const PublicKey key = example_key(spki);
  std::size_t mutations = 0;
  for (const char* name : kExamples) {
    const auto original = load(name);
    for (std::size_t pos = 0; pos < original.size(); ++pos) {
      for (const int delta : {0x01, 0x80, 0xff}) {
        auto copy = original;
        copy[pos] = static_cast<std::uint8_t>(copy[pos] ^ delta);
        ++mutations;
        EXPECT_NE(verify_example(copy, key), Code::ok) << name << " byte " << pos << " ^ " << int(delta);
      }
    }
    for (std::size_t len = 0; len < original.size(); ++len) {
      const std::vector<std::uint8_t> cut(original.begin(), original.begin() + static_cast<long>(len));
      EXPECT_NE(verify_example(cut, key), Code::ok) << name << " truncated to " << len;
    }
  }
  EXPECT_GT(mutations, 5000u);
}

}  // namespace
}  // namespace ft::suit
