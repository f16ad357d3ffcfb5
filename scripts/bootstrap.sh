#!/usr/bin/env bash
# Prepare a Debian 12 (bookworm) machine for building and testing hcskit.
#
#   1. Install the native and cross toolchains that are missing (apt).
#   2. Make sure apt knows a deb-src entry (only when step 3 has to fetch
#      sources).
#   3. Cross-build static jansson and cmocka for x86_64-w64-mingw32 from the
#      Debian sources of the natively installed versions, into
#      .cache/mingw-deps/x86_64-w64-mingw32 (used through cmake/mingw-w64.cmake).
#
# Idempotent: on a machine that is already set up it changes nothing and
# needs no network. Run it as root, or as a user who may use sudo (sudo is
# then used for the apt steps only).
#
# Environment:
#   HCSKIT_BOOTSTRAP_FORCE=1   rebuild the mingw dependencies even when the
#                              stamp file says they are up to date.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*"; }
die() {
	printf 'bootstrap: error: %s\n' "$*" >&2
	exit 1
}

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
TRIPLET=x86_64-w64-mingw32
TOOLCHAIN_FILE=$REPO_DIR/cmake/mingw-w64.cmake
CACHE_DIR=$REPO_DIR/.cache/mingw-deps
PREFIX=$CACHE_DIR/$TRIPLET
SRC_DIR=$CACHE_DIR/src
BUILD_DIR=$CACHE_DIR/build
LOG_DIR=$CACHE_DIR/logs
STAMP_FILE=$CACHE_DIR/stamp
SRC_LIST=/etc/apt/sources.list.d/hcskit-src.sources
# Bump when the way the dependencies are built changes, to force a rebuild.
RECIPE=1

# What the cross-built dependencies must leave in $PREFIX.
DEPS_FILES=(
	include/jansson.h include/jansson_config.h lib/libjansson.a
	lib/cmake/jansson/janssonConfig.cmake lib/pkgconfig/jansson.pc
	include/cmocka.h lib/libcmocka.a
	lib/cmake/cmocka/cmocka-config.cmake lib/pkgconfig/cmocka.pc
)

PACKAGES=(
	build-essential cmake make pkg-config git
	libjansson-dev libcmocka-dev
	mingw-w64 wine64 valgrind
	clang libclang-rt-14-dev clang-format clang-tidy cppcheck
	dpkg-dev python3
)

# ---------------------------------------------------------------------------
# privileges

SUDO=()
SUDO_CHECKED=0

# need_root WHAT: make sure apt steps can run, as root or through sudo.
need_root() {
	[[ $SUDO_CHECKED == 1 ]] && return 0
	SUDO_CHECKED=1
	if [[ $EUID -eq 0 ]]; then
		return 0
	fi
	if ! command -v sudo >/dev/null 2>&1; then
		die "$1 needs root, but this is not root and sudo is not installed; run this script as root"
	fi
	if ! sudo -n true 2>/dev/null && ! [[ -t 0 ]]; then
		die "$1 needs root, but sudo wants a password and there is no terminal to ask for it; run 'sudo $0' or this script as root"
	fi
	SUDO=(sudo)
	log "not root: using sudo for $1"
}

as_root() {
	if ((${#SUDO[@]})); then
		"${SUDO[@]}" "$@"
	else
		"$@"
	fi
}

# ---------------------------------------------------------------------------
# apt helpers

# apt-get update runs at most once, and only when something is needed
# from the network; adding the deb-src entry asks for one more if an update
# already ran.
APT_UPDATED=0

apt_update() {
	[[ $APT_UPDATED == 1 ]] && return 0
	need_root "apt-get update"
	log "running apt-get update"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get update -q -o DPkg::Lock::Timeout=600 ||
		die "apt-get update failed (is the network or the Debian mirror reachable?)"
	APT_UPDATED=1
	SOURCES_PENDING=0
}

pkg_installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

install_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		pkg_installed "$p" || missing+=("$p")
	done
	if ((${#missing[@]} == 0)); then
		log "all ${#PACKAGES[@]} Debian packages are installed"
		return 0
	fi
	log "missing Debian packages: ${missing[*]}"
	need_root "apt-get install"
	apt_update
	log "installing: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=600 "${missing[@]}" ||
		die "apt-get install failed for: ${missing[*]}"
	CHANGED=1
}

# True when apt has at least one enabled deb-src entry. apt itself is asked
# first (it knows every format and the Enabled: field); if that fails the
# files are read.
has_deb_src() {
	local targets
	# shellcheck disable=SC2016 # $(CREATED_BY) is apt's field syntax
	if targets=$(apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null); then
		grep -qx 'Sources' <<<"$targets"
		return
	fi
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		grep -Eq '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		awk '
			BEGIN { RS = ""; FS = "\n"; found = 0 }
			{
				types = 0; enabled = 1
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^[Tt]ypes:/ && $i ~ /[: ]deb-src( |$)/) types = 1
					if ($i ~ /^[Ee]nabled:[ \t]*[Nn]o/) enabled = 0
				}
				if (types && enabled) found = 1
			}
			END { exit(found ? 0 : 1) }' "$f" && return 0
	done
	return 1
}

# Print deb-src stanzas (deb822) mirroring the Debian archive "deb" entries
# of debian.sources and sources.list. Third-party repositories are left out
# (they often publish no Sources index, which would make apt-get update fail).
debian_src_stanzas() {
	local f=/etc/apt/sources.list.d/debian.sources
	if [[ -f $f ]]; then
		awk '
			function flush(   i, isdeb, isdebian, off) {
				if (n == 0) return
				isdeb = 0; isdebian = 0; off = 0
				for (i = 1; i <= n; i++) {
					if (line[i] ~ /^[Tt]ypes:/ && line[i] ~ /[: \t]deb([ \t]|$)/) isdeb = 1
					if (line[i] ~ /^URIs:/ && line[i] ~ /\/debian(-security)?\/?([ \t]|$)/) isdebian = 1
					if (line[i] ~ /^[Ee]nabled:[ \t]*[Nn]o/) off = 1
				}
				if (isdeb && isdebian && !off) {
					if (out) print ""
					for (i = 1; i <= n; i++) {
						if (line[i] ~ /^[Tt]ypes:/) print "Types: deb-src"
						else print line[i]
					}
					out = 1
				}
				n = 0
			}
			/^#/ { next }
			/^[ \t]*$/ { flush(); next }
			{ line[++n] = $0 }
			END { flush() }' "$f"
	fi
	f=/etc/apt/sources.list
	if [[ -f $f ]]; then
		# deb [opts] URI SUITE COMPONENTS...
		awk '
			$1 != "deb" { next }
			{
				opts = ""; i = 2
				if ($2 ~ /^\[/) {
					while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ }
					opts = opts " " $i; i++
				}
				uri = $i; suite = $(i + 1); comps = ""
				for (j = i + 2; j <= NF; j++) comps = comps " " $j
				if (uri !~ /\/debian(-security)?\/?$/) next
				gsub(/^ \[ ?| ?\]$/, "", opts)
				if (out) print ""
				print "Types: deb-src"
				print "URIs: " uri
				print "Suites: " suite
				print "Components:" comps
				n = split(opts, o, " ")
				for (k = 1; k <= n; k++)
					if (o[k] ~ /^signed-by=/) print "Signed-By: " substr(o[k], 11)
				out = 1
			}' "$f"
	fi
}

ensure_deb_src() {
	log "apt has no deb-src entry; it is needed for 'apt-get source'"
	local stanzas
	stanzas=$(debian_src_stanzas)
	[[ -n $stanzas ]] ||
		die "found no Debian 'deb' entry in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list to derive a deb-src entry from; add one by hand"
	need_root "adding $SRC_LIST"
	log "writing $SRC_LIST:"
	printf '%s\n' "$stanzas" | sed -e 's/^/bootstrap:   /' -e 's/[[:space:]]*$//'
	{
		printf '# deb-src entries for apt-get source (written by scripts/bootstrap.sh)\n'
		printf '%s\n' "$stanzas"
	} | as_root tee "$SRC_LIST" >/dev/null
	as_root chmod 0644 "$SRC_LIST"
	# The Sources indexes come with the next apt-get update.
	APT_UPDATED=0
	CHANGED=1
}

# ---------------------------------------------------------------------------
# mingw dependencies

# mingw gcc: the win32 thread model (no libwinpthread) when available.
mingw_cc() {
	if command -v "$TRIPLET-gcc-win32" >/dev/null 2>&1; then
		echo "$TRIPLET-gcc-win32"
	else
		echo "$TRIPLET-gcc"
	fi
}

# src_of BINARY-PACKAGE -> "SOURCE-PACKAGE SOURCE-VERSION" of the installed package
src_of() {
	dpkg-query -W -f='${source:Package} ${source:Version}' "$1" 2>/dev/null ||
		die "$1 is not installed"
}

wanted_stamp() {
	local cc
	cc=$(mingw_cc)
	printf '%s\n' "$(src_of libjansson-dev)" "$(src_of libcmocka-dev)" \
		"compiler $cc $("$cc" -dumpversion)" "recipe $RECIPE"
}

deps_up_to_date() {
	[[ ${HCSKIT_BOOTSTRAP_FORCE:-0} == 1 ]] && return 1
	[[ -f $STAMP_FILE ]] || return 1
	pkg_installed libjansson-dev && pkg_installed libcmocka-dev || return 1
	command -v "$(mingw_cc)" >/dev/null 2>&1 || return 1
	local f
	for f in "${DEPS_FILES[@]}"; do
		[[ -f $PREFIX/$f ]] || return 1
	done
	[[ "$(cat "$STAMP_FILE")" == "$(wanted_stamp)" ]]
}

# fail LOG REASON: show the end of a build log and stop.
fail_with_log() {
	printf 'bootstrap: error: %s\n' "$2" >&2
	if [[ -f $1 ]]; then
		printf 'bootstrap: last lines of %s:\n' "$1" >&2
		tail -n 40 "$1" | sed 's/^/  | /' >&2
	fi
	exit 1
}

# run_logged LOG REASON CMD...: run CMD with its output appended to LOG.
run_logged() {
	local logf=$1 reason=$2
	shift 2
	printf '\n$ %s\n' "$*" >>"$logf"
	"$@" >>"$logf" 2>&1 || fail_with_log "$logf" "$reason"
}

# fetch_source NAME VERSION: unpack the Debian source package (with the
# Debian patches applied) to $SRC_DIR/NAME-VERSION, stored in $SOURCE_TREE.
fetch_source() {
	local name=$1 version=$2
	local upstream_dsc=${version#*:}
	local dsc=$SRC_DIR/${name}_${upstream_dsc}.dsc
	local tree=$SRC_DIR/$name-$version
	local logf=$LOG_DIR/$name-source.log
	: >"$logf"
	if [[ ! -f $dsc ]]; then
		# A deb-src entry added by this run needs its Sources index.
		if [[ $SOURCES_PENDING == 1 ]]; then apt_update; fi
		log "fetching Debian source $name $version (apt-get source)"
		local t0=$SECONDS
		if ! env -C "$SRC_DIR" apt-get source --download-only "$name=$version" >>"$logf" 2>&1; then
			# The Sources index may be missing or stale: refresh once and retry.
			if [[ $APT_UPDATED == 0 ]]; then
				log "apt-get source failed; refreshing the package lists and retrying"
				apt_update
				run_logged "$logf" "apt-get source $name=$version failed" \
					env -C "$SRC_DIR" apt-get source --download-only "$name=$version"
			else
				fail_with_log "$logf" "apt-get source $name=$version failed"
			fi
		fi
		[[ -f $dsc ]] || fail_with_log "$logf" "apt-get source did not produce $dsc"
		log "fetched $name $version in $((SECONDS - t0))s"
	fi
	rm -rf "$tree"
	run_logged "$logf" "dpkg-source could not unpack $dsc" \
		dpkg-source --no-check -x "$dsc" "$tree"
	SOURCE_TREE=$tree
}

# cmake_build NAME VERSION SOURCE-TREE CMAKE-ARGS...
cmake_build() {
	local name=$1 version=$2 tree=$3
	shift 3
	local logf=$LOG_DIR/$name-build.log bdir=$BUILD_DIR/$name t0=$SECONDS
	log "building $name $version for $TRIPLET ... (log: ${logf#"$REPO_DIR"/})"
	: >"$logf"
	rm -rf "$bdir"
	mkdir -p "$bdir"
	# Run from the build directory: relative PATH cache values given on the
	# command line are made absolute against the current directory.
	run_logged "$logf" "configuring $name failed" \
		env -C "$bdir" cmake -S "$tree" -B "$bdir" \
		-DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN_FILE" \
		-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX="$PREFIX" \
		-DCMAKE_INSTALL_LIBDIR=lib \
		-DCMAKE_INSTALL_INCLUDEDIR=include \
		"$@"
	run_logged "$logf" "building $name failed" cmake --build "$bdir" --parallel "$(nproc)"
	run_logged "$logf" "installing $name failed" cmake --install "$bdir"
	local stray
	stray=$(grep -v "^$PREFIX/" "$bdir/install_manifest.txt" || true)
	[[ -z $stray ]] || fail_with_log "$logf" "$name installed files outside $PREFIX: $stray"
	log "built $name $version in $((SECONDS - t0))s"
}

# cmocka 1.1.x always builds a DLL and installs the static library as
# libcmocka-static.a, and its cmake config names "cmocka.dll.a" (which it
# installs as libcmocka.dll.a) on Windows. Keep only the static library, as
# libcmocka.a, so that -lcmocka (cmocka.pc) and CMOCKA_LIBRARIES
# (cmocka-config.cmake) both link it statically.
static_only_cmocka() {
	local lib=$PREFIX/lib cfg=$PREFIX/lib/cmake/cmocka/cmocka-config.cmake
	[[ -f $lib/libcmocka-static.a ]] || die "cmocka did not install $lib/libcmocka-static.a"
	[[ -f $cfg ]] || die "cmocka did not install $cfg"
	mv -f "$lib/libcmocka-static.a" "$lib/libcmocka.a"
	rm -f "$lib/libcmocka.dll.a" "$lib/cmocka.dll.a" "$PREFIX/bin/cmocka.dll" "$PREFIX/bin/libcmocka.dll"
	rmdir "$PREFIX/bin" 2>/dev/null || true
	sed -i -E 's#/(lib)?cmocka\.dll\.a\)#/libcmocka.a)#' "$cfg"
	grep -q '/libcmocka\.a)' "$cfg" || die "could not point $cfg at libcmocka.a"
}

build_deps() {
	local jansson cmocka
	jansson=$(src_of libjansson-dev)
	cmocka=$(src_of libcmocka-dev)
	command -v "$(mingw_cc)" >/dev/null 2>&1 || die "$(mingw_cc) not found (is mingw-w64 installed?)"
	[[ -f $TOOLCHAIN_FILE ]] || die "missing $TOOLCHAIN_FILE"

	mkdir -p "$SRC_DIR" "$BUILD_DIR" "$LOG_DIR"
	rm -f "$STAMP_FILE"
	rm -rf "$PREFIX"

	fetch_source "${jansson% *}" "${jansson#* }"
	cmake_build "${jansson% *}" "${jansson#* }" "$SOURCE_TREE" \
		-DJANSSON_BUILD_SHARED_LIBS=OFF \
		-DJANSSON_BUILD_DOCS=OFF \
		-DJANSSON_EXAMPLES=OFF \
		-DJANSSON_WITHOUT_TESTS=ON \
		-DJANSSON_COVERAGE=OFF \
		-DJANSSON_INSTALL_CMAKE_DIR:STRING=lib/cmake/jansson

	fetch_source "${cmocka% *}" "${cmocka#* }"
	cmake_build "${cmocka% *}" "${cmocka#* }" "$SOURCE_TREE" \
		-DBUILD_SHARED_LIBS=OFF \
		-DWITH_STATIC_LIB=ON \
		-DWITH_EXAMPLES=OFF \
		-DUNIT_TESTING=OFF \
		-DWITH_CMOCKERY_SUPPORT=OFF \
		-DPICKY_DEVELOPER=OFF
	static_only_cmocka

	local f
	for f in "${DEPS_FILES[@]}"; do
		[[ -f $PREFIX/$f ]] || die "the build did not install $PREFIX/$f"
	done
	rm -rf "$BUILD_DIR"
	wanted_stamp >"$STAMP_FILE"
	log "mingw dependencies installed in ${PREFIX#"$REPO_DIR"/}"
	CHANGED=1
}

ensure_gitignore() {
	local gi=$REPO_DIR/.gitignore
	if [[ -f $gi ]] && grep -Eqx '/?\.cache/?' "$gi"; then
		return 0
	fi
	log "adding .cache/ to .gitignore"
	if [[ -s $gi && -n $(tail -c1 "$gi") ]]; then
		printf '\n' >>"$gi"
	fi
	printf '.cache/\n' >>"$gi"
}

# When run through sudo, give the files made in the work tree back to the
# owner of the work tree.
fix_ownership() {
	[[ $EUID -eq 0 ]] || return 0
	local owner
	owner=$(stat -c '%u:%g' "$REPO_DIR")
	[[ $owner == 0:0 ]] && return 0
	chown -R "$owner" "$REPO_DIR/.cache" 2>/dev/null || true
	if [[ -f $REPO_DIR/.gitignore ]]; then
		chown "$owner" "$REPO_DIR/.gitignore" 2>/dev/null || true
	fi
}

# ---------------------------------------------------------------------------

# Serialise concurrent runs (e.g. two make targets calling this script).
take_lock() {
	mkdir -p "$REPO_DIR/.cache"
	local lock=$REPO_DIR/.cache/bootstrap.lock
	exec 9>>"$lock"
	if ! flock -n 9; then
		log "another bootstrap.sh is running; waiting for it"
		flock -w 1800 9 || die "timed out waiting for $lock"
	fi
}

main() {
	take_lock
	CHANGED=0
	SOURCES_PENDING=0
	local t0=$SECONDS deps_needed=0
	deps_up_to_date || deps_needed=1
	# Add the deb-src entry first, so one apt-get update serves both the
	# install and apt-get source.
	if [[ $deps_needed == 1 ]] && ! has_deb_src; then
		ensure_deb_src
		SOURCES_PENDING=1
	fi
	install_packages
	ensure_gitignore
	if [[ $deps_needed == 1 ]]; then
		build_deps
	else
		log "mingw dependencies are up to date ($(paste -sd' ' "$STAMP_FILE" | sed 's/ compiler.*//'))"
	fi
	fix_ownership
	if [[ $CHANGED == 0 ]]; then
		log "everything is present; nothing to do ($((SECONDS - t0))s)"
	else
		log "done ($((SECONDS - t0))s)"
	fi
}

main "$@"
