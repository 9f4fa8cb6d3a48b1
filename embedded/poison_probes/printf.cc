// Poison probe: newlib's stdio, which buffers through the heap (_malloc_r). Must fail the link on
// the poison.
#include <cstdio>

volatile int ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) std::printf("%d\n", ft_probe_sink);
}
