// ft/assess/catalog_load.h — reading catalogs/ into a CatalogSet, and checking it.
#pragma once

#include <string>

#include "ft/assess/catalog.h"
#include "ft/assess/diagnostics.h"

namespace ft::assess {

// load_catalogs reads every *.yaml in dir and in dir/crosswalks, resolves all references and
// returns the set. Every problem (syntax, unknown or duplicate field, duplicate ID, SL outside 1
// to 4, a reference that points nowhere) is recorded in diags with file, line and field; the set
// is usable only when diags has no errors. Never throws for bad content; throws host::UserError
// when dir cannot be listed.
CatalogSet load_catalogs(const std::string& dir, Diagnostics& diags);

// load_catalogs_or_throw is load_catalogs that throws host::UserError (exit code kExitInput)
// listing the errors, when there is any.
CatalogSet load_catalogs_or_throw(const std::string& dir);

// replace_sdl_stages loads a user's stage list (same shape as catalogs/sdl-stages.yaml) from path
// into set, replacing the shipped one. Problems go to diags; set is unchanged on error.
void replace_sdl_stages(CatalogSet& set, const std::string& path, Diagnostics& diags);

// check_catalogs adds the whole-set checks that go beyond single references: every 62443-4-1
// requirement belongs to an SDL stage, the catalogues the engine needs are present, crosswalks do
// not repeat a pair, every requirement names at least one evidence kind.
void check_catalogs(const CatalogSet& set, Diagnostics& diags);

// default_catalog_dir returns where catalogues are looked for when no --catalogs is given:
// $FIELDTRUST_CATALOGS if set, else <prefix>/share/fieldtrust/catalogs next to the running
// executable if it exists, else the source tree's catalogs/ this binary was built from.
std::string default_catalog_dir();

}  // namespace ft::assess
