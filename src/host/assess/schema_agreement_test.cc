// The shipped JSON Schemas (checked by an independent validator, python3-jsonschema) and the C++
// profile validator agree on sample profiles: both accept the good ones and reject the badly
// shaped ones; profiles that are well shaped but name unknown IDs pass the schema (shape only)
// and fail the C++ validator (which knows the catalogues).
#include <gtest/gtest.h>
#include <stdio.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "ft/assess/product_profile.h"
#include "ft/assess/sdl_profile.h"
#include "test_support.h"

namespace ft::assess {
namespace {

using testing::shipped_catalogs;

bool cpp_accepts(const std::string& path, bool sdl) {
  Diagnostics diags;
  const std::string text = testing::read_text(path);
  const std::string dir = std::filesystem::path(path).parent_path().string();
  if (sdl) {
    (void)parse_sdl_profile(text, path, dir, shipped_catalogs(), diags);
  } else {
    (void)parse_product_profile(text, path, dir, shipped_catalogs(), diags);
  }
  return !diags.has_errors();
}

// schema_verdicts runs the independent validator on files; maps file -> "valid" / "invalid: ...".
// Returns nullopt when python3-jsonschema is not installed.
std::optional<std::map<std::string, std::string>> schema_verdicts(const std::string& schema,
                                                                  const std::vector<std::string>& files) {
  std::string command = "/usr/bin/python3 " + testing::testdata_dir() + "/jsonschema_check.py " + schema;
  for (const auto& f : files) command += " '" + f + "'";
  command += " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  if (status != 0) return std::nullopt;
  std::map<std::string, std::string> verdicts;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    for (const auto& f : files) {
      if (line.rfind(f + ": ", 0) == 0) verdicts[f] = line.substr(f.size() + 2);
    }
  }
  return verdicts;
}

struct Sample {
  std::string path;
  std::string group;  // good, bad-shape, bad-semantic
  bool sdl = false;
};

std::vector<Sample> samples() {
  std::vector<Sample> out;
  for (const char* group : {"good", "bad-shape", "bad-semantic"}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::testdata_dir() + "/profiles/" + group)) {
      const std::string name = entry.path().filename().string();
      out.push_back({entry.path().string(), group, name.rfind("sdl-", 0) == 0});
    }
  }
  out.push_back({testing::example_dir() + "/product.yaml", "good", false});
  out.push_back({testing::example_dir() + "/sdl.yaml", "good", true});
  std::sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) { return a.path < b.path; });
  return out;
}

TEST(SchemaAgreement, SchemasAndValidatorAgreeOnSamples) {
  const auto all = samples();
  ASSERT_GE(all.size(), 20u);
  std::vector<std::string> products, sdls;
  for (const auto& s : all) (s.sdl ? sdls : products).push_back(s.path);
  const auto product_verdicts = schema_verdicts(testing::source_dir() + "/schemas/product-profile.schema.json", products);
  const auto sdl_verdicts = schema_verdicts(testing::source_dir() + "/schemas/sdl-profile.schema.json", sdls);
  if (!product_verdicts || !sdl_verdicts) GTEST_SKIP() << "python3-jsonschema not installed (scripts/install-deps.sh)";
  for (const auto& s : all) {
    const auto& verdicts = s.sdl ? *sdl_verdicts : *product_verdicts;
    const auto it = verdicts.find(s.path);
    ASSERT_NE(it, verdicts.end()) << s.path;
    const bool schema_ok = it->second == "valid";
    const bool cpp_ok = cpp_accepts(s.path, s.sdl);
    if (s.group == "good") {
      EXPECT_TRUE(schema_ok) << s.path << ": " << it->second;
      EXPECT_TRUE(cpp_ok) << s.path;
    } else if (s.group == "bad-shape") {
      EXPECT_FALSE(schema_ok) << s.path;
      EXPECT_FALSE(cpp_ok) << s.path;
    } else {
      EXPECT_TRUE(schema_ok) << s.path << ": " << it->second;
      EXPECT_FALSE(cpp_ok) << s.path;
    }
  }
}

}  // namespace
}  // namespace ft::assess
