#include "pkcs11_module.h"

#include <dlfcn.h>

#include <cstdio>
#include <map>
#include <mutex>

#include "ft/host/error.h"

namespace ft::keys::pkcs11 {

namespace {

using host::kExitEnvironment;
using host::UserError;

#define FT_PKCS11_RV_NAMES(X)                                                                    \
  X(CKR_OK) X(CKR_CANCEL) X(CKR_HOST_MEMORY) X(CKR_SLOT_ID_INVALID) X(CKR_GENERAL_ERROR)         \
  X(CKR_FUNCTION_FAILED) X(CKR_ARGUMENTS_BAD) X(CKR_ATTRIBUTE_READ_ONLY)                         \
  X(CKR_ATTRIBUTE_SENSITIVE) X(CKR_ATTRIBUTE_TYPE_INVALID) X(CKR_ATTRIBUTE_VALUE_INVALID)        \
  X(CKR_DATA_INVALID) X(CKR_DATA_LEN_RANGE) X(CKR_DEVICE_ERROR) X(CKR_DEVICE_MEMORY)             \
  X(CKR_DEVICE_REMOVED) X(CKR_FUNCTION_NOT_SUPPORTED) X(CKR_KEY_HANDLE_INVALID)                  \
  X(CKR_KEY_SIZE_RANGE) X(CKR_KEY_TYPE_INCONSISTENT) X(CKR_KEY_FUNCTION_NOT_PERMITTED)           \
  X(CKR_MECHANISM_INVALID) X(CKR_MECHANISM_PARAM_INVALID) X(CKR_OBJECT_HANDLE_INVALID)           \
  X(CKR_OPERATION_ACTIVE) X(CKR_OPERATION_NOT_INITIALIZED) X(CKR_PIN_INCORRECT)                  \
  X(CKR_PIN_INVALID) X(CKR_PIN_LEN_RANGE) X(CKR_PIN_EXPIRED) X(CKR_PIN_LOCKED)                   \
  X(CKR_SESSION_CLOSED) X(CKR_SESSION_COUNT) X(CKR_SESSION_HANDLE_INVALID)                       \
  X(CKR_SESSION_READ_ONLY) X(CKR_SESSION_EXISTS) X(CKR_SIGNATURE_INVALID)                        \
  X(CKR_TEMPLATE_INCOMPLETE) X(CKR_TEMPLATE_INCONSISTENT) X(CKR_TOKEN_NOT_PRESENT)               \
  X(CKR_TOKEN_NOT_RECOGNIZED) X(CKR_TOKEN_WRITE_PROTECTED) X(CKR_USER_ALREADY_LOGGED_IN)         \
  X(CKR_USER_NOT_LOGGED_IN) X(CKR_USER_PIN_NOT_INITIALIZED) X(CKR_USER_TYPE_INVALID)             \
  X(CKR_CURVE_NOT_SUPPORTED) X(CKR_DOMAIN_PARAMS_INVALID) X(CKR_BUFFER_TOO_SMALL)                \
  X(CKR_CRYPTOKI_NOT_INITIALIZED) X(CKR_CRYPTOKI_ALREADY_INITIALIZED)

CK_RV initialize(CK_FUNCTION_LIST* functions) {
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;  // we do not pass mutex callbacks; let the module use its own
  return functions->C_Initialize(&args);
}

// trimmed returns a blank-padded CK_TOKEN_INFO field without its padding.
std::string trimmed(const unsigned char* field, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(field), size);
  const std::size_t end = text.find_last_not_of(' ');
  return end == std::string::npos ? std::string() : text.substr(0, end + 1);
}

bool matches(const std::optional<std::string>& wanted, const std::string& actual) {
  return !wanted || *wanted == actual;
}

}  // namespace

std::string rv_name(CK_RV rv) {
  switch (rv) {
#define FT_PKCS11_RV_CASE_(name) \
  case name:                     \
    return #name;
    FT_PKCS11_RV_NAMES(FT_PKCS11_RV_CASE_)
#undef FT_PKCS11_RV_CASE_
    default: {
      char text[32];
      std::snprintf(text, sizeof(text), "CKR_0x%lX", static_cast<unsigned long>(rv));
      return text;
    }
  }
}

std::shared_ptr<Module> Module::load(const std::string& path, const std::string& context) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<Module>> loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = loaded[path].lock()) return existing;

  std::shared_ptr<Module> module(new Module());
  module->path_ = path;
  // RTLD_NODELETE: after C_Finalize the module's code stays mapped, so a module's atexit handlers
  // and threads never run unmapped code, and leak reports can still name the module.
  module->handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (module->handle_ == nullptr) {
    const char* why = ::dlerror();
    throw UserError(context + ": cannot load PKCS#11 module " + path + ": " + (why ? why : "unknown error") +
                        " (set module-path in the URI or FT_PKCS11_MODULE)",
                    kExitEnvironment);
  }
  auto get_function_list =
      reinterpret_cast<CK_C_GetFunctionList>(::dlsym(module->handle_, "C_GetFunctionList"));
  if (get_function_list == nullptr) {
    throw UserError(context + ": " + path + " is not a PKCS#11 module (no C_GetFunctionList)", kExitEnvironment);
  }
  CK_RV rv = get_function_list(&module->functions_);
  if (rv != CKR_OK || module->functions_ == nullptr) {
    throw UserError(context + ": " + path + ": C_GetFunctionList failed: " + rv_name(rv), kExitEnvironment);
  }
  rv = initialize(module->functions_);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    throw UserError(context + ": " + path + ": C_Initialize failed: " + rv_name(rv) +
                        " (for SoftHSM2 check SOFTHSM2_CONF and its token directory)",
                    kExitEnvironment);
  }
  module->finalize_ = rv == CKR_OK;
  loaded[path] = module;
  return module;
}

Module::~Module() {
  if (functions_ != nullptr && finalize_) functions_->C_Finalize(nullptr);
  if (handle_ != nullptr) ::dlclose(handle_);
}

std::unique_ptr<Session> Session::open(const Pkcs11Uri& uri, bool rw, const std::string& context) {
  if (!uri.token && !uri.serial && !uri.slot_id) {
    throw UserError(context + ": the PKCS#11 URI names no token; add token=<label> (or serial= / slot-id=)",
                    host::kExitInput);
  }
  std::unique_ptr<Session> session(new Session());
  session->context_ = context;
  session->module_ = Module::load(uri.resolved_module(), context);
  CK_FUNCTION_LIST* f = session->f();

  CK_ULONG count = 0;
  session->check(f->C_GetSlotList(CK_TRUE, nullptr, &count), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(count);
  session->check(f->C_GetSlotList(CK_TRUE, slots.data(), &count), "C_GetSlotList");
  slots.resize(count);

  std::vector<CK_SLOT_ID> found;
  CK_FLAGS token_flags = 0;
  std::string present;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    const std::string label = trimmed(info.label, sizeof(info.label));
    if ((info.flags & CKF_TOKEN_INITIALIZED) != 0) present += (present.empty() ? "\"" : ", \"") + label + "\"";
    if ((uri.slot_id && *uri.slot_id != slot) || !matches(uri.token, label) ||
        !matches(uri.manufacturer, trimmed(info.manufacturerID, sizeof(info.manufacturerID))) ||
        !matches(uri.serial, trimmed(info.serialNumber, sizeof(info.serialNumber))) ||
        !matches(uri.model, trimmed(info.model, sizeof(info.model)))) {
      continue;
    }
    found.push_back(slot);
    token_flags = info.flags;
  }
  if (found.empty()) {
    const bool softhsm = session->module_->path().find("softhsm") != std::string::npos;
    throw UserError(context + ": no token matches the URI in module " + session->module_->path() +
                        "; initialised tokens: " + (present.empty() ? "none" : present) +
                        (present.empty() && softhsm ? " (check SOFTHSM2_CONF and its directories.tokendir)" : ""),
                    kExitEnvironment);
  }
  if (found.size() > 1) {
    throw UserError(context + ": " + std::to_string(found.size()) +
                        " tokens match the URI; add serial= to pick one",
                    kExitEnvironment);
  }
  const CK_FLAGS flags = CKF_SERIAL_SESSION | (rw ? CKF_RW_SESSION : 0);
  session->check(f->C_OpenSession(found[0], flags, nullptr, nullptr, &session->handle_), "C_OpenSession");

  std::optional<std::string> pin = uri.resolved_pin();
  if (!pin && (token_flags & CKF_LOGIN_REQUIRED) != 0) {
    throw UserError(context + ": the token needs a PIN; set FT_PKCS11_PIN, or pin-value / pin-source in the URI",
                    kExitEnvironment);
  }
  if (pin) {
    const CK_RV rv = f->C_Login(session->handle_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin->data()), pin->size());
    if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE) {
      throw UserError(context + ": wrong PIN for the token (" + rv_name(rv) + ")", kExitEnvironment);
    }
    if (rv != CKR_USER_ALREADY_LOGGED_IN) session->check(rv, "C_Login");
  }
  return session;
}

Session::~Session() {
  if (handle_ != 0) module_->functions()->C_CloseSession(handle_);
}

void Session::check(CK_RV rv, const char* operation) const {
  if (rv == CKR_OK) return;
  throw UserError(context_ + ": " + operation + " failed: " + rv_name(rv), kExitEnvironment);
}

std::vector<CK_OBJECT_HANDLE> Session::find_objects(std::vector<CK_ATTRIBUTE> match) const {
  check(f()->C_FindObjectsInit(handle_, match.data(), match.size()), "C_FindObjectsInit");
  std::vector<CK_OBJECT_HANDLE> objects;
  CK_RV rv = CKR_OK;
  while (true) {
    CK_OBJECT_HANDLE batch[16];
    CK_ULONG count = 0;
    rv = f()->C_FindObjects(handle_, batch, 16, &count);
    if (rv != CKR_OK || count == 0) break;
    objects.insert(objects.end(), batch, batch + count);
  }
  f()->C_FindObjectsFinal(handle_);  // must end the search even after a failure
  check(rv, "C_FindObjects");
  return objects;
}

std::vector<std::uint8_t> Session::attribute(CK_OBJECT_HANDLE object, CK_ATTRIBUTE_TYPE type) const {
  CK_ATTRIBUTE query{type, nullptr, 0};
  check(f()->C_GetAttributeValue(handle_, object, &query, 1), "C_GetAttributeValue");
  if (query.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
    throw UserError(context_ + ": the token object lacks attribute 0x" + [&] {
      char hex[24];
      std::snprintf(hex, sizeof(hex), "%lX", static_cast<unsigned long>(type));
      return std::string(hex);
    }(), kExitEnvironment);
  }
  std::vector<std::uint8_t> value(query.ulValueLen);
  query.pValue = value.data();
  check(f()->C_GetAttributeValue(handle_, object, &query, 1), "C_GetAttributeValue");
  value.resize(query.ulValueLen);
  return value;
}

}  // namespace ft::keys::pkcs11
