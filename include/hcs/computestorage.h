/* The computestorage.dll ABI, portable: the prototypes of its functions
 * (storage-and-network §1.1), for code that calls them directly.
 *
 * On Windows this is the SDK's (or mingw-w64's) computestorage.h, plus the
 * two overlay-filter functions that only the current SDK declares. Elsewhere
 * the types are those of computecore.h (HRESULT, PCWSTR as 16-bit units,
 * HANDLE as a pointer-sized value encoding a file descriptor as fd + 1), and
 * the functions are those libhcssim exports; HcsGetLayerVhdMountPath's
 * result is freed with LocalFree. */
#ifndef HCS_COMPUTESTORAGE_H
#define HCS_COMPUTESTORAGE_H

#include "computecore.h"

#ifdef _WIN32
#include <computestorage.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef _WIN32
HRESULT WINAPI HcsImportLayer(PCWSTR layerPath, PCWSTR sourceFolderPath, PCWSTR layerData);
HRESULT WINAPI HcsExportLayer(PCWSTR layerPath, PCWSTR exportFolderPath, PCWSTR layerData, PCWSTR options);
HRESULT WINAPI HcsExportLegacyWritableLayer(PCWSTR writableLayerMountPath, PCWSTR writableLayerFolderPath,
                                            PCWSTR exportFolderPath, PCWSTR layerData);
HRESULT WINAPI HcsDestroyLayer(PCWSTR layerPath);
HRESULT WINAPI HcsSetupBaseOSLayer(PCWSTR layerPath, HANDLE vhdHandle, PCWSTR options);
HRESULT WINAPI HcsSetupBaseOSVolume(PCWSTR layerPath, PCWSTR volumePath, PCWSTR options);
HRESULT WINAPI HcsInitializeWritableLayer(PCWSTR writableLayerPath, PCWSTR layerData, PCWSTR options);
HRESULT WINAPI HcsInitializeLegacyWritableLayer(PCWSTR writableLayerMountPath, PCWSTR writableLayerFolderPath,
                                                PCWSTR layerData, PCWSTR options);
HRESULT WINAPI HcsAttachLayerStorageFilter(PCWSTR layerPath, PCWSTR layerData);
HRESULT WINAPI HcsDetachLayerStorageFilter(PCWSTR layerPath);
HRESULT WINAPI HcsFormatWritableLayerVhd(HANDLE vhdHandle);
HRESULT WINAPI HcsGetLayerVhdMountPath(HANDLE vhdHandle, PWSTR *mountPath);
#endif

/* Declared by the current SDK only (storage-and-network §1.1, §1.5.13). */
HRESULT WINAPI HcsAttachOverlayFilter(PCWSTR volumeMountPoint, PCWSTR layerData);
HRESULT WINAPI HcsDetachOverlayFilter(PCWSTR volumeMountPoint, PCWSTR layerData);

#ifdef __cplusplus
}
#endif

#endif
