/* codec: MB/s of libhcs's schema codec (include/hcs/schema.h) decoding
 * documents into C structs and encoding the structs back, against jansson
 * parsing the same bytes into its DOM (json_loadb) and dumping that DOM
 * (json_dumps, compact), issue 14. Three documents, compact JSON as HCS
 * writes it:
 *
 *  - Statistics (a few hundred bytes: what a stats poller decodes);
 *  - Properties of 64 KiB (Statistics and a long ProcessList);
 *  - a full VM document (ComputeSystem: chipset, topology, SCSI, vSMB,
 *    Plan9, network adapters, HvSocket, registry changes, guest state).
 *
 * Each side includes freeing its result. MB/s counts the document's bytes
 * on both sides, so the ratio is the ratio of times. A repetition runs each
 * side for a fixed slice of time; the rows take the median. */
#include "harness.h"

#include <hcs/schema.h>
#include <jansson.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_REPS = 16 };

#define STATISTICS                                                                                                     \
    "{\"Timestamp\":\"2024-05-01T10:00:00.1234567Z\",\"ContainerStartTime\":\"2024-05-01T09:00:00.0000000Z\","         \
    "\"Uptime100ns\":36001234567,\"Processor\":{\"TotalRuntime100ns\":987654321,\"RuntimeUser100ns\":600000000,"       \
    "\"RuntimeKernel100ns\":387654321},\"Memory\":{\"MemoryUsageCommitBytes\":123456789,"                              \
    "\"MemoryUsageCommitPeakBytes\":234567890,\"MemoryUsagePrivateWorkingSetBytes\":98765432},\"Storage\":{"           \
    "\"ReadCountNormalized\":1234,\"ReadSizeBytes\":5678901,\"WriteCountNormalized\":4321,\"WriteSizeBytes\":1098765}" \
    "}"

typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            bench_fail("cannot format a document");
        if (t->s && t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)k;
        char *s = realloc(t->s, cap);
        if (!s)
            bench_fail("out of memory");
        t->s = s;
        t->cap = cap;
    }
}

/* Properties as HCS returns it for Statistics + ProcessList: 64 KiB. */
static text properties_document(void)
{
    text t = {0};
    put(&t,
        "{\"Id\":\"bench\",\"SystemType\":\"Container\",\"RuntimeOsType\":\"Windows\",\"Owner\":\"hcskit\","
        "\"RuntimeId\":\"5b4e7a7c-1d2e-4f60-8a9b-0c1d2e3f4a5b\",\"State\":\"Running\",\"Stopped\":false,"
        "\"Statistics\":%s,\"ProcessList\":[",
        STATISTICS);
    for (unsigned i = 0; t.n < 64 * 1024 - 400; i++)
        put(&t,
            "%s{\"ProcessId\":%u,\"ImageName\":\"process-%u.exe\",\"CreateTimestamp\":\"2024-05-01T09:00:%02u."
            "0000000Z\",\"UserTime100ns\":%u,\"KernelTime100ns\":%u,\"MemoryCommitBytes\":%u,"
            "\"MemoryWorkingSetPrivateBytes\":%u,\"MemoryWorkingSetSharedBytes\":%u}",
            i ? "," : "", 4 + i * 4, i, i % 60, i * 1000003u, i * 70001u, 1048576u + i * 4096u, 524288u + i * 512u,
            262144u + i);
    put(&t, "]}");
    return t;
}

/* A Hyper-V isolated utility VM as a container runtime configures one. */
static text vm_document(void)
{
    text t = {0};
    put(&t, "{\"Owner\":\"hcsbench\",\"SchemaVersion\":{\"Major\":2,\"Minor\":5},\"VirtualMachine\":{"
            "\"StopOnReset\":true,\"Chipset\":{\"Uefi\":{\"BootThis\":{\"DeviceType\":\"VmbFs\","
            "\"DevicePath\":\"\\\\EFI\\\\Microsoft\\\\Boot\\\\bootmgfw.efi\"}},\"UseUtc\":true},"
            "\"ComputeTopology\":{\"Memory\":{\"SizeInMB\":4096,\"AllowOvercommit\":true,"
            "\"EnableDeferredCommit\":true,\"EnableColdDiscardHint\":true,\"LowMmioGapInMB\":256,"
            "\"HighMmioBaseInMB\":65536,\"HighMmioGapInMB\":1024},\"Processor\":{\"Count\":4,\"Limit\":100000,"
            "\"Weight\":200,\"ExposeVirtualizationExtensions\":false}},\"Devices\":{\"Scsi\":{");
    for (int c = 0; c < 4; c++) {
        put(&t, "%s\"%d\":{\"Attachments\":{", c ? "," : "", c);
        for (int a = 0; a < 8; a++)
            put(&t,
                "%s\"%d\":{\"Type\":\"VirtualDisk\",\"Path\":\"C:\\\\ProgramData\\\\containers\\\\layers\\\\"
                "%08x-1c2d-4e5f-8a9b-%012d\\\\sandbox.vhdx\",\"ReadOnly\":%s}",
                a ? "," : "", a, 0x5b4e0000u + (unsigned)(c * 8 + a), c * 8 + a, a ? "true" : "false");
        put(&t, "}}");
    }
    put(&t, "},\"VirtualSmb\":{\"Shares\":[");
    for (int s = 0; s < 8; s++)
        put(&t,
            "%s{\"Name\":\"os-%d\",\"Path\":\"C:\\\\ProgramData\\\\containers\\\\layers\\\\layer-%d\\\\Files\","
            "\"Options\":{\"ReadOnly\":true,\"ShareRead\":true,\"CacheIo\":true,\"TakeBackupPrivilege\":true,"
            "\"NoOplocks\":true,\"NoLocks\":true,\"PseudoOplocks\":true,\"NoDirectmap\":false,"
            "\"SingleFileMapping\":false}}",
            s ? "," : "", s, s);
    put(&t, "],\"DirectFileMappingInMB\":2048},\"Plan9\":{\"Shares\":[");
    for (int s = 0; s < 4; s++)
        put(&t, "%s{\"Name\":\"share%d\",\"AccessName\":\"share%d\",\"Path\":\"C:\\\\data\\\\share%d\",\"Port\":564}",
            s ? "," : "", s, s, s);
    put(&t, "]},\"NetworkAdapters\":{");
    for (int n = 0; n < 4; n++)
        put(&t,
            "%s\"nic-%d\":{\"EndpointId\":\"8f1c2d3e-4a5b-6c7d-8e9f-%012d\",\"MacAddress\":\"00-15-5D-3A-2B-%02X\"}",
            n ? "," : "", n, n, n);
    put(&t, "},\"ComPorts\":{\"0\":{\"NamedPipe\":\"\\\\\\\\.\\\\pipe\\\\vm-com1\"}},\"HvSocket\":{\"HvSocketConfig\":{"
            "\"DefaultBindSecurityDescriptor\":\"D:P(A;;FA;;;SY)(A;;FA;;;BA)\","
            "\"DefaultConnectSecurityDescriptor\":\"D:P(A;;FA;;;SY)(A;;FA;;;BA)\",\"ServiceTable\":{");
    for (int s = 0; s < 4; s++)
        put(&t,
            "%s\"0000%04d-facb-11e6-bd58-64006a7986d3\":{\"BindSecurityDescriptor\":\"D:P(A;;FA;;;SY)\","
            "\"ConnectSecurityDescriptor\":\"D:P(A;;FA;;;SY)\",\"AllowWildcardBinds\":true}",
            s ? "," : "", s);
    put(&t, "}}}},\"GuestState\":{\"GuestStateFilePath\":\"C:\\\\vm\\\\vm.vmgs\",\"ForceTransientState\":true},"
            "\"RegistryChanges\":{\"AddValues\":[");
    for (int r = 0; r < 8; r++)
        put(&t,
            "%s{\"Key\":{\"Hive\":\"System\",\"Name\":\"ControlSet001\\\\Control\\\\Setting%d\"},\"Name\":\"Value%d\","
            "\"Type\":\"DWord\",\"DWordValue\":%d}",
            r ? "," : "", r, r, r);
    put(&t, "]},\"GuestConnection\":{\"UseVsock\":true,\"UseConnectedSuspend\":true}},"
            "\"ShouldTerminateOnLastHandleClosed\":true}");
    return t;
}

/* ---- the sides ------------------------------------------------------------------------- */

typedef struct doc {
    const char *name;
    hcs_schema_type type;
    text t;
    hcs_schema_doc *typed; /* decoded once, for encoding */
    json_t *dom;           /* parsed once, for dumping */
} doc;

typedef void (*side_fn)(doc *d);

static void decode_schema(doc *d)
{
    hcs_schema_doc *out = NULL;
    bench_check(hcs_schema_decode(d->type, d->t.s, d->t.n, NULL, &out, NULL), "hcs_schema_decode");
    hcs_schema_doc_free(out);
}

static void decode_jansson(doc *d)
{
    json_t *dom = json_loadb(d->t.s, d->t.n, 0, NULL);
    if (!dom)
        bench_fail("jansson refused the %s document", d->name);
    json_decref(dom);
}

static void encode_schema(doc *d)
{
    char *json = NULL;
    bench_check(hcs_schema_encode(d->type, hcs_schema_doc_root(d->typed), NULL, &json, NULL), "hcs_schema_encode");
    hcs_free(json);
}

static void encode_jansson(doc *d)
{
    char *json = json_dumps(d->dom, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!json)
        bench_fail("jansson cannot dump the %s document", d->name);
    free(json);
}

/* MB/s of fn over one slice of time. */
static double rate(side_fn fn, doc *d, double slice_us)
{
    long n = 0;
    double t0 = bench_now_us(), t;
    do {
        fn(d);
        n++;
        t = bench_now_us() - t0;
    } while (t < slice_us);
    return (double)d->t.n * (double)n / t; /* bytes per microsecond = MB/s */
}

static void compare(const char *what, doc *d, side_fn ours, side_fn theirs, double target)
{
    double slice = bench.quick ? 2000 : 60000;
    double a[MAX_REPS], b[MAX_REPS];
    rate(ours, d, slice / 4);
    rate(theirs, d, slice / 4);
    for (int rep = 0; rep < bench.repetitions; rep++) {
        a[rep] = rate(ours, d, slice);
        b[rep] = rate(theirs, d, slice);
    }
    char name[64], metric[64];
    snprintf(name, sizeof name, "codec_%s_%s", what, d->name);
    snprintf(metric, sizeof metric, "MB/s of %zu bytes", d->t.n);
    bench_row(name, metric, bench_median(a, (size_t)bench.repetitions), bench_median(b, (size_t)bench.repetitions),
              BENCH_AT_LEAST_X(target));
}

void bench_codec(void)
{
    doc docs[3] = {
        {.name = "statistics", .type = HCS_SCHEMA_Statistics},
        {.name = "properties", .type = HCS_SCHEMA_Properties, .t = properties_document()},
        {.name = "vm", .type = HCS_SCHEMA_ComputeSystem, .t = vm_document()},
    };
    put(&docs[0].t, "%s", STATISTICS);
    for (int i = 0; i < 3; i++) {
        doc *d = &docs[i];
        bench_check(hcs_schema_decode(d->type, d->t.s, d->t.n, NULL, &d->typed, NULL), "hcs_schema_decode");
        d->dom = json_loadb(d->t.s, d->t.n, 0, NULL);
        if (!d->dom)
            bench_fail("jansson refused the %s document", d->name);
        compare("decode", d, decode_schema, decode_jansson, 5);
    }
    for (int i = 0; i < 3; i++)
        compare("encode", &docs[i], encode_schema, encode_jansson, 2);
    for (int i = 0; i < 3; i++) {
        hcs_schema_doc_free(docs[i].typed);
        json_decref(docs[i].dom);
        free(docs[i].t.s);
    }
}
