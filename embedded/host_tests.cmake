# host_tests.cmake — host tests of the bootloader's flash-record readers and of its verification
# flow on the PSA port (included from tests/CMakeLists.txt; the embedded/ directory itself is only
# built by the cortex-m preset).
add_library(ft_embedded_flash_layout STATIC ${CMAKE_CURRENT_LIST_DIR}/flash_layout.cc)
target_include_directories(ft_embedded_flash_layout PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(ft_embedded_flash_layout PUBLIC ft_trust)

ft_test(ft_embedded_test
        SOURCES ${CMAKE_CURRENT_LIST_DIR}/flash_layout_test.cc ${CMAKE_CURRENT_LIST_DIR}/psa_boot_flow_test.cc
        LIBS ft_embedded_flash_layout ft_port_psa)
target_compile_definitions(ft_embedded_test PRIVATE FT_CRYPTO_BACKEND_PSA=1)
