# The bench_quick test: runs hcsbench (BENCH_QUICK=1 in the environment)
# into OUT_DIR, then checks the shape of what it wrote, never its timings:
#  - results.csv has exactly the header of docs/performance.md;
#  - a row for every benchmark below, each once, and no other;
#  - every value is a plain decimal number (no exponent); baseline and ratio are
#    numbers or both "-"; target is "-", "<=Nx", ">=Nx" or "<=N<unit>";
#    met is yes or no, and yes where there is no target;
#  - scale.svg is an SVG document with a line per scaling series.
#
#   cmake -DHCSBENCH=path/to/hcsbench -DOUT_DIR=dir -P check_results.cmake

cmake_minimum_required(VERSION 3.22)

set(expected
  overhead_properties_vs_wait_p50 overhead_properties_vs_wait_p99 overhead_properties_vs_wait_cpu
  overhead_properties_vs_wait_allocs overhead_properties_vs_wait_switches overhead_properties_vs_callback_p50 overhead_properties_vs_callback_p99
  overhead_properties_vs_callback_allocs overhead_lifecycle_p50 overhead_lifecycle_p99 overhead_lifecycle_cpu
  overhead_lifecycle_switches overhead_lifecycle_allocs overhead_lifecycle_raw_events_p50
  async_callback_depth1 async_queue_depth1 async_callback_depth16 async_queue_depth16 async_callback_depth256
  async_queue_depth256 async_callback_depth1_switches async_queue_depth1_switches async_callback_depth16_switches
  async_queue_depth16_switches async_callback_depth256_switches async_queue_depth256_switches
  async_create_start_callback async_threads_blocking async_threads_queue
  async_threads_blocking_raw async_kickoff_pending async_kickoff_pending_raw
  event_callback_p50 event_callback_p99 event_callback_p999 event_callback_max
  event_queue_p50 event_queue_p99 event_queue_p999 event_queue_max
  codec_decode_statistics codec_decode_properties codec_decode_vm
  codec_encode_statistics codec_encode_properties codec_encode_vm
  memory_system memory_process memory_pending_call
  daemon_service_properties daemon_system_properties daemon_process_create daemon_lifecycle
  scale_process_raw_1k scale_process_1k scale_process_raw_10k scale_process_10k)
foreach(path _raw "")
  foreach(op create open properties enumerate close)
    foreach(tier 1k 10k 100k)
      list(APPEND expected scale_${op}${path}_${tier})
    endforeach()
  endforeach()
endforeach()

file(REMOVE_RECURSE ${OUT_DIR})
execute_process(COMMAND ${HCSBENCH} --out ${OUT_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hcsbench failed: ${rc}")
endif()

file(STRINGS ${OUT_DIR}/results.csv lines)
list(POP_FRONT lines header)
if(NOT header STREQUAL "benchmark,metric,value,baseline,ratio,target,met")
  message(FATAL_ERROR "results.csv: unexpected header: ${header}")
endif()

set(number "^-?[0-9]+(\\.[0-9]+)?$")
set(seen "")
foreach(line IN LISTS lines)
  string(REPLACE "," ";" f "${line}")
  list(LENGTH f n)
  if(NOT n EQUAL 7)
    message(FATAL_ERROR "results.csv: not 7 fields: ${line}")
  endif()
  list(GET f 0 name)
  list(GET f 1 metric)
  list(GET f 2 value)
  list(GET f 3 baseline)
  list(GET f 4 ratio)
  list(GET f 5 target)
  list(GET f 6 met)
  if(name IN_LIST seen)
    message(FATAL_ERROR "results.csv: ${name} twice")
  endif()
  list(APPEND seen ${name})
  if(NOT name IN_LIST expected)
    message(FATAL_ERROR "results.csv: unexpected benchmark ${name}")
  endif()
  if(metric STREQUAL "")
    message(FATAL_ERROR "results.csv: ${name}: no metric")
  endif()
  if(NOT value MATCHES "${number}")
    message(FATAL_ERROR "results.csv: ${name}: value '${value}' is not a number")
  endif()
  if(baseline STREQUAL "-")
    if(NOT ratio STREQUAL "-")
      message(FATAL_ERROR "results.csv: ${name}: a ratio without a baseline")
    endif()
  elseif(NOT baseline MATCHES "${number}" OR NOT ratio MATCHES "${number}")
    message(FATAL_ERROR "results.csv: ${name}: baseline '${baseline}' or ratio '${ratio}' is not a number")
  endif()
  if(NOT target MATCHES "^(-|(<=|>=)[0-9.]+x|<=[0-9.]+(us|B))$")
    message(FATAL_ERROR "results.csv: ${name}: target '${target}' is not well-formed")
  endif()
  if(NOT met MATCHES "^(yes|no)$")
    message(FATAL_ERROR "results.csv: ${name}: met '${met}' is neither yes nor no")
  endif()
  if(target STREQUAL "-" AND NOT met STREQUAL "yes")
    message(FATAL_ERROR "results.csv: ${name}: no target, yet not met")
  endif()
endforeach()

foreach(name IN LISTS expected)
  if(NOT name IN_LIST seen)
    message(FATAL_ERROR "results.csv: no row for ${name}")
  endif()
endforeach()

file(READ ${OUT_DIR}/scale.svg svg)
if(NOT svg MATCHES "^<svg " OR NOT svg MATCHES "</svg>")
  message(FATAL_ERROR "scale.svg is not an SVG document")
endif()
foreach(series "create raw" "create libhcs" "close raw" "close libhcs" "process raw" "process libhcs")
  if(NOT svg MATCHES ">${series}</text>")
    message(FATAL_ERROR "scale.svg: no line for ${series}")
  endif()
endforeach()
list(LENGTH seen count)
message(STATUS "results.csv: ${count} rows, all well-formed")
