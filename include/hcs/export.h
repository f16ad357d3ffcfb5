/* Symbol visibility of libhcs's public functions. */
#ifndef HCS_EXPORT_H
#define HCS_EXPORT_H

#if defined(_WIN32)
#if defined(HCS_BUILDING_LIBRARY)
#define HCS_API __declspec(dllexport)
#elif defined(HCS_STATIC)
#define HCS_API
#else
#define HCS_API __declspec(dllimport)
#endif
#else
#define HCS_API __attribute__((visibility("default")))
#endif

#endif
