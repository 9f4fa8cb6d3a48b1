#include "cli.h"

namespace ft::cli {

// One row per command group; each add_* lives in cmd_<group>.cc.
static const CommandGroup kGroups[] = {
    {"sign", add_sign_commands},
    {"verify", add_verify_commands},
    {"pki", add_pki_commands},
    {"assess", add_assess_commands},
    {"cert", add_cert_commands},
    {"device", add_device_commands},
};

const CommandGroup* command_groups(std::size_t& count) {
  count = sizeof(kGroups) / sizeof(kGroups[0]);
  return kGroups;
}

}  // namespace ft::cli
