# HCSKIT_SANITIZE selects the sanitizer leg: "address,undefined" or "thread".
if(HCSKIT_SANITIZE)
  if(WIN32)
    message(FATAL_ERROR "Sanitizers are for the native build only")
  endif()
  set(_flags -fsanitize=${HCSKIT_SANITIZE} -fno-omit-frame-pointer)
  if(HCSKIT_SANITIZE MATCHES "undefined")
    list(APPEND _flags -fno-sanitize-recover=all)
  endif()
  # Also given to the outside project tests/packaging builds against the
  # installed (instrumented) libraries.
  set(HCSKIT_SANITIZE_FLAGS ${_flags})
  add_compile_options(${_flags})
  add_link_options(${_flags})
endif()
