// Poison probe: a throw expression, compiled with -fexceptions. Must fail the link on
// ft_forbidden_heap_or_exception_use_cxa_allocate_exception / _cxa_throw.
volatile int ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) {
    if (ft_probe_sink == 42) throw ft_probe_sink;
  }
}
