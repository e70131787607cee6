# Every outside library comes from a Debian package, found through its
# pkg-config file or CMake config; libharu ships neither, so it is found by hand.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(GTest REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n)

pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
pkg_check_modules(SDL2_TTF REQUIRED IMPORTED_TARGET SDL2_ttf)

find_path(HPDF_INCLUDE_DIR hpdf.h REQUIRED)
find_library(HPDF_LIBRARY hpdf REQUIRED)
add_library(kakanai_hpdf INTERFACE)
target_include_directories(kakanai_hpdf SYSTEM INTERFACE ${HPDF_INCLUDE_DIR})
target_link_libraries(kakanai_hpdf INTERFACE ${HPDF_LIBRARY})

find_program(CUPS_CONFIG cups-config REQUIRED)
execute_process(COMMAND ${CUPS_CONFIG} --cflags OUTPUT_VARIABLE CUPS_CFLAGS OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CUPS_CONFIG} --libs OUTPUT_VARIABLE CUPS_LIBS OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(CUPS_CFLAGS UNIX_COMMAND "${CUPS_CFLAGS}")
separate_arguments(CUPS_LIBS UNIX_COMMAND "${CUPS_LIBS}")
add_library(kakanai_cups INTERFACE)
target_compile_options(kakanai_cups INTERFACE ${CUPS_CFLAGS})
target_link_libraries(kakanai_cups INTERFACE ${CUPS_LIBS})
find_package(nlohmann_json 3 REQUIRED)
# Command lines of the kiosk and the tools (header-only).
find_package(CLI11 CONFIG REQUIRED)
