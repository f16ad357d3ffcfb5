# hcskit's front door. Every target sets up what it needs first
# (scripts/bootstrap.sh: Debian packages, mingw-w64 builds of jansson and
# cmocka), then builds with the CMake presets in CMakePresets.json.
#
#   make demo     build natively and walk a container through its lifecycle
#   make test     build and run the tests three ways: ASan+UBSan, TSan, and
#                 the Windows build under Wine against hcssim.dll
#   make format   reformat the sources (clang-format)
#   make lint     static analysis (clang-tidy, cppcheck)

SHELL := /bin/bash
JOBS ?= 2
LEGS ?= asan tsan mingw

LEG_TARGETS := $(addprefix test-,asan tsan mingw release)

.PHONY: all setup demo test $(LEG_TARGETS) format lint clean

all: test

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target hcsctl >/dev/null
	@./build/release/bin/hcsctl demo

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

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

lint: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) >/dev/null
	@git ls-files 'src/*.c' 'sim/src/*.c' 'tools/*.c' | grep -v _win32 | \
	  xargs clang-tidy -p build/release --quiet
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  -I include -I src -I sim/include $$(git ls-files 'src/*.c' 'sim/src/*.c' 'tools/*.c' | grep -v _win32)

clean:
	rm -rf build
