# Warnings are errors for all project code.
add_compile_options(-Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wno-sign-conversion
                    -Wnon-virtual-dtor -Wcast-align -Wimplicit-fallthrough)

# ft_core_module(NAME SOURCES...) — a freestanding core library: no exceptions, no RTTI, no heap.
# Its public headers live in <dir>/include and are exported to whoever links it.
function(ft_core_module name)
  add_library(${name} STATIC ${ARGN})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_compile_options(${name} PRIVATE -fno-exceptions -fno-rtti -fno-threadsafe-statics)
  if(FT_HOST)
    # Guard against accidental heap use in the core on hosts too: the symbols are poisoned.
    target_compile_definitions(${name} PRIVATE FT_CORE_FREESTANDING=1)
  endif()
endfunction()

# ft_test(NAME SOURCES... LIBS ...) — a GoogleTest executable registered with ctest.
function(ft_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE FT_TESTDATA_DIR="${FT_TESTDATA_DIR}"
                                             FT_SOURCE_DIR="${FT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "FT_TESTDATA_DIR=${FT_TESTDATA_DIR}")
endfunction()
