// yaml_fields.h — strict reading of YAML fields with positions (private to ft_assess).
//
// Every getter records a Diagnostic naming file, line and field when a value is missing, of the
// wrong type or out of range, and returns nullopt; callers go on reading so that one run reports
// every problem in a file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ft/assess/diagnostics.h"

namespace ft::assess::detail {

// line_of returns the 1-based line of node, 0 when yaml-cpp has no position for it.
int line_of(const YAML::Node& node);

// load_yaml_file reads and parses path. On a read or syntax error it records a diagnostic and
// returns nullopt.
std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diags);

// parse_yaml_text is load_yaml_file for text already in memory; file names it in diagnostics.
std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file, Diagnostics& diags);

// A string value together with the line it came from.
struct Located {
  std::string value;
  int line = 0;
};

class Fields {
 public:
  Fields(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  [[nodiscard]] const std::string& file() const { return file_; }
  void error(const YAML::Node& at, const std::string& field, const std::string& message);
  void error_line(int line, const std::string& field, const std::string& message);
  void warning(const YAML::Node& at, const std::string& field, const std::string& message);

  // expect_map / expect_seq record an error unless node is a map / a sequence.
  bool expect_map(const YAML::Node& node, const std::string& path);
  bool expect_seq(const YAML::Node& node, const std::string& path);

  // check_keys reports keys of map not in allowed, and keys that appear twice.
  void check_keys(const YAML::Node& map, const std::string& path, std::initializer_list<std::string_view> allowed);

  // child returns path + "." + key, or key when path is empty.
  static std::string child(const std::string& path, std::string_view key);
  static std::string index(const std::string& path, std::size_t i);

  std::optional<Located> string(const YAML::Node& map, std::string_view key, const std::string& path, bool required);
  std::optional<int> integer(const YAML::Node& map, std::string_view key, const std::string& path, bool required,
                             int min, int max);
  std::optional<bool> boolean(const YAML::Node& map, std::string_view key, const std::string& path, bool required);
  // string_list reads a sequence of strings; a missing optional key gives an empty list.
  std::optional<std::vector<Located>> string_list(const YAML::Node& map, std::string_view key, const std::string& path,
                                                  bool required);
  // scalar reads node itself as a non-empty string.
  std::optional<Located> scalar(const YAML::Node& node, const std::string& path);

 private:
  std::string file_;
  Diagnostics& diags_;
};

}  // namespace ft::assess::detail
