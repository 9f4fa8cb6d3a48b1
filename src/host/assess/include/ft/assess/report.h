// ft/assess/report.h — rendering assessments and SDL gap reports for programs (JSON), for people
// in a terminal (text), in documents (Markdown) and in a browser (one self-contained HTML page
// with SVG charts: SL-C against SL-T per FR, requirement status by FR, SDL stage maturity).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ft/assess/engine.h"
#include "ft/assess/sdl_gap.h"

namespace ft::assess {

inline constexpr std::string_view kAssessmentSchema = "fieldtrust/assessment/1";
inline constexpr std::string_view kSdlGapSchema = "fieldtrust/sdl-gap/1";

// assessment_to_json returns the full assessment: every item with verdict, reason and evidence,
// SL vectors, artifacts, regimes and ordered gaps.
nlohmann::json assessment_to_json(const Assessment& assessment);
// assessment_to_text returns a short terminal summary (SL vector, counts, first gaps, regimes).
std::string assessment_to_text(const Assessment& assessment, std::size_t max_gaps = 15);
std::string assessment_to_markdown(const Assessment& assessment);
std::string assessment_to_html(const Assessment& assessment);

nlohmann::json sdl_gap_to_json(const SdlGapReport& report);
std::string sdl_gap_to_text(const SdlGapReport& report);
std::string sdl_gap_to_markdown(const SdlGapReport& report);
std::string sdl_gap_to_html(const SdlGapReport& report);

}  // namespace ft::assess
