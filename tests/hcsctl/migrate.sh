#!/bin/sh
# Live migration between two simulated hosts, as a user runs it: two
# hcssimd (build 24H2), a VM with a running guest process on the first,
# `hcsctl migrate --listen` on the second and `hcsctl migrate --to` on the
# first, over a real TCP connection. Then sessions that differ: both sides
# fail, the source's VM runs on, the destination's is discarded.
#
#   migrate.sh HCSSIMD HCSCTL SCRATCH_DIR
#
# HCSSIMD and HCSCTL may be hcssimd.exe and hcsctl.exe, run under Wine
# (hcssimd_ctl.sh, use_hcsctl.sh); the daemons then listen on pipes, and
# each hcsctl hands its socket to its daemon as Windows shares sockets
# (docs/hcssimd.md).
set -eu
hcssimd=$1 dir=$3
ctl=$(cd "$(dirname "$0")/../daemon" && pwd)/hcssimd_ctl.sh
export HCSSIM_PROFILE=24H2 HCS_PROVIDER=hcssimd HCSSIMD_CTL_DIR="$dir"
mkdir -p "$dir"
. "$(dirname "$0")/use_hcsctl.sh"
use_hcsctl "$2" "$dir/bin"
case $hcssimd in
*.exe) a='\\.\pipe\hcsctl-migrate-a' b='\\.\pipe\hcsctl-migrate-b' ;;
*) a=$dir/migrate-a.sock b=$dir/migrate-b.sock ;;
esac

fail() {
  echo "migrate.sh: $*" >&2
  exit 1
}
on_a() { HCSSIM_SOCKET=$a "$hcsctl" "$@"; }
on_b() { HCSSIM_SOCKET=$b "$hcsctl" "$@"; }

"$ctl" start "$hcssimd" "$a" || fail "no daemon at $a"
"$ctl" start "$hcssimd" "$b" || { "$ctl" stop "$a"; fail "no daemon at $b"; }
receiver=
# On the way out a receiver still waiting is ended first: a daemon stops
# only once its clients have gone.
trap 'rc=$?; [ -n "$receiver" ] && kill "$receiver" 2>/dev/null; "$ctl" stop "$a" || rc=1; "$ctl" stop "$b" || rc=1; exit $rc' EXIT

# receive ID OUT ARGS...: the destination side in the background; prints
# the port it listens on once it does.
receive() {
  id=$1 out=$2
  shift 2
  # The file exists before the background job opens it: the loop below
  # may read it first, and a failing read would end the script (set -e).
  : >"$out"
  HCSSIM_SOCKET=$b "$hcsctl" migrate --listen 127.0.0.1:0 "$@" "$id" >"$out" 2>&1 & # $!: hcsctl itself
  receiver=$!
  for _ in $(seq 600); do # a hang guard: a sanitized hcsctl may start slowly on a busy machine
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  fail "the destination does not listen: $(cat "$out")"
}

# vm MB: a VM document with a guest connection (for processes) of MB MiB.
vm() {
  printf '{"SchemaVersion":{"Major":2,"Minor":1},"VirtualMachine":{"ComputeTopology":{"Memory":{"SizeInMB":%s}},"GuestConnection":{}}}\n' "$1" >"$dir/vm-$1.json"
  echo "$dir/vm-$1.json"
}

# 1. A running VM with a guest process moves from a to b.
on_a create vm1 "$(vm 1536)" >/dev/null
on_a start vm1 >/dev/null
on_a exec vm1 -- ping -n 600 127.0.0.1 >/dev/null 2>&1 &
guest=$!
for _ in $(seq 100); do
  on_a ps vm1 | grep -q ping && break
  sleep 0.1
done
on_a ps vm1 | grep -q ping || fail "the guest process does not run on a"
on_b create vm1 "$(vm 256)" >/dev/null
receive vm1 "$dir/receive.out" --json
on_a migrate --to "127.0.0.1:$port" vm1 >"$dir/send.out" 2>&1 || fail "migrate --to failed: $(cat "$dir/send.out")"
wait "$receiver" || fail "migrate --listen failed: $(cat "$dir/receive.out")"
receiver=
grep -q '"Event":"BlackoutStarted"' "$dir/send.out" || fail "no BlackoutStarted on a: $(cat "$dir/send.out")"
grep -q 'MigrationDone' "$dir/send.out" || fail "no MigrationDone on a"
grep -q '"Id":"vm1","Event":{.*"Event":"MigrationDone"' "$dir/receive.out" || fail "no JSON MigrationDone on b: $(cat "$dir/receive.out")"
wait "$guest" || true # its process ended with the source's VM
on_a list -q | grep -qx vm1 && fail "vm1 still exists on a"
on_b inspect vm1 | grep -q '"State": *"Running"' || fail "vm1 is not running on b: $(on_b inspect vm1)"
on_b inspect --type Memory vm1 | grep -q '"AssignedMemory": *393216' || fail "vm1 on b lacks a's memory size"
on_b ps vm1 | grep -q ping || fail "the guest process did not arrive on b: $(on_b ps vm1)"
on_b kill vm1 >/dev/null

# 2. Sessions that differ: both sides fail; a's VM runs on, b's is gone.
on_a create vm2 "$(vm 512)" >/dev/null
on_a start vm2 >/dev/null
on_b create vm2 "$(vm 512)" >/dev/null
receive vm2 "$dir/receive2.out" --session 8
rc=0
on_a migrate --session 9 --to "127.0.0.1:$port" vm2 >"$dir/send2.out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "migrate with another session exited $rc: $(cat "$dir/send2.out")"
rc=0
wait "$receiver" || rc=$?
[ "$rc" -eq 1 ] || fail "migrate --listen with another session exited $rc: $(cat "$dir/receive2.out")"
receiver=
on_a inspect vm2 | grep -q '"State": *"Running"' || fail "vm2 does not run on a after the failure"
on_b list -q | grep -qx vm2 && fail "vm2 was not discarded on b"
on_a kill vm2 >/dev/null
echo "migrate.sh: ok"
