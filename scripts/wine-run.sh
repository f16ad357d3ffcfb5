#!/usr/bin/env bash
# Run a Windows program under 64-bit Wine, headless and quiet; used as
# CMAKE_CROSSCOMPILING_EMULATOR by cmake/mingw-w64.cmake, so ctest runs the
# cross-built tests through it.
#
#   wine-run.sh PROGRAM.exe [ARGS...]    run PROGRAM; its exit code is returned
#   wine-run.sh --init [PROGRAM.exe]     create the Wine prefix (once)
#   wine-run.sh --shutdown [PROGRAM.exe] stop the prefix's wineserver, if any
#
# The prefix is $HCSKIT_WINEPREFIX when set, else <dir of PROGRAM>/../wineprefix.
# It is created on first use, under a lock, so parallel tests do not race.
# The Linux environment is passed to the program as its Windows environment.
#
# Wine's background processes (wineserver, services.exe, ...) inherit the
# stdout/stderr of the program that starts them, and ctest waits for those
# pipes to close. So before a program runs, a wineserver that lingers
# HCSKIT_WINE_PERSIST seconds (default 15) after the last program is started
# with its output sent to /dev/null; the programs then start in about 0.1 s
# instead of 1-3 s. HCSKIT_WINE_PERSIST=0 turns this off. `--shutdown` stops
# it at once.
#
# Other settings: HCSKIT_WINEDEBUG (default -all) becomes WINEDEBUG;
# HCSKIT_WINE names the wine loader to use.
set -euo pipefail

die() {
	printf 'wine-run: error: %s\n' "$*" >&2
	exit 125
}

usage() {
	sed -n '2,/^set -e/{/^#/{s/^# \{0,1\}//;p}}' "$0" >&2
	exit 125
}

# first_executable CANDIDATE...: print the first one that is an executable file.
first_executable() {
	local c
	for c in "$@"; do
		if [[ -n $c && -x $c ]]; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# The 64-bit loader. Debian 12 keeps it at /usr/lib/wine/wine64 and only
# installs a "wine" wrapper script in /usr/bin.
find_wine() {
	first_executable "${HCSKIT_WINE:-}" "$(command -v wine64 2>/dev/null || true)" \
		/usr/lib/wine/wine64 /usr/lib64/wine/wine64 /opt/wine-stable/bin/wine64 \
		"$(command -v wine 2>/dev/null || true)" ||
		die "no wine64 or wine found; install wine64 (scripts/bootstrap.sh)"
}

# The server binary itself (Debian's /usr/bin/wineserver is a wrapper that
# forces -p0).
find_wineserver() {
	local dir
	dir=$(dirname "$WINE_BIN")
	first_executable "$dir/wineserver64" "$dir/wineserver" /usr/lib/wine/wineserver64 \
		"$(command -v wineserver 2>/dev/null || true)" ||
		die "wineserver not found"
}

# prefix_for [PROGRAM]
prefix_for() {
	if [[ -n ${HCSKIT_WINEPREFIX:-} ]]; then
		printf '%s\n' "$HCSKIT_WINEPREFIX"
	elif [[ -n ${1:-} ]]; then
		local dir
		dir=$(cd "$(dirname "$1")" && pwd -P) || die "no such directory: $(dirname "$1")"
		printf '%s\n' "$(dirname "$dir")/wineprefix"
	else
		die "set HCSKIT_WINEPREFIX or name the program whose prefix is meant"
	fi
}

setup_env() {
	local p=$1
	[[ $p == / ]] || p=${p%/}
	WINE_BIN=$(find_wine)
	WINESERVER_BIN=$(find_wineserver)
	export WINEPREFIX=$p
	export WINEARCH=win64
	export WINEDEBUG=${HCSKIT_WINEDEBUG:--all}
	# No Mono/Gecko install dialogs, no windows.
	export WINEDLLOVERRIDES="mscoree,mshtml="
	unset DISPLAY WAYLAND_DISPLAY
	# Wine starts its helper processes through WINELOADER.
	if [[ $(basename "$WINE_BIN") == wine64 ]]; then
		export WINELOADER=$WINE_BIN
	fi
	LOCK_FILE=$WINEPREFIX/.hcskit-init.lock
}

# Marker written once wineboot has finished with the prefix.
prefix_ready() {
	[[ -f $WINEPREFIX/.hcskit-ready ]]
}

# Create the prefix (call with the lock held).
create_prefix() {
	prefix_ready && return 0
	local t0=$SECONDS
	printf 'wine-run: creating Wine prefix %s\n' "$WINEPREFIX" >&2
	"$WINE_BIN" wineboot.exe --init </dev/null >/dev/null 2>&1 ||
		die "wineboot --init failed for $WINEPREFIX"
	# Wait until wineserver has written the registry and exited.
	"$WINESERVER_BIN" -w </dev/null >/dev/null 2>&1 || true
	[[ -f $WINEPREFIX/system.reg ]] || die "wineboot did not create $WINEPREFIX/system.reg"
	: >"$WINEPREFIX/.hcskit-ready"
	printf 'wine-run: Wine prefix ready in %ss\n' "$((SECONDS - t0))" >&2
}

# Start a lingering wineserver and Wine's services, detached from our
# stdout/stderr (call with the lock held). Does nothing if a server runs.
start_session() {
	local persist=${HCSKIT_WINE_PERSIST:-15}
	[[ $persist =~ ^[0-9]+$ ]] || die "HCSKIT_WINE_PERSIST must be a number of seconds"
	((persist > 0)) || return 0
	# Exits non-zero when a server already runs for this prefix.
	"$WINESERVER_BIN" -p"$persist" </dev/null >/dev/null 2>&1 || return 0
	"$WINE_BIN" cmd.exe /c exit 0 </dev/null >/dev/null 2>&1 || true
}

# with_lock FUNCTION...: run the functions holding the prefix's lock.
with_lock() {
	mkdir -p "$WINEPREFIX" || die "cannot create $WINEPREFIX"
	exec 9>>"$LOCK_FILE"
	flock -w 600 9 || die "timed out waiting for $LOCK_FILE"
	local f
	for f in "$@"; do
		"$f"
	done
	flock -u 9
	exec 9>&-
}

case ${1:-} in
"" | -h | --help)
	usage
	;;
--init)
	prefix=$(prefix_for "${2:-}")
	setup_env "$prefix"
	prefix_ready || with_lock create_prefix
	;;
--shutdown)
	prefix=$(prefix_for "${2:-}")
	setup_env "$prefix"
	if [[ -d $WINEPREFIX ]]; then
		"$WINESERVER_BIN" -k </dev/null >/dev/null 2>&1 || true
	fi
	;;
-*)
	die "unknown option $1 (see --help)"
	;;
*)
	program=$1
	shift
	[[ -f $program ]] || die "no such program: $program"
	prefix=$(prefix_for "$program")
	setup_env "$prefix"
	with_lock create_prefix start_session
	exec "$WINE_BIN" "$program" "$@"
	;;
esac
