#include "ft/host/error.h"

namespace ft::host {

std::string describe(const std::string& context, const Error& error) {
  std::string out = context;
  if (!out.empty()) out += ": ";
  out += error.message;
  out += " [";
  out += code_name(error.code);
  out += "]";
  return out;
}

}  // namespace ft::host
