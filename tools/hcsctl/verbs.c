/* The one table of hcsctl's verbs, options and help. `hcsctl --help`,
 * `hcsctl VERB --help`, the man page (hcsctl --man, built into hcsctl.1)
 * and the bash completion (hcsctl --completion bash) are all written from
 * it (cli.c), so they cannot disagree. Descriptions are paragraphs
 * separated by a blank line; cli.c wraps them. */
#include "commands.h"

#include <stdint.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define OPTIONS(a) a, COUNT(a)
#define NO_OPTIONS NULL, 0

static const char states[] = "Created Running Paused Stopped SavedAsTemplate Unknown";
static const char system_types[] = "Container VirtualMachine";
/* System_PropertyType (hcs-api §8.4): what inspect --type may ask for. */
static const char property_types[] = "Memory Statistics ProcessList TerminateOnLastHandleClosed SharedMemoryRegion "
                                     "GuestConnection ProcessorTopology CpuGroup SystemGUID";

const hcsctl_option hcsctl_global_options[] = {
    {"provider", 0, "PROVIDER",
     "the HCS provider: hcssimd, embedded, system, or a provider library (default: HCS_PROVIDER, else see "
     "ENVIRONMENT)",
     false, HCSCTL_COMPLETE_WORDS, "hcssimd embedded system"},
    {"namespace", 0, "ID", "act on the systems of this HCS namespace (Windows 10 2004 and later)", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"trace", 0, NULL, "print every HCS call with its duration and HRESULT on stderr", false, HCSCTL_COMPLETE_NONE,
     NULL},
    {"timeout", 0, "SECONDS", "give up on any HCS call after this long (exit code 124); HCS still finishes the work",
     false, HCSCTL_COMPLETE_NONE, NULL},
    {"version", 0, NULL, "print the version of libhcs in use", false, HCSCTL_COMPLETE_NONE, NULL},
    {"help", 'h', NULL, "print help (after a verb: that verb's)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"man", 0, NULL, "print this manual page (troff)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"completion", 0, "SHELL", "print the completion script for SHELL (bash)", false, HCSCTL_COMPLETE_WORDS, "bash"},
};
const size_t hcsctl_global_option_count = COUNT(hcsctl_global_options);

static const hcsctl_option list_options[] = {
    {"json", 0, NULL, "a JSON array of HCS's Properties objects (Id, SystemType, State, Owner, RuntimeId, ...)", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"quiet", 'q', NULL, "only the ids, one a line", false, HCSCTL_COMPLETE_NONE, NULL},
    {"owner", 0, "OWNER", "only systems of this owner (repeatable)", true, HCSCTL_COMPLETE_NONE, NULL},
    {"type", 0, "TYPE", "only Container or VirtualMachine (repeatable)", true, HCSCTL_COMPLETE_WORDS, system_types},
    {"state", 0, "STATE", "only systems in this state, e.g. Running (repeatable)", true, HCSCTL_COMPLETE_WORDS, states},
};

static const hcsctl_option inspect_options[] = {
    {"type", 0, "TYPE", "a property type to add to the basic properties, e.g. Statistics (repeatable)", true,
     HCSCTL_COMPLETE_WORDS, property_types},
};

static const hcsctl_option create_options[] = {
    {"container", 0, NULL, "a process-isolated Windows container", false, HCSCTL_COMPLETE_NONE, NULL},
    {"vm", 0, NULL, "a Hyper-V virtual machine (no disk: UEFI with nothing to boot)", false, HCSCTL_COMPLETE_NONE,
     NULL},
    {"memory", 0, "MB", "the VM's or container's memory (VM default 1024)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"cpus", 0, "N", "the VM's or container's processors (VM default 1)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"owner", 0, "OWNER", "the Owner HCS records (default hcsctl)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"layer", 'l', "PATH",
     "an image layer of the container (ID=PATH to give its GUID), nearest first, the base last (repeatable)", true,
     HCSCTL_COMPLETE_FILES, NULL},
    {"network", 'n', "NETWORK", "join this HCN network (id or name): an endpoint in a namespace of the container's",
     false, HCSCTL_COMPLETE_NONE, NULL},
    {"state", 0, "DIR", "the folder of hcsctl's state, where the container's scratch goes (default: HCSCTL_STATE)",
     false, HCSCTL_COMPLETE_FILES, NULL},
};

static const hcsctl_option save_options[] = {
    {"file", 0, "PATH", "save the state to this file (the system then ends); without it: save as a template", false,
     HCSCTL_COMPLETE_FILES, NULL},
};

static const hcsctl_option stop_options[] = {
    {"timeout", 't', "SECONDS", "how long the graceful shutdown may take before hcsctl terminates (default 30)", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option rm_options[] = {
    {"force", 'f', NULL, "terminate at once instead of shutting down, and ignore systems that do not exist", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"state", 0, "DIR", "the folder of hcsctl's state, as given to create", false, HCSCTL_COMPLETE_FILES, NULL},
};

static const hcsctl_option wait_options[] = {
    {"timeout", 't', "SECONDS", "give up after this long (exit code 124; default: wait as long as it takes)", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option json_option[] = {
    {"json", 0, NULL, "JSON instead of a table", false, HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option events_options[] = {
    {"json", 0, NULL, "one JSON object a line: Time, Id, Event, RawType, Data (HCS's event document)", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option stats_options[] = {
    {"no-stream", 0, NULL, "print one table (from two samples a second apart) and exit", false, HCSCTL_COMPLETE_NONE,
     NULL},
    {"json", 0, NULL, "a JSON array a line (one per refresh) instead of the table", false, HCSCTL_COMPLETE_NONE, NULL},
    {"interval", 0, "SECONDS", "time between samples (default 1)", false, HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option exec_options[] = {
    {"interactive", 'i', NULL, "relay stdin to the process; the end of stdin closes the process's stdin", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"tty", 't', NULL, "give the process a console the size of this terminal (resized with it)", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"env", 'e', "NAME=VALUE", "set an environment variable (repeatable)", true, HCSCTL_COMPLETE_NONE, NULL},
    {"cwd", 'w', "DIR", "the working directory in the system", false, HCSCTL_COMPLETE_NONE, NULL},
    {"user", 'u', "USER", "the user the process runs as", false, HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option layer_options[] = {
    {"parent", 'p', "PATH",
     "a parent layer's folder (ID=PATH to give its GUID), nearest first, the base last (repeatable)", true,
     HCSCTL_COMPLETE_FILES, NULL},
    {"writable", 0, NULL, "export: LAYER is a mounted writable layer, export the container's changes", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"vhd", 0, "FILE", "mount: the scratch is this VHD (formatted when new); prints its volume path", false,
     HCSCTL_COMPLETE_FILES, NULL},
    {"force", 'f', NULL, "rm: a layer that does not exist is not an error", false, HCSCTL_COMPLETE_NONE, NULL},
    {"json", 0, NULL, "print {\"Layer\": ..., \"Parents\": [...]} instead of the layer's path", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

static const char network_types[] = "NAT ICS Transparent L2Bridge L2Tunnel Overlay Private Internal";

static const hcsctl_option network_options[] = {
    {"json", 0, NULL, "HCN's V2 documents (ls: an array) instead of a table or an id", false, HCSCTL_COMPLETE_NONE,
     NULL},
    {"type", 0, "TYPE", "create: the network type (default NAT)", false, HCSCTL_COMPLETE_WORDS, network_types},
    {"subnet", 0, "CIDR", "create: the subnet addresses come from, e.g. 10.0.0.0/24 (default: HCN picks one for NAT)",
     false, HCSCTL_COMPLETE_NONE, NULL},
    {"gateway", 0, "IP", "create: the subnet's default route", false, HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option endpoint_options[] = {
    {"json", 0, NULL, "HCN's V2 documents (ls: an array) instead of a table or an id", false, HCSCTL_COMPLETE_NONE,
     NULL},
    {"network", 0, "NETWORK", "ls: only the endpoints of this network (id or name)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"name", 0, "NAME", "create: the endpoint's name", false, HCSCTL_COMPLETE_NONE, NULL},
    {"ip", 0, "IP", "create: a static address in the network's subnet (default: HCN assigns one)", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"mac", 0, "MAC", "create: the MAC address, XX-XX-XX-XX-XX-XX (default: from the network's pool)", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

static const hcsctl_option namespace_options[] = {
    {"json", 0, NULL, "HCN's V2 documents (ls: an array) instead of a table or an id", false, HCSCTL_COMPLETE_NONE,
     NULL},
};

static const hcsctl_option migrate_options[] = {
    {"to", 0, "HOST:PORT", "the source: connect to the destination's hcsctl migrate --listen there", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"listen", 0, "[HOST:]PORT", "the destination: wait there for the source (port 0: any; the port is printed)", false,
     HCSCTL_COMPLETE_NONE, NULL},
    {"session", 0, "N", "the session id, the same on both sides (default 1)", false, HCSCTL_COMPLETE_NONE, NULL},
    {"json", 0, NULL, "one JSON object a line per live migration event: Id, Event (HCS's document)", false,
     HCSCTL_COMPLETE_NONE, NULL},
};

const hcsctl_verb hcsctl_verbs[] = {
    {"list", "[OPTIONS]", "list compute systems",
     "Lists the compute systems HCS knows (in the --namespace, if given): ID, TYPE, STATE, OWNER and RUNTIME ID. "
     "--owner and --type are asked of HCS (its SystemQuery); --state is applied to HCS's answer.\n\n"
     "With --json the output is a JSON array of HCS's own Properties objects, member names as HCS spells them, so "
     "that a script reads the same fields it would read from computecore.dll.",
     OPTIONS(list_options), 0, 0, 0, HCSCTL_COMPLETE_NONE, hcsctl_list, NULL},
    {"inspect", "[--type TYPE]... ID", "print a system's properties as JSON",
     "Prints the properties HCS reports for the system, as pretty JSON: the basic ones (Id, SystemType, State, "
     "Owner, RuntimeId, ...) and those of each --type asked for (Statistics, ProcessList, Memory, ...).",
     OPTIONS(inspect_options), 1, 1, 0, HCSCTL_COMPLETE_IDS, hcsctl_inspect, NULL},
    {"create", "ID (FILE | - | --container [--layer PATH]... [--network NET] | --vm) [--memory MB] [--cpus N]",
     "create a compute system",
     "Creates a compute system named ID, in the Created state: from a ComputeSystem document in FILE (\"-\": read "
     "from stdin), or from a document hcsctl writes: --container for a process-isolated container, --vm for a "
     "Hyper-V virtual machine. Prints the ID. Nothing runs until 'hcsctl start ID'.\n\n"
     "With --layer (image layers, nearest first, the base layer last) hcsctl also makes the container's writable "
     "layer, the folder ID/scratch of its state folder (--state, else HCSCTL_STATE, else %LOCALAPPDATA%\\hcsctl or "
     "$XDG_STATE_HOME/hcsctl), and names it and the layers in the document. With --network (an id or a name) it "
     "makes an endpoint on that network in a namespace of the container's, which the document names. 'hcsctl rm ID' "
     "removes all of it again. A layer's id is derived from its folder's name (give ID=PATH to choose it).",
     OPTIONS(create_options), 1, 2, 0, HCSCTL_COMPLETE_FILES, hcsctl_create, NULL},
    {"start", "ID...", "start systems", "Starts each system: Created becomes Running.", NO_OPTIONS, 1, SIZE_MAX, 0,
     HCSCTL_COMPLETE_IDS, hcsctl_start, NULL},
    {"pause", "ID...", "pause virtual machines",
     "Pauses each system: Running becomes Paused. HCS pauses virtual machines only.", NO_OPTIONS, 1, SIZE_MAX, 0,
     HCSCTL_COMPLETE_IDS, hcsctl_pause, NULL},
    {"resume", "ID...", "resume paused systems", "Resumes each system: Paused becomes Running.", NO_OPTIONS, 1,
     SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_resume, NULL},
    {"save", "[--file PATH] ID", "save a paused virtual machine",
     "Saves a paused virtual machine's state: with --file to that file (HCS's SaveType ToFile; the system then "
     "ends), without it as a template (SaveType AsTemplate; the system stays, in the SavedAsTemplate state).",
     OPTIONS(save_options), 1, 1, 0, HCSCTL_COMPLETE_IDS, hcsctl_save, NULL},
    {"stop", "[--timeout SECONDS] ID...", "shut systems down, forcing them if they do not",
     "Stops each system: a graceful shutdown first, and when it has not ended within --timeout seconds (or HCS "
     "refuses it), a terminate. Says which one ended it: \"shut down\", \"terminated\", or \"had stopped already\".",
     OPTIONS(stop_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_stop, NULL},
    {"kill", "ID...", "terminate systems at once",
     "Terminates each system at once, without asking it to shut down. A system that has stopped already counts as "
     "terminated.",
     NO_OPTIONS, 1, SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_kill, NULL},
    {"rm", "[--force] [--state DIR] ID...", "stop systems if needed and forget them",
     "Removes each system: stops it if it runs (as 'hcsctl stop' does; with --force it is terminated at once), "
     "then closes it, after which HCS forgets it and the id may be used again. With --force a system that does not "
     "exist is not an error. Then what 'hcsctl create --layer --network' made for it (scratch, endpoint, namespace) is "
     "removed, also when the system was gone already.",
     OPTIONS(rm_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_rm, NULL},
    {"modify", "ID (FILE | -)", "apply a ModifySettingRequest",
     "Sends the ModifySettingRequest document in FILE (\"-\": stdin) to the system, e.g. "
     "{\"ResourcePath\":\"VirtualMachine/ComputeTopology/Memory/SizeInMB\",\"RequestType\":\"Update\",\"Settings\":"
     "2048} for a running virtual machine.",
     NO_OPTIONS, 2, 2, 0, HCSCTL_COMPLETE_IDS, hcsctl_modify, NULL},
    {"wait", "[--timeout SECONDS] ID", "wait until a system stops",
     "Waits until the system stops and prints how it ended (HCS's ExitType and Status). Exits 0 when it stopped "
     "cleanly (a graceful shutdown or a terminate with status 0), 1 when it ended with a failure or crashed, and 124 "
     "when --timeout passed first.",
     OPTIONS(wait_options), 1, 1, 0, HCSCTL_COMPLETE_IDS, hcsctl_wait, NULL},
    {"events", "[--json] [ID...]", "print HCS's events as they come",
     "Prints one line per event HCS reports for the systems (all of them when no ID is given, including systems "
     "created later): a system's exit, a crash and its report, a lost guest connection, the loss of the service. "
     "Runs until Ctrl-C; with IDs, also ends once each of them has exited.",
     OPTIONS(events_options), 0, SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_events, NULL},
    {"migrate", "(--to HOST:PORT | --listen [HOST:]PORT) [--session N] [--json] ID",
     "move a running virtual machine to another host",
     "Live migration of the virtual machine ID (Windows build 26100 and later; hcssim's build 24H2). On the "
     "destination host, create the VM with the same document (not started) and run 'hcsctl migrate --listen PORT "
     "ID'; on the source host run 'hcsctl migrate --to HOST:PORT ID'. The VM, with its memory, devices and running "
     "processes, then runs on the destination, and the source's has stopped.\n\n"
     "Each side prints HCS's live migration events as they come (SetupDone, TransferInProgress, BlackoutStarted, "
     "... MigrationDone). Ctrl-C, a failure or the --timeout cancels: the source's VM runs on and the "
     "destination's is discarded. --timeout also bounds the wait for the other host's connection.",
     OPTIONS(migrate_options), 1, 1, 0, HCSCTL_COMPLETE_IDS, hcsctl_migrate, NULL},
    {"ps", "[--json] ID", "list the processes running in a system",
     "Lists the processes running in the system (HCS's ProcessList): PID, IMAGE, CPU time, MEMORY (private "
     "working set) and when each started. --json prints HCS's ProcessList array.",
     OPTIONS(json_option), 1, 1, 0, HCSCTL_COMPLETE_IDS, hcsctl_ps, NULL},
    {"stats", "[--no-stream] [--json] [--interval SECONDS] [ID...]", "live CPU, memory and storage use",
     "Shows the running systems' use of resources (the named ones, or all that run), refreshed in place every "
     "interval until Ctrl-C: CPU % (100% is one processor busy), memory committed and its peak, and storage read and "
     "write rates, computed from two of HCS's Statistics samples.",
     OPTIONS(stats_options), 0, SIZE_MAX, 0, HCSCTL_COMPLETE_IDS, hcsctl_stats, NULL},
    {"exec", "[-i] [-t] [--env NAME=VALUE]... [--cwd DIR] [--user USER] ID [--] COMMAND [ARG...]",
     "run a process in a system",
     "Runs COMMAND with its ARGs (quoted by Windows' rules) in the running system, relaying its stdout and stderr "
     "as they come, and exits with the process's exit code.\n\n"
     "Ctrl-C is sent to the process as a Ctrl-C; a second Ctrl-C terminates it. With -i, stdin is relayed to the "
     "process and its end closes the process's stdin. With -t the process gets a console (its stderr then comes "
     "through the console) the size of this terminal.\n\n"
     "Where an exit status holds 8 bits (Linux), a code above 255 exits 255, and STATUS_CONTROL_C_EXIT "
     "(0xC000013A, a process ended by Ctrl-C) exits 130 as a shell reports a program ended by Ctrl-C; hcsctl says "
     "the full code on stderr.",
     OPTIONS(exec_options), 2, SIZE_MAX, 1, HCSCTL_COMPLETE_IDS, hcsctl_exec, NULL},
    {"service", "[--json]", "the compute service: provider, schema versions, properties",
     "Prints which HCS provider hcsctl uses, the schema versions the service supports and its Basic properties. "
     "--json prints {\"Provider\": ..., \"SupportedSchemaVersions\": [...], \"ServiceProperties\": HCS's document}.",
     OPTIONS(json_option), 0, 0, 0, HCSCTL_COMPLETE_NONE, hcsctl_service, NULL},
    {"layer",
     "(import LAYER SOURCE | export [--writable] LAYER FOLDER | rm [--force] LAYER... | mount (SCRATCH | --vhd FILE) | "
     "unmount SCRATCH) [--parent ID=PATH]... [--json]",
     "import, export, remove and mount container layers",
     "Manages container layers on the host (computestorage). 'import' unpacks a layer in transport format (Files, "
     "Hives, tombstones.txt, as pulled from a registry) from SOURCE into the folder LAYER, created if missing, on the "
     "--parent layers. 'export' writes LAYER in transport format into the existing FOLDER; with --writable, LAYER is "
     "a mounted scratch and the export holds the container's changes, which 'import' makes a new layer. 'rm' "
     "deletes layers; HCS refuses a layer in use by a mounted scratch.\n\n"
     "'mount' makes SCRATCH (a folder) a container's writable layer on the --parent layers: initialized the first "
     "time, then its storage filter attached; with --vhd the scratch is that VHD (formatted when new) and its volume "
     "path is printed. Name it as Storage.Path of the container's document, its parents as Storage.Layers. "
     "'unmount' detaches the filter once the container is gone.\n\n"
     "Each prints the layer's path (with --json: an object naming the layer, its parents and the other path). "
     "Parents are given as PATH or ID=PATH, nearest first and the base layer last; without ID the id is derived "
     "from the folder's name, as for 'hcsctl create --layer'.",
     OPTIONS(layer_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_FILES, hcsctl_layer,
     "which subcommand? (import, export, rm, mount, unmount)"},
    {"network", "(ls | create NAME [--type TYPE] [--subnet CIDR [--gateway IP]] | inspect NETWORK | rm NETWORK...)",
     "HCN networks: list, create, inspect, delete",
     "Manages the host's HCN networks (computenetwork.dll). ls prints ID, NAME, TYPE and SUBNET; create makes a "
     "network named NAME (type NAT unless --type; HCN picks a NAT subnet unless --subnet) and prints its id; inspect "
     "prints its V2 document; rm deletes networks, which HCN refuses while they have endpoints. A NETWORK is an id "
     "or a name. With --json, ls and create print HCN's V2 documents.\n\n"
     "HCN objects belong to the host: the embedded simulator forgets them when the command ends, so use hcssimd "
     "(or Windows' own HCN) to keep them between commands.",
     OPTIONS(network_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_NONE, hcsctl_network,
     "which subcommand? (ls, create, inspect, rm)"},
    {"endpoint",
     "(ls [--network NETWORK] | create NETWORK [--name NAME] [--ip IP] [--mac MAC] | inspect ID | rm ID... | "
     "attach ID NAMESPACE | detach ID NAMESPACE)",
     "HCN endpoints: list, create, inspect, delete, attach to namespaces",
     "Manages HCN endpoints. ls prints ID, NAME, IP, MAC and NAMESPACE (of one network with --network); create "
     "makes an endpoint on NETWORK, HCN assigning an address and a MAC unless given, and prints its id; attach and "
     "detach put it into a namespace or take it out; rm deletes endpoints (HCN takes them out of their "
     "namespace).\n\n"
     "A container joins a namespace through its document (Container.Networking.Namespace); tear down in this "
     "order: the container, detach, namespace rm, endpoint rm, network rm.",
     OPTIONS(endpoint_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_NONE, hcsctl_endpoint,
     "which subcommand? (ls, create, inspect, rm, attach, detach)"},
    {"namespace", "(ls | create | rm ID...)", "HCN namespaces: list, create, delete",
     "Manages HCN namespaces (network compartments). ls prints ID, TYPE, COMPARTMENT and the number of RESOURCES "
     "(endpoints and containers); create makes a Host namespace and prints its id; rm deletes namespaces, which HCN "
     "refuses while a compute system uses them.",
     OPTIONS(namespace_options), 1, SIZE_MAX, 0, HCSCTL_COMPLETE_NONE, hcsctl_namespace,
     "which subcommand? (ls, create, rm)"},
    {"demo", "", "walk a container through its lifecycle",
     "Creates a container, starts it, runs a program in it, stops it, showing each step: all in one process, so it "
     "works with any provider.",
     NO_OPTIONS, 0, 0, 0, HCSCTL_COMPLETE_NONE, hcsctl_demo, NULL},
};
const size_t hcsctl_verb_count = COUNT(hcsctl_verbs);

const hcsctl_text_row hcsctl_exit_codes[] = {
    {"0", "success; wait: the system stopped cleanly"},
    {"1", "an HCS call failed (the message names the cause and the fix); wait: the system ended with a failure"},
    {"2", "a bad command line"},
    {"124", "a timeout passed (--timeout, wait --timeout); HCS carries on with the work"},
    {"exec", "the process's own exit code"},
};
const size_t hcsctl_exit_code_count = COUNT(hcsctl_exit_codes);

const hcsctl_text_row hcsctl_environment[] = {
    {"HCS_PROVIDER",
     "the provider when --provider is not given: hcssimd, embedded, system, or a provider library. Unset: on "
     "Windows computecore.dll from System32 (hcssimd there is hcssimd.exe on its pipe, hcssim.dll a simulator of "
     "the command's own); elsewhere hcssimd when its socket exists, else the simulator embedded in hcsctl, whose "
     "systems end with the command (hcsctl says so)"},
    {"HCSSIM_SOCKET", "hcssimd's socket (default $XDG_RUNTIME_DIR/hcssim.sock, else /tmp/hcssim-UID/hcssim.sock); on "
                      "Windows its pipe (default \\\\.\\pipe\\hcssim)"},
    {"HCSCTL_STATE", "the folder of hcsctl's state when --state is not given: the scratch of each container created "
                     "with --layer (default %LOCALAPPDATA%\\hcsctl on Windows, else $XDG_STATE_HOME/hcsctl, "
                     "~/.local/state/hcsctl)"},
    {"HCSSIM_PROFILE, HCSSIM_FAULTS, HCSSIM_BEHAVIOUR",
     "the embedded simulator's emulated Windows build, fault plan and switches (hcssimd takes its own)"},
};
const size_t hcsctl_environment_count = COUNT(hcsctl_environment);

const hcsctl_text_row hcsctl_examples[] = {
    {"hcssimd &", "a simulated host that outlives each command (on Windows: 'start hcssimd.exe', then "
                  "'set HCS_PROVIDER=hcssimd')"},
    {"hcsctl create web1 --container", "a container, Created"},
    {"hcsctl create app1 --container --layer C:\\layers\\app --layer C:\\layers\\base --network nat",
     "a container on image layers, with a scratch of its own, on the network nat"},
    {"hcsctl start web1", "Running"},
    {"hcsctl exec web1 -- cmd /c echo hello", "prints hello, exits 0"},
    {"hcsctl exec -i web1 -- findstr error < app.log", "stdin relayed"},
    {"hcsctl list --json --state Running", "what runs, as JSON"},
    {"hcsctl stats --no-stream", "CPU, memory and storage of each running system"},
    {"hcsctl stop web1 && hcsctl rm web1", "graceful shutdown, then gone"},
};
const size_t hcsctl_example_count = COUNT(hcsctl_examples);
