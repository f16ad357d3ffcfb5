/* A virtual machine's saved state (hcs-api §8.7): what HcsSaveComputeSystem
 * with SaveType ToFile writes to SaveOptions.SaveStateFilePath, and what a
 * create whose VirtualMachine.RestoreState.SaveStateFilePath names that
 * file restores: the VM's memory size, processor count and devices as they
 * were when it was saved (modifications included), and the processor
 * features it needs (VmProcessorRequirements, read by
 * HcsGetProcessorCompatibilityFromSavedState, §2.5). The file is JSON of
 * the simulator's own; docs/simulator-fidelity.md, "Saved state". */
#ifndef HCSSIM_SAVED_STATE_H
#define HCSSIM_SAVED_STATE_H

#include "document.h"
#include "system_state.h"

#include <jansson.h>

/* HRESULT_FROM_WIN32(ERROR_INVALID_DATA): a file that holds no saved state. */
#define SIM_E_INVALID_DATA ((HRESULT)0x8007000D)

/* With the engine lock held: writes sys's state to path (UTF-8). Fails with
 * SIM_E_PATH_NOT_FOUND when the file cannot be written. */
HRESULT hcssim__saved_state_write(const sim_system *sys, const char *path, char detail[SIM_DETAIL_SIZE]);

/* The saved state in the file at path (new reference in *state). Fails with
 * SIM_E_FILE_NOT_FOUND for a missing file and SIM_E_INVALID_DATA for one
 * that holds no saved state (empty, corrupt, or not written by a save). */
HRESULT hcssim__saved_state_read(const char *path, json_t **state, char detail[SIM_DETAIL_SIZE]);

/* When the VirtualMachine of a valid ComputeSystem document has a
 * RestoreState.SaveStateFilePath: reads that state and puts its memory
 * size, processor count and devices into the document in place of its own.
 * Fails as hcssim__saved_state_read does, or with SIM_E_INVALID_DATA when
 * this host lacks a processor feature the state needs. */
HRESULT hcssim__saved_state_restore(json_t *doc, char detail[SIM_DETAIL_SIZE]);

#endif
