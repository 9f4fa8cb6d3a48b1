// ft/assess/sdl_gap.h — SDL gap assessment: the 12 stages and the 47 IEC 62443-4-1 requirements
// of an SDL profile against a target maturity level.
#pragma once

#include <string>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/sdl_profile.h"
#include "ft/assess/types.h"

namespace ft::assess {

struct SdlRequirementResult {
  int item = -1;
  int claimed = 0;      // level in the profile (0 when the requirement is not listed)
  int effective = 0;    // level counted: a claim of ML2 or more needs existing evidence files, else ML1
  std::vector<std::string> evidence_present;
  std::vector<std::string> problems;  // missing evidence files, no evidence for ML2+
  std::vector<int> stages;            // indices into the framework's stages
};

struct SdlStageResult {
  int stage = -1;
  int maturity = 0;   // the lowest effective level of its requirements
  int gaps = 0;       // requirements below target
};

struct SdlGap {
  int item = -1;
  int effective = 0;
  int target = 0;
  std::vector<int> stages;
  Effort effort = Effort::medium;
  std::string hint;
};

// SdlGapReport — refers to set, framework and profile, which must outlive it.
struct SdlGapReport {
  const CatalogSet* set = nullptr;
  const SdlFramework* framework = nullptr;
  const SdlProfile* profile = nullptr;
  int target = 3;
  std::vector<SdlRequirementResult> requirements;  // every 4-1 requirement, catalogue order
  std::vector<int> requirement_for_item;           // per CatalogSet item: index into requirements, or -1
  std::vector<SdlStageResult> stages;              // framework order
  std::vector<SdlGap> gaps;                        // ordered by stage, then catalogue order
};

// sdl_gap assesses profile against target (1..4) using framework's stages. Evidence files are
// checked for existence (not content). Never throws for profile content.
SdlGapReport sdl_gap(const CatalogSet& set, const SdlFramework& framework, const SdlProfile& profile, int target);

}  // namespace ft::assess
