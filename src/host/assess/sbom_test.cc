#include "ft/assess/sbom.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ft::assess {
namespace {

TEST(Sbom, AcceptsTheExampleSbom) {
  const SbomCheck check =
      check_cyclonedx_json(testing::read_text(testing::example_dir() + "/sbom/ptx-3100-firmware-2.1.0.cdx.json"));
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.spec_version, "1.5");
  EXPECT_EQ(check.components, 5u);
  EXPECT_EQ(check.with_version, 5u);
  EXPECT_EQ(check.with_purl, 3u);
  EXPECT_EQ(check.subject, "PTX-3100 firmware 2.1.0");
}

TEST(Sbom, RejectsWhatIsNoUsableCycloneDx) {
  const std::string component = R"({"type":"library","name":"zlib","version":"1.3"})";
  struct Case {
    std::string json;
    std::string problem;
  };
  const std::vector<Case> cases = {
      {"not json", "not valid JSON"},
      {"[]", "top level is not a JSON object"},
      {R"({"bomFormat":"SPDX","specVersion":"1.5","components":[)" + component + "]}", "bomFormat is not"},
      {R"({"bomFormat":"CycloneDX","components":[)" + component + "]}", "specVersion is missing"},
      {R"({"bomFormat":"CycloneDX","specVersion":"2.0","components":[)" + component + "]}", "specVersion \"2.0\""},
      {R"({"bomFormat":"CycloneDX","specVersion":"1.4"})", "components is missing"},
      {R"({"bomFormat":"CycloneDX","specVersion":"1.4","components":[]})", "components is empty"},
      {R"({"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"type":"library"}]})", "components[0].name"},
      {R"({"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"name":"x"}]})", "components[0].type"},
      {R"({"bomFormat":"CycloneDX","specVersion":"1.4","components":[7]})", "components[0] is not an object"},
  };
  for (const auto& c : cases) {
    const SbomCheck check = check_cyclonedx_json(c.json);
    EXPECT_FALSE(check.ok) << c.json;
    EXPECT_NE(check.problem.find(c.problem), std::string::npos) << check.problem;
  }
  EXPECT_TRUE(check_cyclonedx_json(R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[)" + component + "]}").ok);
}

}  // namespace
}  // namespace ft::assess
