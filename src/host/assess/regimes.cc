#include "ft/assess/regimes.h"

#include <algorithm>

namespace ft::assess {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& entry : list) out += (out.empty() ? "" : ", ") + entry;
  return out;
}

}  // namespace

CraClass classify_cra(const CatalogSet& set, const std::string& core_function) {
  CraClass out;
  const int cra = set.cra_catalog();
  if (cra < 0) return out;
  for (const auto& product_class : set.catalogs[static_cast<std::size_t>(cra)].classes) {
    if (product_class.id == "default") {
      out.title = product_class.title;
      out.conformity = product_class.conformity;
    }
  }
  for (const auto& product_class : set.catalogs[static_cast<std::size_t>(cra)].classes) {
    for (const auto& category : product_class.categories) {
      if (category.id == core_function) {
        out.id = product_class.id;
        out.title = product_class.title;
        out.conformity = product_class.conformity;
        out.matched_category = category.title;
        return out;
      }
    }
  }
  return out;
}

std::vector<Applicability> applicable_regimes(const CatalogSet& set, const RegimeQuery& query, const Date& date) {
  std::vector<Applicability> out;
  const VocabularyEntry* category = set.find_category(query.category);
  for (std::size_t r = 0; r < set.regimes.regimes.size(); ++r) {
    const Regime& regime = set.regimes.regimes[r];
    Applicability a;
    a.regime = static_cast<int>(r);
    std::vector<std::string> why;
    if (regime.markets.empty()) {
      a.markets = query.markets;
      why.push_back("any market");
    } else {
      for (const auto& market : query.markets) {
        if (contains(regime.markets, market)) a.markets.push_back(market);
      }
      if (a.markets.empty()) continue;
      why.push_back("sold in " + join(a.markets));
    }
    if (a.markets.empty()) continue;
    if (regime.field_instruments_only) {
      if (category == nullptr || !category->flag) continue;
      why.push_back("field instrument");
    } else if (!regime.categories.empty()) {
      if (!contains(regime.categories, query.category)) continue;
      why.push_back("category " + query.category);
    }
    if (!regime.sectors.empty()) {
      std::vector<std::string> hit;
      for (const auto& sector : query.sectors) {
        if (contains(regime.sectors, sector)) hit.push_back(sector);
      }
      if (hit.empty()) continue;
      why.push_back("sector " + join(hit));
    }
    if (!regime.interfaces_any.empty()) {
      std::vector<std::string> hit;
      for (const auto& interface : query.interfaces) {
        if (contains(regime.interfaces_any, interface)) hit.push_back(interface);
      }
      if (hit.empty()) continue;
      why.push_back("interface " + join(hit));
    }
    a.why = join(why);
    for (const auto& milestone : regime.milestones) {
      a.milestones.push_back({&milestone, days_between(date, milestone.date)});
    }
    std::stable_sort(a.milestones.begin(), a.milestones.end(), [](const MilestoneState& x, const MilestoneState& y) {
      return x.milestone->date.days_since_epoch() < y.milestone->date.days_since_epoch();
    });
    if (regime.due >= 0) {
      const Milestone& due = regime.milestones[static_cast<std::size_t>(regime.due)];
      a.due = MilestoneState{&due, days_between(date, due.date)};
    }
    if (regime.cra_conformity) a.cra = classify_cra(set, query.core_function);
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<MilestoneState> item_due(const Applicability& applicability, int item) {
  for (const auto& state : applicability.milestones) {
    const auto& items = state.milestone->items;
    if (std::find(items.begin(), items.end(), item) != items.end()) return state;
  }
  return applicability.due;
}

int variant_for_type(const CatalogSet& set, int item, ComponentType type) {
  const Item& original = set.items[static_cast<std::size_t>(item)];
  if ((original.types & type_bit(type)) != 0) return item;
  if (original.catalog != set.component_catalog()) return -1;
  const auto space = original.id.find(' ');
  if (space == std::string::npos) return -1;
  const std::string rest = original.id.substr(space);  // " 3.10 RE1"
  const std::string& catalog = set.catalogs[static_cast<std::size_t>(original.catalog)].id;
  for (const std::string& prefix : {std::string(component_type_name(type)), std::string("CR")}) {
    const int candidate = set.find_item(catalog + ":" + prefix + rest);
    if (candidate >= 0 && (set.items[static_cast<std::size_t>(candidate)].types & type_bit(type)) != 0) return candidate;
  }
  return -1;
}

}  // namespace ft::assess
