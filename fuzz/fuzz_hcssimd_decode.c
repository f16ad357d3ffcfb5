/* libFuzzer target for hcssimd's frame decoder (sim/daemon/protocol.c): any
 * bytes a client can send are either refused or decoded into values that
 * lie inside the frame, and the values a decoded frame holds can be copied
 * out (docs/hcssimd.md, "Limits and errors"). */
#include "protocol.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly the frame's bytes, so that a read past them is caught. */
    uint8_t *frame = malloc(size ? size : 1);
    if (!frame)
        return 0;
    memcpy(frame, data, size);
    if (size >= WIRE_HEADER_SIZE) {
        wire_header h;
        hcssim__wire_decode_header(frame, &h);
    }
    wire_msg m;
    if (hcssim__wire_decode(frame, size, &m) == WIRE_OK) {
        for (unsigned i = 0; i < m.count; i++) {
            bool failed = false;
            free(hcssim__wire_utf16_dup(&m.v[i], &failed));
            free(hcssim__wire_utf8_dup(&m.v[i], &failed));
        }
        hcssim__wire_expect(&m, 0, "uW");
        hcssim__wire_expect(&m, 1, "uuu");
    }
    free(frame);
    return 0;
}
