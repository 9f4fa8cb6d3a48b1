// A random campaign: many devices, each driven through a random sequence of updates (authentic
// releases, rollbacks and attacks), boots, confirmations and power cuts at random operations,
// with the invariants checked after every step. The seed is printed; FT_SEED=<seed> replays a
// run, FT_CAMPAIGN_DEVICES and FT_CAMPAIGN_STEPS change its size.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>

#include "testing/device_testing.h"

namespace ft::device {
namespace {

using testing::Lab;
using testing::Release;
using testing::SimDevice;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

// Offer — something the update agent may be handed.
struct Offer {
  std::string name;
  std::vector<std::uint8_t> envelope;
  std::optional<std::vector<std::uint8_t>> payload;
  bool authentic = false;  // may be installed (if not below the minimum)
};

TEST(Campaign, RandomUpdatesCutsAndReboots) {
  std::random_device entropy;
  const std::uint64_t seed = env_number("FT_SEED", (std::uint64_t{entropy()} << 32) | entropy());
  const std::uint64_t devices = env_number("FT_CAMPAIGN_DEVICES", 25);
  const std::uint64_t steps = env_number("FT_CAMPAIGN_STEPS", 30);
  std::printf("[ campaign   ] FT_SEED=%llu  (%llu devices x %llu steps; replay with FT_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(devices),
              static_cast<unsigned long long>(steps), static_cast<unsigned long long>(seed));
  RecordProperty("FT_SEED", std::to_string(seed));
  std::mt19937_64 rng(seed);

  Lab lab;
  const ledger::LogKey key = lab.log_key();
  std::vector<Offer> offers;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const Release& r = lab.release(seq);
    offers.push_back({"release " + std::to_string(seq), r.envelope,
                      r.detached ? std::optional<std::vector<std::uint8_t>>(r.image) : std::nullopt, true});
  }
  {
    testing::ReleaseSpec spec;
    spec.seq = 6;
    spec.model = "LT-200";
    const Release other = testing::make_release(spec, {&lab.supplier()});
    offers.push_back({"other device class", other.envelope, other.image, false});
    auto tampered = lab.release(4).image;
    tampered[7] ^= 0x80;
    offers.push_back({"tampered image", lab.release(4).envelope, tampered, false});
    offers.push_back({"unsigned", testing::strip_signatures(lab.release(5).envelope, true), lab.release(5).image, false});
    offers.push_back({"garbage", std::vector<std::uint8_t>(700, 0x5c), std::nullopt, false});
  }

  std::uint64_t total_steps = 0, total_cuts = 0, installs = 0, confirms = 0, rejections = 0;
  for (std::uint64_t dev = 0; dev < devices; ++dev) {
    SimDevice sim(testing::test_config(), lab.anchors(), lab.log_signer());
    sim.device().provision();
    bool ever_confirmed = false;
    std::uint64_t counter_before = 0;
    std::ostringstream history;
    for (std::uint64_t step = 0; step < steps; ++step) {
      ++total_steps;
      const bool cut_now = rng() % 100 < 30;
      // Most steps have a few operations (boot, confirm); updates have up to about 30.
      if (cut_now) sim.supply().cut_after(rng() % 100 < 70 ? rng() % 8 : rng() % 36);
      const auto running = sim.device().running();
      const unsigned roll = static_cast<unsigned>(rng() % 100);
      std::string action;
      bool booted = false;
      try {
        if (running && running->trial && roll < 60) {
          action = "confirm";
          if (sim.device().confirm().confirmed) {
            ever_confirmed = true;
            ++confirms;
          }
        } else if (roll < 55) {
          const Offer& o = offers[rng() % offers.size()];
          action = "install " + o.name;
          const InstallOutcome out =
              sim.device().install(o.envelope, o.payload ? std::optional<Bytes>(Bytes(*o.payload)) : std::nullopt);
          if (out.installed) {
            ++installs;
            EXPECT_TRUE(o.authentic) << "installed " << o.name;
          } else {
            ++rejections;
          }
        } else if (roll < 85 || !running) {
          action = "reboot";
          sim.reboot();
          (void)sim.device().boot();
          booted = true;
        } else {
          action = "confirm";
          if (running && sim.device().confirm().confirmed) {
            ever_confirmed = true;
            ++confirms;
          }
        }
      } catch (const PowerCut&) {
        ++total_cuts;
        action += " [cut]";
        sim.reboot();
        (void)sim.device().boot();
        booted = true;
      }
      sim.supply().disarm();
      history << " " << action << ";";
      const auto verdict =
          testing::check_invariants(sim, lab, key, {counter_before, ever_confirmed, booted});
      if (!verdict) {
        ADD_FAILURE() << "FT_SEED=" << seed << " device " << dev << " step " << step << ": " << verdict.message()
                      << "\n  history:" << history.str();
        return;
      }
      counter_before = sim.counter().read();
    }
  }
  std::printf("[ campaign   ] %llu steps, %llu power cuts, %llu installs, %llu confirmations, %llu rejections\n",
              static_cast<unsigned long long>(total_steps), static_cast<unsigned long long>(total_cuts),
              static_cast<unsigned long long>(installs), static_cast<unsigned long long>(confirms),
              static_cast<unsigned long long>(rejections));
  EXPECT_GT(total_cuts, 0u);
  EXPECT_GT(confirms, 0u);
}

}  // namespace
}  // namespace ft::device
