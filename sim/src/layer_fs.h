/* The file system under simulated layers (storage-and-network §1.4): the
 * few operations computestorage's simulation needs, on UTF-8 paths, over
 * POSIX or Win32. Layers are real folders, so every process on the host
 * (a client, hcssimd) sees the same state. */
#ifndef HCSSIM_LAYER_FS_H
#define HCSSIM_LAYER_FS_H

#include "hcs/computecore.h"

#include <stddef.h>

#ifdef _WIN32
#define SIM_SEP "\\"
#else
#define SIM_SEP "/"
#endif

typedef enum sim_fs_kind { SIM_FS_NONE, SIM_FS_FILE, SIM_FS_DIR } sim_fs_kind;

/* What is at path (NONE also when it cannot be looked at). */
sim_fs_kind hcssim__fs_kind(const char *path);
/* Whether path is a symbolic link or other reparse point (never followed
 * when deleting a tree). */
int hcssim__fs_is_link(const char *path);
/* Creates one folder; 0, or -1 (it exists, or its parent is missing). */
int hcssim__fs_mkdir(const char *path);
/* Deletes a file or an empty folder; 0 or -1. */
int hcssim__fs_remove(const char *path);
/* The names in a folder, without "." and "..": a malloc'ed array of
 * malloc'ed names (free with hcssim__fs_list_free), or NULL when it cannot
 * be read. */
char **hcssim__fs_list(const char *dir, size_t *count);
void hcssim__fs_list_free(char **names, size_t count);

/* Copies the tree at from (a file or folder) to to, which must not exist
 * yet; merges into an existing folder. 0 or -1. */
int hcssim__fs_copy_tree(const char *from, const char *to);
/* Deletes the tree at path; 0 or -1. */
int hcssim__fs_remove_tree(const char *path);
/* a + SIM_SEP + b, malloc'ed (NULL when memory ran out). */
char *hcssim__fs_join(const char *a, const char *b);

/* Reads up to size bytes from the start of the file behind a client's
 * handle (a file HANDLE on Windows, an fd encoded as (HANDLE)(fd + 1)
 * elsewhere). Returns the count, or -1 for a bad handle. */
long hcssim__fs_handle_read(HANDLE h, char *buf, size_t size);
/* Writes the bytes at the start of that file; 0 or -1. */
int hcssim__fs_handle_write(HANDLE h, const char *buf, size_t size);

/* The host folder under which simulated volumes live (HCSSIM_VOLUMES, else
 * the temporary folder's "hcssim-volumes"), malloc'ed. */
char *hcssim__fs_volumes_root(void);
/* A number unique to this process, for names no other process makes. */
unsigned long hcssim__fs_process_id(void);

#endif
