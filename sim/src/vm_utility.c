/* VM utility functions (see vm_utility.h). */
#include "vm_utility.h"

#include "document.h"
#include "file.h"
#include "result.h"
#include "saved_state.h"

#include <stdio.h>
#include <stdlib.h>

/* Opens a client path given in UTF-16. */
static FILE *open_path(PCWSTR path, const char *mode)
{
    char detail[SIM_DETAIL_SIZE];
    char *utf8 = NULL;
    if (FAILED(hcssim__text_in(path, &utf8, detail)))
        return NULL;
    FILE *f = hcssim__file_open(utf8, mode);
    free(utf8);
    return f;
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
    if (!runtime_file || !runtime_file[0])
        return E_INVALIDARG;
    char detail[SIM_DETAIL_SIZE];
    char *path = NULL;
    HRESULT hr = hcssim__text_in(runtime_file, &path, detail);
    if (FAILED(hr))
        return hr == SIM_E_BAD_UNICODE ? E_INVALIDARG : hr;
    /* The requirements a save recorded; a file no save wrote (an empty
     * runtime-state file among them) has none: ERROR_INVALID_DATA. */
    json_t *state = NULL;
    hr = hcssim__saved_state_read(path, &state, detail);
    free(path);
    char *text = SUCCEEDED(hr) ? json_dumps(json_object_get(state, "ProcessorRequirements"), JSON_COMPACT) : NULL;
    json_decref(state);
    if (SUCCEEDED(hr) && !text)
        hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr) && features) {
        PWSTR out = NULL;
        hr = hcssim__string_out(text, &out);
        *features = out;
    }
    free(text);
    return hr;
}
