/* Mixing libhcs with direct computecore calls: a container created through
 * libhcs, its raw HCS_SYSTEM borrowed under a guard, and a properties query
 * made on it directly, as code ported from hcsshim or calling a function
 * libhcs does not wrap would. The prototype comes from <hcs/computecore.h>,
 * the function from the client's provider, the strings through libhcs's
 * UTF-16 conversions; HCS's result is freed with the provider's LocalFree. */
#include <hcs/computecore.h>
#include <hcs/hcs.h>
#include <stdio.h>

typedef HCS_OPERATION(WINAPI *create_operation_fn)(const void *, HCS_OPERATION_COMPLETION);
typedef HRESULT(WINAPI *properties_fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR);
typedef HRESULT(WINAPI *wait_fn)(HCS_OPERATION, DWORD, PWSTR *);
typedef void(WINAPI *close_operation_fn)(HCS_OPERATION);
typedef HLOCAL(WINAPI *local_free_fn)(HLOCAL);

/* HcsGetComputeSystemProperties on the raw handle, the answer in UTF-8. */
static int32_t raw_properties(hcs_client client, HCS_SYSTEM raw, const char *query, char **out)
{
    create_operation_fn create_operation = (create_operation_fn)hcs_client_raw_function(client, "HcsCreateOperation");
    properties_fn properties = (properties_fn)hcs_client_raw_function(client, "HcsGetComputeSystemProperties");
    wait_fn wait = (wait_fn)hcs_client_raw_function(client, "HcsWaitForOperationResult");
    close_operation_fn close_operation = (close_operation_fn)hcs_client_raw_function(client, "HcsCloseOperation");
    local_free_fn local_free = (local_free_fn)hcs_client_raw_function(client, "LocalFree");
    if (!create_operation || !properties || !wait || !close_operation || !local_free)
        return HCS_WIN32_E_PROC_NOT_FOUND;

    uint16_t *wquery = NULL;
    int32_t hr = hcs_utf8_to_utf16(query, &wquery, NULL);
    if (hr != HCS_OK)
        return hr;
    HCS_OPERATION op = create_operation(NULL, NULL);
    PWSTR result = NULL;
    hr = properties(raw, op, (PCWSTR)wquery);
    if (SUCCEEDED(hr))
        hr = wait(op, 30000, &result);
    if (result) {
        int32_t converted = hcs_utf16_to_utf8((const uint16_t *)result, out, NULL);
        if (SUCCEEDED(hr))
            hr = converted;
        local_free(result);
    }
    close_operation(op);
    hcs_free(wquery);
    return hr;
}

int main(void)
{
    hcs_client client;
    hcs_system sys;
    hcs_error err = HCS_ERROR_INIT;
    hcs_system_spec spec = {
        .id = "example-raw",
        .config_json = "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"raw-example\",\"Container\":{}}",
    };
    if (hcs_client_open(NULL, &client, &err) || hcs_system_create(client, &spec, 30000, &sys, &err) ||
        hcs_system_start(sys, NULL, 30000, &err)) {
        fprintf(stderr, "%s\n", err.message);
        hcs_error_clear(&err);
        return 1;
    }

    /* While the guard is held, closing sys elsewhere cannot close the raw
     * handle under this direct call. */
    void *raw = NULL;
    hcs_guard guard = {0};
    char *props = NULL;
    int32_t hr = hcs_system_borrow(sys, &raw, &guard, &err);
    if (hr == HCS_OK)
        hr = raw_properties(client, (HCS_SYSTEM)raw, "{\"PropertyTypes\":[]}", &props);
    hcs_guard_release(&guard);
    if (hr == HCS_OK)
        printf("properties read directly: %s\n", props);
    else
        fprintf(stderr, "direct call failed: %s\n", hcs_strerror(hr));
    hcs_free(props);

    hcs_system_terminate(sys, 30000, NULL);
    hcs_system_close(sys);
    hcs_client_close(client);
    hcs_error_clear(&err);
    return hr == HCS_OK ? 0 : 1;
}
