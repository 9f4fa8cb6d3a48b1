// Poison probe: a standard container in freestanding code (allocates, and its length checks throw
// from inside libstdc++ even with -fno-exceptions here). Must fail the link on the poison.
#include <cstddef>
#include <vector>

volatile std::size_t ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) {
    std::vector<int> values(ft_probe_sink);
    ft_probe_sink = values.size();
  }
}
