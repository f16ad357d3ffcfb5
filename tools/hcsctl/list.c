/* hcsctl list: the compute systems HCS knows, as a table or as JSON. */
#include "commands.h"

#include <hcs/hcs.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *field(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "-";
}

static int print_table(const char *text)
{
    json_t *list = json_loads(text, 0, NULL);
    if (!json_is_array(list)) {
        fprintf(stderr, "hcsctl: HCS returned an unexpected document: %s\n", text);
        json_decref(list);
        return HCSCTL_EXIT_FAILURE;
    }
    printf("%-36s  %-14s  %-8s  %s\n", "ID", "TYPE", "STATE", "OWNER");
    size_t i;
    json_t *sys;
    json_array_foreach(list, i, sys)
    {
        printf("%-36s  %-14s  %-8s  %s\n", field(sys, "Id"), field(sys, "SystemType"), field(sys, "State"),
               field(sys, "Owner"));
    }
    json_decref(list);
    return HCSCTL_EXIT_OK;
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
    int32_t hr = hcs_client_open(NULL, &client, &err);
    if (hr == HCS_OK) {
        hr = hcs_system_enumerate_json(client, NULL, HCS_TIMEOUT_DEFAULT, &list, &err);
        hcs_client_close(client);
    }
    if (hr != HCS_OK) {
        fprintf(stderr, "hcsctl: %s\n", err.message);
        hcs_error_clear(&err);
        return HCSCTL_EXIT_FAILURE;
    }
    int rc = HCSCTL_EXIT_OK;
    if (json)
        printf("%s\n", list);
    else
        rc = print_table(list);
    hcs_free(list);
    return rc;
}
