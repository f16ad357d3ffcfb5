/* Files and folders for the storage tests: a fresh folder per test under
 * the temporary folder, small files, a "VHD" file handle, in the host's
 * own path form (drive paths under Wine). Header-only, POSIX or Win32. */
#ifndef HCSKIT_TESTS_STORAGE_FS_H
#define HCSKIT_TESTS_STORAGE_FS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#define TFS_SEP "\\"
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define TFS_SEP "/"
#endif

enum { TFS_PATH = 512 };

/* out = a + SEP + b (+ SEP + c when c is not NULL); a path too long for
 * out ends the test rather than name another file. */
static inline char *tfs_join(char out[TFS_PATH], const char *a, const char *b, const char *c)
{
    int n = snprintf(out, TFS_PATH, c ? "%s" TFS_SEP "%s" TFS_SEP "%s" : "%s" TFS_SEP "%s", a, b, c ? c : "");
    if (n < 0 || n >= TFS_PATH)
        abort();
    return out;
}

static inline int tfs_mkdir(const char *path)
{
#ifdef _WIN32
    return CreateDirectoryA(path, NULL) ? 0 : -1;
#else
    return mkdir(path, 0777);
#endif
}

/* Creates each folder of a relative path under root ("a/b/c" with '/'). */
static inline void tfs_mkdirs(const char *root, const char *rel)
{
    char path[TFS_PATH];
    tfs_join(path, root, rel, NULL);
    for (char *c = path + strlen(root) + 1; *c; c++)
        if (*c == '/') {
            *c = '\0';
            tfs_mkdir(path);
            *c = TFS_SEP[0];
        }
    tfs_mkdir(path);
}

static inline int tfs_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
    return fclose(f) == 0 ? rc : -1;
}

/* The file's text (static buffer), or NULL when it cannot be read. */
static inline const char *tfs_read(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static inline int tfs_exists(const char *path)
{
#ifdef _WIN32
    return GetFileAttributesA(path) != INVALID_FILE_ATTRIBUTES;
#else
    struct stat st;
    return stat(path, &st) == 0;
#endif
}

/* A new empty folder for one test: <temp>/<tag>-<pid>-<n>. */
static inline const char *tfs_fresh_dir(const char *tag, char out[TFS_PATH])
{
    static unsigned n;
#ifdef _WIN32
    char tmp[MAX_PATH + 1];
    DWORD len = GetTempPathA(sizeof tmp, tmp);
    if (len && tmp[len - 1] == '\\')
        tmp[len - 1] = '\0';
    snprintf(out, TFS_PATH, "%s\\%s-%lu-%u", tmp, tag, (unsigned long)GetCurrentProcessId(), n++);
#else
    const char *tmp = getenv("TMPDIR");
    snprintf(out, TFS_PATH, "%s/%s-%ld-%u", tmp && tmp[0] ? tmp : "/tmp", tag, (long)getpid(), n++);
#endif
    tfs_mkdir(out);
    return out;
}

/* Opens (creating it empty) a file standing for a VHD: a file HANDLE on
 * Windows, an fd encoded as (HANDLE)(fd + 1) elsewhere (computecore.h). */
static inline void *tfs_open_vhd(const char *path)
{
#ifdef _WIN32
    HANDLE h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    return h == INVALID_HANDLE_VALUE ? NULL : h;
#else
    int fd = open(path, O_RDWR | O_CREAT, 0666);
    return fd < 0 ? NULL : (void *)(intptr_t)(fd + 1);
#endif
}

static inline void tfs_close_vhd(void *h)
{
#ifdef _WIN32
    CloseHandle(h);
#else
    close((int)((intptr_t)h - 1));
#endif
}

/* A base layer's content (storage-and-network §1.4.2): Files/Windows. */
static inline void tfs_make_base(const char *dir)
{
    tfs_mkdir(dir);
    tfs_mkdirs(dir, "Files/Windows/System32/config");
}

/* A transport folder (§1.4.1) holding Files/<name> with text, and a
 * tombstones.txt. */
static inline void tfs_make_transport(const char *dir, const char *name, const char *text)
{
    char path[TFS_PATH];
    tfs_mkdir(dir);
    tfs_mkdirs(dir, "Files");
    tfs_mkdirs(dir, "Hives");
    tfs_write(tfs_join(path, dir, "Files", name), text);
    tfs_write(tfs_join(path, dir, "Hives", "Software_Delta"), "delta");
    tfs_write(tfs_join(path, dir, "tombstones.txt", NULL), "\xEF\xBB\xBFVersion 1.0\r\n\\Windows\\gone.txt\r\n");
}

#endif
