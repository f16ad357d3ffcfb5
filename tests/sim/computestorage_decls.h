/* computestorage.dll's functions as Microsoft documents them
 * (storage-and-network §1.1, §1.5), written from the documentation for the
 * drop-in test, so that it depends on no header of this project nor on the
 * SDK's own. The two overlay functions are in no import library: a program
 * finds them with GetProcAddress. */
#ifndef HCSKIT_TESTS_COMPUTESTORAGE_DECLS_H
#define HCSKIT_TESTS_COMPUTESTORAGE_DECLS_H

#include <windows.h>

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

typedef HRESULT(WINAPI *HcsAttachOverlayFilterFn)(PCWSTR volumeMountPoint, PCWSTR layerData);
typedef HRESULT(WINAPI *HcsDetachOverlayFilterFn)(PCWSTR volumeMountPoint, PCWSTR layerData);

#endif
