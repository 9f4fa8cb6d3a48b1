// report_format.h — helpers shared by the text, Markdown and HTML renderers (private).
#pragma once

#include <string>

#include "ft/assess/engine.h"

namespace ft::assess::detail {

// due_text returns "2027-12-11 (in 380 days)" or "2026-06 (passed 12 days ago)".
inline std::string due_text(const MilestoneState& state) {
  const std::string date = state.milestone->date.to_string();
  if (state.days_left > 0) return date + " (in " + std::to_string(state.days_left) + " days)";
  if (state.days_left == 0) return date + " (today)";
  return date + " (passed " + std::to_string(-state.days_left) + " days ago)";
}

// blocks_text summarises what a gap blocks: "SL 2 in FR3; eu-cra [EU] by 2027-12-11 (...)".
inline std::string blocks_text(const Assessment& a, const Gap& gap) {
  std::string out;
  if (gap.fr > 0) out = "SL " + std::to_string(gap.blocks_sl) + " in FR" + std::to_string(gap.fr);
  for (const Block& block : gap.blocks) {
    if (!out.empty()) out += "; ";
    out += a.set->regimes.regimes[static_cast<std::size_t>(block.regime)].id + " [";
    for (std::size_t m = 0; m < block.markets.size(); ++m) out += (m ? "," : "") + block.markets[m];
    out += "]";
    if (!block.need.empty()) out += " " + block.need;
    if (block.due) out += " by " + due_text(*block.due);
    if (block.via >= 0) out += " via " + a.set->items[static_cast<std::size_t>(block.via)].ref;
  }
  return out.empty() ? "-" : out;
}

// fr_label returns "FR3 SI".
inline std::string fr_label(const CatalogSet& set, int fr) {
  std::string label = "FR" + std::to_string(fr);
  const int component = set.component_catalog();
  if (component >= 0) {
    for (const auto& group : set.catalogs[static_cast<std::size_t>(component)].groups) {
      if (group.id == label && !group.abbrev.empty()) return label + " " + group.abbrev;
    }
  }
  return label;
}

}  // namespace ft::assess::detail
