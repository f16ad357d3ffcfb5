/* Where the codec is in a document, as a chain of frames on the C stack,
 * printed like VirtualMachine.Devices.Scsi["0"].Attachments["1"].Path. */
#ifndef HCS_SRC_SCHEMA_PATH_H
#define HCS_SRC_SCHEMA_PATH_H

#include <stddef.h>
#include <stdint.h>

typedef enum hcs_schema_path_kind { HCS_PATH_ROOT, HCS_PATH_FIELD, HCS_PATH_INDEX, HCS_PATH_KEY } hcs_schema_path_kind;

typedef struct hcs_schema_path {
    const struct hcs_schema_path *up;
    hcs_schema_path_kind kind;
    const char *name; /* field name (name_len bytes) or map key (NUL-terminated) */
    size_t name_len;
    size_t index;
} hcs_schema_path;

/* Writes the path into buf (always NUL-terminated, "..." when cut short);
 * the root alone prints as "(document)". */
void hcs__schema_path_format(const hcs_schema_path *p, char *buf, size_t size);

#endif
