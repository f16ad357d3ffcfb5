/* hcssim's own entry points, beside the computecore exports. */
#ifndef HCSSIM_HCSSIM_H
#define HCSSIM_HCSSIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Looks up a computecore export by name, as GetProcAddress would on the
 * DLL: NULL when the emulated build lacks it. This is how libhcs binds the
 * embedded simulator on hosts without DLLs. */
void (*hcssim_proc_address(const char *name))(void);

#ifdef __cplusplus
}
#endif

#endif
