#include "ft/assess/product_profile.h"

#include <gtest/gtest.h>

#include "ft/host/error.h"
#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;

const std::string kHeader =
    "schema: fieldtrust/product-profile/1\n"       // 1
    "product:\n"                                   // 2
    "  id: ptx-1\n"                                // 3
    "  name: Test transmitter\n"                   // 4
    "  manufacturer: Example\n"                    // 5
    "  instrument_category: pressure-transmitter\n"  // 6
    "  core_function: process-measurement\n"       // 7
    "  markets: [EU, CN]\n"                        // 8
    "  interfaces: [hart]\n"                       // 9
    "  target_sl: 2\n"                             // 10
    "artifacts:\n"                                 // 11
    "  - {id: tr, kind: test-report, path: docs/tr.md}\n"  // 12
    "claims:\n";                                   // 13

ProductProfile parse(const std::string& text, Diagnostics& diags) {
  return parse_product_profile(text, "product.yaml", "/base", shipped_catalogs(), diags);
}

// first_error returns "line: field: message" of the first error, or "" when there is none.
std::string first_error(const Diagnostics& diags) {
  for (const auto& d : diags.all()) {
    if (d.severity == Diagnostic::Severity::error) return std::to_string(d.line) + ": " + d.field + ": " + d.message;
  }
  return "";
}

TEST(ProductProfile, ReadsIdentityTargetsArtifactsAndClaims) {
  Diagnostics diags;
  const ProductProfile p = parse(kHeader +
                                     "  - {requirement: CR 1.1, status: met, evidence: [tr]}\n"
                                     "  - {requirement: \"eu-cra:II-4\", status: partly-met, evidence: [tr], note: soon}\n"
                                     "  - {requirement: CR 2.2, status: not-applicable, rationale: no radio}\n",
                                 diags);
  EXPECT_EQ(first_error(diags), "");
  EXPECT_EQ(p.id, "ptx-1");
  EXPECT_EQ(p.component_type, ComponentType::edr);  // from the category
  EXPECT_EQ(p.markets, (std::vector<std::string>{"EU", "CN"}));
  EXPECT_EQ(p.target_sl[0], 2);
  EXPECT_EQ(p.target_sl[6], 2);
  ASSERT_EQ(p.artifacts.size(), 1u);
  EXPECT_EQ(p.artifacts[0].resolved_path, "/base/docs/tr.md");
  ASSERT_EQ(p.claims.size(), 3u);
  EXPECT_EQ(p.claims[1].item, shipped_catalogs().find_item("eu-cra:II-4"));
  EXPECT_EQ(p.claims[1].status, Status::partly_met);
  EXPECT_EQ(p.claims[2].rationale, "no radio");
  EXPECT_EQ(p.claim_for_item[static_cast<std::size_t>(shipped_catalogs().find_item("CR 1.1"))], 0);
}

TEST(ProductProfile, TargetPerFoundationalRequirement) {
  Diagnostics diags;
  std::string text = kHeader;
  text.replace(text.find("  target_sl: 2\n"), 14, "  target_sl: {FR1: 3, FR2: 2, FR3: 2, FR4: 1, FR5: 0, FR6: 1, FR7: 4}\n");
  const ProductProfile p = parse(text, diags);
  EXPECT_EQ(first_error(diags), "");
  EXPECT_EQ(p.target_sl, (std::array<int, 7>{3, 2, 2, 1, 0, 1, 4}));
}

struct BadCase {
  const char* what;
  std::string text;
  std::string expected;  // "line: field: message-start"
};

TEST(ProductProfile, ErrorsNameLineAndField) {
  std::string missing_fr = kHeader;
  missing_fr.replace(missing_fr.find("  target_sl: 2\n"), 14, "  target_sl: {FR1: 2}\n");
  std::string bad_market = kHeader;
  bad_market.replace(bad_market.find("[EU, CN]"), 8, "[EU, XX]");
  std::string bad_schema = kHeader;
  bad_schema.replace(bad_schema.find("/1\n"), 3, "/2\n");
  std::string unknown_field = kHeader;
  unknown_field.replace(unknown_field.find("  core_function"), 0, "  colour: red\n");
  std::string bad_sl = kHeader;
  bad_sl.replace(bad_sl.find("target_sl: 2"), 12, "target_sl: 5");
  const std::vector<BadCase> cases = {
      {"unknown requirement", kHeader + "  - {requirement: CR 9.9, status: met}\n", "14: claims[0].requirement: unknown requirement \"CR 9.9\""},
      {"bad status", kHeader + "  - {requirement: CR 1.1, status: done}\n", "14: claims[0].status: expected met, partly-met"},
      {"n/a without rationale", kHeader + "  - {requirement: CR 1.1, status: not-applicable}\n",
       "14: claims[0].rationale: a not-applicable claim needs a rationale"},
      {"dangling artifact", kHeader + "  - {requirement: CR 1.1, status: met, evidence: [nope]}\n",
       "14: claims[0].evidence[0]: dangling reference: no artifact \"nope\""},
      {"duplicate claim", kHeader + "  - {requirement: CR 1.1, status: met}\n  - {requirement: CR 1.1, status: not-met}\n",
       "15: claims[1].requirement: second claim for iec62443-4-2:CR 1.1 (first at line 14)"},
      {"missing FR", missing_fr, "10: product.target_sl.FR2: required field is missing"},
      {"unknown market", bad_market, "8: product.markets: unknown market \"XX\""},
      {"wrong schema", bad_schema, "1: schema: expected \"fieldtrust/product-profile/1\""},
      {"unknown field", unknown_field, "7: product.colour: unknown field"},
      {"SL out of range", bad_sl, "10: product.target_sl: 5 is outside 0 to 4"},
  };
  for (const auto& c : cases) {
    Diagnostics diags;
    (void)parse(c.text, diags);
    EXPECT_EQ(first_error(diags).substr(0, c.expected.size()), c.expected) << c.what << "\n" << first_error(diags);
  }
  // Firmware envelopes need trust anchors to be verifiable.
  std::string envelope = kHeader;
  envelope.replace(envelope.find("claims:\n"), 0, "  - {id: fw, kind: firmware-envelope, path: fw.suit, trust_anchors: []}\n");
  Diagnostics diags;
  (void)parse(envelope, diags);
  EXPECT_NE(first_error(diags).find("artifacts[1].trust_anchors: a firmware envelope needs at least one trust anchor"),
            std::string::npos)
      << first_error(diags);
}

TEST(ProductProfile, WarnsAboutClaimsThatCannotCount) {
  Diagnostics diags;
  (void)parse(kHeader + "  - {requirement: NDR 1.6, status: met, evidence: [tr]}\n"
                        "  - {requirement: CR 7.8, status: met, evidence: [tr]}\n"
                        "  - {requirement: EDR 3.10 RE1, status: met, evidence: [tr]}\n",
              diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_FALSE(diags.all().empty());
  EXPECT_NE(diags.all()[0].message.find("does not exist for EDR components"), std::string::npos);
}

TEST(ProductProfile, LoadThrowsWithAllErrorsAndTheFileName) {
  testing::TempDir dir;
  const std::string path = dir.write("p.yaml", kHeader + "  - {requirement: CR 9.9, status: met}\n  - {requirement: CR 1.1, status: x}\n");
  try {
    (void)load_product_profile(path, shipped_catalogs());
    FAIL() << "no exception";
  } catch (const host::UserError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.exit_code(), host::kExitInput);
    EXPECT_NE(message.find("2 errors"), std::string::npos) << message;
    EXPECT_NE(message.find(path + ":14: claims[0].requirement"), std::string::npos) << message;
    EXPECT_NE(message.find(path + ":15: claims[1].status"), std::string::npos) << message;
  }
}

TEST(ProductProfile, ExampleProfileIsValid) {
  std::vector<Diagnostic> warnings;
  const ProductProfile p = load_product_profile(testing::example_dir() + "/product.yaml", shipped_catalogs(), &warnings);
  EXPECT_EQ(p.markets.size(), 4u);
  EXPECT_EQ(p.interfaces, (std::vector<std::string>{"hart", "modbus-tcp", "local-hmi", "service-port"}));
  for (const auto& w : warnings) ADD_FAILURE() << w.to_string();
}

}  // namespace
}  // namespace ft::assess
