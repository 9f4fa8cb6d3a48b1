#include "ft/assess/catalog_load.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "test_support.h"

namespace ft::assess {
namespace {

using testing::catalog_dir;
using testing::read_text;
using testing::shipped_catalogs;
using testing::TempDir;

const Item& item(const CatalogSet& set, const std::string& ref) {
  const int index = set.find_item(ref);
  EXPECT_GE(index, 0) << ref;
  static const Item none;
  return index < 0 ? none : set.items[static_cast<std::size_t>(index)];
}

TEST(ShippedCatalogs, PassValidation) {
  Diagnostics diags;
  const CatalogSet set = load_catalogs(catalog_dir(), diags);
  check_catalogs(set, diags);
  for (const auto& d : diags.all()) ADD_FAILURE() << d.to_string();
}

TEST(ShippedCatalogs, ComponentRequirementsHaveTheirLevelsAndTypes) {
  const CatalogSet& set = shipped_catalogs();
  const int component = set.component_catalog();
  ASSERT_GE(component, 0);
  const Catalog& c = set.catalogs[static_cast<std::size_t>(component)];
  ASSERT_EQ(c.groups.size(), 7u);
  EXPECT_EQ(c.groups[2].id, "FR3");
  EXPECT_EQ(c.groups[2].abbrev, "SI");
  EXPECT_TRUE(c.sl_gated);

  EXPECT_EQ(item(set, "CR 1.1 RE2").sl, 3);
  EXPECT_EQ(item(set, "CR 1.7 RE2").sl, 4);
  EXPECT_EQ(item(set, "EDR 3.10 RE1").sl, 2);
  EXPECT_EQ(item(set, "EDR 3.10 RE1").confidence, Confidence::high);
  EXPECT_EQ(item(set, "EDR 3.10 RE1").fr, 3);
  EXPECT_EQ(item(set, "CR 2.7").sl, 3);
  EXPECT_EQ(item(set, "NDR 5.2 RE3").sl, 3);
  // Every value the reference marks (?) is flagged low, so it can be corrected in one place.
  for (const char* uncertain : {"NDR 1.13 RE1", "CR 2.11 RE1", "CR 6.1 RE1", "CR 6.2", "CR 7.8"}) {
    EXPECT_EQ(item(set, uncertain).confidence, Confidence::low) << uncertain;
  }
  // A row "EDR/HDR/NDR 3.10" gives one item per type and no generic CR.
  EXPECT_EQ(item(set, "EDR 3.10").types, type_bit(ComponentType::edr));
  EXPECT_GE(set.find_item("NDR 3.10 RE1"), 0);
  EXPECT_LT(set.find_item("CR 3.10"), 0);
  EXPECT_LT(set.find_item("SAR 3.10"), 0);
  // HDR 3.2 alone has RE1.
  EXPECT_GE(set.find_item("HDR 3.2 RE1"), 0);
  EXPECT_LT(set.find_item("EDR 3.2 RE1"), 0);
  EXPECT_EQ(item(set, "HDR 3.2 RE1").base, set.find_item("HDR 3.2"));
  // Generic items apply to every type; NDR-only rows to NDR.
  EXPECT_EQ(item(set, "CR 1.1").types, kAllTypes);
  EXPECT_EQ(item(set, "NDR 1.6").types, type_bit(ComponentType::ndr));
  // Constraints are items, not SL-gated.
  EXPECT_EQ(item(set, "CCSC 4").kind, ItemKind::constraint);
  EXPECT_EQ(item(set, "CCSC 4").sl, 0);
  // Every item and enhancement lies between SL 1 and 4 and names evidence.
  for (const int index : c.items) {
    const Item& i = set.items[static_cast<std::size_t>(index)];
    if (i.kind == ItemKind::constraint) continue;
    EXPECT_GE(i.sl, 1) << i.id;
    EXPECT_LE(i.sl, 4) << i.id;
    EXPECT_FALSE(i.evidence_kinds.empty()) << i.id;
    if (i.base >= 0) {
      EXPECT_GE(i.sl, set.items[static_cast<std::size_t>(i.base)].sl) << i.id;
    }
  }
  EXPECT_EQ(c.not_at_component_level.size(), 3u);
}

TEST(ShippedCatalogs, ProcessRequirementsAndStages) {
  const CatalogSet& set = shipped_catalogs();
  const Catalog& process = set.catalogs[static_cast<std::size_t>(set.process_catalog())];
  EXPECT_EQ(process.items.size(), 47u);
  EXPECT_EQ(process.groups.size(), 8u);
  EXPECT_EQ(process.maturity_levels.size(), 4u);
  ASSERT_EQ(set.sdl.stages.size(), 12u);
  std::vector<int> covered;
  for (const auto& stage : set.sdl.stages) covered.insert(covered.end(), stage.requirements.begin(), stage.requirements.end());
  std::sort(covered.begin(), covered.end());
  covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
  EXPECT_EQ(covered.size(), 47u);
  EXPECT_EQ(set.sdl.stages[5].requirements.size(), 3u);  // secure build: SM-6, SM-7, SM-8
  EXPECT_EQ(set.items[static_cast<std::size_t>(set.sdl.stages[5].requirements[2])].id, "SM-8");
}

TEST(ShippedCatalogs, RegulationsAndAdoption) {
  const CatalogSet& set = shipped_catalogs();
  const Catalog& cra = set.catalogs[static_cast<std::size_t>(set.cra_catalog())];
  int part1 = 0;
  int part2 = 0;
  for (const int index : cra.items) {
    const Item& i = set.items[static_cast<std::size_t>(index)];
    part1 += cra.groups[static_cast<std::size_t>(i.group)].id == "I" ? 1 : 0;
    part2 += cra.groups[static_cast<std::size_t>(i.group)].id == "II" ? 1 : 0;
  }
  EXPECT_EQ(part1, 14);  // (1) and (2)(a) to (m)
  EXPECT_EQ(part2, 8);
  ASSERT_EQ(cra.classes.size(), 4u);
  EXPECT_EQ(cra.classes[1].categories.size(), 19u);
  EXPECT_EQ(cra.classes[2].categories.size(), 4u);
  EXPECT_EQ(cra.classes[3].categories.size(), 3u);
  ASSERT_EQ(cra.milestones.size(), 4u);
  EXPECT_EQ(cra.milestones[2].date.to_string(), "2026-09-11");
  EXPECT_EQ(cra.milestones[3].date.to_string(), "2027-12-11");

  EXPECT_EQ(set.catalogs[static_cast<std::size_t>(set.find_catalog("nist-ir-8259a"))].items.size(), 6u);
  EXPECT_EQ(set.catalogs[static_cast<std::size_t>(set.find_catalog("nist-ir-8259b"))].items.size(), 4u);
  EXPECT_EQ(set.catalogs[static_cast<std::size_t>(set.find_catalog("nist-sp800-193"))].items.size(), 3u);
  // GB/T 42278 is the same catalogue under another name.
  EXPECT_EQ(set.find_item("gbt-42278:EDR 3.14 RE1"), set.find_item("iec62443-4-2:EDR 3.14 RE1"));
  EXPECT_GE(set.find_item("gbt-42278:EDR 3.14 RE1"), 0);
}

TEST(ShippedCatalogs, EvidenceKindsProveTheIssueItems) {
  const CatalogSet& set = shipped_catalogs();
  const auto& envelope = set.evidence_kinds[static_cast<std::size_t>(set.find_evidence_kind("firmware-envelope"))];
  for (const char* ref : {"CR 3.4 RE1", "EDR 3.10 RE1", "EDR 3.14 RE1"}) {
    EXPECT_NE(std::find(envelope.proves.begin(), envelope.proves.end(), set.find_item(ref)), envelope.proves.end()) << ref;
  }
  const auto& sbom = set.evidence_kinds[static_cast<std::size_t>(set.find_evidence_kind("sbom"))];
  EXPECT_EQ(sbom.proves, std::vector<int>{set.find_item("eu-cra:II-1")});
}

// A copy of the shipped catalogues with one edit, for the validator's negative cases.
class EditedCatalogs {
 public:
  EditedCatalogs(const std::string& file, const std::string& from, const std::string& to) {
    std::filesystem::copy(catalog_dir(), dir_.path(), std::filesystem::copy_options::recursive);
    path_ = dir_.path() + "/" + file;
    std::string text = read_text(path_);
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) {
      line_ = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
      text.replace(at, from.size(), to);
    }
    dir_.write(file, text);
    set_ = load_catalogs(dir_.path(), diags_);
  }
  // has_error is true when an error on the edited file's line contains every fragment.
  ::testing::AssertionResult has_error(const std::vector<std::string>& fragments, bool check_line = true) const {
    for (const auto& d : diags_.all()) {
      if (d.severity != Diagnostic::Severity::error || d.file != path_) continue;
      if (check_line && d.line != line_) continue;
      bool all = true;
      for (const auto& f : fragments) all = all && d.to_string().find(f) != std::string::npos;
      if (all) return ::testing::AssertionSuccess();
    }
    std::string got;
    for (const auto& d : diags_.all()) got += "\n  " + d.to_string();
    return ::testing::AssertionFailure() << "expected line " << line_ << " of " << path_ << "; got:" << got;
  }
  const CatalogSet& set() const { return set_; }
  const Diagnostics& diags() const { return diags_; }

 private:
  TempDir dir_;
  std::string path_;
  int line_ = 0;
  Diagnostics diags_;
  CatalogSet set_;
};

TEST(CatalogValidator, RejectsSecurityLevelOutsideOneToFour) {
  EditedCatalogs edited("iec62443-4-2.yaml", "    sl: 3\n    confidence: high\n", "    sl: 5\n    confidence: high\n");
  EXPECT_TRUE(edited.has_error({"sl", "5 is outside 1 to 4"}));
  EditedCatalogs zero("iec62443-4-2.yaml", "    sl: 2\n", "    sl: 0\n");
  EXPECT_TRUE(zero.has_error({"sl", "outside 1 to 4"}));
}

TEST(CatalogValidator, RejectsDuplicateIds) {
  EditedCatalogs edited("iec62443-4-2.yaml", "  - id: CR 1.4\n", "  - id: CR 1.3\n");
  EXPECT_TRUE(edited.has_error({"duplicate ID \"CR 1.3\""}));
  EditedCatalogs process("iec62443-4-1.yaml", "{id: SM-2,", "{id: SM-1,");
  EXPECT_TRUE(process.has_error({"duplicate ID \"SM-1\""}));
}

TEST(CatalogValidator, RejectsCrosswalkEntriesThatPointNowhere) {
  EditedCatalogs target("crosswalks/iec62443-4-2_eu-cra.yaml", "  - to: I-2b\n", "  - to: I-2z\n");
  EXPECT_TRUE(target.has_error({"crosswalk entry points nowhere", "I-2z", "eu-cra"}));
  EditedCatalogs source("crosswalks/iec62443-4-2_eu-cra.yaml", "from: [CR 7.6, CR 7.7]", "from: [CR 7.6, CR 9.9]");
  EXPECT_TRUE(source.has_error({"points nowhere", "CR 9.9"}));
  EditedCatalogs catalog("crosswalks/iec62443-4-2_eu-cra.yaml", "  to: eu-cra\n", "  to: eu-cyber\n");
  EXPECT_TRUE(catalog.has_error({"crosswalk points nowhere", "eu-cyber"}));
  EditedCatalogs relation("crosswalks/iec62443-4-2_eu-cra.yaml", "relation: intersect", "relation: overlaps");
  EXPECT_TRUE(relation.has_error({"unknown relation \"overlaps\""}));
}

TEST(CatalogValidator, RejectsDanglingIds) {
  EditedCatalogs kind("iec62443-4-2.yaml", "evidence: [test-report, design-document]", "evidence: [test-report, blueprint]");
  EXPECT_TRUE(kind.has_error({"dangling reference", "blueprint"}));
  EditedCatalogs stage("sdl-stages.yaml", "[SI-1, SI-2]", "[SI-1, SI-9]");
  EXPECT_TRUE(stage.has_error({"stage requirement points nowhere", "SI-9"}));
  EditedCatalogs proves("evidence-kinds.yaml", "      - eu-cra:II-1\n", "      - eu-cra:II-11\n");
  EXPECT_TRUE(proves.has_error({"proves points nowhere", "II-11"}));
  EditedCatalogs market("regimes.yaml", "    markets: [SA]\n", "    markets: [SAU]\n");
  EXPECT_TRUE(market.has_error({"no market \"SAU\""}));
  EditedCatalogs regime_item("regimes.yaml", "\"gbt-42278:EDR 3.14 RE1\"", "\"gbt-42278:EDR 3.15 RE1\"");
  EXPECT_TRUE(regime_item.has_error({"regime requirement points nowhere", "EDR 3.15 RE1"}));
  EditedCatalogs group("iec62443-4-2.yaml", "  - id: CR 4.1\n    group: FR4\n", "  - id: CR 4.1\n    group: FR5\n");
  EXPECT_TRUE(group.has_error({"belongs to FR4, not FR5"}, false));
  EditedCatalogs adoption("gbt-42278.yaml", "adopts: iec62443-4-2", "adopts: iec62443-4-9");
  EXPECT_TRUE(adoption.has_error({"no catalogue \"iec62443-4-9\" to adopt"}));
}

TEST(CatalogValidator, RejectsMalformedFields) {
  EditedCatalogs confidence("iec62443-4-2.yaml", "    confidence: low\n", "    confidence: unsure\n");
  EXPECT_TRUE(confidence.has_error({"confidence", "expected high, medium or low"}));
  EditedCatalogs unknown("iec62443-4-2.yaml", "    effort: large\n", "    effort: large\n    owner: me\n");
  EXPECT_TRUE(unknown.has_error({"owner", "unknown field"}, false));
  EditedCatalogs row("iec62443-4-2.yaml", "  - id: NDR 1.6\n", "  - id: XDR 1.6\n");
  EXPECT_TRUE(row.has_error({"not a component requirement ID"}));
  EditedCatalogs syntax("eu-cra.yaml", "  - id: II\n", "  - id: [II\n");
  EXPECT_TRUE(syntax.has_error({"YAML syntax error"}, false));
  EditedCatalogs below("iec62443-4-2.yaml", "rather than a shared one.\n        sl: 3\n", "rather than a shared one.\n        sl: 1\n");
  EXPECT_TRUE(below.has_error({"below its base requirement (SL 2)"}, false));
}

TEST(CatalogValidator, ReplacedStageListIsChecked) {
  CatalogSet set = shipped_catalogs();
  TempDir dir;
  const std::string good = dir.write("stages.yaml",
                                     "sdl:\n  id: official\n  title: Official list\n  process_catalog: iec62443-4-1\n"
                                     "stages:\n  - id: A\n    title: Governance\n    requirements: [SM-1, SM-2]\n"
                                     "  - id: B\n    title: The rest\n    requirements: [SR-2]\n");
  Diagnostics diags;
  replace_sdl_stages(set, good, diags);
  EXPECT_FALSE(diags.has_errors());
  ASSERT_EQ(set.sdl.stages.size(), 2u);
  EXPECT_EQ(set.sdl.id, "official");
  check_catalogs(set, diags);
  // 44 requirements now belong to no stage: a warning each, not an error.
  EXPECT_EQ(diags.all().size(), 44u);
  EXPECT_FALSE(diags.has_errors());

  const std::string bad = dir.write("bad.yaml",
                                    "sdl:\n  id: x\n  title: X\n  process_catalog: iec62443-4-1\n"
                                    "stages:\n  - id: A\n    title: A\n    requirements: [SM-99]\n");
  Diagnostics bad_diags;
  replace_sdl_stages(set, bad, bad_diags);
  ASSERT_TRUE(bad_diags.has_errors());
  EXPECT_EQ(bad_diags.all()[0].line, 8);
  EXPECT_EQ(set.sdl.id, "official");  // unchanged on error
}

}  // namespace
}  // namespace ft::assess
