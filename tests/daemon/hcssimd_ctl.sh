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
set -u

die() { echo "hcssimd_ctl: $*" >&2; exit 1; }

# start HCSSIMD SOCKET: the daemon in the background, its pid in SOCKET.pid
# and, once it ends, its exit status in SOCKET.status; returns once it
# answers --status.
start() {
  daemon=$1 socket=$2
  mkdir -p "$(dirname "$socket")"
  rm -f "$socket.pid" "$socket.status" "$socket.log"
  # Detached from the caller's output: ctest waits for every holder of a
  # test's stdout to let go, and the daemon outlives the setup step.
  ( "$daemon" --socket "$socket" 2>>"$socket.log" & pid=$!
    echo "$pid" > "$socket.pid"
    wait "$pid"; echo $? > "$socket.status" ) </dev/null >/dev/null 2>&1 &
  tries=0
  while ! "$daemon" --status --socket "$socket" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ -f "$socket.status" ]; then
      cat "$socket.log" >&2
      rm -f "$socket.pid" "$socket.status" "$socket.log"
      die "hcssimd exited at once"
    fi
    [ $tries -gt 200 ] && { cat "$socket.log" >&2; die "hcssimd did not answer on $socket"; }
    sleep 0.05
  done
}

# stop SOCKET: SIGTERM, then the daemon's exit status must be 0.
stop() {
  socket=$1
  [ -f "$socket.pid" ] || die "no daemon was started on $socket"
  kill -TERM "$(cat "$socket.pid")" 2>/dev/null
  tries=0
  while [ ! -s "$socket.status" ]; do
    tries=$((tries + 1))
    [ $tries -gt 400 ] && die "hcssimd on $socket did not stop within 20 s"
    sleep 0.05
  done
  status=$(cat "$socket.status")
  if [ "$status" != 0 ]; then
    cat "$socket.log" >&2
    die "hcssimd on $socket exited with status $status"
  fi
  rm -f "$socket.pid" "$socket.status" "$socket.log"
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
