/* Builders for the documents most programs send: a process-isolated
 * container, a Hyper-V VM, process parameters, modify requests, property
 * queries and shutdown options. Each fills the typed schema structs and
 * encodes them (schema.h), so the result is exactly what hcs_schema_encode
 * writes: absent means left out, never an empty value.
 *
 * Every builder writes a malloc'ed JSON text to *json (free it with
 * hcs_free) and returns HCS_OK, or fails with HCS_COM_E_INVALIDARG (a
 * required argument is missing or a string is not UTF-8) or
 * HCS_COM_E_OUTOFMEMORY, leaving *json NULL. In the specs, NULL strings and
 * zero numbers mean "leave the field out". */
#ifndef HCS_BUILDERS_H
#define HCS_BUILDERS_H

#include "process.h"
#include "schema.h"
#include "storage.h" /* hcs_layer_spec */

#ifdef __cplusplus
extern "C" {
#endif

/* A host folder seen inside the container (MappedDirectory). */
typedef struct hcs_mapped_dir_spec {
    const char *host_path;
    const char *container_path;
    bool read_only;
} hcs_mapped_dir_spec;

/* A ComputeSystem document for a process-isolated Windows container. */
typedef struct hcs_container_spec {
    const char *owner;
    uint32_t schema_minor;        /* SchemaVersion 2.<minor>; 0 means 2.1 */
    const char *hostname;         /* GuestOs.HostName */
    const hcs_layer_spec *layers; /* Storage.Layers, in the order HCS wants (the image's parent chain) */
    size_t layer_count;
    const char *scratch_path; /* Storage.Path: the sandbox folder */
    const hcs_mapped_dir_spec *mapped_dirs;
    size_t mapped_dir_count;
    const char *network_namespace; /* Networking.Namespace (a GUID) */
    uint32_t processor_count;      /* Processor.Count */
    uint64_t memory_mb;            /* Memory.SizeInMB */
    bool terminate_on_last_handle_closed;
} hcs_container_spec;

HCS_API int32_t hcs_build_container(const hcs_container_spec *spec, char **json, hcs_error *err);

/* A ComputeSystem document for a Hyper-V VM booting UEFI, optionally from one
 * disk attached to a SCSI controller (the shape of Microsoft's Tutorial). */
typedef struct hcs_vm_spec {
    const char *owner;
    uint32_t schema_minor;                /* 0 means 2.1 */
    uint64_t memory_mb;                   /* required */
    hcs_MemoryBackingType memory_backing; /* HCS_MemoryBackingType_UNLISTED: left out */
    uint32_t processor_count;             /* required */
    const char *boot_disk_path;           /* VHD(X) attached as LUN 0 and booted; NULL: no disk */
    const char *boot_controller;          /* SCSI controller name; NULL means "Primary disk" */
    bool terminate_on_last_handle_closed;
} hcs_vm_spec;

HCS_API int32_t hcs_build_vm(const hcs_vm_spec *spec, char **json, hcs_error *err);

/* The ProcessParameters document of spec (process.h), as hcs_process_create
 * sends it. */
HCS_API int32_t hcs_build_process(const hcs_process_spec *spec, char **json, hcs_error *err);

/* ModifySettingRequest: set a VM's memory size
 * (VirtualMachine/ComputeTopology/Memory/SizeInMB, Update). */
HCS_API int32_t hcs_build_modify_memory(uint64_t size_mb, char **json, hcs_error *err);

/* ModifySettingRequest adding or removing a mapped directory at
 * resource_path (required: Microsoft does not document the container
 * paths). */
HCS_API int32_t hcs_build_modify_mapped_directory(hcs_ModifyRequestType request, const char *resource_path,
                                                  const hcs_mapped_dir_spec *dir, char **json, hcs_error *err);

/* ModifySettingRequest adding, updating or removing a network adapter backed
 * by an HCN endpoint. resource_path NULL means the VM path
 * VirtualMachine/Devices/NetworkAdapters/<name>. mac may be NULL. */
HCS_API int32_t hcs_build_modify_network_adapter(hcs_ModifyRequestType request, const char *resource_path,
                                                 const char *name, const char *endpoint_id, const char *mac,
                                                 char **json, hcs_error *err);

/* ProcessModifyRequest: resize the console / close a standard handle. */
HCS_API int32_t hcs_build_console_size(uint16_t height, uint16_t width, char **json, hcs_error *err);
HCS_API int32_t hcs_build_close_handle(hcs_StdHandle handle, char **json, hcs_error *err);

/* System_PropertyQuery asking for these property types (count 0: basic
 * properties only, `{}`). */
HCS_API int32_t hcs_build_property_query(const hcs_System_PropertyType *types, size_t count, char **json,
                                         hcs_error *err);

/* ShutdownOptions (schema 2.5). Terminate takes no options document: pass
 * NULL to hcs_system_terminate. */
typedef struct hcs_shutdown_spec {
    hcs_ShutdownMechanism mechanism; /* UNLISTED: left out */
    hcs_ShutdownType type;           /* UNLISTED: left out */
    bool force;
    const char *reason;
} hcs_shutdown_spec;

HCS_API int32_t hcs_build_shutdown_options(const hcs_shutdown_spec *spec, char **json, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
