#!/usr/bin/env bash
# Runs one test program under valgrind for `make memcheck`: any memory error,
# and any definitely or indirectly lost block, fails the test (exit 99).
# Memory still reachable at exit (the simulator's host state, threads parked
# in pools) is not a leak.
exec valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
  --errors-for-leak-kinds=definite,indirect --fair-sched=yes --trace-children=no "$@"
