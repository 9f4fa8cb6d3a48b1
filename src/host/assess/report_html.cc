#include <fmt/format.h>

#include "ft/assess/report.h"
#include "ft/assess/svg_chart.h"
#include "report_format.h"

namespace ft::assess {

using detail::blocks_text;
using detail::due_text;
using detail::fr_label;

namespace {

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d2430;max-width:1200px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #d5d9e0;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef1f6}.met{color:#1a7f37}.partly_met{color:#9a6700}.not_met{color:#cf222e}.not_applicable{color:#6e7781}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{background:#fafbfc;border:1px solid #e1e4e8}
.chart-title{font-weight:600;font-size:13px}.tick,.label,.legend,.value{font-size:11px;fill:#333}
.grid{stroke:#e1e4e8}.target{stroke:#cf222e;stroke-dasharray:4 3;stroke-width:2}
.filters button{margin-right:.4rem}.filters button.active{font-weight:700}.note{color:#57606a;font-size:.85rem}
)";

// The script only filters tables; the page reads fully without it.
constexpr std::string_view kScript = R"(
(function(){
  var buttons=document.querySelectorAll('.filters button');
  buttons.forEach(function(b){b.addEventListener('click',function(){
    var want=b.getAttribute('data-status');
    buttons.forEach(function(o){o.classList.toggle('active',o===b);});
    document.querySelectorAll('tr[data-status]').forEach(function(row){
      row.style.display=(want==='all'||row.getAttribute('data-status')===want)?'':'none';});
  });});
  document.body.setAttribute('data-ready','1');
})();
)";

std::string e(std::string_view text) { return html_escape(text); }

std::string page_open(std::string_view title) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                     "content=\"width=device-width,initial-scale=1\"><title>{}</title><style>{}</style></head><body>\n",
                     e(title), kStyle);
}

std::string page_close() { return fmt::format("<script>{}</script>\n</body></html>\n", kScript); }

std::string sdl_chart(const SdlGapReport& report) {
  std::vector<std::string> labels;
  std::vector<double> values;
  for (const auto& stage : report.stages) {
    const SdlStage& s = report.framework->stages[static_cast<std::size_t>(stage.stage)];
    labels.push_back(s.id + " " + s.title);
    values.push_back(stage.maturity);
  }
  return svg_level_bars("chart-sdl", "SDL stage maturity (lowest level of its requirements)", labels, values, report.target, 4,
                        "#0969da");
}

std::string sdl_tables(const SdlGapReport& report) {
  const CatalogSet& set = *report.set;
  std::string out = fmt::format("<h2>SDL gap assessment against ML{}</h2><p class=\"note\">{} — {}; stage list: {} (confidence {})</p>",
                                report.target, e(report.profile->organisation), e(report.profile->scope),
                                e(report.framework->title), confidence_name(report.framework->confidence));
  out += "<table><tr><th>Stage</th><th>Title</th><th>Maturity</th><th>Below target</th><th>62443-4-1</th></tr>";
  for (const auto& stage : report.stages) {
    const SdlStage& s = report.framework->stages[static_cast<std::size_t>(stage.stage)];
    std::string reqs;
    for (const int item : s.requirements) reqs += (reqs.empty() ? "" : ", ") + set.items[static_cast<std::size_t>(item)].id;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>ML{}</td><td>{}</td><td>{}</td></tr>", e(s.id), e(s.title), stage.maturity,
                       stage.gaps, e(reqs));
  }
  out += "</table><table><tr><th>Requirement</th><th>Title</th><th>Now</th><th>Target</th><th>Effort</th><th>Hint</th></tr>";
  for (const auto& gap : report.gaps) {
    const Item& item = set.items[static_cast<std::size_t>(gap.item)];
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>ML{}</td><td>ML{}</td><td>{}</td><td>{}</td></tr>", e(item.id), e(item.title),
                       gap.effective, gap.target, effort_name(gap.effort), e(gap.hint));
  }
  out += "</table>";
  return out;
}

}  // namespace

std::string assessment_to_html(const Assessment& a) {
  const CatalogSet& set = *a.set;
  const ProductProfile& p = *a.product;
  std::string out = page_open("FieldTrust assessment: " + p.name);
  out += fmt::format("<h1>Security assessment: {} <small>({})</small></h1>", e(p.name), e(p.id));
  out += fmt::format("<p>{} · {} {} · {} ({} component) · markets {} · as of {}</p>", e(p.manufacturer), e(p.model), e(p.version),
                     e(p.category), component_type_name(p.component_type), e([&] {
                       std::string m;
                       for (const auto& x : p.markets) m += (m.empty() ? "" : ", ") + x;
                       return m;
                     }()),
                     a.date.to_string());

  std::vector<std::string> frs;
  ChartSeries target{"SL-T (target)", "#8c959f", {}};
  ChartSeries achieved{"SL-C (achieved)", "#0969da", {}};
  ChartSeries met{"met", "#2da44e", {}}, partly{"partly met", "#d4a72c", {}}, not_met{"not met", "#cf222e", {}},
      na{"not applicable", "#afb8c1", {}};
  for (int fr = 1; fr <= 7; ++fr) {
    frs.push_back("FR" + std::to_string(fr));
    target.values.push_back(a.sl_t[static_cast<std::size_t>(fr - 1)]);
    achieved.values.push_back(a.sl_c[static_cast<std::size_t>(fr - 1)]);
    double counts[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < set.items.size(); ++i) {
      if (set.items[i].catalog == set.component_catalog() && set.items[i].fr == fr && a.items[i].applicable) {
        counts[static_cast<int>(a.items[i].status)] += 1;
      }
    }
    not_met.values.push_back(counts[0]);
    partly.values.push_back(counts[1]);
    met.values.push_back(counts[2]);
    na.values.push_back(counts[3]);
  }
  out += "<div class=\"charts\">";
  out += svg_grouped_bars("chart-sl", "SL-C against SL-T per foundational requirement", frs, {target, achieved}, 4);
  out += svg_stacked_bars("chart-status", "Requirement status by FR (items and enhancements)", frs, {met, partly, not_met, na});
  if (a.sdl) out += sdl_chart(*a.sdl);
  out += "</div>";
  out += fmt::format("<p>CRA class: <b>{}</b> — {}</p>", e(a.cra.id), e(a.cra.conformity));

  out += fmt::format("<h2>Gaps ({}; {} keep SL-C below SL-T), ordered by what they block</h2>", a.gaps.size(),
                     a.gaps_against_target());
  out += "<table id=\"gaps\"><tr><th>#</th><th>Requirement</th><th>Status</th><th>Blocks</th><th>Effort</th><th>Hint</th></tr>";
  for (std::size_t g = 0; g < a.gaps.size(); ++g) {
    const Gap& gap = a.gaps[g];
    const Item& item = set.items[static_cast<std::size_t>(gap.item)];
    out += fmt::format("<tr><td>{}</td><td><b>{}</b> {}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", g + 1,
                       e(item.ref), e(item.title), status_name(gap.status), status_label(gap.status), e(blocks_text(a, gap)),
                       effort_name(gap.effort), e(gap.hint));
  }
  out += "</table>";

  out += "<h2>Regulatory applicability</h2><table id=\"regimes\"><tr><th>Regime</th><th>Binding</th><th>Markets</th><th>Why</th>"
         "<th>Deadlines</th><th>Open</th><th>Confidence</th></tr>";
  for (const auto& r : a.regimes) {
    const Regime& regime = set.regimes.regimes[static_cast<std::size_t>(r.applicability.regime)];
    std::string deadlines;
    for (const auto& m : r.applicability.milestones) {
      deadlines += (deadlines.empty() ? "" : "<br>") + e(m.milestone->title) + ": " + e(due_text(m));
    }
    std::string open = std::to_string(r.unmet.size()) + " of " + std::to_string(r.required.size());
    if (r.sdl_maturity > 0) open += fmt::format("; SDL ML{}: {} below", r.sdl_maturity, r.sdl_unmet.size());
    std::string title = e(regime.title);
    if (r.applicability.cra) title += "<br><small>class " + e(r.applicability.cra->id) + ": " + e(r.applicability.cra->conformity) + "</small>";
    std::string markets;
    for (const auto& m : r.applicability.markets) markets += (markets.empty() ? "" : ", ") + m;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", title,
                       e(regime.binding), e(markets), e(r.applicability.why), deadlines.empty() ? "-" : deadlines, e(open),
                       confidence_name(regime.confidence));
  }
  out += "</table>";

  out += "<h2>Evidence artifacts</h2><table id=\"artifacts\"><tr><th>Artifact</th><th>Kind</th><th>Path</th><th>Verdict</th><th>Detail</th></tr>";
  for (std::size_t i = 0; i < p.artifacts.size(); ++i) {
    const Verdict verdict = a.artifacts[i].verdict;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td></tr>", e(p.artifacts[i].id),
                       e(set.evidence_kinds[static_cast<std::size_t>(p.artifacts[i].kind)].id), e(p.artifacts[i].path),
                       counts_as_evidence(verdict) ? "met" : "not_met", verdict_name(verdict), e(a.artifacts[i].detail));
  }
  out += "</table>";

  out += "<h2>Requirements</h2><p class=\"filters\">Show: <button data-status=\"all\" class=\"active\">all</button>"
         "<button data-status=\"met\">met</button><button data-status=\"partly_met\">partly met</button>"
         "<button data-status=\"not_met\">not met</button><button data-status=\"not_applicable\">not applicable</button></p>";
  for (const Catalog& catalog : set.catalogs) {
    if (catalog.adopts >= 0 || catalog.items.empty()) continue;
    out += fmt::format("<h3>{}</h3><table class=\"requirements\"><tr><th>Item</th><th>Title</th>{}<th>Status</th><th>Reason</th><th>Evidence</th></tr>",
                       e(catalog.title), catalog.sl_gated ? "<th>FR</th><th>SL</th><th>Conf.</th>" : "");
    for (const int index : catalog.items) {
      const Item& item = set.items[static_cast<std::size_t>(index)];
      const ItemResult& r = a.items[static_cast<std::size_t>(index)];
      if (!r.applicable) continue;
      std::string evidence;
      for (const int artifact : r.evidence) evidence += (evidence.empty() ? "" : ", ") + p.artifacts[static_cast<std::size_t>(artifact)].id;
      std::string gated;
      if (catalog.sl_gated) {
        gated = fmt::format("<td>{}</td><td>{}</td><td>{}</td>", item.fr > 0 ? fr_label(set, item.fr) : "-", item.sl > 0 ? std::to_string(item.sl) : "-",
                            item.sl > 0 ? confidence_name(item.confidence) : "");
      }
      out += fmt::format("<tr data-status=\"{0}\"><td>{1}</td><td>{2}</td>{3}<td class=\"{0}\">{4}</td><td>{5}</td><td>{6}</td></tr>",
                         status_name(r.status), e(item.id), e(item.title), gated, status_label(r.status), e(r.reason),
                         evidence.empty() ? "-" : e(evidence));
    }
    out += "</table>";
  }
  if (a.sdl) out += sdl_tables(*a.sdl);
  out += "<p class=\"note\">Generated by FieldTrust. Catalogue texts are FieldTrust's own summaries, not the standards' text; "
         "values of low confidence should be checked against the licensed standards.</p>";
  out += page_close();
  return out;
}

std::string sdl_gap_to_html(const SdlGapReport& report) {
  std::string out = page_open("FieldTrust SDL gap: " + report.profile->organisation);
  out += fmt::format("<h1>SDL gap assessment: {}</h1><div class=\"charts\">{}</div>", e(report.profile->organisation), sdl_chart(report));
  out += sdl_tables(report);
  out += page_close();
  return out;
}

}  // namespace ft::assess
