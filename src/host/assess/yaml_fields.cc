#include "yaml_fields.h"

#include <regex>
#include <set>

#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::assess::detail {

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.line < 0 ? 0 : mark.line + 1;
}

std::optional<YAML::Node> parse_yaml_text(const std::string& text, const std::string& file, Diagnostics& diags) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      diags.error(file, 0, "", "file is empty; expected a YAML mapping");
      return std::nullopt;
    }
    return root;
  } catch (const YAML::Exception& e) {
    diags.error(file, e.mark.line < 0 ? 0 : e.mark.line + 1, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diags) {
  std::string text;
  try {
    text = host::read_text_file(path, 16u << 20);
  } catch (const host::UserError& e) {
    diags.error(path, 0, "", e.what());
    return std::nullopt;
  }
  return parse_yaml_text(text, path, diags);
}

void Fields::error(const YAML::Node& at, const std::string& field, const std::string& message) {
  diags_.error(file_, line_of(at), field, message);
}

void Fields::error_line(int line, const std::string& field, const std::string& message) {
  diags_.error(file_, line, field, message);
}

void Fields::warning(const YAML::Node& at, const std::string& field, const std::string& message) {
  diags_.warning(file_, line_of(at), field, message);
}

std::string Fields::child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Fields::index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

bool Fields::expect_map(const YAML::Node& node, const std::string& path) {
  if (node.IsMap()) return true;
  error(node, path, "expected a mapping (key: value pairs)");
  return false;
}

bool Fields::expect_seq(const YAML::Node& node, const std::string& path) {
  if (node.IsSequence()) return true;
  error(node, path, "expected a list");
  return false;
}

void Fields::check_keys(const YAML::Node& map, const std::string& path,
                        std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
    if (!seen.insert(key).second) error(entry.first, child(path, key), "key appears twice");
    bool known = false;
    for (const auto& name : allowed) known = known || name == key;
    if (!known) {
      std::string list;
      for (const auto& name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      error(entry.first, child(path, key), "unknown field (allowed: " + list + ")");
    }
  }
}

namespace {

// resolves_to_non_text is true for a plain (unquoted) scalar that YAML's core schema reads as a
// number, boolean or null. Other YAML tools (and JSON Schema validators) see no text there, so
// FieldTrust asks for quotes rather than guessing.
bool resolves_to_non_text(const YAML::Node& node) {
  if (node.Tag() != "?") return false;  // quoted, or explicitly tagged
  const std::string& s = node.Scalar();
  static const std::regex kCore(
      "null|Null|NULL|~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|"
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  return std::regex_match(s, kCore);
}

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

}  // namespace

std::optional<Located> Fields::scalar(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    error(node, path, "expected a text value");
    return std::nullopt;
  }
  if (node.Scalar().empty()) {
    error(node, path, "must not be empty");
    return std::nullopt;
  }
  if (resolves_to_non_text(node)) {
    error(node, path, "expected text, got the number or keyword " + node.Scalar() + "; put it in quotes (\"" + node.Scalar() + "\")");
    return std::nullopt;
  }
  return Located{node.Scalar(), line_of(node)};
}

std::optional<Located> Fields::string(const YAML::Node& map, std::string_view key, const std::string& path,
                                      bool required) {
  const YAML::Node value = map[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) error(map, child(path, key), "required field is missing");
    return std::nullopt;
  }
  return scalar(value, child(path, key));
}

std::optional<int> Fields::integer(const YAML::Node& map, std::string_view key, const std::string& path,
                                   bool required, int min, int max) {
  const YAML::Node value = map[std::string(key)];
  const std::string field = child(path, key);
  if (!value.IsDefined() || value.IsNull()) {
    if (required) error(map, field, "required field is missing");
    return std::nullopt;
  }
  const std::string text = value.IsScalar() && !is_quoted(value) ? value.Scalar() : std::string();
  bool digits = !text.empty() && text.size() <= 9;
  for (const char c : text) digits = digits && c >= '0' && c <= '9';
  if (!digits) {
    error(value, field, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                            (text.empty() ? std::string() : ", got \"" + text + "\""));
    return std::nullopt;
  }
  const int number = std::stoi(text);
  if (number < min || number > max) {
    error(value, field, std::to_string(number) + " is outside " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> Fields::boolean(const YAML::Node& map, std::string_view key, const std::string& path,
                                    bool required) {
  const YAML::Node value = map[std::string(key)];
  const std::string field = child(path, key);
  if (!value.IsDefined() || value.IsNull()) {
    if (required) error(map, field, "required field is missing");
    return std::nullopt;
  }
  if (value.IsScalar() && !is_quoted(value) && value.Scalar() == "true") return true;
  if (value.IsScalar() && !is_quoted(value) && value.Scalar() == "false") return false;
  error(value, field, "expected true or false");
  return std::nullopt;
}

std::optional<std::vector<Located>> Fields::string_list(const YAML::Node& map, std::string_view key,
                                                        const std::string& path, bool required) {
  const YAML::Node value = map[std::string(key)];
  const std::string field = child(path, key);
  if (!value.IsDefined() || value.IsNull()) {
    if (required) {
      error(map, field, "required field is missing");
      return std::nullopt;
    }
    return std::vector<Located>{};
  }
  if (!expect_seq(value, field)) return std::nullopt;
  std::vector<Located> out;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto item = scalar(value[i], index(field, i));
    if (item) {
      out.push_back(std::move(*item));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace ft::assess::detail
