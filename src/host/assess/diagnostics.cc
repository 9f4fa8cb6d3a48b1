#include "ft/assess/diagnostics.h"

#include "ft/host/error.h"

namespace ft::assess {

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  if (!field.empty()) out += field + ": ";
  out += message;
  return out;
}

void Diagnostics::error(std::string file, int line, std::string field, std::string message) {
  list_.push_back({Diagnostic::Severity::error, std::move(file), line, std::move(field), std::move(message)});
}

void Diagnostics::warning(std::string file, int line, std::string field, std::string message) {
  list_.push_back({Diagnostic::Severity::warning, std::move(file), line, std::move(field), std::move(message)});
}

std::size_t Diagnostics::error_count() const {
  std::size_t count = 0;
  for (const auto& d : list_) count += d.severity == Diagnostic::Severity::error ? 1 : 0;
  return count;
}

void Diagnostics::throw_if_errors(const std::string& what, std::size_t max_listed) const {
  const std::size_t errors = error_count();
  if (errors == 0) return;
  std::string message = what + ": " + std::to_string(errors) + (errors == 1 ? " error" : " errors");
  std::size_t listed = 0;
  for (const auto& d : list_) {
    if (d.severity != Diagnostic::Severity::error) continue;
    if (listed == max_listed) {
      message += "\n  ... and " + std::to_string(errors - listed) + " more";
      break;
    }
    message += "\n  " + d.to_string();
    ++listed;
  }
  throw host::UserError(message, host::kExitInput);
}

}  // namespace ft::assess
