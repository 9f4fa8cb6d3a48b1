#include "ft/assess/engine.h"

#include <algorithm>
#include <climits>

namespace ft::assess {

std::size_t Assessment::gaps_against_target() const {
  return static_cast<std::size_t>(std::count_if(gaps.begin(), gaps.end(), [](const Gap& g) { return g.fr > 0; }));
}

namespace {

bool done(Status status) { return status == Status::met || status == Status::not_applicable; }

std::string artifact_label(const ProductProfile& product, int artifact) {
  const Artifact& a = product.artifacts[static_cast<std::size_t>(artifact)];
  return a.id + " (" + a.path + ")";
}

std::string list_kinds(const CatalogSet& set, const std::vector<int>& kinds) {
  std::string out;
  for (const int kind : kinds) out += (out.empty() ? "" : ", ") + set.evidence_kinds[static_cast<std::size_t>(kind)].id;
  return out;
}

void add_unique(std::vector<int>& list, int value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

class Engine {
 public:
  Engine(const CatalogSet& set, const ProductProfile& product, EvidenceChecker& evidence, const AssessOptions& options,
         Assessment& out)
      : set_(set), product_(product), evidence_(evidence), options_(options), out_(out) {}

  void run() {
    out_.set = &set_;
    out_.product = &product_;
    out_.date = options_.date;
    out_.sl_t = product_.target_sl;
    out_.items.assign(set_.items.size(), {});
    check_artifacts();
    run_sdl();
    for (std::size_t i = 0; i < set_.items.size(); ++i) evaluate(static_cast<int>(i));
    propagate();
    compute_sl_c();
    evaluate_regimes();
    collect_gaps();
  }

 private:
  void check_artifacts() {
    out_.artifacts.reserve(product_.artifacts.size());
    auto_evidence_.assign(set_.items.size(), {});
    for (std::size_t a = 0; a < product_.artifacts.size(); ++a) {
      const Artifact& artifact = product_.artifacts[a];
      out_.artifacts.push_back(evidence_.check(artifact));
      for (const int item : set_.evidence_kinds[static_cast<std::size_t>(artifact.kind)].proves) {
        auto_evidence_[static_cast<std::size_t>(item)].push_back(static_cast<int>(a));
      }
    }
  }

  void run_sdl() {
    if (options_.sdl == nullptr) return;
    int target = options_.sdl_target;
    if (target == 0) target = product_.sdl_target_maturity;
    if (target == 0) target = options_.sdl->target_maturity;
    const SdlFramework& framework = options_.stages != nullptr ? *options_.stages : set_.sdl;
    out_.sdl = sdl_gap(set_, framework, *options_.sdl, target);
  }

  bool usable(int artifact) const { return counts_as_evidence(out_.artifacts[static_cast<std::size_t>(artifact)].verdict); }

  std::string outcome_text(int artifact) const {
    const VerifyOutcome& outcome = out_.artifacts[static_cast<std::size_t>(artifact)];
    return artifact_label(product_, artifact) + ": " + std::string(verdict_name(outcome.verdict)) + ": " + outcome.detail;
  }

  void evaluate(int index) {
    const Item& item = set_.items[static_cast<std::size_t>(index)];
    ItemResult& r = out_.items[static_cast<std::size_t>(index)];
    const ComponentType type = product_.component_type;
    if ((item.types & type_bit(type)) == 0) {
      r.applicable = false;
      r.status = Status::not_applicable;
      std::string types;
      for (const auto t : {ComponentType::sar, ComponentType::edr, ComponentType::hdr, ComponentType::ndr}) {
        if (item.types & type_bit(t)) types += (types.empty() ? "" : "/") + std::string(component_type_name(t));
      }
      r.reason = "exists only for " + types + " components; this product is " + std::string(component_type_name(type));
      return;
    }
    if (item.base >= 0) {
      const int base_claim = product_.claim_for_item[static_cast<std::size_t>(item.base)];
      if (base_claim >= 0 && product_.claims[static_cast<std::size_t>(base_claim)].status == Status::not_applicable) {
        r.status = Status::not_applicable;
        r.reason = "base requirement " + set_.items[static_cast<std::size_t>(item.base)].id + " is not applicable: " +
                   product_.claims[static_cast<std::size_t>(base_claim)].rationale;
        return;
      }
    }
    if (out_.sdl && item.catalog == set_.process_catalog()) {
      evaluate_from_sdl(index);
      return;
    }
    if (out_.sdl && item.kind == ItemKind::constraint && item.id == "CCSC 4") {
      evaluate_ccsc4(index);
      return;
    }
    evaluate_direct(index);
  }

  void evaluate_from_sdl(int index) {
    ItemResult& r = out_.items[static_cast<std::size_t>(index)];
    const SdlGapReport& sdl = *out_.sdl;
    const int ri = sdl.requirement_for_item[static_cast<std::size_t>(index)];
    if (ri < 0) {
      evaluate_direct(index);
      return;
    }
    const SdlRequirementResult& result = sdl.requirements[static_cast<std::size_t>(ri)];
    r.status = result.effective >= sdl.target ? Status::met : (result.effective >= 1 ? Status::partly_met : Status::not_met);
    r.reason = "SDL profile: ML" + std::to_string(result.effective) + " against target ML" + std::to_string(sdl.target);
    if (result.claimed != result.effective) r.reason += " (claimed ML" + std::to_string(result.claimed) + ")";
    r.problems = result.problems;
  }

  void evaluate_ccsc4(int index) {
    ItemResult& r = out_.items[static_cast<std::size_t>(index)];
    const SdlGapReport& sdl = *out_.sdl;
    const std::size_t total = sdl.requirements.size();
    const std::size_t at_target = total - sdl.gaps.size();
    r.status = sdl.gaps.empty() ? Status::met : (at_target > 0 ? Status::partly_met : Status::not_met);
    r.reason = "SDL profile: " + std::to_string(at_target) + " of " + std::to_string(total) +
               " IEC 62443-4-1 requirements at ML" + std::to_string(sdl.target);
  }

  void evaluate_direct(int index) {
    const Item& item = set_.items[static_cast<std::size_t>(index)];
    ItemResult& r = out_.items[static_cast<std::size_t>(index)];
    const int claim_index = product_.claim_for_item[static_cast<std::size_t>(index)];
    const Claim* claim = claim_index >= 0 ? &product_.claims[static_cast<std::size_t>(claim_index)] : nullptr;

    std::vector<int> usable_claimed;
    bool claim_evidence_broken = false;
    if (claim != nullptr) {
      for (const int a : claim->evidence) {
        const int kind = product_.artifacts[static_cast<std::size_t>(a)].kind;
        const bool kind_ok = std::find(item.evidence_kinds.begin(), item.evidence_kinds.end(), kind) != item.evidence_kinds.end();
        if (!usable(a)) {
          r.problems.push_back(outcome_text(a));
          claim_evidence_broken = true;
        } else if (!kind_ok) {
          r.problems.push_back(artifact_label(product_, a) + ": a " + set_.evidence_kinds[static_cast<std::size_t>(kind)].id +
                               " cannot show this requirement (accepted: " + list_kinds(set_, item.evidence_kinds) + ")");
        } else {
          usable_claimed.push_back(a);
        }
      }
    }
    std::vector<int> usable_auto;
    for (const int a : auto_evidence_[static_cast<std::size_t>(index)]) {
      if (usable(a)) {
        usable_auto.push_back(a);
      } else if (claim == nullptr || std::find(claim->evidence.begin(), claim->evidence.end(), a) == claim->evidence.end()) {
        r.problems.push_back(outcome_text(a));
      }
    }
    std::vector<int> all_usable = usable_claimed;
    for (const int a : usable_auto) add_unique(all_usable, a);
    // A required kind (e.g. a rollback-protection log for an anti-rollback item) is satisfied by
    // any verified artifact of that kind the product declares.
    std::vector<int> missing_required;
    for (const int kind : item.required_kinds) {
      int found = -1;
      for (std::size_t a = 0; a < product_.artifacts.size() && found < 0; ++a) {
        if (product_.artifacts[a].kind == kind && usable(static_cast<int>(a))) found = static_cast<int>(a);
      }
      if (found < 0) {
        missing_required.push_back(kind);
      } else if (!all_usable.empty() || !usable_auto.empty()) {
        add_unique(all_usable, found);
      }
    }
    const std::string used_text = [&] {
      std::string text;
      for (const int a : all_usable) text += (text.empty() ? "" : ", ") + artifact_label(product_, a);
      return text;
    }();

    if (claim != nullptr) {
      r.claimed = true;
      r.claimed_status = claim->status;
      switch (claim->status) {
        case Status::not_applicable:
          r.status = Status::not_applicable;
          r.reason = "claimed not applicable: " + claim->rationale;
          return;
        case Status::not_met:
          r.status = Status::not_met;
          r.reason = "claimed not met";
          if (!claim->note.empty()) r.reason += ": " + claim->note;
          return;
        case Status::partly_met:
          r.evidence = all_usable;
          if (all_usable.empty()) {
            r.status = Status::not_met;
            r.reason = "claimed partly met, but no usable evidence";
          } else {
            r.status = Status::partly_met;
            r.reason = "claimed partly met; evidence: " + used_text;
          }
          if (!claim->note.empty()) r.reason += " (" + claim->note + ")";
          return;
        case Status::met:
          r.evidence = all_usable;
          if (claim_evidence_broken) {
            // A claim whose own evidence is missing or fails verification never counts as met.
            r.status = all_usable.empty() ? Status::not_met : Status::partly_met;
            r.reason = "claimed met, but referenced evidence did not check out: " + r.problems.front();
          } else if (all_usable.empty()) {
            r.status = Status::not_met;
            r.reason = claim->evidence.empty() ? "claimed met without evidence"
                                               : "claimed met, but no referenced artifact can show it";
          } else if (!missing_required.empty()) {
            r.status = Status::partly_met;
            r.reason = "claimed met; also needs a verified " + list_kinds(set_, missing_required) + "; evidence: " + used_text;
          } else {
            r.status = Status::met;
            r.reason = "claimed met; evidence: " + used_text;
          }
          return;
      }
    }
    r.evidence = all_usable;
    if (!usable_auto.empty() && missing_required.empty()) {
      r.status = Status::met;
      r.reason = "shown by verified artifact " + used_text + " (no claim needed)";
      for (const int a : usable_auto) r.reason += "; " + product_.artifacts[static_cast<std::size_t>(a)].id + ": " +
                                                  out_.artifacts[static_cast<std::size_t>(a)].detail;
    } else if (!usable_auto.empty()) {
      r.status = Status::partly_met;
      r.reason = "verified artifact " + used_text + "; also needs a verified " + list_kinds(set_, missing_required);
    } else if (!r.problems.empty()) {
      r.status = Status::not_met;
      r.reason = "no claim; artifact did not check out: " + r.problems.front();
    } else {
      r.status = Status::not_met;
      r.reason = "no claim and no evidence";
    }
  }

  // derive returns what item `self` gains from `other`'s own verdict when self stands in
  // `relation` to other. Only what is implied for certain is passed on: part of a met item says
  // nothing about the rest of an overlapping one.
  static Status derive(Relation relation, Status other) {
    switch (relation) {
      case Relation::equal:
        return other;
      case Relation::subset:  // self is contained in other
        return other == Status::met ? Status::met : Status::not_met;
      case Relation::superset:  // other is contained in self
        return other == Status::not_met ? Status::not_met : Status::partly_met;
      case Relation::intersect:
        return other == Status::met ? Status::partly_met : Status::not_met;
    }
    return Status::not_met;
  }

  bool raisable(int index) const {
    const ItemResult& r = out_.items[static_cast<std::size_t>(index)];
    if (!r.applicable || r.status == Status::not_applicable || r.status == Status::met) return false;
    // The maker's explicit "not met" stands; a crosswalk does not overrule it.
    return !(r.claimed && r.claimed_status == Status::not_met);
  }

  void propagate() {
    // One hop from each item's own verdict: a status raised through a crosswalk is not passed on
    // again, so overlaps do not leak from one requirement to its neighbours. (Identical adoptions
    // share items and need no hop.)
    std::vector<Status> own(set_.items.size());
    for (std::size_t i = 0; i < set_.items.size(); ++i) own[i] = out_.items[i].status;
    auto usable_source = [&](int other) {
      const ItemResult& r = out_.items[static_cast<std::size_t>(other)];
      return r.applicable && own[static_cast<std::size_t>(other)] != Status::not_applicable;
    };
    for (std::size_t i = 0; i < set_.items.size(); ++i) {
      const int index = static_cast<int>(i);
      if (!raisable(index)) continue;
      ItemResult& r = out_.items[i];
      Status best = r.status;
      int source = -1;
      Relation via = Relation::intersect;
      for (const CrossEdge& edge : set_.edges(index)) {
        if (!usable_source(edge.other)) continue;
        const Status derived = derive(edge.relation, own[static_cast<std::size_t>(edge.other)]);
        if (derived > best) {
          best = derived;
          source = edge.other;
          via = edge.relation;
        }
      }
      std::vector<int> group_sources;
      for (const int g : set_.groups_to(index)) {
        const CrosswalkGroup& group = set_.group(g);
        bool all = true;
        bool any_met = false;
        for (const int from : group.from) {
          if (!out_.items[static_cast<std::size_t>(from)].applicable) continue;  // other component types
          const Status status = own[static_cast<std::size_t>(from)];
          all = all && done(status);
          any_met = any_met || status == Status::met;
        }
        if (all && any_met && best < Status::met) {
          best = Status::met;
          source = -1;
          group_sources.clear();
          for (const int from : group.from) {
            if (own[static_cast<std::size_t>(from)] == Status::met) group_sources.push_back(from);
          }
        }
      }
      if (best <= r.status) continue;
      const std::string before = std::string(status_label(r.status));
      r.status = best;
      std::vector<int> sources = group_sources;
      if (source >= 0) sources.push_back(source);
      std::string names;
      for (const int s : sources) {
        add_unique(r.derived_from, s);
        for (const int a : out_.items[static_cast<std::size_t>(s)].evidence) add_unique(r.evidence, a);
        names += (names.empty() ? "" : ", ") + set_.items[static_cast<std::size_t>(s)].ref;
      }
      const std::string how = group_sources.empty() ? std::string(relation_name(via)) + " relation to " + names
                                                    : "together " + names + " cover it";
      r.reason = std::string(status_label(best)) + " through crosswalk (" + how + "); own evaluation: " + before +
                 (r.reason.empty() ? "" : " — " + r.reason);
    }
  }

  void compute_sl_c() {
    // SL-C(FR) is one below the lowest SL at which an applicable item of that FR is not done.
    std::array<int, 7> first_failing{5, 5, 5, 5, 5, 5, 5};
    const int component = set_.component_catalog();
    if (component < 0) return;
    for (const int index : set_.catalogs[static_cast<std::size_t>(component)].items) {
      const Item& item = set_.items[static_cast<std::size_t>(index)];
      if (item.fr < 1 || item.sl < 1 || item.kind == ItemKind::constraint) continue;
      const ItemResult& r = out_.items[static_cast<std::size_t>(index)];
      if (!r.applicable || done(r.status)) continue;
      int& slot = first_failing[static_cast<std::size_t>(item.fr - 1)];
      slot = std::min(slot, item.sl);
    }
    for (std::size_t fr = 0; fr < 7; ++fr) out_.sl_c[fr] = std::min(4, first_failing[fr] - 1);
  }

  void evaluate_regimes() {
    RegimeQuery query{product_.markets, product_.category, product_.sectors, product_.interfaces, product_.core_function};
    out_.cra = classify_cra(set_, product_.core_function);
    const ComponentType type = product_.component_type;
    for (auto& applicability : applicable_regimes(set_, query, options_.date)) {
      RegimeResult result;
      const Regime& regime = set_.regimes.regimes[static_cast<std::size_t>(applicability.regime)];
      result.applicability = std::move(applicability);
      for (const RegimeRequirement& req : regime.requirements) {
        switch (req.kind) {
          case RegimeRequirement::Kind::all_items:
          case RegimeRequirement::Kind::up_to_sl: {
            const Catalog& named = set_.catalogs[static_cast<std::size_t>(req.catalog)];
            const Catalog& catalog = named.adopts >= 0 ? set_.catalogs[static_cast<std::size_t>(named.adopts)] : named;
            for (const int index : catalog.items) {
              const Item& item = set_.items[static_cast<std::size_t>(index)];
              if ((item.types & type_bit(type)) == 0) continue;
              if (req.kind == RegimeRequirement::Kind::up_to_sl) {
                if (item.kind == ItemKind::constraint || item.fr < 1) continue;
                const int level = req.sl > 0 ? req.sl : product_.target_sl[static_cast<std::size_t>(item.fr - 1)];
                if (item.sl > level) continue;
              }
              add_unique(result.required, index);
            }
            break;
          }
          case RegimeRequirement::Kind::items:
            for (const int index : req.items) {
              const int variant = variant_for_type(set_, index, type);
              if (variant >= 0) add_unique(result.required, variant);
            }
            break;
          case RegimeRequirement::Kind::sdl_maturity:
            result.sdl_maturity = std::max(result.sdl_maturity, req.maturity);
            break;
        }
      }
      for (const int index : result.required) {
        if (!done(out_.items[static_cast<std::size_t>(index)].status)) result.unmet.push_back(index);
      }
      if (result.sdl_maturity > 0) {
        const int process = set_.process_catalog();
        if (!out_.sdl) {
          result.sdl_profile_missing = true;
          if (process >= 0) result.sdl_unmet = set_.catalogs[static_cast<std::size_t>(process)].items;
        } else {
          for (const auto& requirement : out_.sdl->requirements) {
            if (requirement.effective < result.sdl_maturity) result.sdl_unmet.push_back(requirement.item);
          }
        }
      }
      out_.regimes.push_back(std::move(result));
    }
  }

  Gap& gap_for(int item) {
    auto& slot = gap_index_[static_cast<std::size_t>(item)];
    if (slot < 0) {
      Gap gap;
      gap.item = item;
      gap.status = out_.items[static_cast<std::size_t>(item)].status;
      gap.effort = set_.items[static_cast<std::size_t>(item)].effort;
      out_.gaps.push_back(std::move(gap));
      slot = static_cast<int>(out_.gaps.size() - 1);
    }
    return out_.gaps[static_cast<std::size_t>(slot)];
  }

  static void add_block(Gap& gap, Block block) {
    for (const auto& existing : gap.blocks) {
      if (existing.regime == block.regime && existing.via == block.via) return;
    }
    gap.blocks.push_back(std::move(block));
  }

  void collect_gaps() {
    gap_index_.assign(set_.items.size(), -1);
    const int component = set_.component_catalog();
    if (component >= 0) {
      for (const int index : set_.catalogs[static_cast<std::size_t>(component)].items) {
        const Item& item = set_.items[static_cast<std::size_t>(index)];
        const ItemResult& r = out_.items[static_cast<std::size_t>(index)];
        if (item.fr < 1 || item.sl < 1 || !r.applicable || done(r.status)) continue;
        if (item.sl > product_.target_sl[static_cast<std::size_t>(item.fr - 1)]) continue;
        Gap& gap = gap_for(index);
        gap.fr = item.fr;
        gap.blocks_sl = item.sl;
      }
    }
    for (std::size_t r = 0; r < out_.regimes.size(); ++r) {
      const RegimeResult& regime = out_.regimes[r];
      std::vector<char> unmet(set_.items.size(), 0);
      for (const int index : regime.unmet) {
        unmet[static_cast<std::size_t>(index)] = 1;
        Block block;
        block.regime = regime.applicability.regime;
        block.markets = regime.applicability.markets;
        block.due = item_due(regime.applicability, index);
        const Item& item = set_.items[static_cast<std::size_t>(index)];
        if (item.sl > 0) block.need = "SL " + std::to_string(item.sl);
        add_block(gap_for(index), std::move(block));
      }
      for (const int index : regime.sdl_unmet) {
        Block block;
        block.regime = regime.applicability.regime;
        block.markets = regime.applicability.markets;
        block.due = regime.applicability.due;
        block.need = "ML" + std::to_string(regime.sdl_maturity);
        add_block(gap_for(index), std::move(block));
      }
      // A gap also blocks a regime when it maps through a crosswalk to an item the regime lacks.
      for (std::size_t g = 0; g < out_.gaps.size(); ++g) {
        const int index = out_.gaps[g].item;
        for (const CrossEdge& edge : set_.edges(index)) {
          if (!unmet[static_cast<std::size_t>(edge.other)]) continue;
          Block block;
          block.regime = regime.applicability.regime;
          block.markets = regime.applicability.markets;
          block.due = item_due(regime.applicability, edge.other);
          block.via = edge.other;
          add_block(out_.gaps[g], std::move(block));
        }
      }
    }
    for (Gap& gap : out_.gaps) {
      gap.earliest_days = LONG_MAX;
      gap.earliest_mandatory_days = LONG_MAX;
      std::vector<std::string> markets;
      for (const Block& block : gap.blocks) {
        for (const auto& market : block.markets) {
          if (std::find(markets.begin(), markets.end(), market) == markets.end()) markets.push_back(market);
        }
        if (!block.due) continue;
        gap.has_deadline = true;
        gap.earliest_days = std::min(gap.earliest_days, block.due->days_left);
        if (set_.regimes.regimes[static_cast<std::size_t>(block.regime)].binding == "mandatory") {
          gap.earliest_mandatory_days = std::min(gap.earliest_mandatory_days, block.due->days_left);
        }
      }
      gap.markets_blocked = static_cast<int>(markets.size());
      gap.hint = hint_for(gap);
    }
    // What a gap blocks decides its place: the soonest deadline of a mandatory regime first, then
    // the lowest SL it holds back, then any other deadline, then how many markets, FR, catalogue order.
    std::stable_sort(out_.gaps.begin(), out_.gaps.end(), [](const Gap& a, const Gap& b) {
      if (a.earliest_mandatory_days != b.earliest_mandatory_days) return a.earliest_mandatory_days < b.earliest_mandatory_days;
      const int sa = a.blocks_sl > 0 ? a.blocks_sl : 9;
      const int sb = b.blocks_sl > 0 ? b.blocks_sl : 9;
      if (sa != sb) return sa < sb;
      if (a.earliest_days != b.earliest_days) return a.earliest_days < b.earliest_days;
      if (a.markets_blocked != b.markets_blocked) return a.markets_blocked > b.markets_blocked;
      const int fa = a.fr > 0 ? a.fr : 9;
      const int fb = b.fr > 0 ? b.fr : 9;
      if (fa != fb) return fa < fb;
      return a.item < b.item;
    });
  }

  std::string hint_for(const Gap& gap) const {
    const Item& item = set_.items[static_cast<std::size_t>(gap.item)];
    const ItemResult& r = out_.items[static_cast<std::size_t>(gap.item)];
    if (out_.sdl && item.catalog == set_.process_catalog()) {
      const int ri = out_.sdl->requirement_for_item[static_cast<std::size_t>(gap.item)];
      if (ri >= 0) {
        for (const auto& sdl_gap : out_.sdl->gaps) {
          if (sdl_gap.item == gap.item) return sdl_gap.hint;
        }
        int needed = out_.sdl->target;
        for (const Block& block : gap.blocks) {
          if (block.need.rfind("ML", 0) == 0) needed = std::max(needed, std::stoi(block.need.substr(2)));
        }
        return "raise SDL maturity from ML" + std::to_string(out_.sdl->requirements[static_cast<std::size_t>(ri)].effective) +
               " to ML" + std::to_string(needed);
      }
    }
    if (!r.problems.empty()) return "fix the evidence: " + r.problems.front();
    if (r.status == Status::partly_met) {
      return "partly met: close the rest and reference evidence (" + list_kinds(set_, item.evidence_kinds) + ")";
    }
    if (r.claimed && r.claimed_status == Status::not_met) {
      return "claimed not met: implement it, then reference evidence (" + list_kinds(set_, item.evidence_kinds) + ")";
    }
    return "no claim yet: implement or document it, then reference evidence (" + list_kinds(set_, item.evidence_kinds) + ")";
  }

  const CatalogSet& set_;
  const ProductProfile& product_;
  EvidenceChecker& evidence_;
  const AssessOptions& options_;
  Assessment& out_;
  std::vector<std::vector<int>> auto_evidence_;
  std::vector<int> gap_index_;
};

}  // namespace

Assessment assess(const CatalogSet& set, const ProductProfile& product, EvidenceChecker& evidence,
                  const AssessOptions& options) {
  Assessment out;
  Engine(set, product, evidence, options, out).run();
  return out;
}

}  // namespace ft::assess
