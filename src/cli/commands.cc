#include "cli.h"

namespace ft::cli {

// One row per command group; each add_* lives in cmd_<group>.cc.
static const CommandGroup kGroups[] = {
    {"version", nullptr},
};

const CommandGroup* command_groups(std::size_t& count) {
  count = sizeof(kGroups) / sizeof(kGroups[0]);
  return kGroups;
}

}  // namespace ft::cli
