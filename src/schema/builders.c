/* Document builders (builders.h): fill the typed structs in a scratch
 * document, encode it, free it. Strings are the caller's: they only need to
 * live until the encoding is written. */
#include "hcs/builders.h"

#include "error_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct build {
    hcs_schema_doc *doc;
    bool out_of_memory;
} build;

/* Fails a builder for a bad argument, leaving no output. */
static int32_t refuse(char **json, hcs_error *err, const char *call, const char *why)
{
    if (json)
        *json = NULL;
    return hcs__fail(err, HCS_COM_E_INVALIDARG, call, "%s", why);
}

static int32_t start(build *b, hcs_schema_type type, char **json, void **root)
{
    *json = NULL;
    b->out_of_memory = false;
    b->doc = hcs_schema_doc_new(type);
    *root = hcs_schema_doc_root(b->doc);
    return b->doc ? HCS_OK : HCS_COM_E_OUTOFMEMORY;
}

static void *alloc(build *b, size_t size)
{
    void *p = hcs_schema_alloc(b->doc, size);
    b->out_of_memory |= p == NULL;
    return p;
}

#define NEW(b, type) ((type *)alloc((b), sizeof(type)))
#define NEW_ARRAY(b, type, n) ((type *)alloc((b), sizeof(type) * (n)))

static hcs_enum known(int32_t value) { return (hcs_enum){value, NULL}; }

/* Encodes the root and frees the scratch document. */
static int32_t finish(build *b, hcs_schema_type type, const char *call, char **json, hcs_error *err)
{
    int32_t hr;
    if (b->out_of_memory)
        hr = hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, NULL);
    else
        hr = hcs_schema_encode(type, hcs_schema_doc_root(b->doc), NULL, json, err);
    hcs_schema_doc_free(b->doc);
    return hr;
}

static hcs_Version *schema_version(build *b, uint32_t minor)
{
    hcs_Version *v = NEW(b, hcs_Version);
    if (v)
        *v = (hcs_Version){.has_Major = true, .Major = 2, .has_Minor = true, .Minor = minor ? minor : 1};
    return v;
}

static void mapped_dir(hcs_MappedDirectory *out, const hcs_mapped_dir_spec *in)
{
    out->HostPath = in->host_path;
    out->ContainerPath = in->container_path;
    out->has_ReadOnly = in->read_only;
    out->ReadOnly = in->read_only;
}

/* ---- compute systems ---------------------------------------------------- */

static void container_storage(build *b, hcs_Container *c, const hcs_container_spec *spec)
{
    if (!spec->layer_count && !spec->scratch_path)
        return;
    hcs_Storage *s = c->Storage = NEW(b, hcs_Storage);
    hcs_Layer *layers = spec->layer_count ? NEW_ARRAY(b, hcs_Layer, spec->layer_count) : NULL;
    if (!s || (spec->layer_count && !layers))
        return;
    for (size_t i = 0; i < spec->layer_count; i++) {
        layers[i].Id = spec->layers[i].id;
        layers[i].Path = spec->layers[i].path;
    }
    s->Layers = layers;
    s->Layers_count = spec->layer_count;
    s->Path = spec->scratch_path;
}

static void container_resources(build *b, hcs_Container *c, const hcs_container_spec *spec)
{
    if (spec->processor_count && (c->Processor = NEW(b, hcs_Container_Processor))) {
        c->Processor->has_Count = true;
        c->Processor->Count = spec->processor_count;
    }
    if (spec->memory_mb && (c->Memory = NEW(b, hcs_Container_Memory))) {
        c->Memory->has_SizeInMB = true;
        c->Memory->SizeInMB = spec->memory_mb;
    }
    if (spec->network_namespace && (c->Networking = NEW(b, hcs_Networking)))
        c->Networking->Namespace = spec->network_namespace;
    if (spec->hostname && (c->GuestOs = NEW(b, hcs_GuestOs)))
        c->GuestOs->HostName = spec->hostname;
    if (spec->mapped_dir_count && (c->MappedDirectories = NEW_ARRAY(b, hcs_MappedDirectory, spec->mapped_dir_count))) {
        for (size_t i = 0; i < spec->mapped_dir_count; i++)
            mapped_dir(&c->MappedDirectories[i], &spec->mapped_dirs[i]);
        c->MappedDirectories_count = spec->mapped_dir_count;
    }
}

int32_t hcs_build_container(const hcs_container_spec *spec, char **json, hcs_error *err)
{
    build b;
    hcs_ComputeSystem *cs;
    if (!spec || !json)
        return refuse(json, err, "hcs_build_container", "no spec");
    if ((spec->layer_count && !spec->layers) || (spec->mapped_dir_count && !spec->mapped_dirs))
        return refuse(json, err, "hcs_build_container", "a count is given without its array");
    if (start(&b, HCS_SCHEMA_ComputeSystem, json, (void **)&cs) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_build_container", NULL);
    cs->Owner = spec->owner;
    cs->SchemaVersion = schema_version(&b, spec->schema_minor);
    cs->has_ShouldTerminateOnLastHandleClosed = spec->terminate_on_last_handle_closed;
    cs->ShouldTerminateOnLastHandleClosed = spec->terminate_on_last_handle_closed;
    if ((cs->Container = NEW(&b, hcs_Container))) {
        container_storage(&b, cs->Container, spec);
        container_resources(&b, cs->Container, spec);
    }
    return finish(&b, HCS_SCHEMA_ComputeSystem, "hcs_build_container", json, err);
}

/* Chipset.Uefi, booting the disk at LUN 0 of `controller` when there is one. */
static hcs_Chipset *vm_chipset(build *b, const hcs_vm_spec *spec, const char *controller)
{
    hcs_Chipset *chipset = NEW(b, hcs_Chipset);
    if (!chipset || !(chipset->Uefi = NEW(b, hcs_Uefi)) || !spec->boot_disk_path)
        return chipset;
    hcs_UefiBootEntry *boot = chipset->Uefi->BootThis = NEW(b, hcs_UefiBootEntry);
    if (boot)
        *boot = (hcs_UefiBootEntry){.DevicePath = controller,
                                    .has_DiskNumber = true,
                                    .DiskNumber = 0,
                                    .has_DeviceType = true,
                                    .DeviceType = known(HCS_UefiBootDevice_ScsiDrive)};
    return chipset;
}

static hcs_Devices *vm_devices(build *b, const hcs_vm_spec *spec, const char *controller)
{
    hcs_Devices *devices = NEW(b, hcs_Devices);
    hcs_Scsi_entry *scsi = NEW(b, hcs_Scsi_entry);
    hcs_Attachment_entry *disk = NEW(b, hcs_Attachment_entry);
    if (!devices || !scsi || !disk)
        return devices;
    disk->key = "0";
    disk->value.has_Type = true;
    disk->value.Type = known(HCS_AttachmentType_VirtualDisk);
    disk->value.Path = spec->boot_disk_path;
    scsi->key = controller;
    scsi->value.Attachments = disk;
    scsi->value.Attachments_count = 1;
    devices->Scsi = scsi;
    devices->Scsi_count = 1;
    return devices;
}

static hcs_Topology *vm_topology(build *b, const hcs_vm_spec *spec)
{
    hcs_Topology *topology = NEW(b, hcs_Topology);
    hcs_VirtualMachine_Memory *memory = NEW(b, hcs_VirtualMachine_Memory);
    hcs_VirtualMachine_Processor *processor = NEW(b, hcs_VirtualMachine_Processor);
    if (!topology || !memory || !processor)
        return topology;
    memory->has_SizeInMB = true;
    memory->SizeInMB = spec->memory_mb;
    memory->has_Backing = spec->memory_backing != HCS_MemoryBackingType_UNLISTED;
    memory->Backing = known((int32_t)spec->memory_backing);
    processor->has_Count = true;
    processor->Count = spec->processor_count;
    topology->Memory = memory;
    topology->Processor = processor;
    return topology;
}

int32_t hcs_build_vm(const hcs_vm_spec *spec, char **json, hcs_error *err)
{
    build b;
    hcs_ComputeSystem *cs;
    if (!spec || !json || !spec->memory_mb || !spec->processor_count)
        return refuse(json, err, "hcs_build_vm", "memory_mb and processor_count are required");
    if (start(&b, HCS_SCHEMA_ComputeSystem, json, (void **)&cs) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_build_vm", NULL);
    const char *controller = spec->boot_controller ? spec->boot_controller : "Primary disk";
    cs->Owner = spec->owner;
    cs->SchemaVersion = schema_version(&b, spec->schema_minor);
    cs->has_ShouldTerminateOnLastHandleClosed = spec->terminate_on_last_handle_closed;
    cs->ShouldTerminateOnLastHandleClosed = spec->terminate_on_last_handle_closed;
    hcs_VirtualMachine *vm = cs->VirtualMachine = NEW(&b, hcs_VirtualMachine);
    if (vm) {
        vm->Chipset = vm_chipset(&b, spec, controller);
        vm->ComputeTopology = vm_topology(&b, spec);
        if (spec->boot_disk_path)
            vm->Devices = vm_devices(&b, spec, controller);
    }
    return finish(&b, HCS_SCHEMA_ComputeSystem, "hcs_build_vm", json, err);
}

/* ---- processes ---------------------------------------------------------- */

static void set_flag(bool *has, bool *value, bool v)
{
    *has = v;
    *value = v;
}

int32_t hcs_build_process(const hcs_process_spec *spec, char **json, hcs_error *err)
{
    build b;
    hcs_ProcessParameters *p;
    if (!spec || !json || !spec->command_line)
        return refuse(json, err, "hcs_build_process", "command_line is required");
    for (size_t i = 0; i < spec->env_count; i++)
        if (!spec->env || !spec->env[i].name || !spec->env[i].value)
            return refuse(json, err, "hcs_build_process",
                          "env_count is larger than env, or a variable lacks its name or value");
    if (start(&b, HCS_SCHEMA_ProcessParameters, json, (void **)&p) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_build_process", NULL);
    p->CommandLine = spec->command_line;
    p->WorkingDirectory = spec->working_directory;
    p->User = spec->user;
    set_flag(&p->has_CreateStdInPipe, &p->CreateStdInPipe, spec->create_stdin);
    set_flag(&p->has_CreateStdOutPipe, &p->CreateStdOutPipe, spec->create_stdout);
    set_flag(&p->has_CreateStdErrPipe, &p->CreateStdErrPipe, spec->create_stderr);
    set_flag(&p->has_EmulateConsole, &p->EmulateConsole, spec->emulate_console);
    if (spec->env_count && (p->Environment = NEW_ARRAY(&b, hcs_map_string, spec->env_count))) {
        for (size_t i = 0; i < spec->env_count; i++)
            p->Environment[i] = (hcs_map_string){spec->env[i].name, spec->env[i].value};
        p->Environment_count = spec->env_count;
    }
    if ((spec->console_height || spec->console_width) && (p->ConsoleSize = NEW_ARRAY(&b, uint16_t, 2))) {
        p->ConsoleSize[0] = spec->console_height;
        p->ConsoleSize[1] = spec->console_width;
        p->ConsoleSize_count = 2;
    }
    return finish(&b, HCS_SCHEMA_ProcessParameters, "hcs_build_process", json, err);
}

static int32_t process_modify(hcs_ModifyOperation op, uint16_t height, uint16_t width, hcs_StdHandle handle,
                              const char *call, char **json, hcs_error *err)
{
    build b;
    hcs_ProcessModifyRequest *r;
    if (!json)
        return refuse(json, err, call, "no output");
    if (start(&b, HCS_SCHEMA_ProcessModifyRequest, json, (void **)&r) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, NULL);
    r->has_Operation = true;
    r->Operation = known(op);
    if (op == HCS_ModifyOperation_ConsoleSize && (r->ConsoleSize = NEW(&b, hcs_ConsoleSize)))
        *r->ConsoleSize = (hcs_ConsoleSize){.has_Height = true, .Height = height, .has_Width = true, .Width = width};
    if (op == HCS_ModifyOperation_CloseHandle && (r->CloseHandle = NEW(&b, hcs_CloseHandle)))
        *r->CloseHandle = (hcs_CloseHandle){.has_Handle = true, .Handle = known(handle)};
    return finish(&b, HCS_SCHEMA_ProcessModifyRequest, call, json, err);
}

int32_t hcs_build_console_size(uint16_t height, uint16_t width, char **json, hcs_error *err)
{
    return process_modify(HCS_ModifyOperation_ConsoleSize, height, width, HCS_StdHandle_UNLISTED,
                          "hcs_build_console_size", json, err);
}

int32_t hcs_build_close_handle(hcs_StdHandle handle, char **json, hcs_error *err)
{
    if (handle == HCS_StdHandle_UNLISTED)
        return refuse(json, err, "hcs_build_close_handle", "no handle");
    return process_modify(HCS_ModifyOperation_CloseHandle, 0, 0, handle, "hcs_build_close_handle", json, err);
}

/* ---- modify requests ---------------------------------------------------- */

/* A ModifySettingRequest whose Settings is `settings` (JSON text). */
static int32_t modify_request(hcs_ModifyRequestType request, const char *path, const char *settings, const char *call,
                              char **json, hcs_error *err)
{
    build b;
    hcs_ModifySettingRequest *r;
    if (start(&b, HCS_SCHEMA_ModifySettingRequest, json, (void **)&r) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, NULL);
    r->ResourcePath = path;
    r->has_RequestType = true;
    r->RequestType = known(request);
    r->Settings = settings;
    return finish(&b, HCS_SCHEMA_ModifySettingRequest, call, json, err);
}

/* modify_request with Settings encoded from a typed value. */
static int32_t modify_with(hcs_ModifyRequestType request, const char *path, hcs_schema_type type, const void *value,
                           const char *call, char **json, hcs_error *err)
{
    char *settings;
    int32_t hr = hcs_schema_encode(type, value, NULL, &settings, err);
    if (hr != HCS_OK)
        return hr;
    hr = modify_request(request, path, settings, call, json, err);
    hcs_free(settings);
    return hr;
}

int32_t hcs_build_modify_memory(uint64_t size_mb, char **json, hcs_error *err)
{
    char number[24];
    snprintf(number, sizeof number, "%llu", (unsigned long long)size_mb);
    if (!json)
        return refuse(json, err, "hcs_build_modify_memory", "no output");
    return modify_request(HCS_ModifyRequestType_Update, "VirtualMachine/ComputeTopology/Memory/SizeInMB", number,
                          "hcs_build_modify_memory", json, err);
}

int32_t hcs_build_modify_mapped_directory(hcs_ModifyRequestType request, const char *resource_path,
                                          const hcs_mapped_dir_spec *dir, char **json, hcs_error *err)
{
    const char *call = "hcs_build_modify_mapped_directory";
    if (!json || !resource_path || !dir)
        return refuse(json, err, call, "resource_path and dir are required");
    hcs_MappedDirectory md = {0};
    mapped_dir(&md, dir);
    return modify_with(request, resource_path, HCS_SCHEMA_MappedDirectory, &md, call, json, err);
}

int32_t hcs_build_modify_network_adapter(hcs_ModifyRequestType request, const char *resource_path, const char *name,
                                         const char *endpoint_id, const char *mac, char **json, hcs_error *err)
{
    const char *call = "hcs_build_modify_network_adapter";
    if (!json || !endpoint_id || (!resource_path && !name))
        return refuse(json, err, call, "endpoint_id and a name or resource_path are required");
    static const char prefix[] = "VirtualMachine/Devices/NetworkAdapters/";
    char *path = NULL;
    if (!resource_path) {
        /* The name whole, however long. */
        size_t n = strlen(name);
        path = malloc(sizeof prefix + n);
        if (!path) {
            *json = NULL;
            return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, call, "out of memory");
        }
        memcpy(path, prefix, sizeof prefix - 1);
        memcpy(path + sizeof prefix - 1, name, n + 1);
        resource_path = path;
    }
    hcs_NetworkAdapter adapter = {.EndpointId = endpoint_id, .MacAddress = mac};
    int32_t hr = modify_with(request, resource_path, HCS_SCHEMA_NetworkAdapter, &adapter, call, json, err);
    free(path);
    return hr;
}

/* ---- queries and options ------------------------------------------------ */

int32_t hcs_build_property_query(const hcs_System_PropertyType *types, size_t count, char **json, hcs_error *err)
{
    build b;
    hcs_System_PropertyQuery *q;
    if (!json || (count && !types))
        return refuse(json, err, "hcs_build_property_query", "no types");
    if (start(&b, HCS_SCHEMA_System_PropertyQuery, json, (void **)&q) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_build_property_query", NULL);
    if (count && (q->PropertyTypes = NEW_ARRAY(&b, hcs_enum, count))) {
        for (size_t i = 0; i < count; i++)
            q->PropertyTypes[i] = known(types[i]);
        q->PropertyTypes_count = count;
    }
    return finish(&b, HCS_SCHEMA_System_PropertyQuery, "hcs_build_property_query", json, err);
}

int32_t hcs_build_shutdown_options(const hcs_shutdown_spec *spec, char **json, hcs_error *err)
{
    build b;
    hcs_ShutdownOptions *o;
    if (!spec || !json)
        return refuse(json, err, "hcs_build_shutdown_options", "no spec");
    if (start(&b, HCS_SCHEMA_ShutdownOptions, json, (void **)&o) != HCS_OK)
        return hcs__fail(err, HCS_COM_E_OUTOFMEMORY, "hcs_build_shutdown_options", NULL);
    o->has_Mechanism = spec->mechanism != HCS_ShutdownMechanism_UNLISTED;
    o->Mechanism = known(spec->mechanism);
    o->has_Type = spec->type != HCS_ShutdownType_UNLISTED;
    o->Type = known(spec->type);
    set_flag(&o->has_Force, &o->Force, spec->force);
    o->Reason = spec->reason;
    return finish(&b, HCS_SCHEMA_ShutdownOptions, "hcs_build_shutdown_options", json, err);
}
