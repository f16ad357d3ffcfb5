/* How hcssim marks its computecore exports: visible in libhcssim.so, hidden
 * when the engine is embedded in libhcs, and listed in hcssim.def for the
 * DLL (so the names are exactly computecore's, undecorated). */
#ifndef HCSSIM_EXPORT_H
#define HCSSIM_EXPORT_H

#include "hcs/computecore.h"

#if defined(_WIN32) || defined(HCSSIM_EMBEDDED)
#define SIM_EXPORT
#else
#define SIM_EXPORT __attribute__((visibility("default")))
#endif

#endif
