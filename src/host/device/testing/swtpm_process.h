// swtpm_process.h — a throw-away software TPM for tests: `swtpm socket --tpm2` on free loopback
// ports with its state in a temporary directory, started by the constructor and stopped (SIGTERM,
// then SIGKILL) by the destructor.
//
// Failures throw std::runtime_error (a broken test environment, not a result): swtpm missing,
// or no port pair on which swtpm starts and answers within 10 s.
#pragma once

#include <sys/types.h>

#include <string>

namespace ft::device::testing {

class SwtpmProcess {
 public:
  SwtpmProcess();
  ~SwtpmProcess();
  SwtpmProcess(const SwtpmProcess&) = delete;
  SwtpmProcess& operator=(const SwtpmProcess&) = delete;

  // tcti returns "swtpm:host=127.0.0.1,port=<server port>".
  [[nodiscard]] std::string tcti() const;
  [[nodiscard]] int port() const { return port_; }

  // available is false when the swtpm binary is not installed (tests then fail with a message).
  static bool available();

 private:
  // start runs swtpm on port_ and waits until it accepts; false (with error set) when it exits
  // or does not answer.
  bool start(const std::string& swtpm, std::string& error);
  void kill_process();
  void stop();

  std::string state_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ft::device::testing
