#!/bin/sh
# make demo: a guided tour of hcsctl for someone who has never heard of HCS.
# Starts a private hcssimd (the simulated Windows host), walks a container
# through create, start, exec, live stats, Ctrl-C, events, stop and rm, runs
# one on image layers with a NAT network, and stops the daemon. Works without a terminal too (CI runs it).
#
#   demo.sh BIN_DIR [WORK_DIR]    BIN_DIR holds hcsctl and hcssimd
set -u
bin=$1
if [ $# -ge 2 ]; then
  work=$2 made_work=
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/hcsctl-demo.XXXXXX") made_work=1
fi
export HCSSIM_SOCKET="$work/hcssimd.sock"
unset HCS_PROVIDER
daemon_pid=

if [ -t 1 ]; then bold=$(printf '\033[1m') plain=$(printf '\033[0m'); else bold= plain=; fi

say() { printf '\n%s\n' "$*"; }
# show ARGS...: prints the command, the demo's folder written as $DEMO.
show() { printf '%s$ hcsctl %s%s\n' "$bold" "$(printf '%s' "$*" | sed "s|$work|\$DEMO|g")" "$plain"; }
# run ARGS...: shows the command, runs it, stops the demo if it fails.
run() {
  show "$*"
  "$bin/hcsctl" "$@" || fail "hcsctl $* exited $?"
}
fail() {
  echo "demo failed: $*" >&2
  stop_daemon
  exit 1
}
stop_daemon() {
  if [ -n "$daemon_pid" ]; then
    kill -TERM "$daemon_pid" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
    daemon_pid=
  fi
  [ -z "$made_work" ] || rm -rf "$work"
}
trap 'stop_daemon; exit 130' INT TERM

say "Windows runs containers and virtual machines through a service called the Host Compute
Service (HCS). hcsctl is a command line tool for it. This demo runs on hcssimd, a simulator
of that service, so it works anywhere; on Windows the same commands drive the real thing."

"$bin/hcssimd" --socket "$HCSSIM_SOCKET" 2>"$work/hcssimd.log" &
daemon_pid=$!
tries=0
until "$bin/hcssimd" --status --socket "$HCSSIM_SOCKET" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ $tries -le 200 ] || fail "hcssimd did not start (see $work/hcssimd.log)"
  sleep 0.05
done
say "Started a private simulated host: hcssimd, listening on $HCSSIM_SOCKET."
run service

say "1. Create a container. A container is an isolated place to run programs; HCS calls
   containers and virtual machines 'compute systems'. It starts out Created: nothing runs yet."
run create demo-web --container
run list

say "2. Start it. Now it is Running."
run start demo-web
run list

say "3. Run programs inside it. Their output is relayed as it comes: ping prints a line a second."
run exec demo-web -- cmd /c echo Hello from inside the container
run exec demo-web -- ping -n 3 127.0.0.1

say "4. Watch what it uses, live, for a few seconds, while programs inside hold 64 MiB of memory
   and keep a processor busy. (hcsctl stats refreshes in place until Ctrl-C; the demo
   presses Ctrl-C for you.)"
"$bin/hcsctl" exec demo-web -- hcssim-alloc 64 5000 >/dev/null &
alloc=$!
( for i in 1 2 3 4 5 6; do "$bin/hcsctl" exec demo-web -- hcssim-burn 500 || exit 1; done ) &
burn=$!
show "stats demo-web"
"$bin/hcsctl" stats demo-web &
stats=$!
sleep 4
kill -INT "$stats"
wait "$stats" || fail "stats exited $?"
wait "$burn" || fail "a program of step 4 failed"
wait "$alloc" || fail "a program of step 4 failed"

say "5. Stop a long-running program with Ctrl-C: hcsctl passes it to the program inside."
show "exec demo-web -- ping -n 100 127.0.0.1      (Ctrl-C after 2 seconds)"
"$bin/hcsctl" exec demo-web -- ping -n 100 127.0.0.1 &
ping=$!
sleep 2
kill -INT "$ping"
wait "$ping"
say "   hcsctl exited $? (130: ended by Ctrl-C, as a shell reports it)."

say "6. Watch HCS's events: it tells when a system stops, crashes or loses its guest."
show "events &"
"$bin/hcsctl" events &
events=$!
sleep 1

say "7. Stop the container: a graceful shutdown first, a forced one only if that does not work."
run stop demo-web

say "8. Remove a system: rm stops it if it runs, then HCS forgets it. A second container shows it."
run create demo-db --container
run start demo-db
sleep 1.5 # events lists the systems every second to watch new ones
run rm demo-db
sleep 1
kill -INT "$events"
wait "$events"
run list

say "9. Containers run on image layers: folders of files as pulled from a registry, nearest first
   and the base layer (the Windows files) last. Each container gets a writable layer of its own,
   its scratch, which holds what it changes; the layers stay as they were. (A stand-in for a
   Windows base layer, and an application layer in transport format, as a registry sends it,
   in DEMO=$work.)"
mkdir -p "$work/layers/base/Files/Windows/System32" "$work/pull/web/Files/site"
echo "Hello from a layer" >"$work/pull/web/Files/site/index.html"
export HCSCTL_STATE="$work/state" # where hcsctl keeps each container's scratch
run layer import "$work/layers/web" "$work/pull/web" --parent "$work/layers/base"

say "   A container's network comes from the Host Compute Network service: a NAT network shares the
   host's address; each container gets an endpoint (an address and a MAC) on it."
run network create NAT --type NAT
run create demo-app --container --layer "$work/layers/web" --layer "$work/layers/base" --network NAT
run start demo-app
say "   HCS shows the container's namespace and its endpoint; HCN tells the endpoint's address."
run inspect demo-app
run endpoint ls
run exec demo-app -- hcssim-write notes.txt written inside demo-app
say "   The container's write is in its scratch (hcsctl keeps it in \$HCSCTL_STATE/demo-app), not in a layer:"
for file in state/demo-app/scratch/Files/notes.txt layers/web/Files/notes.txt; do
  if [ -f "$work/$file" ]; then text=\"$(cat "$work/$file")\"; else text="(no such file)"; fi
  printf '   $DEMO/%s: %s\n' "$file" "$text"
done
say "   rm removes the container, then its endpoint and namespace, then its scratch."
run rm demo-app
[ ! -e "$HCSCTL_STATE/demo-app" ] || fail "rm left $HCSCTL_STATE/demo-app"
run endpoint ls
run network rm NAT
run layer rm "$work/layers/web" "$work/layers/base"

stop_daemon
say "The demo is over: the simulated host is stopped. Next: 'hcsctl --help', the manual page
(man -l $(cd "$bin/.." && pwd)/share/man/man1/hcsctl.1) and the README's hcsctl section."
