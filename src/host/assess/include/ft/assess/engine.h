// ft/assess/engine.h — the assessment of one product: per requirement a verdict with its reason
// and evidence, the achieved SL-C vector against SL-T, the applicable regimes and the gaps ordered
// by what they block.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/date.h"
#include "ft/assess/evidence.h"
#include "ft/assess/product_profile.h"
#include "ft/assess/regimes.h"
#include "ft/assess/sdl_gap.h"
#include "ft/assess/sdl_profile.h"

namespace ft::assess {

// ItemResult — the verdict on one catalogue item for the product.
struct ItemResult {
  Status status = Status::not_met;
  bool applicable = true;          // the item exists for the product's component type
  bool claimed = false;
  Status claimed_status = Status::not_met;
  std::string reason;
  std::vector<int> evidence;       // artifacts (indices into the profile) that support the verdict
  std::vector<int> derived_from;   // items whose verdict raised this one through a crosswalk
  std::vector<std::string> problems;  // evidence that was referenced but did not count, and why
};

// Block — one thing a gap stands in the way of: a regime in some markets, by a date.
struct Block {
  int regime = -1;                 // index into CatalogSet::regimes.regimes
  std::vector<std::string> markets;
  std::optional<MilestoneState> due;
  int via = -1;                    // the regime's own item this gap maps to (crosswalk), or -1
  std::string need;                // e.g. "SL 2", "ML3"
};

struct Gap {
  int item = -1;
  Status status = Status::not_met;
  int fr = 0;                      // 1..7 when it keeps SL-C of that FR below SL-T
  int blocks_sl = 0;               // the SL it keeps that FR from reaching
  std::vector<Block> blocks;
  Effort effort = Effort::medium;
  std::string hint;
  long earliest_days = 0;            // days to the earliest deadline among blocks (LONG_MAX: none)
  long earliest_mandatory_days = 0;  // the same among mandatory regimes only
  int markets_blocked = 0;           // distinct markets among blocks
  bool has_deadline = false;
};

struct RegimeResult {
  Applicability applicability;
  std::vector<int> required;       // items the regime asks of this product
  std::vector<int> unmet;          // of those, the ones not met
  int sdl_maturity = 0;            // required SDL level, 0 if none
  std::vector<int> sdl_unmet;      // 4-1 requirements below it
  bool sdl_profile_missing = false;
};

// Assessment — refers to set and product (and the SDL profile), which must outlive it.
struct Assessment {
  const CatalogSet* set = nullptr;
  const ProductProfile* product = nullptr;
  Date date;
  std::vector<ItemResult> items;   // per CatalogSet item
  std::array<int, 7> sl_c{};
  std::array<int, 7> sl_t{};
  std::vector<VerifyOutcome> artifacts;  // per profile artifact
  std::vector<RegimeResult> regimes;     // applicable ones, catalogue order
  CraClass cra;
  std::optional<SdlGapReport> sdl;
  std::vector<Gap> gaps;                 // ordered by what they block

  // gaps_against_target counts gaps that keep SL-C below SL-T.
  [[nodiscard]] std::size_t gaps_against_target() const;
};

struct AssessOptions {
  Date date;                          // deadlines are counted from this day
  const SdlProfile* sdl = nullptr;    // the product's SDL profile, if any
  const SdlFramework* stages = nullptr;  // stage list; nullptr: the catalogue's
  int sdl_target = 0;                 // 0: product's sdl.target_maturity, else the SDL profile's
};

// assess evaluates product against set. Artifacts are checked through evidence (cached, so a
// checker can be shared across products). Never throws for profile content.
Assessment assess(const CatalogSet& set, const ProductProfile& product, EvidenceChecker& evidence,
                  const AssessOptions& options);

}  // namespace ft::assess
