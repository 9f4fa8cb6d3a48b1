// Poison probe: a C++ new-expression. Must fail the link on
// ft_forbidden_heap_or_exception_use_operator_new.
int* volatile ft_probe_sink;

[[noreturn]] void boot_main() {
  for (;;) ft_probe_sink = new int(1);
}
