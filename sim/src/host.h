/* The simulated host's hardware: its logical processors (the service
 * property ProcessorTopology, hcs-api §8.11), the processor features a VM
 * saved on it needs (VmProcessorRequirements, §2.5), and the maximums a
 * virtual machine may have (docs/simulator-fidelity.md, "Limits"). Fixed
 * values, so that a test behaves the same on every machine. */
#ifndef HCSSIM_HOST_H
#define HCSSIM_HOST_H

#include "document.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Logical processors: one package of 8 cores with 2 threads each. */
#define SIM_HOST_LOGICAL_PROCESSORS 16u

/* Per-VM maximums of "Plan for Hyper-V scalability in Windows Server"
 * (generation 2, which every HCS virtual machine is: it boots UEFI). */
#define SIM_VM_MAX_PROCESSORS 240u
#define SIM_VM_MAX_MEMORY_MB ((uint64_t)12 * 1024 * 1024) /* 12 TB */
#define SIM_VM_MIN_MEMORY_MB 32u                          /* Hyper-V's smallest startup memory */
#define SIM_VM_MAX_SCSI_CONTROLLERS 4u
#define SIM_VM_MAX_SCSI_LUNS 64u /* per controller: LUN 0 to 63 */
#define SIM_VM_MAX_NETWORK_ADAPTERS 64u
#define SIM_VM_MAX_COM_PORTS 2u       /* keys 0 and 1 (hcs-api §8.6) */
#define SIM_VM_MAX_VPMEM_DEVICES 256u /* keys are uint8 (hcs-api §8.13) */
/* No documented limit; chosen (inferred) so that a pod's layers fit. */
#define SIM_VM_MAX_SHARES 256u

/* The ProcessorTopology answer of HcsGetServiceProperties (new object). */
json_t *hcssim__host_topology(void);

/* What a VM saved on this host needs of a processor: a
 * VmProcessorRequirements object (2.5) listing the host's features. */
json_t *hcssim__host_processor_requirements(void);

/* Whether the host has every processor feature a VmProcessorRequirements
 * names; when not, detail names the first one missing. */
bool hcssim__host_meets(const json_t *requirements, char detail[SIM_DETAIL_SIZE]);

#endif
