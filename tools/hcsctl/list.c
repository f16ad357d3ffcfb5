/* hcsctl list: the compute systems HCS knows. */
#include "commands.h"

#include <hcs/hcs.h>
#include <stdio.h>
#include <string.h>

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
        hr = hcs_system_enumerate(client, NULL, HCS_TIMEOUT_DEFAULT, &list, &err);
        hcs_client_close(client);
    }
    if (hr != HCS_OK) {
        fprintf(stderr, "hcsctl: %s\n", err.message);
        hcs_error_clear(&err);
        return HCSCTL_EXIT_FAILURE;
    }
    printf("%s\n", json || !list ? list : list);
    hcs_free(list);
    return HCSCTL_EXIT_OK;
}
