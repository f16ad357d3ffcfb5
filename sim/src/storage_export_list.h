/* The computestorage functions hcssim exports (storage-and-network §1.1),
 * one per line with the first emulated build that has each, as
 * export_list.h does for computecore. hcssim-storage.dll's .def file is
 * written from this list. Deliberately without include guards. */
SIM_EXPORT_ENTRY(HcsImportLayer, 1809)
SIM_EXPORT_ENTRY(HcsExportLayer, 1809)
SIM_EXPORT_ENTRY(HcsExportLegacyWritableLayer, 1809)
SIM_EXPORT_ENTRY(HcsDestroyLayer, 1809)
SIM_EXPORT_ENTRY(HcsSetupBaseOSLayer, 1809)
SIM_EXPORT_ENTRY(HcsSetupBaseOSVolume, 2104)
SIM_EXPORT_ENTRY(HcsInitializeWritableLayer, 1809)
SIM_EXPORT_ENTRY(HcsInitializeLegacyWritableLayer, 1809)
SIM_EXPORT_ENTRY(HcsAttachLayerStorageFilter, 1809)
SIM_EXPORT_ENTRY(HcsDetachLayerStorageFilter, 1809)
SIM_EXPORT_ENTRY(HcsFormatWritableLayerVhd, 1809)
SIM_EXPORT_ENTRY(HcsGetLayerVhdMountPath, 1809)
SIM_EXPORT_ENTRY(HcsAttachOverlayFilter, 21H2)
SIM_EXPORT_ENTRY(HcsDetachOverlayFilter, 21H2)
