/* Container layer storage: computestorage.dll's functions (import and
 * export image layers, writable layers and their filter, base OS layers,
 * VHDs), with UTF-8 paths, typed parent lists and classified errors.
 *
 * These functions are synchronous: each returns when the host has answered.
 * They use the client's provider: on Windows computestorage.dll from
 * System32 beside the real computecore.dll; a simulator's own (hcssim.dll,
 * libhcssim, the embedded simulator); with hcssimd, whose layers are the
 * same host folders, the program's own copy of the simulator's (the
 * hcssim-storage.dll beside the program on Windows, the embedded simulator
 * elsewhere); with another library provider the computestorage.dll beside
 * it. A host or
 * provider without a function fails only that call, with
 * HCS_WIN32_E_PROC_NOT_FOUND (kind "unsupported"): HcsSetupBaseOSVolume
 * needs Windows 10 2104 / Server 2022, the overlay functions a build with
 * CimFS (storage-and-network §1.1).
 *
 * Parents are listed nearest first, the base layer last (§1.3): a chain in
 * the other order fails with HCS_WIN32_E_PATH_NOT_FOUND. Each id must be a
 * GUID without braces; two parents with the same id are refused (they
 * usually mean two folders with the same name, §5 #2).
 *
 * Callers need SeBackupPrivilege and SeRestorePrivilege for import and
 * export, and administrator rights for the VHD and filter functions (§1.2);
 * libhcs does not enable them.
 *
 * Threading: every function may be called from any thread; calls on the
 * same layer must not overlap (the host does not serialise them). */
#ifndef HCS_STORAGE_H
#define HCS_STORAGE_H

#include "client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One read-only image layer (Layer.Id is a GUID, Layer.Path a folder). */
typedef struct hcs_layer_spec {
    const char *id;
    const char *path;
} hcs_layer_spec;

/* What a base OS layer is set up for (OsLayerOptions.Type). */
typedef enum hcs_base_layer_type {
    HCS_BASE_LAYER_CONTAINER, /* a process-isolated container's base */
    HCS_BASE_LAYER_VM         /* a utility VM's base (the layer's UtilityVM folder) */
} hcs_base_layer_type;

/* The filter an overlay puts on a writable layer (LayerData.FilterType). */
typedef enum hcs_filter_type {
    HCS_FILTER_WCIFS,  /* the container storage filter of ordinary layers */
    HCS_FILTER_UNIONFS /* the union filter of CimFS layers */
} hcs_filter_type;

/* Imports a layer in transport format (Files, Hives, tombstones.txt; as
 * downloaded from a registry) from source_path into layer_path, which is
 * created when missing. */
HCS_API int32_t hcs_layer_import(hcs_client client, const char *layer_path, const char *source_path,
                                 const hcs_layer_spec *parents, size_t parent_count, hcs_error *err);

/* Writes the layer at layer_path in transport format into export_path, an
 * existing folder. With writable, layer_path is a writable layer with its
 * filter attached and the export holds the container's changes (to commit
 * them as a new layer: export, then hcs_layer_import). */
HCS_API int32_t hcs_layer_export(hcs_client client, const char *layer_path, const char *export_path,
                                 const hcs_layer_spec *parents, size_t parent_count, bool writable, hcs_error *err);

/* Exports a legacy writable layer: its changes at mount_path, its hives in
 * folder_path. */
HCS_API int32_t hcs_layer_export_legacy(hcs_client client, const char *mount_path, const char *folder_path,
                                        const char *export_path, const hcs_layer_spec *parents, size_t parent_count,
                                        hcs_error *err);

/* Deletes a layer (read-only or writable) from the host. The host refuses
 * a layer in use by an attached writable layer. */
HCS_API int32_t hcs_layer_destroy(hcs_client client, const char *layer_path, hcs_error *err);

/* Sets up the base OS layer at layer_path. For a container, vhd must be
 * NULL; for a VM, it is the handle of an attached VHD (a HANDLE on Windows;
 * elsewhere a file descriptor encoded as (void *)(intptr_t)(fd + 1)). */
HCS_API int32_t hcs_layer_setup_base(hcs_client client, const char *layer_path, void *vhd, hcs_base_layer_type type,
                                     hcs_error *err);

/* The same from a mounted volume (a volume path, "\\?\Volume{...}\"). */
HCS_API int32_t hcs_layer_setup_base_volume(hcs_client client, const char *layer_path, const char *volume_path,
                                            hcs_base_layer_type type, hcs_error *err);

/* Initializes the writable layer at path (a mounted scratch volume, from
 * hcs_vhd_mount_path, or a folder) on its parents. Once per scratch, before
 * hcs_layer_attach_filter. */
HCS_API int32_t hcs_layer_init_writable(hcs_client client, const char *path, const hcs_layer_spec *parents,
                                        size_t parent_count, hcs_error *err);

/* Initializes a legacy writable layer: changes at mount_path, hives in
 * folder_path; options_json (NULL: none) says which paths to pre-expand. */
HCS_API int32_t hcs_layer_init_legacy_writable(hcs_client client, const char *mount_path, const char *folder_path,
                                               const hcs_layer_spec *parents, size_t parent_count,
                                               const char *options_json, hcs_error *err);

/* Attaches the container storage filter to the writable layer at path, so
 * that it presents its parents and its own changes as one tree; a
 * container's Storage.Path may then name it. Detach it once the container
 * is gone. */
HCS_API int32_t hcs_layer_attach_filter(hcs_client client, const char *path, const hcs_layer_spec *parents,
                                        size_t parent_count, hcs_error *err);
HCS_API int32_t hcs_layer_detach_filter(hcs_client client, const char *path, hcs_error *err);

/* Attaches a filter of the given type on the writable layer mounted at
 * volume_path over the layers (for CimFS: one layer, the mounted CIM's Files
 * folder); detach names the same type. */
HCS_API int32_t hcs_layer_attach_overlay(hcs_client client, const char *volume_path, const hcs_layer_spec *layers,
                                         size_t layer_count, hcs_filter_type type, hcs_error *err);
HCS_API int32_t hcs_layer_detach_overlay(hcs_client client, const char *volume_path, hcs_filter_type type,
                                         hcs_error *err);

/* Creates and formats the partition of a new, unmounted VHD (on Windows a
 * virtdisk handle from CreateVirtualDisk/OpenVirtualDisk; see hcs_layer_setup_base
 * for other hosts). A formatted VHD is refused. */
HCS_API int32_t hcs_vhd_format(hcs_client client, void *vhd, hcs_error *err);

/* The volume path ("\\?\Volume{...}\") of a mounted VHD, in *out (free it
 * with hcs_free; libhcs frees the host's string with LocalFree itself). An
 * empty answer, which an unelevated caller can get (§1.5.12), fails with
 * HCS_WIN32_E_NOT_READY. */
HCS_API int32_t hcs_vhd_mount_path(hcs_client client, void *vhd, char **out, hcs_error *err);

#ifdef __cplusplus
}
#endif

#endif
