# KAKANAI_SANITIZE=address,undefined builds everything with those sanitizers
# (make test-asan); KAKANAI_SANITIZE=thread with ThreadSanitizer (make
# test-tsan, which builds only the unit and pcsc tests). KAKANAI_FUZZ=ON (with
# clang) adds libFuzzer instrumentation and the fuzz targets under tests/fuzz
# (make fuzz).
set(KAKANAI_SANITIZE "" CACHE STRING "Comma-separated sanitizers, e.g. address,undefined")
option(KAKANAI_FUZZ "Build the libFuzzer targets (needs clang)" OFF)

if(KAKANAI_SANITIZE)
  if(KAKANAI_SANITIZE MATCHES "thread" AND KAKANAI_SANITIZE MATCHES "address")
    message(FATAL_ERROR "ThreadSanitizer and AddressSanitizer cannot be combined: use two build folders")
  endif()
  add_compile_options(-fsanitize=${KAKANAI_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KAKANAI_SANITIZE})
endif()

if(KAKANAI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KAKANAI_FUZZ needs clang (configure with CXX=clang++-14 CC=clang-14)")
  endif()
  # Non-recoverable: a UBSan finding stops the fuzzer like a crash and is saved.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
