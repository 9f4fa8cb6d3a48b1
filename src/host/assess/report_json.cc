#include <fmt/format.h>

#include "ft/assess/report.h"

namespace ft::assess {

using nlohmann::json;

namespace {

json milestone_json(const MilestoneState& state) {
  return {{"id", state.milestone->id},
          {"title", state.milestone->title},
          {"date", state.milestone->date.to_string()},
          {"days_left", state.days_left},
          {"passed", state.days_left < 0},
          {"confidence", confidence_name(state.milestone->confidence)}};
}

json refs(const CatalogSet& set, const std::vector<int>& items) {
  json out = json::array();
  for (const int item : items) out.push_back(set.items[static_cast<std::size_t>(item)].ref);
  return out;
}

}  // namespace

json assessment_to_json(const Assessment& a) {
  const CatalogSet& set = *a.set;
  const ProductProfile& p = *a.product;
  json out;
  out["schema"] = kAssessmentSchema;
  out["date"] = a.date.to_string();
  out["product"] = {{"id", p.id},
                    {"name", p.name},
                    {"manufacturer", p.manufacturer},
                    {"model", p.model},
                    {"version", p.version},
                    {"instrument_category", p.category},
                    {"component_type", component_type_name(p.component_type)},
                    {"core_function", p.core_function},
                    {"markets", p.markets},
                    {"sectors", p.sectors},
                    {"interfaces", p.interfaces},
                    {"profile", p.file}};
  json levels = json::object();
  for (std::size_t fr = 0; fr < 7; ++fr) {
    levels["FR" + std::to_string(fr + 1)] = {{"target", a.sl_t[fr]}, {"achieved", a.sl_c[fr]}};
  }
  out["security_levels"] = levels;
  out["sl_t"] = a.sl_t;
  out["sl_c"] = a.sl_c;
  out["cra_class"] = {{"id", a.cra.id}, {"title", a.cra.title}, {"conformity", a.cra.conformity},
                      {"matched_category", a.cra.matched_category}};

  json counts = {{"met", 0}, {"partly_met", 0}, {"not_met", 0}, {"not_applicable", 0}};
  json requirements = json::array();
  for (std::size_t i = 0; i < set.items.size(); ++i) {
    const Item& item = set.items[i];
    const ItemResult& r = a.items[i];
    const std::string& catalog = set.catalogs[static_cast<std::size_t>(item.catalog)].id;
    if (item.catalog == set.component_catalog() && r.applicable) counts[std::string(status_name(r.status))] = counts[std::string(status_name(r.status))].get<int>() + 1;
    json entry = {{"ref", item.ref},
                  {"catalog", catalog},
                  {"id", item.id},
                  {"title", item.title},
                  {"kind", item.kind == ItemKind::enhancement ? "enhancement"
                           : item.kind == ItemKind::constraint ? "constraint"
                                                               : "requirement"},
                  {"status", status_name(r.status)},
                  {"applicable", r.applicable},
                  {"reason", r.reason}};
    if (item.fr > 0) entry["fr"] = "FR" + std::to_string(item.fr);
    if (item.sl > 0) {
      entry["sl"] = item.sl;
      entry["confidence"] = confidence_name(item.confidence);
    }
    if (r.claimed) entry["claimed_status"] = status_name(r.claimed_status);
    json evidence = json::array();
    for (const int artifact : r.evidence) evidence.push_back(p.artifacts[static_cast<std::size_t>(artifact)].id);
    entry["evidence"] = evidence;
    if (!r.derived_from.empty()) entry["derived_from"] = refs(set, r.derived_from);
    if (!r.problems.empty()) entry["problems"] = r.problems;
    requirements.push_back(std::move(entry));
  }
  out["summary"] = {{"component_requirements", counts},
                    {"gaps", a.gaps.size()},
                    {"gaps_against_target", a.gaps_against_target()},
                    {"meets_target", a.gaps_against_target() == 0}};

  json artifacts = json::array();
  for (std::size_t i = 0; i < p.artifacts.size(); ++i) {
    const Artifact& artifact = p.artifacts[i];
    artifacts.push_back({{"id", artifact.id},
                         {"kind", set.evidence_kinds[static_cast<std::size_t>(artifact.kind)].id},
                         {"path", artifact.path},
                         {"verdict", verdict_name(a.artifacts[i].verdict)},
                         {"counts_as_evidence", counts_as_evidence(a.artifacts[i].verdict)},
                         {"detail", a.artifacts[i].detail}});
  }
  out["artifacts"] = artifacts;

  json regimes = json::array();
  for (const RegimeResult& result : a.regimes) {
    const Regime& regime = set.regimes.regimes[static_cast<std::size_t>(result.applicability.regime)];
    json entry = {{"id", regime.id},
                  {"title", regime.title},
                  {"kind", regime.kind},
                  {"binding", regime.binding},
                  {"confidence", confidence_name(regime.confidence)},
                  {"markets", result.applicability.markets},
                  {"why", result.applicability.why},
                  {"note", regime.note},
                  {"required", result.required.size()},
                  {"unmet", refs(set, result.unmet)}};
    json milestones = json::array();
    for (const auto& state : result.applicability.milestones) milestones.push_back(milestone_json(state));
    entry["milestones"] = milestones;
    if (result.applicability.due) entry["due"] = milestone_json(*result.applicability.due);
    if (result.applicability.cra) {
      entry["conformity"] = {{"class", result.applicability.cra->id}, {"route", result.applicability.cra->conformity}};
    }
    if (result.sdl_maturity > 0) {
      entry["sdl_maturity"] = result.sdl_maturity;
      entry["sdl_unmet"] = refs(set, result.sdl_unmet);
      entry["sdl_profile_missing"] = result.sdl_profile_missing;
    }
    entry["satisfied"] = result.unmet.empty() && result.sdl_unmet.empty();
    regimes.push_back(std::move(entry));
  }
  out["regimes"] = regimes;

  json gaps = json::array();
  for (const Gap& gap : a.gaps) {
    const Item& item = set.items[static_cast<std::size_t>(gap.item)];
    json entry = {{"ref", item.ref},
                  {"id", item.id},
                  {"title", item.title},
                  {"status", status_name(gap.status)},
                  {"effort", effort_name(gap.effort)},
                  {"hint", gap.hint}};
    if (gap.fr > 0) {
      entry["fr"] = "FR" + std::to_string(gap.fr);
      entry["blocks_sl"] = gap.blocks_sl;
      entry["sl_c_now"] = a.sl_c[static_cast<std::size_t>(gap.fr - 1)];
    }
    json blocks = json::array();
    for (const Block& block : gap.blocks) {
      json b = {{"regime", set.regimes.regimes[static_cast<std::size_t>(block.regime)].id}, {"markets", block.markets}};
      if (block.due) {
        b["due"] = block.due->milestone->date.to_string();
        b["days_left"] = block.due->days_left;
        b["milestone"] = block.due->milestone->title;
      }
      if (block.via >= 0) b["via"] = set.items[static_cast<std::size_t>(block.via)].ref;
      if (!block.need.empty()) b["need"] = block.need;
      blocks.push_back(std::move(b));
    }
    entry["blocks"] = blocks;
    gaps.push_back(std::move(entry));
  }
  out["gaps"] = gaps;
  out["requirements"] = requirements;
  if (a.sdl) out["sdl"] = sdl_gap_to_json(*a.sdl);
  return out;
}

json sdl_gap_to_json(const SdlGapReport& report) {
  const CatalogSet& set = *report.set;
  json out;
  out["schema"] = kSdlGapSchema;
  out["framework"] = {{"id", report.framework->id}, {"title", report.framework->title},
                      {"confidence", confidence_name(report.framework->confidence)}};
  out["organisation"] = report.profile->organisation;
  out["scope"] = report.profile->scope;
  out["target_maturity"] = report.target;
  json stages = json::array();
  for (const auto& stage : report.stages) {
    const SdlStage& s = report.framework->stages[static_cast<std::size_t>(stage.stage)];
    json requirements = json::array();
    for (const int item : s.requirements) requirements.push_back(set.items[static_cast<std::size_t>(item)].id);
    stages.push_back({{"id", s.id}, {"title", s.title}, {"maturity", stage.maturity}, {"gaps", stage.gaps},
                      {"requirements", requirements}});
  }
  out["stages"] = stages;
  json requirements = json::array();
  for (const auto& r : report.requirements) {
    const Item& item = set.items[static_cast<std::size_t>(r.item)];
    json stage_ids = json::array();
    for (const int s : r.stages) stage_ids.push_back(report.framework->stages[static_cast<std::size_t>(s)].id);
    json entry = {{"id", item.id},
                  {"title", item.title},
                  {"practice", set.catalogs[static_cast<std::size_t>(item.catalog)].groups[static_cast<std::size_t>(item.group)].id},
                  {"claimed", r.claimed},
                  {"effective", r.effective},
                  {"meets_target", r.effective >= report.target},
                  {"stages", stage_ids},
                  {"evidence", r.evidence_present}};
    if (!r.problems.empty()) entry["problems"] = r.problems;
    requirements.push_back(std::move(entry));
  }
  out["requirements"] = requirements;
  json gaps = json::array();
  for (const auto& gap : report.gaps) {
    json stage_ids = json::array();
    for (const int s : gap.stages) stage_ids.push_back(report.framework->stages[static_cast<std::size_t>(s)].id);
    gaps.push_back({{"id", set.items[static_cast<std::size_t>(gap.item)].id},
                    {"title", set.items[static_cast<std::size_t>(gap.item)].title},
                    {"effective", gap.effective},
                    {"target", gap.target},
                    {"stages", stage_ids},
                    {"effort", effort_name(gap.effort)},
                    {"hint", gap.hint}});
  }
  out["gaps"] = gaps;
  out["summary"] = {{"requirements", report.requirements.size()}, {"gaps", report.gaps.size()},
                    {"meets_target", report.gaps.empty()}};
  return out;
}

}  // namespace ft::assess
