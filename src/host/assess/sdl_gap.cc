#include "ft/assess/sdl_gap.h"

#include <sys/stat.h>

#include <algorithm>

namespace ft::assess {

namespace {

bool non_empty_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

std::string step_advice(int from, int to) {
  std::string advice;
  if (from < 1 && to >= 1) advice = "start practising it";
  if (from < 2 && to >= 2) advice += std::string(advice.empty() ? "" : ", ") + "document the practice and who owns it";
  if (from < 3 && to >= 3) advice += std::string(advice.empty() ? "" : ", ") + "follow it on every release and keep records that show it";
  if (from < 4 && to >= 4) advice += std::string(advice.empty() ? "" : ", ") + "measure it and improve it from the measurements";
  return advice;
}

}  // namespace

SdlGapReport sdl_gap(const CatalogSet& set, const SdlFramework& framework, const SdlProfile& profile, int target) {
  SdlGapReport report;
  report.set = &set;
  report.framework = &framework;
  report.profile = &profile;
  report.target = target;
  report.requirement_for_item.assign(set.items.size(), -1);
  const int process = framework.process_catalog >= 0 ? framework.process_catalog : set.process_catalog();
  if (process < 0) return report;
  for (const int item : set.catalogs[static_cast<std::size_t>(process)].items) {
    SdlRequirementResult result;
    result.item = item;
    for (std::size_t s = 0; s < framework.stages.size(); ++s) {
      const auto& reqs = framework.stages[s].requirements;
      if (std::find(reqs.begin(), reqs.end(), item) != reqs.end()) result.stages.push_back(static_cast<int>(s));
    }
    const int entry_index = static_cast<std::size_t>(item) < profile.entry_for_item.size()
                                ? profile.entry_for_item[static_cast<std::size_t>(item)]
                                : -1;
    if (entry_index < 0) {
      result.problems.push_back("not in the SDL profile; counted as not practised (ML0)");
    } else {
      const SdlEntry& entry = profile.entries[static_cast<std::size_t>(entry_index)];
      result.claimed = entry.maturity;
      result.effective = entry.maturity;
      bool evidence_missing = false;
      for (std::size_t e = 0; e < entry.evidence.size(); ++e) {
        if (non_empty_file(entry.evidence[e])) {
          result.evidence_present.push_back(entry.evidence_as_written[e]);
        } else {
          result.problems.push_back("evidence file missing or empty: " + entry.evidence_as_written[e]);
          evidence_missing = true;
        }
      }
      // ML2 and above mean "documented"; a claim that cannot show its documents counts as ML1.
      if (entry.maturity >= 2 && entry.evidence.empty()) {
        result.problems.push_back("ML" + std::to_string(entry.maturity) + " claimed without evidence; counted as ML1");
        result.effective = 1;
      } else if (entry.maturity >= 2 && evidence_missing) {
        result.problems.push_back("ML" + std::to_string(entry.maturity) + " claimed but evidence is missing; counted as ML1");
        result.effective = 1;
      }
    }
    report.requirement_for_item[static_cast<std::size_t>(item)] = static_cast<int>(report.requirements.size());
    report.requirements.push_back(std::move(result));
  }
  for (std::size_t s = 0; s < framework.stages.size(); ++s) {
    SdlStageResult stage;
    stage.stage = static_cast<int>(s);
    stage.maturity = 4;
    for (const int item : framework.stages[s].requirements) {
      const int r = report.requirement_for_item[static_cast<std::size_t>(item)];
      if (r < 0) continue;
      const auto& result = report.requirements[static_cast<std::size_t>(r)];
      stage.maturity = std::min(stage.maturity, result.effective);
      if (result.effective < target) ++stage.gaps;
    }
    if (framework.stages[s].requirements.empty()) stage.maturity = 0;
    report.stages.push_back(stage);
  }
  // Gaps in stage order, so the list reads as the lifecycle does; a requirement in several stages
  // is listed once, under its first stage.
  std::vector<bool> listed(set.items.size(), false);
  auto add_gap = [&](const SdlRequirementResult& result) {
    if (result.effective >= target || listed[static_cast<std::size_t>(result.item)]) return;
    listed[static_cast<std::size_t>(result.item)] = true;
    SdlGap gap;
    gap.item = result.item;
    gap.effective = result.effective;
    gap.target = target;
    gap.stages = result.stages;
    gap.effort = set.items[static_cast<std::size_t>(result.item)].effort;
    gap.hint = "ML" + std::to_string(result.effective) + " -> ML" + std::to_string(target) + ": " +
               step_advice(result.effective, target);
    if (result.claimed > result.effective) gap.hint += " (claimed ML" + std::to_string(result.claimed) + ": provide the evidence files)";
    report.gaps.push_back(std::move(gap));
  };
  for (const auto& stage : framework.stages) {
    for (const int item : stage.requirements) {
      const int r = report.requirement_for_item[static_cast<std::size_t>(item)];
      if (r >= 0) add_gap(report.requirements[static_cast<std::size_t>(r)]);
    }
  }
  for (const auto& result : report.requirements) add_gap(result);
  return report;
}

}  // namespace ft::assess
