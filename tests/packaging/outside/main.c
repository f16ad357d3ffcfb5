/* A program outside the tree, built against an installed hcskit: a
 * container on the embedded simulator, started and terminated. */
#include <hcs/hcs.h>
#include <stdio.h>

int main(void)
{
    hcs_client client;
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system_spec spec = {
        .id = "outside",
        .config_json = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Container\":{}}",
    };
    printf("hcskit %s\n", hcs_version_string());
    if (hcs_client_open(NULL, &client, &err) || hcs_system_create(client, &spec, HCS_TIMEOUT_DEFAULT, &sys, &err) ||
        hcs_system_start(sys, NULL, 30000, &err)) {
        fprintf(stderr, "%s\n", err.message);
        hcs_error_clear(&err);
        return 1;
    }
    puts("container started");
    hcs_system_terminate(sys, 30000, NULL);
    hcs_system_close(sys);
    hcs_client_close(client);
    return 0;
}
