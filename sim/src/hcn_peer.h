/* One simulated host for computecore.dll and computenetwork.dll.
 *
 * Windows has one network service beside one compute service: a container's
 * document names a namespace made through computenetwork.dll
 * (storage-and-network §3.2). A program that loads the simulator's drop-ins
 * side by side, hcssim.dll (or hcssim-client.dll) renamed computecore.dll and
 * hcssim-network.dll renamed computenetwork.dll, must see the same: so
 * hcssim-network.dll hands each call to the export of the same name of the
 * simulator loaded as computecore.dll, and runs its own engine only when the
 * process has none (docs/simulator-fidelity.md, "HCN"). Only that DLL is
 * built with HCSSIM_HCN_PEER; everywhere else HCN_PEER is nothing. */
#ifndef HCSSIM_HCN_PEER_H
#define HCSSIM_HCN_PEER_H

#ifdef HCSSIM_HCN_PEER

#include "hcs/computecore.h"

#include <stdbool.h>

/* Whether a simulator is loaded as computecore.dll (decided at the first
 * HCN call, for the life of the process); if so *fn is its export `name`,
 * or NULL when the build it emulates lacks that function. */
bool hcssim__hcn_peer(const char *name, void (**fn)(void));

/* At the top of an export: the peer's answer, when there is a peer. */
#define HCN_PEER(fn, args)                                                                                             \
    do {                                                                                                               \
        void (*peer_)(void);                                                                                           \
        if (hcssim__hcn_peer(#fn, &peer_))                                                                             \
            return peer_ ? ((__typeof__(&(fn)))peer_)args : HRESULT_FROM_WIN32(ERROR_PROC_NOT_FOUND);                  \
    } while (0)

/* The same for the one export that returns nothing. */
#define HCN_PEER_VOID(fn, args)                                                                                        \
    do {                                                                                                               \
        void (*peer_)(void);                                                                                           \
        if (hcssim__hcn_peer(#fn, &peer_)) {                                                                           \
            if (peer_)                                                                                                 \
                ((__typeof__(&(fn)))peer_) args;                                                                       \
            return;                                                                                                    \
        }                                                                                                              \
    } while (0)

#else
#define HCN_PEER(fn, args) ((void)0)
#define HCN_PEER_VOID(fn, args) ((void)0)
#endif

#endif
