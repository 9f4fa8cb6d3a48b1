// ft/keys/pkcs11_uri.h — strict parsing of RFC 7512 PKCS#11 URIs naming a key in a token.
//
// Accepted path attributes (";"-separated): token, manufacturer, serial, model (select the token;
// token is required), slot-id, object (CKA_LABEL), id (CKA_ID, percent-encoded bytes),
// type (private | public; default private). Accepted query attributes ("&"-separated after "?"):
// pin-value, pin-source (a file holding the PIN, "file:" prefix optional), module-path.
// Every other attribute, a repeated attribute, an empty name, a bad %XX escape, or a character
// outside RFC 7512's allowed set is an error naming the attribute.
//
// Environment: FT_PKCS11_PIN gives the PIN when the URI has neither pin-value nor pin-source;
// FT_PKCS11_MODULE gives the module when the URI has no module-path; the default module is
// kDefaultPkcs11Module (SoftHSM2 on Debian).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ft::keys {

inline constexpr const char* kDefaultPkcs11Module = "/usr/lib/softhsm/libsofthsm2.so";

// Pkcs11Uri — a parsed URI. Empty optionals mean "attribute absent". Values are percent-decoded.
struct Pkcs11Uri {
  std::optional<std::string> token;         // CKA/CK_TOKEN_INFO label
  std::optional<std::string> manufacturer;  // token manufacturerID
  std::optional<std::string> serial;        // token serialNumber
  std::optional<std::string> model;         // token model
  std::optional<std::uint64_t> slot_id;
  std::optional<std::string> object;        // CKA_LABEL
  std::optional<std::vector<std::uint8_t>> id;  // CKA_ID
  std::optional<std::string> type;          // "private" or "public"
  std::optional<std::string> pin_value;
  std::optional<std::string> pin_source;
  std::optional<std::string> module_path;

  // to_string returns the URI in canonical form (attributes in the order above, values
  // percent-encoded where needed) WITHOUT pin-value, so it is safe to print, log and store.
  [[nodiscard]] std::string to_string() const;

  // resolved_module returns module_path, else $FT_PKCS11_MODULE, else kDefaultPkcs11Module.
  [[nodiscard]] std::string resolved_module() const;

  // resolved_pin returns pin_value, else the first line of the pin_source file, else
  // $FT_PKCS11_PIN, else nullopt. Throws UserError if pin_source cannot be read.
  [[nodiscard]] std::optional<std::string> resolved_pin() const;
};

// is_pkcs11_uri is true when text starts with "pkcs11:" (case-sensitive, as RFC 7512 writes it).
bool is_pkcs11_uri(const std::string& text);

// parse_pkcs11_uri parses text strictly. Throws host::UserError (kExitInput) naming the offending
// attribute and the problem; the message never contains the PIN.
Pkcs11Uri parse_pkcs11_uri(const std::string& text);

}  // namespace ft::keys
