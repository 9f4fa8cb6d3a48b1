#include "ft/assess/engine.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::ScriptedVerifier;
using testing::shipped_catalogs;
using testing::TempDir;

// A product profile in a temporary directory with a test report, an SBOM, a firmware envelope and
// its anchor, and a rollback log on disk; claims and profile fields are given per test.
class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("docs/tr.md", "# test report\n");
    dir_.write("docs/design.md", "# design\n");
    dir_.write("fw/root.pem", "anchor\n");
    dir_.write("fw/app.suit", "envelope\n");
    dir_.write("fw/rollback.jsonl", "{}\n");
    dir_.write("sbom.json", testing::read_text(testing::example_dir() + "/sbom/ptx-3100-firmware-2.1.0.cdx.json"));
  }

  Assessment run(const std::string& claims, const std::string& product_extra = "", const std::string& markets = "[EU]",
                 const std::string& date = "2026-11-27") {
    const std::string text = "schema: fieldtrust/product-profile/1\n"
                             "product:\n  id: t\n  name: T\n  manufacturer: M\n"
                             "  instrument_category: pressure-transmitter\n  core_function: process-measurement\n"
                             "  markets: " + markets + "\n  interfaces: [hart]\n  target_sl: 2\n" + product_extra +
                             "artifacts:\n"
                             "  - {id: tr, kind: test-report, path: docs/tr.md}\n"
                             "  - {id: design, kind: design-document, path: docs/design.md}\n"
                             "  - {id: gone, kind: test-report, path: docs/missing.md}\n"
                             "  - {id: sbom, kind: sbom, path: sbom.json}\n" +
                             artifacts_ + "claims:\n" + claims;
    Diagnostics diags;
    product_ = parse_product_profile(text, dir_.path() + "/product.yaml", dir_.path(), shipped_catalogs(), diags);
    for (const auto& d : diags.all()) {
      if (d.severity == Diagnostic::Severity::error) ADD_FAILURE() << d.to_string();
    }
    checker_ = std::make_unique<EvidenceChecker>(shipped_catalogs(), verifier_);
    AssessOptions options;
    options.date = *parse_date(date);
    options.sdl = sdl_ ? &*sdl_ : nullptr;
    return assess(shipped_catalogs(), product_, *checker_, options);
  }

  void with_firmware() { artifacts_ += "  - {id: fw, kind: firmware-envelope, path: fw/app.suit, trust_anchors: [fw/root.pem]}\n"; }
  void with_rollback_log() { artifacts_ += "  - {id: rb, kind: rollback-log, path: fw/rollback.jsonl, public_key: fw/root.pem}\n"; }

  // claims_met_up_to returns met claims (evidence tr) for every EDR item of fr gated at or below sl.
  static std::string claims_met_up_to(int fr, int sl) {
    const CatalogSet& set = shipped_catalogs();
    std::string out;
    for (const int index : set.catalogs[static_cast<std::size_t>(set.component_catalog())].items) {
      const Item& item = set.items[static_cast<std::size_t>(index)];
      if (item.fr != fr || item.sl > sl || (item.types & type_bit(ComponentType::edr)) == 0) continue;
      out += "  - {requirement: " + item.id + ", status: met, evidence: [tr, design]}\n";
    }
    return out;
  }

  static const ItemResult& result(const Assessment& a, const std::string& ref) {
    const int index = shipped_catalogs().find_item(ref);
    EXPECT_GE(index, 0) << ref;
    return a.items[static_cast<std::size_t>(index)];
  }

  TempDir dir_;
  ScriptedVerifier verifier_;
  std::string artifacts_;
  ProductProfile product_;
  std::unique_ptr<EvidenceChecker> checker_;
  std::optional<SdlProfile> sdl_;
};

TEST_F(EngineTest, ClaimsCountOnlyWithEvidenceThatChecksOut) {
  const Assessment a = run("  - {requirement: CR 1.1, status: met, evidence: [tr]}\n"
                           "  - {requirement: CR 1.3, status: met}\n"
                           "  - {requirement: CR 1.4, status: met, evidence: [gone]}\n"
                           "  - {requirement: CR 1.5, status: met, evidence: [tr, gone]}\n"
                           "  - {requirement: CR 1.7, status: partly-met, evidence: [tr]}\n"
                           "  - {requirement: CR 1.10, status: not-met}\n"
                           "  - {requirement: CR 2.5, status: met, evidence: [design]}\n");
  EXPECT_EQ(result(a, "CR 1.1").status, Status::met);
  EXPECT_EQ(result(a, "CR 1.1").evidence, std::vector<int>{0});
  EXPECT_EQ(result(a, "CR 1.3").status, Status::not_met);
  EXPECT_EQ(result(a, "CR 1.3").reason, "claimed met without evidence");
  EXPECT_EQ(result(a, "CR 1.4").status, Status::not_met);
  EXPECT_NE(result(a, "CR 1.4").reason.find("missing"), std::string::npos);
  // One good and one missing artifact: reported, and never counted as met.
  EXPECT_EQ(result(a, "CR 1.5").status, Status::partly_met);
  ASSERT_EQ(result(a, "CR 1.5").problems.size(), 1u);
  EXPECT_NE(result(a, "CR 1.5").problems[0].find("gone (docs/missing.md): missing"), std::string::npos);
  EXPECT_EQ(result(a, "CR 1.7").status, Status::partly_met);
  EXPECT_EQ(result(a, "CR 1.10").status, Status::not_met);
  // A design document cannot show session lock (CR 2.5 takes test reports).
  EXPECT_EQ(result(a, "CR 2.5").status, Status::not_met);
  EXPECT_NE(result(a, "CR 2.5").problems[0].find("cannot show this requirement"), std::string::npos);
  EXPECT_EQ(result(a, "CR 1.11").reason, "no claim and no evidence");
}

TEST_F(EngineTest, VerifiedEnvelopeShowsSignedFirmwareItemsWithoutAClaim) {
  with_firmware();
  const Assessment a = run("");
  for (const char* ref : {"CR 3.4 RE1", "EDR 3.10 RE1", "EDR 3.14 RE1"}) {
    EXPECT_EQ(result(a, ref).status, Status::met) << ref;
    EXPECT_NE(result(a, ref).reason.find("shown by verified artifact fw"), std::string::npos) << result(a, ref).reason;
  }
  EXPECT_EQ(result(a, "CR 3.4").status, Status::not_met);  // the base is not shown by a signature alone
  EXPECT_EQ(verifier_.envelope_calls, 1);
}

TEST_F(EngineTest, EnvelopeThatFailsOrCannotBeVerifiedIsNeverMet) {
  with_firmware();
  verifier_.envelope = {Verdict::failed, "chain does not reach a provisioned anchor [cert_untrusted_root]", {}};
  const Assessment failed = run("  - {requirement: EDR 3.10 RE1, status: met, evidence: [fw]}\n");
  EXPECT_EQ(failed.items[static_cast<std::size_t>(shipped_catalogs().find_item("EDR 3.10 RE1"))].status, Status::not_met);
  EXPECT_NE(result(failed, "EDR 3.10 RE1").reason.find("cert_untrusted_root"), std::string::npos);
  EXPECT_EQ(result(failed, "CR 3.4 RE1").status, Status::not_met);
  EXPECT_FALSE(result(failed, "CR 3.4 RE1").problems.empty());

  verifier_.envelope = {Verdict::unavailable, "firmware envelope verifier not available", {}};
  const Assessment unavailable = run("  - {requirement: EDR 3.10 RE1, status: met, evidence: [fw, tr]}\n");
  EXPECT_EQ(result(unavailable, "EDR 3.10 RE1").status, Status::partly_met);
  EXPECT_NE(result(unavailable, "EDR 3.10 RE1").reason.find("not available"), std::string::npos);
}

TEST_F(EngineTest, AntiRollbackNeedsAVerifiedRollbackLog) {
  with_firmware();
  const Assessment without = run("  - {requirement: \"nist-sp800-193:protection\", status: met, evidence: [fw, tr]}\n");
  EXPECT_EQ(result(without, "nist-sp800-193:protection").status, Status::partly_met);
  EXPECT_NE(result(without, "nist-sp800-193:protection").reason.find("also needs a verified rollback-log"), std::string::npos);

  with_rollback_log();
  const Assessment with = run("");
  EXPECT_EQ(result(with, "nist-sp800-193:protection").status, Status::met);

  verifier_.log.properties.clear();  // the log verifies but shows no rollback protection
  const Assessment hollow = run("");
  EXPECT_NE(result(hollow, "nist-sp800-193:protection").status, Status::met);
}

TEST_F(EngineTest, SbomShowsCraPartTwoItemOne) {
  const Assessment a = run("");
  EXPECT_EQ(result(a, "eu-cra:II-1").status, Status::met);
  EXPECT_NE(result(a, "eu-cra:II-1").reason.find("CycloneDX"), std::string::npos);
}

TEST_F(EngineTest, SecurityLevelCapabilityPerFoundationalRequirement) {
  const Assessment sl2 = run(claims_met_up_to(1, 2) + claims_met_up_to(7, 1));
  EXPECT_EQ(sl2.sl_c[0], 2);  // FR1: everything up to SL 2 met, SL 3 items open
  EXPECT_EQ(sl2.sl_c[6], 1);  // FR7: SL 1 met, CR 7.1 RE1 (SL 2) open
  EXPECT_EQ(sl2.sl_c[3], 0);  // FR4: nothing claimed
  EXPECT_EQ(sl2.sl_c[4], 0);  // FR5: CR 5.1 applies to EDR
  EXPECT_EQ(sl2.sl_t[0], 2);

  // Take CR 1.11 (SL 1) away: FR1 drops to 0 although all of SL 2 is met otherwise.
  std::string claims = claims_met_up_to(1, 2);
  const auto at = claims.find("  - {requirement: CR 1.11,");
  claims.erase(at, claims.find('\n', at) + 1 - at);
  EXPECT_EQ(run(claims).sl_c[0], 0);

  // Everything of FR1 met: SL-C 4.
  EXPECT_EQ(run(claims_met_up_to(1, 4)).sl_c[0], 4);
}

TEST_F(EngineTest, NotApplicableItemsDoNotBlockButNeedTheirReason) {
  std::string claims = claims_met_up_to(2, 2);
  const auto at = claims.find("  - {requirement: CR 2.2,");
  ASSERT_NE(at, std::string::npos);
  claims.erase(at, claims.find('\n', at) + 1 - at);
  const Assessment a = run(claims + "  - {requirement: CR 2.2, status: not-applicable, rationale: no wireless interface}\n");
  EXPECT_EQ(result(a, "CR 2.2").status, Status::not_applicable);
  EXPECT_EQ(result(a, "CR 2.2").reason, "claimed not applicable: no wireless interface");
  // Enhancements of a not-applicable base are not applicable too.
  const Assessment b = run("  - {requirement: EDR 2.4, status: not-applicable, rationale: no mobile code}\n");
  EXPECT_EQ(result(b, "EDR 2.4 RE1").status, Status::not_applicable);
  // Items of other component types do not exist for this product.
  EXPECT_FALSE(result(a, "NDR 1.6").applicable);
  EXPECT_NE(result(a, "NDR 1.6").reason.find("exists only for NDR"), std::string::npos);
  EXPECT_EQ(a.sl_c[1], 2);
}

TEST_F(EngineTest, CrosswalksCarryEvidenceToOtherCatalogues) {
  const Assessment a = run("  - {requirement: CR 4.1, status: met, evidence: [tr]}\n"
                           "  - {requirement: CR 4.3, status: met, evidence: [design]}\n"
                           "  - {requirement: CR 4.2, status: met, evidence: [tr]}\n"
                           "  - {requirement: CR 7.7, status: met, evidence: [tr]}\n"
                           "  - {requirement: \"eu-cra:I-2b\", status: not-met}\n");
  // Together CR 4.1 and CR 4.3 cover CRA confidentiality: met, with their evidence.
  const ItemResult& confidentiality = result(a, "eu-cra:I-2e");
  EXPECT_EQ(confidentiality.status, Status::met);
  EXPECT_EQ(confidentiality.evidence.size(), 2u);
  EXPECT_EQ(confidentiality.derived_from.size(), 2u);
  // Overlap alone gives partly met.
  EXPECT_EQ(result(a, "eu-cra:I-2m").status, Status::partly_met);
  // An explicit "not met" is not overruled.
  EXPECT_EQ(result(a, "eu-cra:I-2b").status, Status::not_met);
  // Overlap does not leak sideways: CR 4.2 met does not touch CR 4.2 RE1.
  EXPECT_EQ(result(a, "CR 4.2 RE1").status, Status::not_met);
  // An identical adoption shares the verdict.
  EXPECT_EQ(a.items[static_cast<std::size_t>(shipped_catalogs().find_item("gbt-42278:CR 4.1"))].status, Status::met);
}

TEST_F(EngineTest, GapsAreOrderedByWhatTheyBlock) {
  const Assessment eu = run(claims_met_up_to(1, 2), "", "[EU]");
  ASSERT_FALSE(eu.gaps.empty());
  // Only items up to SL-T count against the target.
  for (const Gap& gap : eu.gaps) {
    if (gap.fr > 0) {
      EXPECT_LE(gap.blocks_sl, 2) << shipped_catalogs().items[static_cast<std::size_t>(gap.item)].ref;
    }
  }
  // Gaps that hold back a mandatory regime sooner come first.
  for (std::size_t i = 1; i < eu.gaps.size(); ++i) {
    EXPECT_LE(eu.gaps[i - 1].earliest_mandatory_days, eu.gaps[i].earliest_mandatory_days);
  }
  // No gap blocks China for an EU-only product.
  for (const Gap& gap : eu.gaps) {
    for (const Block& block : gap.blocks) {
      EXPECT_NE(shipped_catalogs().regimes.regimes[static_cast<std::size_t>(block.regime)].id, "cn-gbt-42278");
    }
  }
  const Assessment cn = run(claims_met_up_to(1, 2), "", "[EU, CN]");
  // In China the GB/T market access (due June 2026) is blocked by every SL gap; those come first.
  const Gap& first = cn.gaps.front();
  EXPECT_GT(first.fr, 0);
  EXPECT_EQ(first.blocks_sl, 1);
  bool blocks_china = false;
  for (const Block& block : first.blocks) {
    const std::string& id = shipped_catalogs().regimes.regimes[static_cast<std::size_t>(block.regime)].id;
    if (id == "cn-gbt-42278") {
      blocks_china = true;
      ASSERT_TRUE(block.due);
      EXPECT_EQ(block.due->milestone->date.to_string(), "2026-06");
    }
  }
  EXPECT_TRUE(blocks_china);
  EXPECT_FALSE(first.hint.empty());
  // The CRA reporting obligation is due before the rest of the CRA.
  const auto art14 = std::find_if(cn.gaps.begin(), cn.gaps.end(), [](const Gap& g) {
    return g.item == shipped_catalogs().find_item("eu-cra:Art14");
  });
  ASSERT_NE(art14, cn.gaps.end());
  EXPECT_EQ(art14->blocks.front().due->milestone->date.to_string(), "2026-09-11");
}

TEST_F(EngineTest, SdlProfileDecidesProcessItemsAndCcsc4) {
  Diagnostics diags;
  std::string text = "schema: fieldtrust/sdl-profile/1\norganisation: O\ntarget_maturity: 3\nrequirements:\n";
  for (const int item : shipped_catalogs().catalogs[static_cast<std::size_t>(shipped_catalogs().process_catalog())].items) {
    text += "  - {requirement: " + shipped_catalogs().items[static_cast<std::size_t>(item)].id + ", maturity: 3, evidence: [docs/tr.md]}\n";
  }
  sdl_ = parse_sdl_profile(text, "sdl.yaml", dir_.path(), shipped_catalogs(), diags);
  ASSERT_FALSE(diags.has_errors());
  const Assessment full = run("");
  EXPECT_EQ(result(full, "CCSC 4").status, Status::met);
  EXPECT_EQ(result(full, "iec62443-4-1:DM-1").status, Status::met);
  ASSERT_TRUE(full.sdl);
  EXPECT_TRUE(full.sdl->gaps.empty());

  sdl_->entries[0].maturity = 2;  // SM-1
  const Assessment partial = run("");
  EXPECT_EQ(result(partial, "CCSC 4").status, Status::partly_met);
  EXPECT_EQ(result(partial, "iec62443-4-1:SM-1").status, Status::partly_met);
}

TEST_F(EngineTest, RegimesFollowMarketSectorAndInterfaces) {
  const Assessment a = run("", "  sectors: [power]\n", "[US, SA]");
  std::vector<std::string> ids;
  for (const auto& r : a.regimes) ids.push_back(shipped_catalogs().regimes.regimes[static_cast<std::size_t>(r.applicability.regime)].id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "us-nerc-cip-013"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "sa-nca-otcc"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "eu-cra"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "us-api-1164"), ids.end());  // oil and gas only
  // The 2026 guidance asks for SDL maturity; without an SDL profile all 47 are open.
  const auto guidance = std::find_if(a.regimes.begin(), a.regimes.end(), [](const RegimeResult& r) {
    return shipped_catalogs().regimes.regimes[static_cast<std::size_t>(r.applicability.regime)].id == "iec-tc65-2026-guidance";
  });
  ASSERT_NE(guidance, a.regimes.end());
  EXPECT_TRUE(guidance->sdl_profile_missing);
  EXPECT_EQ(guidance->sdl_unmet.size(), 47u);
}

TEST_F(EngineTest, ExampleProductAssessesWithItsSdlProfile) {
  const CatalogSet& set = shipped_catalogs();
  const ProductProfile product = load_product_profile(testing::example_dir() + "/product.yaml", set);
  const SdlProfile sdl = load_sdl_profile(product.sdl_profile, set);
  UnavailableVerifier verifier;
  EvidenceChecker checker(set, verifier);
  AssessOptions options;
  options.date = *parse_date("2026-11-27");
  options.sdl = &sdl;
  const Assessment a = assess(set, product, checker, options);
  // Without the verifier the signed-firmware items cannot be met: FR3 stays below SL 2.
  EXPECT_LT(a.sl_c[2], 2);
  EXPECT_NE(result(a, "EDR 3.10 RE1").status, Status::met);
  EXPECT_EQ(result(a, "CR 1.1 RE1").status, Status::met);
  EXPECT_EQ(a.cra.id, "default");
  EXPECT_EQ(a.regimes.size(), 10u);
  EXPECT_GT(a.gaps_against_target(), 0u);
  ASSERT_TRUE(a.sdl);
  EXPECT_EQ(a.sdl->requirements.size(), 47u);
}

}  // namespace
}  // namespace ft::assess
