#!/bin/sh
# A container's life as separate hcsctl commands, the way a user types them:
# create, start, exec, stop, rm, each a process of its own, all on one
# simulated host (the hcssimd that tests/daemon/hcssimd_ctl.sh started;
# hcsctl finds it by HCSSIM_SOCKET).
#
#   lifecycle.sh HCSCTL
#
# HCSCTL may be hcsctl.exe, run under Wine against hcssimd.exe
# (use_hcsctl.sh).
set -eu
hcsctl=$1
id=script-web
unset HCS_PROVIDER

fail() {
  echo "lifecycle.sh: $*" >&2
  exit 1
}

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
. "$(dirname "$0")/use_hcsctl.sh"
use_hcsctl "$hcsctl" "$bin"

[ "$("$hcsctl" create "$id" --container)" = "$id" ] || fail "create did not print the id"
"$hcsctl" list -q | grep -qx "$id" || fail "$id is not listed after create"
"$hcsctl" start "$id" >/dev/null
[ "$("$hcsctl" list --state Running -q)" = "$id" ] || fail "$id is not the one system running"

out=$("$hcsctl" exec "$id" -- cmd /c echo hello from the script | tr -d '\r')
[ "$out" = "hello from the script" ] || fail "exec printed '$out'"
rc=0
"$hcsctl" exec "$id" -- cmd /c exit 3 || rc=$?
[ "$rc" -eq 3 ] || fail "exec exited $rc, not the guest's 3"
out=$(printf 'a\nb\n' | "$hcsctl" exec -i "$id" -- more | tr -d '\r')
[ "$out" = "$(printf 'a\nb')" ] || fail "exec -i relayed '$out'"

# The bash completion hcsctl writes completes verbs, and ids by asking hcsctl.
if command -v bash >/dev/null; then
  complete_words() {
    PATH="$(dirname "$hcsctl"):$PATH" bash -c "$("$hcsctl" --completion bash)
COMP_WORDS=($*); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); _hcsctl; echo \"\${COMPREPLY[*]}\""
  }
  [ "$(complete_words hcsctl st)" = "start stop stats" ] || fail "completion of 'st': $(complete_words hcsctl st)"
  [ "$(complete_words hcsctl exec script)" = "$id" ] || fail "completion of an id: $(complete_words hcsctl exec script)"
  [ "$(complete_words hcsctl list --state Pa)" = "Paused" ] || fail "completion of a state"
fi

[ "$("$hcsctl" stop "$id")" = "$id: shut down" ] || fail "stop did not shut $id down"
[ -z "$("$hcsctl" list -q)" ] || fail "$id is still listed after stop"
"$hcsctl" rm --force "$id"
rc=0
msg=$("$hcsctl" rm "$id" 2>&1 >/dev/null) || rc=$?
[ "$rc" -eq 1 ] || fail "rm of a removed system exited $rc"
case $msg in
*"no compute system '$id' (HCS_E_SYSTEM_NOT_FOUND); see 'hcsctl list'"*) ;;
*) fail "rm of a removed system said: $msg" ;;
esac
echo "lifecycle.sh: create, start, exec, stop, rm: ok"
