// assess_bench — assessing generated products against the full catalogues (IEC 62443-4-2 with
// all REs, 62443-4-1 with the SDL stages, EU CRA, NIST IR 8259A/B, SP 800-193, GB/T 42278,
// crosswalks and regimes). Target: 1,000 products in under one second on one core.
//
//   build/<dir>/bench/assess_bench --benchmark_filter=Assess
//
// Products are generated (seeded, so runs compare) and parsed before timing; the timed loop runs
// the engine for every product: artifact checks (cached after the first product, as one checker
// serves a portfolio), per-item verdicts, crosswalk propagation, SL-C, SDL gap, regimes, gaps.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "ft/assess/catalog_load.h"
#include "ft/assess/engine.h"
#include "ft/assess/report.h"

namespace {

using namespace ft::assess;

constexpr int kProducts = 1000;

struct Portfolio {
  CatalogSet set;
  std::vector<ProductProfile> products;
  SdlProfile sdl;
};

std::string example_dir() { return std::string(FT_SOURCE_DIR) + "/examples/pressure-transmitter"; }

// generate_profile writes a product profile with random identity, markets, targets and a claim
// for most applicable 62443-4-2 items, citing the example's documents.
std::string generate_profile(const CatalogSet& set, std::mt19937& rng, int n) {
  static const char* const kCategories[] = {"pressure-transmitter", "flowmeter", "level-transmitter",
                                            "temperature-transmitter", "valve-positioner", "analyser"};
  static const char* const kMarkets[] = {"EU", "US", "SA", "CN"};
  static const char* const kSectors[] = {"oil-and-gas", "water", "power", "chemicals"};
  static const char* const kInterfaces[] = {"hart", "wirelesshart", "modbus-tcp", "profibus-pa", "ethernet-apl", "bluetooth"};
  static const char* const kStatuses[] = {"met", "met", "met", "partly-met", "not-met"};
  auto pick = [&](int bound) { return static_cast<int>(rng() % static_cast<unsigned>(bound)); };
  std::string text = "schema: fieldtrust/product-profile/1\nproduct:\n  id: gen-" + std::to_string(n) +
                     "\n  name: Generated instrument " + std::to_string(n) + "\n  manufacturer: Bench\n" +
                     "  instrument_category: " + kCategories[pick(6)] + "\n  core_function: process-measurement\n";
  std::string markets, sectors, interfaces;
  for (int i = 0; i < 4; ++i) {
    if (i == 0 || pick(2)) markets += std::string(markets.empty() ? "" : ", ") + kMarkets[(n + i) % 4];
    if (pick(2)) sectors += std::string(sectors.empty() ? "" : ", ") + kSectors[i];
  }
  for (int i = 0; i < 6; ++i) {
    if (i == 0 || pick(3) == 0) interfaces += std::string(interfaces.empty() ? "" : ", ") + kInterfaces[i];
  }
  text += "  markets: [" + markets + "]\n  sectors: [" + sectors + "]\n  interfaces: [" + interfaces + "]\n";
  text += "  target_sl: {";
  for (int fr = 1; fr <= 7; ++fr) text += (fr > 1 ? ", " : "") + std::string("FR") + std::to_string(fr) + ": " + std::to_string(1 + pick(3));
  text += "}\nartifacts:\n"
          "  - {id: tr1, kind: test-report, path: docs/test-reports/TR-101-authentication-and-authorisation.md}\n"
          "  - {id: tr2, kind: test-report, path: docs/test-reports/TR-103-protocol-robustness.md}\n"
          "  - {id: design, kind: design-document, path: docs/security-architecture.md}\n"
          "  - {id: guide, kind: security-guide, path: docs/security-guide.md}\n"
          "  - {id: sbom, kind: sbom, path: sbom/ptx-3100-firmware-2.1.0.cdx.json}\n"
          "  - {id: fw, kind: firmware-envelope, path: firmware/ptx-3100-2.1.0.suit, trust_anchors: [firmware/supplier-root.pem]}\n"
          "claims:\n";
  for (const int index : set.catalogs[static_cast<std::size_t>(set.component_catalog())].items) {
    const Item& item = set.items[static_cast<std::size_t>(index)];
    if ((item.types & type_bit(ComponentType::edr)) == 0 || pick(10) == 0) continue;
    text += "  - {requirement: " + item.id + ", status: " + kStatuses[pick(5)] + ", evidence: [" +
            (pick(2) ? "tr1, design" : "tr2, guide") + "]}\n";
  }
  text += "  - {requirement: \"eu-cra:II-5\", status: met, evidence: [guide]}\n";
  return text;
}

Portfolio& portfolio() {
  static Portfolio p = [] {
    Portfolio out;
    out.set = load_catalogs_or_throw(std::string(FT_SOURCE_DIR) + "/catalogs");
    out.sdl = load_sdl_profile(example_dir() + "/sdl.yaml", out.set);
    std::mt19937 rng(20261127);
    for (int n = 0; n < kProducts; ++n) {
      Diagnostics diags;
      out.products.push_back(parse_product_profile(generate_profile(out.set, rng, n), "gen.yaml", example_dir(), out.set, diags));
      diags.throw_if_errors("generated product " + std::to_string(n));
    }
    return out;
  }();
  return p;
}

void BM_Assess1000Products(benchmark::State& state) {
  Portfolio& p = portfolio();
  UnavailableVerifier verifier;
  EvidenceChecker checker(p.set, verifier);
  AssessOptions options;
  options.date = *parse_date("2026-11-27");
  options.sdl = &p.sdl;
  std::size_t gaps = 0;
  for (auto _ : state) {
    for (const auto& product : p.products) {
      const Assessment a = assess(p.set, product, checker, options);
      gaps += a.gaps.size();
      benchmark::DoNotOptimize(a.sl_c);
    }
  }
  state.counters["products/s"] = benchmark::Counter(static_cast<double>(kProducts), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["gaps/product"] = static_cast<double>(gaps) / static_cast<double>(state.iterations() * kProducts);
}
BENCHMARK(BM_Assess1000Products)->Unit(benchmark::kMillisecond);

void BM_Assess1000ProductsWithJsonReport(benchmark::State& state) {
  Portfolio& p = portfolio();
  UnavailableVerifier verifier;
  EvidenceChecker checker(p.set, verifier);
  AssessOptions options;
  options.date = *parse_date("2026-11-27");
  options.sdl = &p.sdl;
  for (auto _ : state) {
    for (const auto& product : p.products) {
      const std::string json = assessment_to_json(assess(p.set, product, checker, options)).dump();
      benchmark::DoNotOptimize(json.data());
    }
  }
  state.counters["products/s"] = benchmark::Counter(static_cast<double>(kProducts), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Assess1000ProductsWithJsonReport)->Unit(benchmark::kMillisecond);

void BM_LoadCatalogs(benchmark::State& state) {
  for (auto _ : state) {
    Diagnostics diags;
    const CatalogSet set = load_catalogs(std::string(FT_SOURCE_DIR) + "/catalogs", diags);
    benchmark::DoNotOptimize(set.items.size());
  }
}
BENCHMARK(BM_LoadCatalogs)->Unit(benchmark::kMillisecond);

}  // namespace
