/* layer_fs.h over POSIX. */
#include "layer_fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sim_fs_kind hcssim__fs_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return SIM_FS_NONE;
    return S_ISDIR(st.st_mode) ? SIM_FS_DIR : SIM_FS_FILE;
}

int hcssim__fs_is_link(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

int hcssim__fs_mkdir(const char *path) { return mkdir(path, 0777) == 0 ? 0 : -1; }

int hcssim__fs_remove(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    return (S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

char **hcssim__fs_list(const char *dir, size_t *count)
{
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 8;
    char **names = malloc(cap * sizeof *names);
    struct dirent *ent;
    while (names && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char **grown = *count == cap ? realloc(names, (cap *= 2) * sizeof *names) : names;
        char *name = grown ? strdup(ent->d_name) : NULL;
        if (!name) {
            hcssim__fs_list_free(grown ? grown : names, *count);
            names = NULL;
            break;
        }
        names = grown;
        /* cppcheck-suppress nullPointerRedundantCheck ; name is set only when grown is */
        names[(*count)++] = name;
    }
    closedir(d);
    return names;
}

/* Handles encode file descriptors as (HANDLE)(fd + 1) (computecore.h). */
static int handle_fd(HANDLE h)
{
    intptr_t v = (intptr_t)h;
    return v > 0 && v <= INT32_MAX ? (int)(v - 1) : -1;
}

long hcssim__fs_handle_read(HANDLE h, char *buf, size_t size)
{
    int fd = handle_fd(h);
    ssize_t n = fd >= 0 ? pread(fd, buf, size, 0) : -1;
    return n < 0 ? -1 : (long)n;
}

int hcssim__fs_handle_write(HANDLE h, const char *buf, size_t size)
{
    int fd = handle_fd(h);
    return fd >= 0 && pwrite(fd, buf, size, 0) == (ssize_t)size ? 0 : -1;
}

char *hcssim__fs_volumes_root(void)
{
    const char *set = getenv("HCSSIM_VOLUMES");
    if (set && set[0])
        return strdup(set);
    const char *tmp = getenv("TMPDIR");
    return hcssim__fs_join(tmp && tmp[0] ? tmp : "/tmp", "hcssim-volumes");
}

unsigned long hcssim__fs_process_id(void) { return (unsigned long)getpid(); }
