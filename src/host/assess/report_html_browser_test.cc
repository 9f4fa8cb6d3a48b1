// The assessment's HTML page rendered in headless Chromium: it loads without console errors, its
// script runs, and the three charts are in the rendered DOM.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include "ft/assess/report.h"
#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;
using testing::TempDir;

std::string find_chromium() {
  for (const char* candidate : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return "";
}

struct BrowserRun {
  int status = -1;
  std::string out;
  std::string err;
};

BrowserRun render(const std::string& chromium, const std::string& html_path, const TempDir& dir) {
  const std::string out_path = dir.path() + "/dom.html";
  const std::string err_path = dir.path() + "/stderr.txt";
  const std::string command =
      "timeout 60 " + chromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking"
      " --disable-component-update --disable-sync --user-data-dir=" + dir.path() + "/profile"
      " --enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom file://" + html_path + " >" + out_path + " 2>" + err_path;
  BrowserRun run;
  run.status = std::system(command.c_str());
  run.out = testing::read_text(out_path);
  run.err = testing::read_text(err_path);
  return run;
}

std::vector<std::string> console_errors(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    const bool console = line.find("CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos;
    if (console) out.push_back(line);
  }
  return out;
}

class HtmlInBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = find_chromium();
    if (chromium_.empty()) GTEST_SKIP() << "chromium not installed (scripts/install-deps.sh)";
  }
  std::string chromium_;
  TempDir dir_;
};

TEST_F(HtmlInBrowser, AssessmentPageLoadsCleanAndShowsCharts) {
  const CatalogSet& set = shipped_catalogs();
  const ProductProfile product = load_product_profile(testing::example_dir() + "/product.yaml", set);
  const SdlProfile sdl = load_sdl_profile(product.sdl_profile, set);
  UnavailableVerifier verifier;
  EvidenceChecker checker(set, verifier);
  AssessOptions options;
  options.date = *parse_date("2026-11-27");
  options.sdl = &sdl;
  const Assessment assessment = assess(set, product, checker, options);
  const std::string page = dir_.write("assessment.html", assessment_to_html(assessment));

  const BrowserRun run = render(chromium_, page, dir_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(console_errors(run.err), std::vector<std::string>{});
  // The inline script ran to its end (it marks the body), so it threw nothing.
  EXPECT_NE(run.out.find("data-ready=\"1\""), std::string::npos);
  for (const char* chart : {"<svg id=\"chart-sl\"", "<svg id=\"chart-status\"", "<svg id=\"chart-sdl\""}) {
    EXPECT_NE(run.out.find(chart), std::string::npos) << chart;
  }
  EXPECT_NE(run.out.find("<rect class=\"bar\""), std::string::npos);
}

TEST_F(HtmlInBrowser, BrokenScriptWouldBeCaught) {
  // The check above can fail: a page whose script throws is reported on the console.
  const std::string page = dir_.write("broken.html",
                                      "<!DOCTYPE html><html><body><svg id=\"chart-sl\"></svg>"
                                      "<script>undefinedFunction();document.body.setAttribute('data-ready','1');</script>"
                                      "</body></html>");
  const BrowserRun run = render(chromium_, page, dir_);
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_FALSE(console_errors(run.err).empty()) << run.err;
  EXPECT_EQ(run.out.find("data-ready=\"1\""), std::string::npos);
}

}  // namespace
}  // namespace ft::assess
