#include "ft/assess/sdl_profile.h"

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "profile_paths.h"
#include "yaml_fields.h"

namespace ft::assess {

using detail::Fields;

SdlProfile parse_sdl_profile(const std::string& text, const std::string& file, const std::string& base_dir,
                             const CatalogSet& set, Diagnostics& diags) {
  SdlProfile out;
  out.file = file;
  out.base_dir = base_dir;
  out.entry_for_item.assign(set.items.size(), -1);
  auto root = detail::parse_yaml_text(text, file, diags);
  if (!root) return out;
  Fields f(file, diags);
  if (!f.expect_map(*root, "(top level)")) return out;
  f.check_keys(*root, "", {"schema", "organisation", "scope", "target_maturity", "stages", "requirements"});
  if (auto schema = f.string(*root, "schema", "", true); schema && schema->value != kSdlProfileSchema) {
    f.error_line(schema->line, "schema", "expected \"" + std::string(kSdlProfileSchema) + "\", got \"" + schema->value + "\"");
  }
  if (auto v = f.string(*root, "organisation", "", true)) out.organisation = v->value;
  if (auto v = f.string(*root, "scope", "", false)) out.scope = v->value;
  if (auto v = f.integer(*root, "target_maturity", "", false, 1, 4)) out.target_maturity = *v;
  if (auto v = f.string(*root, "stages", "", false)) out.stages_file = detail::resolve_path(base_dir, v->value);
  const int process = set.process_catalog();
  const YAML::Node list = (*root)["requirements"];
  if (!list.IsDefined()) {
    f.error(*root, "requirements", "required field is missing");
    return out;
  }
  if (!f.expect_seq(list, "requirements")) return out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = Fields::index("requirements", i);
    const YAML::Node node = list[i];
    if (!f.expect_map(node, p)) continue;
    f.check_keys(node, p, {"requirement", "maturity", "evidence", "note"});
    SdlEntry entry;
    entry.line = detail::line_of(node);
    auto requirement = f.string(node, "requirement", p, true);
    auto maturity = f.integer(node, "maturity", p, true, 0, 4);
    if (!requirement || !maturity) continue;
    entry.item = process < 0 ? -1 : set.find_item(requirement->value, set.catalogs[static_cast<std::size_t>(process)].id);
    if (entry.item < 0 || set.items[static_cast<std::size_t>(entry.item)].catalog != process) {
      f.error_line(requirement->line, Fields::child(p, "requirement"),
                   "unknown IEC 62443-4-1 requirement \"" + requirement->value + "\" (SM-1 .. SG-7)");
      continue;
    }
    if (const int previous = out.entry_for_item[static_cast<std::size_t>(entry.item)]; previous >= 0) {
      f.error_line(requirement->line, Fields::child(p, "requirement"),
                   "second entry for " + requirement->value + " (first at line " +
                       std::to_string(out.entries[static_cast<std::size_t>(previous)].line) + ")");
      continue;
    }
    entry.maturity = *maturity;
    if (auto evidence = f.string_list(node, "evidence", p, false)) {
      for (const auto& ref : *evidence) {
        entry.evidence_as_written.push_back(ref.value);
        entry.evidence.push_back(detail::resolve_path(base_dir, ref.value));
      }
    }
    if (auto v = f.string(node, "note", p, false)) entry.note = v->value;
    out.entries.push_back(std::move(entry));
    out.entry_for_item[static_cast<std::size_t>(out.entries.back().item)] = static_cast<int>(out.entries.size() - 1);
  }
  return out;
}

SdlProfile load_sdl_profile(const std::string& path, const CatalogSet& set, std::vector<Diagnostic>* warnings) {
  const std::string text = host::read_text_file(path, 16u << 20);
  Diagnostics diags;
  SdlProfile profile = parse_sdl_profile(text, path, detail::directory_of(path), set, diags);
  diags.throw_if_errors("SDL profile " + path + " is invalid");
  if (warnings != nullptr) *warnings = diags.all();
  return profile;
}

}  // namespace ft::assess
