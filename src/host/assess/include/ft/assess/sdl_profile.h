// ft/assess/sdl_profile.h — the SDL profile: per IEC 62443-4-1 requirement, the maturity level the
// organisation reached and the files that show it. Format: schemas/sdl-profile.schema.json.
#pragma once

#include <string>
#include <vector>

#include "ft/assess/catalog.h"
#include "ft/assess/diagnostics.h"

namespace ft::assess {

inline constexpr std::string_view kSdlProfileSchema = "fieldtrust/sdl-profile/1";

struct SdlEntry {
  int item = -1;                       // 62443-4-1 requirement (index into CatalogSet::items)
  int maturity = 0;                    // claimed level 0..4 (0: not practised)
  std::vector<std::string> evidence;   // resolved paths
  std::vector<std::string> evidence_as_written;
  std::string note;
  int line = 0;
};

struct SdlProfile {
  std::string file;
  std::string base_dir;
  std::string organisation;
  std::string scope;
  int target_maturity = 3;
  std::string stages_file;             // resolved; empty: the catalogue's stage list
  std::vector<SdlEntry> entries;
  std::vector<int> entry_for_item;     // per CatalogSet item: index into entries, or -1
};

// parse_sdl_profile reads a profile from text; see parse_product_profile for the conventions.
SdlProfile parse_sdl_profile(const std::string& text, const std::string& file, const std::string& base_dir,
                             const CatalogSet& set, Diagnostics& diags);

// load_sdl_profile reads path; throws host::UserError (kExitInput) listing the errors.
SdlProfile load_sdl_profile(const std::string& path, const CatalogSet& set, std::vector<Diagnostic>* warnings = nullptr);

}  // namespace ft::assess
