#!/usr/bin/env bash
# Install hcssim.dll as computecore.dll in a Wine prefix's System32, so that
# an unmodified Windows HCS client (hcsshim, a C# or C++ program) finds the
# simulator where it looks for the real service: Windows clients load
# computecore.dll from System32 only.
#
#   hcssim-wine-install.sh install [PREFIX]   copy the DLL to PREFIX's System32
#   hcssim-wine-install.sh remove [PREFIX]    delete it again (only a copy this
#                                             script installed; nothing else is
#                                             touched or restored)
#   hcssim-wine-install.sh status [PREFIX]    say whether it is installed
#
# PREFIX defaults to $WINEPREFIX, else ~/.wine; it must be an existing 64-bit
# Wine prefix (create one with `WINEPREFIX=PREFIX wineboot --init`).
# HCSSIM_DLL names the DLL to install (default: build/mingw/bin/hcssim.dll
# of this tree; hcssim-1809.dll ... emulate older builds). A marker file
# beside the copy records its checksum, so `remove` never deletes a
# computecore.dll that someone else put there.
set -euo pipefail

die() {
	printf 'hcssim-wine-install: error: %s\n' "$*" >&2
	exit 2
}

usage() {
	sed -n '2,/^set -e/{/^#/{s/^# \{0,1\}//;p}}' "$0" >&2
	exit 2
}

# system32_of PREFIX: the 64-bit System32 folder of a Wine prefix.
system32_of() {
	local dir=$1/drive_c/windows/system32
	[[ -f $1/system.reg && -d $dir ]] || die "$1 is not a Wine prefix (no system.reg or drive_c/windows/system32)"
	printf '%s\n' "$dir"
}

checksum() {
	sha256sum "$1" | cut -d' ' -f1
}

# ours TARGET MARKER: true when TARGET is the copy recorded in MARKER.
ours() {
	[[ -f $1 && -f $2 ]] && [[ $(checksum "$1") == "$(cat "$2")" ]]
}

install_dll() {
	local root dll target marker
	root=$(cd "$(dirname "$0")/.." && pwd -P)
	dll=${HCSSIM_DLL:-$root/build/mingw/bin/hcssim.dll}
	[[ -f $dll ]] || die "no DLL at $dll (build it with 'make test-mingw', or set HCSSIM_DLL)"
	target=$SYSTEM32/computecore.dll
	marker=$target.hcssim
	if [[ -e $target ]] && ! ours "$target" "$marker"; then
		die "$target exists and was not installed by this script; not replacing it"
	fi
	cp "$dll" "$target.tmp"
	mv "$target.tmp" "$target"
	checksum "$target" >"$marker"
	printf 'installed %s as %s\n' "$dll" "$target"
}

remove_dll() {
	local target=$SYSTEM32/computecore.dll
	local marker=$target.hcssim
	if [[ ! -e $target ]]; then
		rm -f "$marker"
		printf 'nothing to remove in %s\n' "$SYSTEM32"
		return 0
	fi
	ours "$target" "$marker" || die "$target was not installed by this script (or was changed since); not removing it"
	rm -f "$target" "$marker"
	printf 'removed %s\n' "$target"
}

status_dll() {
	local target=$SYSTEM32/computecore.dll
	if ours "$target" "$target.hcssim"; then
		printf 'installed: %s\n' "$target"
	elif [[ -e $target ]]; then
		printf 'another computecore.dll: %s\n' "$target"
		return 1
	else
		printf 'not installed in %s\n' "$SYSTEM32"
		return 1
	fi
}

[[ $# -ge 1 && $# -le 2 ]] || usage
prefix=${2:-${WINEPREFIX:-$HOME/.wine}}
case $1 in
install | remove | status) ;;
*) usage ;;
esac
SYSTEM32=$(system32_of "$prefix")
case $1 in
install) install_dll ;;
remove) remove_dll ;;
status) status_dll ;;
esac
