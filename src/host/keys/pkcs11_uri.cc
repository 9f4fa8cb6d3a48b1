#include "ft/keys/pkcs11_uri.h"

#include <cstdlib>
#include <cstring>

#include "ft/host/error.h"
#include "ft/host/files.h"

namespace ft::keys {

namespace {

using host::kExitInput;
using host::UserError;

constexpr std::string_view kScheme = "pkcs11:";

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// RFC 7512 §2.3: characters a path value may carry unencoded (";", "/", "?" must be encoded).
bool is_path_char(char c) {
  return is_unreserved(c) || (c != '\0' && std::strchr(":[]@!$'()*+,=&", c) != nullptr);
}

// Query values may also carry "/", "?" and "|" unencoded, but not "&" (the separator).
bool is_query_char(char c) {
  return is_unreserved(c) || (c != '\0' && std::strchr(":[]@!$'()*+,=/?|", c) != nullptr);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decode percent-decodes value; name is the attribute for error messages. Never echoes the value
// of pin-value.
std::string decode(std::string_view value, std::string_view name, bool in_query) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '%') {
      const int high = i + 1 < value.size() ? hex_value(value[i + 1]) : -1;
      const int low = i + 2 < value.size() ? hex_value(value[i + 2]) : -1;
      if (high < 0 || low < 0) {
        throw UserError("PKCS#11 URI: attribute \"" + std::string(name) +
                            "\": bad percent escape (expected %XX with two hex digits)",
                        kExitInput);
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (in_query ? is_query_char(c) : is_path_char(c)) {
      out.push_back(c);
    } else {
      const std::string shown = (c >= 0x21 && c < 0x7f) ? std::string("'") + c + "'" : "a control or non-ASCII byte";
      throw UserError("PKCS#11 URI: attribute \"" + std::string(name) + "\": character " + shown +
                          " must be percent-encoded",
                      kExitInput);
    }
  }
  return out;
}

void set_once(std::optional<std::string>& field, std::string value, std::string_view name) {
  if (field) {
    throw UserError("PKCS#11 URI: attribute \"" + std::string(name) + "\" appears twice", kExitInput);
  }
  field = std::move(value);
}

std::uint64_t parse_slot_id(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    throw UserError("PKCS#11 URI: attribute \"slot-id\": \"" + text + "\" is not a decimal number",
                    kExitInput);
  }
  return std::strtoull(text.c_str(), nullptr, 10);
}

void apply_path_attribute(Pkcs11Uri& uri, std::string_view name, std::string_view raw) {
  std::string value = decode(raw, name, false);
  if (name == "token") return set_once(uri.token, std::move(value), name);
  if (name == "manufacturer") return set_once(uri.manufacturer, std::move(value), name);
  if (name == "serial") return set_once(uri.serial, std::move(value), name);
  if (name == "model") return set_once(uri.model, std::move(value), name);
  if (name == "object") return set_once(uri.object, std::move(value), name);
  if (name == "type") {
    if (value != "private" && value != "public") {
      throw UserError("PKCS#11 URI: attribute \"type\": \"" + value +
                          "\" is not supported (use private or public)",
                      kExitInput);
    }
    return set_once(uri.type, std::move(value), name);
  }
  if (name == "id") {
    if (uri.id) throw UserError("PKCS#11 URI: attribute \"id\" appears twice", kExitInput);
    if (value.empty()) throw UserError("PKCS#11 URI: attribute \"id\" is empty", kExitInput);
    uri.id = std::vector<std::uint8_t>(value.begin(), value.end());
    return;
  }
  if (name == "slot-id") {
    if (uri.slot_id) throw UserError("PKCS#11 URI: attribute \"slot-id\" appears twice", kExitInput);
    uri.slot_id = parse_slot_id(value);
    return;
  }
  throw UserError("PKCS#11 URI: unknown or unsupported path attribute \"" + std::string(name) +
                      "\" (supported: token, manufacturer, serial, model, slot-id, object, id, type)",
                  kExitInput);
}

void apply_query_attribute(Pkcs11Uri& uri, std::string_view name, std::string_view raw) {
  std::string value = decode(raw, name, true);
  if (name == "pin-value") return set_once(uri.pin_value, std::move(value), name);
  if (name == "pin-source") return set_once(uri.pin_source, std::move(value), name);
  if (name == "module-path") return set_once(uri.module_path, std::move(value), name);
  throw UserError("PKCS#11 URI: unknown or unsupported query attribute \"" + std::string(name) +
                      "\" (supported: pin-value, pin-source, module-path)",
                  kExitInput);
}

// for_each_attribute splits "a=b<sep>c=d" and calls apply(name, value) for each; an empty
// component or a missing "=" is an error.
template <typename Apply>
void for_each_attribute(std::string_view list, char separator, const char* component, Apply apply) {
  if (list.empty()) return;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = list.find(separator, start);
    const std::string_view item = list.substr(start, end == std::string_view::npos ? list.npos : end - start);
    const std::size_t equals = item.find('=');
    if (item.empty() || equals == std::string_view::npos || equals == 0) {
      throw UserError(std::string("PKCS#11 URI: ") + component + " component has an entry \"" +
                          std::string(item.substr(0, equals == std::string_view::npos ? item.size() : equals)) +
                          "\" that is not name=value",
                      kExitInput);
    }
    apply(item.substr(0, equals), item.substr(equals + 1));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

std::string encode(std::string_view value, bool in_query) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    // "&" and "=" are legal in path values but encoding them keeps the URI unambiguous to read.
    const bool plain = is_unreserved(c) || (in_query && (c == '/' || c == ':'));
    if (plain) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

}  // namespace

bool is_pkcs11_uri(const std::string& text) { return text.rfind(kScheme, 0) == 0; }

Pkcs11Uri parse_pkcs11_uri(const std::string& text) {
  if (!is_pkcs11_uri(text)) {
    throw UserError("PKCS#11 URI: must start with \"pkcs11:\"", kExitInput);
  }
  const std::string_view rest = std::string_view(text).substr(kScheme.size());
  const std::size_t question = rest.find('?');
  const std::string_view path = rest.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  if (question != std::string_view::npos && query.empty()) {
    throw UserError("PKCS#11 URI: empty query after \"?\"", kExitInput);
  }
  Pkcs11Uri uri;
  for_each_attribute(path, ';', "path", [&](std::string_view name, std::string_view value) {
    apply_path_attribute(uri, name, value);
  });
  for_each_attribute(query, '&', "query", [&](std::string_view name, std::string_view value) {
    apply_query_attribute(uri, name, value);
  });
  if (uri.pin_value && uri.pin_source) {
    throw UserError("PKCS#11 URI: give either pin-value or pin-source, not both", kExitInput);
  }
  return uri;
}

std::string Pkcs11Uri::to_string() const {
  std::string path;
  auto add = [&path](const char* name, const std::string& value) {
    if (!path.empty()) path += ';';
    path += name;
    path += '=';
    path += encode(value, false);
  };
  if (token) add("token", *token);
  if (manufacturer) add("manufacturer", *manufacturer);
  if (serial) add("serial", *serial);
  if (model) add("model", *model);
  if (slot_id) add("slot-id", std::to_string(*slot_id));
  if (object) add("object", *object);
  if (id) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (std::uint8_t byte : *id) {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0x0f];
    }
    if (!path.empty()) path += ';';
    path += "id=" + encoded;
  }
  if (type) add("type", *type);
  std::string query;
  if (pin_source) query += "pin-source=" + encode(*pin_source, true);
  if (module_path) query += std::string(query.empty() ? "" : "&") + "module-path=" + encode(*module_path, true);
  return std::string(kScheme) + path + (query.empty() ? "" : "?" + query);
}

std::string Pkcs11Uri::resolved_module() const {
  if (module_path) return *module_path;
  const char* env = std::getenv("FT_PKCS11_MODULE");
  if (env != nullptr && *env != '\0') return env;
  return kDefaultPkcs11Module;
}

std::optional<std::string> Pkcs11Uri::resolved_pin() const {
  if (pin_value) return pin_value;
  if (pin_source) {
    std::string file = *pin_source;
    if (file.rfind("file://", 0) == 0) {
      file = file.substr(7);
    } else if (file.rfind("file:", 0) == 0) {
      file = file.substr(5);
    }
    const std::string text = host::read_text_file(file, 4096);
    return text.substr(0, text.find_first_of("\r\n"));
  }
  const char* env = std::getenv("FT_PKCS11_PIN");
  if (env != nullptr) return std::string(env);
  return std::nullopt;
}

}  // namespace ft::keys
