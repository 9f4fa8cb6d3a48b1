// Poison probe: the C heap. Must fail the link on ft_forbidden_heap_or_exception_use_malloc.
#include <cstdlib>

void* volatile ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) ft_probe_sink = std::malloc(16);
}
