/* hcsctl list: the compute systems HCS knows, as a table (typed,
 * hcs_system_enumerate) or as HCS's JSON (--json). */
#include "commands.h"

#include <hcs/hcs.h>
#include <stdio.h>
#include <string.h>

static const char *field(const char *s) { return s ? s : "-"; }

static void print_table(const hcs_Properties *items, size_t count)
{
    printf("%-36s  %-14s  %-8s  %s\n", "ID", "TYPE", "STATE", "OWNER");
    for (size_t i = 0; i < count; i++)
        printf("%-36s  %-14s  %-8s  %s\n", field(items[i].Id), field(items[i].SystemType.text),
               field(items[i].State.text), field(items[i].Owner));
}

int hcsctl_list(int argc, char **argv)
{
    int json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !json)) {
        fprintf(stderr, "usage: hcsctl list [--json]\n");
        return HCSCTL_EXIT_USAGE;
    }
    hcs_error err = {0};
    hcs_client client;
    char *list = NULL;
    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    int32_t hr = hcs_client_open(NULL, &client, &err);
    if (hr == HCS_OK) {
        hr = json ? hcs_system_enumerate_json(client, NULL, HCS_TIMEOUT_DEFAULT, &list, &err)
                  : hcs_system_enumerate(client, NULL, HCS_TIMEOUT_DEFAULT, &doc, &items, &count, &err);
        hcs_client_close(client);
    }
    if (hr != HCS_OK) {
        fprintf(stderr, "hcsctl: %s\n", err.message);
        hcs_error_clear(&err);
        return HCSCTL_EXIT_FAILURE;
    }
    if (json)
        printf("%s\n", list);
    else
        print_table(items, count);
    hcs_free(list);
    hcs_schema_doc_free(doc);
    return HCSCTL_EXIT_OK;
}
