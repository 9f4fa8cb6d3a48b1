#include "ft/assess/product_profile.h"

#include <algorithm>
#include <set>

#include "ft/host/error.h"
#include "ft/host/files.h"
#include "profile_paths.h"
#include "yaml_fields.h"

namespace ft::assess {

using detail::Fields;

namespace {

bool is_identifier(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void read_identity(const YAML::Node& product, Fields& f, const CatalogSet& set, ProductProfile& out) {
  const std::string p = "product";
  f.check_keys(product, p, {"id", "name", "manufacturer", "model", "version", "instrument_category", "component_type",
                            "core_function", "markets", "sectors", "interfaces", "target_sl"});
  if (auto v = f.string(product, "id", p, true)) {
    if (!is_identifier(v->value)) f.error_line(v->line, "product.id", "use letters, digits, '-', '_' and '.' (at most 64)");
    out.id = v->value;
  }
  if (auto v = f.string(product, "name", p, true)) out.name = v->value;
  if (auto v = f.string(product, "manufacturer", p, true)) out.manufacturer = v->value;
  if (auto v = f.string(product, "model", p, false)) out.model = v->value;
  if (auto v = f.string(product, "version", p, false)) out.version = v->value;
  const VocabularyEntry* category = nullptr;
  if (auto v = f.string(product, "instrument_category", p, true)) {
    out.category = v->value;
    category = set.find_category(v->value);
    if (category == nullptr) {
      std::string known;
      for (const auto& c : set.regimes.categories) known += (known.empty() ? "" : ", ") + c.id;
      f.error_line(v->line, "product.instrument_category", "unknown category \"" + v->value + "\" (known: " + known + ")");
    }
  }
  if (auto v = f.string(product, "component_type", p, false)) {
    if (auto type = parse_component_type(v->value)) {
      out.component_type = *type;
    } else {
      f.error_line(v->line, "product.component_type", "expected SAR, EDR, HDR or NDR");
    }
  } else if (category != nullptr) {
    out.component_type = category->component_type;
  }
  if (auto v = f.string(product, "core_function", p, true)) out.core_function = v->value;

  auto vocabulary_list = [&](std::string_view key, bool required, auto finder, std::vector<std::string>& into,
                             std::string_view what) {
    const auto list = f.string_list(product, key, p, required);
    if (!list) return;
    if (required && list->empty()) f.error(product[std::string(key)], Fields::child(p, key), "must name at least one");
    std::set<std::string> seen;
    for (const auto& entry : *list) {
      if (!seen.insert(entry.value).second) {
        f.error_line(entry.line, Fields::child(p, key), "\"" + entry.value + "\" is listed twice");
        continue;
      }
      if (!finder(entry.value)) {
        f.error_line(entry.line, Fields::child(p, key), "unknown " + std::string(what) + " \"" + entry.value + "\" (see catalogs/regimes.yaml)");
      }
      into.push_back(entry.value);
    }
  };
  vocabulary_list("markets", true, [&](const std::string& id) { return set.find_market(id) != nullptr; }, out.markets, "market");
  vocabulary_list("sectors", false, [&](const std::string& id) { return set.find_sector(id) != nullptr; }, out.sectors, "sector");
  vocabulary_list("interfaces", true, [&](const std::string& id) { return set.find_interface(id) != nullptr; }, out.interfaces, "interface");

  const YAML::Node target = product["target_sl"];
  if (!target.IsDefined() || target.IsNull()) {
    f.error(product, "product.target_sl", "required field is missing (a level 0 to 4, or FR1..FR7 each with a level)");
  } else if (target.IsScalar()) {
    if (auto level = f.integer(product, "target_sl", p, true, 0, 4)) out.target_sl.fill(*level);
  } else if (target.IsMap()) {
    f.check_keys(target, "product.target_sl", {"FR1", "FR2", "FR3", "FR4", "FR5", "FR6", "FR7"});
    for (int fr = 1; fr <= 7; ++fr) {
      if (auto level = f.integer(target, "FR" + std::to_string(fr), "product.target_sl", true, 0, 4)) {
        out.target_sl[static_cast<std::size_t>(fr - 1)] = *level;
      }
    }
  } else {
    f.error(target, "product.target_sl", "expected a level 0 to 4, or a mapping FR1..FR7 to levels");
  }
}

void read_artifacts(const YAML::Node& list, Fields& f, const CatalogSet& set, ProductProfile& out) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!f.expect_seq(list, "artifacts")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = Fields::index("artifacts", i);
    const YAML::Node node = list[i];
    if (!f.expect_map(node, p)) continue;
    f.check_keys(node, p, {"id", "kind", "path", "trust_anchors", "payload", "device_certificate", "public_key", "description"});
    Artifact artifact;
    artifact.line = detail::line_of(node);
    auto id = f.string(node, "id", p, true);
    auto kind = f.string(node, "kind", p, true);
    auto path = f.string(node, "path", p, true);
    if (!id || !kind || !path) continue;
    if (!is_identifier(id->value)) f.error_line(id->line, Fields::child(p, "id"), "use letters, digits, '-', '_' and '.'");
    for (const auto& other : out.artifacts) {
      if (other.id == id->value) f.error_line(id->line, Fields::child(p, "id"), "duplicate artifact ID \"" + id->value + "\"");
    }
    artifact.id = id->value;
    artifact.kind = set.find_evidence_kind(kind->value);
    if (artifact.kind < 0) {
      std::string known;
      for (const auto& k : set.evidence_kinds) known += (known.empty() ? "" : ", ") + k.id;
      f.error_line(kind->line, Fields::child(p, "kind"), "unknown evidence kind \"" + kind->value + "\" (known: " + known + ")");
      continue;
    }
    artifact.path = path->value;
    artifact.resolved_path = detail::resolve_path(out.base_dir, path->value);
    const EvidenceCheck check = set.evidence_kinds[static_cast<std::size_t>(artifact.kind)].check;
    const bool envelope = check == EvidenceCheck::envelope;
    const bool device_log = check == EvidenceCheck::device_log;
    if (auto anchors = f.string_list(node, "trust_anchors", p, false)) {
      if (!anchors->empty() && !envelope && !device_log) {
        f.error(node["trust_anchors"], Fields::child(p, "trust_anchors"), "only firmware envelopes and device logs take trust anchors");
      }
      for (const auto& anchor : *anchors) artifact.trust_anchors.push_back(detail::resolve_path(out.base_dir, anchor.value));
      if (envelope && anchors->empty()) {
        f.error(node, Fields::child(p, "trust_anchors"),
                "a firmware envelope needs at least one trust anchor (root certificate or public key file) to be verified");
      }
    }
    if (auto payload = f.string(node, "payload", p, false)) {
      if (!envelope) f.error_line(payload->line, Fields::child(p, "payload"), "only firmware envelopes take a payload");
      artifact.payload = detail::resolve_path(out.base_dir, payload->value);
    }
    auto certificate = f.string(node, "device_certificate", p, false);
    auto public_key = f.string(node, "public_key", p, false);
    if (certificate) {
      if (!device_log) f.error_line(certificate->line, Fields::child(p, "device_certificate"), "only device logs take a device certificate");
      artifact.device_certificate = detail::resolve_path(out.base_dir, certificate->value);
    }
    if (public_key) {
      if (!device_log) f.error_line(public_key->line, Fields::child(p, "public_key"), "only device logs take a public key");
      artifact.public_key = detail::resolve_path(out.base_dir, public_key->value);
    }
    if (device_log && !public_key && !(certificate && !artifact.trust_anchors.empty())) {
      f.error(node, p, "a device log needs public_key, or device_certificate with trust_anchors, to check its signatures");
    }
    if (auto v = f.string(node, "description", p, false)) artifact.description = v->value;
    out.artifacts.push_back(std::move(artifact));
  }
}

void read_claims(const YAML::Node& list, Fields& f, const CatalogSet& set, ProductProfile& out) {
  out.claim_for_item.assign(set.items.size(), -1);
  if (!list.IsDefined() || list.IsNull()) return;
  if (!f.expect_seq(list, "claims")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = Fields::index("claims", i);
    const YAML::Node node = list[i];
    if (!f.expect_map(node, p)) continue;
    f.check_keys(node, p, {"requirement", "status", "evidence", "note", "rationale"});
    Claim claim;
    claim.line = detail::line_of(node);
    auto requirement = f.string(node, "requirement", p, true);
    auto status = f.string(node, "status", p, true);
    if (!requirement || !status) continue;
    claim.item = set.find_item(requirement->value);
    if (claim.item < 0) {
      f.error_line(requirement->line, Fields::child(p, "requirement"),
                   "unknown requirement \"" + requirement->value +
                       "\" (an ID of IEC 62443-4-2 such as \"CR 1.1 RE1\", or \"catalog:ID\" such as \"eu-cra:II-1\"; "
                       "list them with `fieldtrust catalog show`)");
      continue;
    }
    if (const int previous = out.claim_for_item[static_cast<std::size_t>(claim.item)]; previous >= 0) {
      f.error_line(requirement->line, Fields::child(p, "requirement"),
                   "second claim for " + set.items[static_cast<std::size_t>(claim.item)].ref + " (first at line " +
                       std::to_string(out.claims[static_cast<std::size_t>(previous)].line) + ")");
      continue;
    }
    const Item& item = set.items[static_cast<std::size_t>(claim.item)];
    if ((item.types & type_bit(out.component_type)) == 0) {
      f.warning(node, Fields::child(p, "requirement"),
                item.id + " does not exist for " + std::string(component_type_name(out.component_type)) +
                    " components; the claim is ignored");
    }
    if (auto parsed = parse_claim_status(status->value)) {
      claim.status = *parsed;
    } else {
      f.error_line(status->line, Fields::child(p, "status"), "expected met, partly-met, not-met or not-applicable");
      continue;
    }
    if (auto v = f.string(node, "note", p, false)) claim.note = v->value;
    if (auto v = f.string(node, "rationale", p, false)) claim.rationale = v->value;
    if (claim.status == Status::not_applicable && claim.rationale.empty()) {
      f.error(node, Fields::child(p, "rationale"), "a not-applicable claim needs a rationale");
    }
    if (auto evidence = f.string_list(node, "evidence", p, false)) {
      for (std::size_t k = 0; k < evidence->size(); ++k) {
        const auto& ref = (*evidence)[k];
        int found = -1;
        for (std::size_t a = 0; a < out.artifacts.size(); ++a) {
          if (out.artifacts[a].id == ref.value) found = static_cast<int>(a);
        }
        if (found < 0) {
          f.error_line(ref.line, Fields::index(Fields::child(p, "evidence"), k),
                       "dangling reference: no artifact \"" + ref.value + "\" under artifacts:");
          continue;
        }
        const int kind = out.artifacts[static_cast<std::size_t>(found)].kind;
        if (std::find(item.evidence_kinds.begin(), item.evidence_kinds.end(), kind) == item.evidence_kinds.end()) {
          f.warning(node, Fields::index(Fields::child(p, "evidence"), k),
                    "a " + set.evidence_kinds[static_cast<std::size_t>(kind)].id + " cannot show " + item.id +
                        "; it will not count");
        }
        claim.evidence.push_back(found);
      }
    }
    out.claims.push_back(std::move(claim));
    out.claim_for_item[static_cast<std::size_t>(out.claims.back().item)] = static_cast<int>(out.claims.size() - 1);
  }
}

}  // namespace

ProductProfile parse_product_profile(const std::string& text, const std::string& file, const std::string& base_dir,
                                     const CatalogSet& set, Diagnostics& diags) {
  ProductProfile out;
  out.file = file;
  out.base_dir = base_dir;
  out.claim_for_item.assign(set.items.size(), -1);
  auto root = detail::parse_yaml_text(text, file, diags);
  if (!root) return out;
  Fields f(file, diags);
  if (!f.expect_map(*root, "(top level)")) return out;
  f.check_keys(*root, "", {"schema", "product", "sdl", "artifacts", "claims"});
  if (auto schema = f.string(*root, "schema", "", true); schema && schema->value != kProductProfileSchema) {
    f.error_line(schema->line, "schema", "expected \"" + std::string(kProductProfileSchema) + "\", got \"" + schema->value + "\"");
  }
  const YAML::Node product = (*root)["product"];
  if (!product.IsDefined()) {
    f.error(*root, "product", "required field is missing");
  } else if (f.expect_map(product, "product")) {
    read_identity(product, f, set, out);
  }
  if (const YAML::Node sdl = (*root)["sdl"]; sdl.IsDefined() && f.expect_map(sdl, "sdl")) {
    f.check_keys(sdl, "sdl", {"profile", "target_maturity"});
    if (auto v = f.string(sdl, "profile", "sdl", true)) out.sdl_profile = detail::resolve_path(base_dir, v->value);
    if (auto v = f.integer(sdl, "target_maturity", "sdl", false, 1, 4)) out.sdl_target_maturity = *v;
  }
  read_artifacts((*root)["artifacts"], f, set, out);
  read_claims((*root)["claims"], f, set, out);
  return out;
}

ProductProfile load_product_profile(const std::string& path, const CatalogSet& set, std::vector<Diagnostic>* warnings) {
  const std::string text = host::read_text_file(path, 16u << 20);
  Diagnostics diags;
  ProductProfile profile = parse_product_profile(text, path, detail::directory_of(path), set, diags);
  diags.throw_if_errors("product profile " + path + " is invalid");
  if (warnings != nullptr) *warnings = diags.all();
  return profile;
}

}  // namespace ft::assess
