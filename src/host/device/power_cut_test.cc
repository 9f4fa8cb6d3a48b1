// Power cuts at every flash write and erase (MCUboot's simulator loop): for n = 0, 1, 2, ... the
// n-th state-changing operation of the step under test fails, until the step completes without a
// cut. After each cut the device reboots and must run an authentic image, its counter must not
// have decreased, no image below the minimum may verify, and the log must verify (a truncated
// tail allowed and reported, a forged record never). Then the step is completed and the final
// state checked. The number of cut points of each step is printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "ft/device/flash_log.h"
#include "ft/ledger/device_log.h"
#include "testing/device_testing.h"

namespace ft::device {
namespace {

using testing::Lab;
using testing::Release;
using testing::SimDevice;

// CutStats — what a loop saw.
struct CutStats {
  std::size_t cut_points = 0;
  std::string breakdown;             // the operations of the uncut run, by flash region
  std::size_t truncated_tails = 0;   // cuts that left a torn record at the end of the log
  std::size_t rolled_forward = 0;    // boots that finished an interrupted confirmation
  std::size_t reverted = 0;          // boots that reverted an unconfirmed trial
  std::size_t new_image_running = 0;  // cuts after which the new image ran at once
};

class PowerCut_ : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { lab_ = new Lab(); }
  static void TearDownTestSuite() {
    delete lab_;
    lab_ = nullptr;
  }

  // finish brings sim to "release r confirmed and running", by whatever the state requires.
  static void finish(SimDevice& sim, const Release& r) {
    for (int step = 0; step < 4; ++step) {
      const auto running = sim.device().running();
      if (running && running->seq == r.seq) {
        if (running->trial) {
          ASSERT_TRUE(sim.device().confirm().confirmed);
        }
        break;
      }
      const DeviceStatus st = sim.device().status();
      bool installed = false;
      for (const SlotInfo& slot : st.slots) installed |= slot.state == SlotState::installed && slot.seq == r.seq;
      if (installed) {
        sim.reboot();
        ASSERT_TRUE(sim.device().boot().booted);
      } else {
        const InstallOutcome o = sim.device().install(r.envelope, r.payload());
        ASSERT_TRUE(o.installed) << code_name(o.code) << ": " << o.message;
      }
    }
    ASSERT_TRUE(sim.device().running().has_value());
    EXPECT_EQ(sim.device().running()->seq, r.seq);
    EXPECT_FALSE(sim.device().running()->trial);
    EXPECT_EQ(sim.counter().read(), r.seq);
  }

  // cut_loop runs step from base with a cut at every operation until it completes.
  static CutStats cut_loop(SimDevice& sim, const SimDevice::Snapshot& base, std::uint64_t counter_before,
                           const std::function<void(SimDevice&)>& step, const Release& final_release,
                           const std::function<void(SimDevice&)>& prepare = {}) {
    CutStats stats;
    const ledger::LogKey key = lab_->log_key();
    std::vector<PowerSupply::Operation> trace;
    for (std::uint64_t n = 0; n < 500; ++n) {
      if (prepare) prepare(sim);
      sim.restore(base);
      sim.supply().cut_after(n);
      trace.clear();
      sim.supply().trace_into(&trace);
      bool cut = false;
      try {
        step(sim);
      } catch (const PowerCut&) {
        cut = true;
      }
      sim.supply().trace_into(nullptr);
      sim.supply().disarm();
      if (!cut) {
        stats.cut_points = n;
        stats.breakdown = describe(trace, sim.device().layout());
        EXPECT_EQ(trace.size(), n);
        finish(sim, final_release);
        EXPECT_TRUE(testing::check_invariants(sim, *lab_, key, {final_release.seq, true, false})) << "uncut run";
        return stats;
      }
      // The log as the flash holds it right after the cut.
      const ledger::LogReport before_reboot = testing::verify_device_log(sim.flash(), sim.device().layout(), key);
      EXPECT_TRUE(before_reboot.ok) << "cut " << n << ": " << before_reboot.classification << ": "
                                    << (before_reboot.findings.empty() ? "" : before_reboot.findings[0].message);
      if (before_reboot.classification == "truncated_tail") ++stats.truncated_tails;
      sim.reboot();
      const BootOutcome b = sim.device().boot();
      EXPECT_TRUE(b.booted) << "cut " << n;
      for (const auto& e : b.events) {
        if (e.find("confirmation completed") != std::string::npos) ++stats.rolled_forward;
        if (e.find("reverted") != std::string::npos) ++stats.reverted;
      }
      if (b.seq == final_release.seq) ++stats.new_image_running;
      EXPECT_TRUE(testing::check_invariants(sim, *lab_, key, {counter_before, true, true})) << "cut " << n;
      finish(sim, final_release);
      EXPECT_TRUE(testing::check_invariants(sim, *lab_, key, {final_release.seq, true, false})) << "cut " << n << ", finished";
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "stopping at cut " << n;
        return stats;
      }
    }
    ADD_FAILURE() << "the step never completed";
    return stats;
  }

  // describe summarises operations by region: "boot-control 2 (erase 1, write 1), log 4 (write 4)".
  static std::string describe(const std::vector<PowerSupply::Operation>& trace, const Layout& layout) {
    struct Count {
      std::string region;
      std::size_t erase = 0, write = 0, other = 0;
    };
    std::vector<Count> counts;
    const auto region_of = [&](const PowerSupply::Operation& op) -> std::string {
      if (std::string(op.kind) == "tpm_increment") return "tpm counter";
      const std::uint64_t sector = op.where / layout.geometry.sector_size;
      if (sector < 2) return "boot-control";
      if (sector < 4) return "counter";
      if (sector < layout.slot[0].first_sector) return "log";
      return sector < layout.slot[1].first_sector ? "slot A" : "slot B";
    };
    for (const auto& op : trace) {
      const std::string region = region_of(op);
      auto it = std::find_if(counts.begin(), counts.end(), [&](const Count& c) { return c.region == region; });
      if (it == counts.end()) it = counts.insert(counts.end(), Count{region});
      const std::string kind = op.kind;
      (kind == "erase" ? it->erase : kind == "write" ? it->write : it->other)++;
    }
    std::string out;
    for (const Count& c : counts) {
      if (!out.empty()) out += ", ";
      out += c.region + " " + std::to_string(c.erase + c.write + c.other) + " (";
      std::string parts;
      if (c.erase) parts += "erase " + std::to_string(c.erase);
      if (c.write) parts += (parts.empty() ? "" : ", ") + std::string("write ") + std::to_string(c.write);
      if (c.other) parts += (parts.empty() ? "" : ", ") + std::string("increment ") + std::to_string(c.other);
      out += parts + ")";
    }
    return out;
  }

  static void report(const char* what, const CutStats& s) {
    std::printf("[ cut points ] %-40s %3zu  (truncated tails %zu, trials reverted %zu, confirmations finished %zu, "
                "new image at once %zu)\n[ operations ] %s\n",
                what, s.cut_points, s.truncated_tails, s.reverted, s.rolled_forward, s.new_image_running,
                s.breakdown.c_str());
    RecordProperty("cut_points", static_cast<int>(s.cut_points));
  }

  // running_release1 returns a device running release 1 (confirmed, counter 1).
  static std::unique_ptr<SimDevice> running_release1() {
    auto sim = std::make_unique<SimDevice>(testing::test_config(), lab_->anchors(), lab_->log_signer());
    sim->device().provision();
    testing::bring_up(*sim, lab_->release(1));
    return sim;
  }

  static Lab* lab_;
};

Lab* PowerCut_::lab_ = nullptr;

TEST_F(PowerCut_, AtEveryOperationOfAnUpdate) {
  auto sim = running_release1();
  const auto base = sim->snapshot();
  const Release& r2 = lab_->release(2);
  const CutStats s = cut_loop(*sim, base, 1, [&](SimDevice& d) { (void)d.device().install(r2.envelope, r2.payload()); }, r2);
  report("update (install, detached image)", s);
  EXPECT_GT(s.cut_points, 20u);
  EXPECT_GT(s.truncated_tails, 0u);
}

TEST_F(PowerCut_, AtEveryOperationOfAnUpdateOverTheOlderSlot) {
  // Release 2 runs from slot B; release 3 replaces release 1 in slot A: the slot is marked empty,
  // erased and rewritten.
  auto sim = running_release1();
  testing::bring_up(*sim, lab_->release(2));
  const auto base = sim->snapshot();
  const Release& r3 = lab_->release(3);
  const CutStats s = cut_loop(*sim, base, 2, [&](SimDevice& d) { (void)d.device().install(r3.envelope, r3.payload()); }, r3);
  report("update over the older slot (erase)", s);
  EXPECT_GT(s.cut_points, 25u);
}

TEST_F(PowerCut_, AtEveryOperationOfAnUpdateWithIntegratedImage) {
  auto sim = running_release1();
  const auto base = sim->snapshot();
  testing::ReleaseSpec spec;
  spec.seq = 2;
  spec.detached = false;
  spec.image_size = 2500;
  const Release r = testing::make_release(spec, {&lab_->supplier()});
  lab_->add_authentic(r.envelope);
  const CutStats s = cut_loop(*sim, base, 1, [&](SimDevice& d) { (void)d.device().install(r.envelope, std::nullopt); }, r);
  report("update (install, integrated image)", s);
  EXPECT_GT(s.cut_points, 15u);
}

TEST_F(PowerCut_, AtEveryOperationOfTheTrialBoot) {
  auto sim = running_release1();
  const Release& r2 = lab_->release(2);
  ASSERT_TRUE(sim->device().install(r2.envelope, r2.payload()).installed);
  sim->reboot();
  const auto base = sim->snapshot();
  const CutStats s = cut_loop(*sim, base, 1, [&](SimDevice& d) { (void)d.device().boot(); }, r2);
  report("boot of a new image on trial", s);
  EXPECT_GE(s.cut_points, 4u);  // boot-control erase + write, log append (2 writes)
}

TEST_F(PowerCut_, AtEveryOperationOfAConfirmation) {
  auto sim = running_release1();
  const Release& r3 = lab_->release(3);
  ASSERT_TRUE(sim->device().install(r3.envelope, r3.payload()).installed);
  sim->reboot();
  ASSERT_TRUE(sim->device().boot().trial);
  const auto base = sim->snapshot();  // release 3 runs on trial
  const CutStats s = cut_loop(*sim, base, 1, [&](SimDevice& d) { (void)d.device().confirm(); }, r3);
  report("confirmation (incl. counter advance)", s);
  EXPECT_GE(s.cut_points, 7u);  // boot control 2, log 2, counter 1, log 2
  EXPECT_GT(s.rolled_forward, 0u) << "no cut fell between confirmation and counter advance";
  EXPECT_GT(s.reverted, 0u) << "no cut fell before the confirmation was stored";
}

TEST_F(PowerCut_, AtEveryOperationOfACounterAdvanceAcrossItsSectors) {
  // Fill both counter sectors but the last entry of sector 1, so that the confirmation's advance
  // has to erase sector 0 (the older one) first: the counter's every cut point, erase included,
  // inside a real confirmation.
  auto sim = std::make_unique<SimDevice>(testing::test_config(), lab_->anchors(), lab_->log_signer());
  const std::uint64_t per_sector = 1024 / kCounterEntrySize;
  const std::uint64_t prefilled = 2 * per_sector - 1;
  for (std::uint64_t v = 1; v <= prefilled; ++v) sim->counter().advance(v);
  sim->device().provision();
  std::vector<Release> releases;
  for (const std::uint64_t seq : {prefilled, prefilled + 1, prefilled + 2}) {
    testing::ReleaseSpec spec;
    spec.seq = seq;
    releases.push_back(testing::make_release(spec, {&lab_->supplier()}));
    lab_->add_authentic(releases.back().envelope);
  }
  testing::bring_up(*sim, releases[0]);  // no advance: the counter is there already
  testing::bring_up(*sim, releases[1]);  // the last entry of sector 1
  const Release& next = releases[2];
  ASSERT_TRUE(sim->device().install(next.envelope, next.payload()).installed);
  sim->reboot();
  ASSERT_TRUE(sim->device().boot().trial);
  const auto base = sim->snapshot();
  const std::uint64_t erases_before = sim->flash().stats().erases;
  const CutStats s = cut_loop(*sim, base, prefilled, [&](SimDevice& d) { (void)d.device().confirm(); }, next);
  report("confirmation with counter sector change", s);
  EXPECT_GE(s.cut_points, 8u);  // one more than a plain confirmation: the counter sector erase
  EXPECT_GT(sim->flash().stats().erases, erases_before);
}

TEST_F(PowerCut_, AtEveryOperationOfALogAppend) {
  // A boot of a confirmed image writes exactly one record. Boot until the log ring is full and
  // the next record needs a new sector (erasing the oldest), then cut that append everywhere; and
  // an append in the middle of a sector.
  auto sim = running_release1();
  std::optional<SimDevice::Snapshot> boundary_state;
  for (int boots = 0; boots < 200 && !boundary_state; ++boots) {
    const auto before = sim->snapshot();
    const std::uint64_t erases = sim->flash().stats().erases;
    sim->reboot();
    ASSERT_TRUE(sim->device().boot().booted);
    if (sim->flash().stats().erases > erases && sim->device().log().rotated) boundary_state = before;
  }
  ASSERT_TRUE(boundary_state.has_value()) << "the log never needed to reuse a sector";
  const Release& r1 = lab_->release(1);
  const auto at_boundary = *boundary_state;
  const CutStats boundary = cut_loop(*sim, at_boundary, 1, [&](SimDevice& d) {
    d.reboot();
    (void)d.device().boot();
  }, r1);
  report("log append into a reused sector", boundary);
  EXPECT_EQ(boundary.cut_points, 3u);  // erase, frame, commit

  sim->restore(at_boundary);
  sim->reboot();
  ASSERT_TRUE(sim->device().boot().booted);
  const auto mid_sector = sim->snapshot();
  const CutStats mid = cut_loop(*sim, mid_sector, 1, [&](SimDevice& d) {
    d.reboot();
    (void)d.device().boot();
  }, r1);
  report("log append within a sector", mid);
  EXPECT_EQ(mid.cut_points, 2u);  // frame, commit
  EXPECT_EQ(mid.truncated_tails, 1u);
}

}  // namespace
}  // namespace ft::device
