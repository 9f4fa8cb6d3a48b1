// ft/assess/sbom.h — checking that a file is a usable CycloneDX JSON SBOM.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ft::assess {

// SbomCheck — the verdict on one SBOM. ok is false with problem set when the document is not a
// CycloneDX JSON BOM, has an unsupported specVersion, or lists no components.
struct SbomCheck {
  bool ok = false;
  std::string problem;
  std::string spec_version;
  std::string subject;            // metadata.component "name version", when given
  std::size_t components = 0;
  std::size_t with_version = 0;   // components that state a version
  std::size_t with_purl = 0;      // components with a package URL
};

// check_cyclonedx_json parses text as CycloneDX JSON (specVersion 1.2 to 1.6): bomFormat must be
// "CycloneDX", components a non-empty list of objects each with a string type and a non-empty
// name. Never throws.
SbomCheck check_cyclonedx_json(std::string_view text);

}  // namespace ft::assess
