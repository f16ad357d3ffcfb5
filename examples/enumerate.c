/* Listing systems, typed: create two containers, start one, then list the
 * systems with their Owner, each as an hcs_Properties struct. */
#include <hcs/hcs.h>
#include <stdio.h>

#define CONFIG "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"example-enumerate\",\"Container\":{}}"

static const char *text(const char *s) { return s ? s : "-"; }

int main(void)
{
    hcs_client client = {0};
    hcs_system sys[2] = {{0}, {0}};
    hcs_error err = HCS_ERROR_INIT;
    hcs_schema_doc *doc = NULL;
    hcs_Properties *items = NULL;
    size_t count = 0;
    int ok = hcs_client_open(NULL, &client, &err) == HCS_OK;
    const char *ids[2] = {"example-enum-1", "example-enum-2"};
    for (int i = 0; ok && i < 2; i++)
        ok = hcs_system_create(client, &(hcs_system_spec){.id = ids[i], .config_json = CONFIG}, 30000, &sys[i], &err) ==
             HCS_OK;
    ok = ok && hcs_system_start(sys[1], NULL, 30000, &err) == HCS_OK;
    /* A SystemQuery narrows the list (NULL lists every system). */
    ok = ok && hcs_system_enumerate(client, "{\"Owners\":[\"example-enumerate\"]}", 30000, &doc, &items, &count,
                                    &err) == HCS_OK;
    if (ok) {
        printf("%-16s  %-8s  %s\n", "ID", "STATE", "OWNER");
        for (size_t i = 0; i < count; i++)
            printf("%-16s  %-8s  %s\n", text(items[i].Id), text(items[i].State.text), text(items[i].Owner));
        hcs_schema_doc_free(doc); /* frees every item */
    } else {
        fprintf(stderr, "%s\n", err.message);
    }
    for (int i = 0; i < 2; i++) {
        if (sys[i].id && hcs_system_terminate(sys[i], 30000, &err) != HCS_OK)
            ok = 0;
        hcs_system_close(sys[i]);
    }
    hcs_client_close(client);
    hcs_error_clear(&err);
    return ok && count == 2 ? 0 : 1;
}
