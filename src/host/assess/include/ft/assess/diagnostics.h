// ft/assess/diagnostics.h — problems found in catalogue and profile files, each naming the file,
// the line and the field, so a user can go straight to it.
#pragma once

#include <string>
#include <vector>

namespace ft::assess {

// Diagnostic — one problem. line is 1-based; 0 when the problem concerns the whole file.
struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  std::string file;
  int line = 0;
  std::string field;  // dotted path, e.g. "items[3].enhancements[0].sl"
  std::string message;

  // to_string returns "file:line: field: message" (with "warning: " before the field for warnings).
  [[nodiscard]] std::string to_string() const;
};

// Diagnostics — an ordered list of problems.
class Diagnostics {
 public:
  void error(std::string file, int line, std::string field, std::string message);
  void warning(std::string file, int line, std::string field, std::string message);

  [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] bool has_errors() const { return error_count() != 0; }

  // throw_if_errors throws host::UserError (exit code kExitInput) whose message lists the errors,
  // one per line, at most max_listed of them, when there is any error. what names the input
  // ("product profile", "catalogues in DIR").
  void throw_if_errors(const std::string& what, std::size_t max_listed = 25) const;

 private:
  std::vector<Diagnostic> list_;
};

}  // namespace ft::assess
