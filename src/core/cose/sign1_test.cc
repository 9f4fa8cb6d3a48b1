// Tests of COSE_Sign1 parsing and verification (ft/cose/sign1.h): every rejection reason on a
// message built field by field, and verification on the public SUIT examples' signature.
#include "ft/cose/sign1.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "ft/base/config.h"
#include "ft/cbor/cbor.h"
#include "ft/ports/openssl.h"
#include "ft/suit/suit.h"

namespace ft::cose {
namespace {

using Writer = std::function<void(cbor::Encoder&)>;

std::vector<std::uint8_t> encode(const Writer& write) {
  cbor::Encoder counter;
  write(counter);
  std::vector<std::uint8_t> out(counter.size());
  cbor::Encoder e(out);
  write(e);
  EXPECT_TRUE(e.finish().ok());
  return out;
}

const std::vector<std::uint8_t> kSignature(64, 0x5a);

// sign1 encodes [protected, unprotected, nil, signature] with the given header buckets.
std::vector<std::uint8_t> sign1(const Writer& protected_map, const Writer& unprotected_map, bool tagged = true) {
  const auto protected_bstr = encode(protected_map);
  return encode([&](cbor::Encoder& e) {
    if (tagged) e.write_tag(kTagSign1);
    e.write_array(4);
    e.write_bstr(protected_bstr);
    unprotected_map(e);
    e.write_null();
    e.write_bstr(kSignature);
  });
}

Writer alg_only(std::int64_t alg) {
  return [alg](cbor::Encoder& e) {
    e.write_map(1);
    e.write_uint(kHeaderAlg);
    e.write_int(alg);
  };
}

void empty_map(cbor::Encoder& e) { e.write_map(0); }

Code parse_code(const std::vector<std::uint8_t>& encoded) {
  Sign1 msg;
  const Code code = parse_sign1(encoded, msg).code();
  EXPECT_EQ(parse_sign1(Bytes(encoded)).code(), code) << "both forms of parse_sign1 agree";
  return code;
}

TEST(CoseSign1, ParsesADetachedMessageWithKidAndChain) {
  const std::uint8_t kid[] = {'k', '1'};
  const auto encoded = sign1(alg_only(-7), [&](cbor::Encoder& e) {
    e.write_map(2);
    e.write_uint(kHeaderKid);
    e.write_bstr(kid);
    e.write_uint(kHeaderX5Chain);
    e.write_array(2);
    e.write_bstr(kid);
    e.write_bstr(kid);
  });
  Sign1 msg;
  ASSERT_TRUE(parse_sign1(encoded, msg).ok());
  EXPECT_EQ(msg.alg, -7);
  EXPECT_TRUE(msg.payload_detached);
  EXPECT_EQ(msg.kid.size(), 2u);
  EXPECT_EQ(msg.x5chain_count, 2u);
  EXPECT_EQ(msg.signature.size(), 64u);
  // Parsing into a used Sign1 starts afresh.
  ASSERT_TRUE(parse_sign1(sign1(alg_only(-8), empty_map, false), msg).ok());
  EXPECT_EQ(msg.alg, -8);
  EXPECT_EQ(msg.x5chain_count, 0u);
  EXPECT_TRUE(msg.kid.empty());
}

TEST(CoseSign1, StructureErrors) {
  EXPECT_EQ(parse_code({}), Code::truncated);
  auto wrong_tag = sign1(alg_only(-7), empty_map);
  wrong_tag[0] = 0xd1;  // tag 17
  EXPECT_EQ(parse_code(wrong_tag), Code::cose_malformed);
  auto trailing = sign1(alg_only(-7), empty_map);
  trailing.push_back(0);
  EXPECT_EQ(parse_code(trailing), Code::trailing_data);
  const auto three = encode([](cbor::Encoder& e) {
    e.write_array(3);
    e.write_bstr(Bytes());
    e.write_map(0);
    e.write_null();
  });
  EXPECT_EQ(parse_code(three), Code::cose_malformed);
  EXPECT_EQ(parse_code(sign1(alg_only(-7), [](cbor::Encoder& e) { e.write_array(0); })), Code::cose_malformed);
  const auto after_protected_map = sign1(
      [](cbor::Encoder& e) {
        alg_only(-7)(e);
        e.write_uint(0);
      },
      empty_map);
  EXPECT_EQ(parse_code(after_protected_map), Code::cose_malformed);
}

TEST(CoseSign1, HeaderRules) {
  EXPECT_EQ(parse_code(sign1(empty_map, empty_map)), Code::cose_alg_missing);
  EXPECT_EQ(parse_code(sign1(empty_map, alg_only(-7))), Code::cose_bad_protected_header) << "alg unprotected";
  EXPECT_EQ(parse_code(sign1(alg_only(-7), alg_only(-7))), Code::cose_bad_protected_header) << "label in both";
  const Writer text_label = [](cbor::Encoder& e) {
    e.write_map(1);
    e.write_tstr("vendor");
    e.write_uint(1);
  };
  EXPECT_EQ(parse_code(sign1(
                [](cbor::Encoder& e) {
                  e.write_map(2);
                  e.write_uint(kHeaderAlg);
                  e.write_int(-7);
                  e.write_tstr("vendor");
                  e.write_uint(2);
                }, text_label)),
            Code::cose_bad_protected_header)
      << "text label in both";
  EXPECT_EQ(parse_code(sign1(alg_only(-7), text_label)), Code::ok) << "text labels are ignored";
  const auto with_crit = [](std::int64_t critical) {
    return sign1(
        [critical](cbor::Encoder& e) {
          e.write_map(2);
          e.write_uint(kHeaderAlg);
          e.write_int(-7);
          e.write_uint(kHeaderCrit);
          e.write_array(1);
          e.write_int(critical);
        },
        empty_map);
  };
  EXPECT_EQ(parse_code(with_crit(kHeaderX5Chain)), Code::ok);
  EXPECT_EQ(parse_code(with_crit(kHeaderKid)), Code::ok);
  EXPECT_EQ(parse_code(with_crit(99)), Code::cose_unknown_critical_header);
  EXPECT_EQ(parse_code(with_crit(-1)), Code::cose_unknown_critical_header);
  const auto many = sign1(
      [](cbor::Encoder& e) {
        e.write_map(kMaxProtectedLabels + 1);
        e.write_uint(kHeaderAlg);
        e.write_int(-7);
        for (std::uint64_t label = 100; label < 100 + kMaxProtectedLabels; ++label) {
          e.write_uint(label);
          e.write_uint(0);
        }
      },
      empty_map);
  EXPECT_EQ(parse_code(many), Code::too_large);
}

TEST(CoseSign1, X5ChainShapes) {
  const std::uint8_t cert[] = {0x30, 0x00};
  const auto with_chain = [&](std::size_t count, bool as_array) {
    return sign1(alg_only(-7), [&, count, as_array](cbor::Encoder& e) {
      e.write_map(1);
      e.write_uint(kHeaderX5Chain);
      if (!as_array) {
        e.write_bstr(cert);
        return;
      }
      e.write_array(count);
      for (std::size_t i = 0; i < count; ++i) e.write_bstr(cert);
    });
  };
  Sign1 msg;
  ASSERT_TRUE(parse_sign1(with_chain(1, false), msg).ok());
  EXPECT_EQ(msg.x5chain_count, 1u);
  ASSERT_TRUE(parse_sign1(with_chain(kMaxX5Chain, true), msg).ok());
  EXPECT_EQ(msg.x5chain_count, kMaxX5Chain);
  EXPECT_EQ(parse_code(with_chain(1, true)), Code::cose_malformed) << "an array holds two or more";
  EXPECT_EQ(parse_code(with_chain(kMaxX5Chain + 1, true)), Code::too_large);
}

TEST(CoseSign1, SchemeForEveryKnownAlgorithm) {
  const std::pair<std::int64_t, SigScheme> known[] = {
      {-7, SigScheme::ecdsa_p256_sha256_p1363},  {-9, SigScheme::ecdsa_p256_sha256_p1363},
      {-35, SigScheme::ecdsa_p384_sha384_p1363}, {-51, SigScheme::ecdsa_p384_sha384_p1363},
      {-8, SigScheme::ed25519},                  {-19, SigScheme::ed25519},
      {-37, SigScheme::rsa_pss_sha256},
  };
  for (const auto& [alg, scheme] : known) {
    auto got = scheme_for_alg(alg);
    if (scheme == SigScheme::rsa_pss_sha256 && !config::kRsa) {
      EXPECT_EQ(got.code(), Code::cose_alg_not_allowed) << "PS256 in a build without RSA";
      continue;
    }
    ASSERT_TRUE(got.ok()) << alg;
    EXPECT_EQ(*got, scheme) << alg;
  }
  for (const std::int64_t unknown : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{-36},
                                     std::int64_t{-47}, std::int64_t{249}, std::int64_t{-249}, INT64_MIN}) {
    EXPECT_EQ(scheme_for_alg(unknown).code(), Code::cose_alg_not_allowed) << unknown;
  }
}

std::vector<std::uint8_t> load(const std::string& name) {
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CoseSign1, VerifiesThePublicExampleAndRejectsChanges) {
  const auto spki = load("trust_anchor_secp256r1_pub.der");
  PublicKey key;
  key.type = KeyType::ec_p256;
  key.spki = spki;
  key.key = Bytes(spki).last(65);
  key.bits = 256;
  const auto data = load("suit_manifest_exp1.suit");
  suit::Envelope env;
  ASSERT_TRUE(suit::parse_envelope(data, env).ok());
  ASSERT_EQ(env.auth_block_count, 1u);
  Sign1 msg;
  ASSERT_TRUE(parse_sign1(env.auth_blocks[0], msg).ok());
  std::uint8_t scratch[256];
  Bytes tbs;
  ASSERT_TRUE(write_sig_structure(msg, env.digest_encoded, scratch, tbs).ok());
  EXPECT_EQ(sig_structure_size(msg, env.digest_encoded), tbs.size());
  EXPECT_TRUE(verify_sign1(openssl_crypto(), msg, key, env.digest_encoded, scratch).ok());

  std::vector<std::uint8_t> other_payload(env.digest_encoded.begin(), env.digest_encoded.end());
  other_payload.back() ^= 1;
  EXPECT_EQ(verify_sign1(openssl_crypto(), msg, key, other_payload, scratch).code(), Code::cose_bad_signature);
  EXPECT_EQ(verify_sign1(openssl_crypto(), msg, key, env.digest_encoded, MutableBytes(scratch, 8)).code(),
            Code::buffer_too_small);
  PublicKey p384 = key;
  p384.type = KeyType::ec_p384;
  EXPECT_EQ(verify_sign1(openssl_crypto(), msg, p384, env.digest_encoded, scratch).code(), Code::key_alg_mismatch);
  Sign1 unknown_alg = msg;
  unknown_alg.alg = -1;
  EXPECT_EQ(verify_sign1(openssl_crypto(), unknown_alg, key, env.digest_encoded, scratch).code(),
            Code::cose_alg_not_allowed);
}

TEST(Sign1Struct, DefaultsAreAllZeroBytes) {
  // parse_sign1 resets its output with reset_in_place (one memset in the device profile): every
  // member must default to all-zero bytes.
  alignas(Sign1) unsigned char storage[sizeof(Sign1)] = {};
  const Sign1* msg = ::new (static_cast<void*>(storage)) Sign1();
  EXPECT_FALSE(msg->payload_detached);
  for (std::size_t i = 0; i < sizeof(Sign1); ++i) EXPECT_EQ(storage[i], 0u) << "byte " << i;
}

TEST(Sign1Struct, ParseResetsTheOutput) {
  Sign1 msg;
  msg.payload_detached = true;
  msg.x5chain_count = 2;
  msg.alg = -7;
  const std::uint8_t empty_array[] = {0x80};
  EXPECT_EQ(parse_sign1(empty_array, msg).code(), Code::cose_malformed);
  EXPECT_FALSE(msg.payload_detached);
  EXPECT_EQ(msg.x5chain_count, 0u);
  EXPECT_EQ(msg.alg, 0);
}

}  // namespace
}  // namespace ft::cose
