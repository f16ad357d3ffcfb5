/* HRESULT table (see hresult_table.h). Descriptions are our own wording of
 * what each code means (hcs-api reference §6). */
#include "hresult_table.h"

#include "hcs/hcn_e_codes.h"

#include <stddef.h>
#include <string.h>

#define ROW(code, kind, text)                                                                                          \
    {                                                                                                                  \
        code, #code, HCS_ERROR_##kind, text                                                                            \
    }

static const hcs_hresult_info table[] = {
    {HCS_OK, "S_OK", HCS_ERROR_NONE, "The operation succeeded."},
    ROW(HCS_E_TERMINATED_DURING_START, SYSTEM_FAILURE, "The system exited unexpectedly while it was starting."),
    ROW(HCS_E_IMAGE_MISMATCH, UNSUPPORTED, "The container's operating system does not match the host's."),
    ROW(HCS_E_HYPERV_NOT_INSTALLED, UNSUPPORTED, "A feature the system needs (Hyper-V) is not installed."),
    ROW(HCS_E_INVALID_STATE, INVALID_STATE, "The request is not valid in the system's current state."),
    ROW(HCS_E_UNEXPECTED_EXIT, SYSTEM_FAILURE, "The system exited unexpectedly."),
    ROW(HCS_E_TERMINATED, ALREADY_STOPPED, "The system was forcefully stopped."),
    ROW(HCS_E_CONNECT_FAILED, DISCONNECTED, "Connecting to the system failed."),
    ROW(HCS_E_CONNECTION_TIMEOUT, TIMEOUT, "The system did not answer in time."),
    ROW(HCS_E_CONNECTION_CLOSED, DISCONNECTED, "The connection to the system was closed."),
    ROW(HCS_E_UNKNOWN_MESSAGE, UNSUPPORTED, "An unknown internal message was received."),
    ROW(HCS_E_UNSUPPORTED_PROTOCOL_VERSION, UNSUPPORTED, "Host and guest share no protocol version."),
    ROW(HCS_E_INVALID_JSON, INVALID_ARGUMENT, "The JSON document is invalid."),
    ROW(HCS_E_SYSTEM_NOT_FOUND, NOT_FOUND, "No system with the given identifier exists."),
    ROW(HCS_E_SYSTEM_ALREADY_EXISTS, ALREADY_EXISTS, "A system with the given identifier already exists."),
    ROW(HCS_E_SYSTEM_ALREADY_STOPPED, ALREADY_STOPPED, "The system is not running."),
    ROW(HCS_E_PROTOCOL_ERROR, SYSTEM_FAILURE, "Host and guest disagreed on the protocol."),
    ROW(HCS_E_INVALID_LAYER, INVALID_ARGUMENT, "An image layer has an unrecognised format."),
    ROW(HCS_E_WINDOWS_INSIDER_REQUIRED, UNSUPPORTED, "The image needs a Windows Insider build."),
    ROW(HCS_E_SERVICE_NOT_AVAILABLE, UNSUPPORTED, "A feature the request needs is not installed."),
    ROW(HCS_E_OPERATION_NOT_STARTED, OPERATION, "The operation has not been started."),
    ROW(HCS_E_OPERATION_ALREADY_STARTED, OPERATION, "The operation is already running."),
    ROW(HCS_E_OPERATION_PENDING, OPERATION, "The operation is still running."),
    ROW(HCS_E_OPERATION_TIMEOUT, TIMEOUT, "The operation did not complete in time."),
    ROW(HCS_E_OPERATION_SYSTEM_CALLBACK_ALREADY_SET, OPERATION,
        "An event callback is already registered on this handle."),
    ROW(HCS_E_OPERATION_RESULT_ALLOCATION_FAILED, OUT_OF_MEMORY, "No memory was left for the operation's result."),
    ROW(HCS_E_ACCESS_DENIED, ACCESS_DENIED, "The caller is not an administrator or Hyper-V administrator."),
    ROW(HCS_E_GUEST_CRITICAL_ERROR, SYSTEM_FAILURE, "The guest reported a critical error."),
    ROW(HCS_E_PROCESS_INFO_NOT_AVAILABLE, INVALID_STATE, "The process information is not available."),
    ROW(HCS_E_SERVICE_DISCONNECT, DISCONNECTED, "The connection to the compute service was lost."),
    ROW(HCS_E_PROCESS_ALREADY_STOPPED, ALREADY_STOPPED, "The process has already exited."),
    ROW(HCS_E_SYSTEM_NOT_CONFIGURED_FOR_OPERATION, UNSUPPORTED, "The system is not configured for this operation."),
    ROW(HCS_E_OPERATION_ALREADY_CANCELLED, OPERATION, "The operation was already cancelled."),
    ROW(HCS_VMCOMPUTE_E_TERMINATED_DURING_START, SYSTEM_FAILURE, "The system exited unexpectedly while starting."),
    ROW(HCS_VMCOMPUTE_E_IMAGE_MISMATCH, UNSUPPORTED, "The container's operating system does not match the host's."),
    ROW(HCS_VMCOMPUTE_E_HYPERV_NOT_INSTALLED, UNSUPPORTED, "Hyper-V is not installed."),
    ROW(HCS_VMCOMPUTE_E_OPERATION_PENDING, OPERATION, "The operation is still running."),
    ROW(HCS_VMCOMPUTE_E_TOO_MANY_NOTIFICATIONS, OTHER, "Too many notifications are registered."),
    ROW(HCS_VMCOMPUTE_E_INVALID_STATE, INVALID_STATE, "The request is not valid in the system's current state."),
    ROW(HCS_VMCOMPUTE_E_UNEXPECTED_EXIT, SYSTEM_FAILURE, "The system exited unexpectedly."),
    ROW(HCS_VMCOMPUTE_E_TERMINATED, ALREADY_STOPPED, "The system was forcefully stopped."),
    ROW(HCS_VMCOMPUTE_E_CONNECT_FAILED, DISCONNECTED, "Connecting to the system failed."),
    ROW(HCS_VMCOMPUTE_E_TIMEOUT, TIMEOUT, "The system did not answer in time."),
    ROW(HCS_VMCOMPUTE_E_CONNECTION_CLOSED, DISCONNECTED, "The connection to the system was closed."),
    ROW(HCS_VMCOMPUTE_E_UNKNOWN_MESSAGE, UNSUPPORTED, "An unknown internal message was received."),
    ROW(HCS_VMCOMPUTE_E_UNSUPPORTED_PROTOCOL_VERSION, UNSUPPORTED, "Host and guest share no protocol version."),
    ROW(HCS_VMCOMPUTE_E_INVALID_JSON, INVALID_ARGUMENT, "The JSON document is invalid."),
    ROW(HCS_VMCOMPUTE_E_SYSTEM_NOT_FOUND, NOT_FOUND, "No system with the given identifier exists."),
    ROW(HCS_VMCOMPUTE_E_SYSTEM_ALREADY_EXISTS, ALREADY_EXISTS, "A system with the given identifier already exists."),
    ROW(HCS_VMCOMPUTE_E_SYSTEM_ALREADY_STOPPED, ALREADY_STOPPED, "The system is not running."),
    ROW(HCS_VMCOMPUTE_E_PROTOCOL_ERROR, SYSTEM_FAILURE, "Host and guest disagreed on the protocol."),
    ROW(HCS_VMCOMPUTE_E_INVALID_LAYER, INVALID_ARGUMENT, "An image layer has an unrecognised format."),
    ROW(HCS_VMCOMPUTE_E_WINDOWS_INSIDER_REQUIRED, UNSUPPORTED, "The image needs a Windows Insider build."),
    ROW(HCS_COM_E_NOTIMPL, UNSUPPORTED, "Not implemented."),
    ROW(HCS_COM_E_POINTER, INVALID_ARGUMENT, "A required pointer argument was NULL."),
    ROW(HCS_COM_E_ABORT, OTHER, "The operation was aborted."),
    ROW(HCS_COM_E_FAIL, OTHER, "Unspecified failure."),
    ROW(HCS_COM_E_UNEXPECTED, OTHER, "Unexpected failure."),
    ROW(HCS_COM_E_OUTOFMEMORY, OUT_OF_MEMORY, "Not enough memory."),
    ROW(HCS_COM_E_INVALIDARG, INVALID_ARGUMENT, "An argument is invalid."),
    ROW(HCS_WIN32_E_FILE_NOT_FOUND, NOT_FOUND, "The file was not found."),
    ROW(HCS_WIN32_E_PATH_NOT_FOUND, NOT_FOUND, "The path was not found."),
    ROW(HCS_WIN32_E_ACCESS_DENIED, ACCESS_DENIED, "Access is denied."),
    ROW(HCS_WIN32_E_INVALID_HANDLE, INVALID_HANDLE, "The handle is invalid."),
    ROW(HCS_WIN32_E_INVALID_DATA, INVALID_ARGUMENT, "The data is invalid."),
    ROW(HCS_WIN32_E_NOT_READY, INVALID_STATE, "The device is not ready."),
    ROW(HCS_WIN32_E_SHARING_VIOLATION, INVALID_STATE, "The file is in use by another process."),
    ROW(HCS_WIN32_E_NOT_SUPPORTED, UNSUPPORTED, "The request is not supported."),
    ROW(HCS_WIN32_E_BROKEN_PIPE, DISCONNECTED, "The pipe has been ended."),
    ROW(HCS_WIN32_E_MOD_NOT_FOUND, UNSUPPORTED, "The provider library could not be loaded."),
    ROW(HCS_WIN32_E_PROC_NOT_FOUND, UNSUPPORTED, "The provider does not export this function."),
    ROW(HCS_WIN32_E_BUSY, INVALID_STATE, "The requested resource is in use."),
    ROW(HCS_WIN32_E_ALREADY_EXISTS, ALREADY_EXISTS, "The object already exists."),
    ROW(HCS_WIN32_E_WAIT_TIMEOUT, TIMEOUT, "The wait timed out."),
    ROW(HCS_WIN32_E_NOT_FOUND, NOT_FOUND, "Element not found."),
    ROW(HCS_WIN32_E_NO_UNICODE_TRANSLATION, INVALID_ARGUMENT, "A string is not valid Unicode."),
    ROW(HCS_WIN32_E_OPERATION_ABORTED, OTHER, "The I/O operation was aborted (cancelled, or its handle closed)."),
    ROW(HCS_WIN32_E_CANCELLED, OTHER, "The operation was cancelled by the user."),
    ROW(HCS_WIN32_E_CONNECTION_ABORTED, DISCONNECTED, "The network connection was aborted."),
    ROW(HCS_WIN32_E_TIMEOUT, TIMEOUT, "The operation timed out."),
    /* computenetwork.dll (storage-and-network §2.9). */
    ROW(HCN_E_NETWORK_NOT_FOUND, NOT_FOUND, "The network was not found."),
    ROW(HCN_E_ENDPOINT_NOT_FOUND, NOT_FOUND, "The endpoint was not found."),
    ROW(HCN_E_SUBNET_NOT_FOUND, NOT_FOUND, "The network has no subnet for this endpoint."),
    ROW(HCN_E_POLICY_NOT_FOUND, NOT_FOUND, "The expected policy was not found."),
    ROW(HCN_E_INVALID_NETWORK, INVALID_ARGUMENT, "The network configuration is invalid or incomplete."),
    ROW(HCN_E_INVALID_NETWORK_TYPE, INVALID_ARGUMENT, "The network type is invalid."),
    ROW(HCN_E_INVALID_ENDPOINT, INVALID_ARGUMENT, "The endpoint configuration is invalid."),
    ROW(HCN_E_INVALID_POLICY, INVALID_ARGUMENT, "The policy configuration is invalid."),
    ROW(HCN_E_INVALID_POLICY_TYPE, INVALID_ARGUMENT, "The policy type is invalid."),
    ROW(HCN_E_NETWORK_ALREADY_EXISTS, ALREADY_EXISTS, "A network with this name already exists."),
    ROW(HCN_E_POLICY_ALREADY_EXISTS, ALREADY_EXISTS, "The policy already exists on this object."),
    ROW(HCN_E_PORT_ALREADY_EXISTS, ALREADY_EXISTS, "The port is already in use."),
    ROW(HCN_E_ENDPOINT_ALREADY_ATTACHED, ALREADY_EXISTS, "The endpoint is already attached."),
    ROW(HCN_E_REQUEST_UNSUPPORTED, INVALID_STATE, "The request is not supported in the object's current state."),
    ROW(HCN_E_DEGRADED_OPERATION, INVALID_STATE, "The object is in a degraded state."),
    ROW(HCN_E_GUID_CONVERSION_FAILURE, INVALID_ARGUMENT, "A parameter is not a valid GUID."),
    ROW(HCN_E_INVALID_JSON, INVALID_ARGUMENT, "The JSON document is invalid."),
    ROW(HCN_E_INVALID_JSON_REFERENCE, INVALID_ARGUMENT, "The JSON document references an unknown object."),
    ROW(HCN_E_INVALID_IP, INVALID_ARGUMENT, "The address is invalid or in no configured subnet."),
    ROW(HCN_E_MANAGER_STOPPED, DISCONNECTED, "The network service is stopping."),
    ROW(HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, ALREADY_EXISTS, "The endpoint is already in a namespace."),
    ROW(HCN_E_ENTITY_HAS_REFERENCES, INVALID_STATE, "The object is still referenced and cannot be removed."),
    ROW(HCN_E_NAMESPACE_ATTACH_FAILED, OTHER, "Attaching the network namespace failed."),
    ROW(HCN_E_ADDR_INVALID_OR_RESERVED, INVALID_ARGUMENT, "The address is invalid or reserved."),
    ROW(HCN_E_INVALID_PREFIX, INVALID_ARGUMENT, "The address prefix is invalid."),
    ROW(HCN_E_OBJECT_USED_AFTER_UNLOAD, INVALID_HANDLE, "The object behind the handle was deleted."),
    ROW(HCN_E_INVALID_SUBNET, INVALID_ARGUMENT, "The subnet configuration is invalid."),
    ROW(HCS_WIN32_E_OBJECT_ALREADY_EXISTS, ALREADY_EXISTS, "An object with this identifier already exists."),
};

const hcs_hresult_info *hcs__hresult_lookup(int32_t hr)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].hr == hr)
            return &table[i];
    return NULL;
}

const hcs_hresult_info *hcs__hresult_by_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}
