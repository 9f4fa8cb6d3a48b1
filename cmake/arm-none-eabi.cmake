# cmake/arm-none-eabi.cmake — cross toolchain for the Cortex-M build of the verifier core
# (preset `cortex-m`): Debian's arm-none-eabi-gcc 12 with newlib-nano, a generic Cortex-M4.
#
# Float ABI: soft. The verifier has no floating point, and soft-float objects run on every
# Cortex-M4 whether or not it has the FPv4 unit (no FPU enable in the reset handler, no lazy
# stacking cost in interrupt frames). A product that builds its bootloader with -mfloat-abi=hard
# must change FT_CORTEX_M_FLAGS here and rebuild everything: the two ABIs do not link together.
#
# Every object is built with -ffunction-sections/-fdata-sections (so --gc-sections keeps only what
# verify_envelope reaches), -fstack-usage and -fcallgraph-info=su (bench/footprint.sh computes the
# worst-case stack from the .su/.ci files next to each object), and without exceptions, RTTI and
# unwind tables: a bootloader has no unwinder, and embedded/poison.cc makes the link fail if
# anything still asks for one.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
find_program(CMAKE_AR arm-none-eabi-ar REQUIRED)
find_program(CMAKE_RANLIB arm-none-eabi-ranlib REQUIRED)
find_program(CMAKE_OBJCOPY arm-none-eabi-objcopy REQUIRED)
find_program(CMAKE_OBJDUMP arm-none-eabi-objdump REQUIRED)
find_program(CMAKE_SIZE arm-none-eabi-size REQUIRED)
find_program(CMAKE_NM arm-none-eabi-nm REQUIRED)

# There is no OS to run a test executable on: compiler checks build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(FT_CORTEX_M_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft")
# -Wno-psabi: GCC notes that passing std::span by value changed ABI in GCC 7.1; nothing here links
# against objects from a GCC that old.
set(FT_CORTEX_M_COMMON
    "${FT_CORTEX_M_FLAGS} -ffunction-sections -fdata-sections -fstack-usage -fcallgraph-info=su -fno-common -Wno-psabi")
set(FT_CORTEX_M_NO_UNWIND "-fno-unwind-tables -fno-asynchronous-unwind-tables")

set(CMAKE_C_FLAGS_INIT "${FT_CORTEX_M_COMMON} ${FT_CORTEX_M_NO_UNWIND}")
set(CMAKE_CXX_FLAGS_INIT
    "${FT_CORTEX_M_COMMON} ${FT_CORTEX_M_NO_UNWIND} -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit")
set(CMAKE_ASM_FLAGS_INIT "${FT_CORTEX_M_FLAGS}")
# Two -Os passes that cost flash here (bench/footprint.sh, core kept in the image): loop-invariant
# motion (-106 B) and the dominator optimisations (-80 B; both together -186 B of 15,465). The
# verifier's time goes into the crypto primitives, which are not built here.
set(FT_CORTEX_M_SIZE_FLAGS "-Os -fno-move-loop-invariants -fno-tree-dominator-opts -DNDEBUG")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "${FT_CORTEX_M_SIZE_FLAGS}")
set(CMAKE_CXX_FLAGS_MINSIZEREL_INIT "${FT_CORTEX_M_SIZE_FLAGS}")

# newlib-nano supplies memcpy/memset/memcmp only; there are no startup files (embedded/startup.cc
# has the vector table and reset handler) and no syscalls (nothing may call them).
set(CMAKE_EXE_LINKER_FLAGS_INIT "${FT_CORTEX_M_FLAGS} -specs=nano.specs -nostartfiles -Wl,--gc-sections")

# Look for libraries and headers only in the cross sysroot, never on the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
