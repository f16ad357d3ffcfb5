/* Simulated layers (storage-and-network §1.4): what the computestorage
 * exports (storage.c) and compute-system creation agree on.
 *
 * A read-only layer is a folder holding Files (a base layer: Files/Windows).
 * A writable layer is a folder holding Files and Hives (the container's
 * changes, laid out as the transport format is) and hcssim-writable.json,
 * the simulator's record of its parents and of the filter attached to it.
 * While a filter is attached, each parent holds hcssim-users/<name>, so a
 * parent in use is known to every process on the host. A simulated volume
 * \\?\Volume{GUID}\ is the folder <volumes root>/{GUID} (layer_fs.h). */
#ifndef HCSSIM_LAYER_H
#define HCSSIM_LAYER_H

#include "document.h"
#include "file.h"

#include <jansson.h>
#include <stdbool.h>

/* HRESULT_FROM_WIN32 of ERROR_ACCESS_DENIED, ERROR_NOT_READY,
 * ERROR_SHARING_VIOLATION; HCS_E_INVALID_LAYER. */
#define SIM_E_ACCESS_DENIED ((HRESULT)0x80070005)
#define SIM_E_NOT_READY ((HRESULT)0x80070015)
#define SIM_E_SHARING_VIOLATION ((HRESULT)0x80070020)
#define SIM_E_INVALID_LAYER ((HRESULT)0x80370112)

#define SIM_WRITABLE_STATE "hcssim-writable.json"
#define SIM_LAYER_USERS "hcssim-users"

/* A LayerData document (storage-and-network §1.3), its paths resolved. */
typedef struct sim_layer_chain {
    char **paths;
    size_t count;
    const char *filter; /* FilterType: "WCIFS" (also when absent) or "UnionFS" */
} sim_layer_chain;

/* How the parents of a chain must look. */
typedef enum sim_chain_rule {
    SIM_CHAIN_LAYERS,  /* read-only layers, nearest first, the base last (§1.3, §4.1 #6) */
    SIM_CHAIN_FOLDERS, /* folders that exist (an overlay's UnionFS layers, §1.5.13) */
} sim_chain_rule;

/* "%.*s" arguments quoting a path in a detail, cut to fit. */
#define SIM_QUOTE(s) hcssim__clip((s), 160), (s)

/* Fills detail like hcssim__detail and returns hr. */
HRESULT hcssim__layer_fail(HRESULT hr, char detail[SIM_DETAIL_SIZE], const char *fmt, ...) SIM_PRINTF(3, 4);

/* A client's path in UTF-8 on this host: a volume path mapped to its
 * folder, trailing separators dropped (§4.1 #4). NULL or empty fails with
 * E_INVALIDARG. */
HRESULT hcssim__layer_path_in(PCWSTR in, char **out, char detail[SIM_DETAIL_SIZE]);
/* The same for a UTF-8 path. */
HRESULT hcssim__layer_path_resolve(const char *in, char **out, char detail[SIM_DETAIL_SIZE]);

/* Parses LayerData (NULL or empty: no parents) into *out and checks its
 * parents against rule: bad JSON fails with HCS_E_INVALID_JSON (§4.1 #19),
 * a missing parent or the base not last with SIM_E_PATH_NOT_FOUND (#6). */
HRESULT hcssim__layer_chain_in(PCWSTR layer_data, sim_chain_rule rule, sim_layer_chain *out,
                               char detail[SIM_DETAIL_SIZE]);
void hcssim__layer_chain_free(sim_layer_chain *chain);

/* dir holds Files (any layer) / Files/Windows (a base layer). */
bool hcssim__layer_is_layer(const char *dir);
bool hcssim__layer_is_base(const char *dir);
/* A writable layer built on dir has a filter attached (§4.1 #15). */
bool hcssim__layer_in_use(const char *dir);

/* The record of the writable layer at root, or NULL when it was never
 * initialized: {"Parents": [paths], "Filter": "WCIFS" | "UnionFS"}, Filter
 * absent while no filter is attached. */
json_t *hcssim__layer_state_load(const char *root);
HRESULT hcssim__layer_state_save(const char *root, json_t *state, char detail[SIM_DETAIL_SIZE]);
/* Marks (or unmarks) each parent in the state's Parents as used by root. */
void hcssim__layer_mark_users(const char *root, const json_t *state, bool used);

/* §4.1 #18: a VHD the host has attached cannot be attached to a virtual
 * machine as well. The simulator's host-attached VHD is a writable layer's
 * sandbox.vhdx (any file in its folder) while the layer's filter is
 * attached: SIM_E_SHARING_VIOLATION with detail naming what (`what`, the
 * attachment's place in the document); S_OK for any other path. */
HRESULT hcssim__layer_check_vhd_free(const char *vhd, const char *what, char detail[SIM_DETAIL_SIZE]);

/* Compute-system creation (§1.7): a Container's Storage.Layers must be
 * layers and its Storage.Path a writable layer with a filter attached;
 * otherwise SIM_E_PATH_NOT_FOUND or SIM_E_INVALID_LAYER with detail. */
HRESULT hcssim__layer_check_storage(const json_t *config, char detail[SIM_DETAIL_SIZE]);
/* A Container's Storage.Path as a host folder (malloc'ed), or NULL: where
 * its guest programs' writes land (hcssim-write, guest.h). */
char *hcssim__layer_scratch(const json_t *config);

#endif
