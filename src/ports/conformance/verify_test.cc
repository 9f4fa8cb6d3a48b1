// Round trips and error classification of verify() on every port, with keys and signatures made
// by OpenSSL (test_keys.h), so no port only ever checks its own output.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ft/host/hex.h"
#include "ft/ports/testing/test_keys.h"
#include "ports_under_test.h"

namespace ft::testing {
namespace {

struct Keys {
  TestKey p256 = TestKey::generate(KeyType::ec_p256);
  TestKey p384 = TestKey::generate(KeyType::ec_p384);
  TestKey ed25519 = TestKey::generate(KeyType::ed25519);
  TestKey rsa2048 = TestKey::generate(KeyType::rsa, 2048);
};

// keys are generated once per process: RSA key generation is slow.
const Keys& keys() {
  static const Keys instance;
  return instance;
}

const std::vector<std::uint8_t> kMessage = {'f', 'i', 'r', 'm', 'w', 'a', 'r', 'e', ' ', '1', '.', '2'};

struct SchemeCase {
  const char* name;
  const TestKey& (*key)();
  SigScheme scheme;
};

const TestKey& p256() { return keys().p256; }
const TestKey& p384() { return keys().p384; }
const TestKey& ed25519() { return keys().ed25519; }
const TestKey& rsa2048() { return keys().rsa2048; }

const SchemeCase kSchemeCases[] = {
    {"ES256 P1363", &p256, SigScheme::ecdsa_p256_sha256_p1363},
    {"ES384 P1363", &p384, SigScheme::ecdsa_p384_sha384_p1363},
    {"P-256 ecdsa-with-SHA256", &p256, SigScheme::ecdsa_sha256_der},
    {"P-256 ecdsa-with-SHA384", &p256, SigScheme::ecdsa_sha384_der},
    {"P-256 ecdsa-with-SHA512", &p256, SigScheme::ecdsa_sha512_der},
    {"P-384 ecdsa-with-SHA256", &p384, SigScheme::ecdsa_sha256_der},
    {"P-384 ecdsa-with-SHA384", &p384, SigScheme::ecdsa_sha384_der},
    {"P-384 ecdsa-with-SHA512", &p384, SigScheme::ecdsa_sha512_der},
    {"Ed25519", &ed25519, SigScheme::ed25519},
    {"PS256", &rsa2048, SigScheme::rsa_pss_sha256},
    {"RSA PKCS#1 SHA-256", &rsa2048, SigScheme::rsa_pkcs1_sha256},
    {"RSA PKCS#1 SHA-384", &rsa2048, SigScheme::rsa_pkcs1_sha384},
    {"RSA PKCS#1 SHA-512", &rsa2048, SigScheme::rsa_pkcs1_sha512},
};

class VerifyTest : public ::testing::TestWithParam<PortUnderTest> {
 protected:
  CryptoPort& port() { return GetParam().port(); }

  // verify_with binds pk to scheme (which must succeed) and returns the port's verdict.
  Code verify_with(const PublicKey& pk, SigScheme scheme, Bytes message, Bytes signature) {
    Result<VerifyingKey> vk = make_verifying_key(pk, scheme);
    EXPECT_TRUE(vk.ok()) << code_name(vk.code());
    if (!vk.ok()) return vk.code();
    return port().verify(*vk, message, signature).code();
  }
};

TEST_P(VerifyTest, RoundTripsAndTamperingOnBothKeyPaths) {
  for (const SchemeCase& c : kSchemeCases) {
    const TestKey& key = c.key();
    const ByteVector signature = key.sign(c.scheme, bytes_of(kMessage));
    for (bool with_spki : {false, true}) {
      SCOPED_TRACE(std::string(c.name) + (with_spki ? " (key from SPKI)" : " (raw key)"));
      const PublicKey pk = key.public_key(with_spki);
      if (!GetParam().supports(c.scheme)) {
        EXPECT_EQ(verify_with(pk, c.scheme, bytes_of(kMessage), bytes_of(signature)), Code::unsupported_algorithm);
        continue;
      }
      EXPECT_EQ(verify_with(pk, c.scheme, bytes_of(kMessage), bytes_of(signature)), Code::ok);

      ByteVector other_message = kMessage;
      other_message.back() ^= 0x01;
      EXPECT_EQ(verify_with(pk, c.scheme, bytes_of(other_message), bytes_of(signature)), Code::bad_signature);
      EXPECT_EQ(verify_with(pk, c.scheme, Bytes(), bytes_of(signature)), Code::bad_signature);

      ByteVector first_flipped = signature;
      first_flipped.front() ^= 0x01;
      ByteVector last_flipped = signature;
      last_flipped.back() ^= 0x80;
      ByteVector truncated(signature.begin(), signature.end() - 1);
      ByteVector extended = signature;
      extended.push_back(0x00);
      for (const ByteVector* bad : {&first_flipped, &last_flipped, &truncated, &extended}) {
        EXPECT_EQ(verify_with(pk, c.scheme, bytes_of(kMessage), bytes_of(*bad)), Code::bad_signature);
      }
      EXPECT_EQ(verify_with(pk, c.scheme, bytes_of(kMessage), Bytes()), Code::bad_signature);
    }
  }
}

TEST_P(VerifyTest, InvalidVerifyingKeyIsAnArgumentError) {
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  EXPECT_EQ(port().verify(VerifyingKey(), bytes_of(kMessage), bytes_of(signature)).code(), Code::invalid_argument);
}

// ---- keys that must not be used ----

TEST_P(VerifyTest, EcPointNotOnCurveIsBadKey) {
  ByteVector point = p256().key();
  point.back() ^= 0x01;
  PublicKey pk = p256().public_key(false);
  pk.key = bytes_of(point);
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
}

TEST_P(VerifyTest, CompressedOrShortPointIsBadKey) {
  const ByteVector& point = p256().key();
  ByteVector compressed(point.begin(), point.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (point.back() & 1));
  ByteVector short_point(point.begin(), point.end() - 1);
  const ByteVector signature = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  for (const ByteVector* bad : {&compressed, &short_point}) {
    PublicKey pk = p256().public_key(false);
    pk.key = bytes_of(*bad);
    EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
  }
}

TEST_P(VerifyTest, SpkiContradictingTheDeclarationIsBadKey) {
  const ByteVector signature = p256().sign(SigScheme::ecdsa_sha256_der, bytes_of(kMessage));
  PublicKey pk = p256().public_key(true);
  pk.spki = bytes_of(p384().spki());  // declared P-256, SPKI says P-384
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
  pk.spki = bytes_of(rsa2048().spki());  // declared EC, SPKI says RSA
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);

  const ByteVector rsa_signature = rsa2048().sign(SigScheme::rsa_pss_sha256, bytes_of(kMessage));
  PublicKey rsa = rsa2048().public_key(true);
  rsa.spki = bytes_of(p256().spki());  // declared RSA, SPKI says EC
  EXPECT_EQ(verify_with(rsa, SigScheme::rsa_pss_sha256, bytes_of(kMessage), bytes_of(rsa_signature)), Code::bad_key);
}

TEST_P(VerifyTest, TrailingBytesAfterKeyEncodingsAreBadKey) {
  const ByteVector signature = p256().sign(SigScheme::ecdsa_sha256_der, bytes_of(kMessage));
  ByteVector spki = p256().spki();
  spki.push_back(0x00);
  PublicKey pk = p256().public_key(true);
  pk.spki = bytes_of(spki);
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);

  const ByteVector rsa_signature = rsa2048().sign(SigScheme::rsa_pkcs1_sha256, bytes_of(kMessage));
  ByteVector rsa_key = rsa2048().key();
  rsa_key.push_back(0x00);
  PublicKey rsa = rsa2048().public_key(false);
  rsa.key = bytes_of(rsa_key);
  EXPECT_EQ(verify_with(rsa, SigScheme::rsa_pkcs1_sha256, bytes_of(kMessage), bytes_of(rsa_signature)), Code::bad_key);
}

TEST_P(VerifyTest, RsaKeyLyingAboutItsSizeIsBadKey) {
  const ByteVector signature = rsa2048().sign(SigScheme::rsa_pss_sha256, bytes_of(kMessage));
  for (bool with_spki : {false, true}) {
    PublicKey pk = rsa2048().public_key(with_spki);
    pk.bits = 3072;
    EXPECT_EQ(verify_with(pk, SigScheme::rsa_pss_sha256, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
  }
}

TEST_P(VerifyTest, Ed25519KeyOfWrongLengthIsBadKey) {
  if (!GetParam().has_ed25519) GTEST_SKIP() << GetParam().name << " has no Ed25519 (mbed TLS 2.28)";
  const ByteVector signature = ed25519().sign(SigScheme::ed25519, bytes_of(kMessage));
  ByteVector short_key(ed25519().key().begin(), ed25519().key().end() - 1);
  PublicKey pk = ed25519().public_key(false);
  pk.key = bytes_of(short_key);
  EXPECT_EQ(verify_with(pk, SigScheme::ed25519, bytes_of(kMessage), bytes_of(signature)), Code::bad_key);
}

// ---- signatures that must not verify ----

TEST_P(VerifyTest, PssWithAnotherSaltLengthIsBadSignature) {
  const PublicKey pk = rsa2048().public_key(false);
  for (int salt : {0, 20, 31, 33, 64}) {
    const ByteVector signature = rsa2048().sign_pss_with_salt(bytes_of(kMessage), salt);
    EXPECT_EQ(verify_with(pk, SigScheme::rsa_pss_sha256, bytes_of(kMessage), bytes_of(signature)), Code::bad_signature)
        << "salt " << salt;
  }
  EXPECT_EQ(verify_with(pk, SigScheme::rsa_pss_sha256, bytes_of(kMessage),
                        bytes_of(rsa2048().sign_pss_with_salt(bytes_of(kMessage), 32))),
            Code::ok);
}

TEST_P(VerifyTest, PkcsAndPssAreNotInterchangeable) {
  const PublicKey pk = rsa2048().public_key(false);
  const ByteVector pss = rsa2048().sign(SigScheme::rsa_pss_sha256, bytes_of(kMessage));
  const ByteVector pkcs = rsa2048().sign(SigScheme::rsa_pkcs1_sha256, bytes_of(kMessage));
  EXPECT_EQ(verify_with(pk, SigScheme::rsa_pkcs1_sha256, bytes_of(kMessage), bytes_of(pss)), Code::bad_signature);
  EXPECT_EQ(verify_with(pk, SigScheme::rsa_pss_sha256, bytes_of(kMessage), bytes_of(pkcs)), Code::bad_signature);
  EXPECT_EQ(verify_with(pk, SigScheme::rsa_pkcs1_sha384, bytes_of(kMessage), bytes_of(pkcs)), Code::bad_signature);
}

// P-256 group order n.
const char kP256Order[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

TEST_P(VerifyTest, P1363OutOfRangeScalarsAreBadSignature) {
  const PublicKey pk = p256().public_key(false);
  const ByteVector good = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  ASSERT_EQ(verify_with(pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(good)), Code::ok);

  ByteVector order(32);
  for (std::size_t i = 0; i < 32; ++i) order[i] = static_cast<std::uint8_t>(std::stoi(std::string(kP256Order + 2 * i, 2), nullptr, 16));

  ByteVector r_zero = good;
  std::fill(r_zero.begin(), r_zero.begin() + 32, 0);
  ByteVector s_zero = good;
  std::fill(s_zero.begin() + 32, s_zero.end(), 0);
  ByteVector r_is_order = good;
  std::copy(order.begin(), order.end(), r_is_order.begin());
  ByteVector s_is_order = good;
  std::copy(order.begin(), order.end(), s_is_order.begin() + 32);
  ByteVector all_ones(64, 0xff);
  for (const ByteVector* bad : {&r_zero, &s_zero, &r_is_order, &s_is_order, &all_ones}) {
    EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(*bad)), Code::bad_signature);
  }
}

// der_integer encodes a magnitude as a DER INTEGER, optionally breaking the DER rules.
enum class IntegerForm { canonical, extra_zero, missing_sign_zero };

ByteVector der_integer(Bytes magnitude, IntegerForm form) {
  std::size_t start = 0;
  while (start + 1 < magnitude.size() && magnitude[start] == 0) ++start;
  ByteVector body(magnitude.begin() + static_cast<std::ptrdiff_t>(start), magnitude.end());
  bool needs_sign_zero = (body[0] & 0x80) != 0;
  if (needs_sign_zero && form != IntegerForm::missing_sign_zero) body.insert(body.begin(), 0x00);
  if (form == IntegerForm::extra_zero) body.insert(body.begin(), 0x00);
  ByteVector out = {0x02, static_cast<std::uint8_t>(body.size())};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

ByteVector der_sequence(const ByteVector& contents, bool long_form_length) {
  ByteVector out = {0x30};
  if (long_form_length) out.push_back(0x81);
  out.push_back(static_cast<std::uint8_t>(contents.size()));
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

TEST_P(VerifyTest, NonCanonicalDerSignaturesAreBadSignature) {
  const PublicKey pk = p256().public_key(false);
  // Find a signature whose r needs a sign byte, so a "missing zero" variant exists.
  ByteVector p1363;
  do {
    p1363 = p256().sign(SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage));
  } while ((p1363[0] & 0x80) == 0);
  const Bytes r = Bytes(p1363).first(32);
  const Bytes s = Bytes(p1363).subspan(32);
  auto sig = [&](IntegerForm r_form, IntegerForm s_form, bool long_form) {
    ByteVector body = der_integer(r, r_form);
    ByteVector s_der = der_integer(s, s_form);
    body.insert(body.end(), s_der.begin(), s_der.end());
    return der_sequence(body, long_form);
  };
  const ByteVector canonical = sig(IntegerForm::canonical, IntegerForm::canonical, false);
  ASSERT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(canonical)), Code::ok);

  ByteVector indefinite = canonical;
  indefinite[1] = 0x80;
  indefinite.push_back(0x00);
  indefinite.push_back(0x00);
  ByteVector trailing = canonical;
  trailing.push_back(0x00);
  ByteVector wrong_tag = canonical;
  wrong_tag[0] = 0x31;
  const ByteVector variants[] = {
      sig(IntegerForm::canonical, IntegerForm::canonical, true),   // BER long-form length
      sig(IntegerForm::extra_zero, IntegerForm::canonical, false),  // padded r
      sig(IntegerForm::canonical, IntegerForm::extra_zero, false),  // padded s
      sig(IntegerForm::missing_sign_zero, IntegerForm::canonical, false),  // r reads as negative
      indefinite, trailing, wrong_tag,
  };
  for (std::size_t i = 0; i < std::size(variants); ++i) {
    EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(variants[i])), Code::bad_signature)
        << "variant " << i << ": " << host::to_hex(bytes_of(variants[i]));
  }
  // A valid DER signature is not a P1363 one, and the other way round.
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_p256_sha256_p1363, bytes_of(kMessage), bytes_of(canonical)),
            Code::bad_signature);
  EXPECT_EQ(verify_with(pk, SigScheme::ecdsa_sha256_der, bytes_of(kMessage), bytes_of(p1363)), Code::bad_signature);
}

INSTANTIATE_TEST_SUITE_P(Ports, VerifyTest, ::testing::ValuesIn(kPortsUnderTest), port_test_name);

}  // namespace
}  // namespace ft::testing
