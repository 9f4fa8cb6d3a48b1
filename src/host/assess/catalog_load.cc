#include "ft/assess/catalog_load.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "ft/host/error.h"
#include "yaml_fields.h"

namespace ft::assess {

using detail::Fields;
using detail::Located;

namespace {

bool is_slug(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// A reference that is resolved once every file is read.
struct PendingRef {
  std::string file;
  int line = 0;
  std::string field;
  std::string ref;
};

// Splits a 62443-4-2 row id "EDR/HDR/NDR 3.10" or "CR 1.1" into its types and number.
struct RowId {
  bool generic = false;  // "CR"
  std::vector<ComponentType> types;
  std::string number;    // "3.10"
  int fr = 0;
};

std::optional<RowId> parse_row_id(std::string_view id) {
  const auto space = id.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  RowId row;
  const std::string_view prefix = id.substr(0, space);
  row.number = std::string(id.substr(space + 1));
  const auto dot = row.number.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == row.number.size()) return std::nullopt;
  for (const char c : row.number) {
    if (c != '.' && (c < '0' || c > '9')) return std::nullopt;
  }
  if (dot != 1) return std::nullopt;
  row.fr = row.number[0] - '0';
  if (row.fr < 1 || row.fr > 7) return std::nullopt;
  if (prefix == "CR") {
    row.generic = true;
    return row;
  }
  std::size_t start = 0;
  while (start <= prefix.size()) {
    const auto slash = prefix.find('/', start);
    const std::string_view part = prefix.substr(start, slash == std::string_view::npos ? std::string_view::npos
                                                                                         : slash - start);
    const auto type = parse_component_type(part);
    if (!type) return std::nullopt;
    row.types.push_back(*type);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return row.types.empty() ? std::nullopt : std::optional<RowId>(row);
}

class Loader {
 public:
  Loader(CatalogSet& set, Diagnostics& diags) : set_(set), diags_(diags) {}

  void load_file(const std::string& path);
  void resolve();
  void load_sdl_file(const YAML::Node& root, Fields& f);

 private:
  void load_catalog(const YAML::Node& root, Fields& f);
  void load_catalog_items(const YAML::Node& list, Fields& f, Catalog& catalog, int catalog_index);
  void load_component_row(const YAML::Node& node, const std::string& path, Fields& f, Catalog& catalog,
                          int catalog_index);
  int add_item(Item item, Fields& f, const YAML::Node& at, const std::string& path);
  void load_item_common(const YAML::Node& node, const std::string& path, Fields& f, Item& item, bool sl_gated);
  void load_crosswalk(const YAML::Node& root, Fields& f);
  void load_evidence_kinds(const YAML::Node& root, Fields& f);
  void load_regimes(const YAML::Node& root, Fields& f);
  std::vector<Milestone> load_milestones(const YAML::Node& list, const std::string& path, Fields& f,
                                         const std::string& default_catalog, bool allow_refs,
                                         std::vector<std::pair<Located, std::size_t>>* refs);
  void load_vocabulary(const YAML::Node& root, std::string_view key, Fields& f, std::vector<VocabularyEntry>& out);
  std::vector<std::string> load_any_list(const YAML::Node& map, std::string_view key, const std::string& path,
                                         Fields& f, bool& any, std::string_view special = {},
                                         bool* special_seen = nullptr);
  int resolve_item(const PendingRef& ref, std::string_view default_catalog, std::string_view what);

  CatalogSet& set_;
  Diagnostics& diags_;
  std::map<std::string, SourcePos> catalog_ids_;

  // Pending references, resolved once all files are read.
  struct ItemEvidence {
    int item;
    std::vector<PendingRef> kinds;
    std::vector<PendingRef> required;
  };
  std::vector<ItemEvidence> item_evidence_;
  struct KindProves {
    int kind;
    std::vector<PendingRef> refs;
  };
  std::vector<KindProves> kind_proves_;
  struct Adoption {
    int catalog;
    PendingRef target;
  };
  std::vector<Adoption> adoptions_;
  struct MilestoneItems {
    int catalog;
    std::size_t milestone;
    std::vector<PendingRef> refs;
  };
  std::vector<MilestoneItems> milestone_items_;
  struct PendingCrosswalk {
    std::size_t crosswalk;
    PendingRef from_catalog, to_catalog;
    struct Mapping {
      PendingRef to;
      std::vector<PendingRef> from;
      Relation relation;
      std::optional<Relation> together;
    };
    std::vector<Mapping> mappings;
  };
  std::vector<PendingCrosswalk> crosswalks_;
  struct PendingSdl {
    PendingRef process_catalog;
    std::vector<std::vector<PendingRef>> stage_requirements;
  };
  std::optional<PendingSdl> sdl_;
  struct PendingRegime {
    std::size_t regime;
    struct Requirement {
      RegimeRequirement::Kind kind;
      PendingRef catalog;
      int sl = 0;
      std::vector<PendingRef> items;
      int maturity = 0;
    };
    std::vector<Requirement> requirements;
    std::vector<std::pair<Located, std::size_t>> milestone_refs;  // "catalog:milestone" -> slot
    std::optional<PendingRef> due;
    std::vector<PendingRef> markets, categories, sectors, interfaces;
  };
  std::vector<PendingRegime> regimes_;
  bool have_evidence_kinds_ = false;
  bool have_regimes_ = false;
  bool have_sdl_ = false;
};

void Loader::load_file(const std::string& path) {
  auto root = detail::load_yaml_file(path, diags_);
  if (!root) return;
  Fields f(path, diags_);
  if (!f.expect_map(*root, "(top level)")) return;
  if ((*root)["catalog"].IsDefined()) {
    load_catalog(*root, f);
  } else if ((*root)["crosswalk"].IsDefined()) {
    load_crosswalk(*root, f);
  } else if ((*root)["evidence_kinds"].IsDefined()) {
    load_evidence_kinds(*root, f);
  } else if ((*root)["sdl"].IsDefined()) {
    if (have_sdl_) {
      f.error(*root, "sdl", "a second SDL stage list; keep one file with a top-level `sdl:`");
      return;
    }
    load_sdl_file(*root, f);
  } else if ((*root)["regimes_catalog"].IsDefined()) {
    if (have_regimes_) {
      f.error(*root, "regimes_catalog", "a second regimes file; keep one file with `regimes_catalog:`");
      return;
    }
    load_regimes(*root, f);
  } else {
    f.error(*root, "(top level)",
            "not a FieldTrust catalogue file: expected one of the top-level keys catalog, crosswalk, "
            "evidence_kinds, sdl, regimes_catalog");
  }
}

int Loader::add_item(Item item, Fields& f, const YAML::Node& at, const std::string& path) {
  for (const int existing : set_.catalogs[static_cast<std::size_t>(item.catalog)].items) {
    if (set_.items[static_cast<std::size_t>(existing)].id == item.id) {
      const Item& first = set_.items[static_cast<std::size_t>(existing)];
      f.error(at, Fields::child(path, "id"),
              "duplicate ID \"" + item.id + "\" (first defined at " + first.pos.file + ":" +
                  std::to_string(first.pos.line) + ")");
      return -1;
    }
  }
  item.ref = set_.catalogs[static_cast<std::size_t>(item.catalog)].id + ":" + item.id;
  set_.items.push_back(std::move(item));
  const int index = static_cast<int>(set_.items.size() - 1);
  set_.catalogs[static_cast<std::size_t>(set_.items.back().catalog)].items.push_back(index);
  return index;
}

void Loader::load_item_common(const YAML::Node& node, const std::string& path, Fields& f, Item& item,
                              bool sl_gated) {
  if (auto title = f.string(node, "title", path, true)) item.title = title->value;
  if (auto summary = f.string(node, "summary", path, true)) item.summary = summary->value;
  if (sl_gated) {
    if (auto sl = f.integer(node, "sl", path, true, 1, 4)) item.sl = *sl;
    if (auto confidence = f.string(node, "confidence", path, true)) {
      if (auto parsed = parse_confidence(confidence->value)) {
        item.confidence = *parsed;
      } else {
        f.error_line(confidence->line, Fields::child(path, "confidence"), "expected high, medium or low");
      }
    }
  } else {
    if (node["sl"].IsDefined()) f.error(node["sl"], Fields::child(path, "sl"), "sl is allowed only in SL-gated catalogues");
    if (auto confidence = f.string(node, "confidence", path, false)) {
      if (auto parsed = parse_confidence(confidence->value)) {
        item.confidence = *parsed;
      } else {
        f.error_line(confidence->line, Fields::child(path, "confidence"), "expected high, medium or low");
      }
    }
  }
  if (auto effort = f.string(node, "effort", path, true)) {
    if (auto parsed = parse_effort(effort->value)) {
      item.effort = *parsed;
    } else {
      f.error_line(effort->line, Fields::child(path, "effort"), "expected small, medium or large");
    }
  }
  item.pos = {f.file(), detail::line_of(node)};
}

void Loader::load_component_row(const YAML::Node& node, const std::string& path, Fields& f, Catalog& catalog,
                                int catalog_index) {
  f.check_keys(node, path, {"id", "group", "title", "summary", "sl", "confidence", "evidence", "requires", "effort",
                            "enhancements"});
  auto id = f.string(node, "id", path, true);
  if (!id) return;
  const auto row = parse_row_id(id->value);
  if (!row) {
    f.error_line(id->line, Fields::child(path, "id"),
                 "\"" + id->value + "\" is not a component requirement ID: expected \"CR n.m\" or types joined by "
                 "'/' (SAR, EDR, HDR, NDR) and \"n.m\" with n from 1 to 7, e.g. \"EDR/HDR/NDR 3.10\"");
    return;
  }
  Item base;
  base.catalog = catalog_index;
  base.kind = ItemKind::requirement;
  base.fr = row->fr;
  load_item_common(node, path, f, base, true);
  if (auto group = f.string(node, "group", path, true)) {
    const std::string expected = "FR" + std::to_string(row->fr);
    if (group->value != expected) {
      f.error_line(group->line, Fields::child(path, "group"),
                   "\"" + id->value + "\" belongs to " + expected + ", not " + group->value);
    }
    for (std::size_t g = 0; g < catalog.groups.size(); ++g) {
      if (catalog.groups[g].id == expected) base.group = static_cast<int>(g);
    }
    if (base.group < 0) f.error_line(group->line, Fields::child(path, "group"), "no group " + expected + " in this catalogue");
  }
  const auto evidence = f.string_list(node, "evidence", path, true);
  const auto required_node = f.string_list(node, "requires", path, false);

  // Expand the row into one item per component type (or one generic CR item).
  std::vector<std::pair<std::string, TypeMask>> variants;
  if (row->generic) {
    variants.emplace_back("CR " + row->number, kAllTypes);  // narrowed in resolve() if type items exist
  } else {
    for (const auto type : row->types) {
      variants.emplace_back(std::string(component_type_name(type)) + " " + row->number, type_bit(type));
    }
  }
  const YAML::Node enhancements = node["enhancements"];
  const std::string re_path = Fields::child(path, "enhancements");
  if (enhancements.IsDefined() && !f.expect_seq(enhancements, re_path)) return;

  auto pending_evidence = [&](int index, const std::optional<std::vector<Located>>& kinds,
                              const std::optional<std::vector<Located>>& required, const std::string& at) {
    ItemEvidence entry{index, {}, {}};
    if (kinds) {
      for (std::size_t k = 0; k < kinds->size(); ++k) {
        entry.kinds.push_back({f.file(), (*kinds)[k].line, Fields::index(Fields::child(at, "evidence"), k), (*kinds)[k].value});
      }
    }
    if (required) {
      for (std::size_t k = 0; k < required->size(); ++k) {
        entry.required.push_back(
            {f.file(), (*required)[k].line, Fields::index(Fields::child(at, "requires"), k), (*required)[k].value});
      }
    }
    item_evidence_.push_back(std::move(entry));
  };

  for (const auto& [variant_id, mask] : variants) {
    Item item = base;
    item.id = variant_id;
    item.types = mask;
    const int base_index = add_item(item, f, node, path);
    if (base_index < 0) continue;
    pending_evidence(base_index, evidence, required_node, path);
    if (!enhancements.IsDefined()) continue;
    for (std::size_t r = 0; r < enhancements.size(); ++r) {
      const YAML::Node re = enhancements[r];
      const std::string rp = Fields::index(re_path, r);
      if (!f.expect_map(re, rp)) continue;
      if (variant_id == variants.front().first) {
        f.check_keys(re, rp, {"id", "types", "title", "summary", "sl", "confidence", "evidence", "requires", "effort"});
      }
      auto re_id = f.string(re, "id", rp, true);
      if (!re_id) continue;
      const bool re_ok = re_id->value.size() >= 3 && re_id->value.rfind("RE", 0) == 0 &&
                         std::all_of(re_id->value.begin() + 2, re_id->value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!re_ok) {
        if (variant_id == variants.front().first) {
          f.error_line(re_id->line, Fields::child(rp, "id"), "expected \"RE<number>\", e.g. RE1");
        }
        continue;
      }
      // An enhancement limited to some types (e.g. HDR 3.2 RE1) exists only for those.
      TypeMask re_types = mask;
      if (re["types"].IsDefined()) {
        auto types = f.string_list(re, "types", rp, false);
        TypeMask allowed = 0;
        if (types) {
          for (const auto& t : *types) {
            const auto parsed = parse_component_type(t.value);
            if (!parsed) {
              if (variant_id == variants.front().first) {
                f.error_line(t.line, Fields::child(rp, "types"), "unknown component type \"" + t.value + "\"");
              }
              continue;
            }
            if (!row->generic && std::find(row->types.begin(), row->types.end(), *parsed) == row->types.end()) {
              if (variant_id == variants.front().first) {
                f.error_line(t.line, Fields::child(rp, "types"),
                             "type " + t.value + " has no item \"" + id->value + "\" to enhance");
              }
              continue;
            }
            allowed = static_cast<TypeMask>(allowed | type_bit(*parsed));
          }
        }
        if ((allowed & mask) == 0) continue;
        re_types = static_cast<TypeMask>(allowed & mask);
      }
      Item enhancement;
      enhancement.catalog = catalog_index;
      enhancement.kind = ItemKind::enhancement;
      enhancement.fr = row->fr;
      enhancement.group = base.group;
      enhancement.id = variant_id + " " + re_id->value;
      enhancement.types = re_types;
      enhancement.base = base_index;
      // Report field problems of an enhancement once, not once per expanded type.
      Diagnostics scratch;
      Fields quiet(f.file(), scratch);
      Fields& reader = variant_id == variants.front().first ? f : quiet;
      load_item_common(re, rp, reader, enhancement, true);
      if (enhancement.sl > 0 && base.sl > 0 && enhancement.sl < base.sl && variant_id == variants.front().first) {
        f.error(re["sl"], Fields::child(rp, "sl"),
                "enhancement applies from SL " + std::to_string(enhancement.sl) + ", below its base requirement (SL " +
                    std::to_string(base.sl) + ")");
      }
      const auto re_evidence = reader.string_list(re, "evidence", rp, true);
      const auto re_requires = reader.string_list(re, "requires", rp, false);
      const int re_index = add_item(enhancement, f, re, rp);
      if (re_index >= 0) pending_evidence(re_index, re_evidence, re_requires, rp);
    }
  }
}

void Loader::load_catalog_items(const YAML::Node& list, Fields& f, Catalog& catalog, int catalog_index) {
  if (!f.expect_seq(list, "items")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string path = Fields::index("items", i);
    if (!f.expect_map(node, path)) continue;
    if (catalog.sl_gated) {
      load_component_row(node, path, f, set_.catalogs[static_cast<std::size_t>(catalog_index)], catalog_index);
      continue;
    }
    f.check_keys(node, path, {"id", "group", "title", "summary", "confidence", "evidence", "requires", "effort", "sl"});
    auto id = f.string(node, "id", path, true);
    if (!id) continue;
    if (id->value.find(':') != std::string::npos) {
      f.error_line(id->line, Fields::child(path, "id"), "an ID must not contain ':' (it separates catalogue and ID)");
      continue;
    }
    Item item;
    item.catalog = catalog_index;
    item.id = id->value;
    load_item_common(node, path, f, item, false);
    if (auto group = f.string(node, "group", path, true)) {
      for (std::size_t g = 0; g < catalog.groups.size(); ++g) {
        if (catalog.groups[g].id == group->value) item.group = static_cast<int>(g);
      }
      if (item.group < 0) {
        f.error_line(group->line, Fields::child(path, "group"), "dangling reference: no group \"" + group->value + "\" in this catalogue");
      }
    }
    const auto evidence = f.string_list(node, "evidence", path, true);
    const auto required_node = f.string_list(node, "requires", path, false);
    const int index = add_item(std::move(item), f, node, path);
    if (index < 0) continue;
    ItemEvidence entry{index, {}, {}};
    if (evidence) {
      for (std::size_t k = 0; k < evidence->size(); ++k) {
        entry.kinds.push_back({f.file(), (*evidence)[k].line, Fields::index(Fields::child(path, "evidence"), k),
                               (*evidence)[k].value});
      }
    }
    if (required_node) {
      for (std::size_t k = 0; k < required_node->size(); ++k) {
        entry.required.push_back({f.file(), (*required_node)[k].line, Fields::index(Fields::child(path, "requires"), k),
                                  (*required_node)[k].value});
      }
    }
    item_evidence_.push_back(std::move(entry));
  }
}

std::vector<Milestone> Loader::load_milestones(const YAML::Node& list, const std::string& path, Fields& f,
                                               const std::string& default_catalog, bool allow_refs,
                                               std::vector<std::pair<Located, std::size_t>>* refs) {
  std::vector<Milestone> out;
  if (!list.IsDefined() || list.IsNull()) return out;
  if (!f.expect_seq(list, path)) return out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    const std::string mp = Fields::index(path, i);
    if (allow_refs && node.IsScalar()) {
      // A reference "catalog:milestone" is filled in by resolve().
      out.push_back(Milestone{});
      if (refs != nullptr) refs->push_back({Located{node.Scalar(), detail::line_of(node)}, out.size() - 1});
      continue;
    }
    if (!f.expect_map(node, mp)) continue;
    f.check_keys(node, mp, {"id", "date", "title", "items", "confidence"});
    Milestone milestone;
    if (auto id = f.string(node, "id", mp, true)) {
      milestone.id = id->value;
      if (!ids.insert(id->value).second) f.error_line(id->line, Fields::child(mp, "id"), "duplicate ID \"" + id->value + "\"");
    }
    if (auto title = f.string(node, "title", mp, true)) milestone.title = title->value;
    if (auto date = f.string(node, "date", mp, true)) {
      if (auto parsed = parse_date(date->value)) {
        milestone.date = *parsed;
      } else {
        f.error_line(date->line, Fields::child(mp, "date"), "\"" + date->value + "\" is not a date YYYY-MM-DD or YYYY-MM");
      }
    }
    if (auto confidence = f.string(node, "confidence", mp, false)) {
      if (auto parsed = parse_confidence(confidence->value)) {
        milestone.confidence = *parsed;
      } else {
        f.error_line(confidence->line, Fields::child(mp, "confidence"), "expected high, medium or low");
      }
    }
    out.push_back(std::move(milestone));
    if (auto items = f.string_list(node, "items", mp, false); items && !items->empty() && !default_catalog.empty()) {
      MilestoneItems pending{set_.find_catalog(default_catalog), out.size() - 1, {}};
      for (std::size_t k = 0; k < items->size(); ++k) {
        pending.refs.push_back({f.file(), (*items)[k].line, Fields::index(Fields::child(mp, "items"), k), (*items)[k].value});
      }
      milestone_items_.push_back(std::move(pending));
    }
  }
  return out;
}

void Loader::load_catalog(const YAML::Node& root, Fields& f) {
  f.check_keys(root, "", {"catalog", "groups", "constraints", "items", "maturity_levels", "classes", "milestones",
                          "not_at_component_level"});
  const YAML::Node header = root["catalog"];
  if (!f.expect_map(header, "catalog")) return;
  f.check_keys(header, "catalog", {"id", "title", "short", "kind", "edition", "publisher", "note", "sl_gated",
                                   "adopts", "relation", "confidence"});
  Catalog catalog;
  auto id = f.string(header, "id", "catalog", true);
  if (!id) return;
  if (!is_slug(id->value)) {
    f.error_line(id->line, "catalog.id", "\"" + id->value + "\" must be lower-case letters, digits and '-'");
    return;
  }
  if (const auto it = catalog_ids_.find(id->value); it != catalog_ids_.end()) {
    f.error_line(id->line, "catalog.id",
                 "duplicate catalogue ID \"" + id->value + "\" (also in " + it->second.file + ")");
    return;
  }
  catalog_ids_[id->value] = {f.file(), id->line};
  catalog.id = id->value;
  catalog.pos = {f.file(), id->line};
  if (auto v = f.string(header, "title", "catalog", true)) catalog.title = v->value;
  if (auto v = f.string(header, "short", "catalog", false)) catalog.short_name = v->value;
  if (catalog.short_name.empty()) catalog.short_name = catalog.id;
  if (auto v = f.string(header, "kind", "catalog", true)) {
    static const std::set<std::string> kinds = {"component-requirements", "process-requirements", "regulation",
                                                "capability-baseline", "adoption"};
    if (!kinds.count(v->value)) {
      f.error_line(v->line, "catalog.kind",
                   "unknown kind \"" + v->value +
                       "\" (allowed: component-requirements, process-requirements, regulation, capability-baseline, adoption)");
    }
    catalog.kind = v->value;
  }
  if (auto v = f.string(header, "edition", "catalog", false)) catalog.edition = v->value;
  if (auto v = f.string(header, "publisher", "catalog", false)) catalog.publisher = v->value;
  if (auto v = f.string(header, "note", "catalog", false)) catalog.note = v->value;
  if (auto v = f.boolean(header, "sl_gated", "catalog", false)) catalog.sl_gated = *v;
  if (auto v = f.string(header, "confidence", "catalog", false)) {
    if (auto parsed = parse_confidence(v->value)) catalog.confidence = *parsed;
    else f.error_line(v->line, "catalog.confidence", "expected high, medium or low");
  }
  set_.catalogs.push_back(catalog);
  const int catalog_index = static_cast<int>(set_.catalogs.size() - 1);

  if (catalog.kind == "adoption") {
    auto adopts = f.string(header, "adopts", "catalog", true);
    if (auto relation = f.string(header, "relation", "catalog", true); relation && relation->value != "identical") {
      f.error_line(relation->line, "catalog.relation", "only identical adoptions are supported");
    }
    if (root["items"].IsDefined()) {
      f.error(root["items"], "items", "an identical adoption has no items of its own; it shares those of `adopts`");
    }
    if (adopts) adoptions_.push_back({catalog_index, {f.file(), adopts->line, "catalog.adopts", adopts->value}});
  } else if (header["adopts"].IsDefined()) {
    f.error(header["adopts"], "catalog.adopts", "only a catalogue of kind adoption adopts another");
  }

  Catalog& stored = set_.catalogs.back();
  if (const YAML::Node groups = root["groups"]; groups.IsDefined() && f.expect_seq(groups, "groups")) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const std::string path = Fields::index("groups", i);
      if (!f.expect_map(groups[i], path)) continue;
      f.check_keys(groups[i], path, {"id", "abbrev", "title", "summary"});
      Group group;
      if (auto v = f.string(groups[i], "id", path, true)) {
        group.id = v->value;
        if (!ids.insert(v->value).second) f.error_line(v->line, Fields::child(path, "id"), "duplicate ID \"" + v->value + "\"");
      }
      if (auto v = f.string(groups[i], "abbrev", path, false)) group.abbrev = v->value;
      if (auto v = f.string(groups[i], "title", path, true)) group.title = v->value;
      if (auto v = f.string(groups[i], "summary", path, false)) group.summary = v->value;
      stored.groups.push_back(std::move(group));
    }
  }
  if (const YAML::Node levels = root["maturity_levels"]; levels.IsDefined() && f.expect_seq(levels, "maturity_levels")) {
    for (std::size_t i = 0; i < levels.size(); ++i) {
      const std::string path = Fields::index("maturity_levels", i);
      if (!f.expect_map(levels[i], path)) continue;
      f.check_keys(levels[i], path, {"level", "title", "summary"});
      MaturityLevel level;
      if (auto v = f.integer(levels[i], "level", path, true, 1, 4)) level.level = *v;
      if (auto v = f.string(levels[i], "title", path, true)) level.title = v->value;
      if (auto v = f.string(levels[i], "summary", path, false)) level.summary = v->value;
      set_.catalogs[static_cast<std::size_t>(catalog_index)].maturity_levels.push_back(level);
    }
  }
  if (const YAML::Node items = root["items"]; items.IsDefined()) {
    load_catalog_items(items, f, set_.catalogs[static_cast<std::size_t>(catalog_index)], catalog_index);
  }
  if (const YAML::Node constraints = root["constraints"]; constraints.IsDefined() && f.expect_seq(constraints, "constraints")) {
    for (std::size_t i = 0; i < constraints.size(); ++i) {
      const std::string path = Fields::index("constraints", i);
      if (!f.expect_map(constraints[i], path)) continue;
      f.check_keys(constraints[i], path, {"id", "title", "summary", "evidence", "effort"});
      auto cid = f.string(constraints[i], "id", path, true);
      if (!cid) continue;
      Item item;
      item.catalog = catalog_index;
      item.kind = ItemKind::constraint;
      item.id = cid->value;
      load_item_common(constraints[i], path, f, item, false);
      const auto evidence = f.string_list(constraints[i], "evidence", path, true);
      const int index = add_item(std::move(item), f, constraints[i], path);
      if (index < 0 || !evidence) continue;
      ItemEvidence entry{index, {}, {}};
      for (std::size_t k = 0; k < evidence->size(); ++k) {
        entry.kinds.push_back({f.file(), (*evidence)[k].line, Fields::index(Fields::child(path, "evidence"), k),
                               (*evidence)[k].value});
      }
      item_evidence_.push_back(std::move(entry));
    }
  }
  if (const YAML::Node none = root["not_at_component_level"]; none.IsDefined() && f.expect_seq(none, "not_at_component_level")) {
    for (std::size_t i = 0; i < none.size(); ++i) {
      const std::string path = Fields::index("not_at_component_level", i);
      if (!f.expect_map(none[i], path)) continue;
      f.check_keys(none[i], path, {"id", "title", "confidence"});
      auto nid = f.string(none[i], "id", path, true);
      auto title = f.string(none[i], "title", path, true);
      if (auto v = f.string(none[i], "confidence", path, false); v && !parse_confidence(v->value)) {
        f.error_line(v->line, Fields::child(path, "confidence"), "expected high, medium or low");
      }
      if (nid && title) set_.catalogs[static_cast<std::size_t>(catalog_index)].not_at_component_level.push_back(nid->value + " " + title->value);
    }
  }
  if (const YAML::Node classes = root["classes"]; classes.IsDefined() && f.expect_seq(classes, "classes")) {
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const std::string path = Fields::index("classes", i);
      if (!f.expect_map(classes[i], path)) continue;
      f.check_keys(classes[i], path, {"id", "title", "conformity", "categories"});
      ProductClass product_class;
      if (auto v = f.string(classes[i], "id", path, true)) product_class.id = v->value;
      if (auto v = f.string(classes[i], "title", path, true)) product_class.title = v->value;
      if (auto v = f.string(classes[i], "conformity", path, true)) product_class.conformity = v->value;
      const YAML::Node categories = classes[i]["categories"];
      const std::string cp = Fields::child(path, "categories");
      if (categories.IsDefined() && f.expect_seq(categories, cp)) {
        for (std::size_t k = 0; k < categories.size(); ++k) {
          const std::string kp = Fields::index(cp, k);
          if (!f.expect_map(categories[k], kp)) continue;
          f.check_keys(categories[k], kp, {"id", "title", "confidence"});
          ClassCategory category;
          if (auto v = f.string(categories[k], "id", kp, true)) category.id = v->value;
          if (auto v = f.string(categories[k], "title", kp, true)) category.title = v->value;
          if (auto v = f.string(categories[k], "confidence", kp, false)) {
            if (auto parsed = parse_confidence(v->value)) category.confidence = *parsed;
            else f.error_line(v->line, Fields::child(kp, "confidence"), "expected high, medium or low");
          }
          product_class.categories.push_back(std::move(category));
        }
      }
      set_.catalogs[static_cast<std::size_t>(catalog_index)].classes.push_back(std::move(product_class));
    }
  }
  set_.catalogs[static_cast<std::size_t>(catalog_index)].milestones =
      load_milestones(root["milestones"], "milestones", f, catalog.id, false, nullptr);
}

void Loader::load_crosswalk(const YAML::Node& root, Fields& f) {
  f.check_keys(root, "", {"crosswalk", "mappings"});
  const YAML::Node header = root["crosswalk"];
  if (!f.expect_map(header, "crosswalk")) return;
  f.check_keys(header, "crosswalk", {"id", "from", "to", "confidence", "note"});
  Crosswalk crosswalk;
  PendingCrosswalk pending;
  auto id = f.string(header, "id", "crosswalk", true);
  if (!id) return;
  for (const auto& other : set_.crosswalks) {
    if (other.id == id->value) f.error_line(id->line, "crosswalk.id", "duplicate crosswalk ID \"" + id->value + "\"");
  }
  crosswalk.id = id->value;
  crosswalk.pos = {f.file(), id->line};
  auto from = f.string(header, "from", "crosswalk", true);
  auto to = f.string(header, "to", "crosswalk", true);
  if (!from || !to) return;
  pending.from_catalog = {f.file(), from->line, "crosswalk.from", from->value};
  pending.to_catalog = {f.file(), to->line, "crosswalk.to", to->value};
  if (auto v = f.string(header, "note", "crosswalk", false)) crosswalk.note = v->value;
  if (auto v = f.string(header, "confidence", "crosswalk", false)) {
    if (auto parsed = parse_confidence(v->value)) crosswalk.confidence = *parsed;
    else f.error_line(v->line, "crosswalk.confidence", "expected high, medium or low");
  }
  const YAML::Node mappings = root["mappings"];
  if (!mappings.IsDefined()) {
    f.error(root, "mappings", "required field is missing");
  } else if (f.expect_seq(mappings, "mappings")) {
    for (std::size_t i = 0; i < mappings.size(); ++i) {
      const std::string path = Fields::index("mappings", i);
      if (!f.expect_map(mappings[i], path)) continue;
      f.check_keys(mappings[i], path, {"to", "from", "relation", "together"});
      PendingCrosswalk::Mapping mapping;
      auto target = f.string(mappings[i], "to", path, true);
      auto sources = f.string_list(mappings[i], "from", path, true);
      auto relation = f.string(mappings[i], "relation", path, true);
      bool ok = target && sources && relation;
      if (relation) {
        if (auto parsed = parse_relation(relation->value)) {
          mapping.relation = *parsed;
        } else {
          f.error_line(relation->line, Fields::child(path, "relation"),
                       "unknown relation \"" + relation->value + "\" (allowed: equal, subset, superset, intersect)");
          ok = false;
        }
      }
      if (auto together = f.string(mappings[i], "together", path, false)) {
        const auto parsed = parse_relation(together->value);
        if (!parsed || (*parsed != Relation::equal && *parsed != Relation::superset)) {
          f.error_line(together->line, Fields::child(path, "together"), "expected equal or superset");
          ok = false;
        } else {
          mapping.together = *parsed;
        }
      }
      if (sources && sources->empty()) {
        f.error(mappings[i], Fields::child(path, "from"), "must name at least one item");
        ok = false;
      }
      if (!ok) continue;
      mapping.to = {f.file(), target->line, Fields::child(path, "to"), target->value};
      for (std::size_t k = 0; k < sources->size(); ++k) {
        mapping.from.push_back({f.file(), (*sources)[k].line, Fields::index(Fields::child(path, "from"), k), (*sources)[k].value});
      }
      pending.mappings.push_back(std::move(mapping));
    }
  }
  set_.crosswalks.push_back(std::move(crosswalk));
  pending.crosswalk = set_.crosswalks.size() - 1;
  crosswalks_.push_back(std::move(pending));
}

void Loader::load_evidence_kinds(const YAML::Node& root, Fields& f) {
  f.check_keys(root, "", {"evidence_kinds"});
  const YAML::Node list = root["evidence_kinds"];
  if (have_evidence_kinds_) {
    f.error(list, "evidence_kinds", "a second evidence-kinds file; keep one");
    return;
  }
  have_evidence_kinds_ = true;
  if (!f.expect_seq(list, "evidence_kinds")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = Fields::index("evidence_kinds", i);
    if (!f.expect_map(list[i], path)) continue;
    f.check_keys(list[i], path, {"id", "title", "check", "needs_property", "proves"});
    EvidenceKind kind;
    auto id = f.string(list[i], "id", path, true);
    if (!id) continue;
    if (set_.find_evidence_kind(id->value) >= 0) {
      f.error_line(id->line, Fields::child(path, "id"), "duplicate ID \"" + id->value + "\"");
      continue;
    }
    kind.id = id->value;
    if (auto v = f.string(list[i], "title", path, true)) kind.title = v->value;
    if (auto v = f.string(list[i], "check", path, true)) {
      if (v->value == "envelope") kind.check = EvidenceCheck::envelope;
      else if (v->value == "device-log") kind.check = EvidenceCheck::device_log;
      else if (v->value == "sbom") kind.check = EvidenceCheck::sbom;
      else if (v->value == "file") kind.check = EvidenceCheck::file;
      else f.error_line(v->line, Fields::child(path, "check"), "unknown check \"" + v->value + "\" (allowed: envelope, device-log, sbom, file)");
    }
    if (auto v = f.string(list[i], "needs_property", path, false)) kind.needs_property = v->value;
    KindProves proves{static_cast<int>(set_.evidence_kinds.size()), {}};
    if (auto refs = f.string_list(list[i], "proves", path, false)) {
      for (std::size_t k = 0; k < refs->size(); ++k) {
        proves.refs.push_back({f.file(), (*refs)[k].line, Fields::index(Fields::child(path, "proves"), k), (*refs)[k].value});
      }
    }
    set_.evidence_kinds.push_back(std::move(kind));
    kind_proves_.push_back(std::move(proves));
  }
}

void Loader::load_sdl_file(const YAML::Node& root, Fields& f) {
  have_sdl_ = true;
  f.check_keys(root, "", {"sdl", "stages"});
  const YAML::Node header = root["sdl"];
  if (!f.expect_map(header, "sdl")) return;
  f.check_keys(header, "sdl", {"id", "title", "process_catalog", "confidence", "note"});
  SdlFramework framework;
  PendingSdl pending;
  if (auto v = f.string(header, "id", "sdl", true)) framework.id = v->value;
  if (auto v = f.string(header, "title", "sdl", true)) framework.title = v->value;
  if (auto v = f.string(header, "note", "sdl", false)) framework.note = v->value;
  if (auto v = f.string(header, "confidence", "sdl", false)) {
    if (auto parsed = parse_confidence(v->value)) framework.confidence = *parsed;
    else f.error_line(v->line, "sdl.confidence", "expected high, medium or low");
  }
  if (auto v = f.string(header, "process_catalog", "sdl", true)) {
    pending.process_catalog = {f.file(), v->line, "sdl.process_catalog", v->value};
  }
  framework.pos = {f.file(), detail::line_of(header)};
  const YAML::Node stages = root["stages"];
  if (!stages.IsDefined()) {
    f.error(root, "stages", "required field is missing");
  } else if (f.expect_seq(stages, "stages")) {
    std::set<std::string> ids;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const std::string path = Fields::index("stages", i);
      if (!f.expect_map(stages[i], path)) continue;
      f.check_keys(stages[i], path, {"id", "title", "summary", "requirements"});
      SdlStage stage;
      if (auto v = f.string(stages[i], "id", path, true)) {
        stage.id = v->value;
        if (!ids.insert(v->value).second) f.error_line(v->line, Fields::child(path, "id"), "duplicate ID \"" + v->value + "\"");
      }
      if (auto v = f.string(stages[i], "title", path, true)) stage.title = v->value;
      if (auto v = f.string(stages[i], "summary", path, false)) stage.summary = v->value;
      std::vector<PendingRef> refs;
      if (auto list = f.string_list(stages[i], "requirements", path, true)) {
        if (list->empty()) f.error(stages[i], Fields::child(path, "requirements"), "a stage must map to at least one requirement");
        for (std::size_t k = 0; k < list->size(); ++k) {
          refs.push_back({f.file(), (*list)[k].line, Fields::index(Fields::child(path, "requirements"), k), (*list)[k].value});
        }
      }
      framework.stages.push_back(std::move(stage));
      pending.stage_requirements.push_back(std::move(refs));
    }
  }
  set_.sdl = std::move(framework);
  sdl_ = std::move(pending);
}

void Loader::load_vocabulary(const YAML::Node& root, std::string_view key, Fields& f, std::vector<VocabularyEntry>& out) {
  const YAML::Node list = root[std::string(key)];
  const std::string path(key);
  if (!list.IsDefined()) {
    f.error(root, path, "required field is missing");
    return;
  }
  if (!f.expect_seq(list, path)) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string ep = Fields::index(path, i);
    if (!f.expect_map(list[i], ep)) continue;
    VocabularyEntry entry;
    if (key == "instrument_categories") {
      f.check_keys(list[i], ep, {"id", "title", "component_type", "field_instrument"});
      if (auto v = f.string(list[i], "component_type", ep, true)) {
        if (auto parsed = parse_component_type(v->value)) entry.component_type = *parsed;
        else f.error_line(v->line, Fields::child(ep, "component_type"), "expected SAR, EDR, HDR or NDR");
      }
      if (auto v = f.boolean(list[i], "field_instrument", ep, true)) entry.flag = *v;
    } else if (key == "interfaces") {
      f.check_keys(list[i], ep, {"id", "title", "wireless"});
      if (auto v = f.boolean(list[i], "wireless", ep, true)) entry.flag = *v;
    } else {
      f.check_keys(list[i], ep, {"id", "title"});
    }
    auto id = f.string(list[i], "id", ep, true);
    if (!id) continue;
    for (const auto& existing : out) {
      if (existing.id == id->value) f.error_line(id->line, Fields::child(ep, "id"), "duplicate ID \"" + id->value + "\"");
    }
    entry.id = id->value;
    if (auto v = f.string(list[i], "title", ep, true)) entry.title = v->value;
    out.push_back(std::move(entry));
  }
}

std::vector<std::string> Loader::load_any_list(const YAML::Node& map, std::string_view key, const std::string& path,
                                               Fields& f, bool& any, std::string_view special, bool* special_seen) {
  any = false;
  const YAML::Node value = map[std::string(key)];
  const std::string field = Fields::child(path, key);
  if (!value.IsDefined() || value.IsNull()) {
    f.error(map, field, "required field is missing (a list, or any)");
    return {};
  }
  if (value.IsScalar()) {
    if (value.Scalar() == "any") {
      any = true;
      return {};
    }
    if (!special.empty() && value.Scalar() == special && special_seen != nullptr) {
      *special_seen = true;
      return {};
    }
    f.error(value, field, "expected a list or \"any\"" + (special.empty() ? std::string() : " or \"" + std::string(special) + "\""));
    return {};
  }
  std::vector<std::string> out;
  if (auto list = f.string_list(map, key, path, true)) {
    for (const auto& entry : *list) out.push_back(entry.value);
  }
  return out;
}

void Loader::load_regimes(const YAML::Node& root, Fields& f) {
  have_regimes_ = true;
  f.check_keys(root, "", {"regimes_catalog", "markets", "sectors", "instrument_categories", "interfaces", "regimes"});
  if (f.expect_map(root["regimes_catalog"], "regimes_catalog")) {
    f.check_keys(root["regimes_catalog"], "regimes_catalog", {"id", "title", "edition"});
    (void)f.string(root["regimes_catalog"], "id", "regimes_catalog", true);
  }
  load_vocabulary(root, "markets", f, set_.regimes.markets);
  load_vocabulary(root, "sectors", f, set_.regimes.sectors);
  load_vocabulary(root, "instrument_categories", f, set_.regimes.categories);
  load_vocabulary(root, "interfaces", f, set_.regimes.interfaces);
  const YAML::Node list = root["regimes"];
  if (!list.IsDefined()) {
    f.error(root, "regimes", "required field is missing");
    return;
  }
  if (!f.expect_seq(list, "regimes")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = Fields::index("regimes", i);
    const YAML::Node node = list[i];
    if (!f.expect_map(node, path)) continue;
    f.check_keys(node, path, {"id", "title", "kind", "binding", "markets", "categories", "sectors", "interfaces_any",
                              "conformity", "requires", "milestones", "due", "confidence", "note"});
    Regime regime;
    PendingRegime pending;
    auto id = f.string(node, "id", path, true);
    if (!id) continue;
    for (const auto& other : set_.regimes.regimes) {
      if (other.id == id->value) f.error_line(id->line, Fields::child(path, "id"), "duplicate ID \"" + id->value + "\"");
    }
    regime.id = id->value;
    regime.pos = {f.file(), id->line};
    if (auto v = f.string(node, "title", path, true)) regime.title = v->value;
    if (auto v = f.string(node, "kind", path, true)) {
      static const std::set<std::string> kinds = {"regulation", "market-access", "baseline", "procurement", "guidance"};
      if (!kinds.count(v->value)) {
        f.error_line(v->line, Fields::child(path, "kind"),
                     "unknown kind \"" + v->value + "\" (allowed: regulation, market-access, baseline, procurement, guidance)");
      }
      regime.kind = v->value;
    }
    if (auto v = f.string(node, "binding", path, true)) {
      if (v->value != "mandatory" && v->value != "voluntary" && v->value != "contractual") {
        f.error_line(v->line, Fields::child(path, "binding"), "expected mandatory, voluntary or contractual");
      }
      regime.binding = v->value;
    }
    bool any = false;
    const auto line_of_key = [&](std::string_view key) { return detail::line_of(node[std::string(key)]); };
    for (const auto& m : load_any_list(node, "markets", path, f, any)) {
      regime.markets.push_back(m);
      pending.markets.push_back({f.file(), line_of_key("markets"), Fields::child(path, "markets"), m});
    }
    for (const auto& c : load_any_list(node, "categories", path, f, any, "field-instruments", &regime.field_instruments_only)) {
      regime.categories.push_back(c);
      pending.categories.push_back({f.file(), line_of_key("categories"), Fields::child(path, "categories"), c});
    }
    for (const auto& s : load_any_list(node, "sectors", path, f, any)) {
      regime.sectors.push_back(s);
      pending.sectors.push_back({f.file(), line_of_key("sectors"), Fields::child(path, "sectors"), s});
    }
    if (auto interfaces = f.string_list(node, "interfaces_any", path, false)) {
      for (const auto& entry : *interfaces) {
        regime.interfaces_any.push_back(entry.value);
        pending.interfaces.push_back({f.file(), entry.line, Fields::child(path, "interfaces_any"), entry.value});
      }
    }
    if (auto v = f.string(node, "conformity", path, false)) {
      if (v->value == "cra-class") regime.cra_conformity = true;
      else f.error_line(v->line, Fields::child(path, "conformity"), "only cra-class is supported");
    }
    if (auto v = f.string(node, "confidence", path, true)) {
      if (auto parsed = parse_confidence(v->value)) regime.confidence = *parsed;
      else f.error_line(v->line, Fields::child(path, "confidence"), "expected high, medium or low");
    }
    if (auto v = f.string(node, "note", path, false)) regime.note = v->value;
    const YAML::Node required_node = node["requires"];
    const std::string rp = Fields::child(path, "requires");
    if (!required_node.IsDefined()) {
      f.error(node, rp, "required field is missing (use [] for none)");
    } else if (f.expect_seq(required_node, rp)) {
      for (std::size_t k = 0; k < required_node.size(); ++k) {
        const std::string kp = Fields::index(rp, k);
        const YAML::Node req = required_node[k];
        if (!f.expect_map(req, kp)) continue;
        f.check_keys(req, kp, {"catalog", "items", "up_to_sl", "sdl_maturity"});
        PendingRegime::Requirement requirement;
        if (req["sdl_maturity"].IsDefined()) {
          requirement.kind = RegimeRequirement::Kind::sdl_maturity;
          if (auto v = f.integer(req, "sdl_maturity", kp, true, 1, 4)) requirement.maturity = *v;
        } else if (req["up_to_sl"].IsDefined()) {
          requirement.kind = RegimeRequirement::Kind::up_to_sl;
          const YAML::Node sl = req["up_to_sl"];
          if (sl.IsScalar() && sl.Scalar() == "target") {
            requirement.sl = 0;
          } else if (auto v = f.integer(req, "up_to_sl", kp, true, 1, 4)) {
            requirement.sl = *v;
          }
          if (auto c = f.string(req, "catalog", kp, true)) requirement.catalog = {f.file(), c->line, Fields::child(kp, "catalog"), c->value};
        } else if (req["catalog"].IsDefined()) {
          requirement.kind = RegimeRequirement::Kind::all_items;
          if (auto c = f.string(req, "catalog", kp, true)) requirement.catalog = {f.file(), c->line, Fields::child(kp, "catalog"), c->value};
          if (auto v = f.string(req, "items", kp, true); v && v->value != "all") {
            f.error_line(v->line, Fields::child(kp, "items"), "with catalog, items must be \"all\"; list qualified IDs without catalog instead");
          }
        } else if (req["items"].IsDefined()) {
          requirement.kind = RegimeRequirement::Kind::items;
          if (auto named = f.string_list(req, "items", kp, true)) {
            for (std::size_t n = 0; n < named->size(); ++n) {
              requirement.items.push_back({f.file(), (*named)[n].line, Fields::index(Fields::child(kp, "items"), n), (*named)[n].value});
            }
          }
        } else {
          f.error(req, kp, "expected one of catalog+items, catalog+up_to_sl, items, sdl_maturity");
          continue;
        }
        pending.requirements.push_back(std::move(requirement));
      }
    }
    regime.milestones = load_milestones(node["milestones"], Fields::child(path, "milestones"), f, "", true,
                                        &pending.milestone_refs);
    if (!node["milestones"].IsDefined()) f.error(node, Fields::child(path, "milestones"), "required field is missing (use [] for none)");
    if (auto v = f.string(node, "due", path, false)) pending.due = PendingRef{f.file(), v->line, Fields::child(path, "due"), v->value};
    set_.regimes.regimes.push_back(std::move(regime));
    pending.regime = set_.regimes.regimes.size() - 1;
    regimes_.push_back(std::move(pending));
  }
}

int Loader::resolve_item(const PendingRef& ref, std::string_view default_catalog, std::string_view what) {
  const int index = set_.find_item(ref.ref, default_catalog);
  if (index < 0) {
    std::string where = ref.ref.find(':') == std::string::npos ? " in catalogue " + std::string(default_catalog) : "";
    diags_.error(ref.file, ref.line, ref.field,
                 std::string(what) + " points nowhere: no item \"" + ref.ref + "\"" + where);
  }
  return index;
}

void Loader::resolve() {
  // Identical adoptions first: they make "gbt-42278:ID" resolvable.
  for (const auto& adoption : adoptions_) {
    const int target = set_.find_catalog(adoption.target.ref);
    if (target < 0 || target == adoption.catalog) {
      diags_.error(adoption.target.file, adoption.target.line, adoption.target.field,
                   "dangling reference: no catalogue \"" + adoption.target.ref + "\" to adopt");
      continue;
    }
    if (set_.catalogs[static_cast<std::size_t>(target)].kind == "adoption") {
      diags_.error(adoption.target.file, adoption.target.line, adoption.target.field, "cannot adopt an adoption");
      continue;
    }
    set_.catalogs[static_cast<std::size_t>(adoption.catalog)].adopts = target;
  }
  // A generic CR exists for every type that has no type-specific item of the same number.
  for (auto& item : set_.items) {
    if (item.id.rfind("CR ", 0) != 0) continue;
    const Catalog& catalog = set_.catalogs[static_cast<std::size_t>(item.catalog)];
    if (!catalog.sl_gated) continue;
    std::string number = item.id.substr(3);
    if (const auto space = number.find(' '); space != std::string::npos) number = number.substr(0, space);
    for (const int other : catalog.items) {
      const Item& candidate = set_.items[static_cast<std::size_t>(other)];
      if (candidate.id.rfind("CR ", 0) == 0 || candidate.kind != ItemKind::requirement) continue;
      const auto space = candidate.id.find(' ');
      if (space != std::string::npos && candidate.id.substr(space + 1) == number) {
        item.types = static_cast<TypeMask>(item.types & ~candidate.types);
      }
    }
  }
  set_.index_refs();

  for (const auto& entry : item_evidence_) {
    Item& item = set_.items[static_cast<std::size_t>(entry.item)];
    for (const auto& ref : entry.kinds) {
      const int kind = set_.find_evidence_kind(ref.ref);
      if (kind < 0) {
        diags_.error(ref.file, ref.line, ref.field, "dangling reference: no evidence kind \"" + ref.ref + "\" in evidence-kinds.yaml");
      } else {
        item.evidence_kinds.push_back(kind);
      }
    }
    for (const auto& ref : entry.required) {
      const int kind = set_.find_evidence_kind(ref.ref);
      if (kind < 0) {
        diags_.error(ref.file, ref.line, ref.field, "dangling reference: no evidence kind \"" + ref.ref + "\" in evidence-kinds.yaml");
      } else {
        item.required_kinds.push_back(kind);
        if (std::find(item.evidence_kinds.begin(), item.evidence_kinds.end(), kind) == item.evidence_kinds.end()) {
          diags_.error(ref.file, ref.line, ref.field, "required kind \"" + ref.ref + "\" is not among the item's evidence kinds");
        }
      }
    }
  }
  for (const auto& proves : kind_proves_) {
    for (const auto& ref : proves.refs) {
      if (ref.ref.find(':') == std::string::npos) {
        diags_.error(ref.file, ref.line, ref.field, "use a qualified reference \"catalog:ID\", e.g. \"iec62443-4-2:" + ref.ref + "\"");
        continue;
      }
      const int item = resolve_item(ref, "", "proves");
      if (item >= 0) set_.evidence_kinds[static_cast<std::size_t>(proves.kind)].proves.push_back(item);
    }
  }
  for (const auto& pending : milestone_items_) {
    if (pending.catalog < 0) continue;
    Catalog& catalog = set_.catalogs[static_cast<std::size_t>(pending.catalog)];
    for (const auto& ref : pending.refs) {
      const int item = resolve_item(ref, catalog.id, "milestone item");
      if (item >= 0) catalog.milestones[pending.milestone].items.push_back(item);
    }
  }
  for (auto& pending : crosswalks_) {
    Crosswalk& crosswalk = set_.crosswalks[pending.crosswalk];
    crosswalk.from_catalog = set_.find_catalog(pending.from_catalog.ref);
    crosswalk.to_catalog = set_.find_catalog(pending.to_catalog.ref);
    bool ok = true;
    for (const auto* ref : {&pending.from_catalog, &pending.to_catalog}) {
      if (set_.find_catalog(ref->ref) < 0) {
        diags_.error(ref->file, ref->line, ref->field, "crosswalk points nowhere: no catalogue \"" + ref->ref + "\"");
        ok = false;
      }
    }
    if (!ok) continue;
    if (crosswalk.from_catalog == crosswalk.to_catalog) {
      diags_.error(pending.to_catalog.file, pending.to_catalog.line, pending.to_catalog.field, "a crosswalk joins two different catalogues");
      continue;
    }
    const std::string& from_id = set_.catalogs[static_cast<std::size_t>(crosswalk.from_catalog)].id;
    const std::string& to_id = set_.catalogs[static_cast<std::size_t>(crosswalk.to_catalog)].id;
    for (const auto& mapping : pending.mappings) {
      if (mapping.to.ref.find(':') != std::string::npos) {
        diags_.error(mapping.to.file, mapping.to.line, mapping.to.field, "give the ID without a catalogue; the crosswalk names it");
        continue;
      }
      const int target = resolve_item(mapping.to, to_id, "crosswalk entry");
      CrosswalkGroup group;
      group.to = target;
      for (const auto& source : mapping.from) {
        if (source.ref.find(':') != std::string::npos) {
          diags_.error(source.file, source.line, source.field, "give the ID without a catalogue; the crosswalk names it");
          continue;
        }
        const int from = resolve_item(source, from_id, "crosswalk entry");
        if (from < 0 || target < 0) continue;
        crosswalk.links.push_back({from, target, mapping.relation});
        group.from.push_back(from);
      }
      if (mapping.together && target >= 0 && !group.from.empty()) {
        group.together = *mapping.together;
        crosswalk.groups.push_back(std::move(group));
      }
    }
  }
  if (sdl_) {
    const int process = set_.find_catalog(sdl_->process_catalog.ref);
    if (process < 0) {
      diags_.error(sdl_->process_catalog.file, sdl_->process_catalog.line, sdl_->process_catalog.field,
                   "dangling reference: no catalogue \"" + sdl_->process_catalog.ref + "\"");
    } else {
      set_.sdl.process_catalog = process;
      const std::string& process_id = set_.catalogs[static_cast<std::size_t>(process)].id;
      for (std::size_t s = 0; s < sdl_->stage_requirements.size(); ++s) {
        for (const auto& ref : sdl_->stage_requirements[s]) {
          const int item = resolve_item(ref, process_id, "stage requirement");
          if (item >= 0) set_.sdl.stages[s].requirements.push_back(item);
        }
      }
    }
  }
  for (auto& pending : regimes_) {
    Regime& regime = set_.regimes.regimes[pending.regime];
    for (const auto& ref : pending.markets) {
      if (!set_.find_market(ref.ref)) diags_.error(ref.file, ref.line, ref.field, "dangling reference: no market \"" + ref.ref + "\"");
    }
    for (const auto& ref : pending.categories) {
      if (!set_.find_category(ref.ref)) diags_.error(ref.file, ref.line, ref.field, "dangling reference: no instrument category \"" + ref.ref + "\"");
    }
    for (const auto& ref : pending.sectors) {
      if (!set_.find_sector(ref.ref)) diags_.error(ref.file, ref.line, ref.field, "dangling reference: no sector \"" + ref.ref + "\"");
    }
    for (const auto& ref : pending.interfaces) {
      if (!set_.find_interface(ref.ref)) diags_.error(ref.file, ref.line, ref.field, "dangling reference: no interface \"" + ref.ref + "\"");
    }
    for (const auto& [ref, slot] : pending.milestone_refs) {
      const auto colon = ref.value.find(':');
      const int catalog = colon == std::string::npos ? -1 : set_.find_catalog(ref.value.substr(0, colon));
      const Milestone* found = nullptr;
      if (catalog >= 0) {
        for (const auto& milestone : set_.catalogs[static_cast<std::size_t>(catalog)].milestones) {
          if (milestone.id == ref.value.substr(colon + 1)) found = &milestone;
        }
      }
      if (found == nullptr) {
        diags_.error(regime.pos.file, ref.line, "regimes." + regime.id + ".milestones",
                     "dangling reference: no milestone \"" + ref.value + "\" (expected catalog:milestone-id)");
        continue;
      }
      regime.milestones[slot] = *found;
    }
    // Drop unresolved references so that no empty milestone remains.
    regime.milestones.erase(std::remove_if(regime.milestones.begin(), regime.milestones.end(),
                                           [](const Milestone& m) { return m.id.empty(); }),
                            regime.milestones.end());
    if (pending.due) {
      for (std::size_t m = 0; m < regime.milestones.size(); ++m) {
        if (regime.milestones[m].id == pending.due->ref) regime.due = static_cast<int>(m);
      }
      if (regime.due < 0) {
        diags_.error(pending.due->file, pending.due->line, pending.due->field,
                     "dangling reference: no milestone \"" + pending.due->ref + "\" in this regime");
      }
    }
    for (const auto& requirement : pending.requirements) {
      RegimeRequirement out;
      out.kind = requirement.kind;
      out.sl = requirement.sl;
      out.maturity = requirement.maturity;
      if (requirement.kind == RegimeRequirement::Kind::all_items || requirement.kind == RegimeRequirement::Kind::up_to_sl) {
        out.catalog = set_.find_catalog(requirement.catalog.ref);
        if (out.catalog < 0) {
          diags_.error(requirement.catalog.file, requirement.catalog.line, requirement.catalog.field,
                       "dangling reference: no catalogue \"" + requirement.catalog.ref + "\"");
          continue;
        }
        const Catalog& catalog = set_.catalogs[static_cast<std::size_t>(out.catalog)];
        const int effective = catalog.adopts >= 0 ? catalog.adopts : out.catalog;
        if (requirement.kind == RegimeRequirement::Kind::up_to_sl &&
            !set_.catalogs[static_cast<std::size_t>(effective)].sl_gated) {
          diags_.error(requirement.catalog.file, requirement.catalog.line, requirement.catalog.field,
                       "up_to_sl needs an SL-gated catalogue");
          continue;
        }
      }
      for (const auto& ref : requirement.items) {
        if (ref.ref.find(':') == std::string::npos) {
          diags_.error(ref.file, ref.line, ref.field, "use a qualified reference \"catalog:ID\"");
          continue;
        }
        const int item = resolve_item(ref, "", "regime requirement");
        if (item >= 0) out.items.push_back(item);
      }
      regime.requirements.push_back(std::move(out));
    }
  }
  set_.index_crosswalks();
}

std::string executable_dir() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.parent_path().string();
}

}  // namespace

CatalogSet load_catalogs(const std::string& dir, Diagnostics& diags) {
  CatalogSet set;
  set.directory = dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw host::UserError(dir + ": not a catalogue directory (give --catalogs DIR or set FIELDTRUST_CATALOGS)",
                          host::kExitInput);
  }
  std::vector<std::string> files;
  for (const std::string& sub : {std::string(), std::string("/crosswalks")}) {
    const std::string folder = dir + sub;
    if (!std::filesystem::is_directory(folder, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
    }
  }
  // Catalogues before the files that refer to them; file order within a kind is alphabetical.
  std::sort(files.begin(), files.end());
  Loader loader(set, diags);
  for (const auto& file : files) loader.load_file(file);
  loader.resolve();
  if (set.catalogs.empty()) diags.error(dir, 0, "", "no catalogue files (*.yaml with a top-level catalog:) found");
  return set;
}

CatalogSet load_catalogs_or_throw(const std::string& dir) {
  Diagnostics diags;
  CatalogSet set = load_catalogs(dir, diags);
  diags.throw_if_errors("catalogues in " + dir + " are invalid (run `fieldtrust catalog validate`)");
  return set;
}

void replace_sdl_stages(CatalogSet& set, const std::string& path, Diagnostics& diags) {
  auto root = detail::load_yaml_file(path, diags);
  if (!root) return;
  Fields f(path, diags);
  if (!f.expect_map(*root, "(top level)")) return;
  if (!(*root)["sdl"].IsDefined()) {
    f.error(*root, "sdl", "not an SDL stage list: expected a top-level `sdl:` and `stages:`");
    return;
  }
  const std::size_t before = diags.error_count();
  CatalogSet copy = set;
  Loader loader(copy, diags);
  loader.load_sdl_file(*root, f);
  loader.resolve();
  if (diags.error_count() == before) set.sdl = std::move(copy.sdl);
}

void check_catalogs(const CatalogSet& set, Diagnostics& diags) {
  const int component = set.component_catalog();
  const int process = set.process_catalog();
  if (component < 0) diags.error(set.directory, 0, "", "no catalogue \"iec62443-4-2\"; the assessment engine needs it");
  if (process < 0) diags.error(set.directory, 0, "", "no catalogue \"iec62443-4-1\"; SDL assessment needs it");
  if (set.sdl.stages.empty()) diags.error(set.directory, 0, "", "no SDL stage list (a file with top-level `sdl:`)");
  if (set.regimes.regimes.empty()) diags.warning(set.directory, 0, "", "no regimes (regimes.yaml); applicability will be empty");
  if (set.evidence_kinds.empty()) diags.error(set.directory, 0, "", "no evidence kinds (evidence-kinds.yaml)");
  if (process >= 0 && !set.sdl.stages.empty()) {
    for (const int item : set.catalogs[static_cast<std::size_t>(process)].items) {
      bool staged = false;
      for (const auto& stage : set.sdl.stages) {
        staged = staged || std::find(stage.requirements.begin(), stage.requirements.end(), item) != stage.requirements.end();
      }
      if (!staged) {
        diags.warning(set.sdl.pos.file, set.sdl.pos.line, "stages",
                      "62443-4-1 requirement " + set.items[static_cast<std::size_t>(item)].id + " belongs to no SDL stage");
      }
    }
  }
  for (const auto& crosswalk : set.crosswalks) {
    std::set<std::pair<int, int>> pairs;
    for (const auto& link : crosswalk.links) {
      if (!pairs.insert({link.from, link.to}).second) {
        diags.warning(crosswalk.pos.file, crosswalk.pos.line, "mappings",
                      "pair " + set.items[static_cast<std::size_t>(link.from)].id + " -> " +
                          set.items[static_cast<std::size_t>(link.to)].id + " appears twice");
      }
    }
  }
  for (const auto& item : set.items) {
    if (item.evidence_kinds.empty()) {
      diags.warning(item.pos.file, item.pos.line, item.id, "names no evidence kind; nothing can show it");
    }
  }
}

std::string default_catalog_dir() {
  if (const char* env = std::getenv("FIELDTRUST_CATALOGS"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (const std::string exe = executable_dir(); !exe.empty()) {
    const std::string installed = exe + "/../share/fieldtrust/catalogs";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
#ifdef FT_BUILTIN_CATALOG_DIR
  return FT_BUILTIN_CATALOG_DIR;
#else
  return "catalogs";
#endif
}

}  // namespace ft::assess
