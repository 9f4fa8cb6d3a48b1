#include "ft/assess/catalog.h"

namespace ft::assess {

std::string_view evidence_check_name(EvidenceCheck check) {
  switch (check) {
    case EvidenceCheck::envelope: return "envelope";
    case EvidenceCheck::device_log: return "device-log";
    case EvidenceCheck::sbom: return "sbom";
    case EvidenceCheck::file: return "file";
  }
  return "?";
}

Relation inverse(Relation relation) {
  switch (relation) {
    case Relation::subset: return Relation::superset;
    case Relation::superset: return Relation::subset;
    case Relation::equal:
    case Relation::intersect: return relation;
  }
  return relation;
}

int CatalogSet::find_catalog(std::string_view id) const {
  for (std::size_t i = 0; i < catalogs.size(); ++i) {
    if (catalogs[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int CatalogSet::find_item(std::string_view ref, std::string_view default_catalog) const {
  std::string_view catalog_id = default_catalog;
  std::string_view item_id = ref;
  if (const auto colon = ref.find(':'); colon != std::string_view::npos) {
    catalog_id = ref.substr(0, colon);
    item_id = ref.substr(colon + 1);
  }
  // An identical adoption shares the adopted catalogue's items.
  const int catalog = find_catalog(catalog_id);
  if (catalog >= 0 && catalogs[static_cast<std::size_t>(catalog)].adopts >= 0) {
    catalog_id = catalogs[static_cast<std::size_t>(catalogs[static_cast<std::size_t>(catalog)].adopts)].id;
  }
  std::string key;
  key.reserve(catalog_id.size() + 1 + item_id.size());
  key.append(catalog_id).append(":").append(item_id);
  const auto it = item_by_ref_.find(key);
  return it == item_by_ref_.end() ? -1 : it->second;
}

int CatalogSet::find_evidence_kind(std::string_view id) const {
  for (std::size_t i = 0; i < evidence_kinds.size(); ++i) {
    if (evidence_kinds[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

namespace {

const VocabularyEntry* find_entry(const std::vector<VocabularyEntry>& list, std::string_view id) {
  for (const auto& entry : list) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

}  // namespace

const VocabularyEntry* CatalogSet::find_market(std::string_view id) const { return find_entry(regimes.markets, id); }
const VocabularyEntry* CatalogSet::find_sector(std::string_view id) const { return find_entry(regimes.sectors, id); }
const VocabularyEntry* CatalogSet::find_category(std::string_view id) const {
  return find_entry(regimes.categories, id);
}
const VocabularyEntry* CatalogSet::find_interface(std::string_view id) const {
  return find_entry(regimes.interfaces, id);
}

void CatalogSet::index_refs() {
  item_by_ref_.clear();
  item_by_ref_.reserve(items.size() * 2);
  for (std::size_t i = 0; i < items.size(); ++i) item_by_ref_.emplace(items[i].ref, static_cast<int>(i));
  component_catalog_ = find_catalog(kComponentCatalogId);
  process_catalog_ = find_catalog(kProcessCatalogId);
  cra_catalog_ = find_catalog(kCraCatalogId);
}

void CatalogSet::index_crosswalks() {
  edges_.assign(items.size(), {});
  groups_to_.assign(items.size(), {});
  all_groups_.clear();
  for (std::size_t c = 0; c < crosswalks.size(); ++c) {
    const Crosswalk& crosswalk = crosswalks[c];
    for (const CrosswalkLink& link : crosswalk.links) {
      if (link.from < 0 || link.to < 0) continue;
      edges_[static_cast<std::size_t>(link.from)].push_back({link.to, link.relation, static_cast<int>(c)});
      edges_[static_cast<std::size_t>(link.to)].push_back({link.from, inverse(link.relation), static_cast<int>(c)});
    }
    for (const CrosswalkGroup& group : crosswalk.groups) {
      if (group.to < 0) continue;
      all_groups_.push_back(group);
      groups_to_[static_cast<std::size_t>(group.to)].push_back(static_cast<int>(all_groups_.size() - 1));
    }
  }
}

}  // namespace ft::assess
