#include "softhsm_fixture.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "ft/keys/pkcs11_uri.h"

namespace ft::testing {

namespace {

// run executes a command line (no shell metacharacters in our arguments) and throws on failure,
// showing its output.
void run(const std::string& command, const std::string& log) {
  const int status = std::system((command + " >" + log + " 2>&1").c_str());
  if (status != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(log);
    const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throw std::runtime_error("softhsm fixture: `" + command + "` failed: " + output);
  }
}

}  // namespace

SoftHsmToken::SoftHsmToken(std::string label, std::string pin, std::string so_pin)
    : label_(std::move(label)), pin_(std::move(pin)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "ft-softhsm-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("softhsm fixture: mkdtemp failed");
  directory_ = pattern;
  std::filesystem::create_directory(directory_ + "/tokens");
  {
    std::ofstream conf(directory_ + "/softhsm2.conf");
    conf << "directories.tokendir = " << directory_ << "/tokens\n"
         << "objectstore.backend = file\n"
         << "log.level = ERROR\n"
         << "slots.removable = false\n";
  }
  if (const char* previous = std::getenv("SOFTHSM2_CONF")) previous_conf_ = previous;
  ::setenv("SOFTHSM2_CONF", (directory_ + "/softhsm2.conf").c_str(), 1);
  run("softhsm2-util --init-token --free --label '" + label_ + "' --pin '" + pin_ + "' --so-pin '" + so_pin + "'",
      directory_ + "/init-token.log");
}

SoftHsmToken::~SoftHsmToken() {
  if (previous_conf_) {
    ::setenv("SOFTHSM2_CONF", previous_conf_->c_str(), 1);
  } else {
    ::unsetenv("SOFTHSM2_CONF");
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string SoftHsmToken::module_path() { return keys::kDefaultPkcs11Module; }

std::string SoftHsmToken::token_uri() const {
  return "pkcs11:token=" + label_ + "?pin-value=" + pin_ + "&module-path=" + module_path();
}

std::string SoftHsmToken::key_uri(const std::string& object) const {
  return "pkcs11:token=" + label_ + ";object=" + object + "?pin-value=" + pin_ + "&module-path=" + module_path();
}

}  // namespace ft::testing

// SoftHSM 2.6.1 leaks a few ASN.1 objects per EdDSA C_SignInit (inside libsofthsm2, found by
// LeakSanitizer in the asan build); not ours to fix, so LeakSanitizer is told to skip leaks whose
// stack passes through libsofthsm2. The allocations happen in libcrypto, which has no frame
// pointers, so the stack reaches libsofthsm2 only with the slow (DWARF) unwinder on malloc.
// These hooks are only read by the sanitizer runtimes; in other builds they are inert.
extern "C" const char* __lsan_default_suppressions();  // NOLINT: the sanitizers' hook names
extern "C" const char* __asan_default_options();       // NOLINT
extern "C" const char* __lsan_default_suppressions() { return "leak:libsofthsm2.so\n"; }
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }
