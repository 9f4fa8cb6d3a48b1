// Poison probe (control): nothing forbidden. Must link, so the other probes' failures are the
// poison's doing and not the link setup's.
#include <cstdint>

volatile std::uint32_t ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) ft_probe_sink = ft_probe_sink + 1;
}
