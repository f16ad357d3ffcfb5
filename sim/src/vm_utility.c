/* VM utility functions (see vm_utility.h). */
#include "vm_utility.h"

#include "document.h"
#include "result.h"

#include <stdio.h>
#include <stdlib.h>

#define SIM_E_FILE_NOT_FOUND ((HRESULT)0x80070002) /* HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) */
#define SIM_E_PATH_NOT_FOUND ((HRESULT)0x80070003) /* HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND) */

/* Opens a client path: wide on Windows, UTF-8 elsewhere. */
static FILE *open_path(PCWSTR path, const char *mode)
{
#ifdef _WIN32
    wchar_t wmode[4] = {0};
    for (int i = 0; i < 3 && mode[i]; i++)
        wmode[i] = (wchar_t)mode[i];
    return _wfopen(path, wmode);
#else
    char detail[SIM_DETAIL_SIZE];
    char *utf8 = NULL;
    if (FAILED(hcssim__text_in(path, &utf8, detail)))
        return NULL;
    FILE *f = fopen(utf8, mode);
    free(utf8);
    return f;
#endif
}

static HRESULT check_path(PCWSTR path)
{
    if (!path || !path[0])
        return E_INVALIDARG;
    FILE *f = open_path(path, "rb");
    if (!f)
        return SIM_E_FILE_NOT_FOUND;
    fclose(f);
    return S_OK;
}

HRESULT hcssim__create_state_file(PCWSTR path)
{
    if (!path || !path[0])
        return E_INVALIDARG;
    FILE *f = open_path(path, "wb");
    if (!f)
        return SIM_E_PATH_NOT_FOUND;
    fclose(f);
    return S_OK;
}

HRESULT hcssim__vm_access(PCWSTR vm_id, PCWSTR path)
{
    if (vm_id && !vm_id[0])
        return E_INVALIDARG;
    return check_path(path);
}

HRESULT hcssim__processor_compatibility(PCWSTR runtime_file, PCWSTR *features)
{
    if (features)
        *features = NULL;
    HRESULT hr = check_path(runtime_file);
    if (FAILED(hr) || !features)
        return hr;
    /* A runtime-state file the simulator wrote has no processor features
     * of its own: an empty VmProcessorRequirements (inferred). */
    PWSTR out = NULL;
    hr = hcssim__string_out("{}", &out);
    *features = out;
    return hr;
}
