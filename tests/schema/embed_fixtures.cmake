# Writes OUTPUT, a C file holding every tests/schema/fixtures/*.json as a
# string, so that the tests need no files at run time (under Wine neither).
#   cmake -DFIXTURE_DIR=... -DOUTPUT=... -P embed_fixtures.cmake
file(GLOB _files RELATIVE ${FIXTURE_DIR} ${FIXTURE_DIR}/*.json)
list(SORT _files)
set(_body "/* Generated from tests/schema/fixtures by embed_fixtures.cmake. */\n#include \"schema_fixtures.h\"\n\n")
set(_table "")
set(_i 0)
foreach(_f ${_files})
  file(READ ${FIXTURE_DIR}/${_f} _hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
  string(APPEND _body "static const unsigned char fixture_${_i}[] = {${_bytes}0};\n")
  string(APPEND _table "    {\"${_f}\", (const char *)fixture_${_i}, sizeof fixture_${_i} - 1},\n")
  math(EXPR _i "${_i} + 1")
endforeach()
string(APPEND _body "\nconst schema_fixture schema_fixtures[] = {\n${_table}};\nconst size_t schema_fixture_count = ${_i};\n")
file(WRITE ${OUTPUT}.tmp "${_body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
