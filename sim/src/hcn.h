/* The simulated Host Compute Network service (computenetwork.dll,
 * storage-and-network §2): networks, endpoints, namespaces, load balancers,
 * SDN routes and guest network services kept as V2 JSON documents, with
 * handles, queries, notifications and port reservations. Its state is the
 * process's (or hcssimd's, for all its clients): HCN objects belong to the
 * service, not to the process that made them (§2.3). One lock guards it;
 * callbacks run on a notifier thread without it. */
#ifndef HCSSIM_HCN_H
#define HCSSIM_HCN_H

#include "hcs/computenetwork.h"
#include "hcs/error.h"
#include "hcs/hcn_e_codes.h"
#include "util/guid.h"

#include <jansson.h>
#include <stdbool.h>

#ifndef S_FALSE
#define S_FALSE ((HRESULT)1)
#endif

typedef enum hcn_kind {
    HCN_KIND_NETWORK,
    HCN_KIND_ENDPOINT,
    HCN_KIND_NAMESPACE,
    HCN_KIND_LOADBALANCER,
    HCN_KIND_ROUTE,
    HCN_KIND_GNS,
    HCN_KINDS
} hcn_kind;

/* ---- the generic calls behind the exports (hcn.c) ---------------------- */

HRESULT hcssim__hcn_enumerate(hcn_kind kind, PCWSTR query, PWSTR *out, PWSTR *error);
/* network is the parent's handle for an endpoint, unused otherwise. */
HRESULT hcssim__hcn_create(hcn_kind kind, void *network, REFGUID id, PCWSTR settings, void **handle, PWSTR *error);
HRESULT hcssim__hcn_open(hcn_kind kind, REFGUID id, void **handle, PWSTR *error);
HRESULT hcssim__hcn_modify(hcn_kind kind, void *handle, PCWSTR settings, PWSTR *error);
/* what: NULL for the properties, "Stats" or "Addresses" for an endpoint's. */
HRESULT hcssim__hcn_query(hcn_kind kind, void *handle, const char *what, PCWSTR query, PWSTR *out, PWSTR *error);
HRESULT hcssim__hcn_delete(hcn_kind kind, REFGUID id, PWSTR *error);
HRESULT hcssim__hcn_close(hcn_kind kind, void *handle);

/* Callbacks (§2.7). target: NULL for the service, else a network or guest
 * network service handle of kind `kind`. */
HRESULT hcssim__hcn_register(hcn_kind kind, void *target, HCN_NOTIFICATION_CALLBACK cb, void *context,
                             HCN_CALLBACK *out);
HRESULT hcssim__hcn_unregister(HCN_CALLBACK registration);

/* Port reservations on a guest network service (§2.8). */
HRESULT hcssim__hcn_reserve_port(void *gns, HCN_PORT_PROTOCOL protocol, HCN_PORT_ACCESS access, USHORT port,
                                 USHORT count, HCN_PORT_RANGE_RESERVATION *range, HANDLE *out);
HRESULT hcssim__hcn_release_port(HANDLE reservation);
HRESULT hcssim__hcn_enumerate_ports(ULONG *count, HCN_PORT_RANGE_ENTRY **entries);
void hcssim__hcn_free_ports(HCN_PORT_RANGE_ENTRY *entries);

/* A compute system whose document names Container.Networking.Namespace
 * (§3.2 step 5) joins that namespace's Resources as a Container, and leaves
 * it when it goes away. attach fails with HCN_E_NAMESPACE_ATTACH_FAILED
 * for an unknown namespace. Both take the HCN lock, never the engine's. */
HRESULT hcssim__hcn_attach_container(const char *namespace_id, const char *system_id);
void hcssim__hcn_detach_container(const char *namespace_id, const char *system_id);
/* The endpoints of a namespace as a JSON array of ids (new reference), or
 * NULL for an unknown namespace: what a container's properties show. */
json_t *hcssim__hcn_namespace_endpoints(const char *namespace_id);

/* Objects alive, for hcssim_get_counts-style checks in tests. */
unsigned hcssim__hcn_live_handles(void);

/* ---- what hcn.c needs from the object rules (hcn_objects.c) ------------ */

/* The store, locked, as the object rules see it. */
typedef struct hcn_store hcn_store;

/* The documents of a kind: a JSON object from upper-case id to V2 document. */
json_t *hcssim__hcn_objects(hcn_store *s, hcn_kind kind);
/* Queues a notification of `type` with payload {"ID":id,"Flags":0} to the
 * registrations on the service (target NULL) or on a network/GNS id. */
void hcssim__hcn_notify(hcn_store *s, DWORD type, const char *target, const char *id, json_t *payload);
uint32_t hcssim__hcn_next_serial(hcn_store *s);

/* Fills the new object's document (doc holds the caller's settings, ID
 * already set) and checks it against the store: HRESULT and a detail. */
HRESULT hcssim__hcn_object_create(hcn_store *s, hcn_kind kind, const char *network_id, json_t *doc,
                                  const char **detail);
HRESULT hcssim__hcn_object_modify(hcn_store *s, hcn_kind kind, json_t *doc, json_t *request, const char **detail);
/* May the object be deleted? Then hcssim__hcn_object_deleted cleans references. */
HRESULT hcssim__hcn_object_may_delete(hcn_store *s, hcn_kind kind, json_t *doc, const char **detail);
void hcssim__hcn_object_deleted(hcn_store *s, hcn_kind kind, json_t *doc);
/* The V1 view of a document (new reference), what NULL and 1.x queries
 * return and what filters match (§2.5). */
json_t *hcssim__hcn_object_v1(hcn_store *s, hcn_kind kind, json_t *doc);
/* The V2 view: a copy with output-only rules applied (§4.3 #37). */
json_t *hcssim__hcn_object_v2(hcn_kind kind, json_t *doc, bool detailed);
/* Documented notification types for create/delete of a kind (0: none). */
DWORD hcssim__hcn_create_notification(hcn_kind kind);
DWORD hcssim__hcn_delete_notification(hcn_kind kind);

/* Ids: GUID text, upper case, no braces (§2.5). */
#define HCN_ID_LEN HCS_GUID_LEN
/* Normalises a GUID string into out; false when not a GUID. */
bool hcssim__hcn_id_normalize(const char *text, char out[HCN_ID_LEN + 1]);
void hcssim__hcn_guid_random(GUID *out);

/* Case-insensitive member lookup: HNS matches property names that way
 * (§2.5, inferred). */
json_t *hcssim__hcn_get(const json_t *obj, const char *key);
/* ASCII case-insensitive equality; false when either is NULL. */
bool hcssim__hcn_strieq(const char *a, const char *b);
/* The string of a JSON string, "" for anything else. */
const char *hcssim__hcn_str(const json_t *v);

#endif
