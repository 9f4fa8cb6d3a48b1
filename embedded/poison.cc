// poison.cc — makes the link of the bootloader fail when anything asks for the heap or for
// exception support: malloc and friends (including newlib's reentrant _r variants and _sbrk),
// every global operator new/delete, the C++ exception ABI (__cxa_*), the personality routines and
// the unwinder (_Unwind_*, ARM EHABI __aeabi_unwind_cpp_pr*).
//
// How: this object defines each of those symbols, so the linker takes these definitions instead
// of newlib's or libstdc++'s. Each definition calls a function named
// ft_forbidden_heap_or_exception_use_<what> that is defined nowhere. With --gc-sections an unused
// definition is discarded together with its reference; a used one keeps it, and the link stops
// with "undefined reference to `ft_forbidden_heap_or_exception_use_<what>'". To see who asked,
// relink with -Wl,--trace-symbol=<symbol> (e.g. -Wl,-y,malloc).
//
// Link it as an object (never from an archive, which would only be searched for symbols still
// undefined). embedded/poison_test.sh proves every entry works by linking deliberately bad code.
#include <cstddef>
#include <new>

// FT_POISON_C defines the C function `name` to reach the undefined ft_forbidden_..._name.
#define FT_POISON_C(ret, name, params)                                       \
  extern "C" [[noreturn]] void ft_forbidden_heap_or_exception_use_##name();  \
  extern "C" ret name params { ft_forbidden_heap_or_exception_use_##name(); }

// FT_POISON_OP defines a global operator new/delete overload to reach ft_forbidden_..._what.
#define FT_POISON_OP(ret, op, params, what)                                  \
  extern "C" [[noreturn]] void ft_forbidden_heap_or_exception_use_##what();  \
  ret op params { ft_forbidden_heap_or_exception_use_##what(); }

struct _reent;

// ---- heap ----
FT_POISON_C(void*, malloc, (std::size_t))
FT_POISON_C(void, free, (void*))
FT_POISON_C(void*, calloc, (std::size_t, std::size_t))
FT_POISON_C(void*, realloc, (void*, std::size_t))
FT_POISON_C(void*, memalign, (std::size_t, std::size_t))
FT_POISON_C(void*, aligned_alloc, (std::size_t, std::size_t))
FT_POISON_C(int, posix_memalign, (void**, std::size_t, std::size_t))
FT_POISON_C(void*, _malloc_r, (_reent*, std::size_t))
FT_POISON_C(void, _free_r, (_reent*, void*))
FT_POISON_C(void*, _calloc_r, (_reent*, std::size_t, std::size_t))
FT_POISON_C(void*, _realloc_r, (_reent*, void*, std::size_t))
FT_POISON_C(void*, _memalign_r, (_reent*, std::size_t, std::size_t))
FT_POISON_C(void*, _sbrk, (std::ptrdiff_t))
FT_POISON_C(void*, _sbrk_r, (_reent*, std::ptrdiff_t))

FT_POISON_OP(void*, operator new, (std::size_t), operator_new)
FT_POISON_OP(void*, operator new[], (std::size_t), operator_new)
FT_POISON_OP(void*, operator new, (std::size_t, const std::nothrow_t&) noexcept, operator_new)
FT_POISON_OP(void*, operator new[], (std::size_t, const std::nothrow_t&) noexcept, operator_new)
FT_POISON_OP(void*, operator new, (std::size_t, std::align_val_t), operator_new)
FT_POISON_OP(void*, operator new[], (std::size_t, std::align_val_t), operator_new)
FT_POISON_OP(void*, operator new, (std::size_t, std::align_val_t, const std::nothrow_t&) noexcept, operator_new)
FT_POISON_OP(void*, operator new[], (std::size_t, std::align_val_t, const std::nothrow_t&) noexcept, operator_new)
FT_POISON_OP(void, operator delete, (void*) noexcept, operator_delete)
FT_POISON_OP(void, operator delete[], (void*) noexcept, operator_delete)
FT_POISON_OP(void, operator delete, (void*, std::size_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete[], (void*, std::size_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete, (void*, std::align_val_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete[], (void*, std::align_val_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete, (void*, std::size_t, std::align_val_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete[], (void*, std::size_t, std::align_val_t) noexcept, operator_delete)
FT_POISON_OP(void, operator delete, (void*, const std::nothrow_t&) noexcept, operator_delete)
FT_POISON_OP(void, operator delete[], (void*, const std::nothrow_t&) noexcept, operator_delete)

// ---- exceptions: C++ ABI, personality routines, unwinder ----
FT_POISON_C(void*, __cxa_allocate_exception, (std::size_t))
FT_POISON_C(void, __cxa_free_exception, (void*))
FT_POISON_C(void, __cxa_throw, (void*, void*, void (*)(void*)))
FT_POISON_C(void, __cxa_rethrow, ())
FT_POISON_C(void*, __cxa_begin_catch, (void*))
FT_POISON_C(void, __cxa_end_catch, ())
FT_POISON_C(void*, __cxa_get_exception_ptr, (void*))
FT_POISON_C(void, __cxa_call_unexpected, (void*))
FT_POISON_C(void, __cxa_bad_cast, ())
FT_POISON_C(void, __cxa_bad_typeid, ())
FT_POISON_C(void, __cxa_throw_bad_array_new_length, ())
FT_POISON_C(int, __gxx_personality_v0, ())
FT_POISON_C(int, __aeabi_unwind_cpp_pr0, ())
FT_POISON_C(int, __aeabi_unwind_cpp_pr1, ())
FT_POISON_C(int, __aeabi_unwind_cpp_pr2, ())
FT_POISON_C(int, _Unwind_RaiseException, (void*))
FT_POISON_C(void, _Unwind_Resume, (void*))
FT_POISON_C(int, _Unwind_Resume_or_Rethrow, (void*))
FT_POISON_C(int, _Unwind_ForcedUnwind, (void*, void*, void*))
FT_POISON_C(void, _Unwind_Complete, (void*))
FT_POISON_C(void, _Unwind_DeleteException, (void*))
FT_POISON_C(int, _Unwind_Backtrace, (void*, void*))
FT_POISON_C(int, __gnu_unwind_frame, (void*, void*))
