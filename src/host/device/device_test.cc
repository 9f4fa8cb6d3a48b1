// The device's normal life: provisioning, first installation, trial and confirmation, the counter,
// fallback after an unconfirmed trial, refusal to install beside a running trial, time floor and
// asset-owner policies, and a log that records all of it and verifies.
#include "ft/device/device.h"

#include <gtest/gtest.h>

#include "ft/ledger/device_log.h"
#include "ft/pki/dev_pki.h"
#include "testing/device_testing.h"

namespace ft::device {
namespace {

using testing::Lab;
using testing::SimDevice;

class DeviceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { lab_ = new Lab(); }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }
  static Lab* lab_;
};

Lab* DeviceTest::lab_ = nullptr;

std::vector<std::string> kinds(const Device& d) {
  std::vector<std::string> out;
  for (const auto& r : d.log().records) out.push_back(r.body.kind);
  return out;
}

TEST_F(DeviceTest, BlankDeviceHasNothingToBoot) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  EXPECT_THROW(sim.device().provision(), std::logic_error);
  const BootOutcome b = sim.device().boot();
  EXPECT_FALSE(b.booted);
  EXPECT_EQ(kinds(sim.device()).back(), ledger::device_kind::kBootFailed);
  EXPECT_THROW(sim.device().confirm(), std::logic_error);
}

TEST_F(DeviceTest, InstallTrialConfirmAndUpdate) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  const auto& r1 = lab_->release(1);
  const InstallOutcome i1 = sim.device().install(r1.envelope, r1.payload());
  ASSERT_TRUE(i1.installed) << code_name(i1.code) << " " << i1.message;
  EXPECT_EQ(i1.slot, 0);
  EXPECT_EQ(i1.seq, 1u);
  sim.reboot();
  BootOutcome b = sim.device().boot();
  ASSERT_TRUE(b.booted);
  EXPECT_TRUE(b.trial);
  EXPECT_EQ(b.slot, 0);
  EXPECT_EQ(sim.counter().read(), 0u);  // not before confirmation
  const ConfirmOutcome c = sim.device().confirm();
  EXPECT_TRUE(c.confirmed);
  EXPECT_EQ(c.counter_from, 0u);
  EXPECT_EQ(c.counter_to, 1u);
  EXPECT_EQ(sim.counter().read(), 1u);
  EXPECT_TRUE(sim.device().confirm().already);

  // Release 2 goes to slot B while A runs.
  const auto& r2 = lab_->release(2);
  const InstallOutcome i2 = sim.device().install(r2.envelope, r2.payload());
  ASSERT_TRUE(i2.installed) << code_name(i2.code) << " " << i2.message;
  EXPECT_EQ(i2.slot, 1);
  sim.reboot();
  b = sim.device().boot();
  EXPECT_EQ(b.slot, 1);
  EXPECT_TRUE(b.trial);
  EXPECT_EQ(b.minimum, 1u);
  ASSERT_TRUE(sim.device().confirm().confirmed);
  EXPECT_EQ(sim.counter().read(), 2u);
  sim.reboot();
  b = sim.device().boot();
  EXPECT_EQ(b.slot, 1);
  EXPECT_FALSE(b.trial);
  // Release 1 in slot A is below the minimum now: it can never boot again.
  EXPECT_EQ(sim.device().check_slot(0, sim.counter().read()).verdict, Code::trust_rollback);

  const DeviceStatus st = sim.device().status();
  EXPECT_EQ(st.counter, 2u);
  EXPECT_EQ(st.boot_control.control.state[1], SlotState::confirmed);
  EXPECT_EQ(st.boot_control.control.preferred, 1);
  EXPECT_EQ(st.slots[1].seq, 2u);
  EXPECT_EQ(st.slots[1].version, "1.2.0");
  EXPECT_EQ(st.slots[0].verdict, Code::trust_rollback);

  namespace k = ledger::device_kind;
  const std::vector<std::string> expected = {
      k::kProvisioned,      k::kUpdateOffered,   k::kUpdateInstalled, k::kBootVerified,    k::kUpdateConfirmed,
      k::kCounterAdvanced,  k::kUpdateOffered,   k::kUpdateInstalled, k::kBootVerified,    k::kUpdateConfirmed,
      k::kCounterAdvanced,  k::kBootVerified};
  EXPECT_EQ(kinds(sim.device()), expected);
  const auto report = testing::verify_device_log(sim.flash(), sim.device().layout(), lab_->log_key());
  EXPECT_TRUE(report.ok);
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.final_counter, 2u);
  EXPECT_TRUE(testing::check_invariants(sim, *lab_, lab_->log_key(), {2, true, true}));
}

TEST_F(DeviceTest, UnconfirmedTrialFallsBack) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  testing::bring_up(sim, lab_->release(1));
  const auto& r3 = lab_->release(3);
  ASSERT_TRUE(sim.device().install(r3.envelope, r3.payload()).installed);
  sim.reboot();
  BootOutcome b = sim.device().boot();
  EXPECT_EQ(b.seq, 3u);
  EXPECT_TRUE(b.trial);
  // The new image crashes (or is never confirmed): the next boot goes back to release 1.
  sim.reboot();
  b = sim.device().boot();
  EXPECT_EQ(b.seq, 1u);
  EXPECT_FALSE(b.trial);
  EXPECT_EQ(sim.counter().read(), 1u);
  EXPECT_EQ(sim.device().status().boot_control.control.state[1], SlotState::rejected);
  const auto& recs = sim.device().log().records;
  const auto failed = std::find_if(recs.begin(), recs.end(), [](const ledger::Record& r) {
    return r.body.kind == ledger::device_kind::kBootFailed;
  });
  ASSERT_NE(failed, recs.end());
  EXPECT_EQ(ledger::field_text(failed->body.fields, "reason"), "trial_not_confirmed");
  // Rebooting again keeps release 1; release 3 can be installed again and confirmed.
  sim.reboot();
  EXPECT_EQ(sim.device().boot().seq, 1u);
  ASSERT_TRUE(sim.device().install(r3.envelope, r3.payload()).installed);
  sim.reboot();
  EXPECT_EQ(sim.device().boot().seq, 3u);
  EXPECT_TRUE(sim.device().confirm().confirmed);
  EXPECT_EQ(sim.counter().read(), 3u);
  EXPECT_TRUE(testing::check_invariants(sim, *lab_, lab_->log_key(), {3, true, false}));
}

TEST_F(DeviceTest, FirstInstallationRetriesItsTrial) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  const auto& r1 = lab_->release(1);
  ASSERT_TRUE(sim.device().install(r1.envelope, r1.payload()).installed);
  sim.reboot();
  EXPECT_TRUE(sim.device().boot().trial);
  sim.reboot();
  const BootOutcome again = sim.device().boot();  // nothing to fall back to
  EXPECT_TRUE(again.booted);
  EXPECT_TRUE(again.trial);
  EXPECT_EQ(again.seq, 1u);
}

TEST_F(DeviceTest, NoInstallBesideARunningTrial) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  testing::bring_up(sim, lab_->release(1));
  const auto& r2 = lab_->release(2);
  ASSERT_TRUE(sim.device().install(r2.envelope, r2.payload()).installed);
  sim.reboot();
  ASSERT_TRUE(sim.device().boot().trial);
  const auto& r3 = lab_->release(3);
  const InstallOutcome refused = sim.device().install(r3.envelope, r3.payload());
  EXPECT_FALSE(refused.installed);
  EXPECT_EQ(refused.code, Code::trust_policy);
  EXPECT_EQ(refused.stage, "state");
  EXPECT_EQ(sim.device().log().records.back().body.kind, ledger::device_kind::kUpdateRejected);
  // Slot A (the fallback) is untouched and still confirmed.
  EXPECT_EQ(sim.device().status().boot_control.control.state[0], SlotState::confirmed);
}

TEST_F(DeviceTest, IntegratedPayloadInstallsToo) {
  SimDevice sim(testing::test_config(), lab_->anchors(), lab_->log_signer());
  sim.device().provision();
  testing::ReleaseSpec spec;
  spec.seq = 1;
  spec.detached = false;
  spec.image_size = 3000;
  const auto r = testing::make_release(spec, {&lab_->supplier()});
  testing::bring_up(sim, r);
  EXPECT_EQ(sim.counter().read(), 1u);
}

TEST_F(DeviceTest, TimeFloorRisesWithConfirmedSigners) {
  // An expired code-signing leaf (valid until a week ago) of the same PKI.
  const std::time_t now = std::time(nullptr);
  pki::IssueOptions o;
  o.role = pki::CertificateRole::code_signing;
  o.ca_certificate = lab_->pki().path("intermediate.pem");
  o.ca_key = lab_->pki().path("intermediate.key.pem");
  o.validity = {now - 60 * 86400, now - 7 * 86400};
  testing::TempDir dir;
  o.directory = dir.path();
  o.name = "old-signer";
  pki::issue_leaf(o);
  testing::Signing old_signer(dir.path() + "/old-signer.key.pem", dir.path() + "/old-signer-chain.pem");
  testing::ReleaseSpec spec;
  spec.seq = 1;
  const auto old_release = testing::make_release(spec, {&old_signer});

  // Clock policy: expired.
  SimDevice clock(testing::test_config(trust::TimeMode::clock), lab_->anchors(), lab_->log_signer());
  clock.device().provision();
  EXPECT_EQ(clock.device().install(old_release.envelope, old_release.payload()).code, Code::cert_expired);
  // Floor policy on a new device: the floor is 0, so the old signer is accepted...
  SimDevice floor(testing::test_config(trust::TimeMode::floor), lab_->anchors(), lab_->log_signer());
  floor.device().provision();
  testing::bring_up(floor, old_release);
  // ...until a release by a current signer is confirmed: the floor moves to its notBefore, after
  // the old leaf expired, and the old signer's releases are refused from then on.
  testing::bring_up(floor, lab_->release(2));
  EXPECT_GT(floor.device().status().boot_control.control.time_floor, now - 7 * 86400);
  spec.seq = 3;
  const auto old_again = testing::make_release(spec, {&old_signer});
  EXPECT_EQ(floor.device().install(old_again.envelope, old_again.payload()).code, Code::cert_expired);
  // None: no validity check at all.
  SimDevice none(testing::test_config(trust::TimeMode::none), lab_->anchors(), lab_->log_signer());
  none.device().provision();
  testing::bring_up(none, old_release);
}

TEST_F(DeviceTest, AssetOwnerApprovalWhenRequired) {
  testing::Pki owner("Plant Operator");
  testing::Signing owner_signing(owner.path("signer.key.pem"), owner.path("signer-chain.pem"));
  verify::AnchorSet anchors;
  anchors.add_file(lab_->pki().path("root.pem"), trust::Role::supplier);
  anchors.add_file(owner.path("root.pem"), trust::Role::asset_owner);
  SimDevice sim(testing::test_config(trust::TimeMode::clock, true), anchors, lab_->log_signer());
  sim.device().provision();
  testing::ReleaseSpec spec;
  const auto approved = testing::make_release(spec, {&lab_->supplier(), &owner_signing});
  testing::bring_up(sim, approved);
  spec.seq = 2;
  const auto supplier_only = testing::make_release(spec, {&lab_->supplier()});
  const InstallOutcome o = sim.device().install(supplier_only.envelope, supplier_only.payload());
  EXPECT_EQ(o.code, Code::trust_missing_role);
}

}  // namespace
}  // namespace ft::device
