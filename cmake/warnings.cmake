# Warnings for every target of the project (not for dependencies).
add_compile_options(
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef)
if(HCSKIT_WERROR)
  add_compile_options(-Werror)
endif()

# Strict C11 plus the POSIX.1-2008 interfaces (clock_gettime, strdup, ...).
if(NOT WIN32)
  add_compile_definitions(_POSIX_C_SOURCE=200809L)
endif()
