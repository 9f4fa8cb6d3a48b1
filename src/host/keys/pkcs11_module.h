// pkcs11_module.h — internal to ft_keys: a loaded PKCS#11 module, its slots and sessions.
//
// Every PKCS#11 call goes through here so that each failure becomes one UserError naming the URI
// (without PIN), the operation and the CKR_* code.
#pragma once

#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>
#include <vector>

#include "ft/keys/pkcs11_uri.h"

namespace ft::keys::pkcs11 {

// rv_name returns "CKR_PIN_INCORRECT" etc., or "CKR_0x<hex>" for codes not in the table.
std::string rv_name(CK_RV rv);

// Module — a dlopen'ed PKCS#11 library, initialised once per process and path; finalised and
// unloaded when the last holder releases it.
class Module {
 public:
  // load returns the shared instance for path. Throws UserError (kExitEnvironment) naming context
  // and path when the library cannot be loaded or initialised.
  static std::shared_ptr<Module> load(const std::string& path, const std::string& context);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  [[nodiscard]] CK_FUNCTION_LIST* functions() const { return functions_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Module() = default;
  void* handle_ = nullptr;
  CK_FUNCTION_LIST* functions_ = nullptr;
  bool finalize_ = false;  // false when someone else in the process had initialised it already
  std::string path_;
};

// Session — one logged-in session on the token a URI selects. Closing it (destructor) does not
// log out explicitly: the login ends with the application's last session on the token.
class Session {
 public:
  // open finds the single token matching uri's token attributes, opens a session (read-write
  // when rw) and logs in as user with the resolved PIN. context names the key in messages.
  static std::unique_ptr<Session> open(const Pkcs11Uri& uri, bool rw, const std::string& context);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  [[nodiscard]] CK_FUNCTION_LIST* f() const { return module_->functions(); }
  [[nodiscard]] CK_SESSION_HANDLE handle() const { return handle_; }
  [[nodiscard]] const std::string& context() const { return context_; }

  // check throws UserError "<context>: <operation> failed: <CKR name>" unless rv is CKR_OK.
  void check(CK_RV rv, const char* operation) const;

  // find_objects returns the handles of all objects matching the template.
  [[nodiscard]] std::vector<CK_OBJECT_HANDLE> find_objects(std::vector<CK_ATTRIBUTE> match) const;

  // attribute returns the value of one attribute of object; throws when it is absent.
  [[nodiscard]] std::vector<std::uint8_t> attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const;

 private:
  Session() = default;
  std::shared_ptr<Module> module_;
  CK_SESSION_HANDLE handle_ = 0;
  std::string context_;
};

}  // namespace ft::keys::pkcs11
