/* hcssim-network.dll's peer: the simulator loaded as computecore.dll (see
 * hcn_peer.h). Built into that DLL only. */
#include "hcn_peer.h"

#include <windows.h>

static INIT_ONCE peer_once = INIT_ONCE_STATIC_INIT;
static HMODULE peer;

/* computecore.dll is a simulator when it has hcssim's own lookup function;
 * Windows' computecore.dll has none (and no HCN functions either). */
static BOOL CALLBACK find_peer(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once, (void)param, (void)context;
    HMODULE m = GetModuleHandleW(L"computecore.dll");
    if (m && GetProcAddress(m, "hcssim_proc_address"))
        peer = m;
    return TRUE;
}

bool hcssim__hcn_peer(const char *name, void (**fn)(void))
{
    InitOnceExecuteOnce(&peer_once, find_peer, NULL, NULL);
    *fn = peer ? (void (*)(void))GetProcAddress(peer, name) : NULL;
    return peer != NULL;
}
