// ft/host/error.h — the exception host code throws at its edges, and the CLI's exit codes.
#pragma once

#include <stdexcept>
#include <string>

#include "ft/base/error.h"

namespace ft::host {

// Exit codes of the fieldtrust command (docs/exit-codes.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitRejected = 1,   // the input was read and judged: verification failed, policy refused, gaps
  kExitUsage = 2,      // bad command line
  kExitInput = 3,      // an input file is missing, unreadable or malformed
  kExitEnvironment = 4 // the environment failed: crypto backend, PKCS#11 token, disk full
};

// UserError — a problem the user can fix; the message says what was wrong, where, and what to do.
// exit_code tells the CLI which ExitCode to return.
class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message, int exit_code = kExitInput)
      : std::runtime_error(message), exit_code_(exit_code) {}
  [[nodiscard]] int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// describe formats a core Error for people: "<context>: <message> [code_name]".
std::string describe(const std::string& context, const Error& error);

}  // namespace ft::host
