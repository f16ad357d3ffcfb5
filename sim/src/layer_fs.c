/* The portable half of layer_fs.h: trees, built on the platform calls. */
#include "layer_fs.h"

#include "file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hcssim__fs_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (s)
        snprintf(s, na + nb + 2, "%s" SIM_SEP "%s", a, b);
    return s;
}

void hcssim__fs_list_free(char **names, size_t count)
{
    for (size_t i = 0; names && i < count; i++)
        free(names[i]);
    free(names);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = hcssim__file_open(from, "rb");
    FILE *out = in ? hcssim__file_open(to, "wb") : NULL;
    int rc = out ? 0 : -1;
    char buf[16384];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in && ferror(in))
        rc = -1;
    if (out && fclose(out) != 0)
        rc = -1;
    if (in)
        fclose(in);
    return rc;
}

/* Calls fn(from/name, to/name) for each entry of the folder from (to may be
 * NULL); stops at the first failure. */
static int each_entry(const char *from, const char *to, int (*fn)(const char *, const char *))
{
    size_t count;
    char **names = hcssim__fs_list(from, &count);
    int rc = names ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char *a = hcssim__fs_join(from, names[i]);
        char *b = to ? hcssim__fs_join(to, names[i]) : NULL;
        rc = a && (b || !to) ? fn(a, b) : -1;
        free(a);
        free(b);
    }
    hcssim__fs_list_free(names, count);
    return rc;
}

int hcssim__fs_copy_tree(const char *from, const char *to)
{
    sim_fs_kind kind = hcssim__fs_kind(from);
    if (kind == SIM_FS_FILE)
        return copy_file(from, to);
    if (kind != SIM_FS_DIR)
        return -1;
    if (hcssim__fs_kind(to) != SIM_FS_DIR && hcssim__fs_mkdir(to) != 0)
        return -1;
    return each_entry(from, to, hcssim__fs_copy_tree);
}

static int remove_entry(const char *path, const char *unused)
{
    (void)unused;
    return hcssim__fs_remove_tree(path);
}

int hcssim__fs_remove_tree(const char *path)
{
    if (!hcssim__fs_is_link(path) && hcssim__fs_kind(path) == SIM_FS_DIR && each_entry(path, NULL, remove_entry) != 0)
        return -1;
    return hcssim__fs_remove(path);
}
