// ft/assess/catalog.h — the requirement catalogues, crosswalks, evidence kinds, SDL stages and
// regulatory regimes, loaded from catalogs/ (YAML; schema in catalogs/README.md).
//
// Everything is held by value in one CatalogSet and cross-referenced by index into its vectors,
// so that the engine can assess many products against one set without string look-ups.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ft/assess/date.h"
#include "ft/assess/types.h"

namespace ft::assess {

// SourcePos — where a definition came from, for messages.
struct SourcePos {
  std::string file;
  int line = 0;
};

enum class ItemKind : std::uint8_t { requirement, enhancement, constraint };

// Item — one requirement, requirement enhancement or constraint of one catalogue.
struct Item {
  int catalog = -1;          // index into CatalogSet::catalogs
  std::string id;            // "EDR 3.10 RE1", "SM-1", "I-2f"
  std::string ref;           // "iec62443-4-2:EDR 3.10 RE1": unique across the set
  std::string title;
  std::string summary;
  int group = -1;            // index into its catalogue's groups; -1 for constraints
  ItemKind kind = ItemKind::requirement;
  int sl = 0;                // 1..4 in SL-gated catalogues; 0 elsewhere
  Confidence confidence = Confidence::medium;
  TypeMask types = kAllTypes;  // component types the item exists for (62443-4-2); all elsewhere
  int base = -1;             // for enhancements: the item they enhance
  std::vector<int> evidence_kinds;  // kinds that can show it (indices into CatalogSet::evidence_kinds)
  std::vector<int> required_kinds;  // kinds that must be present and verified for "met"
  Effort effort = Effort::medium;
  int fr = 0;                // 1..7 for 62443-4-2 requirement items; 0 elsewhere
  SourcePos pos;
};

struct Group {
  std::string id;
  std::string abbrev;
  std::string title;
  std::string summary;
};

struct MaturityLevel {
  int level = 0;
  std::string title;
  std::string summary;
};

struct ClassCategory {
  std::string id;
  std::string title;
  Confidence confidence = Confidence::medium;
};

// ProductClass — a CRA class (default, important-I, important-II, critical) with its route.
struct ProductClass {
  std::string id;
  std::string title;
  std::string conformity;
  std::vector<ClassCategory> categories;
};

struct Milestone {
  std::string id;
  Date date;
  std::string title;
  std::vector<int> items;  // items due at this milestone (indices into CatalogSet::items)
  Confidence confidence = Confidence::high;
};

struct Catalog {
  std::string id;
  std::string title;
  std::string short_name;
  std::string kind;        // component-requirements, process-requirements, regulation, capability-baseline, adoption
  std::string edition;
  std::string publisher;
  std::string note;
  Confidence confidence = Confidence::medium;
  bool sl_gated = false;
  int adopts = -1;         // for an identical adoption: the adopted catalogue; its items are shared
  std::vector<Group> groups;
  std::vector<int> items;  // indices into CatalogSet::items, in file order
  std::vector<MaturityLevel> maturity_levels;
  std::vector<ProductClass> classes;
  std::vector<Milestone> milestones;
  std::vector<std::string> not_at_component_level;  // "CR 2.3 Use control for ..."
  SourcePos pos;
};

// CrosswalkLink — one pair: item `from` stands in `relation` to item `to`.
struct CrosswalkLink {
  int from = -1;
  int to = -1;
  Relation relation = Relation::intersect;
};

// CrosswalkGroup — all `from` items of one mapping entry, when together they cover `to`.
struct CrosswalkGroup {
  int to = -1;
  std::vector<int> from;
  Relation together = Relation::superset;
};

struct Crosswalk {
  std::string id;
  int from_catalog = -1;
  int to_catalog = -1;
  std::string note;
  Confidence confidence = Confidence::medium;
  std::vector<CrosswalkLink> links;
  std::vector<CrosswalkGroup> groups;
  SourcePos pos;
};

enum class EvidenceCheck : std::uint8_t { envelope, device_log, sbom, file };
std::string_view evidence_check_name(EvidenceCheck check);

struct EvidenceKind {
  std::string id;
  std::string title;
  EvidenceCheck check = EvidenceCheck::file;
  std::string needs_property;  // device logs: property the log verifier must report
  std::vector<int> proves;     // items a verified artifact of this kind shows without a claim
};

struct SdlStage {
  std::string id;
  std::string title;
  std::string summary;
  std::vector<int> requirements;  // items of the process catalogue
};

// SdlFramework — the stage list (catalogs/sdl-stages.yaml or a user's replacement).
struct SdlFramework {
  std::string id;
  std::string title;
  std::string note;
  int process_catalog = -1;
  Confidence confidence = Confidence::low;
  std::vector<SdlStage> stages;
  SourcePos pos;
};

struct VocabularyEntry {
  std::string id;
  std::string title;
  ComponentType component_type = ComponentType::edr;  // categories only
  bool flag = false;  // categories: field instrument; interfaces: wireless
};

// RegimeRequirement — one line of a regime's `requires`.
struct RegimeRequirement {
  enum class Kind : std::uint8_t { all_items, up_to_sl, items, sdl_maturity };
  Kind kind = Kind::items;
  int catalog = -1;      // all_items, up_to_sl
  int sl = 0;            // up_to_sl: fixed level 1..4, or 0 for the product's SL-T
  std::vector<int> items;
  int maturity = 0;      // sdl_maturity
};

struct Regime {
  std::string id;
  std::string title;
  std::string kind;      // regulation, market-access, baseline, procurement, guidance
  std::string binding;   // mandatory, voluntary, contractual
  std::vector<std::string> markets;     // empty = any
  bool field_instruments_only = false;
  std::vector<std::string> categories;  // empty = any (unless field_instruments_only)
  std::vector<std::string> sectors;     // empty = any
  std::vector<std::string> interfaces_any;
  bool cra_conformity = false;          // conformity route from the CRA class
  std::vector<RegimeRequirement> requirements;
  std::vector<Milestone> milestones;
  int due = -1;                         // index into milestones; -1 = no deadline
  Confidence confidence = Confidence::medium;
  std::string note;
  SourcePos pos;
};

struct RegimeSet {
  std::vector<VocabularyEntry> markets;
  std::vector<VocabularyEntry> sectors;
  std::vector<VocabularyEntry> categories;
  std::vector<VocabularyEntry> interfaces;
  std::vector<Regime> regimes;
};

// CrossEdge — a crosswalk link seen from one of its ends, for propagation.
struct CrossEdge {
  int other = -1;
  Relation relation = Relation::intersect;  // relation of THIS item to `other`
  int crosswalk = -1;
};

// CatalogSet — all catalogue data, immutable after loading.
class CatalogSet {
 public:
  std::vector<Catalog> catalogs;
  std::vector<Item> items;
  std::vector<Crosswalk> crosswalks;
  std::vector<EvidenceKind> evidence_kinds;
  SdlFramework sdl;
  RegimeSet regimes;
  std::string directory;

  // find_catalog returns the index of catalogue id, or -1.
  [[nodiscard]] int find_catalog(std::string_view id) const;
  // find_item resolves "catalog:ID" or, without a colon, "ID" in default_catalog. IDs of an
  // identical adoption resolve to the adopted catalogue's items. Returns -1 when unknown.
  [[nodiscard]] int find_item(std::string_view ref, std::string_view default_catalog = "iec62443-4-2") const;
  [[nodiscard]] int find_evidence_kind(std::string_view id) const;
  [[nodiscard]] const VocabularyEntry* find_market(std::string_view id) const;
  [[nodiscard]] const VocabularyEntry* find_sector(std::string_view id) const;
  [[nodiscard]] const VocabularyEntry* find_category(std::string_view id) const;
  [[nodiscard]] const VocabularyEntry* find_interface(std::string_view id) const;

  // edges returns the crosswalk links that touch item, from its side.
  [[nodiscard]] const std::vector<CrossEdge>& edges(int item) const { return edges_[static_cast<std::size_t>(item)]; }
  // groups_to returns the crosswalk groups whose target is item.
  [[nodiscard]] const std::vector<int>& groups_to(int item) const { return groups_to_[static_cast<std::size_t>(item)]; }
  [[nodiscard]] const CrosswalkGroup& group(int index) const { return all_groups_[static_cast<std::size_t>(index)]; }

  // The component-requirements catalogue (IEC 62443-4-2) and the process catalogue (62443-4-1).
  [[nodiscard]] int component_catalog() const { return component_catalog_; }
  [[nodiscard]] int process_catalog() const { return process_catalog_; }
  [[nodiscard]] int cra_catalog() const { return cra_catalog_; }

  // index_refs builds the look-up tables; the loader calls it once all items are in.
  void index_refs();
  // index_crosswalks builds edges and groups from crosswalks.
  void index_crosswalks();

 private:
  std::unordered_map<std::string, int> item_by_ref_;
  std::vector<std::vector<CrossEdge>> edges_;
  std::vector<std::vector<int>> groups_to_;
  std::vector<CrosswalkGroup> all_groups_;
  int component_catalog_ = -1;
  int process_catalog_ = -1;
  int cra_catalog_ = -1;
};

// Well-known catalogue ids the engine gives a role to.
inline constexpr std::string_view kComponentCatalogId = "iec62443-4-2";
inline constexpr std::string_view kProcessCatalogId = "iec62443-4-1";
inline constexpr std::string_view kCraCatalogId = "eu-cra";

// inverse returns the relation seen from the other end (subset <-> superset).
Relation inverse(Relation relation);

}  // namespace ft::assess
