#!/bin/sh
# Runs a private hcssimd for tests (docs/hcssimd.md, "Tests").
#
#   hcssimd_ctl.sh run HCSSIMD SOCKET COMMAND [ARGS...]
#       starts the daemon on SOCKET, runs COMMAND with HCSSIM_SOCKET=SOCKET
#       (a program that takes its provider from the environment also needs
#       HCS_PROVIDER=hcssimd), stops the daemon with SIGTERM and fails
#       unless both COMMAND and the daemon (its exit status: 0) succeeded.
#   hcssimd_ctl.sh start HCSSIMD SOCKET     (a ctest fixture's setup)
#   hcssimd_ctl.sh stop SOCKET              (its cleanup: SIGTERM, exit status 0)
#
# The daemon gets the caller's environment, so HCSSIM_PROFILE and the other
# HCSSIM_* variables of a test reach the simulator it runs.
#
# HCSSIMD may be hcssimd.exe, with SOCKET a pipe (\\.\pipe\NAME): the daemon
# and its --status and --stop then run under Wine (scripts/wine-run.sh, or
# $HCSKIT_WINE_RUN), and stop is `hcssimd.exe --stop`, Windows having no
# SIGTERM (docs/hcssimd.md, "Windows"). Its pid, status and log files are
# kept in $HCSSIMD_CTL_DIR (default ${TMPDIR:-/tmp}), named after the pipe.
set -u

die() { echo "hcssimd_ctl: $*" >&2; exit 1; }

# wine_run: the runner of Windows programs.
wine_run=${HCSKIT_WINE_RUN:-$(cd "$(dirname "$0")/../.." && pwd)/scripts/wine-run.sh}

# state SOCKET: where the daemon's .pid, .status and .log files go.
state() {
  case $1 in
  \\\\.\\pipe\\*) printf '%s/hcssimd-ctl.%s\n' "${HCSSIMD_CTL_DIR:-${TMPDIR:-/tmp}}" "$(printf '%s' "${1#\\\\.\\pipe\\}" | tr -c 'A-Za-z0-9_.-' _)" ;;
  *) printf '%s\n' "$1" ;;
  esac
}

# daemon_cmd HCSSIMD ARGS...: runs hcssimd, hcssimd.exe under Wine.
daemon_cmd() {
  case $1 in
  *.exe) "$wine_run" "$@" ;;
  *) "$@" ;;
  esac
}

# daemon_exec HCSSIMD ARGS...: the same in place of the (sub)shell, so that
# a background one's $! is the daemon's pid (wine-run.sh execs Wine).
daemon_exec() {
  case $1 in
  *.exe) exec "$wine_run" "$@" ;;
  *) exec "$@" ;;
  esac
}

# start HCSSIMD SOCKET: the daemon in the background, its pid in SOCKET.pid
# (the program in SOCKET.daemon) and, once it ends, its exit status in
# SOCKET.status; returns once it answers --status.
start() {
  daemon=$1 socket=$2 at=$(state "$2")
  mkdir -p "$(dirname "$at")"
  rm -f "$at.pid" "$at.status" "$at.log"
  echo "$daemon" > "$at.daemon"
  # Detached from the caller's output: ctest waits for every holder of a
  # test's stdout to let go, and the daemon outlives the setup step.
  ( daemon_exec "$daemon" --socket "$socket" 2>>"$at.log" & pid=$!
    echo "$pid" > "$at.pid"
    wait "$pid"; echo $? > "$at.status" ) </dev/null >/dev/null 2>&1 &
  tries=0
  while ! daemon_cmd "$daemon" --status --socket "$socket" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ -f "$at.status" ]; then
      cat "$at.log" >&2
      rm -f "$at.pid" "$at.status" "$at.log" "$at.daemon"
      die "hcssimd exited at once"
    fi
    [ $tries -gt 200 ] && { cat "$at.log" >&2; die "hcssimd did not answer on $socket"; }
    sleep 0.05
  done
}

# stop SOCKET: SIGTERM (a Windows daemon: hcssimd.exe --stop), then the
# daemon's exit status must be 0.
stop() {
  socket=$1 at=$(state "$1")
  [ -f "$at.pid" ] || die "no daemon was started on $socket"
  daemon=$(cat "$at.daemon")
  case $daemon in
  *.exe) daemon_cmd "$daemon" --stop --socket "$socket" >/dev/null 2>>"$at.log" ;;
  *) kill -TERM "$(cat "$at.pid")" 2>/dev/null ;;
  esac
  tries=0
  while [ ! -s "$at.status" ]; do
    tries=$((tries + 1))
    [ $tries -gt 400 ] && die "hcssimd on $socket did not stop within 20 s"
    sleep 0.05
  done
  status=$(cat "$at.status")
  if [ "$status" != 0 ]; then
    cat "$at.log" >&2
    die "hcssimd on $socket exited with status $status"
  fi
  rm -f "$at.pid" "$at.status" "$at.log" "$at.daemon"
}

case "${1:-}" in
run)
  [ $# -ge 4 ] || die "usage: run HCSSIMD SOCKET COMMAND [ARGS...]"
  daemon=$2 socket=$3
  shift 3
  start "$daemon" "$socket"
  HCSSIM_SOCKET=$socket "$@"
  rc=$?
  stop "$socket" || exit 1
  exit $rc
  ;;
start) [ $# -eq 3 ] || die "usage: start HCSSIMD SOCKET"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: stop SOCKET"; stop "$2" ;;
*) die "usage: hcssimd_ctl.sh run|start|stop ..." ;;
esac
