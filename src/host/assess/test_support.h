// test_support.h — shared helpers for ft_assess tests (not part of the library).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ft/assess/catalog_load.h"
#include "ft/assess/evidence.h"

namespace ft::assess::testing {

inline std::string source_dir() { return FT_SOURCE_DIR; }
inline std::string catalog_dir() { return source_dir() + "/catalogs"; }
inline std::string example_dir() { return source_dir() + "/examples/pressure-transmitter"; }
inline std::string testdata_dir() { return std::string(FT_TESTDATA_DIR) + "/assess"; }

// shipped_catalogs returns the project's catalogues, loaded once; a load error fails the test.
inline const CatalogSet& shipped_catalogs() {
  static const CatalogSet set = [] {
    Diagnostics diags;
    CatalogSet loaded = load_catalogs(catalog_dir(), diags);
    for (const auto& d : diags.all()) ADD_FAILURE() << d.to_string();
    return loaded;
  }();
  return set;
}

// TempDir — a fresh directory removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "ft-assess-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string file = path_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(file).parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }

 private:
  std::string path_;
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ScriptedVerifier — answers with fixed outcomes and counts calls, for engine and evidence tests.
class ScriptedVerifier final : public ArtifactVerifier {
 public:
  VerifyOutcome envelope{Verdict::verified, "signature chain valid under the code-signing profile", {"sequence=7"}};
  VerifyOutcome log{Verdict::verified, "hash chain and signatures valid", {"rollback-protection"}};
  int envelope_calls = 0;
  int log_calls = 0;

  VerifyOutcome verify_envelope(const EnvelopeCheck&) override {
    ++envelope_calls;
    return envelope;
  }
  VerifyOutcome verify_device_log(const DeviceLogCheck&) override {
    ++log_calls;
    return log;
  }
};

}  // namespace ft::assess::testing
