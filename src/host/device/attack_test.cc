// The TUF / Uptane attack catalogue as it applies to a device. Each attack is offered to a device
// running release 2 (counter 2); each must be rejected with its precise reason code, recorded in
// the log with that reason, and leave the device exactly as it was: same image, same counter, the
// slots untouched.
#include <gtest/gtest.h>

#include <random>

#include "ft/ledger/device_log.h"
#include "ft/pki/dev_pki.h"
#include "testing/device_testing.h"

namespace ft::device {
namespace {

using testing::Lab;
using testing::Release;
using testing::ReleaseSpec;
using testing::SimDevice;

class Attack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lab_ = new Lab();
    // A device running release 2 with release 1 still in slot A: the common starting point.
    base_sim_ = new SimDevice(testing::test_config(), lab_->anchors(), lab_->log_signer());
    base_sim_->device().provision();
    testing::bring_up(*base_sim_, lab_->release(1));
    testing::bring_up(*base_sim_, lab_->release(2));
    base_ = new SimDevice::Snapshot(base_sim_->snapshot());
  }
  static void TearDownTestSuite() {
    delete base_;
    delete base_sim_;
    delete lab_;
  }

  void SetUp() override {
    sim_ = std::make_unique<SimDevice>(testing::test_config(), lab_->anchors(), lab_->log_signer());
    sim_->restore(*base_);
  }

  // expect_rejected offers envelope (+ payload) and checks the verdict, the log and that nothing
  // else changed (after a reboot the device still runs running_seq). Returns the verdict record.
  ledger::Record expect_rejected(Bytes envelope, std::optional<Bytes> payload, Code expected, SimDevice* sim = nullptr,
                                 std::uint64_t running_seq = 2) {
    SimDevice& s = sim != nullptr ? *sim : *sim_;
    const auto slots_before = std::vector<std::uint8_t>(
        s.flash().image().begin() + static_cast<std::ptrdiff_t>(s.device().layout().offset(s.device().layout().slot[0])),
        s.flash().image().end());
    const auto bc_before = s.device().status().boot_control.control;
    const std::uint64_t counter_before = s.counter().read();
    const std::size_t records_before = s.device().log().records.size();

    const InstallOutcome o = s.device().install(envelope, payload);
    EXPECT_FALSE(o.installed);
    EXPECT_EQ(o.code, expected) << "got " << code_name(o.code) << " (" << o.stage << "): " << o.message;

    // Logged: update_offered, then the rejection with its reason.
    const auto& recs = s.device().log().records;
    EXPECT_EQ(recs.size(), records_before + 2);
    if (recs.size() != records_before + 2) return {};
    EXPECT_EQ(recs[records_before].body.kind, ledger::device_kind::kUpdateOffered);
    const ledger::Record verdict = recs.back();
    const char* want_kind = expected == Code::trust_rollback ? ledger::device_kind::kRollbackBlocked
                                                             : ledger::device_kind::kUpdateRejected;
    EXPECT_EQ(verdict.body.kind, want_kind);
    EXPECT_EQ(ledger::field_text(verdict.body.fields, "reason"), std::string(code_name(expected)));
    EXPECT_EQ(ledger::field_uint(verdict.body.fields, "minimum"), counter_before);

    // Nothing else moved.
    EXPECT_EQ(s.counter().read(), counter_before);
    EXPECT_EQ(s.device().status().boot_control.control, bc_before);
    const auto slots_after = std::vector<std::uint8_t>(
        s.flash().image().begin() + static_cast<std::ptrdiff_t>(s.device().layout().offset(s.device().layout().slot[0])),
        s.flash().image().end());
    EXPECT_TRUE(slots_after == slots_before) << "a rejected update changed the slots";
    s.reboot();
    const BootOutcome b = s.device().boot();
    EXPECT_TRUE(b.booted);
    EXPECT_EQ(b.seq, running_seq);
    EXPECT_TRUE(testing::check_invariants(s, *lab_, lab_->log_key(), {counter_before, true, true}));
    return verdict;
  }

  static Lab* lab_;
  static SimDevice* base_sim_;
  static SimDevice::Snapshot* base_;
  std::unique_ptr<SimDevice> sim_;
};

Lab* Attack::lab_ = nullptr;
SimDevice* Attack::base_sim_ = nullptr;
SimDevice::Snapshot* Attack::base_ = nullptr;

TEST_F(Attack, RollbackToAnOlderSignedRelease) {
  // A freshly signed release with an old sequence number (1 < minimum 2).
  ReleaseSpec spec;
  spec.seq = 1;
  spec.image_size = 999;
  const Release old = testing::make_release(spec, {&lab_->supplier()});
  const ledger::Record blocked = expect_rejected(old.envelope, old.payload(), Code::trust_rollback);
  EXPECT_EQ(ledger::field_uint(blocked.body.fields, "offered"), 1u);
  EXPECT_EQ(ledger::field_uint(blocked.body.fields, "minimum"), 2u);
}

TEST_F(Attack, OldEnvelopeReplayedAfterTheCounterAdvanced) {
  const Release& r1 = lab_->release(1);  // installed and confirmed once, byte for byte the same
  const ledger::Record blocked = expect_rejected(r1.envelope, r1.payload(), Code::trust_rollback);
  EXPECT_EQ(ledger::field_uint(blocked.body.fields, "offered"), 1u);
  EXPECT_EQ(ledger::field_uint(blocked.body.fields, "minimum"), 2u);
}

TEST_F(Attack, ReleaseForAnotherDeviceClass) {
  ReleaseSpec spec;
  spec.seq = 3;
  spec.model = "LT-200";  // a level transmitter's firmware: authentic, but not for this device
  const Release other = testing::make_release(spec, {&lab_->supplier()});
  expect_rejected(other.envelope, other.payload(), Code::suit_class_mismatch);
}

TEST_F(Attack, UnsignedGarbage) {
  std::vector<std::uint8_t> garbage(1500);
  std::mt19937 rng(42);
  for (auto& b : garbage) b = static_cast<std::uint8_t>(rng());
  garbage[0] = 0x42;  // not a CBOR map or tag
  expect_rejected(garbage, std::nullopt, Code::suit_not_envelope);
}

TEST_F(Attack, EnvelopeWithoutAuthenticationWrapper) {
  ReleaseSpec spec;
  spec.seq = 3;
  const Release r = testing::make_release(spec, {&lab_->supplier()});
  expect_rejected(testing::strip_signatures(r.envelope, true), r.payload(), Code::suit_no_auth_wrapper);
}

TEST_F(Attack, EnvelopeWithoutSignature) {
  // The wrapper keeps its digest but carries no COSE_Sign1: allowed by the SUIT grammar
  // ([digest, * block]), rejected by the verifier as unsigned.
  ReleaseSpec spec;
  spec.seq = 3;
  const Release r = testing::make_release(spec, {&lab_->supplier()});
  expect_rejected(testing::strip_signatures(r.envelope), r.payload(), Code::suit_no_signature);
}

TEST_F(Attack, SelfSignedSigner) {
  testing::TempDir dir;
  pki::SelfSignedOptions o;
  o.directory = dir.path();
  pki::make_self_signed(o);
  const testing::Signing rogue(dir.path() + "/signer.key.pem", dir.path() + "/signer.pem");
  ReleaseSpec spec;
  spec.seq = 3;
  const Release r = testing::make_release(spec, {&rogue});
  expect_rejected(r.envelope, r.payload(), Code::cert_leaf_self_signed);
}

TEST_F(Attack, ChainToAnUntrustedRoot) {
  const testing::Pki stranger("Stranger Corp");
  const testing::Signing s(stranger.path("signer.key.pem"), stranger.path("signer-chain.pem"));
  ReleaseSpec spec;
  spec.seq = 3;
  const Release r = testing::make_release(spec, {&s});
  expect_rejected(r.envelope, r.payload(), Code::cert_untrusted_root);
}

TEST_F(Attack, ExpiredSignerUnderTheClockPolicy) {
  const std::time_t now = std::time(nullptr);
  pki::IssueOptions o;
  o.role = pki::CertificateRole::code_signing;
  o.ca_certificate = lab_->pki().path("intermediate.pem");
  o.ca_key = lab_->pki().path("intermediate.key.pem");
  o.validity = {now - 90 * 86400, now - 86400};
  testing::TempDir dir;
  o.directory = dir.path();
  o.name = "expired";
  pki::issue_leaf(o);
  const testing::Signing expired(dir.path() + "/expired.key.pem", dir.path() + "/expired-chain.pem");
  ReleaseSpec spec;
  spec.seq = 3;
  const Release r = testing::make_release(spec, {&expired});
  expect_rejected(r.envelope, r.payload(), Code::cert_expired);
}

TEST_F(Attack, EndlessDataLongerThanDeclared) {
  const Release& r3 = lab_->release(3);
  auto longer = r3.image;
  longer.resize(longer.size() + 1000, 0xEE);
  expect_rejected(r3.envelope, Bytes(longer), Code::suit_image_size_mismatch);
}

TEST_F(Attack, EndlessDataLongerThanTheSlot) {
  const Release& r3 = lab_->release(3);
  std::vector<std::uint8_t> huge(64 * 1024, 0xAB);  // ten times the slot
  expect_rejected(r3.envelope, Bytes(huge), Code::suit_image_too_large);
}

TEST_F(Attack, ManifestDeclaringMoreThanTheSlot) {
  ReleaseSpec spec;
  spec.seq = 3;
  spec.declared_size = 1ull << 30;  // "1 GiB": must be refused before anything is read or written
  const Release r = testing::make_release(spec, {&lab_->supplier()});
  expect_rejected(r.envelope, r.payload(), Code::suit_image_too_large);
}

TEST_F(Attack, TamperedPayload) {
  const Release& r3 = lab_->release(3);
  auto tampered = r3.image;
  tampered[100] ^= 0x01;
  expect_rejected(r3.envelope, Bytes(tampered), Code::suit_image_digest_mismatch);
}

TEST_F(Attack, TamperedIntegratedPayload) {
  ReleaseSpec spec;
  spec.seq = 3;
  spec.detached = false;
  const Release r = testing::make_release(spec, {&lab_->supplier()});
  auto env = r.envelope;
  env[env.size() - 10] ^= 0x01;  // inside the integrated image, at the end of the envelope
  expect_rejected(env, std::nullopt, Code::suit_image_digest_mismatch);
}

TEST_F(Attack, TruncatedEnvelope) {
  const Release& r3 = lab_->release(3);
  const Bytes cut = Bytes(r3.envelope).first(r3.envelope.size() / 2);
  expect_rejected(cut, r3.payload(), Code::truncated);
}

TEST_F(Attack, MissingAssetOwnerApproval) {
  testing::Pki owner("Plant Operator");
  verify::AnchorSet anchors;
  anchors.add_file(lab_->pki().path("root.pem"), trust::Role::supplier);
  anchors.add_file(owner.path("root.pem"), trust::Role::asset_owner);
  const testing::Signing approval(owner.path("signer.key.pem"), owner.path("signer-chain.pem"));
  SimDevice strict(testing::test_config(trust::TimeMode::clock, true), anchors, lab_->log_signer());
  strict.device().provision();
  ReleaseSpec spec;
  spec.seq = 1;
  const Release approved = testing::make_release(spec, {&lab_->supplier(), &approval});
  lab_->add_authentic(approved.envelope);
  testing::bring_up(strict, approved);
  // Release 3 carries the supplier's signature only.
  const Release& r3 = lab_->release(3);
  expect_rejected(r3.envelope, r3.payload(), Code::trust_missing_role, &strict, 1);
}

}  // namespace
}  // namespace ft::device
