/* The headers a program needs to create systems and processes and read
 * their streams do not bring in the generated schema (thousands of lines
 * of types): only properties.h, builders.h, stats.h and schema.h do
 * (docs/api-conventions.md). The check is at compile time; the program
 * then uses the declarations it got, on the simulator. */
#include <hcs/client.h>
#include <hcs/computecore.h>
#include <hcs/error.h>
#include <hcs/event.h>
#include <hcs/handles.h>
#include <hcs/operation.h>
#include <hcs/process.h>
#include <hcs/raw.h>
#include <hcs/service.h>
#include <hcs/streams.h>
#include <hcs/system.h>

#if defined(HCS_SCHEMA_TYPES_H) || defined(HCS_SCHEMA_IDS_H) || defined(HCS_SCHEMA_H)
#error "a header outside properties.h, builders.h, stats.h and schema.h includes the generated schema"
#endif

#include <stdio.h>

int main(void)
{
    hcs_client client;
    hcs_error err = HCS_ERROR_INIT;
    if (hcs_client_open(NULL, &client, &err) != HCS_OK) {
        fprintf(stderr, "%s\n", err.message);
        hcs_error_clear(&err);
        return 1;
    }
    char *list = NULL;
    int32_t hr = hcs_system_enumerate_json(client, NULL, HCS_TIMEOUT_DEFAULT, &list, &err);
    if (hr == HCS_OK)
        printf("%s\n", list);
    hcs_free(list);
    hcs_error_clear(&err);
    hcs_client_close(client);
    return hr == HCS_OK ? 0 : 1;
}
