/* Create, start, inspect and stop a container, waiting on each step. */
#include <hcs/hcs.h>
#include <stdio.h>

int main(void)
{
    hcs_system_spec spec = {
        .id = "example-1",
        .config_json = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"example\",\"Container\":{}}",
    };
    hcs_client client;
    hcs_system sys;
    hcs_error err = {0};
    char *props = NULL;
    if (hcs_client_open(NULL, &client, &err) || hcs_system_create(client, &spec, 30000, &sys, &err))
        return fprintf(stderr, "%s\n", err.message), 1;
    if (hcs_system_start(sys, NULL, 30000, &err) || hcs_system_properties_json(sys, NULL, 30000, &props, &err))
        return fprintf(stderr, "%s\n", err.message), 1;
    printf("%s\n", props);
    hcs_free(props);
    int32_t hr = hcs_system_terminate(sys, 30000, &err);
    hcs_system_close(sys);
    hcs_client_close(client);
    hcs_error_clear(&err);
    return hr == HCS_OK ? 0 : 1;
}
