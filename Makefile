# hcskit's front door. Every target sets up what it needs first
# (scripts/bootstrap.sh: Debian packages, mingw-w64 builds of jansson and
# cmocka), then builds with the CMake presets in CMakePresets.json.
#
#   make demo     build natively, start a private hcssimd and walk a container
#                 through hcsctl's verbs (create, start, exec, stats, Ctrl-C,
#                 events, stop, rm); runs without a terminal too
#   make hcssimd  build natively and run the simulator as a service in the
#                 foreground (HCSSIMD_ARGS: its options); Ctrl-C stops it
#   make install  build the release preset and install it under PREFIX
#                 (/usr/local; DESTDIR is honoured): headers, libhcs and
#                 libhcssim (shared and static), hcsctl, pkg-config files and
#                 the CMake package hcskit
#   make dist-windows
#                 build the Windows (mingw) preset and pack the same
#                 installation as build/dist/hcskit-VERSION-win64.zip: the
#                 DLLs (hcs.dll, hcssim*.dll), hcsctl.exe, import and static
#                 libraries, headers, pkg-config files and the CMake package
#   make dist-conformance
#                 build the Windows (mingw) preset and pack the conformance
#                 package (tests/system) as
#                 build/dist/hcskit-conformance-VERSION-win64.zip: the test
#                 suite, run against a Windows host's own computecore.dll
#                 with run-conformance.cmd
#   make test     build and run the tests three ways: ASan+UBSan, TSan, and
#                 the Windows build under Wine against hcssim.dll
#   make format   reformat the sources (clang-format)
#   make lint     static analysis (clang-tidy, cppcheck)
#   make stress   the stress run for STRESS_SECONDS (60) with STRESS_THREADS (16),
#                 under ASan+UBSan and under TSan (a 3 s run is part of make test)
#   make memcheck the native suite under valgrind: 0 errors, 0 definite or
#                 indirect leaks
#   make bench    build the release preset and run every benchmark (docs/performance.md):
#                 a table on stdout, build/bench/results.csv and build/bench/scale.svg;
#                 BENCH_QUICK=1 runs them on small sizes in seconds
#   make fuzz     build the libFuzzer targets and run each for FUZZ_SECONDS
#   make schema   regenerate the schema C code from schema/hcs-schema.json

SHELL := /bin/bash
JOBS ?= 2
LEGS ?= asan tsan mingw
FUZZ_SECONDS ?= 60
STRESS_SECONDS ?= 60
STRESS_THREADS ?= 16
FUZZ_TARGETS := schema_decode result_error cmdline hcssimd_decode
PREFIX ?= /usr/local

LEG_TARGETS := $(addprefix test-,asan tsan mingw release)

.PHONY: all setup demo hcssimd install dist-windows dist-conformance test $(LEG_TARGETS) stress memcheck format lint bench fuzz schema clean

all: test

setup:
	@bash scripts/bootstrap.sh

# A private hcssimd, and a container walked through hcsctl's verbs
# (tools/hcsctl/demo.sh, which ctest also runs as hcsctl_make_demo).
demo: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target hcsctl hcsctl_docs hcssimd >/dev/null
	@tools/hcsctl/demo.sh build/release/bin

# The simulator as a host-wide service, in the foreground (docs/hcssimd.md):
# programs started elsewhere with HCS_PROVIDER=hcssimd share its systems.
# Ctrl-C stops it; HCSSIMD_ARGS passes its options (--socket, --profile, ...).
hcssimd: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target hcssimd hcsctl >/dev/null
	@echo "make hcssimd: clients elsewhere: HCS_PROVIDER=hcssimd build/release/bin/hcsctl list; Ctrl-C stops it"
	@exec ./build/release/bin/hcssimd $(HCSSIMD_ARGS)

# `installable` (cmake/install.cmake): what the install rules install, only.
install: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target installable >/dev/null
	@DESTDIR="$(DESTDIR)" cmake --install build/release --prefix "$(PREFIX)"

# The mingw build that make test-mingw also uses, installed into
# build/dist/stage and zipped (cmake/dist.cmake).
dist-windows: setup
	@mkdir -p build
	@cmake --preset mingw > build/mingw.configure.log 2>&1 || { cat build/mingw.configure.log; exit 1; }
	@cmake --build --preset mingw -j $(JOBS) --target installable > build/mingw.dist-build.log 2>&1 || \
	  { tail -n 60 build/mingw.dist-build.log; echo "build failed (full log: build/mingw.dist-build.log)"; exit 1; }
	@cmake -DBUILD_DIR=build/mingw -DOUT_DIR=build/dist -P cmake/dist.cmake

# The conformance package that the mingw build assembles (tests/system),
# stripped and zipped (cmake/dist_conformance.cmake).
dist-conformance: setup
	@mkdir -p build
	@cmake --preset mingw > build/mingw.configure.log 2>&1 || { cat build/mingw.configure.log; exit 1; }
	@cmake --build --preset mingw -j $(JOBS) --target conformance_package > build/mingw.conformance-build.log 2>&1 || \
	  { tail -n 60 build/mingw.conformance-build.log; echo "build failed (full log: build/mingw.conformance-build.log)"; exit 1; }
	@cmake -DBUILD_DIR=build/mingw -DOUT_DIR=build/dist -P cmake/dist_conformance.cmake

# One build per leg, tests in parallel; every leg runs even if one fails,
# then each leg's ctest summary is printed together.
test: setup
	@mkdir -p build; rm -f build/.test-summary; status=0; \
	for leg in $(LEGS); do \
	  $(MAKE) --no-print-directory test-$$leg || status=1; \
	  grep -q "^$$leg " build/.test-summary 2>/dev/null || { status=1; \
	    printf '%-6s %s\n' $$leg "did not run: see the output above" >> build/.test-summary; }; \
	done; \
	printf '\n==== summary ====\n'; cat build/.test-summary; exit $$status

# A static pattern rule: it applies to the phony leg targets.
$(LEG_TARGETS): test-%: setup
	@printf '\n==== %s: build ====\n' $*
	@mkdir -p build
	@cmake --preset $* > build/$*.configure.log 2>&1 || { cat build/$*.configure.log; exit 1; }
	@cmake --build --preset $* -j $(JOBS) > build/$*.build.log 2>&1 || \
	  { tail -n 60 build/$*.build.log; echo "build of $* failed (full log: build/$*.build.log)"; exit 1; }
	@echo "built $* (log: build/$*.build.log)"
	@printf '\n==== %s: test ====\n' $*
	@set -o pipefail; ctest --preset $* 2>&1 | tee build/$*.ctest.log; \
	  status=$$?; \
	  printf '%-6s %s\n' $* "$$(grep -E 'tests passed|tests failed' build/$*.ctest.log | tail -1)" >> build/.test-summary; \
	  exit $$status

# The stress program once per sanitizer leg, for as long as asked.
stress: setup
	@for leg in asan tsan; do \
	  printf '\n==== stress: %s, %s threads, %s s ====\n' $$leg $(STRESS_THREADS) $(STRESS_SECONDS); \
	  cmake --preset $$leg > build/$$leg.configure.log 2>&1 || { cat build/$$leg.configure.log; exit 1; }; \
	  cmake --build --preset $$leg -j $(JOBS) --target stress > build/$$leg.stress-build.log 2>&1 || \
	    { tail -n 40 build/$$leg.stress-build.log; exit 1; }; \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  STRESS_SECONDS=$(STRESS_SECONDS) STRESS_THREADS=$(STRESS_THREADS) ./build/$$leg/bin/stress || exit 1; \
	done

# Every native test under valgrind (scripts/memcheck-run.sh), one build.
memcheck: setup
	@mkdir -p build
	@cmake --preset memcheck > build/memcheck.configure.log 2>&1 || { cat build/memcheck.configure.log; exit 1; }
	@cmake --build --preset memcheck -j $(JOBS) > build/memcheck.build.log 2>&1 || \
	  { tail -n 60 build/memcheck.build.log; exit 1; }
	@ctest --preset memcheck

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

lint: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) >/dev/null
	@git ls-files 'base/*.c' 'src/*.c' 'sim/src/*.c' 'tools/*.c' | grep -v _win32 | \
	  xargs clang-tidy -p build/release --quiet
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  -I include -I base -I src -I sim/include $$(git ls-files 'base/*.c' 'src/*.c' 'sim/src/*.c' 'tools/*.c' | grep -v _win32)

# hcsbench starts its own hcssimd for the daemon rows and stops it.
bench: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target hcsbench >/dev/null
	@mkdir -p build/bench
	@./build/release/bin/hcsbench --out build/bench

# Each target runs for FUZZ_SECONDS with ASan + UBSan (leaks included); new
# inputs go to build/fuzz/corpus, the seeds in fuzz/corpus stay as they are.
fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) >/dev/null
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus/$$t; \
	  echo "==== fuzz_$$t: $(FUZZ_SECONDS) s (log: build/fuzz/fuzz_$$t.log) ===="; \
	  ./build/fuzz/bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    build/fuzz/corpus/$$t fuzz/corpus/$$t > build/fuzz/fuzz_$$t.log 2>&1; status=$$?; \
	  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done|ERROR|SUMMARY' build/fuzz/fuzz_$$t.log; \
	  test $$status -eq 0 || { echo "fuzz_$$t failed"; exit 1; }; \
	done

# Regenerates the C code from the committed description (schema/extract.py
# rebuilds the description itself from Microsoft's OpenAPI files).
schema:
	@python3 schema/generate.py

clean:
	rm -rf build
