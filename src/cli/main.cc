// fieldtrust — one CLI; each subcommand is a thin layer over a library.
#include <cstdio>
#include <exception>

#include "cli.h"
#include "ft/host/error.h"

int main(int argc, char** argv) {
  using ft::host::UserError;
  CLI::App app{"fieldtrust — signed firmware, verified boot and certification evidence for field instruments"};
  app.set_version_flag("--version", "fieldtrust 0.1.0");
  app.require_subcommand(1);
  ft::cli::Context ctx;
  std::size_t count = 0;
  const ft::cli::CommandGroup* groups = ft::cli::command_groups(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (groups[i].add != nullptr) groups[i].add(app, ctx);
  }
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
