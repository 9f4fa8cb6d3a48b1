// fieldtrust — one CLI; each subcommand is a thin layer over a library.
#include <openssl/crypto.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string_view>

#include "cli.h"
#include "ft/host/error.h"

namespace {

// openssl_init_options returns how OpenSSL is initialised for a command line starting with
// command. The process ends after one command: OpenSSL's exit-time cleanup (freeing what it built,
// 0.1 ms of a 3 ms verify) buys nothing. `fieldtrust verify` never shows an OpenSSL error text and
// its crypto port does not go through providers (ft/ports/openssl.h): loading the error texts
// (0.2 ms) and openssl.cnf (0.1 ms) would only slow it, and without the configuration its verdict
// cannot depend on a host's OpenSSL settings. Every other command loads both: key loading shows
// OpenSSL's error texts, and a site's configuration may matter to signing.
std::uint64_t openssl_init_options(std::string_view command) {
  std::uint64_t options = OPENSSL_INIT_NO_ATEXIT;
  if (command == "verify") options |= OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_LOAD_CONFIG;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  using ft::host::UserError;
  // This must be the first OpenSSL call: later ones cannot undo what an earlier one loaded.
  OPENSSL_init_crypto(openssl_init_options(argc > 1 ? argv[1] : ""), nullptr);
  CLI::App app{"fieldtrust — signed firmware, verified boot and certification evidence for field instruments"};
  app.set_version_flag("--version", "fieldtrust 0.1.0");
  app.require_subcommand(1);
  ft::cli::Context ctx;
  ft::cli::add_commands_for(app, ctx, argc > 1 ? argv[1] : "");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : ft::host::kExitUsage;
  } catch (const UserError& e) {
    std::fprintf(stderr, "fieldtrust: error: %s\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fieldtrust: internal error: %s\n", e.what());
    return ft::host::kExitEnvironment;
  }
  return ctx.exit_code;
}
