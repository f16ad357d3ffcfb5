/* computenetwork.dll's functions as storage-and-network §2.2 gives them,
 * declared here rather than taken from any SDK header: a program written
 * only against these prototypes must run on hcssim-network.dll renamed
 * computenetwork.dll (test_sim_network_dropin.c). Windows only. */
#ifndef HCSKIT_TESTS_COMPUTENETWORK_DECL_H
#define HCSKIT_TESTS_COMPUTENETWORK_DECL_H

#include <windows.h>

typedef void *HCN_NETWORK_T;
typedef void *HCN_ENDPOINT_T;
typedef void *HCN_NAMESPACE_T;
typedef void *HCN_CALLBACK_T;
typedef void(CALLBACK *HCN_NOTIFICATION_CALLBACK_T)(DWORD type, void *context, HRESULT status, PCWSTR data);

HRESULT WINAPI HcnEnumerateNetworks(PCWSTR Query, PWSTR *Networks, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCreateNetwork(const GUID *Id, PCWSTR Settings, HCN_NETWORK_T *Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnOpenNetwork(const GUID *Id, HCN_NETWORK_T *Network, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNetworkProperties(HCN_NETWORK_T Network, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNetwork(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNetwork(HCN_NETWORK_T Network);
HRESULT WINAPI HcnCreateEndpoint(HCN_NETWORK_T Network, const GUID *Id, PCWSTR Settings, HCN_ENDPOINT_T *Endpoint,
                                 PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryEndpointProperties(HCN_ENDPOINT_T Endpoint, PCWSTR Query, PWSTR *Properties, PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteEndpoint(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseEndpoint(HCN_ENDPOINT_T Endpoint);
HRESULT WINAPI HcnCreateNamespace(const GUID *Id, PCWSTR Settings, HCN_NAMESPACE_T *Namespace, PWSTR *ErrorRecord);
HRESULT WINAPI HcnModifyNamespace(HCN_NAMESPACE_T Namespace, PCWSTR Settings, PWSTR *ErrorRecord);
HRESULT WINAPI HcnQueryNamespaceProperties(HCN_NAMESPACE_T Namespace, PCWSTR Query, PWSTR *Properties,
                                           PWSTR *ErrorRecord);
HRESULT WINAPI HcnDeleteNamespace(const GUID *Id, PWSTR *ErrorRecord);
HRESULT WINAPI HcnCloseNamespace(HCN_NAMESPACE_T Namespace);
HRESULT WINAPI HcnRegisterServiceCallback(HCN_NOTIFICATION_CALLBACK_T Callback, void *Context,
                                          HCN_CALLBACK_T *CallbackHandle);
HRESULT WINAPI HcnUnregisterServiceCallback(HCN_CALLBACK_T CallbackHandle);

#endif
