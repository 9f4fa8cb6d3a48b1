#include "ft/assess/sdl_profile.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;

const std::string kHeader =
    "schema: fieldtrust/sdl-profile/1\n"
    "organisation: Example\n"
    "target_maturity: 3\n"
    "requirements:\n";

TEST(SdlProfile, ReadsEntries) {
  Diagnostics diags;
  const SdlProfile p = parse_sdl_profile(kHeader + "  - {requirement: SM-1, maturity: 3, evidence: [process.md]}\n"
                                                   "  - {requirement: DM-6, maturity: 0}\n",
                                         "sdl.yaml", "/org", shipped_catalogs(), diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].evidence, std::vector<std::string>{"/org/process.md"});
  EXPECT_EQ(p.entries[0].evidence_as_written, std::vector<std::string>{"process.md"});
  EXPECT_EQ(p.target_maturity, 3);
  EXPECT_EQ(p.entry_for_item[static_cast<std::size_t>(shipped_catalogs().find_item("iec62443-4-1:DM-6"))], 1);
}

TEST(SdlProfile, ErrorsNameLineAndField) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {kHeader + "  - {requirement: SM-99, maturity: 3}\n", "sdl.yaml:5: requirements[0].requirement: unknown IEC 62443-4-1"},
      {kHeader + "  - {requirement: CR 1.1, maturity: 3}\n", "sdl.yaml:5: requirements[0].requirement: unknown IEC 62443-4-1"},
      {kHeader + "  - {requirement: SM-1, maturity: 5}\n", "sdl.yaml:5: requirements[0].maturity: 5 is outside 0 to 4"},
      {kHeader + "  - {requirement: SM-1, maturity: 2}\n  - {requirement: SM-1, maturity: 3}\n",
       "sdl.yaml:6: requirements[1].requirement: second entry for SM-1 (first at line 5)"},
      {"schema: fieldtrust/sdl-profile/1\nrequirements: []\n", "sdl.yaml:1: organisation: required field is missing"},
      {kHeader + "  - {requirement: SM-1, maturity: 2, evidence: x.md}\n", "sdl.yaml:5: requirements[0].evidence: expected a list"},
  };
  for (const auto& c : cases) {
    Diagnostics diags;
    (void)parse_sdl_profile(c.text, "sdl.yaml", ".", shipped_catalogs(), diags);
    ASSERT_TRUE(diags.has_errors()) << c.expected;
    EXPECT_EQ(diags.all()[0].to_string().substr(0, c.expected.size()), c.expected) << diags.all()[0].to_string();
  }
}

}  // namespace
}  // namespace ft::assess
