# Sourced by the hcsctl scripts (lifecycle.sh, migrate.sh).
#
# use_hcsctl HCSCTL DIR: sets $hcsctl to the command the script runs as
# hcsctl. For hcsctl.exe that is a script written into DIR which runs it
# under Wine (scripts/wine-run.sh, or $HCSKIT_WINE_RUN), and HCS_PROVIDER is
# exported as hcssimd, since on Windows hcsctl drives computecore.dll unless
# told (docs/hcsctl.md, "The provider"); off Windows hcsctl finds the daemon
# by HCSSIM_SOCKET alone.
use_hcsctl() {
  case $1 in
  *.exe)
    wine_run=${HCSKIT_WINE_RUN:-$(cd "$(dirname "$0")/../.." && pwd)/scripts/wine-run.sh}
    mkdir -p "$2"
    printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$wine_run" "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" >"$2/hcsctl"
    chmod +x "$2/hcsctl"
    hcsctl=$2/hcsctl
    export HCS_PROVIDER=hcssimd
    ;;
  *) hcsctl=$1 ;;
  esac
}
