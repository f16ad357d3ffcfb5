/* Files the simulated service opens for its clients (state files, saved
 * states), named by UTF-8 paths: as given on POSIX, converted to UTF-16 for
 * the wide C runtime on Windows. */
#ifndef HCSSIM_FILE_H
#define HCSSIM_FILE_H

#include "document.h"

#include <stdio.h>

/* HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) and (ERROR_PATH_NOT_FOUND). */
#define SIM_E_FILE_NOT_FOUND ((HRESULT)0x80070002)
#define SIM_E_PATH_NOT_FOUND ((HRESULT)0x80070003)

/* fopen on a UTF-8 path; NULL when it cannot be opened. */
FILE *hcssim__file_open(const char *path, const char *mode);

/* Creates or replaces the file with text. Fails with SIM_E_PATH_NOT_FOUND
 * (its folder is missing or it cannot be written), detail naming it. */
HRESULT hcssim__file_write(const char *path, const char *text, char detail[SIM_DETAIL_SIZE]);

/* The whole file as a NUL-terminated malloc'ed text in *text. Fails with
 * SIM_E_FILE_NOT_FOUND when it cannot be opened, HRESULT_FROM_WIN32
 * (ERROR_INVALID_DATA) when it is longer than max bytes or holds a NUL. */
HRESULT hcssim__file_read(const char *path, size_t max, char **text, char detail[SIM_DETAIL_SIZE]);

#endif
