// ft/assess/product_profile.h — the product profile: what a product is, where it is sold, the
// security level it targets, the evidence artifacts it has and what it claims per requirement.
// Format: schemas/product-profile.schema.json, documented in docs/assess.md.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/diagnostics.h"
#include "ft/assess/types.h"

namespace ft::assess {

inline constexpr std::string_view kProductProfileSchema = "fieldtrust/product-profile/1";

// Artifact — one evidence file the product declares once and claims refer to by id.
struct Artifact {
  std::string id;
  int kind = -1;                 // index into CatalogSet::evidence_kinds
  std::string path;              // as written in the profile
  std::string resolved_path;     // relative to the profile's directory
  std::vector<std::string> trust_anchors;  // envelopes and device logs: anchor files, resolved
  std::string payload;           // envelopes: detached payload, resolved; empty if integrated
  std::string device_certificate;  // device logs: identity certificate chain (PEM), resolved
  std::string public_key;          // device logs: raw public key (PEM), resolved
  std::string description;
  int line = 0;
};

// Claim — the maker's statement about one requirement.
struct Claim {
  int item = -1;                 // index into CatalogSet::items
  Status status = Status::not_met;
  std::vector<int> evidence;     // indices into ProductProfile::artifacts
  std::string note;
  std::string rationale;         // required for not-applicable
  int line = 0;
};

struct ProductProfile {
  std::string file;
  std::string base_dir;
  std::string id;
  std::string name;
  std::string manufacturer;
  std::string model;
  std::string version;
  std::string category;
  ComponentType component_type = ComponentType::edr;
  std::string core_function;
  std::vector<std::string> markets;
  std::vector<std::string> sectors;
  std::vector<std::string> interfaces;
  std::array<int, 7> target_sl{};  // SL-T per FR1..FR7, 0..4
  std::string sdl_profile;         // resolved path, empty when none
  int sdl_target_maturity = 0;     // 0: take the SDL profile's own target
  std::vector<Artifact> artifacts;
  std::vector<Claim> claims;
  std::vector<int> claim_for_item;  // per CatalogSet item: index into claims, or -1
};

// parse_product_profile reads a profile from text. file names it in diagnostics and base_dir
// resolves relative paths. IDs, vocabulary and evidence references are checked against set.
// Problems go to diags (file:line: field: problem); the result is meaningful only without errors.
ProductProfile parse_product_profile(const std::string& text, const std::string& file, const std::string& base_dir,
                                     const CatalogSet& set, Diagnostics& diags);

// load_product_profile reads path and parses it. Throws host::UserError (kExitInput) listing the
// errors when the file is unreadable or invalid; warnings are returned in warnings.
ProductProfile load_product_profile(const std::string& path, const CatalogSet& set,
                                    std::vector<Diagnostic>* warnings = nullptr);

}  // namespace ft::assess
