// The TPM root of trust against a real software TPM (swtpm, started by each test): the NV counter
// store, the TPM-resident identity key signing the log, and the device's power-cut loop with both
// — every cut point of an update, its trial boot and its confirmation, the counter's increments
// included.
#include "ft/device/tpm.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "ft/ledger/chain.h"
#include "ft/ledger/device_log.h"
#include "ft/pki/certificate.h"
#include "testing/device_testing.h"
#include "testing/swtpm_process.h"

namespace ft::device {
namespace {

using testing::Lab;
using testing::Release;
using testing::SimDevice;
using testing::SwtpmProcess;

TEST(TpmCounter, CountsUpAndNeverDown) {
  SwtpmProcess swtpm;
  TpmConnection tpm(swtpm.tcti());
  EXPECT_TRUE(TpmCounterStore::define_counter(tpm, kDefaultNvIndex));
  EXPECT_FALSE(TpmCounterStore::define_counter(tpm, kDefaultNvIndex));  // already there
  TpmCounterStore counter(tpm, kDefaultNvIndex);
  EXPECT_EQ(counter.read(), 0u);
  counter.advance(3);
  EXPECT_EQ(counter.read(), 3u);
  EXPECT_EQ(counter.increments(), 3u);
  counter.advance(1);
  EXPECT_EQ(counter.read(), 3u);
  EXPECT_STREQ(counter.kind(), "tpm");
  // A new connection (another boot) sees the same value.
  TpmConnection again(swtpm.tcti());
  EXPECT_EQ(TpmCounterStore(again, kDefaultNvIndex).read(), 3u);
}

TEST(TpmCounter, RefusesIndicesThatAreNotCounters) {
  SwtpmProcess swtpm;
  TpmConnection tpm(swtpm.tcti());
  EXPECT_THROW(TpmCounterStore(tpm, kDefaultNvIndex + 7), host::UserError);  // not defined
  EXPECT_THROW(TpmConnection("swtpm:host=127.0.0.1,port=1"), host::UserError);
}

TEST(TpmCounter, EveryIncrementIsACutPoint) {
  // The TPM counter cannot be set back, so each round advances by `steps` from where it stands.
  SwtpmProcess swtpm;
  TpmConnection tpm(swtpm.tcti());
  TpmCounterStore::define_counter(tpm, kDefaultNvIndex);
  TpmCounterStore counter(tpm, kDefaultNvIndex);
  PowerSupply supply;
  counter.attach(&supply);
  const std::uint64_t steps = 5;
  std::uint64_t cut_points = 0;
  for (std::uint64_t n = 0;; ++n) {
    const std::uint64_t before = counter.read();
    supply.restore();
    supply.cut_after(n);
    bool cut = false;
    try {
      counter.advance(before + steps);
    } catch (const PowerCut&) {
      cut = true;
    }
    supply.restore();
    supply.disarm();
    const std::uint64_t after = counter.read();
    if (!cut) {
      cut_points = n;
      EXPECT_EQ(after, before + steps);
      break;
    }
    // Exactly the increments before the cut happened; the counter never went down.
    EXPECT_EQ(after, before + n);
    // After the reboot the advance completes.
    counter.advance(before + steps);
    EXPECT_EQ(counter.read(), before + steps);
  }
  EXPECT_EQ(cut_points, steps);
  std::printf("[ cut points ] TPM counter advance by %llu: %llu\n", static_cast<unsigned long long>(steps),
              static_cast<unsigned long long>(cut_points));
}

TEST(TpmSigner, KeyStaysInTheTpmAndSignsRecords) {
  SwtpmProcess swtpm;
  std::vector<std::uint8_t> spki;
  {
    TpmConnection tpm(swtpm.tcti());
    TpmSigner signer(tpm, "device-0001");
    spki = signer.public_key_spki_der();
    EXPECT_EQ(signer.algorithm(), keys::SignatureAlgorithm::es256);
    EXPECT_NE(signer.source().find("tpm:"), std::string::npos);
    ledger::KeyRecordSigner records(signer);
    ledger::ChainHead head;
    std::vector<ledger::Record> log;
    for (int i = 0; i < 3; ++i) {
      log.push_back(ledger::make_record(head, 100 + i, ledger::device_kind::kBootVerified, {{"seq", std::uint64_t{1}}}, records));
      head = ledger::head_after(log.back());
    }
    const auto report = ledger::verify_log(ledger::entries_from_records(log), ledger::LogKey::from_public_key(spki));
    EXPECT_TRUE(report.ok);
    EXPECT_EQ(report.authentic, 3u);
  }
  // After a reconnect (a reboot) the same label gives the same key; another label another key.
  TpmConnection tpm(swtpm.tcti());
  EXPECT_EQ(TpmSigner(tpm, "device-0001").public_key_spki_der(), spki);
  EXPECT_NE(TpmSigner(tpm, "device-0002").public_key_spki_der(), spki);
}

// The device with the TPM as counter and identity: an identity certificate for the TPM key from
// the lab's intermediate CA, and the whole update (install, trial boot, confirmation with two
// counter increments) cut at every operation. The TPM counter cannot be rolled back between
// iterations, so each iteration starts from the counter's current value v with release v running
// and installs release v + 2.
TEST(TpmDevice, PowerCutAtEveryOperationOfAnUpdateAndConfirmation) {
  SwtpmProcess swtpm;
  Lab lab;
  TpmConnection tpm(swtpm.tcti());
  TpmCounterStore::define_counter(tpm, kDefaultNvIndex);
  TpmCounterStore counter(tpm, kDefaultNvIndex);
  TpmSigner identity(tpm, "pt-3051-sn-0001");
  ledger::KeyRecordSigner log_signer(identity);

  // The identity certificate: the TPM key, certified by the intermediate (device-identity profile).
  auto ca_key = keys::open_signer(lab.pki().path("intermediate.key.pem"));
  auto ca_cert = pki::load_certificates(lab.pki().path("intermediate.pem"));
  pki::CertificateRequest request{pki::CertificateRole::device_identity, "/O=ACME Instruments/CN=PT-3051 SN 0001", &identity,
                                  ca_key.get(), ca_cert.front().get(), pki::validity_for_days(365)};
  const keys::UniqueX509 cert = pki::issue_certificate(request);
  testing::TempDir dir;
  const std::string chain_path = dir.path() + "/device-chain.pem";
  host::write_file_atomic(chain_path, pki::certificate_pem(cert.get()) + pki::certificate_pem(ca_cert.front().get()));
  const ledger::LogKey key =
      ledger::LogKey::from_certificates(verify::read_certificates(chain_path), lab.anchors().anchors().supplier);

  const auto make = [&](std::uint64_t seq) {
    testing::ReleaseSpec spec;
    spec.seq = seq;
    spec.image_size = 1024;
    Release r = testing::make_release(spec, {&lab.supplier()});
    lab.add_authentic(r.envelope);
    return r;
  };

  std::uint64_t cut_points = 0;
  std::size_t rolled_forward = 0, partial_counter = 0;
  std::vector<PowerSupply::Operation> trace;
  for (std::uint64_t n = 0; n < 200; ++n) {
    const std::uint64_t v = counter.read();
    const Release base = make(v);
    const Release next = make(v + 2);
    SimDevice sim(testing::test_config(), lab.anchors(), log_signer, &counter);
    counter.attach(&sim.supply());
    sim.device().provision();
    testing::bring_up(sim, base);
    ASSERT_EQ(counter.read(), v);

    trace.clear();
    sim.supply().trace_into(&trace);
    sim.supply().cut_after(n);
    bool cut = false;
    try {
      ASSERT_TRUE(sim.device().install(next.envelope, next.payload()).installed);
      sim.reboot();
      ASSERT_TRUE(sim.device().boot().trial);
      ASSERT_TRUE(sim.device().confirm().confirmed);
    } catch (const PowerCut&) {
      cut = true;
    }
    sim.supply().trace_into(nullptr);
    if (!cut) {
      cut_points = n;
      EXPECT_EQ(counter.read(), v + 2);
      EXPECT_TRUE(testing::check_invariants(sim, lab, key, {v + 2, true, false}));
      std::size_t increments = 0;
      for (const auto& op : trace) increments += std::string(op.kind) == "tpm_increment";
      EXPECT_EQ(increments, 2u);
      break;
    }
    const std::uint64_t after_cut = counter.read();
    if (after_cut == v + 1) ++partial_counter;
    sim.reboot();
    const BootOutcome b = sim.device().boot();
    ASSERT_TRUE(b.booted) << "cut " << n;
    for (const auto& e : b.events) rolled_forward += e.find("confirmation completed") != std::string::npos;
    ASSERT_TRUE(testing::check_invariants(sim, lab, key, {v, true, true})) << "cut " << n;
    counter.attach(nullptr);
  }
  counter.attach(nullptr);
  std::printf("[ cut points ] TPM device: update + trial boot + confirmation: %llu (counter left half-advanced %zu "
              "times, confirmations finished at boot %zu)\n",
              static_cast<unsigned long long>(cut_points), partial_counter, rolled_forward);
  EXPECT_GT(cut_points, 25u);
  EXPECT_GT(partial_counter, 0u) << "no cut fell between the two increments";
  EXPECT_GT(rolled_forward, 0u);
}

}  // namespace
}  // namespace ft::device
