// The bootloader's verification flow on the host: anchors read from an ANCHORS-region record,
// the public SUIT example 1 (testdata/suit) staged as in the ENVELOPE region, verify_envelope on
// the compile-time crypto backend (PsaCrypto on Debian's Mbed TLS PSA implementation) with the
// bootloader's static state. Checks that the pieces of the Cortex-M build fit together and verify
// a real signature, which the footprint image (linked with PSA stubs) cannot do.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "ft/embedded/crypto_backend.h"
#include "ft/embedded/flash_layout.h"
#include "ft/trust/verifier.h"

namespace ft::embedded {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector load(const std::string& name) {
  std::ifstream in(std::string(FT_TESTDATA_DIR) + "/suit/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The example's vendor and class ids (as boot_main.cc expects them).
const std::uint8_t kVendorId[16] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                    0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
const std::uint8_t kClassId[16] = {0x14, 0x92, 0xaf, 0x14, 0x25, 0x69, 0x5e, 0x48,
                                   0xbf, 0x42, 0x9b, 0x2d, 0x51, 0xf2, 0xab, 0x45};

class PsaBootFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    const ByteVector spki = load("trust_anchor_secp256r1_pub.der");
    anchors_region_ = {0x00, 0x01, static_cast<std::uint8_t>(spki.size()), 0x00};
    anchors_region_.insert(anchors_region_.end(), spki.begin(), spki.end());
    anchors_region_.push_back(0xff);
    ASSERT_TRUE(load_anchors(anchors_region_, table_).ok());
    envelope_ = load("suit_manifest_exp1.suit");
    options_.expected_vendor_id = kVendorId;
    options_.expected_class_id = kClassId;
    options_.require_payload = false;  // the example's image digest is a sample pattern
    policy_.path.time_mode = trust::TimeMode::none;
  }

  Status verify(Bytes envelope) {
    return trust::verify_envelope(crypto_, envelope, table_.anchors(), policy_, options_, *workspace_, *verdict_);
  }

  CryptoBackend crypto_;
  ByteVector anchors_region_;
  AnchorTable table_;
  ByteVector envelope_;
  trust::Policy policy_;
  suit::ProcessOptions options_;
  // Static-sized state, on the heap here only because the test fixture is.
  std::unique_ptr<trust::Workspace> workspace_ = std::make_unique<trust::Workspace>();
  std::unique_ptr<trust::Verdict> verdict_ = std::make_unique<trust::Verdict>();
};

TEST_F(PsaBootFlow, PublicExampleVerifiesAgainstTheProvisionedRawKey) {
  const Status status = verify(envelope_);
  ASSERT_TRUE(status.ok()) << code_name(status.code()) << ": " << status.error().message;
  EXPECT_EQ(verdict_->stage, trust::Stage::done);
  EXPECT_TRUE(verdict_->supplier_signed);
  EXPECT_EQ(verdict_->signatures[0].cose_alg, -9);  // ESP256: ECDSA P-256 with SHA-256
  EXPECT_EQ(verdict_->sequence_number, 1u);
  EXPECT_TRUE(verdict_->report.vendor_checked);
  EXPECT_TRUE(verdict_->report.class_checked);
}

TEST_F(PsaBootFlow, EveryChangedByteIsRejected) {
  ByteVector changed = envelope_;
  int rejected_at_signature = 0;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    changed[i] ^= 0x01;
    const Status status = verify(changed);
    EXPECT_FALSE(status.ok()) << "byte " << i;
    if (verdict_->stage == trust::Stage::signature) ++rejected_at_signature;
    changed[i] ^= 0x01;
  }
  EXPECT_GE(rejected_at_signature, 64);  // at least every byte of the ES256 signature r||s
}

TEST_F(PsaBootFlow, RollbackFloorAndForeignDeviceClassAreRejected) {
  policy_.minimum_sequence = 2;
  EXPECT_EQ(verify(envelope_).code(), Code::trust_rollback);
  policy_.minimum_sequence = 0;
  const std::uint8_t other_class[16] = {};
  options_.expected_class_id = other_class;
  EXPECT_EQ(verify(envelope_).code(), Code::suit_class_mismatch);
}

}  // namespace
}  // namespace ft::embedded
