#!/usr/bin/env bash
# Checks scripts/hcssim-wine-install.sh (issue 17, item "installing the
# simulator for other clients").
#
#   system32_test.sh files
#       in a fake prefix (no Wine needed): install puts the DLL in System32
#       with its marker, remove takes away exactly that, and the script
#       refuses a folder that is not a prefix and a computecore.dll it did
#       not install
#   system32_test.sh wine WINE_RUN PROGRAM PREFIX DLL
#       in a Wine prefix of its own (PREFIX, created here; the shared test
#       prefix never sees a computecore.dll): PROGRAM, linked against
#       computecore.dll and alone in its folder, cannot start before the
#       install, passes after it, and cannot start after the remove; the
#       prefix's wineserver is stopped at the end
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
install=$here/../../scripts/hcssim-wine-install.sh

fail() {
	printf 'system32_test: FAILED: %s\n' "$*" >&2
	exit 1
}

files_mode() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	local prefix=$tmp/prefix sys32=$tmp/prefix/drive_c/windows/system32
	mkdir -p "$sys32"
	: >"$prefix/system.reg"
	echo kernel >"$sys32/kernel32.dll"
	echo sim >"$tmp/hcssim.dll"
	! bash "$install" install "$tmp" 2>/dev/null || fail "install into a folder that is not a prefix"
	HCSSIM_DLL=$tmp/hcssim.dll bash "$install" install "$prefix" >/dev/null || fail "install"
	cmp -s "$tmp/hcssim.dll" "$sys32/computecore.dll" || fail "System32/computecore.dll is not the DLL"
	bash "$install" status "$prefix" >/dev/null || fail "status after install"
	HCSSIM_DLL=$tmp/hcssim.dll bash "$install" install "$prefix" >/dev/null || fail "a second install"
	bash "$install" remove "$prefix" >/dev/null || fail "remove"
	[[ ! -e $sys32/computecore.dll && ! -e $sys32/computecore.dll.hcssim ]] || fail "remove left files behind"
	[[ $(cat "$sys32/kernel32.dll") == kernel ]] || fail "remove touched another file"
	! bash "$install" status "$prefix" >/dev/null || fail "status after remove"
	bash "$install" remove "$prefix" >/dev/null || fail "a second remove"
	echo foreign >"$sys32/computecore.dll"
	! HCSSIM_DLL=$tmp/hcssim.dll bash "$install" install "$prefix" 2>/dev/null || fail "replaced a foreign DLL"
	! bash "$install" remove "$prefix" 2>/dev/null || fail "removed a foreign DLL"
	[[ $(cat "$sys32/computecore.dll") == foreign ]] || fail "the foreign DLL changed"
	echo "system32_test: install/remove in a fake prefix: ok"
}

wine_mode() {
	# Globals: the EXIT trap runs after this function has returned.
	wine_run=$1 program=$2 prefix=$3 dll=$4
	export HCSKIT_WINEPREFIX=$prefix
	cleanup() {
		bash "$install" remove "$prefix" >/dev/null 2>&1 || true
		bash "$wine_run" --shutdown "$program" || true
	}
	trap cleanup EXIT
	bash "$wine_run" --init "$program"
	bash "$install" remove "$prefix" >/dev/null
	! bash "$wine_run" "$program" >/dev/null 2>&1 || fail "the program ran without computecore.dll in System32"
	HCSSIM_DLL=$dll bash "$install" install "$prefix"
	bash "$wine_run" "$program" || fail "the program failed with hcssim.dll in System32"
	bash "$install" remove "$prefix"
	! bash "$wine_run" "$program" >/dev/null 2>&1 || fail "the program still ran after remove"
	echo "system32_test: a computecore client loads hcssim from System32: ok"
}

case ${1:-} in
files) files_mode ;;
wine) shift && wine_mode "$@" ;;
*) fail "usage: system32_test.sh files | wine WINE_RUN PROGRAM PREFIX DLL" ;;
esac
