/* The vmcompute.dll functions hcssim exports: HNSCall, HNS's V1 interface,
 * which hcsshim and libhcs ask for HNS's version (storage-and-network
 * §2.10, §4.3 #53). Listed like export_list.h; hcssim.dll and
 * hcssim-client.dll export it beside computecore's functions. Deliberately
 * without include guards. */
SIM_EXPORT_ENTRY(HNSCall, 1809)
