/* Decoding a 64 KiB Properties document (Statistics and a long ProcessList)
 * into C structs, against jansson parsing the same bytes into its tree. Both
 * include freeing the result. Prints the ratio; asserts nothing about speed.
 *
 *   bench_schema_decode [--quick]   (--quick: a few iterations, for ctest) */
#include "platform/thread.h"

#include <hcs/schema.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_TARGET (64 * 1024)

/* A Properties document as HCS returns it for Statistics + ProcessList. */
static char *make_document(size_t *len)
{
    size_t cap = DOC_TARGET + 4096, n = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    n += (size_t)snprintf(s + n, cap - n,
                          "{\"Id\":\"bench\",\"SystemType\":\"Container\",\"RuntimeOsType\":\"Windows\","
                          "\"Owner\":\"hcskit\",\"RuntimeId\":\"5b4e7a7c-1d2e-4f60-8a9b-0c1d2e3f4a5b\","
                          "\"State\":\"Running\",\"Stopped\":false,\"Statistics\":{"
                          "\"Timestamp\":\"2024-05-01T10:00:00.1234567Z\","
                          "\"ContainerStartTime\":\"2024-05-01T09:00:00.0000000Z\",\"Uptime100ns\":36001234567,"
                          "\"Processor\":{\"TotalRuntime100ns\":987654321,\"RuntimeUser100ns\":600000000,"
                          "\"RuntimeKernel100ns\":387654321},\"Memory\":{\"MemoryUsageCommitBytes\":123456789,"
                          "\"MemoryUsageCommitPeakBytes\":234567890,\"MemoryUsagePrivateWorkingSetBytes\":98765432},"
                          "\"Storage\":{\"ReadCountNormalized\":1234,\"ReadSizeBytes\":5678901,"
                          "\"WriteCountNormalized\":4321,\"WriteSizeBytes\":1098765}},\"ProcessList\":[");
    for (unsigned i = 0; n < DOC_TARGET - 400; i++)
        n += (size_t)snprintf(s + n, cap - n,
                              "%s{\"ProcessId\":%u,\"ImageName\":\"process-%u.exe\","
                              "\"CreateTimestamp\":\"2024-05-01T09:00:%02u.0000000Z\",\"UserTime100ns\":%u,"
                              "\"KernelTime100ns\":%u,\"MemoryCommitBytes\":%u,"
                              "\"MemoryWorkingSetPrivateBytes\":%u,\"MemoryWorkingSetSharedBytes\":%u}",
                              i ? "," : "", 4 + i * 4, i, i % 60, i * 1000003u, i * 70001u, 1048576u + i * 4096u,
                              524288u + i * 512u, 262144u + i);
    n += (size_t)snprintf(s + n, cap - n, "]}");
    *len = n;
    return s;
}

typedef int (*decode_fn)(const char *text, size_t len);

static int with_jansson(const char *text, size_t len)
{
    json_t *doc = json_loadb(text, len, 0, NULL);
    json_decref(doc);
    return doc != NULL;
}

static int with_schema(const char *text, size_t len)
{
    hcs_schema_doc *doc = NULL;
    int ok = hcs_schema_decode(HCS_SCHEMA_Properties, text, len, NULL, &doc, NULL) == HCS_OK;
    hcs_schema_doc_free(doc);
    return ok;
}

/* Best time per decode, in nanoseconds, over `rounds` rounds of `iterations`. */
static double best_ns(decode_fn fn, const char *text, size_t len, int rounds, int iterations)
{
    double best = 0;
    for (int r = 0; r < rounds; r++) {
        uint64_t t0 = hcs__clock_ms();
        for (int i = 0; i < iterations; i++)
            if (!fn(text, len)) {
                fprintf(stderr, "decode failed\n");
                exit(1);
            }
        double ns = (double)(hcs__clock_ms() - t0) * 1e6 / iterations;
        if (r == 0 || ns < best)
            best = ns;
    }
    return best;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    size_t len;
    char *text = make_document(&len);
    if (!text)
        return 1;
    int rounds = quick ? 1 : 7, iterations = quick ? 3 : 400;
    best_ns(with_schema, text, len, 1, quick ? 1 : 50); /* warm up */
    double jansson = best_ns(with_jansson, text, len, rounds, iterations);
    double schema = best_ns(with_schema, text, len, rounds, iterations);
    printf("document: Properties, %lu bytes\n", (unsigned long)len);
    printf("jansson json_loadb + json_decref:        %10.1f us\n", jansson / 1000);
    printf("hcs_schema_decode + hcs_schema_doc_free: %10.1f us\n", schema / 1000);
    if (jansson > 0)
        printf("ratio (schema / jansson): %.2f (goal: at most 2.00)\n", schema / jansson);
    free(text);
    return 0;
}
