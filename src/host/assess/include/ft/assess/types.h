// ft/assess/types.h — small closed vocabularies shared by catalogues, profiles and the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ft::assess {

// ComponentType — IEC 62443-4-2 component types, as bits so an item can name several.
enum class ComponentType : std::uint8_t { sar = 1, edr = 2, hdr = 4, ndr = 8 };
using TypeMask = std::uint8_t;
inline constexpr TypeMask kAllTypes = 0x0f;

inline constexpr TypeMask type_bit(ComponentType type) { return static_cast<TypeMask>(type); }

// component_type_name returns "SAR", "EDR", "HDR" or "NDR".
std::string_view component_type_name(ComponentType type);

// parse_component_type returns the type for "SAR"/"EDR"/"HDR"/"NDR" (exact case), nullopt otherwise.
std::optional<ComponentType> parse_component_type(std::string_view name);

// Confidence — how sure the catalogue is about a value: high (two or more public sources agree),
// medium (one source, not contradicted), low (sources conflict or are thin).
enum class Confidence : std::uint8_t { high, medium, low };
std::string_view confidence_name(Confidence confidence);
std::optional<Confidence> parse_confidence(std::string_view name);

// Effort — a rough hint of the work to close a gap.
enum class Effort : std::uint8_t { small, medium, large };
std::string_view effort_name(Effort effort);
std::optional<Effort> parse_effort(std::string_view name);

// Status — the verdict on one requirement. Ordered so that a larger value is a better outcome
// among the first three; not_applicable stands apart.
enum class Status : std::uint8_t { not_met, partly_met, met, not_applicable };
std::string_view status_name(Status status);        // "not_met", "partly_met", "met", "not_applicable"
std::string_view status_label(Status status);       // "not met", "partly met", "met", "not applicable"
// parse_claim_status accepts the profile spellings "met", "partly-met", "not-met", "not-applicable".
std::optional<Status> parse_claim_status(std::string_view name);

// Relation — crosswalk relationship of a source item to a target item, as sets of outcomes.
enum class Relation : std::uint8_t { equal, subset, superset, intersect };
std::string_view relation_name(Relation relation);
std::optional<Relation> parse_relation(std::string_view name);

}  // namespace ft::assess
