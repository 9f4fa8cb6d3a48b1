// Poison probe: a frame that must run a destructor while an exception passes through it, compiled
// with -fexceptions -funwind-tables. Must fail the link on the personality routine or the
// unwinder (ft_forbidden_heap_or_exception_use_gxx_personality_v0 / _Unwind_Resume /
// _aeabi_unwind_cpp_pr*).
volatile int ft_probe_sink;

struct Guard {
  ~Guard() { ft_probe_sink = 0; }
};

void do_nothing() {}
void (*volatile ft_probe_callee)() = do_nothing;  // opaque: the compiler must assume it throws

void guarded() {
  Guard guard;
  ft_probe_callee();
}

[[noreturn]] void boot_main() {
  for (;;) guarded();
}
