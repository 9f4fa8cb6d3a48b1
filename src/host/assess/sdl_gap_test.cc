#include "ft/assess/sdl_gap.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;
using testing::TempDir;

class SdlGapTest : public ::testing::Test {
 protected:
  SdlProfile profile(const std::string& entries) {
    Diagnostics diags;
    SdlProfile p = parse_sdl_profile("schema: fieldtrust/sdl-profile/1\norganisation: O\nrequirements:\n" + entries, "sdl.yaml",
                                     dir_.path(), shipped_catalogs(), diags);
    for (const auto& d : diags.all()) ADD_FAILURE() << d.to_string();
    return p;
  }
  const SdlRequirementResult& requirement(const SdlGapReport& r, const std::string& id) {
    return r.requirements[static_cast<std::size_t>(
        r.requirement_for_item[static_cast<std::size_t>(shipped_catalogs().find_item("iec62443-4-1:" + id))])];
  }
  TempDir dir_;
};

TEST_F(SdlGapTest, EffectiveMaturityNeedsEvidence) {
  dir_.write("manual.md", "# process\n");
  const SdlProfile p = profile("  - {requirement: SM-1, maturity: 3, evidence: [manual.md]}\n"
                               "  - {requirement: SM-2, maturity: 3}\n"
                               "  - {requirement: SM-3, maturity: 4, evidence: [manual.md, lost.md]}\n"
                               "  - {requirement: SM-4, maturity: 1}\n");
  const SdlGapReport r = sdl_gap(shipped_catalogs(), shipped_catalogs().sdl, p, 3);
  ASSERT_EQ(r.requirements.size(), 47u);
  EXPECT_EQ(requirement(r, "SM-1").effective, 3);
  EXPECT_EQ(requirement(r, "SM-2").effective, 1);  // ML3 without evidence counts as ML1
  EXPECT_NE(requirement(r, "SM-2").problems[0].find("without evidence"), std::string::npos);
  EXPECT_EQ(requirement(r, "SM-3").effective, 1);  // one evidence file is missing
  EXPECT_NE(requirement(r, "SM-3").problems[0].find("lost.md"), std::string::npos);
  EXPECT_EQ(requirement(r, "SM-4").effective, 1);  // ML1 needs no documents
  EXPECT_EQ(requirement(r, "SR-1").effective, 0);  // not in the profile
  EXPECT_EQ(r.gaps.size(), 46u);
}

TEST_F(SdlGapTest, StageMaturityIsItsWeakestRequirement) {
  dir_.write("e.md", "x\n");
  std::string entries;
  for (const int item : shipped_catalogs().catalogs[static_cast<std::size_t>(shipped_catalogs().process_catalog())].items) {
    const std::string& id = shipped_catalogs().items[static_cast<std::size_t>(item)].id;
    const int level = id == "SM-8" ? 2 : 3;
    entries += "  - {requirement: " + id + ", maturity: " + std::to_string(level) + ", evidence: [e.md]}\n";
  }
  const SdlProfile p = profile(entries);
  const SdlGapReport r = sdl_gap(shipped_catalogs(), shipped_catalogs().sdl, p, 3);
  ASSERT_EQ(r.stages.size(), 12u);
  for (std::size_t s = 0; s < r.stages.size(); ++s) {
    const bool build_stage = shipped_catalogs().sdl.stages[s].id == "SDL-06";
    EXPECT_EQ(r.stages[s].maturity, build_stage ? 2 : 3) << s;
    EXPECT_EQ(r.stages[s].gaps, build_stage ? 1 : 0) << s;
  }
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].item, shipped_catalogs().find_item("iec62443-4-1:SM-8"));
  EXPECT_NE(r.gaps[0].hint.find("ML2 -> ML3"), std::string::npos);
  // Against ML2 there is nothing to do; against ML4 everything is a gap, in stage order.
  EXPECT_TRUE(sdl_gap(shipped_catalogs(), shipped_catalogs().sdl, p, 2).gaps.empty());
  const SdlGapReport ml4 = sdl_gap(shipped_catalogs(), shipped_catalogs().sdl, p, 4);
  ASSERT_EQ(ml4.gaps.size(), 47u);
  EXPECT_EQ(ml4.gaps.front().item, shipped_catalogs().find_item("iec62443-4-1:SM-1"));
  EXPECT_EQ(ml4.gaps.back().item, shipped_catalogs().find_item("iec62443-4-1:SG-7"));
}

TEST_F(SdlGapTest, ExampleProfile) {
  const SdlProfile p = load_sdl_profile(testing::example_dir() + "/sdl.yaml", shipped_catalogs());
  const SdlGapReport r = sdl_gap(shipped_catalogs(), shipped_catalogs().sdl, p, p.target_maturity);
  for (const auto& req : r.requirements) {
    for (const auto& problem : req.problems) ADD_FAILURE() << shipped_catalogs().items[static_cast<std::size_t>(req.item)].id << ": " << problem;
  }
  EXPECT_FALSE(r.gaps.empty());
  EXPECT_LT(r.gaps.size(), 47u);
}

}  // namespace
}  // namespace ft::assess
