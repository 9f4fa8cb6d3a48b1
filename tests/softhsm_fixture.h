// softhsm_fixture.h — a throw-away SoftHSM2 token for tests that need a real PKCS#11 token.
//
// Usage (link the CMake target ft_softhsm_fixture):
//   ft::testing::SoftHsmToken token;                 // temp dir, SOFTHSM2_CONF, initialised token
//   auto signer = ft::keys::generate_pkcs11_keypair(
//       ft::keys::parse_pkcs11_uri(token.key_uri("my-key")), ft::keys::SignatureAlgorithm::es256);
//
// The constructor creates a temporary directory holding softhsm2.conf and the token store, points
// SOFTHSM2_CONF at it (process-wide) and runs
//   softhsm2-util --init-token --free --label <label> --pin <pin> --so-pin <so_pin>
// The destructor restores SOFTHSM2_CONF and deletes the directory.
//
// Rules: one SoftHsmToken at a time per process (SOFTHSM2_CONF is global), and every Signer on
// the token must be destroyed before the token: SoftHSM reads SOFTHSM2_CONF at C_Initialize, which
// ft_keys calls when the first signer of the process opens the module and undoes (C_Finalize) when
// the last one closes. Failures throw std::runtime_error (a broken test environment, not a result).
#pragma once

#include <optional>
#include <string>

namespace ft::testing {

class SoftHsmToken {
 public:
  explicit SoftHsmToken(std::string label = "ft-test", std::string pin = "1234", std::string so_pin = "5678");
  ~SoftHsmToken();
  SoftHsmToken(const SoftHsmToken&) = delete;
  SoftHsmToken& operator=(const SoftHsmToken&) = delete;

  [[nodiscard]] const std::string& label() const { return label_; }
  [[nodiscard]] const std::string& pin() const { return pin_; }
  // directory returns the temporary directory (conf file + token store); tests may put files here.
  [[nodiscard]] const std::string& directory() const { return directory_; }

  // token_uri returns "pkcs11:token=<label>?pin-value=<pin>&module-path=<module>".
  [[nodiscard]] std::string token_uri() const;
  // key_uri returns "pkcs11:token=<label>;object=<object>?pin-value=<pin>&module-path=<module>".
  [[nodiscard]] std::string key_uri(const std::string& object) const;

  // module_path returns the SoftHSM2 module (ft::keys::kDefaultPkcs11Module).
  static std::string module_path();

 private:
  std::string label_;
  std::string pin_;
  std::string directory_;
  std::optional<std::string> previous_conf_;
};

}  // namespace ft::testing
