// cli.h — the fieldtrust command table. Each command group lives in cmd_<group>.cc and adds its
// subcommands to the app; handlers set ctx.exit_code. Handlers may throw host::UserError; main
// turns it into a message on stderr and the error's exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <string_view>

namespace ft::cli {

struct Context {
  int exit_code = 0;
};

using AddCommands = void (*)(CLI::App& app, Context& ctx);

struct CommandGroup {
  const char* name;
  AddCommands add;
};

void add_sign_commands(CLI::App& app, Context& ctx);
void add_verify_commands(CLI::App& app, Context& ctx);
void add_pki_commands(CLI::App& app, Context& ctx);
void add_assess_commands(CLI::App& app, Context& ctx);
void add_cert_commands(CLI::App& app, Context& ctx);
void add_device_commands(CLI::App& app, Context& ctx);

// command_groups returns the table of command groups, in --help order.
const CommandGroup* command_groups(std::size_t& count);

// add_commands_for adds to app the commands needed to parse a command line whose first argument
// is first_argument: the one group of that name when it has a command of that name, else all.
void add_commands_for(CLI::App& app, Context& ctx, std::string_view first_argument);

}  // namespace ft::cli
