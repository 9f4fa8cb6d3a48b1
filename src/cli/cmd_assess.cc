// cmd_assess.cc — compliance commands: `catalog list|show|validate`, `assess`, `sdl gap`,
// `regimes`. Thin layer over ft_assess; docs/assess.md is the manual.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "ft/assess/catalog_load.h"
#include "ft/assess/engine.h"
#include "ft/assess/evidence.h"
#include "ft/assess/product_profile.h"
#include "ft/assess/regimes.h"
#include "ft/assess/report.h"
#include "ft/assess/sdl_gap.h"
#include "ft/assess/sdl_profile.h"
#include "ft/assess/trust_verifier.h"
#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::cli {

namespace {

using namespace ft::assess;
using host::UserError;

// make_artifact_verifier returns the verifier the engine uses for firmware envelopes and device
// logs: FieldTrust's own envelope verifier (code-signing profile, certificates valid now) and log
// verifier.
std::unique_ptr<ArtifactVerifier> make_artifact_verifier() { return std::make_unique<TrustArtifactVerifier>(); }

struct CommonOptions {
  std::string catalogs;
  std::string format = "text";
  bool json = false;
  std::string output;
};

void add_common(CLI::App* cmd, CommonOptions& options, bool with_format) {
  cmd->add_option("--catalogs", options.catalogs,
                  "Catalogue directory (default: $FIELDTRUST_CATALOGS, the installed share/fieldtrust/catalogs, or the "
                  "source tree's catalogs/)");
  if (!with_format) return;
  cmd->add_option("--format", options.format, "Output format: text, json, markdown or html")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  cmd->add_flag("--json", options.json, "Same as --format json");
  cmd->add_option("-o,--output", options.output, "Write the report to this file instead of standard output");
}

std::string catalog_dir(const CommonOptions& options) {
  return options.catalogs.empty() ? default_catalog_dir() : options.catalogs;
}

std::string format_of(const CommonOptions& options) { return options.json ? "json" : options.format; }

void emit(const CommonOptions& options, const std::string& text) {
  if (options.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  host::write_file_atomic(options.output, text);
}

Date parse_date_option(const std::string& text) {
  if (text.empty()) return today_utc();
  const auto date = parse_date(text);
  if (!date || date->month_only) throw UserError("--date: \"" + text + "\" is not a date YYYY-MM-DD", host::kExitUsage);
  return *date;
}

void print_warnings(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Diagnostic::Severity::warning) std::fprintf(stderr, "fieldtrust: %s\n", d.to_string().c_str());
  }
}

// ------------------------------------------------------------------ catalog

void add_catalog_commands(CLI::App& app, Context& ctx) {
  CLI::App* catalog = app.add_subcommand("catalog", "Requirement catalogues, crosswalks and regimes: list, show, validate");
  catalog->require_subcommand(1);

  auto list_options = std::make_shared<CommonOptions>();
  CLI::App* list = catalog->add_subcommand("list", "List the catalogues, crosswalks, SDL stage list and regimes");
  add_common(list, *list_options, false);
  list->add_flag("--json", list_options->json, "Print JSON");
  list->callback([list_options, &ctx] {
    const CatalogSet set = load_catalogs_or_throw(catalog_dir(*list_options));
    if (list_options->json) {
      nlohmann::json out;
      out["directory"] = set.directory;
      for (const auto& c : set.catalogs) {
        out["catalogs"].push_back({{"id", c.id}, {"title", c.title}, {"kind", c.kind}, {"items", c.items.size()},
                                   {"adopts", c.adopts >= 0 ? set.catalogs[static_cast<std::size_t>(c.adopts)].id : ""}});
      }
      for (const auto& x : set.crosswalks) {
        out["crosswalks"].push_back({{"id", x.id}, {"links", x.links.size()}});
      }
      out["sdl_stages"] = set.sdl.stages.size();
      out["regimes"] = set.regimes.regimes.size();
      out["evidence_kinds"] = set.evidence_kinds.size();
      std::cout << out.dump(2) << "\n";
    } else {
      std::printf("Catalogues in %s\n", set.directory.c_str());
      for (const auto& c : set.catalogs) {
        const std::string count = c.adopts >= 0 ? "= " + set.catalogs[static_cast<std::size_t>(c.adopts)].id
                                                : std::to_string(c.items.size()) + " items";
        std::printf("  %-16s %-24s %-18s %s\n", c.id.c_str(), c.kind.c_str(), count.c_str(), c.title.c_str());
      }
      std::printf("Crosswalks:\n");
      for (const auto& x : set.crosswalks) std::printf("  %-32s %zu links\n", x.id.c_str(), x.links.size());
      std::printf("SDL stages: %zu (%s)\nRegimes: %zu\nEvidence kinds: %zu\n", set.sdl.stages.size(), set.sdl.title.c_str(),
                  set.regimes.regimes.size(), set.evidence_kinds.size());
    }
    ctx.exit_code = host::kExitOk;
  });

  auto show_options = std::make_shared<CommonOptions>();
  auto show_what = std::make_shared<std::vector<std::string>>();
  CLI::App* show = catalog->add_subcommand(
      "show", "Show a catalogue (ID), one item (ID ITEM, or catalog:ITEM), or: sdl-stages, evidence-kinds, regimes, a crosswalk ID");
  add_common(show, *show_options, false);
  show->add_flag("--json", show_options->json, "Print JSON");
  show->add_option("what", *show_what, "catalogue ID [item ID], catalog:ITEM, sdl-stages, evidence-kinds, regimes or crosswalk ID")
      ->required()
      ->expected(1, 2);
  show->callback([show_options, show_what, &ctx] {
    const CatalogSet set = load_catalogs_or_throw(catalog_dir(*show_options));
    const std::string& first = (*show_what)[0];
    nlohmann::json out;
    std::string text;
    auto item_detail = [&](int index) {
      const Item& item = set.items[static_cast<std::size_t>(index)];
      out = {{"ref", item.ref}, {"id", item.id}, {"title", item.title}, {"summary", item.summary},
             {"effort", effort_name(item.effort)}};
      text = item.ref + " — " + item.title + "\n  " + item.summary + "\n";
      if (item.sl > 0) {
        std::string types;
        for (const auto t : {ComponentType::sar, ComponentType::edr, ComponentType::hdr, ComponentType::ndr}) {
          if (item.types & type_bit(t)) types += (types.empty() ? "" : ", ") + std::string(component_type_name(t));
        }
        out["sl"] = item.sl;
        out["confidence"] = confidence_name(item.confidence);
        out["fr"] = "FR" + std::to_string(item.fr);
        out["component_types"] = types;
        text += "  FR" + std::to_string(item.fr) + ", applies from SL " + std::to_string(item.sl) + " (confidence " +
                std::string(confidence_name(item.confidence)) + "), component types: " + types + "\n";
      }
      if (item.base >= 0) text += "  enhances " + set.items[static_cast<std::size_t>(item.base)].ref + "\n";
      std::string kinds;
      for (const int k : item.evidence_kinds) {
        kinds += (kinds.empty() ? "" : ", ") + set.evidence_kinds[static_cast<std::size_t>(k)].id;
        out["evidence"].push_back(set.evidence_kinds[static_cast<std::size_t>(k)].id);
      }
      text += "  evidence: " + kinds + "\n  effort: " + std::string(effort_name(item.effort)) + "\n";
      for (const int k : item.required_kinds) {
        text += "  requires a verified " + set.evidence_kinds[static_cast<std::size_t>(k)].id + "\n";
      }
      for (const CrossEdge& edge : set.edges(index)) {
        const Item& other = set.items[static_cast<std::size_t>(edge.other)];
        text += "  crosswalk: " + std::string(relation_name(edge.relation)) + " " + other.ref + " (" + other.title + ")\n";
        out["crosswalk"].push_back({{"relation", relation_name(edge.relation)}, {"item", other.ref},
                                    {"crosswalk", set.crosswalks[static_cast<std::size_t>(edge.crosswalk)].id}});
      }
      for (std::size_t k = 0; k < set.evidence_kinds.size(); ++k) {
        const auto& proves = set.evidence_kinds[k].proves;
        if (std::find(proves.begin(), proves.end(), index) != proves.end()) {
          text += "  shown on its own by a verified " + set.evidence_kinds[k].id + "\n";
        }
      }
    };
    if (first == "sdl-stages") {
      text = set.sdl.title + " (confidence " + std::string(confidence_name(set.sdl.confidence)) + ")\n";
      for (const auto& stage : set.sdl.stages) {
        std::string reqs;
        for (const int r : stage.requirements) reqs += (reqs.empty() ? "" : ", ") + set.items[static_cast<std::size_t>(r)].id;
        text += "  " + stage.id + " " + stage.title + ": " + reqs + "\n";
        out["stages"].push_back({{"id", stage.id}, {"title", stage.title}, {"requirements", reqs}});
      }
    } else if (first == "evidence-kinds") {
      for (const auto& kind : set.evidence_kinds) {
        text += "  " + kind.id + " [" + std::string(evidence_check_name(kind.check)) + "] " + kind.title + "\n";
        out["evidence_kinds"].push_back({{"id", kind.id}, {"check", evidence_check_name(kind.check)}, {"title", kind.title}});
      }
    } else if (first == "regimes") {
      for (const auto& regime : set.regimes.regimes) {
        text += "  " + regime.id + " (" + regime.kind + ", " + regime.binding + ", confidence " +
                std::string(confidence_name(regime.confidence)) + "): " + regime.title + "\n";
        out["regimes"].push_back({{"id", regime.id}, {"title", regime.title}, {"kind", regime.kind}});
      }
    } else if (const int catalog_index = set.find_catalog(first); catalog_index >= 0 && show_what->size() == 1) {
      const Catalog& c = set.catalogs[static_cast<std::size_t>(catalog_index)];
      text = c.title + "\n  id " + c.id + ", kind " + c.kind + (c.edition.empty() ? "" : ", edition " + c.edition) + "\n";
      if (!c.note.empty()) text += "  " + c.note + "\n";
      out = {{"id", c.id}, {"title", c.title}, {"kind", c.kind}};
      if (c.adopts >= 0) {
        text += "  identical adoption of " + set.catalogs[static_cast<std::size_t>(c.adopts)].id +
                ": every item ID of that catalogue is valid here with the same meaning and SL\n";
        out["adopts"] = set.catalogs[static_cast<std::size_t>(c.adopts)].id;
      }
      for (const auto& level : c.maturity_levels) text += "  ML" + std::to_string(level.level) + " " + level.title + "\n";
      for (const int index : c.items) {
        const Item& item = set.items[static_cast<std::size_t>(index)];
        char line[256];
        if (c.sl_gated && item.sl > 0) {
          std::snprintf(line, sizeof line, "  %-18s SL %d %-6s %s\n", item.id.c_str(), item.sl,
                        std::string(confidence_name(item.confidence)).c_str(), item.title.c_str());
        } else {
          std::snprintf(line, sizeof line, "  %-18s %s\n", item.id.c_str(), item.title.c_str());
        }
        text += line;
        out["items"].push_back({{"id", item.id}, {"title", item.title}, {"sl", item.sl}});
      }
      for (const auto& product_class : c.classes) {
        text += "  class " + product_class.id + ": " + product_class.conformity + "\n";
      }
      for (const auto& m : c.milestones) text += "  " + m.date.to_string() + " " + m.title + "\n";
    } else if (set.find_catalog(first) >= 0) {
      const int index = set.find_item((*show_what)[1], first);
      if (index < 0) throw UserError("no item \"" + (*show_what)[1] + "\" in catalogue " + first, host::kExitInput);
      item_detail(index);
    } else if (const int index = set.find_item(first); index >= 0 && show_what->size() == 1) {
      item_detail(index);
    } else {
      bool found = false;
      for (const auto& x : set.crosswalks) {
        if (x.id != first) continue;
        found = true;
        text = x.id + " (confidence " + std::string(confidence_name(x.confidence)) + "): " + x.note + "\n";
        for (const auto& link : x.links) {
          text += "  " + set.items[static_cast<std::size_t>(link.from)].id + " " + std::string(relation_name(link.relation)) + " " +
                  set.items[static_cast<std::size_t>(link.to)].id + "\n";
          out["links"].push_back({{"from", set.items[static_cast<std::size_t>(link.from)].ref},
                                  {"relation", relation_name(link.relation)},
                                  {"to", set.items[static_cast<std::size_t>(link.to)].ref}});
        }
      }
      if (!found) {
        throw UserError("\"" + first + "\" is no catalogue, item, crosswalk, sdl-stages, evidence-kinds or regimes "
                        "(see `fieldtrust catalog list`)", host::kExitInput);
      }
    }
    if (show_options->json) {
      std::cout << out.dump(2) << "\n";
    } else {
      std::fwrite(text.data(), 1, text.size(), stdout);
    }
    ctx.exit_code = host::kExitOk;
  });

  auto validate_options = std::make_shared<CommonOptions>();
  auto validate_dir = std::make_shared<std::string>();
  CLI::App* validate = catalog->add_subcommand("validate", "Check the catalogues; exit 0 when valid, 1 when not");
  validate->footer("Reports file:line: field: problem for YAML errors, unknown or repeated fields, duplicate IDs, SLs "
                   "outside 1 to 4, dangling references and crosswalk entries that point nowhere.");
  add_common(validate, *validate_options, false);
  validate->add_option("dir", *validate_dir, "Catalogue directory (same as --catalogs)");
  validate->add_flag("--json", validate_options->json, "Print the findings as JSON");
  validate->callback([validate_options, validate_dir, &ctx] {
    const std::string dir = !validate_dir->empty() ? *validate_dir : catalog_dir(*validate_options);
    Diagnostics diags;
    const CatalogSet set = load_catalogs(dir, diags);
    if (!diags.has_errors()) check_catalogs(set, diags);
    const std::size_t errors = diags.error_count();
    if (validate_options->json) {
      nlohmann::json out = {{"directory", dir}, {"valid", errors == 0}, {"errors", errors}, {"findings", nlohmann::json::array()}};
      for (const auto& d : diags.all()) {
        out["findings"].push_back({{"severity", d.severity == Diagnostic::Severity::error ? "error" : "warning"},
                                   {"file", d.file}, {"line", d.line}, {"field", d.field}, {"message", d.message}});
      }
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& d : diags.all()) std::printf("%s\n", d.to_string().c_str());
      if (errors == 0) {
        std::printf("%s: valid: %zu catalogues, %zu items, %zu crosswalks (%zu links), %zu SDL stages, %zu regimes\n", dir.c_str(),
                    set.catalogs.size(), set.items.size(), set.crosswalks.size(),
                    [&] {
                      std::size_t n = 0;
                      for (const auto& x : set.crosswalks) n += x.links.size();
                      return n;
                    }(),
                    set.sdl.stages.size(), set.regimes.regimes.size());
      } else {
        std::printf("%s: invalid: %zu errors\n", dir.c_str(), errors);
      }
    }
    ctx.exit_code = errors == 0 ? host::kExitOk : host::kExitRejected;
  });
}

// ------------------------------------------------------------------ assess

struct AssessArgs {
  CommonOptions common;
  std::string product;
  std::string sdl;
  std::string stages;
  std::string date;
  std::string out_dir;
  int target_ml = 0;
  std::string fail_on = "target";
};

void add_assess_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AssessArgs>();
  CLI::App* cmd = app.add_subcommand("assess", "Assess a product: verdicts per requirement, SL-C against SL-T, regimes, gaps");
  cmd->footer(
      "Decides met / partly met / not met / not applicable for every requirement and RE, with the reason and the evidence "
      "used (envelopes, device logs and SBOMs are checked for real), the SL-C vector FR1..FR7 against SL-T, the applicable "
      "regimes with deadlines, and the gaps ordered by what they block.\n"
      "Exit status: 0 SL-C meets SL-T in every FR; 1 it does not (see --fail-on); 2 bad command line; 3 invalid input. "
      "Manual: docs/assess.md");
  cmd->add_option("product", args->product, "Product profile (YAML, schemas/product-profile.schema.json)")->required();
  add_common(cmd, args->common, true);
  cmd->add_option("--sdl", args->sdl, "SDL profile (default: the product profile's sdl.profile)");
  cmd->add_option("--stages", args->stages, "Replacement SDL stage list (same shape as catalogs/sdl-stages.yaml)");
  cmd->add_option("--target-ml", args->target_ml, "Target SDL maturity level (default: profile's, else 3)")->check(CLI::Range(1, 4));
  cmd->add_option("--date", args->date, "Count deadlines from this day, YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--out-dir", args->out_dir, "Also write assessment.json, assessment.md and assessment.html into this directory");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 on: target (SL-C below SL-T), any (any gap), none")
      ->check(CLI::IsMember({"target", "any", "none"}));
  cmd->callback([args, &ctx] {
    const Date date = parse_date_option(args->date);
    CatalogSet set = load_catalogs_or_throw(catalog_dir(args->common));
    std::vector<Diagnostic> warnings;
    const ProductProfile product = load_product_profile(args->product, set, &warnings);
    print_warnings(warnings);
    std::string sdl_path = !args->sdl.empty() ? args->sdl : product.sdl_profile;
    std::optional<SdlProfile> sdl;
    if (!sdl_path.empty()) {
      sdl = load_sdl_profile(sdl_path, set, &warnings);
      print_warnings(warnings);
    }
    std::string stages = args->stages;
    if (stages.empty() && sdl && !sdl->stages_file.empty()) stages = sdl->stages_file;
    if (!stages.empty()) {
      Diagnostics diags;
      replace_sdl_stages(set, stages, diags);
      diags.throw_if_errors("SDL stage list " + stages + " is invalid");
    }
    auto verifier = make_artifact_verifier();
    EvidenceChecker checker(set, *verifier);
    AssessOptions options;
    options.date = date;
    options.sdl = sdl ? &*sdl : nullptr;
    options.sdl_target = args->target_ml;
    const Assessment assessment = ft::assess::assess(set, product, checker, options);
    const std::string format = format_of(args->common);
    if (format == "json") emit(args->common, assessment_to_json(assessment).dump(2) + "\n");
    else if (format == "markdown") emit(args->common, assessment_to_markdown(assessment));
    else if (format == "html") emit(args->common, assessment_to_html(assessment));
    else emit(args->common, assessment_to_text(assessment));
    if (!args->out_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(args->out_dir, ec);
      if (ec) throw UserError(args->out_dir + ": cannot create directory: " + ec.message(), host::kExitEnvironment);
      host::write_file_atomic(args->out_dir + "/assessment.json", assessment_to_json(assessment).dump(2) + "\n");
      host::write_file_atomic(args->out_dir + "/assessment.md", assessment_to_markdown(assessment));
      host::write_file_atomic(args->out_dir + "/assessment.html", assessment_to_html(assessment));
    }
    if (args->fail_on == "any") ctx.exit_code = assessment.gaps.empty() ? host::kExitOk : host::kExitRejected;
    else if (args->fail_on == "target") ctx.exit_code = assessment.gaps_against_target() == 0 ? host::kExitOk : host::kExitRejected;
    else ctx.exit_code = host::kExitOk;
  });
}

// ------------------------------------------------------------------ sdl gap

struct SdlArgs {
  CommonOptions common;
  std::string profile;
  std::string stages;
  int target_ml = 0;
};

void add_sdl_commands(CLI::App& app, Context& ctx) {
  CLI::App* sdl = app.add_subcommand("sdl", "Secure development lifecycle (IEC 62443-4-1) assessment");
  sdl->require_subcommand(1);
  auto args = std::make_shared<SdlArgs>();
  CLI::App* gap = sdl->add_subcommand("gap", "SDL profile against a target maturity: 12 stages, 47 requirements, gaps");
  gap->footer("Exit status: 0 every requirement reaches the target; 1 it does not; 2 bad command line; 3 invalid input. "
              "Manual: docs/assess.md");
  gap->add_option("profile", args->profile, "SDL profile (YAML, schemas/sdl-profile.schema.json)")->required();
  add_common(gap, args->common, true);
  gap->add_option("--target-ml", args->target_ml, "Target maturity level 1..4 (default: the profile's target_maturity, else 3)")
      ->check(CLI::Range(1, 4));
  gap->add_option("--stages", args->stages, "Replacement stage list (same shape as catalogs/sdl-stages.yaml)");
  gap->callback([args, &ctx] {
    CatalogSet set = load_catalogs_or_throw(catalog_dir(args->common));
    std::vector<Diagnostic> warnings;
    const SdlProfile profile = load_sdl_profile(args->profile, set, &warnings);
    print_warnings(warnings);
    const std::string stages = !args->stages.empty() ? args->stages : profile.stages_file;
    if (!stages.empty()) {
      Diagnostics diags;
      replace_sdl_stages(set, stages, diags);
      diags.throw_if_errors("SDL stage list " + stages + " is invalid");
    }
    const int target = args->target_ml > 0 ? args->target_ml : profile.target_maturity;
    const SdlGapReport report = sdl_gap(set, set.sdl, profile, target);
    const std::string format = format_of(args->common);
    if (format == "json") emit(args->common, sdl_gap_to_json(report).dump(2) + "\n");
    else if (format == "markdown") emit(args->common, sdl_gap_to_markdown(report));
    else if (format == "html") emit(args->common, sdl_gap_to_html(report));
    else emit(args->common, sdl_gap_to_text(report));
    ctx.exit_code = report.gaps.empty() ? host::kExitOk : host::kExitRejected;
  });
}

// ------------------------------------------------------------------ regimes

struct RegimeArgs {
  CommonOptions common;
  std::string product;
  RegimeQuery query;
  std::string date;
};

void add_regimes_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RegimeArgs>();
  CLI::App* cmd = app.add_subcommand("regimes", "Which regulatory and procurement regimes apply, with deadlines");
  cmd->footer("Applicability by market, instrument category, sector and interface (catalogs/regimes.yaml), with "
              "deadlines counted from --date. Give a product profile, or --market and --category (and the others).");
  cmd->add_option("product", args->product, "Product profile (instead of the options below)");
  add_common(cmd, args->common, false);
  cmd->add_flag("--json", args->common.json, "Print JSON");
  cmd->add_option("--market", args->query.markets, "Market (EU, US, SA, CN, ...); repeatable");
  cmd->add_option("--category", args->query.category, "Instrument category (pressure-transmitter, flowmeter, ...)");
  cmd->add_option("--sector", args->query.sectors, "Sector (oil-and-gas, water, power, ...); repeatable");
  cmd->add_option("--interface", args->query.interfaces, "Interface (hart, wirelesshart, modbus-tcp, ...); repeatable");
  cmd->add_option("--core-function", args->query.core_function, "Core function, for the CRA class (default: not a listed category)");
  cmd->add_option("--date", args->date, "Count deadlines from this day, YYYY-MM-DD (default: today, UTC)");
  cmd->callback([args, &ctx] {
    const Date date = parse_date_option(args->date);
    const CatalogSet set = load_catalogs_or_throw(catalog_dir(args->common));
    RegimeQuery query = args->query;
    if (!args->product.empty()) {
      const ProductProfile product = load_product_profile(args->product, set);
      query = {product.markets, product.category, product.sectors, product.interfaces, product.core_function};
    } else {
      if (query.markets.empty() || query.category.empty()) {
        throw UserError("regimes: give a product profile, or at least --market and --category", host::kExitUsage);
      }
      for (const auto& m : query.markets) {
        if (!set.find_market(m)) throw UserError("--market: unknown market \"" + m + "\" (see catalogs/regimes.yaml)", host::kExitUsage);
      }
      if (!set.find_category(query.category)) {
        throw UserError("--category: unknown category \"" + query.category + "\" (see catalogs/regimes.yaml)", host::kExitUsage);
      }
      for (const auto& s : query.sectors) {
        if (!set.find_sector(s)) throw UserError("--sector: unknown sector \"" + s + "\"", host::kExitUsage);
      }
      for (const auto& i : query.interfaces) {
        if (!set.find_interface(i)) throw UserError("--interface: unknown interface \"" + i + "\"", host::kExitUsage);
      }
    }
    const auto regimes = applicable_regimes(set, query, date);
    if (args->common.json) {
      nlohmann::json out = {{"date", date.to_string()}, {"regimes", nlohmann::json::array()}};
      for (const auto& a : regimes) {
        const Regime& regime = set.regimes.regimes[static_cast<std::size_t>(a.regime)];
        nlohmann::json entry = {{"id", regime.id}, {"title", regime.title}, {"kind", regime.kind}, {"binding", regime.binding},
                                {"markets", a.markets}, {"why", a.why}, {"confidence", confidence_name(regime.confidence)},
                                {"milestones", nlohmann::json::array()}};
        for (const auto& m : a.milestones) {
          entry["milestones"].push_back({{"id", m.milestone->id}, {"title", m.milestone->title},
                                         {"date", m.milestone->date.to_string()}, {"days_left", m.days_left}});
        }
        if (a.cra) entry["conformity"] = {{"class", a.cra->id}, {"route", a.cra->conformity}};
        out["regimes"].push_back(std::move(entry));
      }
      std::cout << out.dump(2) << "\n";
    } else {
      std::printf("Regimes applicable as of %s:\n", date.to_string().c_str());
      for (const auto& a : regimes) {
        const Regime& regime = set.regimes.regimes[static_cast<std::size_t>(a.regime)];
        std::printf("  %s — %s\n    %s, %s, confidence %s; %s\n", regime.id.c_str(), regime.title.c_str(), regime.kind.c_str(),
                    regime.binding.c_str(), std::string(confidence_name(regime.confidence)).c_str(), a.why.c_str());
        if (a.cra) std::printf("    CRA class %s: %s\n", a.cra->id.c_str(), a.cra->conformity.c_str());
        for (const auto& m : a.milestones) {
          const std::string when = m.days_left >= 0 ? "in " + std::to_string(m.days_left) + " days"
                                                    : "passed " + std::to_string(-m.days_left) + " days ago";
          std::printf("    %s  %s (%s)\n", m.milestone->date.to_string().c_str(), m.milestone->title.c_str(), when.c_str());
        }
      }
    }
    ctx.exit_code = host::kExitOk;
  });
}

}  // namespace

void add_assess_commands(CLI::App& app, Context& ctx) {
  add_catalog_commands(app, ctx);
  add_assess_command(app, ctx);
  add_sdl_commands(app, ctx);
  add_regimes_command(app, ctx);
}

}  // namespace ft::cli
