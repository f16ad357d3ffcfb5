/* hcssim-network.dll as computenetwork.dll: a program written only against
 * the prototypes of storage-and-network §2.2 (computenetwork_decl.h) and
 * linked with the import library (-lcomputenetwork) runs on the simulator
 * renamed computenetwork.dll beside it: the §3.2 sequence up to the
 * namespace, then the §3.5 teardown, strings freed with CoTaskMemFree. */
#include "computenetwork_decl.h"

#include <objbase.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

static const GUID null_guid;

/* The 36 characters after "\"ID\":\"" in a document, as a GUID. */
static GUID id_of(PCWSTR doc)
{
    const wchar_t *at = wcsstr(doc, L"\"ID\":\"");
    assert_non_null(at);
    char text[37];
    for (int i = 0; i < 36; i++)
        text[i] = (char)at[6 + i];
    text[36] = 0;
    GUID g;
    unsigned long d1;
    unsigned d2, d3, b[8];
    assert_int_equal(sscanf(text, "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3],
                            &b[4], &b[5], &b[6], &b[7]),
                     11);
    g.Data1 = d1;
    g.Data2 = (unsigned short)d2;
    g.Data3 = (unsigned short)d3;
    for (int i = 0; i < 8; i++)
        g.Data4[i] = (unsigned char)b[i];
    return g;
}

static PWSTR query_v2(HRESULT(WINAPI *fn)(void *, PCWSTR, PWSTR *, PWSTR *), void *h)
{
    PWSTR doc = NULL, error = NULL;
    assert_int_equal(fn(h, L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", &doc, &error), S_OK);
    assert_null(error);
    assert_non_null(doc);
    return doc;
}

static LONG notes;
static void CALLBACK on_note(DWORD type, void *context, HRESULT status, PCWSTR data)
{
    (void)type, (void)context, (void)status, (void)data;
    InterlockedIncrement(&notes);
}

static void network_sequence(void **state)
{
    (void)state;
    HCN_CALLBACK_T reg = NULL;
    assert_int_equal(HcnRegisterServiceCallback(on_note, NULL, &reg), S_OK);
    HCN_NETWORK_T net = NULL;
    PWSTR error = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, L"{\"Name\":\"dropin\",\"Type\":\"NAT\"}", &net, &error), S_OK);
    assert_null(error);
    PWSTR doc = query_v2((HRESULT(WINAPI *)(void *, PCWSTR, PWSTR *, PWSTR *))HcnQueryNetworkProperties, net);
    GUID net_id = id_of(doc);
    CoTaskMemFree(doc);
    HCN_ENDPOINT_T ep = NULL;
    assert_int_equal(HcnCreateEndpoint(net, &null_guid, L"{}", &ep, NULL), S_OK);
    doc = query_v2((HRESULT(WINAPI *)(void *, PCWSTR, PWSTR *, PWSTR *))HcnQueryEndpointProperties, ep);
    GUID ep_id = id_of(doc);
    assert_non_null(wcsstr(doc, L"\"MacAddress\":\"00-15-5D-"));
    const wchar_t *id_text = wcsstr(doc, L"\"ID\":\"") + 6;
    wchar_t modify[200];
    swprintf(modify, 200,
             L"{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%.36ls\"}}",
             id_text);
    CoTaskMemFree(doc);
    HCN_NAMESPACE_T ns = NULL;
    assert_int_equal(HcnCreateNamespace(&null_guid, L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", &ns, NULL), S_OK);
    assert_int_equal(HcnModifyNamespace(ns, modify, NULL), S_OK);
    doc = query_v2((HRESULT(WINAPI *)(void *, PCWSTR, PWSTR *, PWSTR *))HcnQueryNamespaceProperties, ns);
    GUID ns_id = id_of(doc);
    assert_non_null(wcsstr(doc, L"\"Type\":\"Endpoint\""));
    CoTaskMemFree(doc);
    /* A failure's record, freed as the documentation says. */
    assert_int_equal(HcnDeleteNetwork(&net_id, &error), (HRESULT)0x803B002C);
    assert_non_null(error);
    assert_non_null(wcsstr(error, L"\"ErrorCode\":2151350316"));
    CoTaskMemFree(error);
    HcnCloseNamespace(ns);
    assert_int_equal(HcnDeleteNamespace(&ns_id, NULL), S_OK);
    HcnCloseEndpoint(ep);
    assert_int_equal(HcnDeleteEndpoint(&ep_id, NULL), S_OK);
    HcnCloseNetwork(net);
    assert_int_equal(HcnDeleteNetwork(&net_id, NULL), S_OK);
    PWSTR ids = NULL;
    assert_int_equal(HcnEnumerateNetworks(NULL, &ids, NULL), S_OK);
    assert_int_equal(wcscmp(ids, L"[]"), 0);
    CoTaskMemFree(ids);
    /* Notifications come on another thread: pre-create, create,
     * namespace create and delete, pre-delete, delete. */
    for (int i = 0; i < 1000 && InterlockedCompareExchange(&notes, 0, 0) < 6; i++)
        Sleep(10);
    assert_int_equal(HcnUnregisterServiceCallback(reg), S_OK);
    assert_int_equal(InterlockedCompareExchange(&notes, 0, 0), 6);
}

/* The loader took the renamed simulator from this program's folder. */
static void computenetwork_is_the_simulator(void **state)
{
    (void)state;
    HMODULE m = GetModuleHandleW(L"computenetwork.dll");
    assert_non_null(m);
    wchar_t mod[MAX_PATH], exe[MAX_PATH];
    assert_true(GetModuleFileNameW(m, mod, MAX_PATH) > 0);
    assert_true(GetModuleFileNameW(NULL, exe, MAX_PATH) > 0);
    wchar_t *slash = wcsrchr(exe, L'\\');
    assert_non_null(slash);
    slash[1] = 0;
    assert_int_equal(_wcsnicmp(mod, exe, wcslen(exe)), 0);
    assert_null(GetProcAddress(m, "hcssim_proc_address")); /* exactly computenetwork's exports */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_sequence),
        cmocka_unit_test(computenetwork_is_the_simulator),
    };
    return cmocka_run_group_tests_name("hcssim-network.dll as computenetwork.dll", tests, NULL, NULL);
}
