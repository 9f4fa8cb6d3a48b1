#include "ft/assess/types.h"

namespace ft::assess {

std::string_view component_type_name(ComponentType type) {
  switch (type) {
    case ComponentType::sar: return "SAR";
    case ComponentType::edr: return "EDR";
    case ComponentType::hdr: return "HDR";
    case ComponentType::ndr: return "NDR";
  }
  return "?";
}

std::optional<ComponentType> parse_component_type(std::string_view name) {
  if (name == "SAR") return ComponentType::sar;
  if (name == "EDR") return ComponentType::edr;
  if (name == "HDR") return ComponentType::hdr;
  if (name == "NDR") return ComponentType::ndr;
  return std::nullopt;
}

std::string_view confidence_name(Confidence confidence) {
  switch (confidence) {
    case Confidence::high: return "high";
    case Confidence::medium: return "medium";
    case Confidence::low: return "low";
  }
  return "?";
}

std::optional<Confidence> parse_confidence(std::string_view name) {
  if (name == "high") return Confidence::high;
  if (name == "medium") return Confidence::medium;
  if (name == "low") return Confidence::low;
  return std::nullopt;
}

std::string_view effort_name(Effort effort) {
  switch (effort) {
    case Effort::small: return "small";
    case Effort::medium: return "medium";
    case Effort::large: return "large";
  }
  return "?";
}

std::optional<Effort> parse_effort(std::string_view name) {
  if (name == "small") return Effort::small;
  if (name == "medium") return Effort::medium;
  if (name == "large") return Effort::large;
  return std::nullopt;
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::not_met: return "not_met";
    case Status::partly_met: return "partly_met";
    case Status::met: return "met";
    case Status::not_applicable: return "not_applicable";
  }
  return "?";
}

std::string_view status_label(Status status) {
  switch (status) {
    case Status::not_met: return "not met";
    case Status::partly_met: return "partly met";
    case Status::met: return "met";
    case Status::not_applicable: return "not applicable";
  }
  return "?";
}

std::optional<Status> parse_claim_status(std::string_view name) {
  if (name == "met") return Status::met;
  if (name == "partly-met") return Status::partly_met;
  if (name == "not-met") return Status::not_met;
  if (name == "not-applicable") return Status::not_applicable;
  return std::nullopt;
}

std::string_view relation_name(Relation relation) {
  switch (relation) {
    case Relation::equal: return "equal";
    case Relation::subset: return "subset";
    case Relation::superset: return "superset";
    case Relation::intersect: return "intersect";
  }
  return "?";
}

std::optional<Relation> parse_relation(std::string_view name) {
  if (name == "equal") return Relation::equal;
  if (name == "subset") return Relation::subset;
  if (name == "superset") return Relation::superset;
  if (name == "intersect") return Relation::intersect;
  return std::nullopt;
}

}  // namespace ft::assess
