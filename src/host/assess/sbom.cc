#include "ft/assess/sbom.h"

#include <nlohmann/json.hpp>

namespace ft::assess {

SbomCheck check_cyclonedx_json(std::string_view text) {
  SbomCheck out;
  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    out.problem = "not valid JSON";
    return out;
  }
  if (!doc.is_object()) {
    out.problem = "top level is not a JSON object";
    return out;
  }
  const auto format = doc.find("bomFormat");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != "CycloneDX") {
    out.problem = "bomFormat is not \"CycloneDX\"";
    return out;
  }
  const auto spec = doc.find("specVersion");
  if (spec == doc.end() || !spec->is_string()) {
    out.problem = "specVersion is missing";
    return out;
  }
  out.spec_version = spec->get<std::string>();
  static const char* const kSupported[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};
  bool supported = false;
  for (const char* version : kSupported) supported = supported || out.spec_version == version;
  if (!supported) {
    out.problem = "specVersion \"" + out.spec_version + "\" is not one of 1.2 to 1.6";
    return out;
  }
  if (const auto metadata = doc.find("metadata"); metadata != doc.end() && metadata->is_object()) {
    if (const auto component = metadata->find("component"); component != metadata->end() && component->is_object()) {
      out.subject = component->value("name", std::string());
      const std::string version = component->value("version", std::string());
      if (!version.empty()) out.subject += " " + version;
    }
  }
  const auto components = doc.find("components");
  if (components == doc.end() || !components->is_array()) {
    out.problem = "components is missing; an SBOM must list at least the top-level dependencies";
    return out;
  }
  if (components->empty()) {
    out.problem = "components is empty; an SBOM must list at least the top-level dependencies";
    return out;
  }
  for (std::size_t i = 0; i < components->size(); ++i) {
    const auto& component = (*components)[i];
    const std::string where = "components[" + std::to_string(i) + "]";
    if (!component.is_object()) {
      out.problem = where + " is not an object";
      return out;
    }
    const auto type = component.find("type");
    if (type == component.end() || !type->is_string()) {
      out.problem = where + ".type is missing";
      return out;
    }
    const auto name = component.find("name");
    if (name == component.end() || !name->is_string() || name->get<std::string>().empty()) {
      out.problem = where + ".name is missing or empty";
      return out;
    }
    if (const auto version = component.find("version"); version != component.end() && version->is_string()) ++out.with_version;
    if (const auto purl = component.find("purl"); purl != component.end() && purl->is_string()) ++out.with_purl;
  }
  out.components = components->size();
  out.ok = true;
  return out;
}

}  // namespace ft::assess
