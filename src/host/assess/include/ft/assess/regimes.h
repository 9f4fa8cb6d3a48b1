// ft/assess/regimes.h — which regulatory and procurement regimes apply to a product, with their
// deadlines relative to a given date (data: catalogs/regimes.yaml).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/date.h"

namespace ft::assess {

// RegimeQuery — what applicability depends on.
struct RegimeQuery {
  std::vector<std::string> markets;
  std::string category;
  std::vector<std::string> sectors;
  std::vector<std::string> interfaces;
  std::string core_function;
};

struct MilestoneState {
  const Milestone* milestone = nullptr;
  long days_left = 0;  // negative: passed
};

// CraClass — the CRA class a product falls into by its core function.
struct CraClass {
  std::string id = "default";
  std::string title;
  std::string conformity;
  std::string matched_category;  // empty for the default class
};

struct Applicability {
  int regime = -1;
  std::vector<std::string> markets;  // the product's markets the regime covers
  std::string why;                   // "market EU; any category; any sector"
  std::vector<MilestoneState> milestones;  // date order
  std::optional<MilestoneState> due;
  std::optional<CraClass> cra;       // for regimes whose conformity follows the CRA class
};

// classify_cra returns the CRA class whose categories contain core_function (default otherwise).
CraClass classify_cra(const CatalogSet& set, const std::string& core_function);

// applicable_regimes returns every regime that applies to query, in catalogue order.
std::vector<Applicability> applicable_regimes(const CatalogSet& set, const RegimeQuery& query, const Date& date);

// item_due returns the milestone by which item is due under regime: the first milestone (by date)
// that lists it, else the regime's due milestone; nullopt when the regime sets no date.
std::optional<MilestoneState> item_due(const Applicability& applicability, int item);

// variant_for_type returns the item of the same requirement that exists for type: the item
// itself, or e.g. "NDR 3.10 RE1" for "EDR 3.10 RE1", or the generic "CR" item; -1 when none.
int variant_for_type(const CatalogSet& set, int item, ComponentType type);

}  // namespace ft::assess
