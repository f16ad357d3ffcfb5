/* libFuzzer target for the ResultError parser (hcs_result_error_parse). */
#include <hcs/error.h>

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parser takes a NUL-terminated document. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    hcs_result_error re;
    if (hcs_result_error_parse(text, &re) == HCS_OK)
        hcs_result_error_clear(&re);
    free(text);
    return 0;
}
