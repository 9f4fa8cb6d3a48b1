// startup.cc — vector table and reset handler of the generic Cortex-M4 footprint image: copy
// .data from flash, zero .bss, run static constructors (there should be none), call boot_main.
// Only the 16 core exceptions are listed: the verifier runs with interrupts unused.
#include <cstdint>

extern "C" {
// Defined by cortex-m4.ld.
extern std::uint32_t __ft_stack_top;
extern std::uint32_t __ft_data_start, __ft_data_end, __ft_bss_start, __ft_bss_end;
extern const std::uint32_t __ft_data_load;
extern void (*__ft_init_array_start[])();
extern void (*__ft_init_array_end[])();

[[noreturn]] void ft_reset_handler();
[[noreturn]] void ft_fault_handler();
}

[[noreturn]] void boot_main();

namespace {

using Handler = void (*)();

// VectorTable — what the core reads at address 0 (aliased to the start of flash): the initial main
// stack pointer, then the exception handlers.
struct VectorTable {
  std::uint32_t* initial_stack_pointer;
  Handler handlers[15];
};

}  // namespace

extern "C" [[gnu::section(".isr_vector"), gnu::used]] constinit const VectorTable ft_vector_table = {
    &__ft_stack_top,
    {
        ft_reset_handler,  // Reset
        ft_fault_handler,  // NMI
        ft_fault_handler,  // HardFault (also: stack overflow below the start of RAM)
        ft_fault_handler,  // MemManage
        ft_fault_handler,  // BusFault
        ft_fault_handler,  // UsageFault
        nullptr, nullptr, nullptr, nullptr,
        ft_fault_handler,  // SVCall
        ft_fault_handler,  // DebugMonitor
        nullptr,
        ft_fault_handler,  // PendSV
        ft_fault_handler,  // SysTick
    },
};

extern "C" void ft_reset_handler() {
  const std::uint32_t* from = &__ft_data_load;
  for (std::uint32_t* to = &__ft_data_start; to < &__ft_data_end;) *to++ = *from++;
  for (std::uint32_t* to = &__ft_bss_start; to < &__ft_bss_end;) *to++ = 0;
  for (Handler* init = __ft_init_array_start; init < __ft_init_array_end; ++init) (*init)();
  boot_main();
}

// A fault in a bootloader has no one to report to: stop here, where a debugger finds the core.
extern "C" void ft_fault_handler() {
  for (;;) __asm__ volatile("wfi");
}
