#include "ft/assess/report.h"

#include <gtest/gtest.h>

#include <regex>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;

// The example product assessed once, with its SDL profile, as of a fixed day.
struct Example {
  ProductProfile product;
  SdlProfile sdl;
  UnavailableVerifier verifier;
  std::unique_ptr<EvidenceChecker> checker;
  Assessment assessment;

  Example() {
    product = load_product_profile(testing::example_dir() + "/product.yaml", shipped_catalogs());
    sdl = load_sdl_profile(product.sdl_profile, shipped_catalogs());
    checker = std::make_unique<EvidenceChecker>(shipped_catalogs(), verifier);
    AssessOptions options;
    options.date = *parse_date("2026-11-27");
    options.sdl = &sdl;
    assessment = assess(shipped_catalogs(), product, *checker, options);
  }
};

const Example& example() {
  static const Example e;
  return e;
}

TEST(Report, JsonCarriesEveryVerdictAndTheGaps) {
  const nlohmann::json j = assessment_to_json(example().assessment);
  EXPECT_EQ(j["schema"], "fieldtrust/assessment/1");
  EXPECT_EQ(j["date"], "2026-11-27");
  EXPECT_EQ(j["product"]["component_type"], "EDR");
  EXPECT_EQ(j["sl_t"].size(), 7u);
  EXPECT_EQ(j["security_levels"]["FR3"]["achieved"], example().assessment.sl_c[2]);
  EXPECT_EQ(j["requirements"].size(), shipped_catalogs().items.size());
  EXPECT_EQ(j["gaps"].size(), example().assessment.gaps.size());
  EXPECT_EQ(j["summary"]["meets_target"], false);
  EXPECT_EQ(j["sdl"]["schema"], "fieldtrust/sdl-gap/1");
  bool found = false;
  for (const auto& r : j["requirements"]) {
    if (r["ref"] == "iec62443-4-2:EDR 3.10 RE1") {
      found = true;
      EXPECT_EQ(r["sl"], 2);
      EXPECT_EQ(r["confidence"], "high");
      EXPECT_NE(r["status"], "met");
      EXPECT_FALSE(r["problems"].empty());
    }
  }
  EXPECT_TRUE(found);
  for (const auto& g : j["gaps"]) {
    EXPECT_FALSE(g["hint"].get<std::string>().empty());
    EXPECT_TRUE(g["effort"] == "small" || g["effort"] == "medium" || g["effort"] == "large");
  }
  bool firmware_missing = false;
  for (const auto& a : j["artifacts"]) {
    if (a["id"] == "firmware") firmware_missing = a["verdict"] == "missing" && a["counts_as_evidence"] == false;
  }
  EXPECT_TRUE(firmware_missing);
}

TEST(Report, MarkdownHasTheSectionsAndTables) {
  const std::string md = assessment_to_markdown(example().assessment);
  for (const char* heading : {"# Security assessment: PTX-3100", "## Security levels (IEC 62443-4-2)", "## Gaps (",
                              "## Regulatory applicability", "## Evidence artifacts", "## SDL gap assessment against ML3"}) {
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(md.find("| FR3 SI | 2 | "), std::string::npos);
  EXPECT_NE(md.find("EU Cyber Resilience Act"), std::string::npos);
  // Every table row has as many cells as its header.
  std::istringstream lines(md);
  std::string line;
  std::size_t columns = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("|", 0) != 0) {
      columns = 0;
      continue;
    }
    std::size_t cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i) cells += (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ? 1 : 0;
    if (columns == 0) columns = cells;
    EXPECT_EQ(cells, columns) << line;
  }
}

TEST(Report, HtmlIsSelfContainedWithThreeCharts) {
  const std::string html = assessment_to_html(example().assessment);
  for (const char* id : {"id=\"chart-sl\"", "id=\"chart-status\"", "id=\"chart-sdl\""}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  // Nothing is loaded from elsewhere.
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(std::regex_search(html, std::regex("https?://(?!www\\.w3\\.org/2000/svg)")), false);
}

TEST(Report, HtmlEscapesProfileText) {
  Example e;  // a private copy whose name carries markup
  e.product.name = "<script>alert(1)</script> & \"x\"";
  e.assessment.product = &e.product;
  const std::string html = assessment_to_html(e.assessment);
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"), std::string::npos);
}

TEST(Report, TextSummaryAndSdlReports) {
  const std::string text = assessment_to_text(example().assessment, 5);
  EXPECT_NE(text.find("SL-C  FR1..FR7:"), std::string::npos);
  EXPECT_NE(text.find("more (--format markdown|html|json for all)"), std::string::npos);
  const SdlGapReport& sdl = *example().assessment.sdl;
  EXPECT_NE(sdl_gap_to_text(sdl).find("SDL-06"), std::string::npos);
  const nlohmann::json j = sdl_gap_to_json(sdl);
  EXPECT_EQ(j["stages"].size(), 12u);
  EXPECT_EQ(j["requirements"].size(), 47u);
  EXPECT_EQ(j["gaps"].size(), sdl.gaps.size());
  const std::string html = sdl_gap_to_html(sdl);
  EXPECT_NE(html.find("id=\"chart-sdl\""), std::string::npos);
}

}  // namespace
}  // namespace ft::assess
