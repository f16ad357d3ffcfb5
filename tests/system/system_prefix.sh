#!/usr/bin/env bash
# The Wine prefix of the system-mode tests (tests/system/CMakeLists.txt):
# a prefix of its own whose System32 holds the simulator as computecore.dll,
# as a Windows host with containers holds the real one.
#
#   system_prefix.sh init WINE_RUN PREFIX DLL PROGRAM
#       create PREFIX (once) and install DLL as its System32\computecore.dll
#   system_prefix.sh shutdown WINE_RUN PREFIX DLL PROGRAM
#       stop PREFIX's wineserver
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
install=$here/../../scripts/hcssim-wine-install.sh

[[ $# -eq 5 ]] || {
	echo "usage: system_prefix.sh init|shutdown WINE_RUN PREFIX DLL PROGRAM" >&2
	exit 2
}
action=$1 wine_run=$2 prefix=$3 dll=$4 program=$5
export HCSKIT_WINEPREFIX=$prefix
case $action in
init)
	bash "$wine_run" --init "$program"
	HCSSIM_DLL=$dll bash "$install" install "$prefix"
	;;
shutdown)
	bash "$wine_run" --shutdown "$program"
	;;
*)
	echo "system_prefix.sh: unknown action $action" >&2
	exit 2
	;;
esac
