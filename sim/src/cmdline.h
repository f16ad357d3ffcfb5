/* Splitting a Windows command line into arguments, by the rules of the
 * C runtime and CommandLineToArgvW: blanks separate arguments, double
 * quotes group, 2n backslashes before a quote give n backslashes and a
 * delimiting quote, 2n+1 give n backslashes and a literal quote, and ""
 * inside quotes is a literal quote. */
#ifndef HCSSIM_CMDLINE_H
#define HCSSIM_CMDLINE_H

/* Returns a NULL-terminated argv (one allocation: free(argv) frees all)
 * and its count in *argc, or NULL when memory ran out. */
char **hcssim__cmdline_split(const char *line, int *argc);

#endif
