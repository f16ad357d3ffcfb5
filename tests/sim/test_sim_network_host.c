/* One simulated host behind both drop-ins: a program linked with
 * -lcomputecore and -lcomputenetwork, with the simulator renamed
 * computecore.dll (hcssim.dll in process, or hcssim-client.dll for hcssimd)
 * and hcssim-network.dll renamed computenetwork.dll beside it. As on Windows,
 * where one network service sits beside one compute service, a container's
 * document names a namespace made through computenetwork.dll
 * (storage-and-network §3.2), and the network objects are the same whichever
 * DLL's functions reach them (docs/simulator-fidelity.md, "HCN"). Written
 * against the prototypes only: computecore.h and computenetwork_decl.h. */
#include "computenetwork_decl.h"

#include <computecore.h>
#include <objbase.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#define HCN_E_REQUEST_UNSUPPORTED_ ((HRESULT)0x803B0015)
#define HCN_E_NAMESPACE_ATTACH_FAILED_ ((HRESULT)0x803B002E)
#define HCN_E_NETWORK_NOT_FOUND_ ((HRESULT)0x803B0001)

static const GUID null_guid;

/* A document's "ID" (36 characters) as text, and as a GUID. */
static void id_text(PCWSTR doc, wchar_t out[37])
{
    const wchar_t *at = wcsstr(doc, L"\"ID\":\"");
    assert_non_null(at);
    wcsncpy(out, at + 6, 36);
    out[36] = 0;
}

static GUID guid_of(const wchar_t text[37])
{
    unsigned long d1;
    unsigned d2, d3, b[8];
    assert_int_equal(swscanf(text, L"%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &d1, &d2, &d3, &b[0], &b[1], &b[2], &b[3],
                             &b[4], &b[5], &b[6], &b[7]),
                     11);
    GUID g = {d1, (unsigned short)d2, (unsigned short)d3, {0}};
    for (int i = 0; i < 8; i++)
        g.Data4[i] = (unsigned char)b[i];
    return g;
}

typedef HRESULT(WINAPI *query_fn)(void *, PCWSTR, PWSTR *, PWSTR *);

static void query_id(query_fn fn, void *h, wchar_t out[37])
{
    PWSTR doc = NULL;
    assert_int_equal(fn(h, NULL, &doc, NULL), S_OK);
    id_text(doc, out);
    CoTaskMemFree(doc);
}

/* Waits for a started call's operation, then closes it. */
static HRESULT finish(HCS_OPERATION op, HRESULT hr)
{
    PWSTR doc = NULL;
    if (SUCCEEDED(hr))
        hr = HcsWaitForOperationResult(op, INFINITE, &doc);
    LocalFree(doc);
    HcsCloseOperation(op);
    return hr;
}

static HRESULT run(HRESULT(WINAPI *fn)(HCS_SYSTEM, HCS_OPERATION, PCWSTR), HCS_SYSTEM sys)
{
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    return finish(op, fn(sys, op, NULL));
}

static HRESULT create_container(const wchar_t *id, const wchar_t ns[37], HCS_SYSTEM *sys)
{
    wchar_t doc[300];
    swprintf(doc, 300,
             L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Owner\":\"tests\",\"Container\":{\"Networking\":{"
             L"\"Namespace\":\"%ls\"}}}",
             ns);
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    return finish(op, HcsCreateComputeSystem(id, doc, op, NULL, sys));
}

/* storage-and-network §3.2 then §3.5 across the two DLLs: the network,
 * endpoint and namespace through computenetwork.dll, the container through
 * computecore.dll, which finds the namespace and attaches its endpoint. */
static void container_joins_namespace_made_by_computenetwork(void **state)
{
    (void)state;
    HCN_NETWORK_T net = NULL;
    assert_int_equal(HcnCreateNetwork(&null_guid, L"{\"Name\":\"host-nat\",\"Type\":\"NAT\"}", &net, NULL), S_OK);
    wchar_t net_id[37], ep_id[37], ns_id[37];
    query_id((query_fn)HcnQueryNetworkProperties, net, net_id);
    HCN_ENDPOINT_T ep = NULL;
    assert_int_equal(HcnCreateEndpoint(net, &null_guid, L"{}", &ep, NULL), S_OK);
    query_id((query_fn)HcnQueryEndpointProperties, ep, ep_id);
    HCN_NAMESPACE_T ns = NULL;
    assert_int_equal(HcnCreateNamespace(&null_guid, L"{\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}", &ns, NULL), S_OK);
    query_id((query_fn)HcnQueryNamespaceProperties, ns, ns_id);
    wchar_t add[200];
    swprintf(add, 200, L"{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\"%ls\"}}",
             ep_id);
    assert_int_equal(HcnModifyNamespace(ns, add, NULL), S_OK);

    HCS_SYSTEM sys = NULL;
    assert_int_equal(create_container(L"host-one", ns_id, &sys), S_OK);
    assert_int_equal(run(HcsStartComputeSystem, sys), S_OK);
    /* The container's properties name the namespace and its endpoint. */
    HCS_OPERATION op = HcsCreateOperation(NULL, NULL);
    assert_int_equal(HcsGetComputeSystemProperties(sys, op, NULL), S_OK);
    PWSTR props = NULL;
    assert_int_equal(HcsWaitForOperationResult(op, INFINITE, &props), S_OK);
    HcsCloseOperation(op);
    assert_non_null(wcsstr(props, ns_id));
    assert_non_null(wcsstr(props, ep_id));
    LocalFree(props);
    /* While the container is attached the namespace stays (§3.5). */
    GUID ns_guid = guid_of(ns_id), ep_guid = guid_of(ep_id), net_guid = guid_of(net_id);
    assert_int_equal(HcnDeleteNamespace(&ns_guid, NULL), HCN_E_REQUEST_UNSUPPORTED_);

    assert_int_equal(run(HcsTerminateComputeSystem, sys), S_OK);
    HcsCloseComputeSystem(sys);
    wchar_t remove[200];
    swprintf(remove, 200,
             L"{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Remove\",\"Settings\":{\"EndpointId\":\"%ls\"}}",
             ep_id);
    assert_int_equal(HcnModifyNamespace(ns, remove, NULL), S_OK);
    assert_int_equal(HcnCloseNamespace(ns), S_OK);
    assert_int_equal(HcnDeleteNamespace(&ns_guid, NULL), S_OK);
    assert_int_equal(HcnCloseEndpoint(ep), S_OK);
    assert_int_equal(HcnDeleteEndpoint(&ep_guid, NULL), S_OK);
    assert_int_equal(HcnCloseNetwork(net), S_OK);
    assert_int_equal(HcnDeleteNetwork(&net_guid, NULL), S_OK);
}

/* A namespace nobody made still fails the container (storage-and-network
 * §4.3, docs/simulator-fidelity.md "HCN"): the host is shared, not lenient. */
static void unknown_namespace_still_fails(void **state)
{
    (void)state;
    HCS_SYSTEM sys = NULL;
    assert_int_equal(create_container(L"host-none", L"0B6C7A52-64F4-4C7A-9D44-1E2B3C4D5E6F", &sys),
                     HCN_E_NAMESPACE_ATTACH_FAILED_);
    HcsCloseComputeSystem(sys);
}

/* The simulator loaded as computecore.dll has HCN functions of its own
 * (hcssim.dll exports them); both DLLs' functions reach the same objects. */
static void both_dlls_reach_the_same_objects(void **state)
{
    (void)state;
    HMODULE core = GetModuleHandleW(L"computecore.dll");
    assert_non_null(core);
    HRESULT(WINAPI * core_create)(const GUID *, PCWSTR, HCN_NETWORK_T *, PWSTR *);
    HRESULT(WINAPI * core_delete)(const GUID *, PWSTR *);
    FARPROC p = GetProcAddress(core, "HcnCreateNetwork");
    FARPROC d = GetProcAddress(core, "HcnDeleteNetwork");
    FARPROC c = GetProcAddress(core, "HcnCloseNetwork");
    assert_non_null(p);
    assert_non_null(d);
    assert_non_null(c);
    memcpy(&core_create, &p, sizeof p);
    memcpy(&core_delete, &d, sizeof d);
    static const GUID asked = {0x5c1e7f00, 0x1234, 0x4abc, {0x9d, 0x44, 0x1e, 0x2b, 0x3c, 0x4d, 0x5e, 0x70}};
    HCN_NETWORK_T made = NULL, opened = NULL;
    assert_int_equal(core_create(&asked, L"{\"Name\":\"host-core\",\"Type\":\"NAT\"}", &made, NULL), S_OK);
    /* Made through computecore.dll, opened through computenetwork.dll. */
    assert_int_equal(HcnOpenNetwork(&asked, &opened, NULL), S_OK);
    PWSTR list = NULL;
    assert_int_equal(HcnEnumerateNetworks(NULL, &list, NULL), S_OK);
    assert_non_null(wcsstr(_wcslwr(list), L"5c1e7f00-1234-4abc-9d44-1e2b3c4d5e70"));
    CoTaskMemFree(list);
    assert_int_equal(HcnCloseNetwork(opened), S_OK);
    HRESULT(WINAPI * core_close)(HCN_NETWORK_T);
    memcpy(&core_close, &c, sizeof c);
    assert_int_equal(core_close(made), S_OK);
    /* Deleted through computenetwork.dll, gone for computecore.dll too. */
    assert_int_equal(HcnDeleteNetwork(&asked, NULL), S_OK);
    assert_int_equal(core_delete(&asked, NULL), HCN_E_NETWORK_NOT_FOUND_);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(container_joins_namespace_made_by_computenetwork),
        cmocka_unit_test(unknown_namespace_still_fails),
        cmocka_unit_test(both_dlls_reach_the_same_objects),
    };
    return cmocka_run_group_tests_name("computecore.dll and computenetwork.dll: one simulated host", tests, NULL, NULL);
}
